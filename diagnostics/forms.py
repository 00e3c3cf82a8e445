from __future__ import annotations

from typing import Any

from django import forms

from diagnostics.params import MAX_INPUT_CHARS, ParsedParams, ParseError, parse_params
from diagnostics.wechat_v2 import SIGN_TYPES
from diagnostics.wechat_v2_fields import ENTRY_POINTS


class V2SignForm(forms.Form):
    """What a merchant pastes into the V2 workbench. The key input never renders its value back."""

    raw = forms.CharField(
        label="你发送的参数",
        help_text="XML、query string、完整 URL、每行一个 name=value，或 JSON 对象。",
        max_length=MAX_INPUT_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false", "autocomplete": "off"}),
    )
    key = forms.CharField(
        label="商户 API 密钥 (key)",
        help_text="只用于这一次计算，不保存、不记录、不回显。",
        required=False,
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "off", "spellcheck": "false"}
        ),
    )
    sign_type = forms.ChoiceField(
        label="签名类型 sign_type",
        required=False,
        choices=[("", "自动（以参数里的 sign_type 为准）")] + [(t, t) for t in SIGN_TYPES],
    )
    expected_sign = forms.CharField(
        label="你得到的签名 (可选)",
        help_text="不填时使用参数里的 sign / paySign。",
        required=False,
        max_length=512,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    their_string = forms.CharField(
        label="你的 string1 或 stringSignTemp (可选)",
        help_text="粘贴你的程序拼出来的字符串，逐字符对比。",
        required=False,
        strip=False,
        max_length=MAX_INPUT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocomplete": "off"}),
    )
    entry_point = forms.ChoiceField(
        label="入口 entry point", required=False, choices=[("", "—"), *ENTRY_POINTS.items()]
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
        parsed = getattr(self, "parsed", None)
        if parsed and not cleaned.get("key", "").strip() and not parsed.pasted_key:
            self.add_error("key", "请填写商户 API 密钥（key），签名需要它。")
        return cleaned
