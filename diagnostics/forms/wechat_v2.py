"""The WeChat Pay V2 signing workbench's form (every preset page uses it)."""

from __future__ import annotations

import json
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
from diagnostics.wechat_v2.report import LocalAnswer, LocalOutcome


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
            render_value=False,
            # data-local-secret: in local mode (static/js/local/mode.js) it loses its name.
            attrs={"autocomplete": "off", "spellcheck": "false", "data-local-secret": ""},
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

    def __init__(self, *args: Any, local_key: str | None = None, **kwargs: Any) -> None:
        """``local_key``: in local mode, what the browser says of the key it keeps (missing,
        short, ok, ok_spaced); the key field is then empty and never required."""
        super().__init__(*args, **kwargs)
        self.local_key = local_key

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
        if self.local_key is not None:
            state = self.local_key
        else:
            key = cleaned.get("key", "").strip() or (parsed.pasted_key or "").strip()
            state = "missing" if not key else "short" if len(key) < 8 else "ok"
        if state == "missing" and self.local_key is not None and parsed.pasted_key:
            # Local mode uses the key box only: a key among the params went with them.
            self.add_error(
                "key",
                gettext(
                    "参数里带着密钥（key=…）：本地计算只用密钥框里的密钥。"
                    "请把密钥填到密钥框，并从参数里删掉那一行。"
                ),
            )
        elif state == "missing":
            self.add_error("key", gettext("请填写商户 API 密钥（key），签名需要它。"))
        elif state == "short":
            self.add_error("key", gettext("密钥太短：微信支付的 API 密钥是 32 个字符。"))
        return cleaned


# How the browser's outcome is read: at most the search's limit of recipes, each an index and
# three digits or nothing (bounded sizes before anything is parsed: the field's max_length).
_OUTCOME_MAX_FOUND = 10


class V2LocalForm(forms.Form):
    """What a local-mode (本地计算) request of the V2 workbench carries besides V2SignForm's
    fields: never the key, only what the browser found out with it (static/js/local/v2.js)."""

    mode = forms.ChoiceField(choices=[("server", "server"), ("local", "local")], required=False)
    local_key = forms.ChoiceField(
        choices=[(state, state) for state in ("missing", "short", "ok", "ok_spaced")],
        required=False,
    )
    their_key = forms.RegexField(
        r"\A(?:same|spaced|different:[0-9]{1,3}:[0-9]{1,3})?\Z", required=False, max_length=20
    )
    local_outcome = forms.CharField(required=False, max_length=1024)
    local_sign = forms.RegexField(r"\A(?:[0-9A-F]{32}|[0-9A-F]{64})?\Z", required=False)
    local_digest = forms.RegexField(r"\A(?:[0-9a-f]{32}|[0-9a-f]{64})?\Z", required=False)

    @property
    def is_local(self) -> bool:
        return self.data.get("mode") == "local"

    def clean_local_outcome(self) -> LocalOutcome | None:
        text = self.cleaned_data["local_outcome"]
        if not text:
            return None
        try:
            data = json.loads(text)
            match = data["match"]
            found = tuple((int(index), str(millis)) for index, millis in data.get("found", []))
            plan_id = str(data.get("plan_id", ""))
        except (ValueError, TypeError, KeyError):
            raise forms.ValidationError(
                gettext("本地计算的结果格式不对，请刷新页面后重试。")
            ) from None
        if match not in (True, False, None) or len(found) > _OUTCOME_MAX_FOUND:
            raise forms.ValidationError(gettext("本地计算的结果格式不对，请刷新页面后重试。"))
        return LocalOutcome(match, found, plan_id)

    def answer(self) -> LocalAnswer:
        """The browser's answer, once the form is valid."""
        data = self.cleaned_data
        return LocalAnswer(
            key_spaced=data["local_key"] == "ok_spaced",
            their_key=data["their_key"],
            outcome=data["local_outcome"],
            sign=data["local_sign"],
            digest=data["local_digest"],
        )
