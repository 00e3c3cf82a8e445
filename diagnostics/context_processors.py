"""What every page's navigation needs from the registry: one link per platform."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from diagnostics.platforms import PLATFORMS


def platform_nav(request: HttpRequest) -> dict[str, Any]:
    return {
        "platform_nav": [(platform.label, platform.home_url()) for platform in PLATFORMS.values()]
    }
