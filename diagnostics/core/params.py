"""Turn whatever a merchant pasted into an ordered list of (name, value) pairs.

Accepted shapes: the XML of a request or notification (CDATA or not), a query string (``a=1&b=2``,
``?``-prefixed, a full URL, a ``weixin://`` bizpayurl), one ``name=value`` per line, a JSON object,
or form fields given as a mapping. Problems in the input (duplicate names, a line without ``=``,
JSON values that are not strings) become findings; only input that cannot be read at all raises
:class:`ParseError`.

>>> parse_params("b=2&a=1").pairs
[('b', '2'), ('a', '1')]
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit
from xml.parsers.expat import ExpatError

import xmltodict

from diagnostics.core.findings import Finding, JsonSyntaxError, ParseError
from diagnostics.core.literals import NotAnObject, read_object
from diagnostics.core.redaction import is_secret_name, normalise_name
from diagnostics.core.text import Message, _, joined, label

# Bounds that keep a hostile paste cheap to reject (billion laughs, deep nesting, huge payloads).
MAX_INPUT_CHARS = 256 * 1024
MAX_PARAMS = 500
MAX_NESTING = 32

FORMAT_LABELS = {
    "xml": "XML",
    "query": "query string",
    "url": "URL",
    "lines": "name=value lines",
    "json": "JSON object",
    "form": "form fields",
    "js_object": "JS object literal",
    "python_dict": "Python dict",
    "java_map": "Java Map.toString()",
    "colon_lines": "name: value lines",
}


@dataclass
class ParsedParams:
    format: str
    pairs: list[tuple[str, str]]
    findings: list[Finding] = field(default_factory=list)
    # A field literally named ``key`` is the merchant's API key pasted with the params (as in the
    # 002 §3.2 example); it is taken out of the params and offered as the key.
    pasted_key: str | None = None
    # Other secret-named fields (mch_key, apiv3_key, paternerKey…: diagnostics.core.redaction): taken
    # out of the params, never signed or shown, and reported.
    secrets: dict[str, str] = field(default_factory=dict)

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS.get(self.format, self.format)

    def get(self, name: str) -> str | None:
        for pair_name, value in self.pairs:
            if pair_name == name:
                return value
        return None


def parse_params(raw: str) -> ParsedParams:
    """Detect the format of ``raw`` and parse it; raise :class:`ParseError` if unreadable."""
    if len(raw) > MAX_INPUT_CHARS:
        raise ParseError(
            "too_large",
            _("输入超过 {size} KiB，请只粘贴一次请求的参数。", size=MAX_INPUT_CHARS // 1024),
        )
    text = raw.lstrip("\ufeff").strip()
    findings: list[Finding] = []
    if raw.lstrip().startswith("\ufeff"):
        findings.append(
            Finding(
                "bom_removed",
                _("输入开头有一个 BOM（U+FEFF），已去掉；签名时它不应出现在任何值里。"),
            )
        )
    if not text:
        raise ParseError(
            "empty", _("没有可解析的参数：请粘贴 XML、query string、name=value 行或 JSON。")
        )
    if text.startswith("<"):
        parsed = _parse_xml(text)
    elif text.startswith("{"):
        parsed = _parse_json_or_literal(text)
    elif text.startswith("["):
        raise ParseError(
            "json_not_object", _("JSON 必须是一个对象 {example}，不是数组。", example="{…}")
        )
    elif re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text):
        parsed = _parse_url(text)
    elif "\n" in text and not _looks_like_single_query(text):
        parsed = _parse_lines(text)
    else:
        parsed = _parse_query(text.removeprefix("?"), "query")
    parsed.findings[:0] = findings
    return _finish(parsed)


def from_mapping(params: Mapping[str, object], fmt: str = "form") -> ParsedParams:
    """Parameters given as a mapping (API ``params`` or form fields); non-strings become findings."""
    parsed = ParsedParams(fmt, [], [])
    for name, value in params.items():
        parsed.pairs.append((str(name), _json_value_as_text(str(name), value, parsed.findings)))
    return _finish(parsed)


def _finish(parsed: ParsedParams) -> ParsedParams:
    if len(parsed.pairs) > MAX_PARAMS:
        raise ParseError(
            "too_many_params", _("参数超过 {count} 个，这不像一次支付请求。", count=MAX_PARAMS)
        )
    parsed.pairs = _resolve_duplicates(parsed.pairs, parsed.findings)
    kept = []
    for name, value in parsed.pairs:
        if normalise_name(name) == "key" and parsed.pasted_key is None:
            parsed.pasted_key = value
            parsed.findings.append(
                Finding(
                    "key_in_params",
                    _(
                        "参数里有一项 key：它是商户 API 密钥，不是参数，已取出作为密钥使用"
                        "（002 §3.2：key 只拼在 stringSignTemp 末尾）。"
                    ),
                    "002 §3.2",
                    name,
                )
            )
        elif is_secret_name(name):
            parsed.secrets[name] = value
            parsed.findings.append(
                Finding(
                    "secret_in_params",
                    _(
                        "参数里有 {name}：名字表明它是密钥。它已从参数里去掉，不参与签名，也不会显示。"
                        "密钥只用来计算签名，绝不能作为参数发送；如果它就是 API 密钥，请填在密钥框里。",
                        name=name,
                    ),
                    "002 §3.2",
                    name,
                )
            )
        else:
            kept.append((name, value))
    parsed.pairs = kept
    if not parsed.pairs:
        raise ParseError("no_params", _("没有找到任何参数（name=value）。"))
    return parsed


def _resolve_duplicates(
    pairs: list[tuple[str, str]], findings: list[Finding]
) -> list[tuple[str, str]]:
    """Keep one value per name (the last, as a map-based SDK would) and report the repeat."""
    counts: dict[str, int] = {}
    for name, _value in pairs:
        counts[name] = counts.get(name, 0) + 1
    if len(counts) == len(pairs):
        return pairs
    for name, count in counts.items():
        if count > 1:
            findings.append(
                Finding(
                    "duplicate_name",
                    _(
                        "参数 {name} 出现了 {count} 次；签名只按最后一个值计算，请确认只发送一次。",
                        name=name,
                        count=count,
                    ),
                    field=name,
                )
            )
    last = {name: index for index, (name, _value) in enumerate(pairs)}
    return [pair for index, pair in enumerate(pairs) if last[pair[0]] == index]


def _looks_like_single_query(text: str) -> bool:
    """A query string that wrapped onto several lines: one ``&`` per line break or more."""
    lines = [line for line in text.splitlines() if line.strip()]
    return text.count("&") >= len(lines) and all("=" in line for line in lines[:1])


def _parse_lines(text: str) -> ParsedParams:
    parsed = ParsedParams("lines", [], [])
    colon_lines = 0
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if colon_pair := _colon_pair(stripped):
            parsed.pairs.append(colon_pair)
            colon_lines += 1
            continue
        if "=" not in stripped:
            parsed.findings.append(
                Finding(
                    "missing_equals",
                    _("第 {number} 行没有“=”，已跳过：{line}", number=number, line=stripped[:60]),
                )
            )
            continue
        name, value = stripped.split("=", 1)
        if name != name.strip():
            parsed.findings.append(
                Finding(
                    "name_whitespace",
                    _("第 {number} 行参数名两边有空格，已去掉。", number=number),
                    field=name.strip(),
                )
            )
        parsed.pairs.append((name.strip(), value))
    if colon_lines and colon_lines == len(parsed.pairs):
        parsed.format = "colon_lines"
    return parsed


def _colon_pair(line: str) -> tuple[str, str] | None:
    """``name: value`` (a log line, YAML, an object's body copied without its braces): the name
    is one word before the first colon, and the colon comes before any ``=``. A value in matching
    quotes and a trailing comma are code around the value, not part of it."""
    name, colon, value = line.partition(":")
    if not colon or "=" in name:
        return None
    name = name.strip().strip("'\"")
    if not name or not all(char.isalnum() or char in "_-." for char in name):
        return None
    value = value.strip()
    if value.endswith(","):
        value = value[:-1].rstrip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return name, value


def _parse_query(query: str, fmt: str) -> ParsedParams:
    parsed = ParsedParams(fmt, [], [])
    decoded: list[str] = []
    for piece in query.replace("\r", "").replace("\n", "").split("&"):
        if not piece:
            continue
        if "=" not in piece:
            parsed.findings.append(
                Finding(
                    "missing_equals",
                    _("“{piece}”没有“=”，已跳过。", piece=piece[:60]),
                    field=piece[:32],
                )
            )
            continue
        name, value = piece.split("=", 1)
        plain = unquote(value)
        if plain != value:
            decoded.append(name)
        parsed.pairs.append((unquote(name).strip(), plain))
    if decoded:
        parsed.findings.append(
            Finding(
                "values_percent_decoded",
                _(
                    "这些值在 query 里做过 urlencode，已按原值解码后参与签名（签名用原值，传输才编码）："
                    "{names}",
                    names=joined(_("、"), decoded),
                ),
                "000 #2; 002 §4.11",
            )
        )
    return parsed


def split_url(text: str) -> SplitResult:
    """``urlsplit`` for pasted text: a malformed URL is a ParseError, not a ValueError."""
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ParseError("url_malformed", _("URL 格式不正确：{url}", url=text[:80])) from None
    return parts


def _parse_url(text: str) -> ParsedParams:
    # Documents and chat tools break URLs around "&" (002 §2.2.2 prints "XXXXXX &time_stamp").
    # Split and strip, not re.sub(r"\s*&\s*"): that retries every space of a long run (O(n²)).
    parts = split_url("&".join(part.strip() for part in text.strip().split("&")))
    if not parts.query:
        raise ParseError("url_without_query", _("这个 URL 没有 ? 后面的参数部分。"))
    return _parse_query(parts.query, "url")


def _parse_xml(text: str) -> ParsedParams:
    # Refuse DTDs before expat sees them: no entity is ever expanded (billion laughs, XXE).
    if re.search(r"<!\s*(DOCTYPE|ENTITY)", text, re.IGNORECASE):
        raise ParseError(
            "xml_dtd_refused",
            _("XML 里有 DOCTYPE 或实体声明，出于安全考虑不解析；支付接口的 XML 不需要它们。"),
        )
    # Each param is two tags and perhaps a CDATA section: past that, not one request, and not
    # worth building (xmltodict costs microseconds per element).
    if text.count("<") > 4 * MAX_PARAMS:
        raise ParseError(
            "too_many_params", _("参数超过 {count} 个，这不像一次支付请求。", count=MAX_PARAMS)
        )
    try:
        document = xmltodict.parse(text, disable_entities=True, strip_whitespace=False)
    except ExpatError as error:
        raise ParseError(
            "xml_malformed", _("XML 格式不正确（第 {line} 行附近）。", line=error.lineno)
        ) from None
    if not isinstance(document, dict) or len(document) != 1:
        raise ParseError("xml_malformed", _("XML 应该只有一个根元素，例如 <xml>…</xml>。"))
    ((root_name, root),) = document.items()
    parsed = ParsedParams("xml", [], [])
    if root_name != "xml":
        parsed.findings.append(
            Finding(
                "xml_root",
                _("根元素是 <{root}>，微信支付 V2 的根元素是 <xml>。", root=root_name),
                "002 §3.3",
            )
        )
    if not isinstance(root, dict):
        raise ParseError("no_params", _("XML 根元素里没有参数元素。"))
    for name, value in root.items():
        if name.startswith("@") or name == "#text":  # attributes, text between the elements
            continue
        values = value if isinstance(value, list) else [value]
        for item in values:
            parsed.pairs.append((name, _xml_value_as_text(name, item, parsed.findings)))
    return parsed


def _xml_value_as_text(name: str, value: object, findings: list[Finding]) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    findings.append(
        Finding(
            "nested_value",
            _("<{name}> 里面还有子元素；V2 的参数都是文本，已按空值处理。", name=name),
            "002 §7.3 (2)",
            name,
        )
    )
    return ""


def load_json(
    text: str, *, object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None = None
) -> Any:
    """``json.loads`` for pasted text, bounded: every failure is a ParseError, never a crash.

    The nesting is measured on the text before decoding (json recurses once per level), numbers
    too long for Python and NaN / Infinity are refused.
    """
    if nested_deeper_than(text, MAX_NESTING):
        raise ParseError("json_too_deep", _("JSON 嵌套超过 {depth} 层。", depth=MAX_NESTING))
    try:
        value = json.loads(
            text, object_pairs_hook=object_pairs_hook, parse_constant=_refuse_constant
        )
    except RecursionError:
        raise ParseError(
            "json_too_deep", _("JSON 嵌套超过 {depth} 层。", depth=MAX_NESTING)
        ) from None
    except json.JSONDecodeError as error:
        raise JsonSyntaxError(
            "json_malformed",
            _(
                "JSON 格式不正确（第 {line} 行第 {column} 列）：{reason}",
                line=error.lineno,
                column=error.colno,
                reason=_json_error_in_words(error.msg),
            ),
        ) from None
    except ValueError:  # an integer longer than Python converts (4300 digits), NaN, Infinity
        raise ParseError(
            "json_malformed", _("JSON 里有无法读取的数值（太长的整数、NaN 或 Infinity）。")
        ) from None
    if _MAY_HOLD_SURROGATE.search(text) and has_lone_surrogate(value):
        raise ParseError(
            "invalid_text", _("JSON 里有无效的 Unicode 字符（孤立的代理项 \\uD800–\\uDFFF）。")
        )
    return value


# json's messages, said as what to change (never the library's English text).
_JSON_ERRORS = (
    (
        "Expecting property name",
        _("参数名要用双引号括起来；JSON 不接受单引号、不带引号的名字，也不接受最后多一个逗号。"),
    ),
    ("Expecting value", _("这里缺一个值：可能多了一个逗号，或者文字值没有加双引号。")),
    ("Expecting ',' delimiter", _('两项之间缺一个逗号，或者字符串里的双引号没有转义（\\"）。')),
    ("Expecting ':' delimiter", _("参数名后面缺冒号。")),
    ("Unterminated string", _("字符串缺少结尾的双引号：可能复制不完整。")),
    ("Extra data", _("对象结束的 } 之后还有多余的内容：一次只粘贴一个 JSON 对象。")),
    ("Invalid control character", _("字符串里有未转义的换行或制表符：要写成 \\n 或 \\t。")),
    ("Invalid \\escape", _("字符串里有无效的反斜杠转义。")),
)


def _json_error_in_words(reason: str) -> Message:
    for start, words in _JSON_ERRORS:
        if reason.startswith(start):
            return words
    return _("请检查括号、引号和逗号是否成对、完整。")


def has_lone_surrogate(value: object) -> bool:
    """True when a string anywhere in ``value`` holds half of a UTF-16 pair (it cannot be encoded)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, Mapping):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


