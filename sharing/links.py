"""Saving a result for a /d/<token> support link: data already redacted, never HTML."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from config.ratelimits import check as check_rate
from sharing.models import SharedResult


def share_result(
    request: HttpRequest,
    kind: str,
    inputs: dict[str, str],
    summary: dict[str, Any],
    result: Any,
    context: dict[str, Any],
) -> SharedResult:
    """Save a result and put its link into ``context`` (where the page shows it).

    ``inputs`` are the non-secret form values and ``result`` the frozen result data
    (diagnostics.core.snapshot), both already through this request's Redactor.
    """
    check_rate(request, "share")
    shared = SharedResult.objects.share(kind, inputs, summary, result)
    # The link opens on the result (the form to re-run it is below or beside it).
    anchor = "#results" if kind == "diagnosis" else "#result"
    context["share_url"] = request.build_absolute_uri(shared.get_absolute_url()) + anchor
    context["share_days"] = settings.SHARE_TTL_DAYS
    return shared
