from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from diagnostics import forms as diagnostics_forms
from diagnostics.forms import V2SignForm
from diagnostics.params import ParseError, pairs_to_lines
from diagnostics.tasks import TASKS, Task
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


# --- RSA / AES workbenches and the linter: one page and one action, driven by diagnostics.tasks.

TASK_TEMPLATE = "diagnostics/task.html"


def _task(group: str, task: str) -> Task:
    try:
        return TASKS[f"{group}:{task}" if task else group]
    except KeyError:
        raise Http404("no such workbench") from None


def _task_page(task: Task, form: forms.Form, **extra: Any) -> dict[str, Any]:
    return {
        "task": task,
        "form": form,
        "result_template": "diagnostics/results/" + task.workbench.replace(":", "_") + ".html",
        "run_url": task_url(task, "_run"),
        "workbenches": [
            {"workbench": other.workbench, "title": other.title, "url": task_url(other)}
            for other in TASKS.values()
        ],
        **extra,
    }


def task_url(task: Task, suffix: str = "") -> str:
    """The page (or, with suffix "_run", the action) of a workbench named "group:task"."""
    group, _, name = task.workbench.partition(":")
    return reverse(f"diagnostics:{group}{suffix}", args=[name] if name else [])


def shown_form(form: forms.Form, secret_fields: tuple[str, ...]) -> forms.Form:
    """The form as shown again after a post: unbound, every secret field left empty."""
    initial = {name: form.data.get(name, "") for name in form.fields if name not in secret_fields}
    return type(form)(initial=initial)


@require_GET
@never_cache
def task_page(request: HttpRequest, group: str, task: str = "") -> HttpResponse:
    current = _task(group, task)
    form_class = getattr(diagnostics_forms, current.form)
    return render(request, TASK_TEMPLATE, _task_page(current, form_class()))


@require_POST
@never_cache
@vary_on_headers("HX-Request")
def task_run(request: HttpRequest, group: str, task: str = "") -> HttpResponse:
    current = _task(group, task)
    form = getattr(diagnostics_forms, current.form)(data=request.POST)
    template = TASK_TEMPLATE + "#result" if request.htmx else TASK_TEMPLATE
    shown = shown_form(form, current.secret_fields)
    if not form.is_valid():
        errors = [
            (form.fields[name].label if name in form.fields else "", messages)
            for name, messages in form.errors.items()
        ]
        return render(request, template, _task_page(current, shown, errors=errors), status=400)
    try:
        result = current.run(form.cleaned_data)
    except ParseError as error:
        return render(
            request,
            template,
            _task_page(current, shown, errors=[("", [error.message])]),
            status=400,
        )
    return render(request, template, _task_page(current, shown, result=result))
