"""A 401 SIGN_ERROR compared with the request (004 公共错误码 401): WeChat Pay's
``detail.sign_information`` read back into the message it verified, set line by line beside the
merchant's, and the first difference explained."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

from diagnostics.core import textdiff
from diagnostics.core.findings import Finding, ParseError, findings_data
from diagnostics.core.params import MAX_NESTING, load_json, nested_deeper_than
from diagnostics.core.text import Message, _
from diagnostics.core.textdiff import Segment
from diagnostics.wechat_v3.signing import (
    SRC_401,
    SRC_SIGN,
    build_message,
    show_invisible,
    signing_url,
    visible_lines,
)

# --- 401 SIGN_ERROR: compare WeChat Pay's view of the message with ours (004 401) -------------
#
# A 401 SIGN_ERROR whose signature does not match carries detail.sign_information: the method and
# URL WeChat Pay received, sign_message_length (the byte length of the message it verified) and
# truncated_sign_message, its message with the body cut to its first few characters and a "\n"
# put after the cut. The timestamp and nonce it used are lines 3 and 4 of that message, so the
# body alone is enough to compare what was sent with what was signed, without any key.

MESSAGE_PARTS = ("METHOD", "URL", "TIMESTAMP", "NONCE", "BODY")
PART_LABELS = {
    "METHOD": _("HTTP 方法"),
    "URL": _("URL"),
    "TIMESTAMP": _("时间戳"),
    "NONCE": _("随机串"),
    "BODY": _("请求体"),
}


@dataclass(frozen=True)
class SignInformation:
    method: str
    url: str
    sign_message_length: int | None
    truncated_sign_message: str
    timestamp: str = ""  # line 3 of the message WeChat Pay verified
    nonce: str = ""  # line 4
    body_cut: bool = False  # the body was cut: the message shown ends with the cut, then "\n"

    @property
    def shown(self) -> str:
        """The message as far as WeChat Pay shows it, without the "\\n" it puts after a cut."""
        if self.body_cut and self.truncated_sign_message.endswith("\n"):
            return self.truncated_sign_message[:-1]
        return self.truncated_sign_message


@dataclass(frozen=True)
class Difference:
    index: int  # 0-based character index
    line: int  # 1-based line of the message
    column: int  # 1-based
    theirs: str  # visible
    ours: str
    part: str = ""  # METHOD, URL, TIMESTAMP, NONCE or BODY
    theirs_named: Message = ""  # the character, named when it cannot be seen
    ours_named: Message = ""


@dataclass(frozen=True)
class MessageRow:
    """One line of the signed message, as WeChat Pay received it and as signed here."""

    number: int  # 1-based
    part: str
    label: Message
    theirs: tuple[Segment, ...]
    ours: tuple[Segment, ...]
    differs: bool
    first: bool  # the first line that differs
    cut: bool  # WeChat Pay cut the body here


@dataclass(frozen=True)
class SignErrorComparison:
    info: SignInformation
    message: str  # built locally from the merchant's request parts
    message_lines: tuple[str, ...]
    truncated_lines: tuple[str, ...]
    first_difference: Difference | None
    findings: tuple[Finding, ...]  # explanations first, then the details
    consistent: bool = False  # WeChat Pay verified the message built here
    verdict: Message = ""  # the page's headline when a 401 body is given
    explanations: tuple[Finding, ...] = ()  # why the two messages differ, in words
    details: tuple[Finding, ...] = ()
    rows: tuple[MessageRow, ...] = ()
    method: str = ""  # the request parts compared (and signed, when a key is given)
    url: str = ""
    timestamp: str = ""
    nonce: str = ""
    from_401: tuple[str, ...] = ()  # which of method, url, timestamp, nonce came from the 401
    message_length: int = 0  # bytes

    def as_data(self) -> dict[str, object]:
        """The JSON answers' shape (``sign_error`` of POST /api/v1/wechat/v3/sign, paydoctor)."""
        difference = self.first_difference
        return {
            "consistent": self.consistent,
            "verdict": str(self.verdict),
            "first_difference": None
            if difference is None
            else {
                "line": difference.line,
                "column": difference.column,
                "part": difference.part,
                "wechat": str(difference.theirs_named),
                "yours": str(difference.ours_named),
            },
            "wechat_message": self.info.truncated_sign_message,
            "wechat_message_length": self.info.sign_message_length,
            "message_length": self.message_length,
            "from_401": list(self.from_401),
            "explanations": findings_data(self.explanations),
            "findings": findings_data(self.details),
        }


