"""The Baidu cashier workbenches: sign (or compare) an orderInfo, verify a callback."""

from __future__ import annotations

from diagnostics.baidu.checks import ORDER_INFO_SIGNED
from diagnostics.baidu.mistakes import compare_sign
from diagnostics.baidu.signing import order_info_sign, sign, with_rsa_sign
from diagnostics.baidu.verification import verify
from diagnostics.core.keys import (
    load_private_key,
    load_public_key,
)
from diagnostics.core.workbench import Task, Values, gettext_noop


def run_baidu_sign(values: Values) -> Values:
    key = load_private_key(values["private_key"])
    order_info = values["mode"] != "all"
    if values["expected_sign"].strip():
        comparison = compare_sign(
            values["params"],
            key,
            values["expected_sign"].strip(),
            only=ORDER_INFO_SIGNED if order_info else None,
        )
        corrected = "" if comparison.matches else with_rsa_sign(values["params"], comparison.sign)
        return {"comparison": comparison, "key_info": key.info, "corrected": corrected}
    signed = order_info_sign(values["params"], key) if order_info else sign(values["params"], key)
    corrected = with_rsa_sign(values["params"], signed.sign)
    return {"signed": signed, "key_info": key.info, "corrected": corrected}


def run_baidu_verify(values: Values) -> Values:
    key = load_public_key(values["public_key"])
    return {
        "verification": verify(values["params"], key, url=values["url"].strip()),
        "key_info": key.info,
    }


TASKS: tuple[Task, ...] = (
    Task(
        "baidu:sign",
        gettext_noop("百度收银台 rsaSign 签名"),
        "Baidu cashier rsaSign (SHA1withRSA)",
        "001 调起收银台错误 2",
        gettext_noop(
            "参数按名称排序拼成 k=v&…（不含 sign、sign_type、rsaSign），SHA1withRSA 后 base64。"
            "贴上你的 rsaSign 找出差别。"
        ),
        run_baidu_sign,
    ),
    Task(
        "baidu:verify",
        gettext_noop("百度回调验签"),
        "Verify a Baidu callback",
        "001 支付回调 2",
        gettext_noop(
            "回调的所有 POST 参数（rsaSign 除外，空值也算）都参与签名；URL 里的 GET 参数不参与。"
        ),
        run_baidu_verify,
    ),
)
