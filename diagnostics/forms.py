from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from diagnostics.core.findings import ParseError
from diagnostics.core.params import MAX_INPUT_CHARS, ParsedParams, parse_params
from diagnostics.wechat_v2 import SIGN_TYPES
from diagnostics.wechat_v2.checks import recognise_reply
from diagnostics.wechat_v2.fields import ENTRY_POINTS

# Labels the Django-free engines hand to the templates, which translate them with
# {% translate label %}: listed here as msgids so makemessages finds them (tests/web/test_i18n.py
# checks the catalogue translates every LINT_APIS title, KIND_LABELS value and Excluded message).
ENGINE_LABEL_MSGIDS = (
    gettext_noop("统一下单 unifiedorder (V2)"),
    gettext_noop("订单查询 orderquery (V2)"),
    gettext_noop("关闭订单 closeorder (V2)"),
    gettext_noop("退款申请 refund (V2)"),
    gettext_noop("退款查询 refundquery (V2)"),
    gettext_noop("下载对账单 downloadbill (V2)"),
    gettext_noop("App 合单下单 POST /v3/combine-transactions/app (APIv3)"),
    gettext_noop("私钥"),
    gettext_noop("公钥"),
    gettext_noop("证书"),
    gettext_noop("签名字段本身不参与签名（002 §3.2）"),
    gettext_noop("值为空的参数不参与签名（002 §3.2 a）"),
)


class PastedText(forms.CharField):
    """A textarea's text with the browser's line endings undone.

    Browsers submit every line break of a textarea as CRLF (the HTML form encoding), whatever was
    pasted; signing those bytes would invent a mistake the merchant never made. The JSON API keeps
    the bytes it is sent, and CRLF stays one of the mistakes the searches try.
    """

    def to_python(self, value: Any) -> str:
        return super().to_python(value).replace("\r\n", "\n")


class V2SignForm(forms.Form):
    """What a merchant pastes into the V2 workbench. The key input never renders its value back."""

    raw = PastedText(
        label=_("你发送的参数"),
        help_text=_("XML、query string、完整 URL、每行一个 name=value，或 JSON 对象。"),
        max_length=MAX_INPUT_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false", "autocomplete": "off"}),
    )
    key = forms.CharField(
        label=_("商户 API 密钥 (key)"),
        help_text=_("只用于这一次计算，不保存、不记录、不回显。"),
        required=False,
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "off", "spellcheck": "false"}
        ),
    )
    sign_type = forms.ChoiceField(
        label=_("签名类型 sign_type"),
        required=False,
        choices=[("", _("自动（以参数里的 sign_type 为准）"))] + [(t, t) for t in SIGN_TYPES],
    )
    expected_sign = forms.CharField(
        label=_("你得到的签名 (可选)"),
        help_text=_("不填时使用参数里的 sign / paySign。"),
        required=False,
        max_length=512,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    their_string = PastedText(
        label=_("你的 string1 或 stringSignTemp (可选)"),
        help_text=_("粘贴你的程序拼出来的字符串，逐字符对比。"),
        required=False,
        strip=False,
        max_length=MAX_INPUT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocomplete": "off"}),
    )
    entry_point = forms.ChoiceField(
        label=_("入口 entry point"),
        required=False,
        choices=[("", "—"), *((value, _(label)) for value, label in ENTRY_POINTS.items())],
    )

    parsed: ParsedParams

    def clean_raw(self) -> str:
        raw = self.cleaned_data["raw"]
        try:
            self.parsed = parse_params(raw)
        except ParseError as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        return raw

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        parsed = getattr(self, "parsed", None)  # set by clean_raw when the params parse
        if parsed is None:
            return cleaned
        reply = recognise_reply(parsed.pairs)
        if reply and not reply.signed:
            return cleaned  # an unsigned answer of the platform: nothing to sign, no key needed
        key = cleaned.get("key", "").strip() or (parsed.pasted_key or "").strip()
        if not key:
            self.add_error("key", gettext("请填写商户 API 密钥（key），签名需要它。"))
        elif len(key) < 8:
            self.add_error("key", gettext("密钥太短：微信支付的 API 密钥是 32 个字符。"))
        return cleaned


# --- RSA / AES workbenches (issue 4). Secret fields are never rendered back (see views.shown_initial).

HTTP_METHODS = [(method, method) for method in ("POST", "GET", "PUT", "PATCH", "DELETE")]
PEM_ATTRS = {"rows": 6, "spellcheck": "false", "autocomplete": "off", "class": "mono"}
TEXT_ATTRS = {"spellcheck": "false", "autocomplete": "off"}


def _text(
    label: str | Promise,
    *,
    required: bool = False,
    max_length: int = 256,
    help_text: str | Promise = "",
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs=TEXT_ATTRS),
    )


