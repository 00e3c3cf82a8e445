"""What every platform's endpoints answer with: findings (with severity) and mistakes."""

from __future__ import annotations

from ninja import Schema

from diagnostics.core.findings import findings_data


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


# Engine findings in the FindingOut shape, messages in the request's language (one definition
# for the API and the command line).
findings_out = findings_data


# --- APIv3, Baidu and the linter (issue 4). Keys are loaded for this request only.


class FindingsOut(Schema):
    findings: list[FindingOut]
