from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from diagnostics.wechat_v2_fields import PRESETS


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"presets": PRESETS.values()})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