def _area(
    label: str | Promise, *, required: bool = False, rows: int = 6, help_text: str | Promise = ""
) -> forms.CharField:
    return PastedText(
        label=label,
        required=required,
        strip=False,
        max_length=MAX_INPUT_CHARS,
        help_text=help_text,
        widget=forms.Textarea(attrs={**PEM_ATTRS, "rows": rows}),
    )


PRIVATE_KEY_HELP = _(
    "PEM（PKCS#8 或 PKCS#1）或不带头尾行的 base64；只用于这一次计算，不保存、不回显。"
)
PUBLIC_KEY_HELP = _("平台证书（PEM）、微信支付公钥，或 base64 公钥。")


class V3SignForm(forms.Form):
    """The request to sign; with a 401 SIGN_ERROR body, the fields left empty come from it and
    no key is needed to compare (the 401 body holds method, URL, timestamp and nonce)."""

    method = forms.ChoiceField(
        label=_("HTTP 方法"),
        required=False,
        choices=[("", _("按 401 应答（没有则 POST）")), *HTTP_METHODS],
    )
    url = _text(
        _("URL（路径和查询串）"),
        max_length=2048,
        help_text=_("例如 /v3/combine-transactions/app；贴了 401 应答时可不填。"),
    )
    timestamp = _text(
        _("时间戳 timestamp"),
        max_length=32,
        help_text=_("不填则取 401 应答里的，没有 401 应答时用当前时间。"),
    )
    nonce = _text(
        _("随机串 nonce_str"),
        max_length=64,
        help_text=_("不填则取 401 应答里的，没有 401 应答时随机生成 32 位。"),
    )
    body = _area(_("请求体 body"), rows=8, help_text=_("原样粘贴实际发送的字节；GET 请求留空。"))
    private_key = _area(
        _("商户私钥 apiclient_key.pem"),
        help_text=_(
            "PEM（PKCS#8 或 PKCS#1）或不带头尾行的 base64；只用于这一次计算，不保存、不回显。"
            "只对比 401 应答时不需要。"
        ),
    )
    mchid = _text(_("商户号 mchid"), max_length=32)
    serial_no = _text(_("商户证书序列号 serial_no"), max_length=64)
    certificate = _area(
        _("商户证书 apiclient_cert.pem（可选）"),
        rows=4,
        help_text=_("给出时检查它与私钥是否一对，以及 serial_no 是不是它的序列号。"),
    )
    their_signature = _text(
        _("你得到的签名（可选）"),
        max_length=2048,
        help_text=_("贴上你的程序算出的 signature，找出它签的是什么。"),
    )
    sign_error = _area(
        _("微信支付返回的 401 SIGN_ERROR（可选）"),
        rows=4,
        help_text=_("粘贴整个应答体，对比 sign_information；只对比时不需要私钥。"),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("sign_error", "").strip():
            return cleaned  # the 401 body supplies the request; comparing needs no key
        if not cleaned.get("url", "").strip() and "url" not in self.errors:
            self.add_error("url", gettext("请填写 URL，或贴上 401 应答。"))
        if not cleaned.get("private_key", "").strip() and "private_key" not in self.errors:
            self.add_error(
                "private_key", gettext("请填写商户私钥：签名需要它（只对比 401 应答时不需要）。")
            )
        return cleaned


class V3AuthorizationForm(forms.Form):
    authorization = _area(_("Authorization 请求头"), required=True, rows=4)
    method = forms.ChoiceField(
        label=_("HTTP 方法（可选，用于验签）"),
        required=False,
        choices=[("", "—"), *HTTP_METHODS],
    )
    url = _text(_("URL（可选）"), max_length=2048)
    body = _area(_("请求体（可选）"), rows=4)
    public_key = _area(
        _("商户证书或公钥（可选，用于验签）"), help_text=_("apiclient_cert.pem 或其公钥。")
    )


class V3VerifyForm(forms.Form):
    headers = _area(
        _("应答或通知的 HTTP 头（可选）"),
        rows=5,
        help_text=_("整段粘贴 Wechatpay-Timestamp / -Nonce / -Signature / -Serial。"),
    )
    timestamp = _text("Wechatpay-Timestamp", max_length=32)
    nonce = _text("Wechatpay-Nonce", max_length=64)
    signature = _text("Wechatpay-Signature", max_length=2048)
    serial = _text("Wechatpay-Serial", max_length=128)
    body = _area(
        _("应答或通知的 body"), rows=8, help_text=_("原样粘贴收到的字节，不要重新格式化 JSON。")
    )
    public_key = _area(_("平台证书或微信支付公钥"), help_text=PUBLIC_KEY_HELP)
    certificate_file = forms.FileField(
        label=_("或上传证书文件（.pem / .crt，≤ 64 KiB）"), required=False
    )
    mchid = _text(
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


class V3DecryptForm(forms.Form):
    notification = _area(_("整段通知 JSON（或填下面三项）"), rows=8)
    associated_data = _text("resource.associated_data", max_length=256)
    nonce = _text("resource.nonce", max_length=64)
    ciphertext = _area("resource.ciphertext", rows=4)
    apiv3_key = forms.CharField(
        label=_("APIv3 密钥"),
        max_length=256,
        strip=False,
        help_text=_("32 位；只用于这一次解密，不保存、不回显。"),
        widget=forms.PasswordInput(render_value=False, attrs=TEXT_ATTRS),
    )
    share_plaintext = forms.BooleanField(
        label=_("分享时包含解密后的明文"),
        required=False,
        help_text=_(
            "默认不包含：明文里有付款人的 openid、金额和 attach 等信息，分享链接只保存字段名和解密结果。"
        ),
    )


class V3PaySignForm(forms.Form):
    scene = forms.ChoiceField(
        label=_("场景"), choices=[("jsapi", _("JSAPI / 小程序 paySign")), ("app", "App sign")]
    )
    params = _area(
        _("调起支付的参数"),
        required=True,
        rows=8,
        help_text=_(
            "JSAPI：appId、timeStamp、nonceStr、package、signType（可带 paySign）；"
            "App：appid、partnerid、prepayid、package、noncestr、timestamp（可带 sign）。"
        ),
    )
    private_key = _area(_("商户私钥（计算签名用，可选）"), help_text=PRIVATE_KEY_HELP)
    public_key = _area(
        _("商户证书或公钥（核对已有签名用，可选）"), help_text=_("apiclient_cert.pem。")
    )


class BaiduSignForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("签名范围"),
        required=False,  # orderInfo unless "all" is chosen
        choices=[
            ("order_info", _("orderInfo：只签 appKey、dealId、totalAmount、tpOrderId")),
            ("all", _("全部参数（除 sign、sign_type、rsaSign）")),
        ],
    )
    params = _area(
        _("参数"),
        required=True,
        rows=8,
        help_text=_(
            "JSON、name=value 行或 a=1&b=2；orderInfo 签名只含 appKey、dealId、totalAmount、tpOrderId。"
        ),
    )
    private_key = _area(_("开发者私钥"), required=True, help_text=PRIVATE_KEY_HELP)
    expected_sign = _text(_("你得到的 rsaSign（可选）"), max_length=2048)


class BaiduVerifyForm(forms.Form):
    params = _area(
        _("回调的 POST 参数（含 rsaSign）"),
        required=True,
        rows=8,
        help_text=_("a=1&b=2 原样粘贴，或 JSON。"),
    )
    url = _text(
        _("回调 URL（可选）"), max_length=2048, help_text=_("URL 里的 GET 参数不参与签名。")
    )
    public_key = _area(_("平台公钥"), required=True, help_text=PUBLIC_KEY_HELP)


def lint_choices() -> list[tuple[str, str]]:
    """The request linter's calls, from every platform in the registry (asked when the form is
    built: the registry imports this module for its forms)."""
    from diagnostics.platforms import LINT_APIS

    return [(slug, _(api.title)) for slug, api in LINT_APIS.items()]


class LintForm(forms.Form):
    api = forms.ChoiceField(label=_("接口"), choices=lint_choices)
    body = _area(
        _("请求内容"),
        required=True,
        rows=14,
        help_text=_("V2：XML、query string 或 name=value 行；APIv3：JSON 请求体。"),
    )
