"""Find and load question banks (YAML) and validate them on the way in.

Banks live in ``course_lib/quiz/banks/<notebook id>.yaml``. ``load_bank`` accepts either a
notebook id or a path to a YAML file (instructors testing a draft bank). Loaded banks are
cached by path and modification time, so an edited bank is picked up without restarting
the kernel.

The YAML is read strictly, because a bank is edited by hand and a silent misreading changes
what learners are told is right:

- A key given twice is an error naming both lines (PyYAML would keep the last one silently).
- Scalars follow YAML 1.2's core schema, not YAML 1.1: only ``true``/``false`` are booleans,
  only ``null``/``~``/nothing is null, and numbers are plain decimals (``12``, ``-3``,
  ``1.5``, ``1e3``). ``No``, ``on``, ``010``, ``0x1F``, ``1:30``, ``1_000`` and dates stay text,
  so an option called ``no`` stays "no", not False; a number field given ``010`` fails the
  schema check with its line instead of becoming 8.
- Aliases may not expand the bank past ``MAX_EXPANDED_NODES`` values, nor refer to
  themselves; nesting deeper than ``MAX_DEPTH`` is refused. A few hundred bytes of
  aliases can otherwise expand to tens of millions of strings.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from .schema import Bank, BankError, LineDict, PredictQuestion, build_bank

BANKS_DIR = Path(__file__).resolve().parent / "banks"

_cache: dict[Path, tuple[float, Bank]] = {}

# A real bank holds a few thousand values and nests about six levels deep.
MAX_EXPANDED_NODES = 100_000
MAX_DEPTH = 40


class _TooDeep(yaml.scanner.ScannerError):
    """Raised by the scanner as soon as nesting passes MAX_DEPTH."""


class _BankLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core scalars, duplicate-key errors and line numbers."""

    # PyYAML's scanner does work proportional to the nesting depth for every token, so
    # 5,000 nested "[" took 4.9 s before failing; refuse deep nesting as it is scanned.
    def fetch_flow_collection_start(self, TokenClass: Any) -> None:
        if self.flow_level >= MAX_DEPTH:
            raise _TooDeep(None, None, f"nested more than {MAX_DEPTH} levels deep",
                           self.get_mark())
        super().fetch_flow_collection_start(TokenClass)

    def add_indent(self, column: int) -> bool:
        if len(self.indents) >= MAX_DEPTH:
            raise _TooDeep(None, None, f"nested more than {MAX_DEPTH} levels deep",
                           self.get_mark())
        return super().add_indent(column)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict:
        first_line: dict[Any, int] = {}
        for key_node, _value in node.value:
            key = key_node.value if isinstance(key_node.value, str) else None
            if key is None:
                continue
            if key in first_line:
                raise yaml.constructor.ConstructorError(
                    None, None, f"found duplicate key '{key}' (first given at line "
                                f"{first_line[key]}); a key may appear only once here",
                    key_node.start_mark)
            first_line[key] = key_node.start_mark.line + 1
        mapping = super().construct_mapping(node, deep=deep)
        result = LineDict(mapping)
        result.lines = {k: first_line[k] for k in mapping if isinstance(k, str) and k in first_line}
        result.line = node.start_mark.line + 1
        return result


_BankLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
     r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+0123456789."),
):
    _BankLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))
