"""Write what staff added in the admin back to data files, for review in a pull request.

``python manage.py export_faq [--out DIR] [--include-drafts]`` writes, under DIR (``faq-export``):

- ``public/staff.yaml``: every published entry staff wrote (document ``public-staff``), in the
  data-file format of the public tier; it goes to ``faq/data/public/staff.yaml`` as it is, replacing
  the file there (entries already merged are written again, with any later edit);
- ``symptoms_added.yaml``: ``{slug: [symptom, …]}``, the symptoms staff added to the other entries and
  that their files do not hold yet; the reviewer adds them to the entry in its document's file.

An entry without a source or without remedy steps is refused, by name, and nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser

from faq.models import STAFF_DOCUMENT, Entry, missing_for_publishing

STAFF_FILE = Path("public") / "staff.yaml"
SYMPTOMS_FILE = Path("symptoms_added.yaml")

HEADER = """\
# Pay Doctor knowledge base — public-source tier: entries written by staff in the admin.
# Exported by `python manage.py export_faq`; review each entry against its sources before merging.
"""


def entry_mapping(row: Entry) -> dict[str, Any]:
    """One entry as the data files write it: optional fields only when they hold something."""
    symptoms = list(dict.fromkeys([*row.symptoms, *row.extra_symptoms]))
    item: dict[str, Any] = {
        "slug": row.slug,
        "section": row.section,
        "platform": row.platform,
        "scenarios": list(row.scenarios),
        "title": row.title,
        "summary_en": row.summary_en,
        "symptoms": symptoms,
        "codes": [str(code) for code in row.codes],
        "http_status": row.http_status,
        "remedy": list(row.remedy),
        "workbench": row.workbench,
        "related": list(row.related),
        "note": row.note,
        "links": list(row.links),
        "sources": list(row.sources),
    }
    required = ("slug", "platform", "title", "symptoms", "remedy", "sources")
    return {k: v for k, v in item.items() if k in required or v not in (None, "", [])}


class Command(BaseCommand):
    help = (
        "Write staff-made entries and staff-added symptoms to YAML, for review in a pull request."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, default=Path("faq-export"), help="directory")
        parser.add_argument(
            "--include-drafts", action="store_true", help="also write entries not yet published"
        )

    def handle(self, *args: Any, out: Path, include_drafts: bool, **options: Any) -> None:
        staff = Entry.objects.filter(document=STAFF_DOCUMENT).order_by("slug")
        if not include_drafts:
            staff = staff.filter(status="published")
        refused = [
            f"{row.slug}（缺少{'、'.join(missing)}）"
            for row in staff
            if (missing := missing_for_publishing(row))
        ]
        if refused:
            raise CommandError(
                "these entries cannot be exported until they are completed in the admin: "
                + ", ".join(refused)
            )
        symptoms = {
            row.slug: added
            for row in Entry.objects.exclude(document=STAFF_DOCUMENT).order_by("slug")
            if (added := [s for s in row.extra_symptoms if s not in row.symptoms])
        }
        document = {
            "document": STAFF_DOCUMENT,
            "tier": "public",
            "title": "公开资料 · 客服补充",
            "entries": [entry_mapping(row) for row in staff],
        }
        (out / STAFF_FILE).parent.mkdir(parents=True, exist_ok=True)
        (out / STAFF_FILE).write_text(HEADER + dump(document), encoding="utf-8")
        (out / SYMPTOMS_FILE).write_text(dump(symptoms), encoding="utf-8")
        drafts = sum(row.status == "draft" for row in staff)
        self.stdout.write(
            f"{out / STAFF_FILE}: {len(document['entries'])} entries ({drafts} drafts)\n"
            f"{out / SYMPTOMS_FILE}: symptoms for {len(symptoms)} entries"
        )


def dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
