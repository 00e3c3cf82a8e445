"""What a pasted answer says beyond its words: every string of a JSON or XML answer (codes only from
code-named fields), stack traces cut to their exception lines, platform and API family from SDK
names, packages, exception classes, hosts and paths, payment platforms the base does not cover.

>>> read_signals("错误码：１０００３").codes
('10003',)
>>> read_signals('HTTP/1.1 401 Unauthorized {"code":"SIGN_ERROR","message":"签名错误"}').http_status
401
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import re2

from faq.knowledge import PLATFORMS
from faq.normalize import (
    CDATA_TEXT,
    MAX_QUERY_CHARS,
    SPACES,
    http_status_in,
    looks_like_code,
    named_and_loose_codes,
    normalize,
    unify,
    word_set,
)

# --- payloads ----------------------------------------------------------------------------------

# A DOCTYPE may declare entities (XXE, "billion laughs"); it is cut out and nothing is expanded.
# RE2: a repeated group holding .*? backtracks exponentially in re (63 bytes took 8 s, issue 10).
# RE2's \b knows only ASCII, so "\b" is spelled out: the next character is not a word character
# in re's sense (a letter, a digit or "_" in any script).
_NOT_WORD = r"[^\pL\pN_"
_DTD = re2.compile(
    r"(?is)<!DOCTYPE(?:>|(?:" + _NOT_WORD + r"\[>]|\[.*?\])(?:[^\[>]|\[.*?\])*>)"
    r"|<!ENTITY(?:>|" + _NOT_WORD + r">][^>]*>)"
)


_XML_ELEMENT = re.compile(
    r"<([A-Za-z_][\w.-]{0,63})(?:\s[^<>]*)?>\s*+"
    r"(?:<!\[CDATA\[(" + CDATA_TEXT + r")\]\]>|([^<]*+))\s*+</\1\s*+>"
)
_XML_TAG = re.compile(r"</?[A-Za-z_?!][^<>]{0,200}>")
_JSON_PAIR = re.compile(
    r'"([A-Za-z_]\w{0,63})"\s*:\s*("(?:[^"\\\n]|\\.){0,2000}"|-?\d+(?:\.\d+)?|true|false|null)'
)
_INDEX_SUFFIX = re.compile(r"_\d+$")
_JSON_KEY_LEFT = re.compile(r'"[A-Za-z_]\w{0,63}"\s*:')

# Fields that carry what went wrong in words: 002 §3 return_msg / err_code_des, 004 message,
# JS bridge err_msg / errMsg, and what SDKs and other APIs call them (retmsg, sub_msg, detail).
_MESSAGE_FIELDS = word_set(
    "return_msg err_code_des message msg errmsg err_msg error_msg errormsg error_message "
    "error_description issue sub_msg submsg trade_state_desc retmsg ret_msg errstr err_str detail "
    "description reason"
)
# Codes are read only from these fields (and from code shapes in the messages): a number in any
# other field is an amount, a time or an id (issue 14: bare numbers became codes).
_CODE_FIELDS = word_set(
    "err_code errcode error_code errorcode code errno err_no retcode ret_code sub_code subcode "
    "trade_state refund_status"
)
# Fields whose values are ids, keys, signs and nonces: they never say what went wrong.
_NOISE_FIELDS = word_set(
    "sign paysign signature sign_type signtype nonce_str noncestr nonce appid app_id sub_appid "
    "mch_id mchid sub_mch_id sub_mchid sp_mchid sp_appid openid sub_openid out_trade_no "
    "transaction_id out_refund_no refund_id prepay_id prepayid package timestamp time_stamp "
    "serial_no serial ciphertext associated_data certificate device_info total_fee cash_fee "
    "fee_type bank_type time_end attach request_id partnerid "
    # Alipay's ids, numbers and certificate SNs (公共请求参数, 异步通知参数)
    "trade_no notify_id buyer_id seller_id auth_app_id buyer_logon_id app_cert_sn alipay_cert_sn "
    "alipay_root_cert_sn alipay_sdk"
)
_V2_FIELDS = word_set("return_code return_msg result_code err_code err_code_des")
# 002 统一下单 trade_type values name the entry point.
_TRADE_TYPES = {"JSAPI": "jsapi", "APP": "app", "NATIVE": "native", "MWEB": "h5"}
_QUIET_MESSAGES = frozenset({"ok", "success", ""})

# JS bridge results: get_brand_wcpay_request:fail (002 §4), openBusinessView:fail_... (000 序号 14).
_BRIDGE_RESULT = re.compile(
    r"(?<![a-z0-9_.])([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?)\s*:\s*(ok|fail|cancel|denied)"
    r"((?:[_ ][a-z0-9'_-]+){0,12})"
)
_NOT_BRIDGE_NAMES = frozenset({"return_code", "result_code", "code", "http", "https", "status"})

_V2 = ("wechat_v2",)
_V3 = ("wechat_v3",)
_WECHAT_PAY = ("wechat_v2", "wechat_v3")
_WECHAT = ("wechat_v2", "wechat_v3", "wechat_payscore")
_ALIPAY = ("alipay",)

# Words that point at a platform and/or a scenario. Substrings of the case-folded paste:
_HINT_SUBSTRINGS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("开启服务页", "开通服务页", "开启支付分"), ("wechat_payscore", "enable_page")),
    (("订单确认页", "确认订单页"), ("wechat_payscore", "confirm_page")),
    (("订单详情页",), ("wechat_payscore", "detail_page")),
    (("支付分", "payscore", "openbusinessview", "服务id", "服务 id"), ("wechat_payscore",)),
    (("开启页",), ("enable_page",)),
    (("确认页", "订单确认", "确认订单"), ("confirm_page",)),
    (("详情页", "订单详情"), ("detail_page",)),
    (("百度", "baidu", "rsasign", "tporderid", "dealid", "bizinfo", "orderinfo"), ("baidu",)),
    (("signfieldsrange", "企业资产", "核销", "swan", "收银台", "智能小程序"), ("baidu",)),
    (("requestpolymerpayment", "polymerpay", "smartprogram.baidu"), ("baidu",)),
    (("onresp", "wxpayentryactivity"), ("wechat_v3", "app")),
    (("apiv3", "/v3/", "wechatpay2-sha256", "wechatpay-serial", "wechatpay-signature"), _V3),
    (("combine-transactions", "combine_transactions", "平台收付通", "合单"), _V3),
    (("pub_key_id", "wechatpay-timestamp", "/v3/certificates"), _V3),
    # SDKs, their packages and exception classes (issue 14): the APIv3-only ones ...
    (("com.wechat.pay.java", "wechatpay-java", "wechatpay-go", "wechatpay-php"), _V3),
    (("wechatpay-axios", "wechatpay-apache-httpclient", "wechatpay-guzzle", "wechatpayv3"), _V3),
    (("wechatpay-node-v3", "wechatpay.v3"), _V3),
    # ... wechatpy's pay module (V2) ...
    (("wechatpy", "wechatpayexception"), _V2),
    # ... and those that speak both versions.
    (("binarywang", "wxpayexception", "wxjava", "weixin-java-pay", "wxpayservice"), _WECHAT_PAY),
    (("easywechat", "overtrue", "tenpay"), _WECHAT_PAY),
    # Alipay (issue 18): the name in any script, its gateways (openapi.alipay.com, the sandbox's
    # openapi-sandbox.dl.alipaydev.com), alipay.trade.* methods and the SDKs (alipay-sdk-java,
    # AlipayClient, alipay-easysdk, alipay-sdk-python) all say "alipay"; the rest are Alipay's own
    # parameter names, the PHP SDK's AopClient and the Java SDK's check methods.
    (
        ("支付宝", "alipay", "isv.", "aopclient", "rsacheckv1", "rsacheckv2", "certificateexecute"),
        _ALIPAY,
    ),
    (("smartwalle", "app_cert_sn", "biz_content", "bizcontent", "应用公钥", "应用私钥"), _ALIPAY),
    (("sub_code", "sub_msg", "subcode", "submsg"), _ALIPAY),
    (("公众号支付",), ("wechat_v2", "jsapi")),
    (("<xml>", "return_code", "unifiedorder", "md5", "统一下单"), _V2),
    (("/pay/orderquery", "/pay/closeorder", "/secapi/pay/refund", "/pay/refundquery"), _V2),
    (("/pay/downloadbill", "/pay/micropay", "/tools/shorturl", "getsignkey", "sandboxnew"), _V2),
    (("安卓", "android"), ("app",)),
    (("mweb",), ("h5",)),
    (("小程序", "miniprogram", "extradata", "requestpayment"), ("miniprogram",)),
    (("jsapi", "公众号", "get_brand_wcpay_request", "getbrandwcpayrequest"), ("jsapi",)),
    (("weixinjsbridge", "choosewxpay"), ("jsapi",)),
    (("扫码",), ("native",)),
)
# SDKs that speak to WeChat Pay and Alipay both: the rest of the paste says which, else both.
_TWO_PLATFORM_SDKS = ("yansongda", "gopay", "go-pay", "ijpay")
# Alipay's codes name their layer: isv./isp./aop. gateway codes (公共错误码), ACQ. business ones.
_ALIPAY_CODE_PREFIXES = ("ISV.", "ISP.", "AOP.", "ACQ.")
# The payment API's host serves both versions: its path (/v3/…, /pay/unifiedorder) says which.
_PAY_HOST = "api.mch.weixin.qq.com"
# "微信" alone says WeChat without saying which product: all three, unless one is named.
_WECHAT_WORDS = ("微信", "wechat", "weixin", "wx.")
# Payment platforms the knowledge base does not cover: their errors are never ours (issue 14).
_FOREIGN_PLATFORMS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("银联", "unionpay", "云闪付"), "银联"),
    (("stripe",), "Stripe"),
    (("paypal",), "PayPal"),
    (("京东支付", "jdpay"), "京东支付"),
    (("抖音", "tt.pay", "douyin", "字节跳动"), "抖音"),
    (("快手", "ks.pay", "kuaishou"), "快手"),
)
# ... and whole ASCII words, which would match inside longer ones ("app" in "wrapper").
_HINT_WORDS: dict[str, tuple[str, ...]] = {
    "app": ("app",),
    "ios": ("app",),
    "h5": ("h5",),
    "native": ("native",),
    "v2": ("wechat_v2",),
    "v3": ("wechat_v3",),
}
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_BRIDGE_HINTS: dict[str, tuple[str | None, str | None]] = {
    "get_brand_wcpay_request": (None, "jsapi"),
    "choosewxpay": (None, "jsapi"),
    "openbusinessview": ("wechat_payscore", None),
    "requestpayment": (None, "miniprogram"),
    "navigatetominiprogram": ("wechat_payscore", "miniprogram"),
}

# A URL says where something was called, not what went wrong: its host and path are read for
# hints, then it leaves the matched text (issue 14: a pasted api.weixin.qq.com link pulled entries).
_URL = re.compile(r"(?<![A-Za-z0-9])https?://[^\s\"'<>，。）)]*+")


@dataclass(frozen=True)
class Signals:
    """What a paste says, pulled apart.

    ``text`` is the normalised paste with payloads reduced to what they say in words (XML and
    JSON string values except ids, nonces and signs; numbers only from code fields), stack
    traces reduced to their exception lines and URLs left out. ``codes`` are codes by name or
    shape; ``loose_codes`` five- or six-digit numbers a sentence holds with no keyword.
    ``foreign`` names a platform the knowledge base does not cover (银联, Stripe, …) when the
    paste names one; ``family_hints`` the WeChat platforms when it says "微信" and names none of
    them. ``ignored`` lists parts that were refused, e.g. a DOCTYPE.
    """

    text: str
    codes: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    http_status: int | None = None
    platform_hints: tuple[str, ...] = ()
    scenario_hints: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()
    loose_codes: tuple[str, ...] = ()
    foreign: str = ""
    family_hints: tuple[str, ...] = ()


def read_signals(query: str) -> Signals:
    """Pull codes, message phrases, HTTP status and platform/scenario hints out of a paste.

    >>> s = read_signals("<xml><return_code>FAIL</return_code><return_msg>签名错误</return_msg></xml>")
    >>> s.phrases, s.platform_hints
    (('签名错误',), ('wechat_v2',))
    >>> read_signals('{"retcode": -1, "retmsg": "system error", "amount": 10003}').codes
    ('-1',)
    """
    raw = unify(query[:MAX_QUERY_CHARS])[:MAX_QUERY_CHARS]
    ignored: list[str] = []
    if "<!" in raw and _DTD.search(raw):
        raw = _DTD.sub(lambda _match: " ", raw)  # a function: re2 garbles non-ASCII str templates
        ignored.append("XML 中的 DOCTYPE / ENTITY 声明已忽略，实体不会展开")
    raw = reduce_stack_trace(raw)

    codes: list[str] = []
    phrases: list[str] = []
    platforms: list[str] = []
    scenarios: list[str] = []
    whole_text = raw.casefold()
    # Payload values join the matched text but are not searched for code shapes: only their
    # code fields give codes.
    said: list[str] = []
    # unify() unescapes entities, and an escaped quote inside a pasted value is itself the clue
    # (Alipay's fund_bill_list reaching a handler as [{&quot;amount&quot;…): it is said in words.
    if _ESCAPED_QUOTE.search(query[:MAX_QUERY_CHARS]):
        said.append(_ESCAPED_VALUE_WORDS)

    xml_fields: dict[str, str] = {}

    def reduce_xml(match: re.Match[str]) -> str:
        # 002 退款查询: refund_status_$n carries one refund's state; read it as refund_status.
        tag = _INDEX_SUFFIX.sub("", match.group(1).lower())
        value = (match.group(2) if match.group(2) is not None else match.group(3)).strip()
        xml_fields.setdefault(tag, value)
        _keep_value(tag, value, said)
        return " "

    text = _XML_ELEMENT.sub(reduce_xml, raw) if "</" in raw else raw
    if xml_fields:
        text = _XML_TAG.sub(" ", text)
        _read_xml_fields(xml_fields, codes, phrases, platforms, scenarios)

    json_fields: dict[str, str] = {}

    def reduce_json(match: re.Match[str]) -> str:
        key = match.group(1).lower()
        literal = match.group(2)
        value = _json_value(literal)
        json_fields.setdefault(key, value)
        if literal.startswith('"') or key in _CODE_FIELDS:
            _keep_value(key, value, said)
        return " "

    if '"' in text:
        text = _JSON_PAIR.sub(reduce_json, text)
    if json_fields:
        text = _JSON_KEY_LEFT.sub(" ", text)
        _read_json_fields(json_fields, codes, phrases, platforms)

    if "://" in text:
        text = _URL.sub(" ", text)
    named, loose = named_and_loose_codes(text)
    for phrase in phrases:  # "…,错误码:10003" inside a message field
        named += named_and_loose_codes(phrase)[0]
    text = " ".join([text, *said]) if said else text
    normalized = SPACES.sub(" ", text.casefold()).strip()
    maybe_bridge = ":" in normalized and _any_in(("ok", "fail", "cancel", "denied"), normalized)
    bridge_results = _BRIDGE_RESULT.finditer(normalized) if maybe_bridge else ()
    for match in bridge_results:
        name = match.group(1)
        if name in _NOT_BRIDGE_NAMES or name.endswith("_code"):
            continue
        phrases.append(match.group(0).strip())
        platform, scenario = _BRIDGE_HINTS.get(name, (None, None))
        if platform:
            platforms.append(platform)
        if scenario:
            scenarios.append(scenario)

    codes.extend(named)
    _hint_from_codes(codes, whole_text, platforms, scenarios)
    # 000 序号 2: "跳转支付分小程序" is the Pay Score mini program every jump lands on, not the
    # merchant's own entry point.
    hint_text = whole_text.replace("支付分小程序", "支付分")
    labels = [
        label for words, hinted in _HINT_SUBSTRINGS for label in hinted if _any_in(words, hint_text)
    ]
    ascii_words = set(_ASCII_WORD.findall(hint_text))
    labels.extend(
        label for word, hinted in _HINT_WORDS.items() if word in ascii_words for label in hinted
    )
    for label in labels:
        (platforms if label in PLATFORMS else scenarios).append(label)
    if _any_in(_TWO_PLATFORM_SDKS, hint_text):
        platforms.extend(_sdk_platforms(platforms, hint_text))
    if _PAY_HOST in hint_text and not {"wechat_v2", "wechat_v3"} & set(platforms):
        platforms.extend(_WECHAT_PAY)
    family: tuple[str, ...] = ()
    if not any(p.startswith("wechat") for p in platforms) and _any_in(_WECHAT_WORDS, hint_text):
        family = _WECHAT
    foreign = next((name for words, name in _FOREIGN_PLATFORMS if _any_in(words, hint_text)), "")

    unique_codes = _unique(codes)
    return Signals(
        text=normalized,
        codes=unique_codes,
        phrases=_unique(p for p in map(normalize, phrases) if p not in _QUIET_MESSAGES),
        http_status=http_status_in(raw),
        platform_hints=_unique(platforms),
        scenario_hints=_unique(scenarios),
        ignored=tuple(ignored),
        loose_codes=tuple(code for code in loose if code not in unique_codes),
        foreign=foreign,
        family_hints=family,
    )


def _keep_value(name: str, value: str, said: list[str]) -> None:
    """A payload value that says something in words joins the matched text."""
    if name in _NOISE_FIELDS or value.casefold() in _QUIET_MESSAGES:
        return
    if name in _CODE_FIELDS or not _NUMBER_VALUE.fullmatch(value):
        said.append(value)


_NUMBER_VALUE = re.compile(r"-?\d+(?:\.\d+)?")
_ESCAPED_QUOTE = re.compile(r"&(?:quot|#34|#x22);")
_ESCAPED_VALUE_WORDS = "值被html转义"


# Frames of a stack trace say where, not what: Java "at …(File.java:42)" and "... 12 more",
# Python 'File "…", line 3' and the source line under it, Go "file.go:42 +0x1d" and goroutine
# headers. The exception lines ("…Exception: message", "Caused by: …") stay.
_GO_FRAME = re.compile(r"\.go:\d+(?: \+0x[0-9a-f]+)?$")


def reduce_stack_trace(text: str) -> str:
    r"""The text without the frame lines of a pasted stack trace.

    >>> reduce_stack_trace("java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)\n")
    'java.lang.IllegalStateException: boom'
    """
    if "\n" not in text or not any(marker in text for marker in _FRAME_MARKERS):
        return text
    kept: list[str] = []
    after_python_frame = False
    for line in text.splitlines():
        stripped = line.strip()
        if after_python_frame and line[:1].isspace():
            after_python_frame = False
            continue
        after_python_frame = stripped.startswith('File "')
        if (
            after_python_frame
            or (stripped.startswith("at ") and stripped.endswith(")"))
            or (stripped.startswith("...") and stripped.endswith("more"))
            or stripped.startswith(("Traceback (most recent call last)", "goroutine "))
            or _GO_FRAME.search(stripped)
        ):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


_FRAME_MARKERS = ("\tat ", "    at ", 'File "', "goroutine ", ".go:")


def _read_xml_fields(
    fields: dict[str, str],
    codes: list[str],
    phrases: list[str],
    platforms: list[str],
    scenarios: list[str],
) -> None:
    # 002 §3: return_code/return_msg is the protocol result, result_code/err_code the business one.
    if _V2_FIELDS & fields.keys() or {"mch_id", "nonce_str"} <= fields.keys():
        platforms.append("wechat_v2")
    for name in sorted(_MESSAGE_FIELDS & fields.keys()):
        if fields[name]:
            phrases.append(fields[name])
    code_fields = ("err_code", "errcode", "error_code", "code", "trade_state", "refund_status")
    codes.extend(_field_codes(fields, code_fields))
    trade_type = fields.get("trade_type", "").strip().upper()
    if trade_type in _TRADE_TYPES:
        scenarios.append(_TRADE_TYPES[trade_type])


def _read_json_fields(
    fields: dict[str, str], codes: list[str], phrases: list[str], platforms: list[str]
) -> None:
    # 004 错误码: an APIv3 error body is {"code": "SIGN_ERROR", "message": "..."}.
    if "code" in fields and "message" in fields and not fields["code"].lstrip("-").isdigit():
        platforms.append("wechat_v3")
    for name in sorted(_MESSAGE_FIELDS & fields.keys()):
        if fields[name]:
            phrases.append(fields[name])
    codes.extend(_field_codes(fields, sorted(_CODE_FIELDS & fields.keys())))


def _field_codes(fields: dict[str, str], names: Iterable[str]) -> Iterator[str]:
    """The values of the named payload fields that read as error codes, upper-cased."""
    for name in names:
        value = fields.get(name, "").strip().upper()
        if value and looks_like_code(value):
            yield value


_ERRCODE_WORD = re.compile(r"(?i)err_?code")


def _sdk_platforms(platforms: list[str], text: str) -> tuple[str, ...]:
    """The platforms a two-platform SDK's name stands for, given what else the paste says."""
    alipay = "alipay" in platforms
    wechat = any(p.startswith("wechat") for p in platforms) or _any_in(_WECHAT_WORDS, text)
    if alipay and not wechat:
        return _ALIPAY
    if wechat and not alipay:
        return _WECHAT_PAY
    return (*_WECHAT_PAY, *_ALIPAY)


def _hint_from_codes(
    codes: list[str], text: str, platforms: list[str], scenarios: list[str]
) -> None:
    if any(code.startswith(_ALIPAY_CODE_PREFIXES) for code in codes):
        platforms.append("alipay")
    # 001 调起收银台错误: errCode:6 is Baidu's 请求签名错误; 003 App 调起支付: errCode -2/-1/0 are
    # what the WeChat App SDK hands onResp.
    if not _ERRCODE_WORD.search(text):
        return
    if "6" in codes:
        platforms.append("baidu")
    if "-1" in codes or "-2" in codes:
        platforms.append("wechat_v3")
        scenarios.append("app")


def _any_in(words: tuple[str, ...], text: str) -> bool:
    return any(word in text for word in words)


def _json_value(literal: str) -> str:
    if literal.startswith('"'):
        try:
            return str(json.loads(literal))
        except ValueError:
            return literal.strip('"')
    if literal in ("true", "false", "null"):
        return ""
    return literal


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for value in values if value))
