"""The APIv3 notification simulator (issue 15 §4): APIv3 has no sandbox and WeChat Pay cannot be
asked for a test notification, so this builds one the merchant sends to their own handler.

A payment (``TRANSACTION.SUCCESS``) or refund (``REFUND.SUCCESS``) notification as WeChat Pay sends
it (003 §3.2.6; the public 支付通知 / 退款结果通知 references): the JSON body, its ``resource``
encrypted with AEAD_AES_256_GCM under the merchant's APIv3 key (``associated_data`` ``transaction``
or ``refund``, a 12-character nonce), the four ``Wechatpay-*`` headers, the signature
SHA256withRSA over ``timestamp\\nnonce\\nbody\\n`` with an RSA-2048 key generated for this request
alone. The merchant configures its public half in their test environment: a self-signed
certificate whose serial is ``Wechatpay-Serial`` (platform-certificate mode), or the public key
with a made-up ``PUB_KEY_ID_…`` (public-key mode). The private half is dropped when the request
ends: it is never shown, stored or reused.

Each kind comes with the answer a correct handler gives: 200 (or 204) for ``payment`` and
``refund``; a failure status — 4xx or 5xx, so that WeChat Pay sends it again — for ``probe`` (a
``WECHATPAY/SIGNTEST/`` signature), ``stale`` (a timestamp an hour old), ``reserialized`` (the body
parsed and serialised again after signing: spaces, non-ASCII escaped) and
``wrong_serial`` (``Wechatpay-Serial`` names a certificate or public key they do not have).
"""

from __future__ import annotations

import base64
import json
import secrets
import string
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID

from diagnostics.core.findings import ParseError
from diagnostics.core.outgoing import check_url, curl_command, raw_request
from diagnostics.core.params import MAX_INPUT_CHARS, load_json
from diagnostics.core.serials import serial_hex
from diagnostics.core.text import Message, _
from diagnostics.core.workbench import Task, Values, gettext_noop
from diagnostics.wechat_v3.decryption import _apiv3_key_bytes, key_length_error
from diagnostics.wechat_v3.signing import (
    AEAD_AES_256_GCM,
    PUBLIC_KEY_ID_PREFIX,
    SCHEME,
    SIGNATURE_PROBE_PREFIX,
)
from diagnostics.wechat_v3.verification import build_response_message

SOURCE = "003 §2.1, §3.2.6; APIv3 payment and refund notification references"

KINDS = ("payment", "refund", "probe", "stale", "reserialized", "wrong_serial")
VALID_KINDS = ("payment", "refund")
MODES = ("certificate", "public_key")

KEY_BITS = 2048
STALE_SECONDS = 60 * 60  # "far outside" the 5 minutes a handler allows
CERTIFICATE_DAYS = 30
CHINA = timezone(timedelta(hours=8))  # the notifications' times are Beijing time, +08:00

REJECT_STATUS = 401  # any 4xx or 5xx makes WeChat Pay send it again; 401 says why
_ACCEPTED = _("200 或 204（不带应答报文）")
_REFUSED = _("4xx 或 5xx（例如 401）：微信支付收到失败应答会重发")


@dataclass(frozen=True)
class Simulation:
    """One notification to send, and what the handler must answer."""

    kind: str
    mode: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: str  # what is sent
    signed_body: str  # what the signature covers: the body, except for "reserialized"
    message: str  # timestamp\nnonce\nsigned_body\n
    resource_plaintext: str
    associated_data: str
    resource_nonce: str
    raw_request: str
    curl: str
    public_key: str  # PEM (SubjectPublicKeyInfo): pub_key.pem in public-key mode
    certificate: str  # PEM, certificate mode only
    configured_serial: str  # the certificate's serial or the PUB_KEY_ID_ to configure
    sent_serial: str  # Wechatpay-Serial (another one for "wrong_serial")
    expect_status: int
    accepted: bool  # whether a correct handler accepts it
    answer: Message  # the status a correct handler answers with, in words
    why: Message  # what the variant checks


# --- the notifications' plaintexts, after the public API references' examples -------------------


def _digits(count: int) -> str:
    return "".join(secrets.choice(string.digits) for _ in range(count))


def _alnum(count: int) -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(count))


