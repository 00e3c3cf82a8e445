"""The APIv3 workbenches: request signing (with the 401 comparison), the Authorization header,
verifying answers and notifications, decrypting notifications, the client pay signs — what each
form's cleaned values run through."""

from __future__ import annotations

import base64
import json
import re
import secrets
import time
from dataclasses import replace
from datetime import UTC, datetime

from cryptography.hazmat.primitives import hashes

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.keys import (
    LoadedKey,
    decode_signature,
    keys_match,
    load_private_key,
    load_public_key,
    rsa_sign,
    rsa_verify,
)
from diagnostics.core.params import parse_params
from diagnostics.core.serials import same_serial
from diagnostics.core.text import _
from diagnostics.core.workbench import Task, Values, gettext_noop
from diagnostics.wechat_v3 import mistakes
from diagnostics.wechat_v3.authorization import check_authorization
from diagnostics.wechat_v3.checks import recognise_reply
from diagnostics.wechat_v3.decryption import (
    attempts_data,
    check_algorithm,
    decrypt_resource,
    key_length_error,
    plan_decryption,
    read_notification,
)
from diagnostics.wechat_v3.keyring import KEYRING_TASK
from diagnostics.wechat_v3.keyring_local import run_keyring_local
from diagnostics.wechat_v3.pay_sign import PAY_SIGN_NAME, pay_sign, read_order
from diagnostics.wechat_v3.sensitive import SENSITIVE_TASK, run_sensitive_local
from diagnostics.wechat_v3.sign_error import compare_sign_error
from diagnostics.wechat_v3.signing import (
    AEAD_AES_256_GCM,
    SignedRequest,
    prepare_request,
    with_signature,
)
from diagnostics.wechat_v3.simulator import SIMULATE_TASK
from diagnostics.wechat_v3.verification import parse_wechatpay_headers, verify_response


def pair_findings(private: LoadedKey, public: LoadedKey, serial_no: str = "") -> list[Finding]:
    """Whether a private key and a certificate (or public key) belong together; serial_no vs cert."""
    findings = []
    if keys_match(private, public):
        findings.append(Finding("key_pair", _("私钥与证书（公钥）是一对。"), "003 §2.1"))
    else:
        findings.append(
            Finding(
                "key_pair_mismatch",
                _(
                    "私钥与证书（公钥）不是一对：用这个私钥签的名，这张证书验证不了。"
                    "确认 apiclient_key.pem 和 apiclient_cert.pem 来自同一次申请。"
                ),
                "003 §2.1",
            )
        )
    cert_serial = public.info.serial_no
    if serial_no and cert_serial and not same_serial(serial_no, cert_serial):
        findings.append(
            Finding(
                "serial_no_not_this_certificate",
                _(
                    "serial_no={serial_no} 不是这张证书的序列号 {cert_serial}：Authorization 里"
                    "要填商户 API 证书的序列号（不是平台证书的）。",
                    serial_no=serial_no.strip(),
                    cert_serial=cert_serial,
                ),
                "004 Header Authorization",
                "serial_no",
            )
        )
    return findings


def _request_to_sign(values: Values) -> tuple[Values, SignedRequest]:
    """The key-independent half of the signing page: the 401 comparison (its verdict is the
    page's headline), and the request prepared for signing; ``result["url"]`` is the URL as
    given (the search tries the host left in)."""
    result: Values = {"pasted_reply": recognise_reply(values["body"])}
    method, url = values["method"], values["url"].strip()
    timestamp, nonce = values["timestamp"].strip(), values["nonce"].strip()
    if values["sign_error"].strip():
        comparison = compare_sign_error(
            values["sign_error"],
            method=method,
            url=url,
            body=values["body"],
            timestamp=timestamp,
            nonce=nonce,
        )
        result["comparison"] = comparison
        method, url = comparison.method, url or comparison.url
        timestamp, nonce = comparison.timestamp, comparison.nonce
    result["generated"] = not timestamp
    result["url"] = url
    prepared = prepare_request(
        method=method or "POST",
        url=url,
        timestamp=timestamp or str(int(time.time())),
        nonce=nonce or secrets.token_hex(16).upper(),
        body=values["body"],
        mchid=values["mchid"].strip(),
        serial_no=values["serial_no"].strip(),
    )
    return result, prepared