def _find_key(value: object, name: str) -> object:
    if isinstance(value, dict):
        if name in value:
            return value[name]
        for item in value.values():
            found = _find_key(item, name)
            if found is not None:
                return found
    return None


def parse_sign_error(text: str) -> SignInformation:
    """The ``sign_information`` of a 401 SIGN_ERROR body (the whole body or an SDK's printout).

    >>> info = parse_sign_error('{"code":"SIGN_ERROR","detail":{"sign_information":{"method":"GET",'
    ...     '"url":"/v3/certificates","sign_message_length":39,'
    ...     '"truncated_sign_message":"GET\\\\n/v3/certificates\\\\n1721639012\\\\nN0NCE\\\\n\\\\n"}}}')
    >>> info.timestamp, info.nonce, info.body_cut
    ('1721639012', 'N0NCE', False)
    """
    start = text.find("{")
    if start < 0:
        raise ParseError("sign_error_not_json", _("没有找到 JSON：请粘贴 401 应答的完整主体。"))
    # An SDK's printout may carry text after the body: decode the first JSON value, bounded.
    if nested_deeper_than(text[start:], MAX_NESTING):
        raise ParseError("sign_error_not_json", _("应答主体嵌套太深，不像微信支付的 401 应答。"))
    try:
        document, _end = json.JSONDecoder().raw_decode(text[start:])
    except json.JSONDecodeError as error:
        raise ParseError(
            "sign_error_not_json", _("应答主体不是有效的 JSON：{reason}。", reason=error.msg)
        ) from None
    except (RecursionError, ValueError):  # an integer too long to convert
        raise ParseError("sign_error_not_json", _("应答主体里有无法读取的数值。")) from None
    info = _find_key(document, "sign_information")
    if not isinstance(info, dict):
        raise ParseError(
            "sign_information_missing",
            _(
                "应答里没有 detail.sign_information：只有签名不匹配（sign not match）的 401 才带它。"
            ),
        )
    length = info.get("sign_message_length")
    sign_message_length = (
        int(length)
        if isinstance(length, int | str) and re.fullmatch(r"[0-9]{1,9}", str(length))
        else None
    )
    truncated = str(info.get("truncated_sign_message", ""))
    if "\n" not in truncated and "\\n" in truncated:
        # A log that printed the JSON string escaped once more: its "\n" are two characters.
        truncated = truncated.replace("\\n", "\n")
    lines = truncated.split("\n")
    body_cut = (
        sign_message_length is not None
        and len(truncated.encode("utf-8")) < sign_message_length
        and len(lines) > 4
    )
    return SignInformation(
        method=str(info.get("method", "")).strip().upper(),
        url=str(info.get("url", "")).strip(),
        sign_message_length=sign_message_length,
        truncated_sign_message=truncated,
        # Lines 3 and 4; a body that names them separately is read too.
        timestamp=str(info.get("sign_timestamp") or (lines[2] if len(lines) > 3 else "")).strip(),
        nonce=str(info.get("sign_nonce") or (lines[3] if len(lines) > 4 else "")).strip(),
        body_cut=body_cut,
    )


def _named(text: str, index: int) -> Message:
    """The character at ``index``, written so it can be seen, named when it is invisible."""
    if index >= len(text):
        return _("（这一行到此结束）")
    char = text[index]
    shown = textdiff.visible(char, spaces=True)
    if shown == char and char.isprintable() and not char.isspace():
        return f"“{char}”"
    return _(
        "“{shown}”（{name}，U+{code}）",
        shown=shown,
        name=unicodedata.name(char, "?"),
        code=f"{ord(char):04X}",
    )


def _part(line: int) -> str:
    return MESSAGE_PARTS[min(line, 5) - 1]


def first_difference(theirs: str, ours: str) -> Difference | None:
    """Where two messages part, or None when one is a prefix of the other."""
    for index, (a, b) in enumerate(zip(theirs, ours, strict=False)):
        if a != b:
            before = ours[:index]
            line = before.count("\n") + 1
            column = index - (before.rfind("\n") + 1) + 1
            their_line = theirs[index - column + 1 :].split("\n", 1)[0]
            our_line = ours[index - column + 1 :].split("\n", 1)[0]
            return Difference(
                index=index,
                line=line,
                column=column,
                theirs=show_invisible(a),
                ours=show_invisible(b),
                part=_part(line),
                theirs_named=_named(their_line, column - 1),
                ours_named=_named(our_line, column - 1),
            )
    return None


def _lines(message: str) -> list[str]:
    lines = message.split("\n")
    return lines[:-1] if message.endswith("\n") else lines