_BankLoader.add_constructor(
    "tag:yaml.org,2002:map",
    lambda loader, node: loader.construct_mapping(node, deep=True))


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _check_size(root: Node, file: str) -> None:
    """Refuse alias bombs, self-referring aliases and deep nesting before building anything.

    Walks the composed node graph once (iteratively: a deep bank must not exhaust Python's
    stack here), counting each node as often as aliases repeat it."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            open_nodes.discard(key)
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            depth[key] = 1 + max((depth[id(k)] for k in kids), default=0)
            if size[key] > MAX_EXPANDED_NODES:
                raise BankError(file, None, None, f"holds more than {MAX_EXPANDED_NODES:,} values "
                                f"(every list item, key and text, with an alias (*name) counted each "
                                f"time it repeats) by line {node.start_mark.line + 1}; a bank of a "
                                f"few dozen questions needs a few thousand")
            if depth[key] > MAX_DEPTH:
                raise BankError(file, None, None, f"is nested more than {MAX_DEPTH} levels deep "
                                f"(line {node.start_mark.line + 1}); a bank needs about six")
            continue
        if key in size:
            continue
        if key in open_nodes:
            raise BankError(file, None, None, f"has an alias that refers to itself (line "
                                              f"{node.start_mark.line + 1})")
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((k, False) for k in _children(node))


def parse_bank_yaml(text: str, file: str | Path = "<bank>") -> Any:
    """Parse a bank's YAML text strictly (see the module docstring). Raises BankError."""
    file = str(file)
    loader = None
    try:
        loader = _BankLoader(text)  # the reader refuses control characters right here
        node = loader.get_single_node()
        if node is None:
            return None
        _check_size(node, file)
        return loader.construct_document(node)
    except _TooDeep as exc:
        mark = exc.problem_mark
        raise BankError(file, None, None, f"is {exc.problem} (line {mark.line + 1}); a bank "
                                          "needs about six") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise BankError(file, None, None, f"is not valid YAML{where}: {problem}") from None
    except RecursionError:
        raise BankError(file, None, None, f"is nested too deeply to read (more than "
                                          f"{MAX_DEPTH} levels)") from None
    finally:
        if loader is not None:
            loader.dispose()


#: a ``question("id")`` or ``question("notebook", "id")`` call in a notebook's code cell: group 1 is the id
QUESTION_CALL = re.compile(r"""question\(\s*(?:["'][^"']+["']\s*,\s*)?["']([^"']+)["']""")
#: a cell that shows the notebook's quiz (a lesson's ``quiz()``)
QUIZ_CALL = re.compile(r"^\s*quiz\(\)", re.MULTILINE)


def questions_called(source: str, quiz_ids: tuple[str, ...] | list[str] = ()) -> list[str]:
    """The question ids a code cell shows, in order; a ``quiz()`` call stands for ``quiz_ids``.

    The one reader of question calls in notebooks: the review's section links, the Explore edition
    and the notebook hygiene checks all use it."""
    ids = QUESTION_CALL.findall(source)
    if QUIZ_CALL.search(source):
        ids += list(quiz_ids)
    return ids


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
    known = ", ".join(available_banks()) or "(none)"
    if not str(notebook_or_path).strip():
        raise FileNotFoundError(f"no question bank named {str(notebook_or_path)!r}: give a "
                                f"notebook id or a bank file (banks available: {known})")
    if Path(notebook_or_path).is_dir():
        raise FileNotFoundError(f"{notebook_or_path} is a folder, not a question bank: give a "
                                ".yaml file (or a notebook id)")
    path = bank_path(notebook_or_path)
    if not path.is_file():
        raise FileNotFoundError(f"no question bank at {path} (banks available: {known})")
    mtime = path.stat().st_mtime
    cached = _cache.get(path)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BankError(path, None, None, f"is not UTF-8 text ({exc.reason})") from None
    data = parse_bank_yaml(text, path)
    if data is None:
        raise BankError(path, None, None, "is empty")
    # A bank inside the package must be named for its notebook; a draft elsewhere need not.
    expected = path.stem if path.parent == BANKS_DIR else None
    bank = build_bank(data, path, expected_notebook=expected)
    _cache[path] = (mtime, bank)
    return bank


def find_question(question_id: str) -> str:
    """The notebook whose bank holds ``question_id`` (a broken bank elsewhere is skipped).
    Raises KeyError when no bank, or more than one, has it."""
    owners = []
    for name in available_banks():
        try:
            if question_id in load_bank(name).ids:
                owners.append(name)
        except (BankError, OSError):
            continue
    if len(owners) == 1:
        return owners[0]
    if not owners:
        raise KeyError(f"no question '{question_id}' in any question bank")
    raise KeyError(f"question id '{question_id}' is in several banks ({', '.join(owners)}); "
                   "give the notebook too: question(NOTEBOOK, id)")


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
