"""Alipay certificate SNs (first version: being written)."""

from __future__ import annotations

from typing import Any

from diagnostics.core.findings import ParseError
from diagnostics.core.text import _


def examine_certificates(
    certificates: str, root_certificates: str = "", *, private_key: str = ""
) -> Any:
    raise ParseError("not_ready", _("这个工具还在建设中。"))
