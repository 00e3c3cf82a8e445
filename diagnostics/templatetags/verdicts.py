"""The verdict rule in templates: a "valid" headline never stands above a blocking finding.

``{% load verdicts %}{% with refused=result.findings|blocking %}…{% endwith %}`` — works on engine
findings and on the thawed data of a share alike (diagnostics.core.snapshot).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template

from diagnostics.core.findings import BLOCKING

register = template.Library()


def _severity(finding: Any) -> str:
    if isinstance(finding, Mapping):
        return str(finding.get("severity", ""))
    return str(getattr(finding, "severity", ""))


@register.filter
def blocking(findings: Iterable[Any] | None) -> list[Any]:
    """The blocking findings of a list of findings (None gives [])."""
    return [finding for finding in findings or () if _severity(finding) == BLOCKING]
