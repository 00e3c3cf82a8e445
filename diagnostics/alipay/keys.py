"""Alipay key formats and pair checks (first version: being written)."""

from __future__ import annotations

from typing import Any

from diagnostics.core.findings import ParseError
from diagnostics.core.text import _


def examine_keys(
    *,
    private_key: str = "",
    public_key: str = "",
    certificate: str = "",
    alipay_public_key: str = "",
) -> Any:
    raise ParseError("not_ready", _("这个工具还在建设中。"))
