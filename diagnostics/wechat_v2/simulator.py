"""The V2 notification simulator (issue 15 §4): a payment or refund notification as WeChat Pay
sends it, for the merchant to send to their own handler. Pay Doctor sends nothing itself.

- ``payment`` — 支付结果通知 (002 §4.2; the public reference's example fields): XML signed with the
  merchant's API key by 002 §3.2, MD5 or HMAC-SHA256. Like WeChat Pay's, it carries no
  ``sign_type``: a handler tells the algorithm by the sign's length (32 hex = MD5, 64 =
  HMAC-SHA256) or by what its order used.
- ``refund`` — 退款结果通知: no ``sign``; ``req_info`` is the ``<root>`` XML encrypted with
  AES-256-ECB under the lower-case hex MD5 of the API key (diagnostics.wechat_v2.refund_notify).

The merchant's own fields (XML, ``name=value`` lines, JSON) replace or extend the example's.
A correct handler answers 200 with ``<return_code>SUCCESS</return_code>``.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import string
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.outgoing import check_url, curl_command, raw_request
from diagnostics.core.params import parse_params
from diagnostics.core.text import Message, _
from diagnostics.core.workbench import Task, Values, gettext_noop
from diagnostics.wechat_v2.refund_notify import encrypt_req_info
from diagnostics.wechat_v2.signing import MD5, SIGN_FIELDS, SIGN_TYPES, sign, string1_of

SOURCE = "002 §3.2, §4.2; V2 refund notification (chapter8_8)"
KINDS = ("payment", "refund")
CHINA = timezone(timedelta(hours=8))

# What a handler answers when it has taken the notification (002 §4.2).
SUCCESS_ANSWER = (
    "<xml><return_code><![CDATA[SUCCESS]]></return_code>"
    "<return_msg><![CDATA[OK]]></return_msg></xml>"
)
# The outer fields of a refund notification; the rest of the merchant's fields go into <root>.
REFUND_OUTER = ("return_code", "return_msg", "appid", "mch_id", "nonce_str")


@dataclass(frozen=True)
class V2Simulation:
    kind: str
    sign_type: str  # "" for a refund notification (it carries no sign)
    url: str
    headers: tuple[tuple[str, str], ...]
    body: str
    fields: tuple[tuple[str, str], ...]  # the notification's fields, in the XML's order
    string1: str  # what was signed, without the key ("" for a refund)
    sign: str
    req_info_plaintext: str  # the <root> XML encrypted into req_info (refund)
    raw_request: str
    curl: str
    expect_status: int
    expect_body: str
    findings: tuple[Finding, ...]
    why: Message


def _alnum(count: int) -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(count))


def _digits(count: int) -> str:
    return "".join(secrets.choice(string.digits) for _ in range(count))


def example_payment(now: datetime) -> dict[str, str]:
    """The fields of the public 支付结果通知 example, with made-up identifiers and the time now."""
    local = now.astimezone(CHINA)
    return {
        "appid": "wx2421b1c4370ec43b",
        "attach": "支付测试",
        "bank_type": "CMC",
        "cash_fee": "1",
        "fee_type": "CNY",
        "is_subscribe": "N",
        "mch_id": "10000100",
        "nonce_str": _alnum(32),
        "openid": "oUpF8uMEb4qRXf22hE3X68TekukE",
        "out_trade_no": "PD" + local.strftime("%Y%m%d%H%M%S") + _digits(4),
        "result_code": "SUCCESS",
        "return_code": "SUCCESS",
        "time_end": local.strftime("%Y%m%d%H%M%S"),
        "total_fee": "1",
        "trade_type": "JSAPI",
        "transaction_id": "4200" + _digits(24),
    }


def example_refund(now: datetime) -> tuple[dict[str, str], dict[str, str]]:
    """The outer fields and the ``<root>`` fields of the public 退款结果通知 example."""
    local = now.astimezone(CHINA)
    outer = {
        "return_code": "SUCCESS",
        "appid": "wx2421b1c4370ec43b",
        "mch_id": "10000100",
        "nonce_str": _alnum(32),
    }
    root = {
        "out_refund_no": "RF" + local.strftime("%Y%m%d%H%M%S") + _digits(4),
        "out_trade_no": "PD" + local.strftime("%Y%m%d%H%M%S") + _digits(4),
        "refund_account": "REFUND_SOURCE_RECHARGE_FUNDS",
        "refund_fee": "1",
        "refund_id": "5030" + _digits(25),
        "refund_recv_accout": "支付用户零钱",
        "refund_request_source": "API",
        "refund_status": "SUCCESS",
        "settlement_refund_fee": "1",
        "settlement_total_fee": "1",
        "success_time": local.strftime("%Y-%m-%d %H:%M:%S"),
        "total_fee": "1",
        "transaction_id": "4200" + _digits(24),
    }
    return outer, root


def _cdata(value: str) -> str:
    # "]]>" cannot stand inside one CDATA section: end it and start another.
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def to_xml(pairs: list[tuple[str, str]], root: str = "xml") -> str:
    """WeChat Pay's XML: one element per field, text in CDATA, whole numbers bare."""
    inner = "".join(
        f"<{name}>{value if value.isdigit() and value.isascii() else _cdata(value)}</{name}>"
        for name, value in pairs
    )
    return f"<{root}>{inner}</{root}>"


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,63}")
_NOT_XML_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _own_fields(text: str) -> tuple[list[tuple[str, str]], list[Finding]]:
    if not text.strip():
        return [], []
    parsed = parse_params(text)
    findings = list(parsed.findings)
    pairs = []
    for name, value in parsed.pairs:
        if not _NAME.fullmatch(name):
            raise ParseError(
                "own_field_name", _("字段名 “{name}” 不能作为 XML 元素名。", name=name[:64])
            )
        if _NOT_XML_TEXT.search(value):
            raise ParseError(
                "own_field_value", _("字段 {name} 的值里有 XML 不允许的控制字符。", name=name)
            )
        if name in SIGN_FIELDS or name == "sign_type":
            findings.append(
                Finding(
                    "own_field_dropped",
                    _(
                        "你给的字段 {name} 已去掉：sign 由这里计算，微信支付的通知里没有 sign_type。",
                        name=name,
                    ),
                    SOURCE,
                    name,
                )
            )
            continue
        pairs.append((name, value))
    return pairs, findings


