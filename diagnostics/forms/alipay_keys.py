"""The Alipay certificate and key workbenches' forms. The 应用私钥 is never rendered back
(views.shown_initial) and never leaves the request."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from diagnostics.forms.fields import PRIVATE_KEY_HELP, area_field
from diagnostics.forms.local_mode import LocalModeForm


class OptionalKeyForm(LocalModeForm):
    """A local-mode form whose 应用私钥 is optional: an empty one is no error."""

    def missing_secret(self) -> None:
        return None


class AlipayCertsForm(OptionalKeyForm):
    certificates = area_field(
        _("证书"),
        rows=8,
        help_text=_(
            "应用公钥证书 appCertPublicKey_*.crt、支付宝公钥证书 alipayCertPublicKey_RSA2.crt，"
            "一个或几个 PEM 依次粘贴。"
        ),
    )
    root_certificates = area_field(
        _("支付宝根证书 alipayRootCert.crt（可选）"),
        rows=6,
        help_text=_("整个文件原样粘贴：里面有几张证书，SN 由其中 RSA 签名的证书组成。"),
    )
    private_key = area_field(
        _("应用私钥（可选）"),
        rows=4,
        help_text=_("只用来检查它和应用公钥证书是否配对；不保存、不回显。"),
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if not (
            cleaned.get("certificates", "").strip() or cleaned.get("root_certificates", "").strip()
        ):
            raise forms.ValidationError(_("请至少粘贴一张证书或支付宝根证书文件。"))
        return cleaned


class AlipayKeysForm(OptionalKeyForm):
    private_key = area_field(_("应用私钥（可选）"), rows=6, help_text=PRIVATE_KEY_HELP)
    public_key = area_field(
        _("公钥（可选）"),
        rows=4,
        help_text=_("应用公钥或支付宝公钥，PEM 或开放平台上那种不带头尾行的 base64。"),
    )
    certificate = area_field(
        _("证书（可选）"),
        rows=4,
        help_text=_("应用公钥证书 appCertPublicKey_*.crt，检查私钥和它是否配对。"),
    )
    alipay_public_key = area_field(
        _("支付宝公钥（可选）"),
        rows=4,
        help_text=_("你配置在代码里的支付宝公钥：检查它是不是误填了应用公钥。"),
    )
    # Local mode: what the browser read of the 应用私钥 it keeps (static/js/local/alipay-keys.js):
    # the header label pasted and the content's format, which the format checks need; and whether
    # the field holds anything (a damaged key is named by the browser, not refused here as none).
    local_key_label = forms.ChoiceField(
        required=False,
        choices=[(label, label) for label in ("", "PRIVATE KEY", "RSA PRIVATE KEY")],
        widget=forms.HiddenInput,
    )
    local_key_content = forms.ChoiceField(
        required=False,
        choices=[(name, name) for name in ("", "PKCS#1", "PKCS#8")],
        widget=forms.HiddenInput,
    )
    local_key_pasted = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if not any(
            str(cleaned.get(name, "")).strip()
            for name in ("private_key", "public_key", "certificate", "alipay_public_key")
        ) and not (self.local and (cleaned.get("local_key") or cleaned.get("local_key_pasted"))):
            raise forms.ValidationError(_("请至少粘贴一个私钥、公钥或证书。"))
        return cleaned


KEY_FORMS: dict[str, type[forms.Form]] = {
    "alipay:certs": AlipayCertsForm,
    "alipay:keys": AlipayKeysForm,
}
