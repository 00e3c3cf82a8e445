"""Keeping secrets out of logs and error reports; the rule itself is diagnostics.core.redaction.

>>> is_secret_name("apiV3-Key"), is_secret_name("paySign")
(True, False)
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from django.views.debug import SafeExceptionReporterFilter

from diagnostics.core.redaction import (
    REMOVED,
    Redactor,
    is_secret_name,
    normalise_name,
    redact_mapping,
    redact_text,
)
from diagnostics.core.snapshot import freeze

__all__ = [
    "REMOVED",
    "Redactor",
    "ReporterFilter",
    "RedactingFormatter",
    "RedactingLogRecord",
    "install",
    "is_secret_name",
    "normalise_name",
    "redact_mapping",
    "redact_text",
]


class RedactingLogRecord(logging.LogRecord):
    """A log record whose message never carries a secret, whoever formats it."""

    def getMessage(self) -> str:  # noqa: N802 (the logging module's name)
        return redact_text(super().getMessage())


class RedactingFormatter(logging.Formatter):
    """Redacts the whole formatted line, exception text and stack included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_text(super().format(record))


def install() -> None:
    """Make every log record a redacting one (called once at start-up)."""
    if logging.getLogRecordFactory() is not RedactingLogRecord:
        logging.setLogRecordFactory(RedactingLogRecord)


def request_redactor(request: Any) -> Redactor:
    """A redactor that knows this request's secrets: secret-named POST fields, and the secrets
    found by name or shape in every other field and in a JSON body."""
    if request is None:
        return Redactor()
    # Only a body already parsed as a form is read: parsing it here could fail (a broken
    # multipart body) where the view answers it properly.
    post = getattr(request, "_post", None) or {}
    redactor = Redactor(
        str(value) for name in post for value in post.getlist(name) if is_secret_name(name)
    )
    redactor.learn(*(str(value) for name in post for value in post.getlist(name)))
    body = getattr(request, "_body", b"")
    if body:
        redactor.learn(body[: 512 * 1024].decode("utf-8", errors="replace"))
    return redactor


class ReporterFilter(SafeExceptionReporterFilter):
    """Error reports (debug page, admin e-mails) never show a secret: not in POST, not in a frame.

    A frame variable that is not a string or a mapping (a dataclass holding a report, say) is shown
    as its redacted data rather than its repr, which would carry every field."""

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        redactor = request_redactor(request)
        return [
            (name, self.cleansed_substitute if is_secret_name(name) else _cleanse(value, redactor))
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]

    def get_post_parameters(self, request: Any) -> Any:
        parameters = super().get_post_parameters(request)
        if request is None:
            return parameters
        redactor = request_redactor(request)
        cleansed = parameters.copy()
        for name in cleansed:
            if is_secret_name(name):
                cleansed[name] = self.cleansed_substitute
            else:
                cleansed.setlist(name, [redactor.text(str(v)) for v in cleansed.getlist(name)])
        return cleansed


def _cleanse(value: Any, redactor: Redactor) -> Any:
    if isinstance(value, str):
        return redactor.text(value)
    if isinstance(value, bytes):
        return redactor.text(value[: 512 * 1024].decode("utf-8", errors="replace"))
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Mapping):
        return redactor.tree(redact_mapping(freeze(value)))
    frozen = freeze(value)
    if frozen is None:
        return redactor.text(repr(value))
    return redactor.tree(redact_mapping(frozen) if isinstance(frozen, Mapping) else frozen)


class ApiRedactionMiddleware:
    """A JSON answer never carries a secret the request sent: every string in it is cleared of
    the secrets found in the request body (by name at any depth, PEM and DER keys), and a value
    under a secret name is removed whole. Engines are careful already; this is the last gate."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or request.method not in ("POST", "PUT", "PATCH"):
            return response
        if not response.get("Content-Type", "").startswith("application/json"):
            return response
        redactor = request_redactor(request)
        if not redactor.known:
            return response
        try:
            data = json.loads(response.content)
        except ValueError:
            return response
        response.content = json.dumps(redactor.tree(data), ensure_ascii=False).encode()
        return response