def _key_findings(key: str) -> list[Finding]:
    return key_shape_findings(key != key.strip(), len(key.strip()))


def key_shape_findings(whitespace: bool, length: int) -> list[Finding]:
    """What the key's shape says: blanks around it, a length other than 32 (trimmed). Local mode's
    browser measures both and posts them (the shape, not the key)."""
    findings = []
    if whitespace:
        findings.append(
            Finding(
                "key_whitespace",
                _("API 密钥首尾有空白字符，已按原样使用：你的程序读取密钥时也要原样（或都去掉）。"),
                "002 §3.2",
                "key",
            )
        )
    if length != 32:
        findings.append(
            Finding(
                "key_length",
                _("API 密钥通常是 32 个字符，这个有 {length} 个。", length=length),
                "002 §3.2",
                "key",
            )
        )
    return findings


def _merge(base: dict[str, str], own: list[tuple[str, str]]) -> list[tuple[str, str]]:
    merged = dict(base)
    merged.update(own)
    return sorted(merged.items())


@dataclass(frozen=True)
class Prepared:
    """Everything of a notification but its sign or req_info ciphertext: independent of the API
    key (local mode's browser gets it and signs or encrypts with the key it keeps)."""

    kind: str
    sign_type: str  # "" for a refund notification
    fields: tuple[tuple[str, str], ...]  # payment: all but sign; refund: the outer fields
    req_info_plaintext: str  # refund: the <root> XML to encrypt
    findings: tuple[Finding, ...]
    why: Message


