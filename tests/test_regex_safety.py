"""Every regular expression in the project's own modules runs in time linear in its input.

Python's ``re`` backtracks, so a pattern that can match the same text in many ways turns one short
request into minutes of CPU (issue 10 F3: ``\\s*`` four times in a row, O(n⁴); a repeated group that
holds ``.*?``, exponential). This test finds every pattern literal in diagnostics/, faq/ and config/
(the first argument of ``re.compile``/``re.sub``/``re.search``/…, module-level string constants
passed by name, f-strings built from them) and rejects any that one of three rules flags:

1. **regexploit** (its analysis, its threshold of three overlapping stars): regexploit does not
   count the factor of n a backtracking engine pays for restarting a failed attempt one character
   later, so ``[\\s\\S]*`` is put in front of every element in turn (inside groups, alternatives and
   repeats too). Two overlapping stars anywhere, O(n²) from a single start (``x\\s*\\s*y``,
   the old PEM label ``([A-Z ]+?)\\s*-----``), are then reported as three.
2. **ambiguous repetition** (regexploit 1.0 does not see it: it merges ``(a|a)`` into ``a``, and it
   misses ``(?:[^\\[>]|\\[.*?\\])*``): a repeat whose body can be split in two ways, because two
   alternatives start with the same character or the body holds a star over a character the
   body can start with, followed by anything that can fail. Exponential (or polynomial of the
   repeat's bound) backtracking.
3. **a scan restarting inside a run** (regexploit reports nothing below cubic): a pattern used to
   scan whose first element is an unbounded repeat, followed by anything that can fail, is
   retried at every character of a long run and costs O(n²) (``\\s*&\\s*`` on 100 KB of spaces,
   28 s) unless a look-behind excludes that character from a start.

Possessive quantifiers and atomic groups (``*+``, ``(?>…)``, Python 3.11) never give back what they
matched: rules 1 and 2 do not count them as stars, rule 3 does (a restart still rescans the run).
Patterns compiled with RE2 (``re2.compile``) are linear by construction: they are listed as
skipped. Not caught by these rules, so found by reading and by bench/bench_worst_case.py: an
attempt that runs to the end of the text and fails, restarted from many later starts (a lazy
``<sign><![CDATA[.*?]]>`` opened a thousand times and never closed). A compiled pattern counts as
anchored when its own module only calls ``match``/``fullmatch`` on it.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from re import _constants as sre_constants  # the parser re itself uses (sre_parse is deprecated)
from re import _parser as sre_parse

import pytest

with warnings.catch_warnings():  # regexploit imports sre_parse, deprecated since Python 3.11
    warnings.simplefilter("ignore", DeprecationWarning)
    from regexploit.ast.sequence import Sequence
    from regexploit.ast.sre import SreOpParser
    from regexploit.redos import find as regexploit_find

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("diagnostics", "faq", "config")
FUNCTIONS = {
    "compile",
    "sub",
    "subn",
    "match",
    "search",
    "findall",
    "finditer",
    "split",
    "fullmatch",
}
ANCHORED_CALLS = {"match", "fullmatch"}
FLAG_NAMES = {
    "I": re.I,
    "IGNORECASE": re.I,
    "S": re.S,
    "DOTALL": re.S,
    "M": re.M,
    "MULTILINE": re.M,
    "X": re.X,
    "VERBOSE": re.X,
    "A": re.A,
    "ASCII": re.A,
}


@dataclass(frozen=True)
class Pattern:
    where: str  # file:line
    pattern: str
    flags: int
    scanned: bool  # used with search/sub/finditer/findall/split (tried at every start)
    engine: str  # "re" or "re2"


# --- finding the patterns --------------------------------------------------------------------


def _string_constants(tree: ast.Module, seen: frozenset[Path] = frozenset()) -> dict[str, str]:
    """The module's string constants, and those it imports by name from the project's modules (a
    pattern fragment shared by two modules is read where it is defined)."""
    constants: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            source = ROOT.joinpath(*node.module.split(".")).with_suffix(".py")
            if source.is_file() and source not in seen:
                imported = _string_constants(
                    ast.parse(source.read_text(encoding="utf-8")), seen | {source}
                )
                for alias in node.names:
                    if alias.name in imported:
                        constants[alias.asname or alias.name] = imported[alias.name]
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name):
            text = _literal(value, constants)
            if text is not None:
                constants[target.id] = text
    return constants


def _literal(node: ast.AST, constants: dict[str, str]) -> str | None:
    """The string an expression always evaluates to, or None when it depends on run time."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left, constants), _literal(node.right, constants)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.JoinedStr):
        pieces = []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                if value.format_spec is not None or value.conversion != -1:
                    return None
                piece = _literal(value.value, constants)
            else:
                piece = _literal(value, constants)
            if piece is None:
                return None
            pieces.append(piece)
        return "".join(pieces)
    return None


