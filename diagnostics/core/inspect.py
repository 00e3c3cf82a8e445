"""Paste anything: find each thing a merchant pasted, say what it is, and where to take it.

The text is read once, left to right: each start marker (a PEM line, a ``curl`` command, an HTTP
start line, ``<xml>``, a ``{``, a ``Wechatpay-*`` header, a query string, a stack trace line) is
handed to a real parser for its kind (``shlex``, ``http.client.parse_headers``, ``json``, the
project's XML / query / literal readers); what parses becomes a part, what lies between parts is
read as name=value lines, error text or chat. Each part is routed by workbench *name* (this module
imports no platform): the page, and the values its form takes. Secret values never go in those
values; the secrets the paste holds are kept apart (``Part.secrets``) for the one request that runs
the page, and only their field names are shown.

>>> [p.kind for p in inspect("<xml><return_code>FAIL</return_code><return_msg>签名错误</return_msg></xml>").parts]
['wechat_v2_reply']
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.inspect_http import (
    classify_http,
    classify_wechatpay_headers,
    parse_curl,
    parse_http,
)
from diagnostics.core.inspect_parts import (
    TAKES_PUBLIC_KEY,
    Reading,
    classify_object,
    classify_pairs,
    classify_pem,
    notification_reading,
    page_secrets,
    pem_block,
    read_object_text,
)
from diagnostics.core.inspect_text import classify_loose, classify_trace, trace_regions
from diagnostics.core.params import MAX_INPUT_CHARS, MAX_PARAMS, parse_params
from diagnostics.core.redaction import Redactor, find_secrets, is_secret_name, normalise_name
from diagnostics.core.text import Message, _

MAX_PARTS = 20
MIN_CHARS = 3
MAX_CURL_LINES = 200
MAX_CURL_CHARS = 64 * 1024

KINDS = (
    "wechat_v2_request",
    "wechat_v2_reply",
    "wechat_v2_notification",
    "wechat_v2_refund_notification",
    "pay_call",
    "payscore_jump",
    "wechat_v3_request",
    "wechat_v3_response",
    "wechat_v3_body",
    "wechat_v3_401",
    "wechat_v3_error",
    "wechat_v3_notification",
    "wechatpay_headers",
    "pem",
    "wechat_v3_certificates",
    "merchant_config",
    "baidu_order_info",
    "baidu_callback",
    "error_text",
    "stack_trace",
)


@dataclass
class Part:
    kind: str
    platform: str
    span: tuple[int, int]
    summary: Message
    page: str
    fields: dict[str, str]
    confidence: str  # certain | likely | unsure
    alternatives: list[dict[str, Any]] = field(default_factory=list)
    # Values for the target form's secret-named fields: used by the request that runs the page,
    # never shown, never serialised (to_dict lists their names only).
    secrets: dict[str, str] = field(default_factory=dict, repr=False)
    ready: bool = True  # the page can compute with what the paste holds
    taken: bool = False  # a PEM block the part beside it takes as its key or certificate

    def secrets_for(self, alternative: int | None) -> dict[str, str]:
        """The secret values to post to the page (``_public`` marks a use, it is no field)."""
        chosen = self.secrets if alternative is None else self.alternatives[alternative]["secrets"]
        return {name: value for name, value in chosen.items() if not name.startswith("_")}

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "platform": self.platform,
            "span": list(self.span),
            "summary": str(self.summary),
            "route": {
                "page": self.page,
                "fields": dict(self.fields),
                "secret_fields": sorted(self.secrets_for(None)),
            },
            "confidence": self.confidence,
            "alternatives": [
                {
                    "kind": alternative["kind"],
                    "platform": alternative["platform"],
                    "summary": str(alternative["summary"]),
                    "route": {
                        "page": alternative["page"],
                        "fields": dict(alternative["fields"]),
                        "secret_fields": sorted(self.secrets_for(index)),
                    },
                }
                for index, alternative in enumerate(self.alternatives)
            ],
        }


@dataclass
class Inspection:
    text: str
    parts: list[Part]
    findings: list[Finding]


# One pass finds every place something may start; each is tried once, in order.
_MARKERS = re.compile(
    r"(?P<pem>-----BEGIN [A-Z0-9 ]{1,40}-----)"
    r"|(?P<curl>(?<![\w-])curl\s+(?=\S))"
    r"|(?P<request>(?m:^)[ \t>]*(?:GET|POST|PUT|PATCH|DELETE|HEAD) +[^\s]{1,2048} +HTTP/[\d.]{1,3}[ \t]*\r?$)"
    r"|(?P<response>(?m:^)[ \t>]*HTTP/[\d.]{1,3} +\d{3}\b)"
    r"|(?P<xml><xml[\s>]|<\?xml\b)"
    r"|(?P<escaped>\"\{\\\")"  # a JSON body logged as a string: "{\"code\":…}"
    r"|(?P<object>\{)"
    r"|(?P<headers>(?m:^)[ \t>]*[Ww]echat[Pp]ay-(?i:timestamp|nonce|signature|serial)[ \t]*:)"
    r"|(?P<query>(?<![\w&%/?=.-])[A-Za-z_][\w.]{0,40}=[^&\s]{0,4096}&[A-Za-z_][\w.]{0,40}=)",
    re.MULTILINE,
)


# Starts of a part (a "{", "<xml>", "curl", …) that did not read as one, before the rest is left.
MAX_FAILED_STARTS = 2000


def inspect(text: str) -> Inspection:
    """Every part of ``text``, in order. Raises ParseError for an empty or oversized text."""
    if len(text) > MAX_INPUT_CHARS:
        raise ParseError(
            "too_large",
            _(
                "粘贴的内容超过 {size} KiB，请只粘贴一次请求或一段日志。",
                size=MAX_INPUT_CHARS // 1024,
            ),
        )
    if len(text.strip()) < MIN_CHARS:  # nothing to recognise, nor to diagnose
        raise ParseError("empty", _("请粘贴点什么：请求、应答、通知、密钥、报错或日志。"))
    braces = _matching_braces(text)
    traces = trace_regions(text)
    readings: list[Reading] = []
    findings: list[Finding] = []
    position = 0
    loose_from = 0
    skip_until = {"xml": 0, "query": 0, "curl": 0}
    failed = 0
    for match in _MARKERS.finditer(text):
        if match.start() < position or match.start() < skip_until.get(match.lastgroup or "", 0):
            continue
        if traces and traces[0][0] <= match.start():
            trace_start, trace_end = traces.pop(0)
            if trace_start >= position:
                readings.extend(classify_loose(text, loose_from, trace_start))
                readings.append(classify_trace(text, trace_start, trace_end))
                position = loose_from = trace_end
            if match.start() < position:
                continue
        if len(readings) >= MAX_PARTS:
            findings.append(
                Finding(
                    "too_many_parts",
                    _("只读了前 {count} 段；请分开粘贴其余内容。", count=MAX_PARTS),
                )
            )
            break
        reading = _read_at(text, match, braces)
        if reading is None:
            failed += 1
            if failed > MAX_FAILED_STARTS:
                # A paste of nothing but openers ("{{{{…", "a=b&a=b&…") would be tried at each
                # one: past this many, the rest is left unread and the page says so.
                findings.append(
                    Finding(
                        "too_many_starts",
                        _("后面的内容太像一串残缺的报文，没有继续读；请只粘贴一次请求或一段日志。"),
                    )
                )
                break
            if match.lastgroup in skip_until:
                # What a failed read spanned is not read again from inside (linear time).
                skip_until[match.lastgroup] = _run_end(text, match)
            continue
        readings.extend(classify_loose(text, loose_from, reading.span[0]))
        readings.append(reading)
        position = loose_from = reading.span[1]
    else:
        for trace_start, trace_end in traces:
            if trace_start >= position:
                readings.extend(classify_loose(text, loose_from, trace_start))
                readings.append(classify_trace(text, trace_start, trace_end))
                position = loose_from = trace_end
        readings.extend(classify_loose(text, loose_from, len(text)))
    readings.sort(key=lambda item: item.span[0])
    readings = _joined(text, readings)[:MAX_PARTS]
    if not readings:
        readings = [classify_loose(text, 0, len(text), fallback=True)[0]]
    return Inspection(text, _finish(text, readings), findings)


def _read_at(text: str, match: re.Match[str], braces: dict[int, int]) -> Reading | None:
    kind = match.lastgroup
    start = match.start()
    if kind == "pem":
        return classify_pem(text, start)
    if kind == "curl":
        return _read_curl(text, start)
    if kind in ("request", "response"):
        message = parse_http(text, start)
        return classify_http(text, message) if message else None
    if kind == "xml":
        end = text.find("</xml>", start)
        if end < 0:
            return None
        end += len("</xml>")
        return _read_params(text, start, end)
    if kind == "object":
        end = braces.get(start)
        if end is None:
            return None
        return classify_object(text, start, end + 1, read_object_text(text[start : end + 1]))
    if kind == "escaped":
        return _read_escaped(text, start)
    if kind == "headers":
        line_start = text.rfind("\n", 0, start) + 1
        return classify_wechatpay_headers(text, line_start)
    if kind == "query":
        end = _NON_SPACE.match(text, start).end()  # type: ignore[union-attr]
        if text.count("&", start, end) >= MAX_PARAMS:
            return None  # parse_params refuses it too, after reading every pair
        return _read_params(text, start, end)
    return None


def _run_end(text: str, match: re.Match[str]) -> int:
    if match.lastgroup == "xml":
        end = text.find("</xml>", match.start())
        return len(text) if end < 0 else end
    if match.lastgroup == "curl":  # a "curl" inside a command that did not read is no command
        end = text.find("\n", match.start())
        return len(text) if end < 0 else end
    return _NON_SPACE.match(text, match.start()).end()  # type: ignore[union-attr]


def _read_escaped(text: str, start: int) -> Reading | None:
    """A JSON object logged as a JSON string: the string's end is its first unescaped quote on
    the line; its value is read as the object."""
    end = start + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    while end < line_end and text[end] != '"':
        end += 2 if text[end] == "\\" else 1
    if end >= line_end:
        return None
    try:
        inner = json.loads(text[start : end + 1])
    except ValueError:
        return None
    if not isinstance(inner, str):
        return None
    return classify_object(text, start, end + 1, read_object_text(inner), inner)


def _read_params(text: str, start: int, end: int) -> Reading | None:
    try:
        parsed = parse_params(text[start:end])
    except ParseError:
        return None
    return classify_pairs(text, start, end, parsed.pairs, parsed)


def _read_curl(text: str, start: int) -> Reading | None:
    """A curl command: its line, the lines its trailing backslashes continue, and the lines an
    open quote (a multi-line -d body) runs over — read by shlex, as a shell would."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    for _line in range(MAX_CURL_LINES):
        if end - start > MAX_CURL_CHARS:
            return None  # shlex reads a character at a time: no command is this long
        command = text[start:end]
        if not command.rstrip().endswith(("\\", "^")):
            request = parse_curl(command)
            if request is not None:
                return classify_http(text, request.at(start, end))
        if end >= len(text):
            return None
        following = text.find("\n", end + 1)
        end = len(text) if following < 0 else following
    return None