def _key_checks(values: Values, prepared: SignedRequest, url: str, key: LoadedKey) -> Values:
    """What the key's public half tells: whether it pairs with the certificate, and what the
    merchant's own signature signed."""
    checks: Values = {}
    if values["certificate"].strip():
        certificate = load_public_key(values["certificate"])
        checks["pair"] = pair_findings(key, certificate, values["serial_no"])
    if values["their_signature"].strip():
        checks["search"] = mistakes.mistake_search(
            method=prepared.method,
            url=url,
            timestamp=prepared.timestamp,
            nonce=prepared.nonce,
            body=values["body"],
            signature=values["their_signature"].strip(),
            public_key=key,
        )
    return checks


def is_signature_of(public: LoadedKey, message: str, signature: str) -> bool:
    """Whether ``signature`` is the one the key makes over ``message``, as text: it verifies
    (SHA256withRSA, PKCS#1 v1.5, deterministic) and is written in canonical base64."""
    raw = decode_signature(signature)
    return (
        raw is not None
        and base64.b64encode(raw).decode("ascii") == signature
        and rsa_verify(public.key, message, raw, hashes.SHA256())
    )


def run_v3_sign(values: Values) -> Values:
    """Sign the request and, given a 401 SIGN_ERROR body, compare it with what WeChat Pay received.

    The comparison needs no key: the fields left empty are read from the 401 body, and its
    verdict is the page's headline. Without a private key nothing is signed.
    """
    result, prepared = _request_to_sign(values)
    url = result.pop("url")
    if not values["private_key"].strip():
        result.pop("generated")
        return result
    key = load_private_key(values["private_key"])
    signed = with_signature(prepared, rsa_sign(key, prepared.message, hashes.SHA256()))
    checks = _key_checks(values, prepared, url, key)
    return result | {"signed": signed, "key_info": key.info} | checks


def run_v3_sign_local(values: Values) -> Values:
    """Local mode (本地计算): everything but the signature, which the browser makes over
    ``local.message`` with the private key it keeps. The browser posts the key's public half
    (``local_key``), so the pair check and the search run here as in server mode; a signature it
    posts back (a share) is kept when it verifies."""
    result, prepared = _request_to_sign(values)
    url = result.pop("url")
    public = values["local_key"]
    if public is None:
        result.pop("generated")
        return result | {"local": {"sign": None}}
    signature = values["local_signature"].strip()
    verified = is_signature_of(public, prepared.message, signature)
    head, _slot, tail = with_signature(prepared, "\x00").authorization.partition("\x00")
    local = {
        "message": prepared.message,
        "hash": "SHA-256",
        "fills": {"signature": ["", ""], "authorization": [head, tail]},
    }
    return (
        result
        | {"signed": with_signature(prepared, signature) if verified else prepared}
        | {"key_info": values["local_key_info"], "local": {"sign": local}}
        | _key_checks(values, prepared, url, public)
    )


def server_now() -> datetime:
    """The server clock, which the 5-minute freshness checks of the pages and the API run against."""
    return datetime.now(UTC)


def run_v3_authorization(values: Values) -> Values:
    public_key = load_public_key(values["public_key"]) if values["public_key"].strip() else None
    check = check_authorization(
        values["authorization"],
        now=server_now(),
        method=values["method"] or None,
        url=values["url"].strip() or None,
        body=values["body"] if values["method"] else None,
        public_key=public_key,
    )
    return {"check": check, "key_info": public_key.info if public_key else None}


