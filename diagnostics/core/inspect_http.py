"""Raw HTTP messages and ``curl`` command lines for diagnostics.core.inspect: read with
``http.client.parse_headers`` and ``shlex``, then classified by their headers and body."""

from __future__ import annotations

import http.client
import io
import json
import re
import shlex
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from diagnostics.core.findings import ParseError
from diagnostics.core.inspect_parts import (
    Reading,
    alternative,
    classify_object,
    classify_pairs,
    notification_reading,
    read_object_text,
)
from diagnostics.core.params import parse_params
from diagnostics.core.text import _

# --- HTTP messages


@dataclass
class HttpMessage:
    start: int
    end: int
    method: str = ""  # empty for a response
    target: str = ""
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    body_start: int = -1

    def at(self, start: int, end: int) -> HttpMessage:
        self.start, self.end = start, end
        return self

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    @property
    def url(self) -> str:
        if self.target.startswith("/") and self.header("host"):
            return "https://" + self.header("host") + self.target
        return self.target


MAX_HEADER_LINES = 100
# Where a message's head ends: the first blank line (spaces allowed), or the end of the paste.
BLANK_LINE_OR_END = re.compile(r"\r?\n[ \t]*+\r?\n|\Z")
_START_LINE = re.compile(
    r"[ \t>]*(?:(?P<method>GET|POST|PUT|PATCH|DELETE|HEAD) +(?P<target>\S+) +HTTP/[\d.]+"
    r"|HTTP/[\d.]+ +(?P<status>\d{3})[^\n]*)[ \t]*\r?(?:\n|$)"
)


def parse_http(text: str, start: int) -> HttpMessage | None:
    """A raw HTTP request or response at ``start``: the start line, headers read by
    ``http.client.parse_headers`` (at most 100, as the standard library allows), and the body up
    to the next blank-line gap followed by another message, or a balanced JSON/XML body."""
    line_start = text.rfind("\n", 0, start) + 1
    head = _START_LINE.match(text, line_start)
    if head is None:
        return None
    # http.client reads at most 100 header lines: the head is looked for no further, so a paste
    # of start lines costs each one a bounded read.
    limit = head.end()
    for _line in range(MAX_HEADER_LINES):
        limit = text.find("\n", limit + 1)
        if limit < 0:
            limit = len(text)
            break
    headers_end = BLANK_LINE_OR_END.search(text, head.end(), limit + 1)
    if headers_end is None:
        return None  # more lines than a head holds, and no blank line: not one message
    block = text[head.end() : headers_end.start()]
    try:
        parsed = http.client.parse_headers(io.BytesIO((block + "\r\n\r\n").encode("utf-8")))
    except (http.client.HTTPException, UnicodeError):
        return None
    headers = {name.lower(): value.strip() for name, value in parsed.items()}
    message = HttpMessage(
        line_start,
        headers_end.end(),
        method=head.group("method") or "",
        target=head.group("target") or "",
        status=int(head.group("status") or 0),
        headers=headers,
    )
    body_from = headers_end.end()
    body_end = _body_end(text, body_from)
    if body_end > body_from:
        message.body = text[body_from:body_end].strip()
        message.body_start = body_from
        message.end = body_end
    else:
        message.end = headers_end.start()
    return message


def _body_end(text: str, start: int) -> int:
    """Where a body that starts at ``start`` ends: its JSON object or XML root's end, or the next
    blank line."""
    stripped = len(text) - len(text[start:].lstrip())
    if stripped >= len(text):
        return start
    first = text[stripped]
    if first == "{":
        try:
            _value, end = json.JSONDecoder().raw_decode(text, stripped)
            return end
        except ValueError:
            pass
    if text.startswith("<xml", stripped):
        end = text.find("</xml>", stripped)
        if end >= 0:
            return end + len("</xml>")
    if _START_LINE.match(text, stripped):
        return start
    gap = BLANK_LINE_OR_END.search(text, stripped)
    assert gap is not None
    return gap.start()


_CURL_DATA = {"-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--json"}


def parse_curl(command: str) -> HttpMessage | None:
    """A curl command line, split as a POSIX shell splits it (``shlex``); None while a quote is
    still open (the caller reads one more line)."""
    joined = re.sub(r"\\\r?\n", " ", command.strip())
    try:
        words = shlex.split(joined)
    except ValueError:
        return None
    if not words or words[0] != "curl":
        return None
    message = HttpMessage(0, 0)
    bodies = []
    words_iter = iter(words[1:])
    for word in words_iter:
        if word in ("-X", "--request"):
            message.method = next(words_iter, "").upper()
        elif word in ("-H", "--header"):
            name, _colon, value = next(words_iter, "").partition(":")
            message.headers[name.strip().lower()] = value.strip()
        elif word in _CURL_DATA:
            bodies.append(next(words_iter, ""))
        elif word == "--url":
            message.target = next(words_iter, "")
        elif word.startswith(("http://", "https://")) and not message.target:
            message.target = word
        elif word.startswith("-H") and len(word) > 2:
            name, _colon, value = word[2:].partition(":")
            message.headers[name.strip().lower()] = value.strip()
    message.method = message.method or ("POST" if bodies else "GET")
    message.body = "&".join(bodies)
    return message if message.target or message.headers else None