_BRACE_EVENTS = re.compile(r'[{}"\\\n]')
_NON_SPACE = re.compile(r"\S*")


def _matching_braces(text: str) -> dict[int, int]:
    """Each ``{``'s matching ``}``, in one pass over the characters that matter; braces inside
    double-quoted strings do not count (a string ends at its line's end, so one stray quote
    spoils one line only)."""
    matches: dict[int, int] = {}
    stack: list[int] = []
    in_string = False
    escaped_at = -1  # the character a backslash in a string escapes
    for event in _BRACE_EVENTS.finditer(text):
        index, char = event.start(), event.group()
        if in_string:
            if index == escaped_at:
                continue
            if char == "\\":
                escaped_at = index + 1
            elif char == '"' or char == "\n":
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            if len(stack) < 64:
                stack.append(index)
        elif char == "}" and stack:
            matches[stack.pop()] = index
    return matches


def _joined(text: str, readings: list[Reading]) -> list[Reading]:
    """A Wechatpay-* header block and the JSON just after it are one response or notification."""
    joined: list[Reading] = []
    for reading in readings:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.kind == "wechatpay_headers"
            and "body" not in previous.fields
            and reading.body_text is not None
            and not text[previous.span[1] : reading.span[0]].strip(" \t\r\n`")
        ):
            span = (previous.span[0], reading.span[1])
            if reading.kind == "wechat_v3_notification":
                value = read_object_text(reading.body_text)
                joined[-1] = notification_reading(span, value, reading.body_text, previous.fields)
                continue
            previous.fields["body"] = reading.body_text
            previous.span = span
            previous.summary = _("带 Wechatpay-* 头的应答或通知：去验签（正文就是后面这段 JSON）。")
            continue
        if (
            previous is not None
            and previous.kind == "wechat_v3_request"
            and reading.kind == "wechat_v3_401"
            and previous.alternatives
        ):
            # The request and the 401 it got: the comparison also gets what was sent.
            sent = previous.alternatives[0]["fields"]
            reading.fields = {**sent, **reading.fields}
        joined.append(reading)
    return joined