def run_v3_verify(values: Values) -> Values:
    key = load_public_key(values["public_key"])
    # What the search needs; verify_response reads the pasted headers the same way.
    headers = parse_wechatpay_headers(values["headers"])
    timestamp = values["timestamp"].strip() or headers.timestamp
    nonce = values["nonce"].strip() or headers.nonce
    signature = values["signature"].strip() or headers.signature
    verification = verify_response(
        timestamp=timestamp,
        nonce=nonce,
        body=values["body"],
        signature=signature,
        public_key=key,
        serial=values["serial"].strip(),
        headers=values["headers"],
        mchid=values["mchid"].strip(),
        now=server_now(),
    )
    result: Values = {"verification": verification, "key_info": key.info}
    if not verification.valid and timestamp and nonce and signature:
        result["search"] = mistakes.response_mistake_search(
            timestamp=timestamp,
            nonce=nonce,
            body=values["body"],
            signature=signature,
            public_key=key,
        )
    return result


def _resource_fields(values: Values) -> tuple[dict[str, str], bool]:
    """The resource to open, and whether it came from one pasted notification."""
    if values["notification"].strip():
        return read_notification(values["notification"]), True
    if values["ciphertext"].strip():
        return {
            "associated_data": values["associated_data"],
            "nonce": values["nonce"],
            "ciphertext": values["ciphertext"],
            "algorithm": AEAD_AES_256_GCM,
        }, False
    raise ParseError(
        "no_ciphertext",
        _("请粘贴整段通知 JSON，或填写 associated_data、nonce 和 ciphertext。"),
    )


def run_v3_decrypt(values: Values) -> Values:
    fields, whole = _resource_fields(values)
    decrypted = decrypt_resource(
        apiv3_key=values["apiv3_key"], **fields, from_one_notification=whole
    )
    fields = field_paths(decrypted.data)
    return {
        "decrypted": decrypted,
        "fields": fields,
        "personal_fields": [path for path in fields if is_personal(path)],
        "pretty": json.dumps(decrypted.data, ensure_ascii=False, indent=2)
        if isinstance(decrypted.data, dict)
        else decrypted.plaintext,
        "summary": notification_summary(decrypted.data),
    }


# The wrong-length APIv3 key errors, which local mode's browser gives with the length it measures.
APIV3_KEY_ERRORS = ("apiv3_key_whitespace", "apiv3_key_hex", "apiv3_key_length")


def _error(error: ParseError) -> Values:
    return {"code": error.code, "message": error.message}


# A plaintext field name as the browser reports it (static/js/local/task-page.js: paths such as
# amount.total or promotion_detail[0].amount); linear, bounded.
_FIELD_NAME = re.compile(r"[A-Za-z0-9_.\[\]-]{1,64}")
_MAX_FIELDS = 200


def run_v3_decrypt_local(values: Values) -> Values:
    """Local mode (本地计算): the same attempts as server mode (decryption.plan_decryption), which
    the browser runs with the APIv3 key it keeps; an error that needs no key waits for the key's
    length check, as on the server. The plaintext stays in the browser, which shows it the way
    the server would (SUMMARY_FIELDS, PERSONAL_WORDS)."""
    fields, whole = _resource_fields(values)
    check_algorithm(fields.pop("algorithm"))
    local: Values = {
        "key_errors": {
            kind: _error(key_length_error(kind, "{length}")) for kind in APIV3_KEY_ERRORS
        },
        "summary_fields": SUMMARY_FIELDS,
        "personal_words": PERSONAL_WORDS,
        "attempts": [],
        "failure": None,
    }
    # The field names the browser found, for a share (views.without_plaintext keeps only names):
    # nothing checks them without the key, so only names shaped like JSON paths are kept, never
    # a sentence of the poster's choosing, and none when the plan has nothing to decrypt.
    posted = values.get("local_fields", "").split("\n")
    names = [name for name in posted if _FIELD_NAME.fullmatch(name)][:_MAX_FIELDS]
    answer: Values = {"fields": names, "local": {"decrypt": local}}
    try:
        plan = plan_decryption(**fields, from_one_notification=whole)
    except ParseError as error:
        local["failure"] = _error(error)
        answer["fields"] = []
        return answer
    local["failure"] = _error(plan.failure)
    if not plan.attempts:
        answer["fields"] = []
    local["attempts"] = attempts_data(plan)
    return answer


