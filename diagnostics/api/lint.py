"""The request linter's endpoint."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from diagnostics.api.common import FindingsOut, findings_out
from diagnostics.platforms import lint

router = Router(tags=["lint"])


class LintIn(Schema):
    api: str
    params: dict[str, Any] | None = None
    body: str | None = None


@router.post(
    "/lint",
    response=FindingsOut,
    tags=["lint"],
    summary="Lint a request body against the field tables",
)
def lint_body(request: HttpRequest, payload: LintIn) -> dict[str, Any]:
    result = lint(payload.api, params=payload.params, body=payload.body)
    return {"findings": findings_out(result.findings)}