def _finish(text: str, readings: list[Reading]) -> list[Part]:
    """Parts with their values cleared of secrets, and the paste's secrets kept apart for the
    fields that take them. A reading whose page cannot finish with what the paste holds, while
    another of its pages can, leads with that one; a PEM block another part takes is marked so."""
    redactor = Redactor()
    redactor.learn(text)
    secrets = _secrets(text)
    parts = []
    taken: set[str] = set()
    for reading in readings:
        routes = [_route(reading.as_alternative(), reading.secrets, secrets, redactor)] + [
            _route(alternative, {}, secrets, redactor) for alternative in reading.alternatives
        ]
        if not routes[0]["ready"] and (ready := next((r for r in routes if r["ready"]), None)):
            routes.remove(ready)
            routes.insert(0, ready)
        first = routes[0]
        if reading.kind != "pem":
            taken.update(name for name in first["secrets"] if name in ("private_key", "_public"))
        parts.append(
            Part(
                reading.kind,
                first["platform"],
                reading.span,
                reading.summary,
                first["page"],
                first["fields"],
                reading.confidence,
                routes[1:],
                first["secrets"],
                ready=first["ready"],
            )
        )
    for part in parts:
        # A PEM block the part beside it uses (a certificate to verify with, the private key to
        # sign with) is that part's input, not a destination of its own.
        block = text[part.span[0] : part.span[1]]
        part.taken = part.kind == "pem" and any(secrets.get(name, "\0") in block for name in taken)
    return parts