def _rows(info: SignInformation, ours: str) -> tuple[MessageRow, ...]:
    """Line by line, side by side; a cut body line is compared with as much of ours."""
    their_lines, our_lines = _lines(info.shown), _lines(ours)
    if info.body_cut:
        our_lines = our_lines[: len(their_lines)]
    rows: list[MessageRow] = []
    first_seen = False
    for index in range(max(len(their_lines), len(our_lines))):
        cut = info.body_cut and index == len(their_lines) - 1
        theirs = their_lines[index] if index < len(their_lines) else ""
        ours_line = our_lines[index] if index < len(our_lines) else ""
        if cut:
            ours_line = ours_line[: len(theirs)]
        else:
            theirs += "\n" if index < len(their_lines) else ""
            ours_line += "\n" if index < len(our_lines) else ""
        diff = textdiff.compare(theirs, ours_line)
        first = not diff.equal and not first_seen
        first_seen = first_seen or first
        part = _part(index + 1)
        rows.append(
            MessageRow(
                number=index + 1,
                part=part,
                label=PART_LABELS[part],
                theirs=diff.theirs,
                ours=diff.ours,
                differs=not diff.equal,
                first=first,
                cut=cut,
            )
        )
    return tuple(rows)


def _json_variants(body: str) -> list[tuple[str, Message]]:
    """The body written the other ways JSON libraries write it, each with what that means."""
    try:
        document = load_json(body)
    except ParseError:
        return []
    if not isinstance(document, dict | list):
        return []
    compact = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    variants = [
        (
            compact,
            _(
                "你签名的 JSON 冒号、逗号后有空格（或换行缩进），微信支付收到的是紧凑 JSON（没有空格）："
                "签名和发送要用同一个字符串，不要各自序列化一次。"
            ),
        ),
        (
            json.dumps(document, ensure_ascii=False),
            _(
                "你签名的是紧凑 JSON，微信支付收到的 JSON 冒号、逗号后有空格（例如 Python json.dumps "
                "的默认写法）：签名和发送要用同一个字符串，不要各自序列化一次。"
            ),
        ),
    ]
    for indent in (2, 4):
        variants.append(
            (
                json.dumps(document, ensure_ascii=False, indent=indent),
                _(
                    "微信支付收到的是缩进 {indent} 格的 JSON，你签名的是另一种写法："
                    "签名和发送要用同一个字符串。",
                    indent=indent,
                ),
            )
        )
    variants.append(
        (
            json.dumps(document, separators=(",", ":")),
            _(
                "微信支付收到的请求体把中文等字符转义成了 \\uXXXX，你签名的是原文（或者反过来）："
                "签名和发送要用同一个字符串。"
            ),
        )
    )
    return [(text, why) for text, why in variants if text != body]


def _key_order(info: SignInformation, body: str) -> Finding | None:
    """WeChat Pay's body starts with another of the body's keys: the object was re-serialised."""
    head = info.shown.split("\n", 4)[4] if info.shown.count("\n") >= 4 else ""
    named = re.match(r'\{\s*"([^"]*)', head)
    try:
        document = load_json(body)
    except ParseError:
        return None
    if not named or not isinstance(document, dict) or not document:
        return None
    first = next(iter(document))
    seen = named.group(1)
    if first.startswith(seen):
        return None
    keys = [key for key in document if key.startswith(seen)]
    if not keys:
        return None
    return Finding(
        "json_key_order",
        _(
            "JSON 的键顺序不同：微信支付收到的请求体以 “{theirs}” 开头，你签名的以 “{ours}” 开头——"
            "签名之后对象又被重新序列化（或换了一个 Map）。签名和发送要用同一个字符串。",
            theirs=keys[0],
            ours=first,
        ),
        SRC_401,
        "body",
    )


