"""Notification decryption (003 §2.1 敏感信息加解密; §3.2.6): ``resource`` is AEAD_AES_256_GCM with the
APIv3 key, ``associated_data`` and ``nonce``; a failure is explained (wrong key, wrong key kind,
damaged ciphertext) instead of a bare InvalidTag."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import NoReturn

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.keys import (
    decode_signature,
)
from diagnostics.core.params import load_json
from diagnostics.core.text import _
from diagnostics.wechat_v3.signing import AEAD_AES_256_GCM

# --- notification decryption (003 §2.1 敏感信息加解密; §3.2.6) -------------------------------


@dataclass(frozen=True)
class Decrypted:
    plaintext: str
    data: object = None  # the plaintext parsed as JSON, when it is JSON
    findings: tuple[Finding, ...] = field(default=())


def _apiv3_key_bytes(apiv3_key: str) -> bytes:
    key = apiv3_key.encode("utf-8")
    if len(key) == 32:
        return key
    stripped = apiv3_key.strip().encode("utf-8")
    if len(stripped) == 32:
        raise ParseError(
            "apiv3_key_whitespace",
            _(
                "APIv3 密钥前后带了空白字符（共 {length} 字节，去掉空白后 32 字节）：请去掉空格和换行；"
                "你的代码读取密钥时也要 trim。",
                length=len(key),
            ),
        )
    where = _("请到商户平台 → API安全 → 设置APIv3密钥处核对（32 个字符）。")
    if re.fullmatch(r"[0-9a-fA-F]{64}", apiv3_key.strip()):
        message = _(
            "APIv3 密钥应为 32 字节（AES-256），你给的是 {length} 字节。它像 64 位十六进制；"
            "APIv3 密钥就是在商户平台设置的 32 个字符，按原样使用，不做十六进制解码。{where}",
            length=len(key),
            where=where,
        )
    else:
        message = _(
            "APIv3 密钥应为 32 字节（AES-256），你给的是 {length} 字节。{where}",
            length=len(key),
            where=where,
        )
    raise ParseError("apiv3_key_length", message)


def _b64(value: str, name: str) -> bytes:
    raw = decode_signature(value)
    if raw is None:
        raise ParseError(
            f"{name}_not_base64",
            _(
                "{name} 不是有效的 base64：可能复制不完整，或被当作表单数据时 “+” 变成了空格。",
                name=name,
            ),
        )
    return raw


def decrypt_resource(
    *,
    apiv3_key: str,
    associated_data: str,
    nonce: str,
    ciphertext: str,
    algorithm: str = AEAD_AES_256_GCM,
    from_one_notification: bool = False,
) -> Decrypted:
    """Decrypt a notification resource; failures raise ParseError naming the likely cause.

    ``from_one_notification``: the three fields were read from one pasted notification, so they
    belong together and a tag mismatch can only mean the key."""
    if algorithm and algorithm != AEAD_AES_256_GCM:
        raise ParseError(
            "algorithm_unsupported",
            _(
                "resource.algorithm 是 “{algorithm}”，APIv3 通知用 {expected} 加密。",
                algorithm=algorithm,
                expected=AEAD_AES_256_GCM,
            ),
        )
    key = _apiv3_key_bytes(apiv3_key)
    if not ciphertext.strip():
        raise ParseError("ciphertext_missing", _("没有 ciphertext。"))
    nonce_bytes = nonce.encode("utf-8")
    if not nonce_bytes:
        raise ParseError("nonce_missing", _("没有 resource.nonce（加密使用的随机串，12 个字符）。"))
    if not 8 <= len(nonce_bytes) <= 128:
        raise ParseError(
            "nonce_length",
            _(
                "resource.nonce 有 {length} 个字节；通知的 nonce 是 12 个字符，请完整复制。",
                length=len(nonce_bytes),
            ),
        )
    aead = AESGCM(key)

    def attempt(data: bytes, iv: bytes, aad: str) -> bytes | None:
        try:
            return aead.decrypt(iv, data, aad.encode("utf-8"))
        except InvalidTag:
            return None

    if " " in ciphertext.strip():
        # A form decoder turns "+" into " "; base64 never holds a space.
        repaired = ciphertext.strip().replace(" ", "+")
        if attempt(_b64(repaired, "ciphertext"), nonce_bytes, associated_data) is not None:
            raise ParseError(
                "ciphertext_plus_as_space",
                _(
                    "ciphertext 里的 “+” 变成了空格（被当作表单数据解码过）；用原始 JSON 里的值即可解密。"
                ),
            )
    raw = _b64(ciphertext, "ciphertext")
    if len(raw) < 16:  # exactly 16 is the tag of an empty plaintext
        raise ParseError(
            "ciphertext_too_short",
            _(
                "ciphertext 解码后只有 {length} 字节，连 16 字节的认证标签都不够：复制不完整。",
                length=len(raw),
            ),
        )
    plain = attempt(raw, nonce_bytes, associated_data)
    if plain is None:
        _diagnose_decryption(attempt, raw, nonce, associated_data, from_one_notification)
    text = plain.decode("utf-8", errors="replace")
    try:
        data = load_json(text)
    except ParseError:
        data = None
    return Decrypted(plaintext=text, data=data)


_KNOWN_ASSOCIATED_DATA = ("transaction", "refund", "certificate", "mch_payment", "")


def _diagnose_decryption(
    attempt: Callable[[bytes, bytes, str], bytes | None],
    raw: bytes,
    nonce: str,
    associated_data: str,
    from_one_notification: bool = False,
) -> NoReturn:
    """Decryption failed: try the one-field slips that explain it, and raise naming the cause."""
    if nonce != nonce.strip() and attempt(raw, nonce.strip().encode(), associated_data) is not None:
        raise ParseError("nonce_whitespace", _("nonce 前后多了空白字符；去掉后即可解密。"))
    for aad in dict.fromkeys((associated_data.strip(), *_KNOWN_ASSOCIATED_DATA)):
        if aad != associated_data and attempt(raw, nonce.strip().encode(), aad) is not None:
            raise ParseError(
                "associated_data_mismatch",
                _(
                    "associated_data 不对：用 “{works}” 才能解密（你给的是 “{given}”）。"
                    "associated_data 要原样取自同一条通知的 resource.associated_data，可能为空字符串。",
                    works=aad,
                    given=associated_data,
                ),
            )
    if from_one_notification:
        raise ParseError(
            "apiv3_key_wrong",
            _(
                "APIv3 密钥不对。nonce、associated_data 和 ciphertext 都取自你粘贴的同一条通知，"
                "它们彼此相符；认证标签不匹配只剩密钥这一个原因。请到商户平台 → API安全 → APIv3密钥"
                "核对：常见的是用成了同样 32 个字符的 API 密钥（V2），或另一个商户号的 APIv3 密钥。"
                "不要急着重设密钥：重设后正在使用旧密钥的程序都会解不开通知。"
            ),
        )
    causes = _(
        "可能的原因：ciphertext、nonce、associated_data 不是取自同一条通知，或复制不完整；"
        "或密钥不对——如果你确定密钥没错，请确认用的是 APIv3密钥，而不是 API密钥（V2，同样 32 个字符）。"
    )
    if len(nonce.strip()) != 12:
        message = _(
            "解密失败（认证标签不匹配）。nonce 有 {length} 个字符，微信支付通知的 nonce 是 12 个字符。"
            "{causes}",
            length=len(nonce.strip()),
            causes=causes,
        )
    else:
        message = _("解密失败（认证标签不匹配）。{causes}", causes=causes)
    raise ParseError("decrypt_failed", message)


def decrypt_notification(notification: str | Mapping[str, object], apiv3_key: str) -> Decrypted:
    """Decrypt a whole pasted notification (or its ``resource`` object)."""
    if isinstance(notification, str):
        try:
            document = load_json(notification.replace("\ufeff", "").strip())
        except ParseError as error:
            raise ParseError(
                "notification_not_json", _("通知不是有效的 JSON：{reason}", reason=error.message)
            ) from None
    else:
        document = dict(notification)
    if not isinstance(document, dict):
        raise ParseError("notification_not_json", _("通知应是一个 JSON 对象。"))
    resource = document.get("resource", document)
    if not isinstance(resource, dict) or "ciphertext" not in resource:
        raise ParseError("resource_missing", _("通知里没有 resource.ciphertext。"))
    return decrypt_resource(
        apiv3_key=apiv3_key,
        associated_data=str(resource.get("associated_data") or ""),
        nonce=str(resource.get("nonce") or ""),
        ciphertext=str(resource.get("ciphertext") or ""),
        algorithm=str(resource.get("algorithm") or AEAD_AES_256_GCM),
        from_one_notification=True,
    )
