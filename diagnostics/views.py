from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from diagnostics.forms import V2SignForm
from diagnostics.params import pairs_to_lines
from diagnostics.wechat_v2 import sign
from diagnostics.wechat_v2_fields import (
    DEMO_3_2_KEY,
    DEMO_3_2_PARAMS,
    DEMO_3_2_PRINTED_SIGN,
    PRESETS,
    Preset,
)
from diagnostics.wechat_v2_report import KEY_MASK, build_report

V2_TEMPLATE = "diagnostics/v2.html"


def _preset(slug: str) -> Preset:
    try:
        return PRESETS[slug]
    except KeyError:
        raise Http404("no such preset") from None


def _page(preset: Preset, form: V2SignForm, **extra: Any) -> dict[str, Any]:
    return {"preset": preset, "presets": PRESETS.values(), "form": form, **extra}


@require_GET
@never_cache
def v2_workbench(request: HttpRequest, preset: str = "free") -> HttpResponse:
    current = _preset(preset)
    initial = {"raw": current.sample} if request.GET.get("sample") and current.sample else {}
    return render(request, V2_TEMPLATE, _page(current, V2SignForm(initial=initial)))


@require_GET
@never_cache
def v2_demo(request: HttpRequest) -> HttpResponse:
    """002 §3.2's worked example, computed: its printed sign does not reproduce, ours does."""
    raw = pairs_to_lines(DEMO_3_2_PARAMS) + f"\nkey={DEMO_3_2_KEY}"
    form = V2SignForm(data={"raw": raw})
    form.is_valid()
    report = build_report(form.parsed, "", PRESETS["free"])
    demo = {
        "printed_sign": DEMO_3_2_PRINTED_SIGN,
        "real_sign": sign(DEMO_3_2_PARAMS, DEMO_3_2_KEY).sign,
    }
    return render(request, V2_TEMPLATE, _page(PRESETS["free"], form, report=report, demo=demo))


@require_POST
@never_cache
@vary_on_headers("HX-Request")
def v2_sign(request: HttpRequest, preset: str) -> HttpResponse:
    current = _preset(preset)
    form = V2SignForm(data=request.POST)
    template = V2_TEMPLATE + "#result" if request.htmx else V2_TEMPLATE
    if not form.is_valid():
        errors = [
            (form.fields[name].label if name in form.fields else "", messages)
            for name, messages in form.errors.items()
        ]
        return render(request, template, _page(current, _shown(form), errors=errors), status=400)
    data = form.cleaned_data
    report = build_report(
        form.parsed,
        data["key"],
        current,
        chosen_sign_type=data["sign_type"] or None,
        expected_sign=data["expected_sign"],
        entry_point=data["entry_point"],
        their_string=data["their_string"],
    )
    return render(request, template, _page(current, _shown(form), report=report))


def _shown(form: V2SignForm) -> V2SignForm:
    """The form as it is shown again: unbound, without the key, nor a key line in the params."""
    initial = {name: form.data.get(name, "") for name in form.fields if name != "key"}
    initial["raw"] = "\n".join(
        line for line in initial["raw"].splitlines() if not line.strip().startswith("key=")
    )
    # A pasted stringSignTemp ends with a key: only its string1 part is shown again.
    initial["their_string"] = (
        initial["their_string"].rpartition("&key=")[0] or initial["their_string"]
    )
    key = form.data.get("key", "").strip()
    if len(key) >= 8:  # the key typed elsewhere (string1KEY) is not echoed either
        initial = {name: value.replace(key, KEY_MASK) for name, value in initial.items()}
    return V2SignForm(initial=initial)
