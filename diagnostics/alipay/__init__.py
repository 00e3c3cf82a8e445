"""Alipay open platform (支付宝开放平台, the ``openapi.alipay.com/gateway.do`` gateway): requests
signed RSA2 (SHA256withRSA) or RSA (SHA1withRSA) with the application private key (应用私钥);
Alipay's notifications and responses verified with the 支付宝公钥, or in certificate mode
(公钥证书模式) with the public key in the 支付宝公钥证书.

Follows the Alipay open platform's public pages (no seed document covers Alipay):

- 自行实现签名 https://opendocs.alipay.com/common/02kf5q — the request's string to sign;
- 自行实现验签 https://opendocs.alipay.com/common/02mse7 — notifications and responses;
- 公共错误码 https://opendocs.alipay.com/common/02km9f — isv.invalid-signature and its sub_msg.

The modules, one role each:

- ``checks``: the public parameters, timestamp, biz_content, certificate SNs against the mode;
- ``signing``: reading the parameters, the string to sign, the sign, what to send;
- ``verification``: a notification, a synchronous response (its content cut out exactly);
- ``mistakes``: which departure reproduces a sign (request, notification, response), named
  from ``catalogue``;
- ``comparison``: the merchant's sign and the gateway's echoed string against ours;
- ``workbenches``: what each workbench form runs.
"""

from __future__ import annotations

from diagnostics.alipay.checks import check_request
from diagnostics.alipay.comparison import SignComparison, compare_sign, gateway_string
from diagnostics.alipay.mistakes import AlipayMistake
from diagnostics.alipay.signing import AlipaySign, read_params, sign, string_to_sign, with_sign
from diagnostics.alipay.verification import (
    NotifyVerification,
    ResponseVerification,
    response_parts,
    verify_notification,
    verify_response,
)

__all__ = [
    "AlipayMistake",
    "AlipaySign",
    "NotifyVerification",
    "ResponseVerification",
    "SignComparison",
    "check_request",
    "compare_sign",
    "gateway_string",
    "read_params",
    "response_parts",
    "sign",
    "string_to_sign",
    "verify_notification",
    "verify_response",
    "with_sign",
]
