"""Notification decryption (003 §2.1 敏感信息加解密; §3.2.6): ``resource`` is AEAD_AES_256_GCM with the
APIv3 key, ``associated_data`` and ``nonce``; a failure is explained (wrong key, wrong key kind,
damaged ciphertext) instead of a bare InvalidTag."""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

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


def apiv3_key_error(apiv3_key: str) -> ParseError | None:
    """Why ``apiv3_key`` cannot be an APIv3 key (32 bytes, AES-256), or None when it can be."""
    length = len(apiv3_key.encode("utf-8"))
    if length == 32:
        return None
    if len(apiv3_key.strip().encode("utf-8")) == 32:
        return key_length_error("apiv3_key_whitespace", length)
    hex_like = re.fullmatch(r"[0-9a-fA-F]{64}", apiv3_key.strip())
    return key_length_error("apiv3_key_hex" if hex_like else "apiv3_key_length", length)


def key_length_error(kind: str, length: object) -> ParseError:
    """The error for an APIv3 key of the wrong length; ``kind`` is apiv3_key_whitespace (32 bytes
    once trimmed), apiv3_key_hex (64 hex digits) or apiv3_key_length. Local mode (本地计算) asks for
    each with ``length="{length}"``: the browser measures the key and fills it in."""
    if kind == "apiv3_key_whitespace":
        return ParseError(
            "apiv3_key_whitespace",
            _(
                "APIv3 密钥前后带了空白字符（共 {length} 字节，去掉空白后 32 字节）：请去掉空格和换行；"
                "你的代码读取密钥时也要 trim。",
                length=length,
            ),
        )
    where = _("请到商户平台 → API安全 → 设置APIv3密钥处核对（32 个字符）。")
    if kind == "apiv3_key_hex":
        message = _(
            "APIv3 密钥应为 32 字节（AES-256），你给的是 {length} 字节。它像 64 位十六进制；"
            "APIv3 密钥就是在商户平台设置的 32 个字符，按原样使用，不做十六进制解码。{where}",
            length=length,
            where=where,
        )
    else:
        message = _(
            "APIv3 密钥应为 32 字节（AES-256），你给的是 {length} 字节。{where}",
            length=length,
            where=where,
        )
    return ParseError("apiv3_key_length", message)


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


@dataclass(frozen=True)
class Attempt:
    """One decryption the diagnosis tries: its inputs, and what opening with them means — the
    plaintext (``error`` None) or the slip it proves (``error``)."""

    nonce: bytes
    associated_data: bytes
    ciphertext: bytes
    error: ParseError | None = None


@dataclass(frozen=True)
class DecryptionPlan:
    """Decrypting a resource, all but the key: the attempts in order, and the error when none
    opens. The server (``open_plan``) and local mode's browser (static/js/local/decrypt.js) run
    the same plan, so both tell the same cause."""

    attempts: tuple[Attempt, ...]
    failure: ParseError


def check_algorithm(algorithm: str) -> None:
    if algorithm and algorithm != AEAD_AES_256_GCM:
        raise ParseError(
            "algorithm_unsupported",
            _(
                "resource.algorithm 是 “{algorithm}”，APIv3 通知用 {expected} 加密。",
                algorithm=algorithm,
                expected=AEAD_AES_256_GCM,
            ),
        )


def plan_decryption(
    *, associated_data: str, nonce: str, ciphertext: str, from_one_notification: bool = False
) -> DecryptionPlan:
    """What to try, in order, to open a resource; the checks that need no key raise ParseError.

    ``from_one_notification``: the three fields were read from one pasted notification, so they
    belong together and a tag mismatch can only mean the key."""
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
    aad = associated_data.encode("utf-8")
    attempts: list[Attempt] = []
    if " " in ciphertext.strip():
        # A form decoder turns "+" into " "; base64 never holds a space.
        repaired = _b64(ciphertext.strip().replace(" ", "+"), "ciphertext")
        plus_as_space = ParseError(
            "ciphertext_plus_as_space",
            _(
                "ciphertext 里的 “+” 变成了空格（被当作表单数据解码过）；用原始 JSON 里的值即可解密。"
            ),
        )
        attempts.append(Attempt(nonce_bytes, aad, repaired, plus_as_space))
    try:
        raw = _b64(ciphertext, "ciphertext")
        if len(raw) < 16:  # exactly 16 is the tag of an empty plaintext
            raise ParseError(
                "ciphertext_too_short",
                _(
                    "ciphertext 解码后只有 {length} 字节，连 16 字节的认证标签都不够：复制不完整。",
                    length=len(raw),
                ),
            )
    except ParseError as unreadable:
        if not attempts:
            raise
        return DecryptionPlan(tuple(attempts), unreadable)  # only the repaired one can open
    attempts.append(Attempt(nonce_bytes, aad, raw))
    # Decryption failed: the one-field slips that explain it.
    stripped = nonce.strip().encode("utf-8")
    if nonce != nonce.strip():
        whitespace = ParseError("nonce_whitespace", _("nonce 前后多了空白字符；去掉后即可解密。"))
        attempts.append(Attempt(stripped, aad, raw, whitespace))
    for other in dict.fromkeys((associated_data.strip(), *_KNOWN_ASSOCIATED_DATA)):
        if other != associated_data:
            mismatch = ParseError(
                "associated_data_mismatch",
                _(
                    "associated_data 不对：用 “{works}” 才能解密（你给的是 “{given}”）。"
                    "associated_data 要原样取自同一条通知的 resource.associated_data，可能为空字符串。",
                    works=other,
                    given=associated_data,
                ),
            )
            attempts.append(Attempt(stripped, other.encode("utf-8"), raw, mismatch))
    return DecryptionPlan(tuple(attempts), _failure(nonce, from_one_notification))


