"""What diagnostics.core.inspect finds, and the classifier behind it: a ``Reading`` (kind, span,
summary, the target page by workbench name and its form values), PEM blocks, and objects (JSON,
JS / Python / Java literals) and flat parameter sets (XML, query, lines) read by their field
names. HTTP messages are in inspect_http, loose text in inspect_text."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from diagnostics.core.literals import NotAnObject, read_object
from diagnostics.core.params import ParsedParams
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


def page_secrets(page: str) -> tuple[str, ...]:
    """The secret-named fields a page takes ("wechat_v2:notify" → the V2 page's ``key``)."""
    return PAGE_SECRETS.get(page, PAGE_SECRETS.get(page.partition(":")[0], ()))


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
    # What the page needs beyond the paste's public values to compute ("apiv3_key",
    # "public_key", "headers"): a reading with another page to offer is gone to straight only
    # when the paste holds it.
    needs: str = ""

    def as_alternative(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "platform": self.platform,
            "summary": self.summary,
            "page": self.page,
            "fields": dict(self.fields),
            "needs": self.needs,
        }


def alternative(
    kind: str, platform: str, summary: Message, page: str, needs: str = "", **fields: str
) -> dict:
    return {
        "kind": kind,
        "platform": platform,
        "summary": summary,
        "page": page,
        "fields": fields,
        "needs": needs,
    }


def decrypt_fields(value: dict[str, Any] | None, raw: str) -> dict[str, str]:
    """The decryption page's fields for a notification: the whole JSON (read as one notification,
    so a tag mismatch can only be the key) and resource's own three fields, shown filled."""
    resource = value.get("resource") if isinstance(value, dict) else None
    fields = {"notification": raw}
    if isinstance(resource, dict):
        for name in ("associated_data", "nonce", "ciphertext"):
            fields[name] = str(resource.get(name) or "")
    return fields


def notification_reading(
    span: tuple[int, int], value: dict[str, Any] | None, raw: str, headers: dict[str, str]
) -> Reading:
    """An APIv3 notification: verification (with its Wechatpay-* headers when pasted) and the
    decryption of ``resource`` (APIv3 key) — both offered; the one the paste can finish leads."""
    decrypt = alternative(
        "wechat_v3_notification",
        "wechat_v3",
        _("解密通知的 resource（需要 APIv3 密钥）。"),
        "wechat_v3:decrypt",
        "apiv3_key",
        **decrypt_fields(value, raw),
    )
    verify = alternative(
        "wechat_v3_notification",
        "wechat_v3",
        _("验证通知的签名（需要平台证书或微信支付公钥）。"),
        "wechat_v3:verify",
        "public_key" if headers.get("signature") else "headers",
        **{**headers, "body": raw},
    )
    first, other = (verify, decrypt) if headers else (decrypt, verify)
    summary = (
        _("微信支付回调通知：先验签，再解密 resource。")
        if headers
        else _("APIv3 回调通知：解密 resource（验签还需要通知的 Wechatpay-* 头）。")
    )
    return Reading(
        "wechat_v3_notification",
        "wechat_v3",
        span,
        summary,
        first["page"],
        dict(first["fields"]),
        alternatives=[other],
        body_text=raw,
        needs=first["needs"],
    )


# --- PEM


_PEM_BEGIN = re.compile(r"-----BEGIN (?P<label>[A-Z0-9 ]{1,40})-----")
_PEM_BODY = re.compile(r"[A-Za-z0-9+/=\s:,-]*")
MAX_PEM_BODY = 65536


def pem_block(text: str, start: int) -> tuple[str, int] | None:
    """The PEM block at ``start``: its label and end. Its END line is found with str.find
    within MAX_PEM_BODY (a paste of BEGIN lines costs each one a bounded scan, not a regex
    backtracking over the rest), then the body between is checked to be base64 and headers."""
    begin = _PEM_BEGIN.match(text, start)
    if begin is None:
        return None
    end_line = f"-----END {begin.group('label')}-----"
    end = text.find(end_line, begin.end(), begin.end() + MAX_PEM_BODY + len(end_line))
    if end < 0 or not _PEM_BODY.fullmatch(text, begin.end(), end):
        return None
    return begin.group("label"), end + len(end_line)


def classify_pem(text: str, start: int) -> Reading | None:
    """PEM blocks, consecutive ones together (a chain, a key beside its certificate)."""
    end = start
    labels = []
    position = start
    while (block := pem_block(text, position)) is not None and len(labels) < 20:
        labels.append(block[0])
        end = block[1]
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
        return notification_reading(span, value, raw, {})
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
                "sp_appid", "out_trade_no", "notify_url", "description", "combine_out_trade_no",
                "out_order_no", "service_id"}  # fmt: skip
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
        held = getattr(parsed, "secrets", None) or {}
        if "sandbox_signkey" in names or "sandbox_signkey" in held:
            # The sandbox's getsignkey answer: its key signs sandbox calls only (public FAQ
            # wechat-v2-sandbox-signkey); the value is a secret and goes nowhere.
            return Reading(
                "wechat_v2_reply",
                "wechat_v2",
                span,
                _(
                    "V2 仿真测试系统（沙箱）getsignkey 的应答：发往沙箱的请求要用这个 sandbox_signkey 签名。"
                ),
                "diagnose",
                {"q": "getsignkey sandbox_signkey 沙箱验证签名失败", "platform": "wechat_v2"},
            )
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
    jump = _payscore_jump(text, span, values, raw, secrets)
    if jump is not None:
        return jump
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
        lint_page = alternative(
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
    # A paySign beside a package marks a pay call even when the package lacks its prepay_id=
    # (a slip the V2 page names).
    jsapi = "timestamp" in lowered and (
        "prepay_id=" in str(lowered.get("package", ""))
        or ("package" in lowered and "paysign" in lowered)
    )
    app = "prepayid" in lowered and "partnerid" in lowered
    if not (jsapi or app):
        return None
    scene = "jsapi" if jsapi else "app"
    sign = str(lowered.get("paysign") or lowered.get("sign") or "")
    sign_type = str(lowered.get("signtype", "")).upper()
    v3 = alternative(
        "pay_call", "wechat_v3", _("APIv3 的调起支付签名（RSA）。"), "wechat_v3:pay-sign",
        scene=scene, params=raw,
    )  # fmt: skip
    v2 = alternative(
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


_JUMP_SIGNED = {"mch_id", "timestamp", "nonce_str", "sign_type", "sign"}
# How each entry point names the jump's parameters (000 #2, #3): App query, H5 queryString,
# mini-program extraData.
_ENTRY_WORDS = (("extraData", "miniprogram"), ("queryString", "h5"), ("query", "app"))


def _payscore_jump(
    text: str, span: tuple[int, int], values: dict[str, str], raw: str, secrets: dict[str, str]
) -> Reading | None:
    """The parameters of a jump to a Pay Score page (000 #2 开启服务页: service_id and
    out_request_no; #3 订单确认页: the package the create-order call returned), signed with the
    API key under HMAC-SHA256 — the V2 presets for them."""
    names = set(values)
    if {"service_id", "out_request_no"} <= names and names & _JUMP_SIGNED:
        preset, summary = (
            "payscore-enable",
            _("支付分 开启服务页 的跳转参数：核对它的 sign（API 密钥，HMAC-SHA256）。"),
        )
    elif (
        "package" in names
        and "prepay_id=" not in str(values["package"])
        and len(names & _JUMP_SIGNED) >= 3
        and not names & {"appid", "appId", "partnerid", "trade_type"}
    ):
        preset, summary = (
            "payscore-confirm",
            _("支付分 订单确认页 的跳转参数：核对它的 sign（API 密钥，HMAC-SHA256）。"),
        )
    else:
        return None
    fields = {"raw": raw}
    before = text[max(0, span[0] - 60) : span[0]]
    for word, entry_point in _ENTRY_WORDS:
        if word in before:
            fields["entry_point"] = entry_point
            break
    return Reading(
        "payscore_jump",
        "wechat_payscore",
        span,
        summary,
        f"wechat_v2:{preset}",
        fields,
        secrets=secrets,
    )
