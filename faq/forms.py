from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from faq.knowledge import PLATFORMS, SCENARIOS
from faq.models import SCENARIO_MAX_LENGTH, Entry

# Labels from faq.knowledge and faq.engine (Django-free) that the templates translate with
# {% translate label %}: listed here as msgids so makemessages finds them (tests/web/test_i18n.py
# checks the list still covers PLATFORMS, SCENARIOS and REFINE_LABELS).
KNOWLEDGE_LABEL_MSGIDS = (
    gettext_noop("微信支付 V2"),
    gettext_noop("微信支付 APIv3"),
    gettext_noop("微信支付分"),
    gettext_noop("百度收银台"),
    gettext_noop("支付宝"),
    gettext_noop("小程序"),
    gettext_noop("公众号 JSAPI"),
    gettext_noop("Native 扫码"),
    gettext_noop("开启服务页"),
    gettext_noop("订单确认页"),
    gettext_noop("订单详情页"),
    gettext_noop("是哪个平台的报错？"),
    gettext_noop("报错出现在支付分的哪个页面？"),
    gettext_noop("从哪个入口进入（App、H5 还是小程序）？"),
)


class LinesField(forms.CharField):
    """A JSON list edited as one item per line."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value or ""

    def to_python(self, value: Any) -> list[str]:
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class EntryAdminForm(forms.ModelForm):
    symptoms = LinesField(label=_("症状（来自文档）"), required=False)
    extra_symptoms = LinesField(label=_("补充的症状（每行一个，重新加载时保留）"), required=False)
    codes = LinesField(label=_("错误码（每行一个）"), required=False)
    remedy = LinesField(label=_("解决步骤（每行一步）"))
    scenarios = LinesField(
        label=format_lazy(_("场景（每行一个：{}）"), "、".join(SCENARIOS)), required=False
    )
    related = LinesField(label=_("相关条目 slug（每行一个）"), required=False)

    class Meta:
        model = Entry
        fields = (
            "slug",
            "platform",
            "document",
            "section",
            "title",
            "summary_en",
            "scenarios",
            "symptoms",
            "extra_symptoms",
            "codes",
            "http_status",
            "remedy",
            "workbench",
            "related",
            "note",
            "position",
            "in_source",
        )

    def clean_scenarios(self) -> list[str]:
        unknown = [value for value in self.cleaned_data["scenarios"] if value not in SCENARIOS]
        if unknown:
            raise forms.ValidationError(gettext("未知场景：") + ", ".join(unknown))
        return self.cleaned_data["scenarios"]


class DiagnoseForm(forms.Form):
    q = forms.CharField(label=_("你看到的报错"), max_length=16 * 1024, strip=True)
    platform = forms.ChoiceField(required=False, choices=[("", "—"), *PLATFORMS.items()])
    scenario = forms.CharField(required=False, max_length=SCENARIO_MAX_LENGTH)

    def clean_scenario(self) -> str:
        scenario, unknown = known_scenarios(self.cleaned_data["scenario"])
        if unknown:
            raise forms.ValidationError(gettext("未知场景：") + ", ".join(unknown[:3]))
        return scenario


def known_scenarios(text: str) -> tuple[str, list[str]]:
    """``text``'s scenarios, each once in the order given, and the values that are not scenarios.

    The page's refine answers add a scenario each time; kept once, every combination of the known
    scenarios fits UnmatchedQuery.scenario.

    >>> known_scenarios("jsapi,,app,jsapi,nope")
    ('jsapi,app', ['nope'])
    """
    values = list(dict.fromkeys(value for value in text.split(",") if value))
    return ",".join(v for v in values if v in SCENARIOS), [v for v in values if v not in SCENARIOS]
