"""APIv3 sensitive fields (敏感信息加解密, 003 §2.1): a name, an ID number, a phone number or a
bank account sent to WeChat Pay is encrypted with the RSA key of a platform certificate or of the
WeChat Pay public key — RSAES-OAEP with SHA-1 and MGF1-SHA1, then Base64 — and the request carries
``Wechatpay-Serial`` naming that certificate's serial (40 hex digits) or the public key's
``PUB_KEY_ID_…``. Sensitive fields WeChat Pay returns are encrypted the same way with the public key
of the merchant's API certificate and open with ``apiclient_key.pem``. There is no PKCS#1 v1.5 in
this scheme.

Three jobs: :func:`encrypt_sensitive` (and the serial to send), :func:`decrypt_sensitive`, and
:func:`check_request_body` — plain-text sensitive fields, ciphertext lengths against the key size,
values encrypted or Base64-encoded twice, a missing or mismatched ``Wechatpay-Serial``.

The crypto is in ``sensitive_crypto``, the request check in ``sensitive_check``; this module is the
page's run and Task.
"""

from __future__ import annotations

import base64

from diagnostics.core.findings import ParseError
from diagnostics.core.keys import LoadedKey, load_certificate, load_private_key, load_public_key
from diagnostics.core.text import _
from diagnostics.core.workbench import Task, Values, gettext_noop
from diagnostics.wechat_v3.sensitive_check import (
    SENSITIVE_NAMES,
    FieldCheck,
    SensitiveCheck,
    check_request_body,
    sensitive_leaves,
)
from diagnostics.wechat_v3.sensitive_crypto import (
    SOURCE,
    Decryption,
    Encryption,
    ciphertext_chars,
    decrypt_sensitive,
    encrypt_sensitive,
    encrypted_twice,
    key_bits,
    max_plaintext_bytes,
    plan_sensitive_decryption,
    read_plaintext,
)

__all__ = [
    "SENSITIVE_NAMES",
    "SENSITIVE_TASK",
    "Decryption",
    "Encryption",
    "FieldCheck",
    "SensitiveCheck",
    "check_request_body",
    "ciphertext_chars",
    "decrypt_sensitive",
    "encrypt_sensitive",
    "load_encryption_key",
    "max_plaintext_bytes",
    "run_sensitive",
    "sensitive_leaves",
]


# --- the page ----------------------------------------------------------------------------------


def run_sensitive(values: Values) -> Values:
    """The page's run: ``mode`` picks encrypt / decrypt / check; the private key is ``private_key``."""
    mode = values.get("mode") or "encrypt"
    public_text = values.get("public_key", "")
    private_text = values.get("private_key", "")
    if mode == "encrypt":
        if not public_text.strip():
            raise ParseError("key_missing", _("请粘贴微信支付平台证书或微信支付公钥。"))
        key = load_public_key(public_text)
        encryption = encrypt_sensitive(
            values.get("plaintext", ""), key, values.get("public_key_id", "")
        )
        return {"mode": mode, "encryption": encryption, "key_info": key.info}
    if mode == "decrypt":
        if not private_text.strip():
            raise ParseError("private_key_missing", _("请粘贴商户私钥 apiclient_key.pem。"))
        if not values.get("ciphertext", "").strip():
            raise ParseError("ciphertext_missing", _("请粘贴要解密的密文。"))
        private = load_private_key(private_text)
        decryption = decrypt_sensitive(values["ciphertext"], private)
        return {"mode": mode, "decryption": decryption, "key_info": private.info}
    key = load_public_key(public_text) if public_text.strip() else None
    private = load_private_key(private_text) if private_text.strip() else None
    check = check_request_body(
        values.get("body", ""),
        wechatpay_serial=values.get("wechatpay_serial", ""),
        key=key,
        public_key_id=values.get("public_key_id", ""),
        private_key=private,
    )
    return {"mode": mode, "check": check, "key_info": key.info if key else None}


# What the browser says when a check is asked with a private key in local mode.
CHECK_NEEDS_THE_SERVER = _(
    "检查时给出的测试私钥要在服务器上解开密文（看是否加密了两次）：本地计算不会用它。"
    "请清空私钥再检查，或切换到服务器计算（用一把测试私钥）。"
)


def run_sensitive_local(values: Values) -> Values:
    """Local mode (本地计算): encrypting and checking run here without the private key; decrypting
    gets the plan (sensitive_crypto.plan_sensitive_decryption, sized by the key's public half the
    browser posts), which the browser opens with the private key it keeps. A check with a test
    private key needs the server (its ciphertexts are opened to see whether they were encrypted
    twice): the browser says so instead of checking without it."""
    mode = values.get("mode") or "encrypt"
    if mode != "decrypt":
        result = run_sensitive({**values, "private_key": ""})
        needs_key = CHECK_NEEDS_THE_SERVER if mode == "check" else None
        return result | {"local": {"sensitive": None, "check_needs_key": needs_key}}
    public = values["local_key"]
    if public is None:
        return {"mode": mode, "local": {"sensitive": None}}
    plan = plan_sensitive_decryption(values["ciphertext"], key_bits(public))
    key_findings = [*values["local_key_info"].findings, *plan.findings]
    # What the plaintext may add (read_plaintext), told by the browser: {chars} is its to fill.
    not_utf8 = read_plaintext(b"\xff", []).findings
    return {
        "mode": mode,
        "key_info": values["local_key_info"],
        "local_findings": key_findings,
        "local_extra": [*not_utf8, encrypted_twice("{chars}")],
        "local": {
            "sensitive": {
                "ciphertext": base64.b64encode(plan.raw).decode("ascii"),
                "pkcs1v15": _fault(plan.pkcs1v15),
                "oaep_sha256": _fault(plan.oaep_sha256),
                "other_key": _fault(plan.other_key),
            }
        },
    }


def _fault(error: ParseError) -> dict[str, object]:
    return {"code": error.code, "message": error.message}


def load_encryption_key(public_key: str = "", certificate: str = "") -> LoadedKey:
    """The API's key: ``certificate`` (a platform certificate) or ``public_key`` (either)."""
    if certificate.strip():
        return load_certificate(certificate)
    return load_public_key(public_key)


SENSITIVE_TASK = Task(
    "wechat_v3:sensitive",
    gettext_noop("敏感字段加解密"),
    "APIv3 sensitive fields: encrypt, decrypt, check a request",
    SOURCE,
    gettext_noop(
        "用平台证书或微信支付公钥加密敏感字段（RSAES-OAEP，SHA-1，Base64），并给出请求头 "
        "Wechatpay-Serial；用商户私钥解密微信支付返回的敏感字段；检查请求体里哪些字段没加密、"
        "密文长度、是否加密了两次、Wechatpay-Serial 是否缺失或不一致。"
    ),
    run_sensitive,
)
