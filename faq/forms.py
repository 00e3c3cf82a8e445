from __future__ import annotations

from typing import Any

from django import forms

from faq.knowledge import PLATFORMS, SCENARIOS
from faq.models import Entry


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
    symptoms = LinesField(label="症状（来自文档）", required=False)
    extra_symptoms = LinesField(label="补充的症状（每行一个，重新加载时保留）", required=False)
    codes = LinesField(label="错误码（每行一个）", required=False)
    remedy = LinesField(label="解决步骤（每行一步）")
    scenarios = LinesField(label="场景（每行一个：" + "、".join(SCENARIOS) + "）", required=False)
    related = LinesField(label="相关条目 slug（每行一个）", required=False)

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
            raise forms.ValidationError(f"未知场景：{', '.join(unknown)}")
        return self.cleaned_data["scenarios"]

    def clean_platform(self) -> str:
        if self.cleaned_data["platform"] not in PLATFORMS:
            raise forms.ValidationError("未知平台")
        return self.cleaned_data["platform"]


class DiagnoseForm(forms.Form):
    q = forms.CharField(label="你看到的报错", max_length=16 * 1024, strip=True)
    platform = forms.ChoiceField(required=False, choices=[("", "—"), *PLATFORMS.items()])
    scenario = forms.CharField(required=False, max_length=100)

    def clean_scenario(self) -> str:
        values = [value for value in self.cleaned_data["scenario"].split(",") if value]
        unknown = [value for value in values if value not in SCENARIOS]
        if unknown:
            raise forms.ValidationError("未知场景：" + ", ".join(unknown[:3]))
        return ",".join(values)
