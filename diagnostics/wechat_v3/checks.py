"""Recognising WeChat Pay's own answers pasted where a request was expected (an error body with
``code``/``message``, or a notification with ``resource``)."""

from __future__ import annotations

from diagnostics.core.findings import ParseError
from diagnostics.core.params import load_json


def recognise_reply(body: str) -> dict[str, str] | None:
    """WeChat Pay's own answer pasted where the merchant's request body was expected: an error
    answer (``code`` and ``message``) or a notification (``resource``).

    >>> recognise_reply('{"code":"SIGN_ERROR","message":"签名错误"}')
    {'kind': 'error', 'code': 'SIGN_ERROR', 'message': '签名错误'}
    >>> recognise_reply('{"appid":"wx1","mchid":"1"}') is None
    True
    """
    text = body.strip()
    if not text.startswith("{") or len(text) > 64 * 1024:
        return None
    try:
        document = load_json(text)
    except ParseError:
        return None
    if not isinstance(document, dict):
        return None
    if isinstance(document.get("resource"), dict) and (
        "event_type" in document or "resource_type" in document
    ):
        return {"kind": "notification", "code": str(document.get("event_type", "")), "message": ""}
    code, message = document.get("code"), document.get("message")
    if (
        isinstance(code, str)
        and isinstance(message, str)
        and not {"appid", "mchid"} & set(document)
    ):
        return {"kind": "error", "code": code, "message": message}
    return None