def _explain(
    info: SignInformation,
    *,
    method: str,
    typed_url: str,
    signed_url: str,
    timestamp: str,
    nonce: str,
    body: str,
    message: str,
) -> list[Finding]:
    """The common reasons the two messages differ, in words."""
    found: list[Finding] = []
    if info.method and info.method != method:
        found.append(
            Finding(
                "method_differs",
                _(
                    "微信支付收到的是 {theirs} 请求，你按 {ours} 计算签名。",
                    theirs=info.method,
                    ours=method,
                ),
                SRC_401,
                "method",
            )
        )
    if info.url and info.url != signed_url:
        path, _sep, query = info.url.partition("?")
        if query and signed_url == path:
            found.append(
                Finding(
                    "query_not_signed",
                    _(
                        "你签名的 URL 少了查询串 ?{query}：签名串里的 URL 要和实际请求一样带上查询参数。",
                        query=query,
                    ),
                    SRC_401,
                    "url",
                )
            )
        found.append(
            Finding(
                "url_differs",
                _(
                    "微信支付收到的 URL 是 {theirs}，你签名用的是 {ours}："
                    "签名串里的 URL 必须与实际请求的路径和查询参数逐字相同。",
                    theirs=info.url,
                    ours=signed_url,
                ),
                SRC_401,
                "url",
            )
        )
    for code, name, theirs, ours in (
        ("timestamp_differs", "timestamp", info.timestamp, timestamp),
        ("nonce_differs", "nonce_str", info.nonce, nonce),
    ):
        if theirs and ours and theirs != ours:
            found.append(
                Finding(
                    code,
                    _(
                        "你签名用的 {name} 是 {ours}，微信支付收到的（Authorization 头里的）是 "
                        "{theirs}：签名串和 Authorization 头要用同一个值，只生成一次。",
                        name=name,
                        ours=ours,
                        theirs=theirs,
                    ),
                    SRC_401,
                    name,
                )
            )
    theirs_length = info.sign_message_length
    if theirs_length is None:
        return found
    ours_bytes = len(message.encode("utf-8"))
    head_bytes = ours_bytes - len(body.encode("utf-8")) - 1
    shown_body = None
    if info.shown.count("\n") >= 4:
        # Measure the body alone: WeChat Pay's first four lines stand in for ours, so a
        # timestamp or URL that differs does not hide what differs in the body.
        *their_head, shown_body = info.shown.split("\n", 4)
        their_head_bytes = len(("\n".join(their_head) + "\n").encode("utf-8"))
        theirs_length += head_bytes - their_head_bytes
    if theirs_length != ours_bytes:
        delta = theirs_length - ours_bytes
        if delta in (-1, -2) and body.endswith(("\n", "\r\n")[-delta - 1]):
            found.append(
                Finding(
                    "body_trailing_newline",
                    _(
                        "你签名的请求体末尾多了换行（↵），微信支付收到的请求体没有："
                        "签名和发送要用同一个字符串。"
                    ),
                    SRC_401,
                    "body",
                )
            )
        else:
            for variant, why in _json_variants(body):
                if head_bytes + len(variant.encode("utf-8")) + 1 == theirs_length and (
                    shown_body is None or variant.startswith(shown_body)
                ):
                    found.append(Finding("json_serialised_differently", why, SRC_401, "body"))
                    return found
        if found:
            return found
        if delta in (1, 2) and body and not body.endswith("\n"):
            found.append(
                Finding(
                    "body_trailing_newline_missing",
                    _(
                        "微信支付收到的请求体比你签名的多 {delta} 个字节，常见是发送的请求体末尾多了换行（↵）"
                        "而签名时没有：签名和发送要用同一个字符串。",
                        delta=delta,
                    ),
                    SRC_401,
                    "body",
                )
            )
        elif theirs_length == len(message) and not message.isascii():
            found.append(
                Finding(
                    "body_not_utf8",
                    _(
                        "微信支付收到的签名串长 {theirs} 字节，正好是你这里的字符数而不是 UTF-8 字节数："
                        "请求体里的中文没有按 UTF-8 发送（常见于没有指定编码，中文变成了 ?）。",
                        theirs=theirs_length,
                    ),
                    SRC_401,
                    "body",
                )
            )
        elif theirs_length == len(message.encode("gbk", errors="replace")) and not body.isascii():
            found.append(
                Finding(
                    "body_gbk",
                    _(
                        "微信支付收到的签名串长 {theirs} 字节，正好是按 GBK 编码的长度："
                        "请求体是按 GBK 发送的，签名却按 UTF-8 计算（或者反过来）。请都用 UTF-8。",
                        theirs=theirs_length,
                    ),
                    SRC_401,
                    "body",
                )
            )
    key_order = _key_order(info, body)
    if key_order is not None:
        found.append(key_order)
    return found


