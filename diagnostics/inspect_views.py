"""/inspect: paste anything, and one post takes the merchant to the answer.

The post recognises the paste (diagnostics.core.inspect) and, for a lone part that is not unsure or the part
chosen with a button, runs that part's workbench in this same request — the workbench's own view,
given the values from the paste as its form post, secrets included — so the page that answers is
the workbench's page with its result. Secrets are used by that request only: they never go in a
link or a hidden field, and the pasted text is shown again only through the request's Redactor.
As the box is filled, htmx asks the same URL what it holds: the answer is the list of parts and
their buttons (nothing runs), and the buttons submit the box itself.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from config.redaction import request_redactor
from diagnostics import views
from diagnostics.core.findings import ParseError
from diagnostics.core.inspect import MIN_CHARS, Part, inspect, straight
from diagnostics.platforms import TASKS
from diagnostics.wechat_v2.fields import PRESETS
from faq import views as faq_views

TEMPLATE = "diagnostics/inspect.html"
BOX_TEMPLATE = "diagnostics/_inspect_box.html"


@require_http_methods(["GET", "POST"])
@never_cache
@vary_on_headers("HX-Request")
def inspect_page(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, TEMPLATE, {"text": ""})
    text = request.POST.get("text", "")
    if request.htmx:
        return _answer(request, text)
    shown = request_redactor(request).text(text)
    try:
        result = inspect(text)
    except ParseError as error:
        context = {"text": shown, "error": str(error.message)}
        return render(request, TEMPLATE, context, status=_status(error))
    chosen = _chosen(request, result.parts)
    if chosen is None and (only := straight(result.parts)) is not None:
        chosen = (only, None)
    if chosen is not None:
        return run_route(request, *chosen)
    context: dict[str, Any] = {
        "text": shown,
        "parts": _listed(result.parts),
        "findings": [str(finding.message) for finding in result.findings],
        "redacted": shown != text,  # the buttons post the text above, without its secrets
    }
    return render(request, TEMPLATE, context)


def _answer(request: HttpRequest, text: str) -> HttpResponse:
    """The answer as the box is filled (htmx): the parts and their buttons, run nothing. The
    buttons submit the box itself, so the paste's secrets go by that post and nowhere else; the
    paste is not shown back."""
    context: dict[str, Any] = {}
    status = 200
    if len(text.strip()) >= MIN_CHARS:  # an emptied box is no error, just no answer yet
        try:
            result = inspect(text)
        except ParseError as error:
            context["error"] = str(error.message)
            status = _status(error)
        else:
            context["parts"] = _listed(result.parts)
            context["findings"] = [str(finding.message) for finding in result.findings]
            context["straight"] = straight(result.parts) is not None
    return render(request, BOX_TEMPLATE + "#answer", context, status=status)


def _status(error: ParseError) -> int:
    return 413 if error.code == "too_large" else 400


def _listed(parts: list[Part]) -> list[dict[str, Any]]:
    listed = []
    for index, part in enumerate(parts):
        item = {**part.to_dict(), "index": index, "target": page_title(part.page)}
        for alternative in item["alternatives"]:
            alternative["target"] = page_title(alternative["route"]["page"])
        listed.append(item)
    return listed


def page_title(page: str) -> str:
    """The target page's title as the navigation names it (a lazy translation, or a string)."""
    if page == "diagnose":
        return gettext("错误诊断")
    if page in TASKS:
        return str(TASKS[page].title)
    preset = PRESETS.get(page.partition(":")[2])
    return str(preset.title) if preset else page


def _chosen(request: HttpRequest, parts: list[Part]) -> tuple[Part, int | None] | None:
    """The part (and alternative reading) a button chose: ``part=2`` or ``part=2.1``."""
    index, _dot, alternative = request.POST.get("part", "").partition(".")
    if not index.isdigit() or int(index) >= len(parts):
        return None
    part = parts[int(index)]
    if alternative.isdigit() and int(alternative) < len(part.alternatives):
        return part, int(alternative)
    return part, None


def run_route(request: HttpRequest, part: Part, alternative: int | None) -> HttpResponse:
    """The target workbench's own view, posted the part's values (and the paste's secrets for
    its secret fields): its page, with the result computed."""
    if alternative is None:
        page, fields = part.page, dict(part.fields)
    else:
        reading = part.alternatives[alternative]
        page, fields = reading["page"], dict(reading["fields"])
    data = QueryDict(mutable=True)
    for name, value in {**fields, **part.secrets_for(alternative)}.items():
        data[name] = value
    request.POST = data  # the target view reads this post, and its Redactor learns the secrets
    if page == "diagnose":
        return faq_views.diagnose(request)
    group, _colon, name = page.partition(":")
    if page in TASKS:
        return views.task_run(request, group, name)
    return views.v2_sign(request, name)
