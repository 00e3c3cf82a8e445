"""What every platform's endpoints answer with: findings (with severity) and mistakes."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class Excluded(Schema):
    name: str
    reason: str


class MistakeOut(Schema):
    code: str
    codes: list[str]
    detail: str
    string1: str
    fixes: list[str]
    source: str


class FindingOut(Schema):
    code: str
    message: str
    source: str
    field: str = ""
    severity: str = "warning"  # blocking | warning | note


def findings_out(findings: Any) -> list[dict[str, str]]:
    """Engine findings in the FindingOut shape, messages in the request's language."""
    return [
        {
            "code": f.code,
            "message": str(f.message),
            "source": f.source,
            "field": f.field,
            "severity": getattr(f, "severity", "warning"),
        }
        for f in findings
    ]


# --- APIv3, Baidu and the linter (issue 4). Keys are loaded for this request only.


class FindingsOut(Schema):
    findings: list[FindingOut]