# What a merchant looks at first in a decrypted payment or refund notification (003 §3.2.6).
SUMMARY_FIELDS = (
    "trade_state", "trade_state_desc", "refund_status", "out_trade_no", "transaction_id",
    "out_refund_no", "refund_id", "amount.total", "amount.payer_total", "amount.refund",
    "amount.currency", "success_time", "mchid", "appid",
)  # fmt: skip


def notification_summary(data: object) -> list[tuple[str, str]]:
    """The fields of SUMMARY_FIELDS the plaintext has, in that order."""
    found = []
    for path in SUMMARY_FIELDS:
        value = data
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is not None and not isinstance(value, dict | list):
            found.append((path, str(value)))
    return found


# Names of plaintext fields that identify a person or carry what the merchant attached: a shared
# link leaves their values out unless the sharer asks for them (issue 10, F5).
PERSONAL_WORDS = (
    "openid", "unionid", "payer", "attach", "name", "phone", "mobile", "email", "address",
    "id_card", "idcard", "id_number", "identity", "bank", "account", "user",
)  # fmt: skip


def is_personal(path: str) -> bool:
    lowered = path.lower()
    return any(word in lowered for word in PERSONAL_WORDS)


def field_paths(data: object, prefix: str = "", limit: int = 200) -> list[str]:
    """The dotted names of the leaves of decrypted JSON (``payer.openid``, ``amount.total``)."""
    paths: list[str] = []
    stack = [(prefix, data)]
    while stack and len(paths) < limit:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(
                (f"{path}.{name}" if path else str(name), item)
                for name, item in reversed(list(value.items()))
            )
        elif isinstance(value, list):
            stack.extend(
                (f"{path}[{index}]", item) for index, item in reversed(list(enumerate(value)))
            )
        elif path:
            paths.append(path)
    return paths


def run_v3_pay_sign(values: Values) -> Values:
    if not values["private_key"].strip() and not values["public_key"].strip():
        raise ParseError("no_key", _("请提供商户私钥（计算签名）或商户证书（核对已有签名）。"))
    parsed = parse_params(values["params"])
    private_key = load_private_key(values["private_key"]) if values["private_key"].strip() else None
    public_key = load_public_key(values["public_key"]) if values["public_key"].strip() else None
    result = pay_sign(
        values["scene"],
        dict(parsed.pairs),
        private_key=private_key,
        public_key=public_key,
        order=read_order(values.get("order", "")),  # 服务商: which appId the call signs
    )
    pair = pair_findings(private_key, public_key) if private_key and public_key else []
    return {"pay": result, "parsed": parsed, "pair": pair}


