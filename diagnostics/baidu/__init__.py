"""Baidu smart program cashier (百度收银台): rsaSign, SHA1withRSA over sorted ``k=v`` pairs.

Follows 001 (百度收银台支付常见问题): 调起收银台错误 2 (the orderInfo sign), 支付回调 2 (verifying a
callback), 退款 2 (amounts) and 签名验签和密钥生成. The modules, one role each:

- ``signing``: reading the parameters, string1, the sign, and the orderInfo to send;
- ``verification``: a callback verified with the platform public key;
- ``checks``: orderInfo fields and whole-fen amounts, 001's constants;
- ``mistakes``: which drift reproduces a sign (empty values, rsaSign signed, GET parameters…);
- ``workbenches``: what each workbench form runs.

The names below are the platform's public API.
"""

from __future__ import annotations

from diagnostics.baidu.checks import ORDER_INFO_SIGNED, check_fen_amount, check_order_info
from diagnostics.baidu.mistakes import SignComparison, compare_sign
from diagnostics.baidu.signing import (
    BaiduSign,
    build_string1,
    order_info_sign,
    read_params,
    sign,
    with_rsa_sign,
)
from diagnostics.baidu.verification import BaiduVerification, verify

__all__ = [
    "ORDER_INFO_SIGNED",
    "BaiduSign",
    "BaiduVerification",
    "SignComparison",
    "build_string1",
    "check_fen_amount",
    "check_order_info",
    "compare_sign",
    "order_info_sign",
    "read_params",
    "sign",
    "verify",
    "with_rsa_sign",
]