def _flags(node: ast.AST | None) -> int:
    if node is None:
        return 0
    if isinstance(node, ast.Attribute) and node.attr in FLAG_NAMES:
        return FLAG_NAMES[node.attr]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _flags(node.left) | _flags(node.right)
    raise AssertionError(f"flags the check cannot read: {ast.dump(node)}")


def _flags_argument(call: ast.Call, function: str) -> ast.AST | None:
    for keyword in call.keywords:
        if keyword.arg == "flags":
            return keyword.value
    position = {"compile": 1, "match": 2, "search": 2, "fullmatch": 2, "findall": 2}.get(function)
    if function in ("sub", "subn"):
        position = 4
    if function == "split":
        position = 3
    if position is not None and len(call.args) > position:
        return call.args[position]
    return None


def _uses_of(tree: ast.Module, name: str) -> set[str]:
    """The methods called on a module-level compiled pattern (``_X.sub`` → "sub")."""
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == name
    }


def collect() -> tuple[list[Pattern], list[str]]:
    """(patterns found, places where a pattern is built at run time and was read by hand)."""
    patterns: list[Pattern] = []
    dynamic: list[str] = []
    files = sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    )
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        constants = _string_constants(tree)
        compiled_names = {
            target.id: node.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name) and isinstance(node.value, ast.Call)
        }
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in ("re", "re2")
                and node.func.attr in FUNCTIONS
                and node.args
            ):
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            function, engine = node.func.attr, node.func.value.id
            pattern = _literal(node.args[0], constants)
            if pattern is None:
                dynamic.append(f"{where}: {ast.unparse(node)[:100]}")
                continue
            flags = _flags(_flags_argument(node, function))
            if function == "compile":
                names = [name for name, value in compiled_names.items() if value is node]
                uses = set().union(*(_uses_of(tree, name) for name in names)) if names else set()
                # A pattern compiled inside a function is assumed scanned: the check errs that way.
                scanned = not uses or bool(uses - ANCHORED_CALLS)
            else:
                scanned = function not in ANCHORED_CALLS
            patterns.append(Pattern(where, pattern, flags, scanned, engine))
    return patterns, dynamic


# --- the three rules --------------------------------------------------------------------------

_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)
_POSSESSIVE = sre_constants.POSSESSIVE_REPEAT
_ZERO_WIDTH = (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT)


class _Parser(SreOpParser):
    """regexploit's parser, taught Python 3.11's possessive repeats and atomic groups.

    Neither is ever re-entered by backtracking, so for regexploit's star counting ``x*+`` is ``x?``
    (it may consume, it never multiplies) and ``(?>…)`` is its content matched once.
    """

    def from_POSSESSIVE_REPEAT(self, data):  # noqa: N802 (regexploit's naming)
        minimum, _maximum, elements = data
        return self.from_MAX_REPEAT((min(minimum, 1), 1, elements))

    def from_ATOMIC_GROUP(self, data):  # noqa: N802
        return self.sequence_or_singleton(_flatten_atomic(data))


def _flatten_atomic(ops):
    """An atomic group's content with its own stars made possessive (nothing inside backtracks)."""
    flat = []
    for op, data in ops:
        if op in _REPEATS:
            minimum, maximum, elements = data
            flat.append((_POSSESSIVE, (minimum, maximum, _flatten_atomic(elements))))
        else:
            flat.append((op, data))
    return flat


