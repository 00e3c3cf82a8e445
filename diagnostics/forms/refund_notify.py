"""The V2 refund notification page's form: the notification (or req_info alone) and the API key.
The key's field is named ``key`` (a secret name): never rendered back, linked or shared."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from diagnostics.core.params import MAX_INPUT_CHARS
from diagnostics.forms.fields import area_field, key_field
from diagnostics.forms.local_mode import LocalModeForm


class RefundNotifyForm(LocalModeForm):
    """In local mode (本地计算) the key stays in the browser, which posts what it found instead:
    the decrypted plaintext (the refund's data, not the key) or, when nothing opened, the slips'
    outcome (refund_local.local_outcome_error reads it)."""

    secret_fields = ("key",)
    local_plaintext = forms.CharField(
        required=False, max_length=MAX_INPUT_CHARS, strip=False, widget=forms.HiddenInput
    )
    local_outcome = forms.CharField(required=False, max_length=1024, widget=forms.HiddenInput)

    notification = area_field(
        _("退款结果通知 XML（或只粘贴 req_info）"),
        required=True,
        rows=8,
        help_text=_("通知原始请求体里的 XML；也可以只粘贴 <req_info> 里的 Base64。"),
    )
    key = key_field(
        _("API 密钥（APIv2 密钥）"),
        help_text=_("32 位，不是 APIv3 密钥；只用于这一次解密，不保存、不回显。"),
    )
    share_plaintext = forms.BooleanField(
        label=_("分享时包含解密后的明文"),
        required=False,
        help_text=_(
            "默认不包含：明文里有订单号、金额和退款入账账户等商户数据，分享链接只保存字段名和解密结果。"
        ),
    )
