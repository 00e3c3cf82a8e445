from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from faq.store import sync_from_files


class Command(BaseCommand):
    help = (
        "Load faq/data/*.yaml into the database. Idempotent; keeps staff edits and added symptoms."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = sync_from_files()
        for document, count in sorted(report.per_document.items()):
            self.stdout.write(f"{document}: {count} entries")
        self.stdout.write(
            f"created {len(report.created)}, updated {len(report.updated)}, "
            f"unchanged {report.unchanged}, no longer in the files {len(report.retired)}"
        )
        for slug, fields in sorted(report.kept_edits.items()):
            self.stdout.write(f"kept staff edits of {slug}: {', '.join(fields)}")
