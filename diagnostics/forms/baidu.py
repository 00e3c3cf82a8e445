"""The Baidu cashier workbenches' forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from diagnostics.forms.fields import PRIVATE_KEY_HELP, PUBLIC_KEY_HELP, area_field, text_field
from diagnostics.forms.local_mode import LocalModeForm


class BaiduSignForm(LocalModeForm):
    mode = forms.ChoiceField(
        label=_("签名范围"),
        required=False,  # orderInfo unless "all" is chosen
        choices=[
            ("order_info", _("orderInfo：只签 appKey、dealId、totalAmount、tpOrderId")),
            ("all", _("全部参数（除 sign、sign_type、rsaSign）")),
        ],
    )
    params = area_field(
        _("参数"),
        required=True,
        rows=8,
        help_text=_(
            "JSON、name=value 行或 a=1&b=2；orderInfo 签名只含 appKey、dealId、totalAmount、tpOrderId。"
        ),
    )
    private_key = area_field(_("开发者私钥"), required=True, help_text=PRIVATE_KEY_HELP)
    expected_sign = text_field(_("你得到的 rsaSign（可选）"), max_length=2048)


class BaiduVerifyForm(forms.Form):
    params = area_field(
        _("回调的 POST 参数（含 rsaSign）"),
        required=True,
        rows=8,
        help_text=_("a=1&b=2 原样粘贴，或 JSON。"),
    )
    url = text_field(
        _("回调 URL（可选）"), max_length=2048, help_text=_("URL 里的 GET 参数不参与签名。")
    )
    public_key = area_field(_("平台公钥"), required=True, help_text=PUBLIC_KEY_HELP)
