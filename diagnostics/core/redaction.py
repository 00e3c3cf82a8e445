"""What is secret, and how it is removed from what a merchant pasted before anything shows it.

Plain Python (no Django): the web layer, the logs, the share links and the unmatched-query log all
use this one rule.

**Secret names.** A name is secret when, lower-cased with everything but letters and digits
removed, it ends with ``key``, ``secret``, ``password``, ``passwd``, ``pwd`` or ``token``:
``key``, ``mch_key``, ``apiV3-Key``, ``paternerKey`` (the spelling of WeChat's own old JSAPI
pages), ``secret_key``, ``sign_key``, ``apiclient_key``, ``session_key``, ``access_token``…
Look-alikes that are public stay: Baidu's ``appKey`` (an app identifier), anything naming a public
key (``public_key``, ``alipay_public_key``, ``wechatpay_pub_key``). Signatures (``sign``,
``paySign``, ``rsaSign``, ``signature``), ``sign_type``, serial numbers, nonces, timestamps, ids
and certificates are not secret: none of them ends that way.

**Secret values** are found by their name in any format a merchant pastes — ``name=value`` (query
strings, lines, ``.env``), ``name: value``, ``"name": "value"`` (JSON, escaped JSON, JS and Python
literals), ``<name>value</name>`` (XML, CDATA), ``name => value``, ``put("name", "value")``,
``setName("value")`` — also when the whole text is URL-encoded or HTML-escaped; and without a name:
PEM private-key blocks, and base64 DER private keys (PKCS#1, PKCS#8, PKCS#12) pasted bare.

Every scan here is linear in the text: a token pattern made of one character class, ``str.find``
with a memo of what is known to be absent, and resuming after each value.

>>> is_secret_name("apiV3-Key"), is_secret_name("paternerKey"), is_secret_name("appKey")
(True, True, False)
>>> redact_text("appid=wx1&mch_key=abc123xyz&sign=ABC")
'appid=wx1&mch_key=[已移除]&sign=ABC'
>>> redact_text('<xml><api_key><![CDATA[abc123xyz]]></api_key></xml>')
'<xml><api_key><![CDATA[[已移除]]]></api_key></xml>'
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, quote_plus

from diagnostics.core.key_lines import public_key_lines

REMOVED = "[已移除]"

SECRET_SUFFIXES = ("key", "secret", "password", "passwd", "pwd", "token")
CJK_SECRET_SUFFIXES = ("密钥", "秘钥", "密码", "私钥")
# Names that end like a secret but name something public.
PUBLIC_SUFFIXES = ("appkey", "publickey", "pubkey")
# A value learned by name is removed wherever it occurs only when it is at least this long;
# shorter ones only where they stand alone (between non-alphanumerics), so "key=1" does not
# remove every "1" on the page.
MIN_ANYWHERE = 12
MIN_ALONE = 4
# Bounds that keep a hostile request cheap: no key is longer than MAX_VALUE (a 4096-bit PKCS#8
# PEM is about 3.3 KiB), a PEM key has about 50 lines, and one request holds a handful of secrets.
MAX_VALUE = 8 * 1024
MAX_LINES = 100
# A line of a multi-line secret field that is a public identifier on its own: a certificate serial
# (40 hex digits) or a WeChat Pay public-key ID. The key ring's paste is one secret field that also
# holds these, and its answer must name them ("Wechatpay-Serial … but yours is PUB_KEY_ID_…").
_PUBLIC_LINE = re.compile(r"PUB_KEY_ID_\d{1,80}|[0-9A-Fa-f]{40}")
MAX_KNOWN = 300

# The end of a name that may be secret; the name is then read backwards over _NAME_CHARS.
_SUFFIX = re.compile(
    r"(?:key|secret|password|passwd|pwd|token|密钥|秘钥|密码|私钥)(?![A-Za-z0-9_.\-])",
    re.IGNORECASE,
)
_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
MAX_CANDIDATES = 1000
_UNQUOTED_VALUE = re.compile(r"[^\s&<>\"',;)\]}{\[`]*")
# A key's base64 as pasted: on lines (also escaped "\\n" in JSON), or URL-encoded inside a query
# value ("+" "/" "=" as %2B %2F %3D, line breaks as %0A %0D). Each alternative starts with its own
# character, so the match is linear.
_BASE64_RUN = re.compile(r"(?:[A-Za-z0-9+/=\r\n]|\\[rn]|%(?:2[BbFf]|3[Dd]|0[AaDd]))+")
_NOT_ALNUM = r"(?<![A-Za-z0-9])"
_NOT_ALNUM_AFTER = r"(?![A-Za-z0-9])"
_HINTS = ("key", "secret", "passw", "pwd", "token", "密钥", "秘钥", "密码", "私钥")


_NOT_NAME_CHAR = re.compile(r"[^a-z0-9]")


def normalise_name(name: str) -> str:
    """A name as the secret rule compares it: lower case, ASCII letters and digits only.

    >>> normalise_name("API_Key-2")
    'apikey2'
    """
    return _NOT_NAME_CHAR.sub("", name.lower())


def is_secret_name(name: str) -> bool:
    """Whether a field, parameter or header with this name holds a secret (see the module doc)."""
    if name.endswith(CJK_SECRET_SUFFIXES):  # API密钥, 商户秘钥, 私钥, 密码
        return True
    normal = normalise_name(name)
    return normal.endswith(SECRET_SUFFIXES) and not normal.endswith(PUBLIC_SUFFIXES)


@dataclass(frozen=True)
class Found:
    """A secret value in a text: where it is, and the name it was found under ("" for a key block)."""

    start: int
    end: int
    name: str


def find_secrets(text: str) -> list[Found]:
    """Every secret value in ``text``, in order, not overlapping."""
    found = _private_key_blocks(text) + _named_values(text)
    found.sort(key=lambda item: item.start)
    kept: list[Found] = []
    for item in found:
        if kept and item.start < kept[-1].end:
            if item.end > kept[-1].end:
                kept[-1] = Found(kept[-1].start, item.end, kept[-1].name or item.name)
            continue
        kept.append(item)
    return kept


def _private_key_blocks(text: str) -> list[Found]:
    found = []
    position = 0
    while (start := text.find("-----BEGIN ", position)) != -1:
        label_end = text.find("-----", start + 11)
        if label_end == -1:
            break
        if "PRIVATE KEY" not in text[start + 11 : label_end]:
            position = label_end + 5
            continue
        end_marker = text.find("-----END", label_end + 5)
        if end_marker == -1:
            end = len(text)
        else:
            footer_end = text.find("-----", end_marker + 8)
            end = len(text) if footer_end == -1 else footer_end + 5
        found.append(Found(start, end, ""))
        position = end
    if "MI" in text:
        found.extend(_der_private_keys(text))
    return found


def _der_private_keys(text: str) -> list[Found]:
    """Bare base64 of a DER private key: SEQUENCE, then version INTEGER 0 (PKCS#1, PKCS#8),
    1 (SEC1 EC keys) or 3 (a PKCS#12 file, which holds the private key)."""
    found = []
    position = 0
    while (start := text.find("MI", position)) != -1:
        position = start + 2
        if start and (text[start - 1].isalnum() or text[start - 1] in "+/"):
            continue
        run = _BASE64_RUN.match(text, start)
        if run is None or run.end() - start < 64:
            continue
        if _is_private_der(run.group()[:64]):
            found.append(Found(start, run.end(), ""))
        position = run.end()
    return found


def _is_private_der(prefix: str) -> bool:
    for escape in ("%0A", "%0D", "%0a", "%0d"):
        prefix = prefix.replace(escape, "")
    prefix = _percent_decoded(prefix)
    try:
        head = base64.b64decode(prefix.replace("\\n", "")[:16] + "==", validate=False)
    except (binascii.Error, ValueError):
        return False
    if len(head) < 6 or head[0] != 0x30:
        return False
    if head[1] == 0x81:
        offset = 3
    elif head[1] == 0x82:
        offset = 4
    elif head[1] == 0x83:
        offset = 5
    elif head[1] < 0x80:
        offset = 2
    else:
        return False
    return head[offset : offset + 2] == b"\x02\x01" and head[offset + 2 : offset + 3] in (
        b"\x00",
        b"\x01",
        b"\x03",
    )


class _Absent:
    """Remembers that a needle does not occur after some position, so each find is done once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.last: dict[str, int] = {}

    def find(self, needle: str, start: int) -> int:
        if needle not in self.last:
            self.last[needle] = self.text.rfind(needle)
        if self.last[needle] < start:
            return -1
        return self.text.find(needle, start)


def _named_values(text: str) -> list[Found]:
    lowered = text.lower()
    if not any(hint in lowered for hint in _HINTS):
        return []
    absent = _Absent(text)
    found: list[Found] = []
    position = 0
    length = len(text)
    for candidates, match in enumerate(_SUFFIX.finditer(text)):
        name_end = match.end()
        if name_end <= position:
            continue
        if candidates >= MAX_CANDIDATES:
            # No real paste names this many keys: the rest is removed rather than read.
            found.append(Found(match.start(), length, ""))
            break
        name_start = match.start()
        # Whether a name is secret depends on its end only: read at most 256 characters of it.
        limit = max(position, name_start - 256)
        while name_start > limit and text[name_start - 1] in _NAME_CHARS:
            name_start -= 1
        name = text[name_start:name_end]
        if not is_secret_name(name.rsplit(".", 1)[-1] if "." in name else name):
            continue
        before = text[name_start - 1] if name_start else ""
        if before == ":":  # <ns:mch_key>: the element's prefix
            prefix_start = name_start - 1
            while prefix_start > 0 and text[prefix_start - 1] in _NAME_CHARS:
                prefix_start -= 1
            if prefix_start > 0 and text[prefix_start - 1] == "<":
                before = "<"
        if before == "<" and name_end < length and text[name_end] in "> \t\r\n":
            value = _xml_value(text, name_end, absent)
        else:
            value = _assigned_value(text, name_end, before, absent)
        if value is None:
            continue
        start, end = value
        if end > start and text[start:end] != REMOVED:
            found.append(Found(start, end, name))
        position = max(name_end, end)
    return found


def _xml_value(text: str, position: int, absent: _Absent) -> tuple[int, int] | None:
    close = absent.find(">", position)
    if close == -1 or text[close - 1] == "/":
        return None
    start = close + 1
    if text.startswith("<![CDATA[", start):
        start += 9
        end = absent.find("]]>", start)
    else:
        end = absent.find("<", start)
    return start, len(text) if end == -1 else end


def _skip_blanks(text: str, position: int) -> int:
    length = len(text)
    while position < length and text[position] in _BLANKS:
        position += 1
    return position


_BLANKS = " \t\u00a0\u3000"


def _assigned_value(
    text: str, position: int, before: str, absent: _Absent
) -> tuple[int, int] | None:
    length = len(text)
    quoted_name = False
    colon = False
    # A closing quote (possibly escaped, as in JSON inside JSON) or bracket after the name.
    for _round in range(3):
        if position < length and text[position] in "\"'`]":
            quoted_name = quoted_name or text[position] != "]"
            position += 1
        elif text.startswith('\\"', position) or text.startswith("\\'", position):
            quoted_name = True
            position += 2
        else:
            break
    position = _skip_blanks(text, position)
    if text.startswith("=>", position) or text.startswith(":=", position):
        position += 2
    elif position < length and text[position] in "=:：＝":  # full-width, as typed in Chinese
        if text.startswith(("==", "::", "＝＝"), position):
            return None
        colon = text[position] in ":："
        position += 1
    elif (
        position < length
        and text[position] == "("
        or (quoted_name and position < length and text[position] == ",")
    ):
        # setKey("…"), put("key", "…"): only a quoted value follows a call's parenthesis or comma.
        position = _skip_blanks(text, position + 1)
        if not text.startswith(('"', "'", '\\"'), position):
            return None
    else:
        return None
    position = _skip_blanks(text, position)
    if position < length and text[position] in "|>":  # a YAML block scalar: the value follows
        after = _skip_blanks(text, position + 1 + (text[position + 1 : position + 2] in ("-", "+")))
        if after < length and text[after] in "\r\n":
            position = after
    if position < length and text[position] in "\r\n":
        # The value on the next line (``key =`` then the key; YAML ``key:`` then an indented
        # value), unless that line is itself another name and value.
        following = _skip_blanks(text, position + (2 if text.startswith("\r\n", position) else 1))
        line_end = text.find("\n", following)
        line = text[following : line_end if line_end != -1 else length]
        if _looks_like_pair(line):
            return None
        position = following
    # Code around a literal: String("…"), ("…"), ["…"], {"…"}, r"…", b'…', u"…", f"…".
    for _round in range(3):
        if text.startswith("String(", position):
            position += 7
        elif (
            position < length
            and text[position] in "([{"
            or position + 1 < length
            and text[position] in "rbufRBUF"
            and text[position + 1] in "\"'"
        ):
            position += 1
        else:
            break
        position = _skip_blanks(text, position)
    if position >= length:
        return None
    if text.startswith('"""', position) or text.startswith("'''", position):
        quote_mark = text[position : position + 3]
        end = absent.find(quote_mark, position + 3)
        return position + 3, length if end == -1 else end
    if text.startswith("<![CDATA[", position):
        start = position + 9
        end = absent.find("]]>", start)
        return start, length if end == -1 else end
    for quote_mark in ('\\"', "\\'", '"', "'", "`"):
        if text.startswith(quote_mark, position):
            start = position + len(quote_mark)
            end = _closing_quote(text, quote_mark, start, absent)
            return start, length if end == -1 else end
    run = _UNQUOTED_VALUE.match(text, position)
    if run is None or (colon and not _looks_secret(run.group())):
        return None
    return position, run.end()


def _looks_like_pair(line: str) -> bool:
    """Whether a line starts with a name and ``=`` or ``:`` (so it is not the previous name's value)."""
    stripped = line.lstrip(_BLANKS + "-")
    head = stripped.split("=", 1)[0].split(":", 1)[0]
    return (
        head != stripped
        and bool(head.strip())
        and all(char in _NAME_CHARS or char in "\"'" for char in head.strip())
    )


def _looks_secret(word: str) -> bool:
    """Whether an unquoted word after ``name:`` is a value rather than prose ("key: mismatch")."""
    if len(word) < 8 or not word.isascii():
        return False
    has_digit = any(char.isdigit() for char in word)
    mixed_case = word.lower() != word and word.upper() != word
    return has_digit or mixed_case or len(word) >= 16


def _closing_quote(text: str, quote_mark: str, start: int, absent: _Absent) -> int:
    """The next ``quote_mark`` not escaped by a backslash (JSON strings)."""
    position = start
    while (end := absent.find(quote_mark, position)) != -1:
        backslashes = 0
        while end - backslashes - 1 >= start and text[end - backslashes - 1] == "\\":
            backslashes += 1
        if len(quote_mark) == 2 or backslashes % 2 == 0:
            return end
        position = end + 1
    return -1


# The escapes that matter for finding a secret: the punctuation around a name and its value, and
# what a base64 key holds. Decoded with str.replace (a C loop each), not urllib's per-escape
# Python loop, which costs seconds on 256 KiB of "%2".
_PERCENT = [(f"%{ord(char):02X}", char) for char in " \"#&'()+,/:;<=>?@[\\]{}|`"]


def _percent_decoded(text: str) -> str:
    for escape, char in _PERCENT:
        if escape in text:
            text = text.replace(escape, char)
        if escape.lower() in text:
            text = text.replace(escape.lower(), char)
    return text.replace("%25", "%")


def _decoded_views(text: str, lowered: str, found: list[Found]) -> list[str]:
    """The text as a URL-decoded or HTML-unescaped copy, where it looks encoded that way and
    could name a secret, or holds a private key URL-encoded (``note=MIIE…%2B…``: the decoded
    copy is what a notification's string to verify shows)."""
    views = []
    if "%" in text and (
        any(hint in lowered for hint in _HINTS)
        or any(not item.name and "%" in text[item.start : item.end] for item in found)
    ):
        decoded = _percent_decoded(text)
        views.append(decoded)
        if "%25" in text:  # encoded twice
            views.append(_percent_decoded(decoded))
    if "&" in text and ";" in text:
        unescaped = html.unescape(text)
        if unescaped != text:
            views.append(unescaped)
    return views


def _variants(value: str) -> set[str]:
    """The forms a value takes when it is encoded: raw, JSON-escaped, URL-encoded, HTML-escaped."""
    variants = {value, json.dumps(value, ensure_ascii=False)[1:-1], json.dumps(value)[1:-1]}
    # A lone surrogate (a JSON \udfff escape in a secret field) cannot be UTF-8 encoded: quote it
    # as the bytes it would carry rather than raise (the answer was a 500).
    encoded = {
        quote(value, safe="", errors="surrogatepass"),
        quote_plus(value, safe="", errors="surrogatepass"),
    }
    variants |= encoded | {html.escape(value)}
    return {variant for variant in variants if variant}


class Redactor:
    """Removes this request's secrets from everything that will be shown, stored or linked.

    ``known`` are the values of the secret fields (the typed key, the pasted private key);
    :meth:`learn` adds the secrets found by name in the other fields, so that a key pasted in one
    field is removed from every other field and from every result computed from them.
    """

    def __init__(self, known: Iterable[str] = ()) -> None:
        self.known: set[str] = set()  # values; "\0" marks one removed only where it stands alone
        self.names: set[str] = set()  # the names under which secrets were found
        self._anywhere: list[str] | None = None
        self._read: dict[str, list[Found]] = {}
        self._alone: re.Pattern[str] | None = None
        for value in known:
            self.add(value, anywhere=True)

    def add(self, value: str, anywhere: bool = False) -> None:
        """Remember a secret value (``anywhere``: remove it even inside other text)."""
        value = value.strip()
        if len(value) < MIN_ALONE or len(self.known) >= MAX_KNOWN:
            return
        if len(value) <= MAX_VALUE:  # no key is longer; its lines are still removed below
            self.known.add(value if anywhere or len(value) >= MIN_ANYWHERE else "\0" + value)
        # A multi-line secret (a PEM key) may be shown one line at a time.
        lines = [line.strip() for line in value.replace("\\n", "\n").splitlines()[:MAX_LINES]]
        public = public_key_lines(lines) if len(lines) > 1 else set()
        for line in lines if len(lines) > 1 else ():
            if (
                16 <= len(line) <= MAX_VALUE
                and not _PUBLIC_LINE.fullmatch(line)
                and line not in public
            ):
                self.known.add(line)
        self._anywhere = None

    def learn(self, *texts: str) -> list[Found]:
        """Find the secrets in ``texts`` (by name and by shape) and remember their values; the
        secrets found in the last text as it is (for :meth:`text`). A text is read once."""
        found: list[Found] = []
        for text in texts:
            if not text:
                continue
            if text in self._read:
                found = self._read[text]
                continue
            found = self._read[text] = find_secrets(text)
            views = (text, *_decoded_views(text, text.lower(), found))
            for index, view in enumerate(views):
                items = found if index == 0 else find_secrets(view)
                for item in items:
                    value = view[item.start : item.end]
                    if item.name:
                        self.names.add(item.name)
                    self.add(value)
                    if "\\" in value:
                        with contextlib.suppress(ValueError):
                            self.add(json.loads(f'"{value}"'))
        return found

    def text(self, text: str) -> str:
        """``text`` with every secret removed: found by name or shape, or known from this request."""
        if not text:
            return text
        found = self.learn(text)
        return self.known_values(_replace_found(text, found))

    def known_values(self, text: str) -> str:
        """``text`` with this request's known secret values removed (any encoding), nothing else.

        Long values are replaced with ``str.replace`` (a fast linear scan each, and there are at
        most MAX_KNOWN of them); short ones only where they stand alone, with one pattern."""
        if not self.known or not text:
            return text
        if self._anywhere is None:
            self._prepare()
        for value in self._anywhere or ():
            if value in text:
                text = text.replace(value, REMOVED)
        if self._alone is not None:
            text = self._alone.sub(REMOVED, text)
        return text

    def _prepare(self) -> None:
        anywhere: set[str] = set()
        alone: set[str] = set()
        for value in self.known:
            target = alone if value.startswith("\0") else anywhere
            target |= _variants(value.lstrip("\0"))
        self._anywhere = sorted(anywhere, key=len, reverse=True)
        self._alone = (
            re.compile(
                "|".join(
                    _NOT_ALNUM + re.escape(v) + _NOT_ALNUM_AFTER
                    for v in sorted(alone, key=len, reverse=True)
                )
            )
            if alone
            else None
        )

    def tree(self, data: Any) -> Any:
        """A copy of JSON-like ``data`` (see diagnostics.core.snapshot) with the known values removed,
        and every string value under a secret name removed whole. Sentence templates are ours and
        are left alone; their values are not."""
        if isinstance(data, str):
            return self.known_values(data)
        if isinstance(data, Mapping):
            return {
                key: (
                    value
                    if key in ("$text", "$fields")
                    else REMOVED
                    if isinstance(value, str) and value and is_secret_name(str(key))
                    else self.tree(value)
                )
                for key, value in data.items()
            }
        if isinstance(data, list | tuple):
            if data and all(_is_segment(item) for item in data):
                return self._segments(data)
            if (
                len(data) == 2
                and isinstance(data[0], str)
                and isinstance(data[1], str)
                and data[1]
                and is_secret_name(data[0])
            ):
                return [data[0], REMOVED]
            return [self.tree(item) for item in data]
        return data

    def _segments(self, segments: list[Any] | tuple[Any, ...]) -> list[Any]:
        """A character diff's segments: a secret split across two of them is found in their
        concatenation, and then the diff is shown as one changed segment without it."""
        redacted = [self.tree(item) for item in segments]
        joined = "".join(item["text"] for item in redacted)
        if self.known_values(joined) == joined:
            return redacted
        return [{"text": self.known_values(joined), "changed": True}]


def _is_segment(item: Any) -> bool:
    return isinstance(item, Mapping) and "changed" in item and isinstance(item.get("text"), str)


def _replace_found(text: str, found: list[Found]) -> str:
    if not found:
        return text
    pieces = []
    position = 0
    for item in found:
        pieces.append(text[position : item.start])
        pieces.append(REMOVED)
        position = item.end
    pieces.append(text[position:])
    return "".join(pieces)


def redact_text(text: str, known: Iterable[str] = ()) -> str:
    """``text`` with every secret removed: private keys, named secrets, the ``known`` values."""
    return Redactor(known).text(text)


def redact_mapping(data: Mapping[str, Any], known: Iterable[str] = ()) -> dict[str, Any]:
    """A copy with every secret-named entry emptied and every text redacted, at any depth."""
    redactor = Redactor(known)
    strings = []

    def collect(value: Any) -> None:
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, Mapping):
            for item in value.values():
                collect(item)
        elif isinstance(value, list | tuple):
            for item in value:
                collect(item)

    collect(data)
    redactor.learn(*strings)
    return _redact_mapping(data, redactor)


def _redact_mapping(data: Any, redactor: Redactor) -> Any:
    if isinstance(data, Mapping):
        return {
            name: (
                REMOVED
                if is_secret_name(str(name)) and not isinstance(value, Mapping | list | tuple)
                else _redact_mapping(value, redactor)
            )
            for name, value in data.items()
        }
    if isinstance(data, list | tuple):
        return [_redact_mapping(item, redactor) for item in data]
    if isinstance(data, str):
        return redactor.text(data)
    return data