def classify_http(text: str, message: HttpMessage) -> Reading | None:
    span = (message.start, message.end)
    body = message.body
    authorization = message.header("authorization")
    signature = message.header("wechatpay-signature")
    if message.method and authorization.upper().startswith("WECHATPAY2-"):
        auth = dict(re.findall(r'(?<!\w)(\w{1,64})="([^"]*+)"', authorization))
        path = urlsplit(message.url)
        return Reading(
            "wechat_v3_request",
            "wechat_v3",
            span,
            _("APIv3 请求（带 Authorization 头）：检查 Authorization，并对照请求签名。"),
            "wechat_v3:authorization",
            {
                "authorization": authorization,
                "method": message.method,
                "url": message.url,
                "body": body,
            },
            alternatives=[
                alternative(
                    "wechat_v3_request",
                    "wechat_v3",
                    _("用商户私钥重新计算这个请求的签名。"),
                    "wechat_v3:sign",
                    method=message.method,
                    url=(path.path + ("?" + path.query if path.query else "")) or message.url,
                    timestamp=auth.get("timestamp", ""),
                    nonce=auth.get("nonce_str", ""),
                    body=body,
                    mchid=auth.get("mchid", ""),
                    serial_no=auth.get("serial_no", ""),
                )
            ],
        )
    if signature:
        if message.method and '"resource"' in body:
            value = read_object_text(body)
            headers = _verify_fields(message.headers, "")
            return notification_reading(span, value, body, headers)
        return Reading(
            "wechat_v3_response",
            "wechat_v3",
            span,
            _("带 Wechatpay-* 头的 APIv3 应答：去验签。"),
            "wechat_v3:verify",
            _verify_fields(message.headers, body),
        )
    if body:
        inner = _classify_body(text, message)
        if inner is not None:
            inner.span = span
            return inner
    return None


def _verify_fields(headers: dict[str, str], body: str) -> dict[str, str]:
    fields = {
        "timestamp": headers.get("wechatpay-timestamp", ""),
        "nonce": headers.get("wechatpay-nonce", ""),
        "signature": headers.get("wechatpay-signature", ""),
        "serial": headers.get("wechatpay-serial", ""),
    }
    if body:
        fields["body"] = body
    return fields


def _classify_body(text: str, message: HttpMessage) -> Reading | None:
    start = message.body_start if message.body_start >= 0 else message.start
    body = message.body
    if body.startswith("{"):
        return classify_object(text, start, start + len(body), read_object_text(body), body)
    try:
        parsed = parse_params(body)
    except ParseError:
        return None
    return classify_pairs(text, start, start + len(body), parsed.pairs, parsed, body)


MAX_HEADER_LINES = 50


def classify_wechatpay_headers(text: str, start: int) -> Reading | None:
    """A block of ``Wechatpay-*: value`` lines (other headers may sit among them)."""
    position = start
    block_end = start
    # A real block is a dozen lines; past http.client's 100 headers parse_headers refuses the
    # block, and a paste of header lines would be scanned again from every line (quadratic).
    for _line in range(MAX_HEADER_LINES):
        end = text.find("\n", position)
        end = len(text) if end < 0 else end
        line = text[position:end].strip(" \t\r>")
        if not re.match(r"[A-Za-z][\w-]{0,60}\s*:", line):
            break
        block_end = end
        position = end + 1
        if position >= len(text):
            break
    block = text[start:block_end]
    try:
        parsed = http.client.parse_headers(
            io.BytesIO((re.sub(r"(?m)^[ \t>]+", "", block) + "\r\n\r\n").encode("utf-8"))
        )
    except (http.client.HTTPException, UnicodeError):
        return None
    headers = {name.lower(): value.strip() for name, value in parsed.items()}
    if not headers.get("wechatpay-signature") and not headers.get("wechatpay-serial"):
        return None
    return Reading(
        "wechatpay_headers",
        "wechat_v3",
        (start, block_end),
        _("Wechatpay-* 响应头：去验签（还需要原样的 body 和平台证书或微信支付公钥）。"),
        "wechat_v3:verify",
        _verify_fields(headers, ""),
        confidence="certain" if headers.get("wechatpay-signature") else "likely",
    )
