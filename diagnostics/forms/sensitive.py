"""The APIv3 sensitive-field page's form: one page, three modes (encrypt / decrypt / check).

The merchant private key's field is ``private_key`` (a secret name: never rendered back, linked or
shared). The plaintext typed to encrypt and a decrypted value are personal data: the page shows
them, a share leaves them out unless ``share_plaintext`` is ticked (diagnostics.views)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from diagnostics.forms.fields import PRIVATE_KEY_HELP, area_field, text_field
from diagnostics.forms.local_mode import LocalModeForm


def missing_private_key() -> str:
    return gettext("请粘贴商户私钥 apiclient_key.pem。")


class SensitiveForm(LocalModeForm):
    mode = forms.ChoiceField(
        label=_("要做什么"),
        choices=[
            ("encrypt", _("加密：上送的敏感字段")),
            ("decrypt", _("解密：微信支付返回的敏感字段")),
            ("check", _("检查：一个请求体")),
        ],
        initial="encrypt",
    )
    plaintext = area_field(
        _("明文（加密用）"),
        rows=2,
        help_text=_("一个字段的值，例如姓名或手机号；页面会显示它，分享时默认不包含。"),
    )
    public_key = area_field(
        _("微信支付平台证书或微信支付公钥（加密用；检查时可选）"),
        help_text=_(
            "平台证书（PEM）或微信支付公钥 pub_key.pem；不是你自己的 apiclient_cert.pem。"
            "检查时给出它，密文长度按它的位数核对，Wechatpay-Serial 按它的序列号核对。"
        ),
    )
    public_key_id = text_field(
        _("微信支付公钥 ID（用公钥时）"),
        max_length=128,
        help_text=_("PUB_KEY_ID_…：用微信支付公钥加密时，它就是请求头 Wechatpay-Serial 的值。"),
    )
    ciphertext = area_field(
        _("密文（解密用）"),
        rows=4,
        help_text=_("微信支付应答里加密的字段值（RSA-2048 是 344 个字符的 Base64）。"),
    )
    body = area_field(
        _("请求体 JSON（检查用）"),
        rows=8,
        help_text=_("原样粘贴要发送的 JSON；按字段名在任意层级找出需要加密的字段。"),
    )
    wechatpay_serial = text_field(
        _("请求头 Wechatpay-Serial（检查用）"),
        max_length=128,
        help_text=_("你的请求带的值；没有带就留空。"),
    )
    private_key = area_field(
        _("商户私钥 apiclient_key.pem（解密用；检查时可选）"),
        help_text=format_lazy(
            "{} {}",
            _(
                "解密微信支付返回的字段。检查时给出一把测试私钥（与上面的测试公钥成对），"
                "可以解开密文，确认是否加密了两次。"
            ),
            PRIVATE_KEY_HELP,
        ),
    )
    share_plaintext = forms.BooleanField(
        label=_("分享时包含明文"),
        required=False,
        help_text=_(
            "默认不包含：要加密的明文和解密出的值是个人信息（姓名、证件号、手机号、银行账号），"
            "分享链接只保存结果的其余部分。"
        ),
    )

    def missing_secret(self) -> dict[str, Any] | None:
        """Decrypting needs the private key: the form's message when it is blank."""
        if self.data.get("mode") != "decrypt":
            return None
        label = str(self.fields["private_key"].label)
        return {"label": label, "message": missing_private_key(), "blank_is_missing": True}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        mode = cleaned.get("mode")
        required = {
            "encrypt": {
                "plaintext": gettext("请填写要加密的明文。"),
                "public_key": gettext("请粘贴微信支付平台证书或微信支付公钥。"),
            },
            "decrypt": {
                "ciphertext": gettext("请粘贴要解密的密文。"),
                # local mode: the browser says it (missing_secret)
                **({} if self.local else {"private_key": missing_private_key()}),
            },
            "check": {"body": gettext("请粘贴请求体（JSON）。")},
        }.get(mode or "", {})
        for name, message in required.items():
            if not str(cleaned.get(name, "")).strip() and name not in self.errors:
                self.add_error(name, message)
        return cleaned
