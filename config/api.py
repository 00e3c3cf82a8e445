"""The JSON API (django-ninja): /api/v1/, OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs.

Every failure answers with the same shape, {"error": {"code", "message"}}, and a 4xx: validation
messages name the field and the rule but never echo the submitted value (it may be a key).
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from config.errors import ApiError, error_body
from config.middleware import rate_limited
from config.ratelimits import RateLimited
from diagnostics.api import router as diagnostics_router
from diagnostics.params import ParseError
from faq.api import router as faq_router

api = NinjaAPI(
    title="Pay Doctor API",
    version="1",
    description="支付接入诊断台：签名工作台与错误诊断的 JSON 接口。Keys are used for one request and never stored.",
    urls_namespace="api",
)


def _error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    response = api.create_response(request, error_body(code, message), status=status)
    response["Cache-Control"] = "no-store"
    return response


@api.exception_handler(ApiError)
def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message)


@api.exception_handler(RateLimited)
def on_rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    return rate_limited(request, exc.retry_after)


@api.exception_handler(ParseError)
def on_parse_error(request: HttpRequest, exc: ParseError) -> HttpResponse:
    return _error(request, 400, exc.code, exc.message)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for error in exc.errors:
        location = ".".join(
            str(part) for part in error.get("loc", ()) if part not in ("body", "payload")
        )
        problems.append(f"{location or 'body'}: {error.get('msg', 'invalid')}")
    message = "请求格式不正确 (invalid request): " + "; ".join(problems[:5])
    return _error(request, 400, "invalid_request", message)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(request, 413, "body_too_large", "请求体超过 256 KiB (request body over 256 KiB).")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and "parse request body" in str(exc):
        return _error(
            request, 400, "malformed_json", "请求体不是合法的 JSON (body is not valid JSON)."
        )
    return _error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "没有这个资源 (not found).")


api.add_router("/", diagnostics_router)
api.add_router("/", faq_router)
