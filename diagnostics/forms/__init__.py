"""The workbenches' forms, one module per platform (and the linter); ``fields`` holds what they
share. The registry (diagnostics.platforms) gives each task its form."""

from __future__ import annotations

from diagnostics.forms.alipay import AlipayNotifyForm, AlipayResponseForm, AlipaySignForm
from diagnostics.forms.baidu import BaiduSignForm, BaiduVerifyForm
from diagnostics.forms.fields import ENGINE_LABEL_MSGIDS, PastedText
from diagnostics.forms.lint import LintForm
from diagnostics.forms.refund_notify import RefundNotifyForm
from diagnostics.forms.sensitive import SensitiveForm
from diagnostics.forms.simulator import V2SimulateForm, V3SimulateForm
from diagnostics.forms.v3_keyring import V3KeyringForm
from diagnostics.forms.wechat_v2 import V2SignForm
from diagnostics.forms.wechat_v3 import (
    V3AuthorizationForm,
    V3DecryptForm,
    V3PaySignForm,
    V3SignForm,
    V3VerifyForm,
)

__all__ = [
    "ENGINE_LABEL_MSGIDS",
    "AlipayNotifyForm",
    "AlipayResponseForm",
    "AlipaySignForm",
    "BaiduSignForm",
    "BaiduVerifyForm",
    "LintForm",
    "PastedText",
    "RefundNotifyForm",
    "SensitiveForm",
    "V2SignForm",
    "V2SimulateForm",
    "V3AuthorizationForm",
    "V3DecryptForm",
    "V3KeyringForm",
    "V3PaySignForm",
    "V3SignForm",
    "V3SimulateForm",
    "V3VerifyForm",
]
