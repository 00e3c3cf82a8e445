"""The notification simulators' forms (APIv3 and V2). The APIv3 key's field is ``apiv3_key`` and
the V2 API key's ``key`` (secret names): never rendered back, linked or shared; the notification
built with them carries only what they encrypt or sign.

Each APIv3 simulation generates an RSA-2048 key: ``generates_keys`` makes the page wait before a
live update and counts a run against the private-key rate limit, like a pasted private key."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from diagnostics.core.params import MAX_INPUT_CHARS
from diagnostics.forms.fields import area_field, key_field, text_field
from diagnostics.forms.local_mode import LocalModeForm

URL_HELP = _(
    "你的回调地址（notify_url），http:// 或 https://。本站不会访问它：把下面的 curl 命令拿到"
    "能访问它的机器上运行。"
)


class V3SimulateForm(LocalModeForm):
    """In local mode (本地计算) the APIv3 key stays in the browser, which posts back what it
    encrypted: the ciphertext (it travels in the notification), with the plaintext and nonce the
    server gave it (simulator.run_simulate_local)."""

    generates_keys = True
    secret_fields = ("apiv3_key",)
    local_ciphertext = forms.CharField(
        required=False, max_length=2 * MAX_INPUT_CHARS, strip=False, widget=forms.HiddenInput
    )
    local_resource = forms.CharField(
        required=False, max_length=MAX_INPUT_CHARS, strip=False, widget=forms.HiddenInput
    )
    local_nonce = forms.CharField(required=False, max_length=12, widget=forms.HiddenInput)

    kind = forms.ChoiceField(
        label=_("通知类型"),
        choices=[
            ("payment", _("支付成功通知（应接受）")),
            ("refund", _("退款结果通知（应接受）")),
            ("probe", _("签名探测 WECHATPAY/SIGNTEST（应拒绝）")),
            ("stale", _("时间戳已过期（应拒绝）")),
            ("reserialized", _("报文在签名后被重新序列化（应拒绝）")),
            ("wrong_serial", _("Wechatpay-Serial 不对（应拒绝）")),
        ],
        initial="payment",
    )
    mode = forms.ChoiceField(
        label=_("验签方式"),
        choices=[
            ("public_key", _("微信支付公钥（PUB_KEY_ID_…）")),
            ("certificate", _("平台证书（序列号）")),
        ],
        initial="public_key",
    )
    url = text_field(_("回调地址"), required=True, max_length=2048, help_text=URL_HELP)
    apiv3_key = key_field(
        _("APIv3 密钥"),
        help_text=_("32 个字符；用来加密 resource，只用于这一次，不保存、不回显。"),
    )
    resource = area_field(
        _("resource 明文（可选）"),
        rows=6,
        help_text=_(
            "要加密进 resource 的 JSON；留空则按官方通知示例生成一份（金额 1 分，虚构的单号）。"
        ),
    )


class V2SimulateForm(LocalModeForm):
    """In local mode (本地计算) the API key stays in the browser, which posts back the plan it was
    given, the sign or req_info it made, and the key's shape (simulator.run_simulate_local)."""

    secret_fields = ("key",)
    local_plan = forms.CharField(
        required=False, max_length=2 * MAX_INPUT_CHARS, strip=False, widget=forms.HiddenInput
    )
    local_sealed = forms.CharField(
        required=False, max_length=2 * MAX_INPUT_CHARS, strip=False, widget=forms.HiddenInput
    )
    local_key_length = forms.IntegerField(
        required=False, min_value=0, max_value=4096, widget=forms.HiddenInput
    )
    local_key_whitespace = forms.BooleanField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("通知类型"),
        choices=[("payment", _("支付结果通知")), ("refund", _("退款结果通知（req_info 加密）"))],
        initial="payment",
    )
    sign_type = forms.ChoiceField(
        label=_("签名算法（支付通知）"),
        choices=[("MD5", "MD5"), ("HMAC-SHA256", "HMAC-SHA256")],
        initial="MD5",
        help_text=_("和下单时的 sign_type 相同；通知里不会带 sign_type 字段。"),
    )
    url = text_field(_("回调地址"), required=True, max_length=2048, help_text=URL_HELP)
    key = key_field(
        _("API 密钥（APIv2 密钥）"),
        help_text=_(
            "32 位，不是 APIv3 密钥；用来签名或加密 req_info，只用于这一次，不保存、不回显。"
        ),
    )
    resource = area_field(
        _("你自己的字段（可选）"),
        rows=5,
        help_text=_(
            "XML、name=value 行或 JSON，替换或补充示例里的字段（如 appid、mch_id、out_trade_no、"
            "total_fee）；退款通知里，除 appid、mch_id 外的字段放进 req_info 的 <root>。"
        ),
    )