def example_resource(kind: str, now: datetime) -> dict[str, object]:
    """A realistic ``resource`` plaintext: the fields of the 支付通知 (transaction) or 退款结果通知
    (refund) references, with made-up identifiers and the current time."""
    when = now.astimezone(CHINA).replace(microsecond=0).isoformat()
    transaction_id = "4200" + _digits(24)
    out_trade_no = "PD" + now.strftime("%Y%m%d%H%M%S") + _digits(4)
    if kind == "refund":
        return {
            "mchid": "1900000100",
            "out_trade_no": out_trade_no,
            "transaction_id": transaction_id,
            "out_refund_no": "RF" + now.strftime("%Y%m%d%H%M%S") + _digits(4),
            "refund_id": "5030" + _digits(25),
            "refund_status": "SUCCESS",
            "success_time": when,
            "user_received_account": "招商银行信用卡0403",
            "amount": {"total": 999, "refund": 999, "payer_total": 999, "payer_refund": 999},
        }
    return {
        "mchid": "1900000100",
        "appid": "wxd678efh567hg6787",
        "out_trade_no": out_trade_no,
        "transaction_id": transaction_id,
        "trade_type": "JSAPI",
        "trade_state": "SUCCESS",
        "trade_state_desc": "支付成功",
        "bank_type": "CMC",
        "attach": "",
        "success_time": when,
        "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
        "amount": {"total": 1, "payer_total": 1, "currency": "CNY", "payer_currency": "CNY"},
    }


_EVENTS = {
    "transaction": ("TRANSACTION.SUCCESS", "支付成功"),
    "refund": ("REFUND.SUCCESS", "退款成功"),
}


def own_resource(text: str) -> str:
    """The merchant's own ``resource`` plaintext: a JSON object, encrypted as given."""
    text = text.replace("\ufeff", "").strip()
    if len(text) > MAX_INPUT_CHARS:
        raise ParseError("resource_too_long", _("resource 明文太长。"))
    try:
        data = load_json(text)
    except ParseError as error:
        raise ParseError(
            "resource_not_json", _("resource 明文不是有效的 JSON：{reason}", reason=error.message)
        ) from None
    if not isinstance(data, dict):
        raise ParseError("resource_not_object", _("resource 明文应是一个 JSON 对象（{…}）。"))
    return text


# --- the throw-away key and what the merchant configures -------------------------------------------


def _throwaway_certificate(key: rsa.RSAPrivateKey, now: datetime) -> x509.Certificate:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pay Doctor"),
            x509.NameAttribute(
                NameOID.COMMON_NAME, "Pay Doctor notification simulator (test only)"
            ),
        ]
    )
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=CERTIFICATE_DAYS))
        .sign(key, hashes.SHA256())
    )


def _public_key_id() -> str:
    # The shape of WeChat Pay's IDs: PUB_KEY_ID_ and 34 digits.
    return PUBLIC_KEY_ID_PREFIX + _digits(34)


def _other_serial(mode: str, serial: str) -> str:
    while True:
        other = (
            _public_key_id() if mode == "public_key" else serial_hex(x509.random_serial_number())
        )
        if other != serial:
            return other


# --- the notification ------------------------------------------------------------------------


def _why(kind: str) -> Message:
    return {
        "payment": _("一条正常的支付成功通知：验签通过、解密成功，处理程序应接受它。"),
        "refund": _(
            "一条正常的退款结果通知（associated_data 为 refund）：验签通过、解密成功，处理程序应接受它。"
        ),
        "probe": _(
            "微信支付的签名探测流量：Wechatpay-Signature 以 WECHATPAY/SIGNTEST/ 开头，验签必然失败。"
            "报文本身可以解密——没有验签就处理的程序会在这里错误地接受它。"
        ),
        "stale": _(
            "签名有效，但 Wechatpay-Timestamp 是一小时前：超过 5 分钟的通知应拒绝（防重放）。"
            "只验签、不检查时间戳的程序会接受它。"
        ),
        "reserialized": _(
            "签名是对原始报文签的，发出的报文却被重新序列化了（加了空格、中文转成 \\u 转义），"
            "内容相同而字节不同：按收到的原始字节验签应失败。如果你的程序接受了它，说明验签用的是"
            "自己重新序列化的 JSON，而不是收到的原始报文。"
        ),
        "wrong_serial": _(
            "签名正确，但 Wechatpay-Serial 指向一张你没有配置的证书（或另一个公钥 ID）："
            "应按 Wechatpay-Serial 选择验签的证书或公钥，找不到就拒绝。"
            "如果你的程序接受了它，说明它没有核对 Wechatpay-Serial。"
        ),
    }[kind]


