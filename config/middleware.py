"""Request-wide guards: body size limits (413) and rate-limit answers (429), in the user's shape."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from config.errors import error_body
from config.ratelimits import RateLimited, check


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    message = f"请求太大：上限 {limit // 1024} KiB (request body over {limit // 1024} KiB)."
    if _is_api(request):
        return JsonResponse(error_body("body_too_large", message), status=413)
    return render(request, "error.html", {"status": 413, "message": message}, status=413)


def rate_limited(request: HttpRequest, retry_after: int) -> HttpResponse:
    message = (
        f"请求太频繁，请 {retry_after} 秒后再试 (too many requests; retry in {retry_after} s)."
    )
    if _is_api(request):
        response: HttpResponse = JsonResponse(error_body("rate_limited", message), status=429)
    else:
        response = render(request, "error.html", {"status": 429, "message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


API_STATUS_MESSAGES = {
    404: ("not_found", "没有这个接口 (no such endpoint)."),
    405: ("method_not_allowed", "这个接口不接受这种 HTTP 方法 (method not allowed)."),
    500: ("internal_error", "服务器内部错误，已记录 (internal error, logged)."),
}


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
        is_api = _is_api(request)
        limit = settings.MAX_BODY_BYTES if is_api else settings.MAX_FORM_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return too_large(request, limit)
        try:
            if is_api:
                check(request, "api")
            elif request.method == "POST":
                check(request, "form")
        except RateLimited as limited:
            return rate_limited(request, limited.retry_after)
        response = self.get_response(request)
        if is_api:
            response = _api_shaped(response)
            # Answers may carry what the caller sent (a signature, a decrypted notification).
            response["Cache-Control"] = "no-store"
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
