"""Sources read as documents (diagnostics.core.sources): ``{{ finding.source|cited }}``,
``{{ entry.document|document_title }}``."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from diagnostics.core.sources import cited_sources, document_title

register = template.Library()


@register.filter
def cited(source: str | None) -> str:
    separator = "; " if (get_language() or "").startswith("en") else "；"
    return separator.join(str(part) for part in cited_sources(str(source or "")))


@register.filter(name="document_title")
def document_title_filter(document: str | None) -> str:
    return str(document_title(str(document or "")))