def attempts_data(plan: DecryptionPlan) -> list[dict[str, object]]:
    """The plan's attempts as local mode's browser runs them (static/js/local/decrypt.js): the
    bytes in base64, each with the slip it proves (its code and sentence) or None."""
    return [
        {
            "nonce": base64.b64encode(attempt.nonce).decode("ascii"),
            "associated_data": base64.b64encode(attempt.associated_data).decode("ascii"),
            "ciphertext": base64.b64encode(attempt.ciphertext).decode("ascii"),
            "error": (
                {"code": attempt.error.code, "message": attempt.error.message}
                if attempt.error
                else None
            ),
        }
        for attempt in plan.attempts
    ]


def open_plan(plan: DecryptionPlan, key: bytes) -> Decrypted:
    """Run the plan with the key: the plaintext, or the ParseError of the first slip that opens."""
    aead = AESGCM(key)
    for attempt in plan.attempts:
        try:
            plain = aead.decrypt(attempt.nonce, attempt.ciphertext, attempt.associated_data)
        except InvalidTag:
            continue
        if attempt.error is not None:
            raise attempt.error
        return decrypted(plain.decode("utf-8", errors="replace"))
    raise plan.failure


def decrypted(text: str) -> Decrypted:
    """A plaintext, with its JSON read when it is JSON."""
    try:
        data = load_json(text)
    except ParseError:
        data = None
    return Decrypted(plaintext=text, data=data)


def decrypt_resource(
    *,
    apiv3_key: str,
    associated_data: str,
    nonce: str,
    ciphertext: str,
    algorithm: str = AEAD_AES_256_GCM,
    from_one_notification: bool = False,
) -> Decrypted:
    """Decrypt a notification resource; failures raise ParseError naming the likely cause."""
    check_algorithm(algorithm)
    key = _apiv3_key_bytes(apiv3_key)
    plan = plan_decryption(
        associated_data=associated_data,
        nonce=nonce,
        ciphertext=ciphertext,
        from_one_notification=from_one_notification,
    )
    return open_plan(plan, key)


def _apiv3_key_bytes(apiv3_key: str) -> bytes:
    if (error := apiv3_key_error(apiv3_key)) is not None:
        raise error
    return apiv3_key.encode("utf-8")


_KNOWN_ASSOCIATED_DATA = ("transaction", "refund", "certificate", "mch_payment", "")


def _failure(nonce: str, from_one_notification: bool) -> ParseError:
    """The error when no attempt opens the ciphertext."""
    if from_one_notification:
        return ParseError(
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
    return ParseError("decrypt_failed", message)


def read_notification(notification: str | Mapping[str, object]) -> dict[str, str]:
    """A pasted notification's (or its ``resource`` object's) fields that decryption takes:
    associated_data, nonce, ciphertext, algorithm."""
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
    return {
        "associated_data": str(resource.get("associated_data") or ""),
        "nonce": str(resource.get("nonce") or ""),
        "ciphertext": str(resource.get("ciphertext") or ""),
        "algorithm": str(resource.get("algorithm") or AEAD_AES_256_GCM),
    }


def decrypt_notification(notification: str | Mapping[str, object], apiv3_key: str) -> Decrypted:
    """Decrypt a whole pasted notification (or its ``resource`` object)."""
    fields = read_notification(notification)
    return decrypt_resource(apiv3_key=apiv3_key, **fields, from_one_notification=True)
