"""The WeChat Pay V2 signing workbench's form (every preset page uses it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from diagnostics.core.findings import ParseError
from diagnostics.core.params import MAX_INPUT_CHARS, ParsedParams, parse_params
from diagnostics.forms.fields import PastedText
from diagnostics.wechat_v2 import SIGN_TYPES
from diagnostics.wechat_v2.checks import recognise_reply
from diagnostics.wechat_v2.fields import ENTRY_POINTS


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

    order = PastedText(
        label=_("下单时发送的参数 (可选)"),
        help_text=_(
            "服务商模式：贴上统一下单的参数（XML 等），检查调起支付的 appId 是否与订单的 sub_appid 一致。"
        ),
        required=False,
        strip=False,
        max_length=MAX_INPUT_CHARS,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocomplete": "off"}),
    )

    parsed: ParsedParams
    order_parsed: ParsedParams | None = None

    def clean_order(self) -> str:
        order = self.cleaned_data["order"]
        if order.strip():
            try:
                self.order_parsed = parse_params(order)
            except ParseError as error:
                raise forms.ValidationError(error.message, code=error.code) from None
        return order

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
