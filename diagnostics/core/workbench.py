"""A workbench as plain data: what it is called, which document it follows, and the function its
form's cleaned values run through. Each platform's ``workbenches`` module lists its own; the skin's
registry (diagnostics.platforms) gives each a form, a page and a result template.

Each ``run`` takes the cleaned form values and returns what the result template shows; engine
errors (a damaged key, a ciphertext that will not open) raise ``ParseError`` and become a 400 with
the engine's message. Secrets are read there and never put into the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def gettext_noop(text: str) -> str:
    """Marks a label for translation (makemessages extracts gettext_noop); templates translate it."""
    return text


Values = dict[str, Any]


@dataclass(frozen=True)
class Task:
    """One workbench. title and intro are lazy translations (Chinese msgids, English in locale/)."""

    workbench: str  # the name the knowledge base links with, e.g. "wechat_v3:sign"
    title: str
    title_en: str
    source: str
    intro: str
    run: Callable[[Values], Values]
