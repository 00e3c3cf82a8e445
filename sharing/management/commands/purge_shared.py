from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sharing.models import SharedResult


class Command(BaseCommand):
    help = "Delete shared links (/d/<token>) past their expiry date."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted, _ = SharedResult.objects.expired().delete()
        self.stdout.write(f"deleted {deleted} expired shared links")
