"""What every page's template needs from the request."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest

from diagnostics.core.redaction import Redactor, is_secret_name

LANGUAGE_NEXT_LIMIT = 8192


def language_next(request: HttpRequest) -> dict[str, str]:
    """Where the language switch returns after a GET: the same page with the same inputs — never
    a secret (a secret-named parameter is dropped, every value redacted), and only when it fits
    in a form field."""
    try:
        query = request.GET if request.method == "GET" else None
    except SuspiciousOperation:  # too many fields: the error page itself is being rendered
        query = None
    if not query:
        return {"language_next_get": request.path}
    pairs = [(name, value) for name, values in query.lists() for value in values]
    path = redacted_path(request.path, pairs)
    return {"language_next_get": fitting_next(path, request.path)}


def fitting_next(path: str, fallback: str) -> str:
    """``path`` as the language switch's ``next``, or ``fallback`` when it is too long for a form
    field (a prefill link of a 256 KiB paste)."""
    return path if len(path) <= LANGUAGE_NEXT_LIMIT else fallback


def redacted_path(path: str, pairs: list[tuple[str, str]]) -> str:
    """``path`` with a query of ``pairs``, secret-named ones dropped and every value redacted."""
    redactor = Redactor()
    kept = [(name, redactor.text(value)) for name, value in pairs if not is_secret_name(name)]
    return path + ("?" + urlencode(kept) if kept else "")
