"""The key ring's form (密钥体检): one paste of everything, and the values that say what they are.

The paste is named ``private_key`` on purpose: it may hold private keys and the APIv3 key, so it
is a secret field (never rendered back, linked or shared), and a form with a ``private_key`` field
gets the private-key rate limit and the slower live update (diagnostics.views).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from diagnostics.forms.fields import area_field, key_field, text_field


class V3KeyringForm(forms.Form):
    private_key = area_field(
        _("你手上的全部（任意顺序、任意多个）"),
        rows=12,
        help_text=_(
            "apiclient_key.pem、apiclient_cert.pem、平台证书、/v3/certificates 的应答 JSON、"
            "微信支付公钥 pub_key.pem 和 PUB_KEY_ID_…、序列号、商户号，也可以是配置文件里的 "
            "名称=值 行。私钥和密钥只用于这一次检查：不保存、不回显，结果里也只写种类和长度。"
        ),
    )
    apiv3_key = key_field(
        _("APIv3 密钥（可选）"),
        required=False,
        help_text=_("32 个字符；填在这里就不会和 API 密钥（V2）混淆。"),
    )
    key = key_field(
        _("API 密钥 V2（可选）"),
        required=False,
        help_text=_("同样 32 个字符；用来发现两个密钥填反或相同。"),
    )
    serial_no = text_field(
        _("你配置的商户证书序列号（可选）"),
        max_length=128,
        help_text=_("Authorization 里的 serial_no；十六进制或十进制都行。"),
    )
    wechatpay_serial = text_field(
        _("收到的 Wechatpay-Serial（可选）"),
        max_length=128,
        help_text=_("应答或回调的请求头：平台证书序列号或 PUB_KEY_ID_…；说出该用哪一项验签。"),
    )
    mchid = text_field(_("商户号（可选）"), max_length=32)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not any(str(cleaned.get(name) or "").strip() for name in self.fields):
            raise forms.ValidationError(
                gettext("请粘贴至少一样东西：密钥、证书、序列号或商户号。"), code="required"
            )
        return cleaned