def compare_sign_error(
    text: str,
    *,
    method: str = "",
    url: str = "",
    body: str = "",
    timestamp: str | None = None,
    nonce: str | None = None,
) -> SignErrorComparison:
    """Compare the 401 body's sign_information with the message built from the request parts.

    Whatever is not given (an empty method or URL, a timestamp or nonce that is None or empty)
    is read from the 401 body: WeChat Pay's message holds them on its lines 1 to 4.
    """
    info = parse_sign_error(text)
    from_401: list[str] = []
    given = {"method": method.strip().upper(), "url": url.strip()}
    given |= {"timestamp": (timestamp or "").strip(), "nonce": (nonce or "").strip()}
    theirs = {"method": info.method, "url": info.url}
    theirs |= {"timestamp": info.timestamp, "nonce": info.nonce}
    used: dict[str, str] = {}
    for name in ("method", "url", "timestamp", "nonce"):
        used[name] = given[name] or theirs[name]
        if not given[name] and theirs[name]:
            from_401.append(name)
    method = used["method"] or "POST"
    signed_url, url_findings = signing_url(used["url"])
    body = "" if method == "GET" else body
    message = build_message(method, signed_url, used["timestamp"], used["nonce"], body)
    explanations = _explain(
        info,
        method=method,
        typed_url=used["url"],
        signed_url=signed_url,
        timestamp=used["timestamp"],
        nonce=used["nonce"],
        body=body,
        message=message,
    )
    details: list[Finding] = []
    byte_length = len(message.encode("utf-8"))
    length_differs = (
        info.sign_message_length is not None and info.sign_message_length != byte_length
    )
    if length_differs:
        details.append(
            Finding(
                "length_differs",
                _(
                    "微信支付算出的签名串长 {theirs} 字节，按你的请求构造的长 {bytes} 字节"
                    "（{characters} 个字符）：实际发出的请求（多半是请求体）与你签名的不是同一份。",
                    theirs=info.sign_message_length,
                    bytes=byte_length,
                    characters=len(message),
                ),
                SRC_401,
                "body",
            )
        )
    shown = info.shown
    difference = first_difference(shown, message)
    if difference is None and not info.body_cut and len(shown) > len(message):
        # Ours ended first: the difference is where it ended.
        difference = first_difference(shown, message + "\0")
    if difference is not None:
        details.append(
            Finding(
                "message_differs",
                _(
                    "第 {line} 行（{part}）第 {column} 个字符起不同：微信支付收到的是 {theirs}，"
                    "你这里是 {ours}。",
                    line=difference.line,
                    part=PART_LABELS[difference.part],
                    column=difference.column,
                    theirs=difference.theirs_named,
                    ours=difference.ours_named,
                ),
                SRC_401,
            )
        )
    consistent = not explanations and not details
    if consistent:
        if "://" in used["url"]:
            explanations.append(
                Finding(
                    "host_signed",
                    _(
                        "你填的 URL 带了协议和域名：签名串里只写路径和查询参数 {url}（这里已去掉）。"
                        "如果你的程序签名时带上了域名，微信支付就会验签失败。",
                        url=signed_url,
                    ),
                    SRC_SIGN,
                    "url",
                )
            )
        details.append(
            Finding(
                "message_matches",
                _(
                    "微信支付看到的签名串与按你的请求构造的一致：问题在签名本身——"
                    "私钥与 serial_no 指向的证书不是一对，"
                    "或签名算法不是 SHA256withRSA，或签名时用的串与发出的请求不同。"
                ),
                SRC_401,
            )
        )
        verdict: Message = _("微信支付收到的签名串与你这里的一致：问题在签名值或私钥/证书。")
    elif difference is not None:
        verdict = _(
            "微信支付收到的签名串与你这里的不一致：第 {line} 行（{part}）不同。",
            line=difference.line,
            part=PART_LABELS[difference.part],
        )
    elif length_differs:
        verdict = _(
            "微信支付收到的签名串与你这里的不一致：第 5 行（请求体）不同——"
            "微信支付收到的签名串长 {theirs} 字节，你这里 {ours} 字节。",
            theirs=info.sign_message_length,
            ours=byte_length,
        )
    else:  # the method or the URL: WeChat Pay's fields say so, its message was cut before
        verdict = _("微信支付收到的签名串与你这里的不一致：{why}", why=explanations[0].message)
    # When all else agrees, the host is named above as a possible cause (host_signed).
    details += [f for f in url_findings if not (consistent and f.code == "host_not_signed")]
    return SignErrorComparison(
        info=info,
        message=message,
        message_lines=visible_lines(message),
        truncated_lines=visible_lines(info.truncated_sign_message),
        first_difference=difference,
        findings=tuple(explanations + details),
        consistent=consistent,
        verdict=verdict,
        explanations=tuple(explanations),
        details=tuple(details),
        rows=_rows(info, message),
        method=method,
        url=signed_url,
        timestamp=used["timestamp"],
        nonce=used["nonce"],
        from_401=tuple(from_401),
        message_length=byte_length,
    )
