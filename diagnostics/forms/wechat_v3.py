"""The APIv3 workbenches' forms. Secret fields are never rendered back (views.shown_initial)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from diagnostics.forms.fields import (
    HTTP_METHODS,
    PRIVATE_KEY_HELP,
    PUBLIC_KEY_HELP,
    area_field,
    key_field,
    text_field,
)
from diagnostics.forms.local_mode import LocalModeForm


def missing_key_message() -> str:
    """The sentence for a blank private key, in the active language."""
    return gettext("请填写商户私钥：签名需要它（只对比 401 应答时不需要）。")


class V3SignForm(LocalModeForm):
    """The request to sign; with a 401 SIGN_ERROR body, the fields left empty come from it and
    no key is needed to compare (the 401 body holds method, URL, timestamp and nonce)."""

    method = forms.ChoiceField(
        label=_("HTTP 方法"),
        required=False,
        choices=[("", _("按 401 应答（没有则 POST）")), *HTTP_METHODS],
    )
    url = text_field(
        _("URL（路径和查询串）"),
        max_length=2048,
        help_text=_("例如 /v3/combine-transactions/app；贴了 401 应答时可不填。"),
    )
    timestamp = text_field(
        _("时间戳 timestamp"),
        max_length=32,
        help_text=_("不填则取 401 应答里的，没有 401 应答时用当前时间。"),
    )
    nonce = text_field(
        _("随机串 nonce_str"),
        max_length=64,
        help_text=_("不填则取 401 应答里的，没有 401 应答时随机生成 32 位。"),
    )
    body = area_field(
        _("请求体 body"), rows=8, help_text=_("原样粘贴实际发送的字节；GET 请求留空。")
    )
    private_key = area_field(
        _("商户私钥 apiclient_key.pem"),
        help_text=_(
            "PEM（PKCS#8 或 PKCS#1）或不带头尾行的 base64；只用于这一次计算，不保存、不回显。"
            "只对比 401 应答时不需要。"
        ),
    )
    mchid = text_field(_("商户号 mchid"), max_length=32)
    serial_no = text_field(_("商户证书序列号 serial_no"), max_length=64)
    certificate = area_field(
        _("商户证书 apiclient_cert.pem（可选）"),
        rows=4,
        help_text=_("给出时检查它与私钥是否一对，以及 serial_no 是不是它的序列号。"),
    )
    their_signature = text_field(
        _("你得到的签名（可选）"),
        max_length=2048,
        help_text=_("贴上你的程序算出的 signature，找出它签的是什么。"),
    )
    sign_error = area_field(
        _("微信支付返回的 401 SIGN_ERROR（可选）"),
        rows=4,
        help_text=_("粘贴整个应答体，对比 sign_information；只对比时不需要私钥。"),
    )

    def missing_secret(self) -> dict[str, Any] | None:
        """Without a 401 body, a blank private key is the error below (the browser shows it)."""
        if str(self.data.get("sign_error", "")).strip():
            return None
        label = str(self.fields["private_key"].label)
        return {"label": label, "message": missing_key_message(), "blank_is_missing": True}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("sign_error", "").strip():
            return cleaned  # the 401 body supplies the request; comparing needs no key
        if not cleaned.get("url", "").strip() and "url" not in self.errors:
            self.add_error("url", gettext("请填写 URL，或贴上 401 应答。"))
        if self.local:
            return cleaned  # the browser signs, or says the key is missing
        if not cleaned.get("private_key", "").strip() and "private_key" not in self.errors:
            self.add_error("private_key", missing_key_message())
        return cleaned


class V3AuthorizationForm(forms.Form):
    authorization = area_field(_("Authorization 请求头"), required=True, rows=4)
    method = forms.ChoiceField(
        label=_("HTTP 方法（可选，用于验签）"),
        required=False,
        choices=[("", "—"), *HTTP_METHODS],
    )
    url = text_field(_("URL（可选）"), max_length=2048)
    body = area_field(_("请求体（可选）"), rows=4)
    public_key = area_field(
        _("商户证书或公钥（可选，用于验签）"), help_text=_("apiclient_cert.pem 或其公钥。")
    )


class V3VerifyForm(forms.Form):
    headers = area_field(
        _("应答或通知的 HTTP 头（可选）"),
        rows=5,
        help_text=_("整段粘贴 Wechatpay-Timestamp / -Nonce / -Signature / -Serial。"),
    )
    timestamp = text_field("Wechatpay-Timestamp", max_length=32)
    nonce = text_field("Wechatpay-Nonce", max_length=64)
    signature = text_field("Wechatpay-Signature", max_length=2048)
    serial = text_field("Wechatpay-Serial", max_length=128)
    body = area_field(
        _("应答或通知的 body"), rows=8, help_text=_("原样粘贴收到的字节，不要重新格式化 JSON。")
    )
    public_key = area_field(_("平台证书或微信支付公钥"), help_text=PUBLIC_KEY_HELP)
    certificate_file = forms.FileField(
        label=_("或上传证书文件（.pem / .crt，≤ 64 KiB）"), required=False
    )
    mchid = text_field(
        _("你的商户号（可选）"),
        max_length=32,
        help_text=_("用来识别“把自己的商户证书当成平台证书”。"),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        upload = cleaned.get("certificate_file")
        if upload is not None:
            if upload.size > settings.MAX_UPLOAD_BYTES:
                raise forms.ValidationError(
                    gettext("证书文件超过 %(limit)s KiB，这不像一张证书。")
                    % {"limit": settings.MAX_UPLOAD_BYTES // 1024},
                    code="max_length",
                )
            cleaned["public_key"] = upload.read().decode("utf-8", errors="replace")
        if not cleaned.get("public_key", "").strip():
            self.add_error("public_key", gettext("请粘贴平台证书或微信支付公钥，或上传证书文件。"))
        return cleaned


class V3DecryptForm(LocalModeForm):
    secret_fields = ("apiv3_key",)
    # Local mode: the names of the plaintext's fields the browser found (what a share keeps).
    local_fields = forms.CharField(required=False, max_length=20_000, widget=forms.HiddenInput)

    notification = area_field(_("整段通知 JSON（或填下面三项）"), rows=8)
    associated_data = text_field("resource.associated_data", max_length=256)
    nonce = text_field("resource.nonce", max_length=64)
    ciphertext = area_field("resource.ciphertext", rows=4)
    apiv3_key = key_field(_("APIv3 密钥"), help_text=_("32 位；只用于这一次解密，不保存、不回显。"))
    share_plaintext = forms.BooleanField(
        label=_("分享时包含解密后的明文"),
        required=False,
        help_text=_(
            "默认不包含：明文里有付款人的 openid、金额和 attach 等信息，分享链接只保存字段名和解密结果。"
        ),
    )


class V3PaySignForm(LocalModeForm):
    scene = forms.ChoiceField(
        label=_("场景"), choices=[("jsapi", _("JSAPI / 小程序 paySign")), ("app", "App sign")]
    )
    params = area_field(
        _("调起支付的参数"),
        required=True,
        rows=8,
        help_text=_(
            "JSAPI：appId、timeStamp、nonceStr、package、signType（可带 paySign）；"
            "App：appid、partnerid、prepayid、package、noncestr、timestamp（可带 sign）。"
        ),
    )
    private_key = area_field(_("商户私钥（计算签名用，可选）"), help_text=PRIVATE_KEY_HELP)
    public_key = area_field(
        _("商户证书或公钥（核对已有签名用，可选）"), help_text=_("apiclient_cert.pem。")
    )
    order = area_field(
        _("下单请求体（可选，服务商模式）"),
        rows=4,
        help_text=_(
            "贴上 /v3/pay/partner/transactions/… 的 JSON 请求体，检查调起支付的 appId "
            "是否与下单的 sp_appid / sub_appid 和 payer 一致。"
        ),
    )

    def missing_secret(self) -> dict[str, Any] | None:
        return None  # optional: the certificate alone checks a sign