@dataclass(frozen=True)
class Resource:
    """What ``resource`` encrypts, and with what: all of it independent of the APIv3 key (local
    mode's browser gets it and encrypts it with the key it keeps)."""

    original_type: str  # also the associated_data
    plaintext: str
    nonce: str  # 12 characters


def _check_choices(kind: str, mode: str) -> None:
    if kind not in KINDS:
        raise ParseError("kind_unknown", _("kind 只能是 {kinds}。", kinds=", ".join(KINDS)))
    if mode not in MODES:
        raise ParseError("mode_unknown", _("mode 只能是 {modes}。", modes=", ".join(MODES)))


def prepare_resource(kind: str, resource: str, now: datetime, nonce: str = "") -> Resource:
    """The plaintext (the merchant's own, or an example), associated_data and nonce to encrypt."""
    original_type = "refund" if kind == "refund" else "transaction"
    if resource.strip():
        plaintext = own_resource(resource)
    else:
        example = example_resource(original_type, now)
        plaintext = json.dumps(example, ensure_ascii=False, separators=(",", ":"))
    return Resource(original_type, plaintext, nonce or _alnum(12))


def simulate(
    *,
    kind: str,
    mode: str,
    apiv3_key: str,
    url: str,
    resource: str = "",
    now: datetime | None = None,
    resource_nonce: str = "",
) -> Simulation:
    """Build one notification of ``kind`` for ``url``; one RSA key is generated per call."""
    _check_choices(kind, mode)
    aes_key = _apiv3_key_bytes(apiv3_key)
    url = check_url(url)
    now = now or datetime.now(UTC)
    prepared = prepare_resource(kind, resource, now, resource_nonce)
    ciphertext = AESGCM(aes_key).encrypt(
        prepared.nonce.encode(), prepared.plaintext.encode("utf-8"), prepared.original_type.encode()
    )
    return notification(kind, mode, url, prepared, ciphertext, now)


