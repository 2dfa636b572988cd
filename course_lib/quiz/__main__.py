"""Instructor commands, printed as Markdown so they paste into slides or print from a browser.

    python -m course_lib.quiz check [BANK.yaml ...]   validate every bank (exit 1 on error)
    python -m course_lib.quiz key [NOTEBOOK]          answer key with explanations
    python -m course_lib.quiz handout NOTEBOOK        printable quiz without answers
    python -m course_lib.quiz report RECORDS... [--out report.html]
                                                      class report from learners' records
    python -m course_lib.quiz key|handout NOTEBOOK --html|--pdf [-o PATH]
                                                      the same as a printable page (PDF by
                                                      Chromium's print-to-PDF)
    python -m course_lib.quiz quickref NOTEBOOK [--pdf] [-o PATH]
                                                      one-page quick reference for a class
    python -m course_lib.quiz cases [--pdf] [-o PATH] case cards for notebook 06's groups
    python -m course_lib.quiz export gift|qti NOTEBOOK [-o PATH]
                                                      quiz for a learning platform: Moodle
                                                      GIFT text, or a QTI 1.2 package (zip)
                                                      for Canvas/Blackboard; prints what was
                                                      left out (predict questions) and why

NOTEBOOK is a notebook id (``01_what_is_neuropathic_pain``), its number (``04``) or a path to a
bank file.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ..printables import PrintError
from .export import resolve_notebook
from .loader import available_banks, check_cross_bank, load_bank
from .schema import (
    Bank,
    BankError,
    quiz_intro,
)

_TYPE_NAMES = {
    "single": "choose one",
    "multiple": "tick all that apply",
    "numeric": "number",
    "categorise": "sort into groups",
    "order": "put in order",
    "predict": "predict, then observe",
}




# ----------------------------------------------------------------------------- key

def answer_key(bank: Bank) -> str:
    out = [f"# Answer key: {bank.title}", "", f"Notebook: `{bank.notebook}` — "
           f"{_plural(len(bank.questions), 'question')}.", ""]
    for n, q in enumerate(bank.questions, 1):
        out.append(f"## {n}. {q.prompt.splitlines()[0] if q.prompt else q.id}")
        out.append(f"*Type:* {_TYPE_NAMES[q.type]} · *id:* `{q.id}` · "
                   f"*attempts before reveal:* {q.max_attempts}")
        out.append("")
        if "\n" in q.prompt:
            out.extend([q.prompt, ""])
        out.extend(q.key_lines())
        out.append("")
        out.append(f"**Explanation:** {q.explanation}")
        for k, hint in enumerate(q.hints, 1):
            out.append(f"- Hint {k}: {hint}")
        if q.source:
            out.append(f"*Source:* {q.source}")
        out.append("")
    return "\n".join(out)


# ----------------------------------------------------------------------------- handout

def handout(bank: Bank) -> str:
    out = [f"# {bank.title}", "", "Name: ______________________", "", quiz_intro(bank), ""]
    for n, q in enumerate(bank.questions, 1):
        out.append(f"## Question {n} ({_TYPE_NAMES[q.type]})")
        out.append("")
        out.append(q.prompt)
        out.append("")
        out.extend(q.handout_lines())
        out.append("")
    return "\n".join(out)


# ----------------------------------------------------------------------------- commands

def _expand(paths: list[str]) -> list[str]:
    """A folder stands for the bank files in it. Raises FileNotFoundError for an empty one."""
    targets: list[str] = []
    for path in paths:
        folder = Path(path)
        if path.strip() and folder.is_dir():
            found = sorted(str(p) for p in folder.iterdir()
                           if p.suffix in (".yaml", ".yml") and p.is_file())
            if not found:
                raise FileNotFoundError(f"no .yaml bank files in the folder {folder}")
            targets.extend(found)
        else:
            targets.append(path)
    return targets


_COUNT_WORDS = re.compile(
    r"\b(\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|first|second|"
    r"third|last)\b", re.IGNORECASE)


def intro_count_note(bank: Bank) -> str | None:
    """A note when a bank's intro still types a count or a position ("Ten questions", "the
    first three"): those are now written by the quiz from the bank and cannot go stale."""
    found = _COUNT_WORDS.search(bank.intro)
    if found is None:
        return None
    return (f"note {bank.notebook}: the intro says '{found.group(0)}'. Counts and positions are "
            "written by the quiz itself (how many questions, how many predictions, which came "
            "earlier); the intro can drop them.")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def cmd_check(paths: list[str]) -> int:
    targets = _expand(paths) if paths else available_banks()
    if not targets:
        print("No question banks found.", file=sys.stderr)
        return 1
    banks = []
    for target in targets:
        try:
            bank = load_bank(target)
        except (BankError, OSError) as exc:
            print(f"ERROR: {exc}", file=sys.stderr)
            return 1
        banks.append(bank)
        print(f"ok  {bank.notebook}: {_plural(len(bank.questions), 'question')} "
              f"({', '.join(sorted({q.type for q in bank.questions}))})")
        note = intro_count_note(bank)
        if note:
            print(note)
    try:
        check_cross_bank(banks)
    except BankError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    print(f"All {_plural(len(banks), 'bank')} valid.")
    return 0


