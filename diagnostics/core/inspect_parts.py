"""The readers and the classifier behind diagnostics.core.inspect: HTTP messages (raw or ``curl``),
objects (JSON, JS literals), parameter sets (XML, query, lines), PEM blocks, header blocks and the
loose text between them — each read by shape and field names, and routed by workbench name."""

from __future__ import annotations

import http.client
import io
import json
import re
import shlex
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from diagnostics.core.findings import ParseError
from diagnostics.core.literals import NotAnObject, read_object
from diagnostics.core.params import ParsedParams, parse_params
from diagnostics.core.text import Message, _

DIAGNOSE_CHARS = 16 * 1024

# What each page takes: its public fields, and the secret-named ones a paste may fill.
PAGE_SECRETS = {
    "wechat_v2": ("key",),
    "wechat_v2:refund-notify": ("key",),
    "wechat_v3:sign": ("private_key",),
    "wechat_v3:decrypt": ("apiv3_key",),
    "wechat_v3:pay-sign": ("private_key",),
    "wechat_v3:keyring": ("private_key", "apiv3_key", "key"),
    "baidu:sign": ("private_key",),
}
TAKES_PUBLIC_KEY = {
    "wechat_v3:authorization",
    "wechat_v3:verify",
    "wechat_v3:pay-sign",
    "baidu:verify",
}


@dataclass
class Reading:
    kind: str
    platform: str
    span: tuple[int, int]
    summary: Message
    page: str
    fields: dict[str, str]
    confidence: str = "certain"
    alternatives: list[dict[str, Any]] = field(default_factory=list)
    secrets: dict[str, str] = field(default_factory=dict)
    body_text: str | None = None  # a JSON body another part (a header block) may take

    @property
    def takes_secrets(self) -> tuple[str, ...]:
        return PAGE_SECRETS.get(self.page, PAGE_SECRETS.get(self.page.partition(":")[0], ()))

    @property
    def takes(self) -> set[str]:
        return {"public_key"} if self.page in TAKES_PUBLIC_KEY else set()

    def as_alternative(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "platform": self.platform,
            "summary": self.summary,
            "page": self.page,
            "fields": dict(self.fields),
        }


