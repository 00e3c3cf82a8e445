"""The Alipay workbenches: sign a request (and explain the sign you sent or the gateway's string),
verify a notification, verify a synchronous response."""

from __future__ import annotations

from diagnostics.alipay.comparison import compare_sign
from diagnostics.alipay.key_workbenches import KEY_TASKS
from diagnostics.alipay.signing import read_params, with_sign
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


def app_key(values: Values) -> LoadedKey | None:
    """The merchant's own key, when given, to tell it from the 支付宝公钥 pasted."""
    if values.get("private_key", "").strip():
        return load_private_key(values["private_key"])
    if values.get("app_public_key", "").strip():
        return load_public_key(values["app_public_key"])
    return None


def run_alipay_notify(values: Values) -> Values:
    key = load_public_key(values["public_key"])
    verification = verify_notification(
        values["params"],
        key,
        app_key=app_key(values),
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