def _route(
    reading: dict[str, Any], own: dict[str, str], secrets: dict[str, str], redactor: Redactor
) -> dict[str, Any]:
    """One page a reading may go to: its public values, the paste's secrets for that page's
    secret fields (and ``_public`` for a page that verifies), and whether it can compute."""
    page = reading["page"]
    values = _public_values(reading["fields"], redactor)
    found = {name: value for name, value in own.items() if value}
    for name in page_secrets(page):
        if name in secrets and name not in found:
            found[name] = secrets[name]
    if page in TAKES_PUBLIC_KEY and "public_key" not in values and secrets.get("_public"):
        values["public_key"] = secrets["_public"]
        found["_public"] = ""  # used (for the PEM part's sake), never posted under this name
    needs = reading.get("needs", "")
    return {
        **reading,
        "fields": values,
        "secrets": found,
        "ready": not needs or needs in found or needs in values,
    }


def straight(parts: list[Part]) -> Part | None:
    """The part a post goes straight to: the only one (PEM blocks it takes aside), not unsure,
    and either with one page only or able to compute on its first page."""
    main = [part for part in parts if not part.taken]
    if len(main) != 1 or main[0].confidence == "unsure":
        return None
    return main[0] if main[0].ready or not main[0].alternatives else None


def _public_values(values: dict[str, str], redactor: Redactor) -> dict[str, str]:
    return {
        name: redactor.text(value) for name, value in values.items() if not is_secret_name(name)
    }


# The secret-named fields the workbenches take, by the names merchants give them.
_V2_KEY_NAMES = {"key", "mchkey", "apikey", "paternerkey", "partnerkey", "wxpaykey", "paykey"}
_V3_KEY_NAMES = {"apiv3key", "v3key", "apikeyv3", "aeskey"}


def _secrets(text: str) -> dict[str, str]:
    """The paste's secrets by the workbench field they fill: ``key`` (the V2 API key),
    ``apiv3_key``, ``private_key`` (PEM private key blocks); and ``_public``, the first
    certificate or public key (not secret: a verifying page may take it)."""
    found: dict[str, str] = {}
    private_blocks = []
    for item in find_secrets(text):
        value = text[item.start : item.end]
        name = normalise_name(item.name)
        if not item.name and "PRIVATE KEY" in value[:64]:
            private_blocks.append(value)
        elif name in _V3_KEY_NAMES or name.endswith("apiv3key"):
            found.setdefault("apiv3_key", value.strip("\"' "))
        elif name in _V2_KEY_NAMES:
            found.setdefault("key", value.strip("\"' "))
    if private_blocks:
        found["private_key"] = "\n".join(private_blocks)
    for begin in itertools.islice(_PUBLIC_BEGIN.finditer(text), MAX_PARTS):
        block = pem_block(text, begin.start())
        if block is not None:
            found["_public"] = text[begin.start() : block[1]]
            break
    return found


_PUBLIC_BEGIN = re.compile(r"-----BEGIN (?:CERTIFICATE|PUBLIC KEY)-----")