def run_v3_pay_sign_local(values: Values) -> Values:
    """Local mode (本地计算): the message to sign and the checks; the browser signs it with the
    private key it keeps and fills the sign in (the step and the parameters' row). A sign already
    in the parameters is checked with the certificate, or else with the key's public half
    (``local_key``): PKCS#1 v1.5 is deterministic, so it verifies exactly when it is the sign
    this key makes."""
    local_key = values["local_key"]
    if local_key is None and not values["public_key"].strip():
        raise ParseError("no_key", _("请提供商户私钥（计算签名）或商户证书（核对已有签名）。"))
    parsed = parse_params(values["params"])
    public_key = load_public_key(values["public_key"]) if values["public_key"].strip() else None
    result = pay_sign(
        values["scene"],
        dict(parsed.pairs),
        public_key=public_key or local_key,
        order=read_order(values.get("order", "")),
    )
    answer: Values = {"parsed": parsed, "pay": result, "pair": [], "local": {"sign": None}}
    if local_key is None:
        return answer
    sign_name = PAY_SIGN_NAME[values["scene"]]
    given = str(dict(parsed.pairs).get(sign_name, "")).strip()
    if public_key is None and given:
        result = replace(result, valid=is_signature_of(local_key, result.message, given))
    # The sign the browser made (posted back with a share) is kept once it verifies.
    made = values["local_signature"].strip()
    made = made if is_signature_of(local_key, result.message, made) else ""
    answer["pay"] = replace(result, pay_sign=made, params=(*result.params, (sign_name, made)))
    answer["pair"] = pair_findings(local_key, public_key) if public_key else []
    answer["signing_locally"] = True
    fills = {"pay-sign": ["", ""], "pay-sign-param": ["", ""]}
    return answer | {
        "local": {"sign": {"message": result.message, "hash": "SHA-256", "fills": fills}}
    }


TASKS: tuple[Task, ...] = (
    Task(
        "wechat_v3:sign",
        gettext_noop("APIv3 请求签名"),
        "APIv3 request signing and the Authorization header",
        "004 Header Authorization; 003 §2.1",
        gettext_noop(
            "按 METHOD\\nURL\\nTIMESTAMP\\nNONCE\\nBODY\\n 构造签名串，"
            "用商户私钥做 SHA256withRSA，拼出 Authorization 头。"
            "贴上你的签名或 401 应答，找出两边哪里不同。"
        ),
        run_v3_sign,
    ),
    Task(
        "wechat_v3:authorization",
        gettext_noop("检查 Authorization 头"),
        "Parse and check an Authorization header",
        "004 Header Authorization",
        gettext_noop(
            "拆开你发送的 Authorization 头，检查认证类型、五个字段、引号、时间戳、随机串和证书序列号；"
            "给出请求和证书时重新验签。"
        ),
        run_v3_authorization,
    ),
    Task(
        "wechat_v3:verify",
        gettext_noop("验证应答或回调签名"),
        "Verify a response or notification signature",
        "003 §3.2.6",
        gettext_noop(
            "按 TIMESTAMP\\nNONCE\\nBODY\\n 用平台证书或微信支付公钥验签，"
            "并指出常见的混淆：用了自己的商户证书、序列号写成十进制、时间戳超过 5 分钟。"
        ),
        run_v3_verify,
    ),
    Task(
        "wechat_v3:decrypt",
        gettext_noop("解密回调通知"),
        "Decrypt a notification (AEAD_AES_256_GCM)",
        "003 §3.2.6",
        gettext_noop(
            "用 APIv3 密钥解密 resource.ciphertext；失败时说出最可能的原因，而不是 InvalidTag。"
        ),
        run_v3_decrypt,
    ),
    Task(
        "wechat_v3:pay-sign",
        gettext_noop("APIv3 调起支付签名"),
        "APIv3 client pay signs (JSAPI paySign, App sign)",
        "003 §3.2.2, §3.2.3",
        gettext_noop(
            "JSAPI/小程序：appId\\ntimeStamp\\nnonceStr\\npackage\\n；"
            "App：appid\\ntimestamp\\nnoncestr\\nprepayid\\n；signType 为 RSA。"
        ),
        run_v3_pay_sign,
    ),
    KEYRING_TASK,
    SENSITIVE_TASK,
    SIMULATE_TASK,
)

# workbench -> its local-mode run (本地计算): everything but the secret's part, which the browser
# computes from the run's "local" plan (diagnostics.views, static/js/local/).
LOCAL_RUNS = {
    "wechat_v3:sign": run_v3_sign_local,
    "wechat_v3:decrypt": run_v3_decrypt_local,
    "wechat_v3:pay-sign": run_v3_pay_sign_local,
    "wechat_v3:sensitive": run_sensitive_local,
    "wechat_v3:keyring": run_keyring_local,
}
