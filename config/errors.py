"""The one error shape every JSON endpoint answers with: {"error": {"code", "message"}}."""

from __future__ import annotations

from diagnostics.core.text import Message


class ApiError(Exception):
    """A 4xx answer with a code for programs and a message for people (never echoing a secret)."""

    def __init__(self, code: str, message: Message, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def error_body(code: str, message: Message) -> dict[str, dict[str, str]]:
    """``message`` may be an engine sentence (diagnostics.core.text): shown in the active language."""
    return {"error": {"code": code, "message": str(message)}}
