from __future__ import annotations

from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "diagnostics"
    verbose_name = "签名工作台 Signature workbenches"

    def ready(self) -> None:
        from config import redaction

        redaction.install()
