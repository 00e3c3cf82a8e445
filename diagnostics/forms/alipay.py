"""The Alipay workbenches' forms. Secret fields (the 应用私钥) are never rendered back
(views.shown_initial)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from diagnostics.forms.alipay_keys import OptionalKeyForm
from diagnostics.forms.fields import PRIVATE_KEY_HELP, area_field, text_field
from diagnostics.forms.local_mode import LocalModeForm

ALIPAY_PUBLIC_KEY_HELP = _(
    "支付宝公钥（开放平台上传应用公钥后给出的那个，PEM 或 base64），"
    "证书模式下贴支付宝公钥证书 alipayCertPublicKey_RSA2.crt。"
)


def alipay_public_key_field() -> forms.CharField:
    """The 支付宝公钥 or the 支付宝公钥证书 (whose public key verifies), for both verifications."""
    return area_field(
        _("支付宝公钥或支付宝公钥证书"), required=True, help_text=ALIPAY_PUBLIC_KEY_HELP
    )


SIGN_TYPES = [("RSA2", "RSA2 (SHA256withRSA)"), ("RSA", "RSA (SHA1withRSA)")]


class AlipaySignForm(LocalModeForm):
    params = area_field(
        _("请求参数"),
        required=True,
        rows=8,
        help_text=_(
            "a=1&b=2（编码过的会解码一次）、网关 URL、name=value 行或 JSON；"
            "biz_content 原样粘贴实际发送的字符串。"
        ),
    )
    private_key = area_field(_("应用私钥"), required=True, help_text=PRIVATE_KEY_HELP)
    sign_type = forms.ChoiceField(
        label=_("签名类型 sign_type"),
        required=False,
        choices=[("", _("按参数里的 sign_type（没有则 RSA2）")), *SIGN_TYPES],
    )
    mode = forms.ChoiceField(
        label=_("加签模式"),
        required=False,
        choices=[
            ("auto", _("按参数判断（有 app_cert_sn 即证书模式）")),
            ("key", _("公钥模式")),
            ("cert", _("公钥证书模式")),
        ],
    )
    expected_sign = text_field(_("你得到的 sign（可选）"), max_length=4096)
    gateway_answer = area_field(
        _("网关的回答（可选）"),
        rows=3,
        help_text=_("isv.invalid-signature 的整个应答或 sub_msg：里面有“验签字符串为：…”。"),
    )


class AlipayNotifyForm(OptionalKeyForm):
    """In local mode (本地计算) the optional 应用私钥 stays in the browser, which posts its public
    half: an empty key is no error, as in server mode."""

    params = area_field(
        _("收到的通知参数（含 sign）"),
        required=True,
        rows=8,
        help_text=_(
            "POST 主体 a=1&b=2 原样粘贴（会解码一次），或框架读出的 JSON / name=value 行。"
        ),
    )
    public_key = alipay_public_key_field()
    their_string = area_field(
        _("你的代码拼出的待验签字符串（可选）"),
        rows=3,
        help_text=_("贴上日志里的字符串，找出它与正确字符串的差别和原因。"),
    )
    app_public_key = area_field(
        _("你的应用公钥（可选）"),
        rows=3,
        help_text=_("只用来检查上面贴的是不是应用公钥（最常见的错误）。"),
    )
    private_key = area_field(
        _("或你的应用私钥（可选）"),
        rows=3,
        help_text=_("同上，只用来比对，不签名；不保存、不回显。"),
    )


class AlipayResponseForm(forms.Form):
    body = area_field(
        _("同步应答原文"),
        required=True,
        rows=8,
        help_text=_("HTTP 应答的主体，一个字符也不要改（不要格式化）。"),
    )
    public_key = alipay_public_key_field()
    method = text_field(
        _("接口名 method（可选）"),
        max_length=128,
        help_text=_("例如 alipay.trade.query；不填则取应答里的 xxx_response。"),
    )
    sign_type = forms.ChoiceField(label=_("签名类型 sign_type"), required=False, choices=SIGN_TYPES)
    charset = forms.ChoiceField(
        label=_("字符集 charset"),
        required=False,
        choices=[("UTF-8", "UTF-8"), ("GBK", "GBK")],
    )