_SURROGATE = re.compile("[\ud800-\udfff]")
# Decoded JSON holds a surrogate only if the text has one, or a \uD800–\uDFFF escape.
_MAY_HOLD_SURROGATE = re.compile(r"[\ud800-\udfff]|\\u[dD][89a-fA-F]")


def _refuse_constant(name: str) -> object:
    raise ValueError(name)


def nested_deeper_than(text: str, limit: int) -> bool:
    """Whether {…} / […] nest deeper than ``limit`` outside strings (measured without recursion).

    >>> nested_deeper_than('{"a": [1, {"b": "[[[["}]}', 3), nested_deeper_than("[[[[]]]]", 3)
    (False, True)
    """
    if text.count("{") + text.count("[") <= limit:
        return False  # not enough brackets to nest that deep
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "}]":
            depth -= 1
    return deepest > limit


def nesting_depth(value: object) -> int:
    """Nesting depth of decoded containers, without recursion (a caller may pass any object)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if level > deepest:
            deepest = level
        if isinstance(item, Mapping):
            stack.extend((child, level + 1) for child in item.values())
        elif isinstance(item, list | tuple):
            stack.extend(
                (child[1] if isinstance(item, _PairList) else child, level + 1) for child in item
            )
    return deepest


def _parse_json_or_literal(text: str) -> ParsedParams:
    """JSON; or, when it is not JSON, an object copied from code (diagnostics.core.literals)."""
    try:
        return _parse_json(text)
    except JsonSyntaxError as error:
        try:
            kind, pairs, code_values = read_object(text)
        except NotAnObject:
            raise error from None
    parsed = ParsedParams(kind, pairs, [])
    parsed.findings.append(
        Finding(
            "not_json",
            _(
                "这不是 JSON，而是 {label}：已按它读出 {count} 个参数。"
                "发给微信支付的请求里，参数要按接口要求的格式（XML 或 JSON）原样发送。",
                label=label(FORMAT_LABELS[kind]),
                count=len(pairs),
            ),
        )
    )
    for name in code_values:
        parsed.findings.append(
            Finding(
                "value_is_code",
                _(
                    "{name} 的值不是字面量，而是代码（变量或表达式）：签名用的是它运行时的值，"
                    "请粘贴那个值。",
                    name=name,
                ),
                field=name,
            )
        )
    return parsed


def _parse_json(text: str) -> ParsedParams:
    pairs = load_json(text, object_pairs_hook=_PairList)
    if not isinstance(pairs, _PairList):
        raise ParseError("json_not_object", _("JSON 必须是一个对象 {example}。", example="{…}"))
    parsed = ParsedParams("json", [], [])
    for name, value in pairs:
        parsed.pairs.append((name, _json_value_as_text(name, value, parsed.findings)))
    return parsed


class _PairList(list):
    """JSON object kept as its (name, value) pairs, so order and duplicates survive."""


def _json_value_as_text(name: str, value: object, findings: list[Finding]) -> str:
    """The text a JSON value would have in the signed string, reporting every non-string."""
    if isinstance(value, str):
        return value
    if value is None:
        findings.append(
            Finding(
                "null_value",
                _("{name} 是 null，按空值处理（空值不参与签名）。", name=name),
                "002 §3.2",
                name,
            )
        )
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
        kind = _("布尔值")
    elif isinstance(value, int | float):
        text = json.dumps(value)
        kind = _("数字")
    else:
        text = json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":"))
        kind = _("对象或数组")
    findings.append(
        Finding(
            "non_string_value",
            _(
                "{name} 是{kind}而不是字符串，已按 {text} 参与签名；"
                "所有参数都应是字符串（时间戳尤其如此）。",
                name=name,
                kind=kind,
                text=text[:40],
            ),
            "002 §7.3 (2); 000 #2",
            name,
        )
    )
    return text


def _plain(value: object) -> object:
    if isinstance(value, _PairList):
        return {name: _plain(item) for name, item in value}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def yuan_to_fen(yuan: str) -> str | None:
    """An amount written in yuan as the whole number of fen it should have been, or None.

    Amounts in every document here are integers of fen (002 §4.1, 001, 004); merchants write
    yuan. None for anything that is not a plain decimal, or absurdly long.

    >>> yuan_to_fen("0.01"), yuan_to_fen("113.5"), yuan_to_fen("1²")
    ('1', '11350', None)
    """
    match = re.fullmatch(r"([0-9]{0,15})(?:\.([0-9]{1,15}))?", yuan.strip())
    if not match or not (match.group(1) or match.group(2)):
        return None
    whole, fraction = match.group(1) or "0", match.group(2) or ""
    return str(int(whole) * 100 + int((fraction + "00")[:2]))


def pairs_to_lines(pairs: Iterable[tuple[str, str]]) -> str:
    """The ``name=value`` lines form of pairs, for pre-filling a form."""
    return "\n".join(f"{name}={value}" for name, value in pairs)
