"""The loose text between structured parts for diagnostics.core.inspect: runs of name=value (or
``'name' => value``) lines, stack traces, error text; chat and log noise are dropped."""

from __future__ import annotations

import re

from diagnostics.core.findings import ParseError
from diagnostics.core.inspect_parts import DIAGNOSE_CHARS, Reading, classify_pairs
from diagnostics.core.params import MAX_PARAMS, parse_params
from diagnostics.core.text import Message, _, joined

# --- Loose text: name=value lines, stack traces, error text, chat


_PAIR_LINE = re.compile(r"[ \t>]*[A-Za-z_][\w.]{0,40}[ \t]*(?:=|:|：)[ \t]*\S[^\n]{0,4096}")
_TRACE_LINE = re.compile(
    r"[ \t]*(?:at [\w$.<>/]+\(|at [\w$.<>]+ \(|File \"|#\d+ |Caused by:|goroutine \d+|"
    r"Traceback \(most recent call last\)|Stack trace:|Exception in thread |PHP (?:Fatal|Warning))"
)
_ERROR_WORDS = re.compile(
    r"错误|失败|异常|报错|不正确|不存在|无效|签名|(?i:errCode|err_code|errmsg|error|exception|fail|"
    r"invalid|denied|refused)|\b[A-Z]{2,}_[A-Z_]{2,}\b"
)
# Where a text names an SDK (package, namespace or path), the SDK and its platform; then the
# platform's own words. The first hit in this order wins.
_SDK_NAMES = (
    ("com.wechat.pay.java", "wechatpay-java", "wechat_v3"),
    ("wechatpay-java", "wechatpay-java", "wechat_v3"),
    ("wechatpay-apache-httpclient", "wechatpay-apache-httpclient", "wechat_v3"),
    ("com.wechat.pay.contrib", "wechatpay-apache-httpclient", "wechat_v3"),
    ("wechatpay-php", "wechatpay-php", "wechat_v3"), ("WeChatPay\\", "wechatpay-php", "wechat_v3"),
    ("vendor/wechatpay", "wechatpay-php", "wechat_v3"),
    ("wechatpay-go", "wechatpay-go", "wechat_v3"), ("wechatpayv3", "wechatpayv3", "wechat_v3"),
    ("IJPay", "IJPay", "wechat_v2"), ("WXPayUtil", "WXPay SDK", "wechat_v2"),
    ("wxpay-sdk", "wxpay-sdk", "wechat_v2"), ("wechatpy", "wechatpy", "wechat_v2"),
    ("EasyWeChat", "EasyWeChat", "wechat_v2"), ("weixin-java-pay", "WxJava", "wechat_v2"),
    ("binarywang", "WxJava", "wechat_v2"), ("WechatPay\\", "wechatpay-php", "wechat_v3"),
    ("/v3/", "", "wechat_v3"), ("APIv3", "", "wechat_v3"), ("SIGN_ERROR", "", "wechat_v3"),
    ("get_brand_wcpay_request", "", "wechat_v2"), ("requestPayment", "", "wechat_v2"),
    ("沙箱", "", "wechat_v2"), ("sandboxnew", "", "wechat_v2"),
    ("支付分", "", "wechat_payscore"), ("payscore", "", "wechat_payscore"),
    ("baidu", "", "baidu"), ("百度", "", "baidu"), ("rsaSign", "", "baidu"),
    ("err_code", "", "wechat_v2"), ("return_msg", "", "wechat_v2"),
)  # fmt: skip
PLATFORM_NAMES = {
    "wechat_v2": _("微信支付 V2"),
    "wechat_v3": _("微信支付 APIv3"),
    "wechat_payscore": _("微信支付分"),
    "baidu": _("百度收银台"),
}


def _sdk_of(chunk: str) -> tuple[str, str]:
    """The SDK a text names ("" if none) and its platform ("" if none)."""
    for needle, sdk, platform in _SDK_NAMES:
        if needle in chunk:
            return sdk, platform
    return "", ""


def _platform_of(chunk: str) -> str:
    return _sdk_of(chunk)[1]


def named(sdk: str, platform: str) -> Message:
    """ "wechatpay-java · 微信支付 APIv3": what a trace or an error text names, for its summary
    (the platform's name translated when shown); "" when it names nothing."""
    items = [item for item in (sdk, PLATFORM_NAMES.get(platform)) if item]
    return joined(" · ", items) if items else ""


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    lines = []
    position = start
    while position < end:
        line_end = text.find("\n", position, end)
        line_end = end if line_end < 0 else line_end
        lines.append((position, line_end))
        position = line_end + 1
    return lines


