"""Request-wide guards, in the user's shape (a page, or the JSON error shape under /api/).

Before anything reads the request: a Cookie header over 4 KiB is a 400 (Python 3.11.7 parses
cookies in quadratic time, CVE-2024-7592), a body over the limit is a 413, and every request but
static files and /healthz counts against a rate limit (GETs too, with a generous one): a 429.
After the view: a bare 405 from ``require_GET``/``require_POST`` becomes our page or JSON.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from config.errors import error_body
from config.ratelimits import RateLimited, check


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def error_response(
    request: HttpRequest, status: int, code: str, message: str, retry_after: int = 0
) -> HttpResponse:
    """The site's error page, or {"error": {"code", "message"}} under /api/. An htmx request
    gets the error in its swap target's own element (the page keeps working: the result area is
    not replaced by a whole page), with the wait counted down when there is one."""
    if _is_api(request):
        return JsonResponse(error_body(code, message), status=status)
    target = request.headers.get("HX-Target", "")
    if request.headers.get("HX-Request") == "true" and _HTMX_TARGET.fullmatch(target):
        context = {"target": target, "status": status, "message": message, "wait": retry_after}
        return render(request, "_htmx_error.html", context, status=status)
    return render(request, "error.html", {"status": status, "message": message}, status=status)


_HTMX_TARGET = re.compile(r"[a-z][a-z0-9-]{0,31}")


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    message = f"请求太大：上限 {limit // 1024} KiB (request body over {limit // 1024} KiB)."
    return error_response(request, 413, "body_too_large", message)


def cookie_too_large(request: HttpRequest, limit: int) -> HttpResponse:
    message = (
        f"Cookie 太大：上限 {limit // 1024} KiB，请清除本站的 Cookie 后再试 "
        f"(Cookie header over {limit // 1024} KiB; clear this site's cookies and retry)."
    )
    return error_response(request, 400, "cookie_too_large", message)


def rate_limited(request: HttpRequest, retry_after: int) -> HttpResponse:
    message = (
        f"请求太频繁，请 {retry_after} 秒后再试 (too many requests; retry in {retry_after} s)."
    )
    response = error_response(request, 429, "rate_limited", message, retry_after)
    response["Retry-After"] = str(retry_after)
    return response


API_STATUS_MESSAGES = {
    404: ("not_found", "没有这个接口 (no such endpoint)."),
    405: ("method_not_allowed", "这个接口不接受这种 HTTP 方法 (method not allowed)."),
    500: ("internal_error", "服务器内部错误，已记录 (internal error, logged)."),
}
PAGE_405_MESSAGE = "这个页面不接受这种请求方式 (method not allowed)."


def _page_shaped(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A bare 405 (``require_GET``/``require_POST`` answer an empty body) as the site's page."""
    if response.status_code != 405 or response.content:
        return response
    shaped = render(request, "error.html", {"status": 405, "message": PAGE_405_MESSAGE}, status=405)
    if response.has_header("Allow"):
        shaped["Allow"] = response["Allow"]
    return shaped


def _rate_scope(request: HttpRequest) -> str | None:
    """Which limit a request counts against; static files and the health check count against none
    (WhiteNoise answers the first from memory; a load balancer polls the second)."""
    if _is_api(request):
        return "api"
    if request.path.startswith(settings.STATIC_URL) or request.path == "/healthz":
        return None
    return "form" if request.method == "POST" else "get"


def _api_shaped(response: HttpResponse) -> HttpResponse:
    """An /api/ answer Django or django-ninja made outside our handlers, in the one error shape."""
    if response.get("Content-Type", "").startswith("application/json"):
        return response
    known = API_STATUS_MESSAGES.get(response.status_code)
    if known is None:
        return response
    shaped = JsonResponse(error_body(*known), status=response.status_code)
    if response.has_header("Allow"):
        shaped["Allow"] = response["Allow"]
    return shaped


class RequestGuardMiddleware:
    """Refuse a body over the limit before anything reads it; count requests; answer 429 when over."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # First, before any code parses the header (request.COOKIES, the CSRF and session
        # middleware): Python 3.11.7's cookie parsing is quadratic (CVE-2024-7592).
        cookie_limit = settings.MAX_COOKIE_BYTES
        if len(request.META.get("HTTP_COOKIE", "")) > cookie_limit:
            del request.META["HTTP_COOKIE"]  # nothing below may parse it, the error page included
            return cookie_too_large(request, cookie_limit)
        is_api = _is_api(request)
        limit = settings.MAX_BODY_BYTES if is_api else settings.MAX_FORM_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return too_large(request, limit)
        scope = _rate_scope(request)
        try:
            if scope:
                check(request, scope)
        except RateLimited as limited:
            return rate_limited(request, limited.retry_after)
        response = self.get_response(request)
        if is_api:
            response = _api_shaped(response)
            # Answers may carry what the caller sent (a signature, a decrypted notification).
            response["Cache-Control"] = "no-store"
        else:
            response = _page_shaped(request, response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RateLimited):
            return rate_limited(request, exception.retry_after)
        return None


request_logger = logging.getLogger("paydoctor.request")


class RequestLogMiddleware:
    """One structured line per request: method, path (never the query string), status, duration.

    The query string is left out because a pasted payload or a refused key may travel in it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        line = {
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        }
        request_logger.info(json.dumps(line))
        return response
