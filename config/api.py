"""The JSON API (django-ninja): /api/v1/, OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs.

Every failure answers with the same shape, {"error": {"code", "message"}}, and a 4xx: validation
messages name the field and the rule but never echo the submitted value (it may be a key).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser

from config.errors import ApiError, error_body
from config.middleware import API_STATUS_MESSAGES, rate_limited
from config.ratelimits import RateLimited
from config.views import bad_request
from diagnostics.api import router as diagnostics_router
from diagnostics.core.findings import ParseError
from diagnostics.core.params import load_json
from diagnostics.core.text import Message
from faq.api import router as faq_router


class PastedJsonParser(Parser):
    """Request bodies read like any pasted JSON (bounded), and no lone surrogate gets through."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError:
            raise ParseError(
                "not_utf8", "请求体不是 UTF-8 编码的 JSON (body is not UTF-8)."
            ) from None
        return load_json(text)


logger = logging.getLogger(__name__)

api = NinjaAPI(
    parser=PastedJsonParser(),
    title="Pay Doctor API",
    version="1",
    description="支付接入诊断台：签名工作台与错误诊断的 JSON 接口。Keys are used for one request and never stored.",
    urls_namespace="api",
)


def _error(request: HttpRequest, status: int, code: str, message: Message) -> HttpResponse:
    return api.create_response(request, error_body(code, message), status=status)


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


@api.exception_handler(SuspiciousOperation)
def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    """Too many query parameters (TooManyFieldsSent) and the like: the 400 the pages answer."""
    return bad_request(request, exc)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # django-ninja wraps what the body parser raised; ours says what was wrong with the body.
    if isinstance(exc.__cause__, ParseError):
        return _error(request, 400, exc.__cause__.code, exc.__cause__.message)
    return _error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "没有这个资源 (not found).")


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug must still answer in the one shape, without a traceback; it is logged (redacted)."""
    logger.exception("unexpected error in %s", request.path)
    return _error(request, 500, *API_STATUS_MESSAGES[500])


api.add_router("/", diagnostics_router)
api.add_router("/", faq_router)