def notification(
    kind: str, mode: str, url: str, prepared: Resource, ciphertext: bytes, now: datetime
) -> Simulation:
    """The notification around an encrypted ``resource`` (by the server, or by local mode's
    browser): body, throw-away key, signature, headers."""
    original_type = prepared.original_type
    event_type, summary = _EVENTS[original_type]
    document = {
        "id": str(uuid.uuid4()),
        "create_time": now.astimezone(CHINA).replace(microsecond=0).isoformat(),
        "resource_type": "encrypt-resource",
        "event_type": event_type,
        "summary": summary,
        "resource": {
            "original_type": original_type,
            "algorithm": AEAD_AES_256_GCM,
            "ciphertext": base64.b64encode(ciphertext).decode("ascii"),
            "associated_data": original_type,
            "nonce": prepared.nonce,
        },
    }
    signed_body = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    # What a framework's JSON library prints by default: ", " and ": ", non-ASCII escaped.
    body = json.dumps(document) if kind == "reserialized" else signed_body

    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )
    if mode == "certificate":
        certificate = _throwaway_certificate(key, now)
        certificate_pem = certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")
        configured = serial_hex(certificate.serial_number)
    else:
        certificate_pem = ""
        configured = _public_key_id()
    sent_serial = _other_serial(mode, configured) if kind == "wrong_serial" else configured

    timestamp = int(now.timestamp()) - (STALE_SECONDS if kind == "stale" else 0)
    nonce = secrets.token_hex(16).upper()
    message = build_response_message(str(timestamp), nonce, signed_body)
    if kind == "probe":
        signature = SIGNATURE_PROBE_PREFIX + base64.b64encode(secrets.token_bytes(256)).decode()
    else:
        raw = key.sign(message.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
        signature = base64.b64encode(raw).decode("ascii")
    del key  # the private half goes no further than this function

    headers = (
        ("Content-Type", "application/json"),
        ("Wechatpay-Nonce", nonce),
        ("Wechatpay-Serial", sent_serial),
        ("Wechatpay-Signature", signature),
        ("Wechatpay-Signature-Type", SCHEME),
        ("Wechatpay-Timestamp", str(timestamp)),
    )
    accepted = kind in VALID_KINDS
    return Simulation(
        kind=kind,
        mode=mode,
        url=url,
        headers=headers,
        body=body,
        signed_body=signed_body,
        message=message,
        resource_plaintext=prepared.plaintext,
        associated_data=original_type,
        resource_nonce=prepared.nonce,
        raw_request=raw_request(url, headers, body),
        curl=curl_command(url, headers, body),
        public_key=public_pem,
        certificate=certificate_pem,
        configured_serial=configured,
        sent_serial=sent_serial,
        expect_status=200 if accepted else REJECT_STATUS,
        accepted=accepted,
        answer=_ACCEPTED if accepted else _REFUSED,
        why=_why(kind),
    )


def run_simulate(values: Values) -> Values:
    simulation = simulate(
        kind=values["kind"],
        mode=values["mode"],
        apiv3_key=values["apiv3_key"],
        url=values["url"],
        resource=values.get("resource", ""),
    )
    return {"simulation": simulation}


# --- local mode (本地计算, issue 17): the browser encrypts, the server does the rest ------------


def _local_resource(kind: str, values: Values) -> Resource:
    """The resource the browser encrypted, as it posts it back (key-independent, checked again)."""
    nonce = values.get("local_nonce") or ""
    if len(nonce) != 12 or not nonce.isascii() or not nonce.isalnum():
        raise ParseError("local_nonce", _("浏览器发回的 nonce 无法读取，请重新生成。"))
    original_type = "refund" if kind == "refund" else "transaction"
    return Resource(original_type, own_resource(values.get("local_resource") or ""), nonce)


def _local_ciphertext(text: str, prepared: Resource) -> bytes:
    # AES-GCM keeps the length: the plaintext's bytes and the 16-byte tag.
    try:
        ciphertext = base64.b64decode(text, validate=True)
    except ValueError:
        ciphertext = b""
    if len(ciphertext) != len(prepared.plaintext.encode("utf-8")) + 16:
        raise ParseError("local_ciphertext", _("浏览器发回的密文无法读取，请重新生成。"))
    return ciphertext


def run_simulate_local(values: Values) -> Values:
    """Local mode: the first request gets what to encrypt (``local``: plaintext, nonce,
    associated_data), which the browser encrypts with the APIv3 key it keeps
    (static/js/local/simulate.js); the second posts the ciphertext back — public, it travels in
    the notification — and the server builds and signs the notification as in server mode."""
    kind, mode = values["kind"], values["mode"]
    _check_choices(kind, mode)
    url = check_url(values["url"])
    now = datetime.now(UTC)
    if not values.get("local_ciphertext"):
        prepared = prepare_resource(kind, values.get("resource", ""), now)
        plan = {
            "plaintext": prepared.plaintext,
            "nonce": prepared.nonce,
            "associated_data": prepared.original_type,
            # decryption's sentences for a key of the wrong length; the browser fills {length}
            "key_errors": {
                kind: {"code": error.code, "message": error.message}
                for kind in ("apiv3_key_whitespace", "apiv3_key_hex", "apiv3_key_length")
                if (error := key_length_error(kind, "{length}"))
            },
        }
        return {"local": {"simulate": plan}}
    prepared = _local_resource(kind, values)
    ciphertext = _local_ciphertext(values["local_ciphertext"], prepared)
    simulation = notification(kind, mode, url, prepared, ciphertext, now)
    return {"simulation": simulation, "encrypted_locally": True}


SIMULATE_TASK = Task(
    "wechat_v3:simulate",
    gettext_noop("模拟回调通知"),
    "Simulate a notification to test your handler",
    SOURCE,
    gettext_noop(
        "APIv3 没有沙箱，也不能让微信支付发测试通知：这里生成一条支付或退款通知（resource 用你的 "
        "APIv3 密钥加密，用本次临时生成的密钥签名），给出原始 HTTP 请求、curl 命令和要配置的临时"
        "证书或公钥，以及正确的处理程序应返回的状态码；还有签名探测、过期时间戳、报文被重新序列化、"
        "序列号不对这几种应被拒绝的通知。本站不会发送任何请求。"
    ),
    run_simulate,
)