def regexploit_stars(pattern: str, flags: int) -> int:
    """The worst starriness regexploit reports (0: none), counting one star for the restart.

    regexploit reports only three overlapping stars or more, and not the factor of n a backtracking
    search pays for being restartable. So ``[\\s\\S]*`` is put in front of every element in turn,
    inside groups, alternatives and repeats too: two overlapping stars anywhere (O(n²) from one
    start, ``x\\s*\\s*y``) are then reported as three.
    """
    parser = _Parser()
    parser.parse_sre(pattern, flags)  # learns the groups back-references point at
    restart = _Parser().parse_sre(r"[\s\S]*")
    worst = 0
    for ops in _suffixes(list(sre_parse.parse(pattern, flags))):
        if ops[0][0] in _ZERO_WIDTH:
            continue  # the same as starting at the element after it
        parser.negative_lookahead = None
        parsed = parser.sequence_or_singleton(ops)
        if parsed is None:
            continue
        elements = parsed.elements if isinstance(parsed, Sequence) else [parsed]
        for redos in regexploit_find(Sequence([restart, *elements])):
            worst = max(worst, redos.starriness)
    return worst


def _suffixes(ops):
    """Every way a match can go on from one element: the element and what follows it."""
    for index, (op, data) in enumerate(ops):
        rest = ops[index + 1 :]
        yield ops[index:]
        if op == sre_constants.SUBPATTERN:
            inner = [list(data[3])]
        elif op == sre_constants.BRANCH:
            inner = [list(alternative) for alternative in data[1]]
        elif op in _REPEATS:
            inner = [list(data[2])]
        else:
            inner = []
        for body in inner:
            for suffix in _suffixes(body):
                yield suffix + rest


# Characters are compared over a sample: ASCII and Latin-1, the full-width and CJK ranges pasted
# text holds, Unicode spaces and digits, and every character a pattern names.
_SAMPLE = frozenset(
    [*range(0x250), 0x2000, 0x200B, 0x2028, 0x3000, 0x0660, 0xFF10, 0xFF21, 0x4E00, 0x9519, 0xFEFF]
)
_CATEGORIES = {
    sre_constants.CATEGORY_DIGIT: re.compile(r"\d"),
    sre_constants.CATEGORY_NOT_DIGIT: re.compile(r"\D"),
    sre_constants.CATEGORY_SPACE: re.compile(r"\s"),
    sre_constants.CATEGORY_NOT_SPACE: re.compile(r"\S"),
    sre_constants.CATEGORY_WORD: re.compile(r"\w"),
    sre_constants.CATEGORY_NOT_WORD: re.compile(r"\W"),
}


def _universe(pattern: str) -> frozenset[int]:
    return _SAMPLE | {ord(char) for char in pattern}


def _one_char(op, data, universe: frozenset[int]) -> frozenset[int] | None:
    """The characters one single-character op matches (case folded both ways), or None."""
    if op == sre_constants.LITERAL:
        found = {data}
    elif op == sre_constants.NOT_LITERAL:
        found = set(universe) - {data}
    elif op == sre_constants.ANY:
        found = set(universe)
    elif op == sre_constants.IN:
        negate = bool(data) and data[0][0] == sre_constants.NEGATE
        found = set()
        for item, value in data[1:] if negate else data:
            if item == sre_constants.LITERAL:
                found.add(value)
            elif item == sre_constants.RANGE:
                found.update(code for code in universe if value[0] <= code <= value[1])
                found.update((value[0], value[1]))
            elif item == sre_constants.CATEGORY and value in _CATEGORIES:
                found.update(code for code in universe if _CATEGORIES[value].match(chr(code)))
            else:
                found.update(universe)
        if negate:
            found = set(universe) - found
    else:
        return None
    # Case-insensitive parts ((?i), (?i:…)) are not tracked: fold every class both ways.
    found |= {ord(chr(code).lower()[0]) for code in found} | {
        ord(chr(code).upper()[0]) for code in found
    }
    return frozenset(found)


def _first_chars(ops, universe: frozenset[int]) -> frozenset[int]:
    """Characters (code points of the sample) a sequence of ops can start with."""
    chars: set[int] = set()
    for op, data in ops:
        if op in _ZERO_WIDTH:
            continue
        first, can_be_empty = _op_first_chars(op, data, universe)
        chars |= first
        if not can_be_empty:
            break
    return frozenset(chars)


