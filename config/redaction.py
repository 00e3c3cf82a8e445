"""What is secret, defined once, and how it is kept out of everything that outlives a request.

Secret (used for one request, never stored, logged, put in a URL or shown again):
    key, api_key, apikey, apiv3_key, api_v3_key, v3_key, private_key, privatekey, secret,
    app_secret, appsecret, client_secret, mch_key, merchant_key, partner_key, password, passwd,
    access_token — in any case and with any of "_", "-", " " between the words.
Not secret (safe to store and show): a signature — sign, paySign, rsaSign, signature,
    Wechatpay-Signature — and sign_type, serial numbers, nonces, timestamps, mchid, appid, openid,
    certificates and public keys.

>>> is_secret_name("apiV3-Key"), is_secret_name("paySign")
(True, False)
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.views.debug import SafeExceptionReporterFilter

REMOVED = "[已移除]"

SECRET_NAMES = frozenset(
    {
        "key",
        "apikey",
        "apiv3key",
        "v3key",
        "privatekey",
        "secret",
        "appsecret",
        "clientsecret",
        "mchkey",
        "merchantkey",
        "partnerkey",
        "password",
        "passwd",
        "accesstoken",
    }
)

_PEM_PRIVATE = re.compile(
    r"-----BEGIN (?:[A-Z ]+ )?PRIVATE KEY-----.*?(?:-----END (?:[A-Z ]+ )?PRIVATE KEY-----|\Z)",
    re.S,
)
# name=value, name: value, "name": "value" for every secret spelling (query strings, lines, JSON).
_WORDS = (
    "api v3 key", "v3 key", "api key", "private key", "app secret", "client secret", "mch key",
    "merchant key", "partner key", "access token", "secret", "password", "passwd", "key",
)  # fmt: skip
_NAME = "(?:" + "|".join(word.replace(" ", r"[_\- ]?") for word in _WORDS) + ")"
_XML_ELEMENT = re.compile(
    rf"(<(?P<tag>{_NAME})>)(?:<!\[CDATA\[.*?\]\]>|[^<]*)(</(?P=tag)>)", re.IGNORECASE | re.S
)
_ASSIGNMENT = re.compile(
    rf"""(?P<head>(?<![A-Za-z0-9_])["']?{_NAME}["']?\s*(?:=|:)\s*["']?)(?P<value>[^"'&\s,}}<]+)""",
    re.IGNORECASE,
)


def normalise_name(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def is_secret_name(name: str) -> bool:
    return normalise_name(name) in SECRET_NAMES


def redact_mapping(data: Mapping[str, Any], known: Iterable[str] = ()) -> dict[str, Any]:
    """A copy with every secret-named field emptied and every text passed through redact_text
    (with the ``known`` values), nested mappings and lists included."""
    known = list(known)
    return {
        name: REMOVED if is_secret_name(str(name)) else _redact_value(value, known)
        for name, value in data.items()
    }


def _redact_value(value: Any, known: list[str]) -> Any:
    if isinstance(value, Mapping):
        return redact_mapping(value, known)
    if isinstance(value, list | tuple):
        return [_redact_value(item, known) for item in value]
    if isinstance(value, str):
        return redact_text(value, known)
    return value


def redact_text(text: str, known: Iterable[str] = ()) -> str:
    """``text`` with private-key blocks, ``key=…`` style assignments and the ``known`` values removed."""
    text = _PEM_PRIVATE.sub(REMOVED, text)
    text = _XML_ELEMENT.sub(lambda match: match.group(1) + REMOVED + match.group(3), text)
    text = _ASSIGNMENT.sub(lambda match: match.group("head") + REMOVED, text)
    for value in sorted({value.strip() for value in known}, key=len, reverse=True):
        if len(value) >= 4:  # shorter is no key (forms refuse keys under 8 characters)
            text = text.replace(value, REMOVED)
    return text


class RedactingLogRecord(logging.LogRecord):
    """A log record whose message never carries a secret, whoever formats it."""

    def getMessage(self) -> str:  # noqa: N802 (the logging module's name)
        return redact_text(super().getMessage())


class RedactingFormatter(logging.Formatter):
    """Redacts the whole formatted line, exception text and stack included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_text(super().format(record))


def _cleanse(value: Any) -> Any:
    """A frame variable as an error report may show it: secret-named entries and PEM keys removed."""
    if isinstance(value, Mapping):
        return redact_mapping(value)
    if isinstance(value, str):
        return redact_text(value)
    return value


def install() -> None:
    """Make every log record a redacting one (called once at start-up)."""
    if logging.getLogRecordFactory() is not RedactingLogRecord:
        logging.setLogRecordFactory(RedactingLogRecord)


class ReporterFilter(SafeExceptionReporterFilter):
    """Error reports (debug page, admin e-mails) never show a secret: not in POST, not in a frame."""

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        return [
            (name, self.cleansed_substitute if is_secret_name(name) else _cleanse(value))
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]

    def get_post_parameters(self, request: Any) -> Any:
        parameters = super().get_post_parameters(request)
        if request is None:
            return parameters
        cleansed = parameters.copy()
        for name in cleansed:
            if is_secret_name(name):
                cleansed[name] = self.cleansed_substitute
        return cleansed
