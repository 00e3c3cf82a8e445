"""WeChat Pay APIv3 (微信支付 APIv3): RSA signatures over short messages, AES-256-GCM notifications.

Follows 003 (平台收付通开发指引) §2.1 签名生成 / 签名验证 / 敏感信息加解密, §3.2.2–3.2.6, and 004 (App 合单)
Header Authorization and its 401 SIGN_ERROR. The modules, one role each:

- ``signing``: the request message and the Authorization header, the protocol's constants;
- ``authorization``: a pasted Authorization header, parsed and checked;
- ``verification``: responses and notifications verified with a platform certificate or the
  WeChat Pay public key (``PUB_KEY_ID_…``), WECHATPAY/SIGNTEST probes recognised;
- ``sign_error``: a 401 SIGN_ERROR set beside the request, the first difference explained;
- ``decryption``: notification resources (AEAD_AES_256_GCM with the APIv3 key);
- ``pay_sign``: the client pay signs (JSAPI/小程序 paySign, App sign);
- ``checks``: WeChat Pay's own answers recognised where a request was expected;
- ``mistakes``: which plausible mistake reproduces a signature that does not verify;
- ``lint``: 004's request-body table for the App combined order;
- ``workbenches``: what each workbench form runs.

The names below are the platform's public API; import them from the package.
"""

from __future__ import annotations

from diagnostics.wechat_v3.authorization import (
    AuthorizationCheck,
    AuthorizationHeader,
    check_authorization,
    parse_authorization,
)
from diagnostics.wechat_v3.checks import recognise_reply
from diagnostics.wechat_v3.decryption import Decrypted, decrypt_notification, decrypt_resource
from diagnostics.wechat_v3.pay_sign import APP, JSAPI, PaySign, pay_sign, pay_sign_message
from diagnostics.wechat_v3.sign_error import (
    SignErrorComparison,
    compare_sign_error,
    parse_sign_error,
)
from diagnostics.wechat_v3.signing import (
    SignedRequest,
    build_authorization,
    build_message,
    check_serial_no,
    sign_request,
    signing_url,
    visible_lines,
)
from diagnostics.wechat_v3.verification import (
    Verification,
    WechatpayHeaders,
    build_response_message,
    parse_wechatpay_headers,
    verify_response,
)

__all__ = [
    "APP",
    "JSAPI",
    "AuthorizationCheck",
    "AuthorizationHeader",
    "Decrypted",
    "PaySign",
    "SignErrorComparison",
    "SignedRequest",
    "Verification",
    "WechatpayHeaders",
    "build_authorization",
    "build_message",
    "build_response_message",
    "check_authorization",
    "check_serial_no",
    "compare_sign_error",
    "decrypt_notification",
    "decrypt_resource",
    "parse_authorization",
    "parse_sign_error",
    "parse_wechatpay_headers",
    "pay_sign",
    "pay_sign_message",
    "recognise_reply",
    "sign_request",
    "signing_url",
    "verify_response",
    "visible_lines",
]
