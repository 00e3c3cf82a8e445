"""The request linter's form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from diagnostics.forms.fields import area_field


def lint_choices() -> list[tuple[str, str]]:
    """The request linter's calls, from every platform in the registry (asked when the form is
    built: the registry imports this module for its forms)."""
    from diagnostics.platforms import LINT_APIS

    return [(slug, _(api.title)) for slug, api in LINT_APIS.items()]


class LintForm(forms.Form):
    api = forms.ChoiceField(label=_("接口"), choices=lint_choices)
    body = area_field(
        _("请求内容"),
        required=True,
        rows=14,
        help_text=_("V2：XML、query string 或 name=value 行；APIv3：JSON 请求体。"),
    )
