"""WeChat Pay V2 (微信支付 V2): MD5 / HMAC-SHA256 signs over sorted ``k=v`` pairs and the API key.

Follows 002 (公众号支付接口文档) §3.2 签名算法, §4's call tables (统一下单, 查询, 关单, 退款, 对账单, the
JSAPI and App pay calls) and §6's error codes, and 000 (微信支付分) for the Pay Score pages. The
modules, one role each:

- ``signing``: string1, stringSignTemp and the sign, every step kept (002 §3.2);
- ``fields``: §4's field tables and the workbench presets (one per call or pay page);
- ``checks``: what is wrong before signing (lengths, amounts, timestamps, sign_type) and
  WeChat Pay's own reply recognised where a request was expected;
- ``mistakes``: which plausible mistake reproduces the sign the merchant got;
- ``retries``: what the findings say was signed differently, tried before the key is blamed;
- ``report``: everything one workbench run shows, headline first;
- ``lint``: each §4 call's own rules for the request-body linter.

The names below are the platform's public API.
"""

from __future__ import annotations

from diagnostics.wechat_v2.checks import check_params, recognise_reply
from diagnostics.wechat_v2.fields import PRESETS, Preset
from diagnostics.wechat_v2.mistakes import mistake_search
from diagnostics.wechat_v2.report import build_report
from diagnostics.wechat_v2.signing import (
    HMAC_SHA256,
    MD5,
    SIGN_TYPES,
    Excluded,
    SignSteps,
    guess_sign_type,
    mask_key,
    sign,
)

__all__ = [
    "HMAC_SHA256",
    "MD5",
    "PRESETS",
    "SIGN_TYPES",
    "Excluded",
    "Preset",
    "SignSteps",
    "build_report",
    "check_params",
    "guess_sign_type",
    "mask_key",
    "mistake_search",
    "recognise_reply",
    "sign",
]
