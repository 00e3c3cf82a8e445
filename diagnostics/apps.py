from __future__ import annotations

from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "diagnostics"
    verbose_name = "签名工作台 Signature workbenches"

    def ready(self) -> None:
        from django.utils.translation import gettext

        from config import redaction
        from diagnostics.core import text

        redaction.install()
        text.use_translation(gettext)  # the engines' sentences follow the request's language
