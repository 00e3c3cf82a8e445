from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from django.core.cache import cache
from django.core.exceptions import DisallowedHost, TooManyFieldsSent
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from config.context_processors import fitting_next, redacted_path
from config.middleware import error_response
from diagnostics.platforms import PLATFORMS


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"platforms": PLATFORMS.values()})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the cache answer, 503 (saying which failed) when one does not."""
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "error",
        **{k: "ok" if v else "error" for k, v in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _cache_ok() -> bool:
    try:
        cache.set("healthz", "ok", 10)
        return cache.get("healthz") == "ok"
    except Exception:  # any backend error (Redis down, refused connection) means unhealthy
        return False


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The CSRF refusal in the site's own page (Django's default has an inline style the CSP blocks)."""
    message = _("这个页面已经过期或不是从本站提交的，请刷新页面后再提交一次。")
    return render(request, "error.html", {"status": 403, "message": message}, status=403)


# The site's own pages for Django's errors (its defaults are bare HTML, under /api/ too): the
# error page, or the JSON error shape under /api/. A 405 is shaped in config.middleware.
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 404, "not_found", "没有这个页面 (page not found).")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's SuspiciousOperation answers: a Host not in ALLOWED_HOSTS, too many form fields."""
    if isinstance(exception, DisallowedHost):
        code, message = "disallowed_host", "本站不接受这个主机名 (this Host is not served here)."
    elif isinstance(exception, TooManyFieldsSent):
        code, message = "too_many_fields", "提交的字段太多 (too many fields in the request)."
    else:
        code, message = "bad_request", "请求无法处理 (bad request)."
    return error_response(request, 400, code, message)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, with its ``next`` stripped of secrets first: the switch redirects
    there, and a crafted ``next`` would otherwise put a key into a Location header and a URL."""
    next_url = request.POST.get("next", "")
    if next_url:
        parts = urlsplit(next_url)
        safe = redacted_path(parts.path, parse_qsl(parts.query, keep_blank_values=True))
        request.POST = request.POST.copy()
        request.POST["next"] = fitting_next(safe, parts.path)
    return django_set_language(request)