def prepare(kind: str, sign_type: str, resource: str, now: datetime) -> Prepared:
    if kind not in KINDS:
        raise ParseError("kind_unknown", _("kind 只能是 {kinds}。", kinds=", ".join(KINDS)))
    if sign_type not in SIGN_TYPES:
        raise ParseError(
            "sign_type_unknown", _("sign_type 只能是 {types}。", types=", ".join(SIGN_TYPES))
        )
    own, findings = _own_fields(resource)
    if kind == "payment":
        return Prepared(
            kind,
            sign_type,
            tuple(_merge(example_payment(now), own)),
            "",
            tuple(findings),
            _why_payment(sign_type),
        )
    base_outer, base_root = example_refund(now)
    outer_own = [(name, value) for name, value in own if name in REFUND_OUTER]
    root_own = [(name, value) for name, value in own if name not in REFUND_OUTER]
    plaintext = to_xml(_merge(base_root, root_own), "root")
    outer = tuple(_merge(base_outer, outer_own))
    return Prepared(kind, "", outer, plaintext, tuple(findings), _WHY_REFUND)


def _why_payment(sign_type: str) -> Message:
    return _(
        "一条支付成功通知，用你的 API 密钥按 {sign_type} 签名；和微信支付发的一样，里面没有 "
        "sign_type 字段：验签时按 sign 的长度（32 位是 MD5，64 位是 HMAC-SHA256）或下单时用的算法"
        "计算。验签通过后应返回 SUCCESS。",
        sign_type=sign_type,
    )


_WHY_REFUND = _(
    "一条退款结果通知：没有 sign，req_info 是 <root> XML 用 AES-256-ECB 加密的结果，"
    "密钥是 API 密钥的 MD5（32 位小写十六进制）。解密成功、退款状态处理完后应返回 SUCCESS。"
)


def simulate(
    *,
    kind: str,
    key: str,
    url: str,
    sign_type: str = MD5,
    resource: str = "",
    now: datetime | None = None,
) -> V2Simulation:
    """Build one V2 notification of ``kind`` for ``url``, signed or encrypted with ``key``."""
    prepared = prepare(kind, sign_type, resource, now or datetime.now(UTC))
    if not key:
        raise ParseError("key_missing", _("请填写 API 密钥（APIv2 密钥）。"))
    url = check_url(url)
    if kind == "payment":
        sealed = sign(list(prepared.fields), key, sign_type).sign
    else:
        sealed = encrypt_req_info(prepared.req_info_plaintext, key)
    return finish(prepared, url, sealed, _key_findings(key))


def finish(prepared: Prepared, url: str, sealed: str, key_findings: list[Finding]) -> V2Simulation:
    """The notification with its sign (payment) or req_info ciphertext (refund), made by the
    server or by local mode's browser."""
    if prepared.kind == "payment":
        string1, signature = string1_of(list(prepared.fields)), sealed
        fields = sorted([*prepared.fields, ("sign", signature)])
    else:
        string1 = signature = ""
        fields = sorted([*prepared.fields, ("req_info", sealed)])
    body = to_xml(fields)
    headers = (("Content-Type", "text/xml"),)
    return V2Simulation(
        kind=prepared.kind,
        sign_type=prepared.sign_type,
        url=url,
        headers=headers,
        body=body,
        fields=tuple(fields),
        string1=string1,
        sign=signature,
        req_info_plaintext=prepared.req_info_plaintext,
        raw_request=raw_request(url, headers, body),
        curl=curl_command(url, headers, body),
        expect_status=200,
        expect_body=SUCCESS_ANSWER,
        findings=(*prepared.findings, *key_findings),
        why=prepared.why,
    )


def run_simulate(values: Values) -> Values:
    simulation = simulate(
        kind=values["kind"],
        key=values["key"],
        url=values["url"],
        sign_type=values.get("sign_type") or MD5,
        resource=values.get("resource", ""),
    )
    return {"simulation": simulation}


# --- local mode (本地计算, issue 17): the browser signs or encrypts, the server does the rest ----

MAX_LOCAL_FIELDS = 200
_SIGN = re.compile(r"[0-9A-F]{32}|[0-9A-F]{64}")


