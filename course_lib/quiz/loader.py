"""Find and load question banks (YAML) and validate them on the way in.

Banks live in ``course_lib/quiz/banks/<notebook id>.yaml``. ``load_bank`` accepts either a
notebook id or a path to a YAML file (instructors testing a draft bank). Loaded banks are
cached by path and modification time, so an edited bank is picked up without restarting
the kernel.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .schema import Bank, BankError, PredictQuestion, build_bank

BANKS_DIR = Path(__file__).resolve().parent / "banks"

_cache: dict[Path, tuple[float, Bank]] = {}


def bank_path(notebook_or_path: str | Path) -> Path:
    """Return the YAML path for a notebook id (``"01_what_is..."``) or pass a path through."""
    candidate = Path(notebook_or_path)
    if candidate.suffix in (".yaml", ".yml"):
        return candidate
    name = str(notebook_or_path)
    if name.endswith(".ipynb"):
        name = Path(name).stem
    return BANKS_DIR / f"{name}.yaml"


def available_banks() -> list[str]:
    """Notebook ids that have a bank, in course order."""
    return sorted(p.stem for p in BANKS_DIR.glob("*.yaml"))


def load_bank(notebook_or_path: str | Path) -> Bank:
    """Load and validate one bank. Raises :class:`BankError` (a ValueError) if it is malformed
    and FileNotFoundError if there is no such bank."""
    path = bank_path(notebook_or_path)
    if not path.is_file():
        known = ", ".join(available_banks()) or "(none)"
        raise FileNotFoundError(f"no question bank at {path} (banks available: {known})")
    mtime = path.stat().st_mtime
    cached = _cache.get(path)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise BankError(path, None, None, f"is not valid YAML{where}: {problem}") from None
    except UnicodeDecodeError as exc:
        raise BankError(path, None, None, f"is not UTF-8 text ({exc.reason})") from None
    if data is None:
        raise BankError(path, None, None, "is empty")
    # A bank inside the package must be named for its notebook; a draft elsewhere need not.
    expected = path.stem if path.parent == BANKS_DIR else None
    bank = build_bank(data, path, expected_notebook=expected)
    _cache[path] = (mtime, bank)
    return bank


def load_all_banks() -> list[Bank]:
    """Every bank shipped with the course. Raises BankError on the first bad one."""
    return [load_bank(name) for name in available_banks()]


def check_cross_bank(banks: list[Bank]) -> None:
    """Checks that need every bank at once.

    A lab reports a result by question id alone (``observe("nav18_off", 1)``), so predict
    question ids must be unique across the whole course.
    """
    owners: dict[str, str] = {}
    for bank in banks:
        for question in bank.questions:
            if not isinstance(question, PredictQuestion):
                continue
            if question.id in owners:
                raise BankError(bank.path, question.id, "id",
                                f"predict question ids must be unique across the course; this one "
                                f"is also used in '{owners[question.id]}'")
            owners[question.id] = bank.notebook