def _op_first_chars(op, data, universe) -> tuple[frozenset[int], bool]:
    single = _one_char(op, data, universe)
    if single is not None:
        return single, False
    if op == sre_constants.SUBPATTERN:
        return _first_chars(data[3], universe), _min_width(data[3]) == 0
    if op == sre_constants.ATOMIC_GROUP:
        return _first_chars(data, universe), _min_width(data) == 0
    if op in (*_REPEATS, _POSSESSIVE):
        return _first_chars(data[2], universe), data[0] == 0 or _min_width(data[2]) == 0
    if op == sre_constants.BRANCH:
        chars: set[int] = set()
        empty = False
        for alternative in data[1]:
            chars |= _first_chars(alternative, universe)
            empty = empty or _min_width(alternative) == 0
        return frozenset(chars), empty
    return universe, True  # a back-reference or anything else: assume the worst


def _min_width(ops) -> int:
    if any(op == sre_constants.GROUPREF for op, _data in ops):
        return 0  # a back-reference may be empty; _can_fail counts it as able to fail
    return sre_parse.SubPattern(sre_parse.State(), list(ops)).getwidth()[0]


def _inner_stars(ops):
    """Backtracking unbounded repeats inside ops (not inside possessive repeats or atomic groups)."""
    for op, data in ops:
        if op in _REPEATS:
            if data[1] is sre_constants.MAXREPEAT:
                yield data[2]
            yield from _inner_stars(data[2])
        elif op == sre_constants.SUBPATTERN:
            yield from _inner_stars(data[3])
        elif op == sre_constants.BRANCH:
            for alternative in data[1]:
                yield from _inner_stars(alternative)


def _ambiguous_body(body, universe) -> str | None:
    starts = _first_chars(body, universe)
    for op, data in body:
        if op == sre_constants.SUBPATTERN:
            return _ambiguous_body(data[3], universe)
        if op == sre_constants.BRANCH:
            firsts = [_first_chars(alternative, universe) for alternative in data[1]]
            for i, first in enumerate(firsts):
                for other in firsts[i + 1 :]:
                    if first & other:
                        return "two alternatives of a repeated group start with the same character"
        break
    for star in _inner_stars(body):
        if _first_chars(star, universe) & starts:
            return "a repeated group holds a star over a character the group can start with"
    return None


def _can_fail(rest) -> bool:
    """Whether what follows a repeat can fail, forcing the repeat to backtrack."""
    return any(
        op in _ZERO_WIDTH or op == sre_constants.GROUPREF or _min_width([(op, data)]) > 0
        for op, data in rest
    )


def ambiguous_repetition(pattern: str, flags: int) -> str | None:
    """Rule 2: a repeat whose body splits the same text two ways, followed by something that can fail."""

    def walk(ops, after_can_fail: bool) -> str | None:
        for index, (op, data) in enumerate(ops):
            tail_can_fail = after_can_fail or _can_fail(ops[index + 1 :])
            if op in _REPEATS:
                _minimum, maximum, body = data
                if maximum is sre_constants.MAXREPEAT or maximum > 1:
                    reason = _ambiguous_body(body, universe)
                    if reason and tail_can_fail:
                        return reason
                if found := walk(body, True):
                    return found
            elif op == sre_constants.SUBPATTERN:
                if found := walk(data[3], tail_can_fail):
                    return found
            elif op == sre_constants.BRANCH:
                for alternative in data[1]:
                    if found := walk(alternative, tail_can_fail):
                        return found
        return None

    universe = _universe(pattern)
    return walk(list(sre_parse.parse(pattern, flags)), False)


def scan_restarts_in_run(pattern: str, flags: int) -> str | None:
    """Rule 3: a scanned pattern that starts with an unbounded repeat and can then fail."""
    ops = list(sre_parse.parse(pattern, flags))
    universe = _universe(pattern)
    guard: set[int] = set()  # characters a start may not follow
    while ops:
        op, data = ops[0]
        if op == sre_constants.AT and data == sre_constants.AT_BEGINNING_STRING:
            return None
        if op == sre_constants.AT and data == sre_constants.AT_BEGINNING:
            if not flags & re.M:
                return None
            guard |= universe - {ord("\n")}  # (?m)^ starts only after a newline
        if op == sre_constants.ASSERT_NOT and data[0] < 0:  # a negative look-behind
            guard |= _first_chars(data[1], universe)
        if op == sre_constants.SUBPATTERN:
            ops = list(data[3]) + ops[1:]
        elif op in _ZERO_WIDTH:
            ops = ops[1:]
        else:
            break
    if not ops:
        return None
    op, data = ops[0]
    if op not in (*_REPEATS, _POSSESSIVE) or data[1] is not sre_constants.MAXREPEAT:
        return None
    if not _can_fail(ops[1:]):
        return None
    # Guarded when the look-behind refuses a start after any character of the run.
    if _first_chars(data[2], universe) <= guard:
        return None
    return "a scan starts with an unbounded repeat and is retried at every character of a run"