def _alternative(kind: str, platform: str, summary: Message, page: str, **fields: str) -> dict:
    return {"kind": kind, "platform": platform, "summary": summary, "page": page, "fields": fields}


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
    headers_end = re.compile(r"\r?\n[ \t]*\r?\n|\Z").search(text, head.end())
    assert headers_end is not None
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
    gap = re.compile(r"\r?\n[ \t]*\r?\n|\Z").search(text, stripped)
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
        auth = dict(re.findall(r'(\w+)="([^"]*)"', authorization))
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
                _alternative(
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
        fields = _verify_fields(message.headers, body)
        notification = message.method and '"resource"' in body
        reading = Reading(
            "wechat_v3_notification" if notification else "wechat_v3_response",
            "wechat_v3",
            span,
            _("微信支付回调通知：先验签，再解密 resource。")
            if notification
            else _("带 Wechatpay-* 头的 APIv3 应答：去验签。"),
            "wechat_v3:verify",
            fields,
        )
        if notification:
            reading.alternatives.append(
                _alternative(
                    "wechat_v3_notification",
                    "wechat_v3",
                    _("解密通知的 resource（需要 APIv3 密钥）。"),
                    "wechat_v3:decrypt",
                    notification=body,
                )
            )
        return reading
    if body:
        inner = _classify_body(text, message)
        if inner is not None:
            inner.span = span
            return inner
    if message.status:
        return None
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


def classify_wechatpay_headers(text: str, start: int) -> Reading | None:
    """A block of ``Wechatpay-*: value`` lines (other headers may sit among them)."""
    position = start
    block_end = start
    for _line in range(100):
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


# --- PEM


_PEM = re.compile(
    r"-----BEGIN (?P<label>[A-Z0-9 ]{1,40})-----[A-Za-z0-9+/=\s:,-]{0,65536}?-----END (?P=label)-----"
)


def classify_pem(text: str, start: int) -> Reading | None:
    """PEM blocks, consecutive ones together (a chain, a key beside its certificate)."""
    end = start
    labels = []
    private = []
    position = start
    while (block := _PEM.match(text, position)) is not None and len(labels) < 20:
        labels.append(block.group("label"))
        if "PRIVATE" in block.group("label"):
            private.append(block.group())
        end = block.end()
        position = end + len(text[end : end + 200]) - len(text[end : end + 200].lstrip())
    if not labels:
        return None
    summary = _(
        "PEM：{labels}。到密钥体检里说出它是什么、是谁的、序列号和有效期。",
        labels=", ".join(labels),
    )
    return Reading(
        "pem",
        "wechat_v3",
        (start, end),
        summary,
        "wechat_v3:keyring",
        {},
        # The key ring's paste field is secret-named: every block goes there, never in a link.
        secrets={"private_key": text[start:end]},
    )


# --- Objects and parameter sets


def read_object_text(text: str) -> dict[str, Any] | None:
    """A JSON object, or a JS / Python / Java object literal read as flat string values."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        try:
            _fmt, pairs, _code = read_object(text)
        except (NotAnObject, ValueError, IndexError):
            return None
        return dict(pairs)
    return value if isinstance(value, dict) else None


_V2_REQUEST_FIELDS = {
    "appid", "mch_id", "nonce_str", "sign", "sign_type", "body", "out_trade_no", "total_fee",
    "spbill_create_ip", "notify_url", "trade_type", "openid", "transaction_id", "out_refund_no",
    "refund_fee", "bill_date", "bill_type", "sub_mch_id", "sub_appid", "product_id", "attach",
}  # fmt: skip
_BAIDU_ORDER = {"dealId", "appKey", "totalAmount", "tpOrderId"}
_BAIDU_CALLBACK = {"userId", "orderId", "unitPrice", "count", "totalMoney", "payMoney", "status"}


def classify_object(
    text: str, start: int, end: int, value: dict[str, Any] | None, body: str | None = None
) -> Reading | None:
    if not value:
        return None
    raw = body if body is not None else text[start:end]
    span = (start, end)
    names = set(value)
    resource = value.get("resource")
    if isinstance(resource, dict) and "ciphertext" in resource:
        return Reading(
            "wechat_v3_notification",
            "wechat_v3",
            span,
            _("APIv3 回调通知：解密 resource（验签还需要通知的 Wechatpay-* 头）。"),
            "wechat_v3:decrypt",
            {"notification": raw},
            body_text=raw,
        )
    if "code" in names and "message" in names:
        detail = value.get("detail")
        if isinstance(detail, dict) and "sign_information" in detail:
            return Reading(
                "wechat_v3_401",
                "wechat_v3",
                span,
                _("APIv3 的 401 SIGN_ERROR 应答：对比 sign_information，找出你的程序签了什么。"),
                "wechat_v3:sign",
                {"sign_error": raw},
                body_text=raw,
            )
        query = f"{value.get('code')} {value.get('message')}"
        return Reading(
            "wechat_v3_error",
            "wechat_v3",
            span,
            _("APIv3 错误应答 {code}：查文档里的原因和办法。", code=str(value.get("code"))[:64]),
            "diagnose",
            {"q": query[:DIAGNOSE_CHARS], "platform": "wechat_v3"},
            body_text=raw,
        )
    data = value.get("data")
    first = data[0] if isinstance(data, list) and data else None
    if isinstance(first, dict) and "encrypt_certificate" in first:  # noqa: SIM102
        return Reading(
            "wechat_v3_certificates",
            "wechat_v3",
            span,
            _("/v3/certificates 的应答：在密钥体检里用 APIv3 密钥解开平台证书。"),
            "wechat_v3:keyring",
            {},
            secrets={"private_key": raw},
            body_text=raw,
        )
    pairs = [(str(k), v if isinstance(v, str) else json.dumps(v)) for k, v in value.items()]
    reading = classify_pairs(text, start, end, pairs, None, raw)
    if reading is not None:
        reading.body_text = raw
        return reading
    v3_names = {"mchid", "sp_mchid", "sub_mchid", "combine_mchid", "amount", "payer", "appid",
                "sp_appid", "out_trade_no", "notify_url", "description", "combine_out_trade_no"}  # fmt: skip
    if len(names & v3_names) >= 3:
        return _v3_body(span, value, raw)
    return None


def _v3_body(span: tuple[int, int], value: dict[str, Any], raw: str) -> Reading:
    if "combine_out_trade_no" in value:
        api = "combine-app"
    elif "sub_mchid" in value or "sp_mchid" in value:
        payer = value.get("payer") if isinstance(value.get("payer"), dict) else {}
        scene = value.get("scene_info") if isinstance(value.get("scene_info"), dict) else {}
        api = "partner-jsapi" if payer else "partner-h5" if "h5_info" in scene else "partner-native"
    else:
        return Reading(
            "wechat_v3_body",
            "wechat_v3",
            span,
            _("APIv3 下单请求体：去请求签名页计算签名（还需要 URL 和商户私钥）。"),
            "wechat_v3:sign",
            {"method": "POST", "body": raw},
            confidence="likely",
            body_text=raw,
        )
    return Reading(
        "wechat_v3_body",
        "wechat_v3",
        span,
        _("APIv3 下单请求体：按文档字段表检查。"),
        "lint",
        {"api": api, "body": raw},
        confidence="likely",
        body_text=raw,
    )


def _v2_api(values: dict[str, str]) -> str:
    if "bill_date" in values:
        return "downloadbill"
    if "refund_fee" in values:
        return "refund"
    if "out_refund_no" in values or "refund_id" in values:
        return "refundquery"
    if "trade_type" in values or "total_fee" in values or "notify_url" in values:
        return "unifiedorder"
    return "orderquery"


def classify_pairs(
    text: str,
    start: int,
    end: int,
    pairs: list[tuple[str, str]],
    parsed: ParsedParams | None,
    raw: str | None = None,
) -> Reading | None:
    """A flat parameter set: V2 request, reply, notification, refund notification, a pay call,
    a Baidu orderInfo or callback."""
    raw = raw if raw is not None else text[start:end]
    values = dict(pairs)
    names = set(values)
    span = (start, end)
    secrets = {}
    if parsed is not None and parsed.pasted_key:
        secrets["key"] = parsed.pasted_key
    if "return_code" in names:
        if "req_info" in names:
            return Reading(
                "wechat_v2_refund_notification",
                "wechat_v2",
                span,
                _("V2 退款结果通知：用 API 密钥解密 req_info。"),
                "wechat_v2:refund-notify",
                {"notification": raw},
                secrets=secrets,
            )
        if "transaction_id" in names and ("time_end" in names or "total_fee" in names):
            return Reading(
                "wechat_v2_notification",
                "wechat_v2",
                span,
                _("V2 支付结果通知：用 API 密钥验证它的 sign。"),
                "wechat_v2:notify",
                {"raw": raw},
                secrets=secrets,
            )
        failed = "FAIL" in (values.get("return_code"), values.get("result_code"))
        query = " ".join(
            value
            for name in ("return_msg", "err_code", "err_code_des")
            if (value := str(values.get(name, "")).strip()) and value.upper() != "OK"
        )
        if failed or not values.get("sign"):
            return Reading(
                "wechat_v2_reply",
                "wechat_v2",
                span,
                _(
                    "微信支付 V2 的应答：{summary}——查文档里的原因和办法。",
                    summary=query[:200] or "FAIL",
                ),
                "diagnose",
                {"q": (query or raw)[:DIAGNOSE_CHARS], "platform": "wechat_v2"},
                confidence="certain" if failed else "likely",
            )
        return Reading(
            "wechat_v2_reply",
            "wechat_v2",
            span,
            _("微信支付 V2 的成功应答：可以用 API 密钥验证它的 sign。"),
            "wechat_v2:free",
            {"raw": raw},
            confidence="likely",
            secrets=secrets,
        )
    pay = _pay_call(span, values, raw, secrets)
    if pay is not None:
        return pay
    baidu_order = len(names & _BAIDU_ORDER) >= 3
    callback = len(names & _BAIDU_CALLBACK) >= 3 and bool(names & {"dealId", "tpOrderId"})
    if baidu_order or callback:
        if callback:
            return Reading(
                "baidu_callback",
                "baidu",
                span,
                _("百度收银台的支付回调：用平台公钥验证 rsaSign。"),
                "baidu:verify",
                {"params": raw},
                confidence="certain" if "rsaSign" in names else "likely",
            )
        return Reading(
            "baidu_order_info",
            "baidu",
            span,
            _("百度收银台 orderInfo：按文档算出 rsaSign（需要开发者私钥）。"),
            "baidu:sign",
            {"params": raw},
        )
    config = _merchant_config(span, values, secrets, parsed)
    if config is not None:
        return config
    v2_hits = names & _V2_REQUEST_FIELDS
    if len(v2_hits) >= 3 and names & {"mch_id", "nonce_str", "total_fee", "bill_date"}:
        api = _v2_api(values)
        partner = "sub_mch_id" in names
        preset = (
            "partner-unifiedorder"
            if partner and api == "unifiedorder"
            else ("unifiedorder" if api == "unifiedorder" else "free")
        )
        sign_page = Reading(
            "wechat_v2_request",
            "wechat_v2",
            span,
            _("微信支付 V2 {api} 请求（带 sign）：用 API 密钥核对签名。", api=api),
            f"wechat_v2:{preset}",
            {"raw": raw},
            secrets=secrets,
        )
        lint_page = _alternative(
            "wechat_v2_request",
            "wechat_v2",
            _("按 002 §4 的字段表检查这个 {api} 请求。", api=api),
            "lint",
            api=api,
            body=raw,
        )
        if "sign" in names:
            sign_page.alternatives.append(lint_page)
            return sign_page
        sign_page.alternatives.append(sign_page.as_alternative())
        return Reading(
            "wechat_v2_request",
            "wechat_v2",
            span,
            _(
                "微信支付 V2 {api} 请求（还没有 sign）：按字段表检查，或用 API 密钥算出 sign。",
                api=api,
            ),
            "lint",
            {"api": api, "body": raw},
            alternatives=sign_page.alternatives,
            secrets=secrets,
        )
    return None


_CONFIG_NAMES = {
    "mchid": "mchid", "merchantid": "mchid", "serialno": "serial_no",
    "merchantserialnumber": "serial_no", "mchserialno": "serial_no", "certserialno": "serial_no",
    "wechatpayserial": "wechatpay_serial", "publickeyid": "wechatpay_serial",
    "pubkeyid": "wechatpay_serial",
}  # fmt: skip


def _merchant_config(
    span: tuple[int, int], values: dict[str, str], secrets: dict[str, str], parsed: Any
) -> Reading | None:
    """APIv3 configuration lines (mchid, the merchant serial, the APIv3 key, a PUB_KEY_ID):
    what the key ring checks against each other."""
    fields: dict[str, str] = {}
    for name, value in values.items():
        target = _CONFIG_NAMES.get(re.sub(r"[^a-z0-9]", "", name.lower()))
        if target and isinstance(value, str):
            fields.setdefault(target, value)
    held = dict(getattr(parsed, "secrets", None) or {})
    if len(fields) + bool(held) < 2 or "transaction_id" in values or "out_trade_no" in values:
        return None
    return Reading(
        "merchant_config",
        "wechat_v3",
        span,
        _("商户配置（商户号、证书序列号、密钥）：到密钥体检里互相核对。"),
        "wechat_v3:keyring",
        fields,
        confidence="likely",
        secrets=secrets,
    )


def _pay_call(
    span: tuple[int, int], values: dict[str, str], raw: str, secrets: dict[str, str]
) -> Reading | None:
    lowered = {name.lower(): value for name, value in values.items()}
    jsapi = "prepay_id=" in str(lowered.get("package", "")) and "timestamp" in lowered
    app = "prepayid" in lowered and "partnerid" in lowered
    if not (jsapi or app):
        return None
    scene = "jsapi" if jsapi else "app"
    sign = str(lowered.get("paysign") or lowered.get("sign") or "")
    sign_type = str(lowered.get("signtype", "")).upper()
    v3 = _alternative(
        "pay_call", "wechat_v3", _("APIv3 的调起支付签名（RSA）。"), "wechat_v3:pay-sign",
        scene=scene, params=raw,
    )  # fmt: skip
    v2 = _alternative(
        "pay_call", "wechat_v2", _("V2 的调起支付签名（MD5 / HMAC-SHA256，用 API 密钥）。"),
        f"wechat_v2:{scene}", raw=raw,
    )  # fmt: skip
    if sign_type == "RSA" or len(sign) > 100:
        chosen, other, confidence = v3, v2, "certain"
    elif sign_type in ("MD5", "HMAC-SHA256") or re.fullmatch(
        r"[0-9A-Fa-f]{32}|[0-9A-Fa-f]{64}", sign
    ):
        chosen, other, confidence = v2, v3, "certain"
    else:
        chosen, other, confidence = v3, v2, "unsure"
    summary = (
        _("JSAPI / 小程序调起支付的参数：核对 paySign。")
        if jsapi
        else _("App 调起支付的参数：核对 sign。")
    )
    return Reading(
        "pay_call",
        chosen["platform"],
        span,
        summary,
        chosen["page"],
        dict(chosen["fields"]),
        confidence=confidence,
        alternatives=[other] if confidence == "unsure" else [],
        secrets=secrets,
    )


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
_SDK_NAMES = (
    ("wechatpay-java", "wechat_v3"), ("wechatpay-php", "wechat_v3"),
    ("wechatpay-go", "wechat_v3"), ("wechatpay-apache-httpclient", "wechat_v3"),
    ("com.wechat.pay.java", "wechat_v3"), ("WechatPay\\", "wechat_v3"),
    ("WeChatPay\\", "wechat_v3"), ("vendor/wechatpay", "wechat_v3"), ("wechatpayv3", "wechat_v3"),
    ("IJPay", "wechat_v2"), ("wxpay-sdk", "wechat_v2"), ("WXPayUtil", "wechat_v2"),
    ("wechatpy", "wechat_v2"), ("EasyWeChat", "wechat_v2"), ("weixin-java-pay", "wechat_v2"),
    ("binarywang", "wechat_v2"), ("/v3/", "wechat_v3"), ("APIv3", "wechat_v3"),
    ("SIGN_ERROR", "wechat_v3"), ("get_brand_wcpay_request", "wechat_v2"),
    ("requestPayment", "wechat_v2"), ("baidu", "baidu"), ("百度", "baidu"), ("rsaSign", "baidu"),
    ("err_code", "wechat_v2"), ("return_msg", "wechat_v2"),
)  # fmt: skip


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    lines = []
    position = start
    while position < end:
        line_end = text.find("\n", position, end)
        line_end = end if line_end < 0 else line_end
        lines.append((position, line_end))
        position = line_end + 1
    return lines


def _platform_of(chunk: str) -> str:
    for needle, platform in _SDK_NAMES:
        if needle in chunk:
            return platform
    return ""


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
            reading = _read_lines(text, a, b)
            if reading is not None:
                readings.append(reading)
                index = run
                continue
        rest.append(lines[index])
        index += 1
    errors = [
        (a, b)
        for a, b in rest
        if _ERROR_WORDS.search(text, a, b) and not _SECRET_LINE.match(text, a, b)
    ]
    if errors or (fallback and rest):
        chosen = errors or rest
        a, b = chosen[0][0], chosen[-1][1]
        chunk = "\n".join(text[x:y].strip() for x, y in chosen)
        platform = _platform_of(text[start:end])
        readings.append(
            Reading(
                "error_text",
                platform,
                (a, b),
                _("报错文字：查文档里的原因和办法。"),
                "diagnose",
                {"q": chunk[:DIAGNOSE_CHARS], "platform": platform},
                confidence="likely" if errors else "unsure",
            )
        )
    readings.sort(key=lambda item: item.span[0])
    return readings


_ARROW_LINE = re.compile(
    r"[ \t]*['\"]?(\w{1,40})['\"]?[ \t]*=>[ \t]*['\"]?([^'\"\n]{0,4096}?)['\"]?[ \t]*,?[ \t]*\r?$"
)


def _read_lines(text: str, start: int, end: int) -> Reading | None:
    block = re.sub(r"(?m)^[ \t>]+", "", text[start:end])
    if "=>" in block:  # a PHP array or a Ruby hash, one pair a line
        block = "\n".join(
            f"{match.group(1)}={match.group(2)}"
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
    platform = _platform_of(chunk)
    return Reading(
        "stack_trace",
        platform,
        (start, end),
        _("堆栈：{line}——查文档里的原因和办法。", line=exception_lines[0][:200]),
        "diagnose",
        {"q": "\n".join(exception_lines)[:DIAGNOSE_CHARS], "platform": platform},
        confidence="likely",
    )
