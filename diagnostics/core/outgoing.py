"""A request for the merchant to send themselves: the raw HTTP request and a ``curl`` command.

The notification simulators build a notification WeChat Pay would send; Pay Doctor sends nothing
itself. The URL and the body are the merchant's input, so the command quotes every argument for a
POSIX shell (single quotes, a ``'`` written as ``'"'"'``: nothing inside is expanded — no ``$()``,
no backticks, no variables), passes the body with ``--data-raw`` (never read as ``@file``), turns
off curl's URL globbing (``{a,b}`` and ``[1-9]`` would send several requests) and refuses a URL
that is not http(s) or holds a control character or a space (no such URL exists, and a line break
would break the request line shown beside it).

>>> print(curl_command("https://m.example/notify?a='1'", [("Content-Type", "text/xml")], "<xml/>"))
curl -sS -i --globoff -X POST --url 'https://m.example/notify?a='"'"'1'"'"'' \\
  -H 'Content-Type: text/xml' \\
  --data-raw '<xml/>'
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from urllib.parse import urlsplit

from diagnostics.core.findings import ParseError
from diagnostics.core.text import _

MAX_URL_CHARS = 2048

# Whitespace and control characters (C0, DEL, C1, the Unicode line and paragraph separators): a
# URL never holds them unencoded.
_NOT_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f\u2028\u2029\s]")


def check_url(url: str) -> str:
    """The merchant's notify URL, trimmed; a ParseError when it is not an http(s) URL."""
    url = url.strip()
    if not url:
        raise ParseError(
            "url_missing", _("请填写接收通知的地址（notify_url），例如 https://…/notify。")
        )
    if len(url) > MAX_URL_CHARS:
        raise ParseError("url_too_long", _("地址超过 {limit} 个字符。", limit=MAX_URL_CHARS))
    if _NOT_IN_URL.search(url):
        raise ParseError(
            "url_invalid_characters",
            _("地址里有空格、换行或控制字符：URL 里不能有它们（需要时请先做百分号编码）。"),
        )
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise ParseError("url_invalid", _("这不是一个有效的 URL。")) from None
    if "@" in parts.netloc:
        # user:password@ would be shown in the curl command and the raw request, and kept in a
        # share: a password is not a thing to build a link from. WeChat Pay calls a plain URL.
        raise ParseError(
            "url_userinfo",
            _(
                "地址里带有用户名或密码（user:password@…）：微信支付回调的地址不带它们，"
                "本站也不把密码放进命令和分享。请去掉这一段再生成。"
            ),
        )
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ParseError(
            "url_not_http",
            _(
                "通知地址要以 http:// 或 https:// 开头，并带上主机名（微信支付只回调 http(s) 地址）。"
            ),
        )
    return url


def request_target(url: str) -> tuple[str, str]:
    """The Host header and the request target (path and query) of an http(s) URL."""
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return parts.netloc.rpartition("@")[2], target


def raw_request(url: str, headers: Sequence[tuple[str, str]], body: str) -> str:
    """The HTTP/1.1 request as it goes over the wire (CRLF line ends, Content-Length in bytes)."""
    host, target = request_target(url)
    lines = [f"POST {target} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in headers]
    lines.append(f"Content-Length: {len(body.encode('utf-8'))}")
    return "\r\n".join(lines) + "\r\n\r\n" + body


def curl_command(url: str, headers: Sequence[tuple[str, str]], body: str) -> str:
    """A curl command sending exactly these headers and body bytes to ``url``, every argument
    quoted for a POSIX shell (the body may hold line breaks: inside single quotes they stay)."""
    lines = [f"curl -sS -i --globoff -X POST --url {shlex.quote(url)}"]
    lines += [f"-H {shlex.quote(f'{name}: {value}')}" for name, value in headers]
    lines.append(f"--data-raw {shlex.quote(body)}")
    return " \\\n  ".join(lines)
