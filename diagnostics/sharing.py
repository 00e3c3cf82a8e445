"""Saving a result as it is shown, for a /d/<token> support link, without any secret."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string

from config.ratelimits import check as check_rate
from diagnostics.models import SharedResult


def share_result(
    request: HttpRequest,
    kind: str,
    inputs: dict[str, str],
    summary: dict[str, Any],
    partial: str,
    context: dict[str, Any],
    secrets_used: list[str],
) -> SharedResult:
    """Save ``partial`` (a page's result partial, "page.html#name") as rendered now; add its
    link to ``context``.

    ``inputs`` are the non-secret form values; ``secrets_used`` are the secret values of this
    request, removed from everything saved wherever they occur.
    """
    check_rate(request, "share")
    snapshot = render_to_string(partial, context, request)
    shared = SharedResult.objects.share(kind, inputs, summary, snapshot, secrets_used)
    context["share_url"] = request.build_absolute_uri(shared.get_absolute_url())
    context["share_days"] = settings.SHARE_TTL_DAYS
    return shared
