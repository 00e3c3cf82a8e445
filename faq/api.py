"""JSON endpoints of the knowledge base: diagnose a pasted error, read one entry."""

from __future__ import annotations

import re
from dataclasses import asdict
from functools import lru_cache
from typing import Any, Literal

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext
from ninja import Router, Schema

from config.errors import ApiError
from diagnostics.core.redaction import redact_text
from faq.engine import Match
from faq.forms import known_scenarios
from faq.knowledge import PLATFORMS, SCENARIOS, FaqEntry
from faq.models import SCENARIO_MAX_LENGTH, Entry
from faq.store import current_engine, document_titles, record_unmatched

router = Router(tags=["diagnosis"])

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

MAX_QUERY_BYTES = 16 * 1024


class LinkOut(Schema):
    title: str
    url: str


class SourceOut(Schema):
    document: str
    section: str
    tier: str
    title: str
    links: list[LinkOut]


class EntryOut(Schema):
    slug: str
    title: str
    platform: str
    scenarios: list[str]
    symptoms: list[str]
    codes: list[str]
    http_status: int | None
    source: SourceOut
    remedy: list[str]
    summary_en: str
    note: str
    related: list[str]
    workbench: str
    links: list[LinkOut]
    url: str


class MatchOut(Schema):
    slug: str
    title: str
    platform: str
    scenarios: list[str]
    source: SourceOut
    remedy: list[str]
    url: str
    score: float
    why: list[str]
    # certain (确定): the documents answer it; likely (可能); related (仅相关): shares words only.
    # `matched` is true when the first match is certain or likely.
    confidence: Literal["certain", "likely", "related"]


class RefineOut(Schema):
    key: str
    label: str
    options: list[dict[str, str]]


class DiagnoseOut(Schema):
    query: str
    normalized: str
    codes: list[str]
    matched: bool
    matches: list[MatchOut]
    refine: list[RefineOut]


@lru_cache(maxsize=4096)
def _entry_path(slug: str) -> str:
    return reverse("faq:entry", args=[slug])


def _entry_url(request: HttpRequest, entry: FaqEntry) -> str:
    return request.build_absolute_uri(_entry_path(entry.slug))


def _source(entry: FaqEntry) -> dict[str, Any]:
    """Where an entry comes from: the document id and title (tier ``documents``), or the public
    pages it was written from (tier ``public``)."""
    return {
        "document": entry.document,
        "section": entry.section,
        "tier": entry.tier,
        "title": document_titles().get(entry.document, ""),
        "links": [asdict(link) for link in entry.sources],
    }


def _match(request: HttpRequest, match: Match) -> dict[str, Any]:
    entry = match.entry
    return {
        "slug": entry.slug,
        "title": entry.title,
        "platform": entry.platform,
        "scenarios": list(entry.scenarios),
        "source": _source(entry),
        "remedy": list(entry.remedy),
        "url": _entry_url(request, entry),
        "score": match.score,
        "why": [str(why) for why in match.why],
        "confidence": match.confidence,
    }


@router.get("/diagnose", response=DiagnoseOut, summary="Diagnose what the merchant saw")
def diagnose(
    request: HttpRequest, q: str = "", platform: str = "", scenario: str = ""
) -> JsonResponse:
    if not q.strip():
        raise ApiError("empty_query", "q 不能为空：请提供你看到的报错文字 (q is required).")
    if len(q.encode()) > MAX_QUERY_BYTES:
        raise ApiError("query_too_long", "q 超过 16 KiB (q over 16 KiB).", status=413)
    if platform and platform not in PLATFORMS:
        raise ApiError(
            "unknown_platform",
            gettext("未知平台；可选 %(choices)s。") % {"choices": ", ".join(PLATFORMS)},
        )
    # The form's limits: as many characters as UnmatchedQuery.scenario holds, each scenario once.
    if len(scenario) > SCENARIO_MAX_LENGTH:
        raise ApiError(
            "scenario_too_long",
            f"scenario 超过 {SCENARIO_MAX_LENGTH} 个字符 (scenario over {SCENARIO_MAX_LENGTH} characters).",
        )
    scenario, unknown = known_scenarios(scenario)
    if unknown:
        raise ApiError(
            "unknown_scenario",
            gettext("未知场景；可选 %(choices)s。") % {"choices": ", ".join(SCENARIOS)},
        )
    # Secrets pasted with the error never reach the engine, the answer or the unmatched log.
    diagnosis = current_engine().diagnose(redact_text(q), platform or None, scenario or None)
    if not diagnosis.matched:
        record_unmatched(diagnosis, platform, scenario)
    # Built here to the DiagnoseOut shape; answered as is (no second validation on the hot path).
    return JsonResponse(
        {
            "query": diagnosis.query,
            "normalized": diagnosis.normalized,
            "codes": list(diagnosis.codes),
            "matched": diagnosis.matched,
            "matches": [_match(request, match) for match in diagnosis.matches],
            "refine": [
                {
                    "key": question.key,
                    "label": gettext(question.label),
                    "options": [
                        {"value": value, "label": gettext(label)}
                        for value, label in question.options
                    ],
                }
                for question in diagnosis.refine
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@router.get("/faq/{slug}", response=EntryOut, summary="One knowledge-base entry")
def faq_entry(request: HttpRequest, slug: str) -> dict[str, Any]:
    row = Entry.objects.published().filter(slug=slug).first() if SLUG.fullmatch(slug) else None
    if row is None:
        raise ApiError("not_found", "没有这个条目 (no such entry).", status=404)
    entry = row.as_faq_entry()
    return {
        "slug": entry.slug,
        "title": entry.title,
        "platform": entry.platform,
        "scenarios": list(entry.scenarios),
        "symptoms": list(entry.symptoms),
        "codes": list(entry.codes),
        "http_status": entry.http_status,
        "source": _source(entry),
        "remedy": list(entry.remedy),
        "summary_en": entry.summary_en,
        "note": entry.note,
        "related": list(entry.related),
        "workbench": entry.workbench,
        "links": [asdict(link) for link in entry.links],
        "url": _entry_url(request, entry),
    }