def cmd_export(fmt: str, notebook: str, output: str | None) -> int:
    """Write a bank in a platform's format; the report (counts, left-out questions and why,
    what changed on the way) goes to stderr, so GIFT printed to stdout stays clean."""
    from .export import qti_package, to_gift, to_qti

    bank = load_bank(resolve_notebook(notebook, available_banks()))
    export = to_gift(bank) if fmt == "gift" else to_qti(bank)
    if not export.report.exported:
        print(export.report.summary(), file=sys.stderr)
        print(f"ERROR: nothing to export: no question in {bank.notebook} has a {fmt.upper()} "
              "form (see above); no file written.", file=sys.stderr)
        return 1
    if fmt == "gift":
        if output is None:
            sys.stdout.write(export.text)
        else:
            Path(output).write_text(export.text, encoding="utf-8")
    else:
        target = Path(output) if output is not None else Path(f"{bank.notebook}_qti.zip")
        if target.suffix.lower() == ".xml":
            target.write_text(export.xml, encoding="utf-8")
        else:
            target.write_bytes(qti_package(export))
        output = str(target)
    print(export.report.summary(), file=sys.stderr)
    if output is not None:
        print(f"wrote {output}", file=sys.stderr)
    return 0


def _page_format(parser_args) -> str | None:
    return "pdf" if getattr(parser_args, "pdf", False) else "html" if getattr(parser_args, "html", False) else None


def write_page(page_html: str, fmt: str, output: str | None, default_name: str) -> int:
    """Write a printable page as HTML or PDF; say where, on stderr."""
    from ..printables import write_pdf

    target = Path(output or f"{default_name}.{fmt}")
    if fmt == "pdf":
        write_pdf(page_html, target)
    else:
        target.write_text(page_html, encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)
    return 0


def cmd_printable(command: str, notebook: str | None, fmt: str | None, output: str | None) -> int:
    """key, handout, quickref and cases as pages to print."""
    from ..printables import blocks_page, case_cards_page, quick_reference

    if command == "cases":
        return write_page(case_cards_page(), fmt or "html", output, "case_cards_06")
    name = resolve_notebook(notebook, available_banks())
    if command == "quickref":
        from ..syllabus import entry

        notebook_id = load_bank(name).notebook
        entry(notebook_id)  # a ValueError names the course map's notebooks
        return write_page(quick_reference(notebook_id), fmt or "html", output, f"quickref_{notebook_id[:2]}")
    bank = load_bank(name)
    text = answer_key(bank) if command == "key" else handout(bank)
    title = f"{'Answer key' if command == 'key' else 'Handout'}: {bank.title}"
    page = blocks_page(title, text, keep_together=command == "handout")
    return write_page(page, fmt, output, f"{command}_{bank.notebook[:2]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course_lib.quiz",
                                     description="Question-bank tools for instructors.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="validate every bank (or the files given)")
    p_check.add_argument("paths", nargs="*", help="bank files or notebook ids (default: all)")
    p_key = sub.add_parser("key", help="print the answer key as Markdown (or --html, --pdf)")
    p_key.add_argument("notebook", nargs="?", help="notebook id or bank file (default: all)")
    p_handout = sub.add_parser("handout", help="print a quiz without answers as Markdown (or --html, --pdf)")
    p_handout.add_argument("notebook", help="notebook id or bank file")
    p_quickref = sub.add_parser("quickref", help="a one-page quick reference of a notebook (HTML or --pdf)")
    p_quickref.add_argument("notebook", help="notebook id or number")
    p_cases = sub.add_parser("cases", help="case cards for notebook 06, one per page (HTML or --pdf)")
    for printable in (p_key, p_handout, p_quickref, p_cases):
        kind = printable.add_mutually_exclusive_group()
        kind.add_argument("--html", action="store_true", help="write a page to print from a browser")
        kind.add_argument("--pdf", action="store_true", help="write a PDF (needs Chromium)")
        printable.add_argument("-o", "--output", help="the file to write (default: named for the notebook)")
    p_report = sub.add_parser("report", help="class report (HTML) from learners' JSON records")
    p_report.add_argument("records", nargs="+", help="record files or folders of them")
    p_report.add_argument("--out", default="class_report.html",
                          help="the HTML file to write (default: class_report.html)")
    p_export = sub.add_parser("export", help="export a bank for a learning platform "
                                             "(Moodle GIFT, or QTI 1.2 for Canvas/Blackboard)")
    p_export.add_argument("format", choices=("gift", "qti"), help="gift (Moodle) or qti "
                          "(IMS QTI 1.2 content package: Canvas, Blackboard)")
    p_export.add_argument("notebook", help="notebook id or number (04), or bank file")
    p_export.add_argument("-o", "--output", help="file to write (gift: default is to print "
                          "the text; qti: default NOTEBOOK_qti.zip; a path ending in .xml "
                          "gets the bare QTI XML instead of a package)")
    args = parser.parse_args(argv)
    # An instructor gets a sentence, never a traceback: anything unexpected is reported too.
    try:
        if args.command == "check":
            return cmd_check(args.paths)
        if args.command == "report":
            from .report import cmd_report

            return cmd_report(args.records, args.out)
        if args.command == "export":
            return cmd_export(args.format, args.notebook, args.output)
        fmt = _page_format(args)
        if args.command in ("quickref", "cases") or fmt is not None:
            if args.command == "key" and args.notebook is None:
                print("ERROR: a printable key is made one notebook at a time: name the notebook",
                      file=sys.stderr)
                return 2
            return cmd_printable(args.command, getattr(args, "notebook", None), fmt, args.output)
        if args.command == "key":
            names = [args.notebook] if args.notebook is not None else available_banks()
            print("\n\n".join(answer_key(load_bank(resolve_notebook(n, available_banks()))) for n in names))
        else:
            print(handout(load_bank(resolve_notebook(args.notebook, available_banks()))))
    except (BankError, OSError, PrintError, ValueError, LookupError) as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # pragma: no cover - a bug, reported without a traceback
        print(f"ERROR: unexpected problem ({type(exc).__name__}: {exc}); please report it.",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
