"""The request-body linter's shared pieces: what a lint API is, what a run returns, and the one
entry point that checks the input before a platform's own rules run.

A platform's ``lint`` module defines its ``LINT_APIS`` (each with ``kind`` = the platform's name)
and a ``lint_request(lint_api, params, body)``; the skin's registry (diagnostics.platforms) unites
them. Length limits count characters, as the documents' ``String(n)`` / ``string(n)`` do: neither
002 nor 004 says that a field is measured in UTF-8 bytes, so no field is.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import SplitResult

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.params import split_url
from diagnostics.core.text import Message, _, joined


@dataclass(frozen=True)
class LintApi:
    slug: str
    title: str  # a label: forms.py marks it with gettext_noop, templates translate it
    source: str
    kind: str  # the platform whose lint_request checks it, e.g. "wechat_v2"
    notes: tuple[Message, ...] = ()  # what the document says that no linter can check


@dataclass(frozen=True)
class LintResult:
    api: LintApi
    format: str
    findings: tuple[Finding, ...]
    fields_checked: int

    @property
    def codes(self) -> list[str]:
        return [finding.code for finding in self.findings]


LintRequest = Callable[[LintApi, Mapping[str, object] | None, str | None], LintResult]


def lint(
    apis: Mapping[str, LintApi],
    runners: Mapping[str, LintRequest],
    api: str,
    *,
    params: Mapping[str, object] | None = None,
    body: str | None = None,
) -> LintResult:
    """Lint one request for ``api`` (a key of ``apis``), given as ``params`` or a pasted ``body``,
    with the ``lint_request`` of the platform named by its ``kind`` (a key of ``runners``).

    ``params`` wins when both are given. Raises :class:`ParseError` for an unknown api, for no
    input, and for a body that cannot be read at all.
    """
    lint_api = apis.get(api)
    if lint_api is None:
        raise ParseError(
            "unknown_api",
            _(
                "不认识的接口 {api}；可选：{choices}。",
                api=repr(api[:40]),
                choices=joined(_("、"), apis),
            ),
        )
    if not params:
        params = None  # an empty form counts as not given; the body is read instead
        if body is None or not body.strip():
            raise ParseError("no_input", _("没有要检查的内容：请粘贴请求报文，或给出参数。"))
    return runners[lint_api.kind](lint_api, params, body)


# --- shared helpers ------------------------------------------------------------------------------


def did_you_mean(name: str, known: Mapping[str, object] | set[str] | frozenset[str]) -> Message:
    close = difflib.get_close_matches(name.lower(), list(known), n=1, cutoff=0.75)
    return _("（是不是 {name}？）", name=close[0]) if close else ""


def parse_time(value: str, pattern: str) -> datetime | None:
    try:
        return datetime.strptime(value, pattern)
    except ValueError:
        return None


def url_parts(value: str) -> SplitResult | None:
    """A URL's parts, or None when it has whitespace or does not parse."""
    if value != value.strip() or re.search(r"\s", value):
        return None
    try:
        return split_url(value)
    except ParseError:
        return None


def is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
