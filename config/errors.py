"""The one error shape every JSON endpoint answers with: {"error": {"code", "message"}}."""

from __future__ import annotations


class ApiError(Exception):
    """A 4xx answer with a code for programs and a message for people (never echoing a secret)."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}
