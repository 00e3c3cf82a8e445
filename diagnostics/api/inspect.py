"""Paste anything: ``POST /api/v1/inspect`` {"text"} → the parts recognised and their routes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from diagnostics.api.common import FindingOut, findings_out
from diagnostics.core.inspect import KINDS, inspect

router = Router(tags=["inspect"])


class InspectIn(Schema):
    text: str


class RouteOut(Schema):
    page: str
    fields: dict[str, str]
    secret_fields: list[str] = []


class AlternativeOut(Schema):
    kind: str
    platform: str
    summary: str
    route: RouteOut


class PartOut(Schema):
    kind: str = Field(description="One of: " + ", ".join(KINDS))
    platform: str
    span: list[int]
    summary: str
    route: RouteOut
    confidence: str
    alternatives: list[AlternativeOut]


class InspectOut(Schema):
    parts: list[PartOut]
    findings: list[FindingOut]


@router.post(
    "/inspect",
    response=InspectOut,
    summary="Recognise what was pasted and where to take each part",
)
def inspect_text(request: HttpRequest, payload: InspectIn) -> dict[str, Any]:
    """Route fields never carry a secret's value: secret-named fields are listed in
    ``route.secret_fields`` (the paste holds a value for them), and secrets found by name or
    shape inside any other value are removed."""
    result = inspect(payload.text)
    return {
        "parts": [part.to_dict() for part in result.parts],
        "findings": findings_out(result.findings),
    }
