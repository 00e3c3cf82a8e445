"""The Alipay workbenches: sign a request (and explain the sign you sent or the gateway's string),
verify a notification, verify a synchronous response."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import replace

from diagnostics.alipay.checks import encode_message
from diagnostics.alipay.comparison import (
    SignComparison,
    compare_sign,
    compare_signed,
    is_sign_of,
)
from diagnostics.alipay.key_workbenches import KEY_TASKS
from diagnostics.alipay.signing import prepare_sign, read_params, with_sign
from diagnostics.alipay.verification import verify_notification, verify_response
from diagnostics.core.keys import LoadedKey, load_private_key, load_public_key
from diagnostics.core.workbench import Task, Values, gettext_noop


def run_alipay_sign(values: Values) -> Values:
    key = load_private_key(values["private_key"])
    sign_type = values.get("sign_type") or None
    params = read_params(values["params"])
    comparison = compare_sign(
        params,
        key,
        expected_sign=values.get("expected_sign", ""),
        gateway_answer=values.get("gateway_answer", ""),
        sign_type=sign_type,
        mode=values.get("mode") or "auto",
    )
    corrected = with_sign(params, comparison.signed.sign, sign_type)
    return {"comparison": comparison, "key_info": key.info, "corrected": corrected}


def run_alipay_sign_local(values: Values) -> Values:
    """Local mode (本地计算): every step but the sign; the browser signs the string to sign with
    the 应用私钥 it keeps and posts the key's public half (``local_key``), with which the pasted
    sign, the mistake search and the gateway's string are judged as compare_sign judges them."""
    sign_type = values.get("sign_type") or None
    params = read_params(values["params"])
    prepared = prepare_sign(params, sign_type=sign_type, mode=values.get("mode") or "auto")
    message = encode_message(prepared.string_to_sign, prepared.charset)
    # The corrected request URL-encodes the sign (quote_plus: "+", "/", "=" as encodeURIComponent).
    head, _slot, tail = with_sign(params, SIGN_SLOT, sign_type).rpartition("%00")
    local = {
        "message": prepared.string_to_sign,
        "hash": LOCAL_HASHES[prepared.sign_type],
        # Browsers encode text as UTF-8 only: a GBK request's bytes travel as base64.
        "bytes": base64.b64encode(message).decode("ascii") if prepared.charset == "GBK" else None,
        "fills": {"sign": ["", ""], "corrected": [head, tail, "url"]},
    }
    public = values["local_key"]
    if public is None:
        return {"comparison": SignComparison(prepared), "local": {"sign": None}}
    # The sign the browser made (posted back with a share) is kept once it verifies.
    made = values["local_signature"].strip()
    signed = replace(prepared, sign=made if is_sign_of(public, prepared, made) else "")
    comparison = compare_signed(
        params,
        signed,
        public,
        expected_sign=values.get("expected_sign", ""),
        gateway_answer=values.get("gateway_answer", ""),
        sign_type=sign_type,
        key_format=values["local_key_info"].format,
    )
    return {
        "comparison": comparison,
        "key_info": values["local_key_info"],
        "corrected": with_sign(params, signed.sign, sign_type),
        "local": {"sign": local},
    }


# The hash of each sign_type, as WebCrypto names it (static/js/local/alipay-sign.js).
LOCAL_HASHES = {"RSA2": "SHA-256", "RSA": "SHA-1"}

# Where the browser puts the sign it makes into the request to send (a NUL cannot be typed into a
# form field: Django refuses null characters).
SIGN_SLOT = "\x00"


def app_key(values: Values) -> LoadedKey | None:
    """The merchant's own key, when given, to tell it from the 支付宝公钥 pasted."""
    if values.get("private_key", "").strip():
        return load_private_key(values["private_key"])
    return app_public_key(values)


def app_public_key(values: Values) -> LoadedKey | None:
    """The 应用公钥 pasted, if any."""
    if values.get("app_public_key", "").strip():
        return load_public_key(values["app_public_key"])
    return None


def run_alipay_notify(values: Values) -> Values:
    return notify_verified(values, lambda: app_key(values))


def run_alipay_notify_local(values: Values) -> Values:
    """Local mode (本地计算): the 应用私钥 stays in the browser, which posts its public half
    (``local_key``); that half tells the merchant's own key from the 支付宝公钥 as the key would.
    The 应用公钥 field still counts when no key was read."""
    public = values["local_key"]
    result = notify_verified(values, lambda: public or app_public_key(values))
    return {**result, "local": {"key_check": public is not None}}


def notify_verified(values: Values, own_key: Callable[[], LoadedKey | None]) -> Values:
    """The notification verified with the 支付宝公钥 pasted; ``own_key`` reads the merchant's own
    key once the 支付宝公钥 has loaded (a bad 支付宝公钥 is the first error, whatever the mode)."""
    key = load_public_key(values["public_key"])
    verification = verify_notification(
        values["params"],
        key,
        app_key=own_key(),
        their_string=values.get("their_string", ""),
    )
    return {"verification": verification, "key_info": key.info}


def run_alipay_response(values: Values) -> Values:
    key = load_public_key(values["public_key"])
    verification = verify_response(
        values["body"],
        key,
        method=values.get("method", ""),
        sign_type=values.get("sign_type") or "RSA2",
        charset=values.get("charset") or "UTF-8",
        app_key=app_key(values),
    )
    return {"verification": verification, "key_info": key.info}


TASKS: tuple[Task, ...] = (
    Task(
        "alipay:sign",
        gettext_noop("支付宝请求签名"),
        "Sign an Alipay request (RSA2 / RSA)",
        "支付宝《自行实现签名》",
        gettext_noop(
            "除 sign 外的全部参数（sign_type 也算，空值不算）按名称排序拼成 k=v&…，值不做 URL 编码，"
            "RSA2 即 SHA256withRSA。贴上你的 sign 或网关的 isv.invalid-signature 回答，找出差别。"
        ),
        run_alipay_sign,
    ),
    Task(
        "alipay:notify",
        gettext_noop("支付宝异步通知验签"),
        "Verify an Alipay notification",
        "支付宝《自行实现验签》",
        gettext_noop(
            "除 sign、sign_type 外收到的全部参数，URL 解码一次后排序拼接，用支付宝公钥（不是应用公钥）"
            "或支付宝公钥证书里的公钥验签。"
        ),
        run_alipay_notify,
    ),
    Task(
        "alipay:response",
        gettext_noop("支付宝同步应答验签"),
        "Verify an Alipay synchronous response",
        "支付宝《自行实现验签》",
        gettext_noop(
            "签名的内容是应答原文里 xxx_response 的值，逐字节截取；sign 在它旁边。"
            "解析后再序列化的 JSON 验不过。"
        ),
        run_alipay_response,
    ),
    # The certificate and key tools (diagnostics.alipay.key_workbenches).
    *KEY_TASKS,
)

# workbench -> its local-mode run (本地计算): the steps here, the sign (or reading the key) in the
# browser.
LOCAL_RUNS = {"alipay:sign": run_alipay_sign_local, "alipay:notify": run_alipay_notify_local}