def classify_loose(text: str, start: int, end: int, fallback: bool = False) -> list[Reading]:
    """What lies between structured parts: runs of name=value lines (read as parameters), a stack
    trace, error text; chat and log noise are dropped. ``fallback``: the whole text, read as text
    for the diagnosis even without an error word."""
    readings: list[Reading] = []
    lines = [(a, b) for a, b in _lines(text, start, end) if text[a:b].strip(" \t\r`>")]
    # The text just before a part on its own line is its log prefix ("… ERROR response:"), not
    # a message of its own.
    if lines and not fallback and lines[-1][1] == end < len(text) and text[end] != "\n":
        lines.pop()
    # A short line ending in a colon just before a part introduces it ("线上报错了：", "返回:").
    if (
        lines
        and not fallback
        and end < len(text)
        and not text[lines[-1][1] : end].strip()
        and lines[-1][1] - lines[-1][0] <= INTRODUCTION_CHARS
        and text[lines[-1][0] : lines[-1][1]].rstrip(" \t\r").endswith((":", "："))
    ):
        lines.pop()
    index = 0
    rest: list[tuple[int, int]] = []
    while index < len(lines):
        run = index
        while run < len(lines) and _PAIR_LINE.fullmatch(
            text[lines[run][0] : lines[run][1]].rstrip("\r")
        ):
            run += 1
        if run == index:
            while run < len(lines) and _ARROW_LINE.match(text, *lines[run]):
                run += 1
        if run - index >= 3:
            a, b = lines[index][0], lines[run - 1][1]
            # More lines than a request has parameters is no request (parse_params says so).
            reading = _read_lines(text, a, b) if run - index <= MAX_PARAMS else None
            if reading is not None:
                readings.append(reading)
                index = run
                continue
            # Not parameters as a whole: its lines are text, each read once (trying every
            # suffix of the run was quadratic: 9.5 KB of name=value lines took 4 s).
            rest.extend(lines[index:run])
            index = run
            continue
        rest.append(lines[index])
        index += 1
    errors = [
        (a, b)
        for a, b in rest
        # A line's first DIAGNOSE_CHARS are all the diagnosis would read of it.
        if _ERROR_WORDS.search(text, a, min(b, a + DIAGNOSE_CHARS))
        and not _SECRET_LINE.match(text, a, b)
    ]
    if errors or (fallback and rest):
        chosen = errors or rest
        a, b = chosen[0][0], chosen[-1][1]
        chunk = "\n".join(text[x:y].strip() for x, y in chosen)
        sdk, platform = _sdk_of(text[start:end])
        where = named(sdk, platform)
        readings.append(
            Reading(
                "error_text",
                platform,
                (a, b),
                _("报错文字（{where}）：查文档里的原因和办法。", where=where)
                if where
                else _("报错文字：查文档里的原因和办法。"),
                "diagnose",
                {"q": chunk[:DIAGNOSE_CHARS], "platform": platform},
                confidence="likely" if errors else "unsure",
            )
        )
    readings.sort(key=lambda item: item.span[0])
    return readings


INTRODUCTION_CHARS = 40
ARROW_VALUE_TAIL = " \t,\r"  # what may follow a value that no quote closes: spaces, a comma
_ARROW_LINE = re.compile(
    r"[ \t]*+['\"]?(\w{1,40})['\"]?[ \t]*+=>[ \t]*+['\"]?([^'\"\n]{0,4096})['\"]?[ \t,\r]*+$"
)


def _read_lines(text: str, start: int, end: int) -> Reading | None:
    block = re.sub(r"(?m)^[ \t>]+", "", text[start:end])
    if "=>" in block:  # a PHP array or a Ruby hash, one pair a line
        block = "\n".join(
            match.group(1) + "=" + match.group(2).rstrip(ARROW_VALUE_TAIL)
            for line in block.splitlines()
            if (match := _ARROW_LINE.match(line))
        )
    try:
        parsed = parse_params(block)
    except ParseError:
        return None
    return classify_pairs(text, start, end, parsed.pairs, parsed, block)


_EXCEPTION_LINE = re.compile(r"[\w$]*(?:Exception|Error|Throwable|Fatal|panic)\b|^Caused by")
_SECRET_LINE = re.compile(r"[ \t>]*[\w.-]*(?i:key|secret|password|token)[\w.-]*[\"']?[ \t]*[=:：]")


def trace_regions(text: str) -> list[tuple[int, int]]:
    """Where the stack traces are, in one pass over the lines: a run of frame lines (``at …``,
    ``File "…"`` and its code line, ``#0 …``, ``Caused by:``), the exception lines just above it
    (up to two, not across a blank line or a fence) and the exception line just below it."""
    regions: list[tuple[int, int]] = []
    lines = _lines(text, 0, len(text))
    index = 0
    while index < len(lines):
        a, b = lines[index]
        if not _TRACE_LINE.match(text, a, b):
            index += 1
            continue
        first = back = index
        for _back in range(2):
            if back == 0:
                break
            pa, pb = lines[back - 1]
            previous = text[pa:pb].strip()
            if not previous and back >= 2 and text.startswith("panic:", lines[back - 2][0]):
                back -= 1  # Go prints a blank line between the panic and its goroutines
                continue
            if not previous or previous.startswith("```") or (regions and pa < regions[-1][1]):
                break
            back -= 1
            if _EXCEPTION_LINE.search(previous):
                first = back  # the exception line, and what it printed below it
        last = index
        while last + 1 < len(lines):
            na, nb = lines[last + 1]
            following = text[na:nb]
            if _TRACE_LINE.match(text, na, nb) or (
                following.startswith("    ") and following.strip()
            ):
                last += 1
                continue
            if (
                following.strip()
                and not following.startswith("```")
                and (_ERROR_WORDS.search(following))
            ):
                last += 1
            break
        regions.append((lines[first][0], lines[last][1]))
        index = last + 1
    return regions


def classify_trace(text: str, start: int, end: int) -> Reading:
    chunk = text[start:end]
    exception_lines = [
        line.strip()
        for line in chunk.splitlines()
        if _ERROR_WORDS.search(line) and not _TRACE_LINE.match(line)
    ] or [chunk.strip().splitlines()[0]]
    sdk, platform = _sdk_of(chunk)
    where = named(sdk, platform)
    line = exception_lines[0][:200]
    return Reading(
        "stack_trace",
        platform,
        (start, end),
        _("堆栈（{where}）：{line}——查文档里的原因和办法。", where=where, line=line)
        if where
        else _("堆栈：{line}——查文档里的原因和办法。", line=line),
        "diagnose",
        {"q": "\n".join(exception_lines)[:DIAGNOSE_CHARS], "platform": platform},
        confidence="likely",
    )