def local_plan(prepared: Prepared) -> Values:
    """What the browser signs (string1, to which it appends &key=) or encrypts (the <root> XML,
    under the MD5 of the key), and the fields to post back; no secret."""
    return {
        "kind": prepared.kind,
        "sign_type": prepared.sign_type,
        "string1": string1_of(list(prepared.fields)) if prepared.kind == "payment" else "",
        "fields": [list(pair) for pair in prepared.fields],
        "req_info_plaintext": prepared.req_info_plaintext,
    }


_UNREADABLE = _("浏览器发回的签名或密文无法读取，请重新生成。")


def _posted(values: Values, kind: str, sign_type: str) -> Prepared:
    """The plan as the browser posts it back, checked again (key-independent)."""
    try:
        data = json.loads(values.get("local_plan") or "")
        fields = tuple((str(name), str(value)) for name, value in data["fields"])
        plaintext = str(data["req_info_plaintext"]) if kind == "refund" else ""
    except (ValueError, TypeError, KeyError):
        raise ParseError("local_plan", _UNREADABLE) from None
    if len(fields) > MAX_LOCAL_FIELDS or any(
        not _NAME.fullmatch(name) or _NOT_XML_TEXT.search(value) for name, value in fields
    ):
        raise ParseError("local_plan", _UNREADABLE)
    if _NOT_XML_TEXT.search(plaintext):
        raise ParseError("local_plan", _UNREADABLE)
    own_findings = tuple(_own_fields(values.get("resource", ""))[1])
    if kind == "payment":
        return Prepared(kind, sign_type, fields, "", own_findings, _why_payment(sign_type))
    return Prepared(kind, "", fields, plaintext, own_findings, _WHY_REFUND)


def _check_sealed(prepared: Prepared, sealed: str) -> None:
    if prepared.kind == "payment":
        readable = _SIGN.fullmatch(sealed) is not None and len(sealed) == (
            32 if prepared.sign_type == MD5 else 64
        )
    else:  # AES-ECB with PKCS#7: the plaintext's bytes padded to the next whole block
        try:
            length = len(base64.b64decode(sealed, validate=True))
        except ValueError:
            length = -1
        readable = length == (len(prepared.req_info_plaintext.encode("utf-8")) // 16 + 1) * 16
    if not readable:
        raise ParseError("local_sealed", _UNREADABLE)


def run_simulate_local(values: Values) -> Values:
    """Local mode: the first request gets the plan (``local``), which the browser signs or
    encrypts with the API key it keeps (static/js/local/simulate-v2.js); the second posts back the
    plan, the sign or req_info (both travel in the notification) and the key's shape (whether
    it has blanks around it, its trimmed length), and the server shows the notification as in
    server mode."""
    kind, sign_type = values["kind"], values.get("sign_type") or MD5
    url = check_url(values["url"])
    sealed = values.get("local_sealed") or ""
    if not sealed:
        prepared = prepare(kind, sign_type, values.get("resource", ""), datetime.now(UTC))
        return {"local": {"simulate_v2": local_plan(prepared)}}
    prepared = _posted(values, kind, sign_type)
    _check_sealed(prepared, sealed)
    length = max(0, min(int(values.get("local_key_length") or 0), 4096))
    shape = key_shape_findings(bool(values.get("local_key_whitespace")), length)
    return {"simulation": finish(prepared, url, sealed, shape), "computed_locally": True}


SIMULATE_TASK = Task(
    "wechat_v2:simulate",
    gettext_noop("模拟 V2 回调通知"),
    "Simulate a V2 payment or refund notification",
    SOURCE,
    gettext_noop(
        "生成一条支付结果通知（用你的 API 密钥按 MD5 或 HMAC-SHA256 签名，和微信支付发的一样不带 "
        "sign_type）或退款结果通知（req_info 用 API 密钥加密），给出原始 HTTP 请求和 curl 命令，"
        "发到你自己的回调地址测试处理程序。本站不会发送任何请求。"
    ),
    run_simulate,
)
