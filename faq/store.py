"""The knowledge base in the database: loading the data files, and the engine compiled from it.

``sync_from_files()`` is idempotent: running it twice changes nothing the second time; it never
deletes an entry and never overwrites a field a staff member edited (see ``faq.models``).
``current_engine()`` compiles the rule engine once and rebuilds it when an entry changes, so a
staff edit is seen on the next query without a restart, in every worker process.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max

from faq.engine import Diagnosis, RuleEngine
from faq.knowledge import DATA_DIR, FaqEntry, Link, data_files, load_all, load_document
from faq.models import SOURCE_FIELDS, Entry, UnmatchedQuery
from faq.normalize import scrub_secrets


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept_edits: dict[str, list[str]] = field(default_factory=dict)
    retired: list[str] = field(default_factory=list)
    per_document: dict[str, int] = field(default_factory=dict)


def source_values(entry: FaqEntry) -> dict[str, object]:
    """The model field values a data-file entry stands for (tuples become JSON lists)."""
    values = {name: getattr(entry, name) for name in SOURCE_FIELDS}
    return {
        name: [asdict(item) if isinstance(item, Link) else item for item in value]
        if isinstance(value, tuple)
        else value
        for name, value in values.items()
    }


@transaction.atomic
def sync_from_files(data_dir: Path = DATA_DIR) -> SyncReport:
    report = SyncReport()
    entries = load_all(data_dir)
    existing = {row.slug: row for row in Entry.objects.select_for_update()}
    for position, entry in enumerate(entries):
        report.per_document[entry.document] = report.per_document.get(entry.document, 0) + 1
        values = {**source_values(entry), "position": position, "in_source": True}
        row = existing.get(entry.slug)
        if row is None:
            Entry.objects.create(slug=entry.slug, **values)
            report.created.append(entry.slug)
            continue
        protected = set(row.edited_fields)
        changed = [
            name
            for name, value in values.items()
            if name not in protected and getattr(row, name) != value
        ]
        for name in changed:
            setattr(row, name, values[name])
        if protected:
            report.kept_edits[row.slug] = sorted(protected)
        if changed:
            row.save()
            report.updated.append(row.slug)
        else:
            report.unchanged += 1
    in_files = {entry.slug for entry in entries}
    for slug, row in existing.items():
        if slug not in in_files and row.in_source:
            row.in_source = False
            row.save(update_fields=["in_source", "updated_at"])
            report.retired.append(slug)
    return report


_engine_lock = threading.Lock()
_engine_cache: tuple[tuple[object, ...], RuleEngine] | None = None
_checked_at = 0.0


def current_engine() -> RuleEngine:
    """The engine for the entries as they are now, rebuilt when an entry changes.

    Whether one changed is one cheap query, asked at most every FAQ_ENGINE_CHECK_SECONDS (2 s by
    default) per process: a staff edit is seen within that time, in every worker, no restart.
    """
    global _engine_cache, _checked_at
    now = time.monotonic()
    cached = _engine_cache
    if cached is not None and now - _checked_at < settings.FAQ_ENGINE_CHECK_SECONDS:
        return cached[1]
    stamp = Entry.objects.aggregate(count=Count("id"), last=Max("updated_at"))
    version = (stamp["count"], stamp["last"])
    _checked_at = now
    if cached is not None and cached[0] == version:
        return cached[1]
    with _engine_lock:
        if _engine_cache is None or _engine_cache[0] != version:
            # Staff drafts are not served until published (faq/admin.py).
            published = Entry.objects.published()
            engine = RuleEngine(row.as_faq_entry() for row in published)
            _engine_cache = (version, engine)
        return _engine_cache[1]


def record_unmatched(diagnosis: Diagnosis, platform: str = "", scenario: str = "") -> None:
    """Count a query no entry answers, with anything secret-looking scrubbed first."""
    # NUL cannot be stored by PostgreSQL, and is no part of an error message anyway.
    text = scrub_secrets(diagnosis.normalized).replace("\x00", "")[:2000].strip()
    if not text:
        return
    digest = hashlib.sha256(f"{platform}|{scenario}|{text}".encode()).hexdigest()
    updated = UnmatchedQuery.objects.filter(text_hash=digest).update(count=F("count") + 1)
    if not updated:
        UnmatchedQuery.objects.get_or_create(
            text_hash=digest, defaults={"text": text, "platform": platform, "scenario": scenario}
        )


@lru_cache(maxsize=1)
def document_titles(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """Seed file name -> the title its data file gives it, for headings."""
    titles = {}
    for path in data_files(data_dir):
        meta = load_document(path)[0]
        titles[meta["document"]] = meta["title"]
    return titles
