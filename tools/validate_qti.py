"""Release check: validate every bank's QTI export against IMS's official QTI 1.2 schema.

The schema cannot ship with the course (IMS licence), so this is not part of `make test`, which checks
the export against the schema's element tree instead (tests/unit/test_quiz_export.py). Before a release,
with a copy of ims_qtiasiv1p2p1.xsd and `pip install xmlschema` (or lxml):

    python tools/validate_qti.py --xsd path/to/ims_qtiasiv1p2p1.xsd
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--xsd", required=True, help="path to IMS ims_qtiasiv1p2p1.xsd")
    args = parser.parse_args(argv)

    from course_lib.quiz import available_banks, load_bank
    from course_lib.quiz.export import to_qti

    try:
        import xmlschema
    except ImportError:
        raise SystemExit("validate_qti: needs xmlschema (pip install xmlschema)") from None
    schema = xmlschema.XMLSchema(args.xsd)
    failed = 0
    for name in available_banks():
        bank = load_bank(name)
        errors = [str(e) for e in schema.iter_errors(to_qti(bank).xml)]
        print(f"{bank.notebook}: {'valid' if not errors else f'{len(errors)} errors'}")
        for error in errors[:5]:
            print("   ", error.splitlines()[0])
        failed += bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