def problems(pattern: str, flags: int = 0, scanned: bool = True) -> list[str]:
    found = []
    stars = regexploit_stars(pattern, flags)
    if stars > 2:
        degree = "exponential" if stars > 10 else f"O(n^{stars})"
        found.append(f"regexploit: starriness {stars} ({degree})")
    if reason := ambiguous_repetition(pattern, flags):
        found.append(reason)
    if scanned and (reason := scan_restarts_in_run(pattern, flags)):
        found.append(reason)
    return found


# --- the tests --------------------------------------------------------------------------------

PATTERNS, DYNAMIC = collect()


def test_the_check_finds_the_projects_patterns():
    # ~90 re.* calls at the time of writing; a walk that finds few has broken.
    assert len(PATTERNS) > 60
    assert any(p.where.startswith(("faq/normalize.py", "faq/signals.py")) for p in PATTERNS)


@pytest.mark.parametrize(
    "bad",
    [
        r"(a|a)*b",  # exponential: two ways to read every a
        r"\s*\s*x",  # cubic under search
        r"<!DOCTYPE\b(?:[^\[>]|\[.*?\])*>",  # issue 10's _DTD, exponential
        r"err\s*[\"']?\s*(?:[:=])?\s*[\"']?\s*(\d+)",  # issue 10's _KEYWORD_CODE, O(n⁴)
        r"\s*&\s*",  # issue 10's params.py, O(n²) under sub
        r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",  # issue 10's _EMAIL, O(n²)
        r"(?:\w+\s?)+$",  # a classic exponential
        r'([A-Za-z_]+)\s*=\s*(?:"([^"]*)"|([^,\s]*))',  # wechat_v3 _AUTH_FIELD, O(n²) on letters
        r"http\s*(?:status)?\s*[:=]?\s*([1-5]\d\d)",  # normalize _HTTP_STATUS, O(n³)
        r"-----BEGIN ([A-Z ]+?)\s*-----",  # keys _PEM_BLOCK, O(n²) from one start
    ],
)
def test_the_check_flags_known_super_linear_patterns(bad):
    assert problems(bad), bad


@pytest.mark.parametrize(
    "good",
    [
        r"\s+",
        r"[a-z0-9]+(?:_[a-z0-9]+)*",
        r"(?<![A-Za-z0-9])[A-Za-z0-9]{32,}(?![A-Za-z0-9])",
        r"(?<![A-Za-z])err\s*+[\"']?\s*+(?:[:=])?\s*+[\"']?\s*+(\d+)",  # as rewritten
    ],
)
def test_the_check_passes_linear_patterns(good):
    assert problems(good) == [], good


def test_a_possessive_run_still_costs_a_restart_at_every_character():
    # Possessive stops backtracking within one attempt, not the retry at the next position.
    assert problems(r"\s*+&") != []
    assert problems(r"(?<!\s)\s*+&") == []
    assert problems(r"\s*+&", scanned=False) == []


@pytest.mark.parametrize("p", PATTERNS, ids=lambda p: p.where)
def test_every_project_pattern_is_linear(p):
    if p.engine == "re2":
        pytest.skip(f"RE2, linear by construction: {p.pattern!r}")
    found = problems(p.pattern, p.flags, p.scanned)
    assert not found, f"{p.where}: {p.pattern!r} is super-linear: {'; '.join(found)}"


def test_patterns_built_at_run_time_are_known():
    # Read by hand, not by the rules above: the Redactor joins re.escape()d secret values into one
    # alternation of fixed strings (each try costs up to the value's length, so values are capped
    # there). A new pattern built at run time elsewhere must be read and added here.
    assert {d.split(":")[0] for d in DYNAMIC} <= {"diagnostics/core/redaction.py"}, DYNAMIC
