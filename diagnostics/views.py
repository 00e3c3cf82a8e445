from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from config.context_processors import fitting_next
from config.ratelimits import check as check_rate
from config.redaction import is_secret_name, request_redactor
from diagnostics.alipay import workbenches as alipay_workbenches
from diagnostics.alipay.key_workbenches import KEY_LOCAL_RUNS
from diagnostics.baidu import workbenches as baidu_workbenches
from diagnostics.core.findings import ParseError
from diagnostics.core.params import MAX_INPUT_CHARS, pairs_to_lines, parse_params
from diagnostics.core.redaction import Redactor
from diagnostics.core.snapshot import freeze, thaw
from diagnostics.core.text import Joined, Text
from diagnostics.core.workbench import Task
from diagnostics.forms import V2SignForm
from diagnostics.forms.local_mode import asks_local, local_key_messages
from diagnostics.forms.wechat_v2 import V2LocalForm
from diagnostics.platforms import TASK_FORMS, TASKS, task_url
from diagnostics.wechat_v2 import sign
from diagnostics.wechat_v2.checks import recognise_reply
from diagnostics.wechat_v2.fields import (
    DEMO_3_2_KEY,
    DEMO_3_2_PARAMS,
    DEMO_3_2_PRINTED_SIGN,
    PRESETS,
    Preset,
)
from diagnostics.wechat_v2.refund_local import run_refund_notify_local
from diagnostics.wechat_v2.report import build_report
from diagnostics.wechat_v2.simulator import run_simulate_local as run_v2_simulate_local
from diagnostics.wechat_v3 import workbenches as wechat_v3_workbenches
from diagnostics.wechat_v3.simulator import run_simulate_local
from faq.forms import DiagnoseForm
from sharing.links import share_result
from sharing.models import SharedResult

V2_TEMPLATE = "diagnostics/v2.html"


def _preset(slug: str) -> Preset:
    try:
        return PRESETS[slug]
    except KeyError:
        raise Http404("no such preset") from None


def _page(preset: Preset, initial: dict[str, str], **extra: Any) -> dict[str, Any]:
    form = V2SignForm(initial=initial)
    return {"preset": preset, "presets": PRESETS.values(), "form": form, **extra}


# --- What every workbench page shares: errors, re-showing a form without secrets, links.


def form_errors(form: forms.Form) -> tuple[list[tuple[str, list[str]]], int]:
    """The errors to show, and the status: 413 when a field is over its size limit, else 400."""
    errors = [
        (form.fields[name].label if name in form.fields else "", list(messages))
        for name, messages in form.errors.items()
    ]
    too_large = any(
        error.code == "max_length" for field in form.errors.as_data().values() for error in field
    )
    return errors, 413 if too_large else 400


def shown_initial(form: forms.Form, redactor: Redactor) -> dict[str, str]:
    """The submitted values that may be shown again, saved or linked: no secret field, and in
    every other field each secret found by name or shape (or typed in a secret field) removed."""
    shown = {}
    for name, form_field in form.fields.items():
        if is_secret_name(name) or isinstance(form_field, forms.FileField):
            continue
        value = str(form.data.get(name, ""))
        limit = getattr(form_field, "max_length", None)
        # Over its limit the field is refused anyway: not worth reading, let alone showing.
        shown[name] = "" if limit and len(value) > limit else redactor.text(value)
    return shown


def safe_result(result: Any, redactor: Redactor) -> tuple[Any, Any]:
    """The result as frozen, redacted data (what a share stores) and as the templates read it."""
    frozen = redactor.tree(freeze(result))
    return frozen, thaw(frozen)


def prefill_from_query(request: HttpRequest, form_class: type[forms.Form]) -> dict[str, str]:
    """Non-secret field values from a support link's query string."""
    return {
        name: request.GET[name][:MAX_INPUT_CHARS]
        for name in form_class.base_fields
        if name in request.GET and not is_secret_name(name)
    }


def refuse_secrets_in_url(request: HttpRequest) -> HttpResponse | None:
    """A link must never carry a key: refuse it without echoing it."""
    if any(is_secret_name(name) for name in request.GET):
        message = gettext(
            "链接里不能带密钥或私钥：已拒绝这个链接，也没有显示其中的值。请在页面里填写密钥。"
        )
        return render(request, "error.html", {"status": 400, "message": message}, status=400)
    return None


def prefill_link(
    request: HttpRequest, page_url: str, initial: dict[str, str], redactor: Redactor
) -> dict[str, Any]:
    """A link that opens the page with these (already redacted) values filled in, and what was
    left out of it."""
    values = {name: value for name, value in initial.items() if value}
    path = page_url + ("?" + urlencode(values) if values else "")
    return {
        "url": request.build_absolute_uri(path),
        # Where the language switch returns: the same inputs, when they fit in a form field.
        "path": fitting_next(path, ""),
        "left_out": sorted(redactor.names),
    }


def render_result(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """The whole page, or for an htmx request only its ``result`` partial (the swap target)."""
    context["htmx_fragment"] = bool(request.htmx)
    return render(
        request, template + "#result" if request.htmx else template, context, status=status
    )


@require_GET
@never_cache
def shared_result(request: HttpRequest, token: str) -> HttpResponse:
    """A support link: the saved result, read-only, with the form ready for the viewer's own key.

    The result is stored as redacted data and rendered here by the same templates (autoescaped)
    as the live page; nothing stored is HTML.
    """
    shared = SharedResult.objects.filter(token=token).first()
    if shared is None:
        raise Http404("no such link")
    if shared.expired:
        message = gettext("这个分享链接已于 %(date)s 过期，请让对方重新分享。") % {
            "date": f"{timezone.localtime(shared.expires_at):%Y-%m-%d}"
        }
        return render(request, "error.html", {"status": 410, "message": message}, status=410)
    saved = thaw(shared.result) if isinstance(shared.result, dict) else {}
    group, _, name = shared.kind.partition(":")
    if group == "wechat_v2" and shared.kind not in TASKS:
        context = _page(
            _preset(name),
            shared.inputs,
            report=saved.get("report"),
            reply=saved.get("reply"),
            shared=shared,
        )
        context[BROWSER_FLAG] = saved.get(BROWSER_FLAG, False)
        return render(request, V2_TEMPLATE, context)
    if shared.kind == "diagnosis":
        form = DiagnoseForm(initial=shared.inputs)
        context = {**saved, "form": form, "shared": shared}
        return render(request, "faq/diagnose.html", context)
    context = _task_page(
        _task(group, name), shared.inputs, result=saved.get("result"), shared=shared
    )
    context[BROWSER_FLAG] = saved.get(BROWSER_FLAG, False)
    return render(request, TASK_TEMPLATE, context)


# --- WeChat Pay V2


@require_GET
@never_cache
def v2_workbench(request: HttpRequest, preset: str = "free") -> HttpResponse:
    current = _preset(preset)
    if refused := refuse_secrets_in_url(request):
        return refused
    initial = prefill_from_query(request, V2SignForm)
    prefilled = bool(initial)
    if request.GET.get("sample") and current.sample:
        initial["raw"] = current.sample
    return render(request, V2_TEMPLATE, _page(current, initial, prefilled=prefilled))


@require_GET
@never_cache
def v2_demo(request: HttpRequest) -> HttpResponse:
    """002 §3.2's worked example, computed: its printed sign does not reproduce, ours does."""
    raw = pairs_to_lines(DEMO_3_2_PARAMS) + f"\nkey={DEMO_3_2_KEY}"
    report = build_report(parse_params(raw), "", PRESETS["free"])
    demo = {
        "printed_sign": DEMO_3_2_PRINTED_SIGN,
        "real_sign": sign(DEMO_3_2_PARAMS, DEMO_3_2_KEY).sign,
    }
    context = _page(PRESETS["free"], {"raw": raw}, report=report, demo=demo)
    return render(request, V2_TEMPLATE, context)


@require_POST
@never_cache
@vary_on_headers("HX-Request")
def v2_sign(request: HttpRequest, preset: str) -> HttpResponse:
    """The workbench's answer. In local mode (本地计算: ``mode=local``, no key field) it is
    everything that needs no key plus the search's plan (first request), or the full result from
    what the browser found with the key (second request, ``local_outcome``)."""
    current = _preset(preset)
    local_form = V2LocalForm(data=request.POST)
    redactor = request_redactor(request)
    local = None
    if local_form.is_local:
        if not local_form.is_valid():
            errors, status = form_errors(local_form)
            context = _page(current, shown_initial(V2SignForm(data=request.POST), redactor))
            context["errors"] = _redacted_errors(errors, redactor)
            return render_result(request, V2_TEMPLATE, context, status)
        local = local_form.answer()
    local_key = (local_form.cleaned_data.get("local_key") or "missing") if local else None
    form = V2SignForm(data=request.POST, local_key=local_key)
    if not form.is_valid():
        errors, status = form_errors(form)
        shown = shown_initial(form, redactor)
        context = _page(current, shown, errors=_redacted_errors(errors, redactor))
        return render_result(request, V2_TEMPLATE, context, status)
    data = form.cleaned_data
    # The secrets the parse took out of the params (a pasted key, mch_key…) are this request's too.
    redactor.learn(*form.parsed.secrets.values())
    if form.parsed.pasted_key:
        redactor.add(form.parsed.pasted_key, anywhere=True)
    if form.order_parsed is not None:  # the order a pay call pays (服务商模式)
        redactor.learn(*form.order_parsed.secrets.values())
    shown = shown_initial(form, redactor)
    reply = _platform_reply(form.parsed.pairs, current)
    if reply and not reply["signed"]:
        context = _page(current, shown, reply=reply)
        return render_result(request, V2_TEMPLATE, context)
    # Their string is only shown (as a diff): secrets go before it is compared, except the key
    # after "&key=", which the report compares with the typed one without showing either.
    head, marker, tail = data["their_string"].rpartition("&key=")
    their_string = redactor.text(head) + marker + tail if marker else redactor.text(tail)
    try:
        report = build_report(
            form.parsed,
            data["key"],
            current,
            chosen_sign_type=data["sign_type"] or None,
            expected_sign=data["expected_sign"],
            entry_point=data["entry_point"],
            their_string=their_string,
            order=form.order_parsed if current.takes_order else None,
            local=local,
        )
    except ParseError as error:  # a local-mode outcome that contradicts its own sign
        errors = _redacted_errors([("", [str(error.message)])], redactor)
        return render_result(request, V2_TEMPLATE, _page(current, shown, errors=errors), 400)
    # The plan goes to the browser as built from the parsed pairs (the parse already took the
    # secrets out of them): the browser hashes these exact strings. Never stored in a share.
    local_plan, report.local_plan = report.local_plan, None
    frozen, report = safe_result(report, redactor)
    page_url = reverse("diagnostics:v2_preset", args=[current.slug])
    prefill = prefill_link(request, page_url, shown, redactor)
    context = _page(current, shown, report=report, prefill=prefill, reply=reply)
    # For the browser (static/js/local/data.js): an attribute, as htmx drops a fragment's scripts.
    context["local_json"] = json.dumps(local_plan, ensure_ascii=False) if local_plan else ""
    # In local mode a share waits for the browser's outcome (the second request carries it, with
    # the sign the outcome is checked against).
    if request.POST.get("share") and (local is None or (local.outcome and local.sign)):
        summary = {
            "string1": report["steps"]["string1"],
            "sign": report["steps"]["sign"],
            "sign_type": report["sign_type"],
            "match": report["match"],
            "mistakes": [mistake["code"] for mistake in report["mistakes"]],
        }
        saved = {"report": frozen, "reply": redactor.tree(reply), BROWSER_FLAG: local is not None}
        share_result(request, f"wechat_v2:{current.slug}", shown, summary, saved, context)
    return render_result(request, V2_TEMPLATE, context)


def _platform_reply(pairs: list[tuple[str, str]], preset: Preset) -> dict[str, Any] | None:
    """A WeChat Pay answer or notification pasted into the workbench, with where to take it."""
    reply = recognise_reply(pairs)
    if reply is None or (reply.kind == "notification" and preset.slug == "notify"):
        return None
    query = reply.summary or ("return_code=FAIL" if reply.failed else "")
    diagnose_url = (
        reverse("faq:diagnose") + "?" + urlencode({"q": query, "platform": "wechat_v2"})
        if reply.failed and query
        else ""
    )
    return {
        "kind": reply.kind,
        "failed": reply.failed,
        "summary": reply.summary,
        "signed": reply.signed,
        "diagnose_url": diagnose_url,
        "notify_url": reverse("diagnostics:v2_preset", args=["notify"]),
    }


def _redacted_errors(
    errors: list[tuple[str, list[str]]], redactor: Redactor
) -> list[tuple[str, list[str]]]:
    """Error messages never echo a secret, even one quoted from the input by a parser."""
    return [
        (label, [redactor.known_values(str(message)) for message in messages])
        for label, messages in errors
    ]


# --- RSA / AES workbenches and the linter: one page and one action, driven by the registry
# (diagnostics.platforms).

TASK_TEMPLATE = "diagnostics/task.html"


def _task(group: str, task: str) -> Task:
    try:
        return TASKS[f"{group}:{task}" if task else group]
    except KeyError:
        raise Http404("no such workbench") from None


def _task_page(task: Task, initial: dict[str, str], **extra: Any) -> dict[str, Any]:
    form_class = TASK_FORMS[task.workbench]
    form = form_class(initial=initial)
    local_mode = task.workbench in LOCAL_RUNS
    if local_mode:  # static/js/local/mode.js takes these inputs' names in local mode
        for name in form_class.secret_fields:
            form.fields[name].widget.attrs["data-local-secret"] = ""
    return {
        "task": task,
        "form": form,
        "local_mode": local_mode,
        "result_template": "diagnostics/results/" + task.workbench.replace(":", "_") + ".html",
        "page_url": task_url(task),
        "run_url": task_url(task, "_run"),
        "has_secrets": any(is_secret_name(name) for name in form_class.base_fields),
        # Loading a pasted private key counts against a tight limit: live updates wait longer
        # and go one at a time.
        "loads_private_key": "private_key" in form_class.base_fields
        or getattr(form_class, "generates_keys", False),
        "workbenches": [
            {"workbench": other.workbench, "title": other.title, "url": task_url(other)}
            for other in TASKS.values()
        ],
        **extra,
    }


@require_GET
@never_cache
def task_page(request: HttpRequest, group: str, task: str = "") -> HttpResponse:
    current = _task(group, task)
    if refused := refuse_secrets_in_url(request):
        return refused
    initial = prefill_from_query(request, TASK_FORMS[current.workbench])
    context = _task_page(current, initial, prefilled=bool(initial))
    return render(request, TASK_TEMPLATE, context)


@require_POST
@never_cache
@vary_on_headers("HX-Request")
def task_run(request: HttpRequest, group: str, task: str = "") -> HttpResponse:
    current = _task(group, task)
    form = TASK_FORMS[current.workbench](data=request.POST, files=request.FILES)
    # Local mode (本地计算, issue 17): the secret stayed in the browser, which finishes the result.
    local = current.workbench in LOCAL_RUNS and asks_local(request.POST)
    if local:
        form.go_local()
    redactor = request_redactor(request)
    # What the browser posts in local mode (the key's public half…) is neither shown nor linked.
    shown = {
        name: value
        for name, value in shown_initial(form, redactor).items()
        if not name.startswith("local_")
    }
    if not form.is_valid():
        errors, status = form_errors(form)
        context = _task_page(current, shown, errors=_redacted_errors(errors, redactor))
        return render_result(request, TASK_TEMPLATE, context, status)
    # A pasted private key is loaded, or (the simulator) a key pair generated: both cost CPU. Local
    # mode's public half runs the same searches, so it counts the same.
    cleaned = form.cleaned_data
    if (
        cleaned.get("private_key", "").strip()
        or cleaned.get("local_key")
        or getattr(form, "generates_keys", False)
    ):
        check_rate(request, "private_key")
    run = LOCAL_RUNS[current.workbench] if local else current.run
    try:
        result = run(form.cleaned_data)
    except ParseError as error:
        errors = _redacted_errors([("", [str(error.message)])], redactor)
        # The slips a failed decryption tried (engine sentences: they quote no input).
        mistakes = getattr(error, "mistakes", ())
        context = _task_page(current, shown, errors=errors, mistakes=mistakes)
        return render_result(request, TASK_TEMPLATE, context, 400)
    plan = result.pop("local", None)
    local_json = _local_json(plan, form.missing_secret() if local else None)
    # The browser has still to finish (the key ring's answer to open): nothing to share yet.
    waiting = any(isinstance(part, dict) and part.get("pending") for part in (plan or {}).values())
    frozen, shown_result = safe_result(result, redactor)
    # Personal data (a decrypted plaintext, values typed to encrypt) stays out of links and shares
    # unless the merchant ticks share_plaintext: each such workbench names what it withholds.
    # In local mode the server never had the plaintext to share (but the refund page's browser
    # posts it back: its shares are server mode's).
    withhold = (local and "refund" not in frozen) or not form.cleaned_data.get("share_plaintext")
    linked = shown
    if withhold and current.workbench in LINK_WITHHOLDS:
        linked = LINK_WITHHOLDS[current.workbench](shown, frozen)
    prefill = prefill_link(request, task_url(current), linked, redactor)
    context = _task_page(
        current, shown, result=shown_result, prefill=prefill, local_json=local_json
    )
    if request.POST.get("share") and not waiting:
        saved = frozen
        if withhold and current.workbench in SHARE_WITHHOLDS:
            saved = SHARE_WITHHOLDS[current.workbench](frozen, shown, linked)
            shown = linked
        browser = bool(local) and current.workbench in BROWSER_VERDICTS
        share_result(
            request,
            current.workbench,
            shown,
            {"workbench": current.workbench},
            {"result": saved, BROWSER_FLAG: browser},
            context,
        )
    return render_result(request, TASK_TEMPLATE, context)


def _local_json(local: dict[str, Any] | None, missing: dict[str, Any] | None) -> str:
    """What the browser needs to finish a local-mode result, as JSON for the page's data element
    (static/js/local/data.js): the engine's plan with its sentences in the reader's language, and
    the private-key sentences the browser tells a damaged key with. Holds no secret: the
    request's own inputs and what the server derived from them."""
    if local is None:
        return ""

    def plain(value: Any) -> Any:
        if isinstance(value, Text | Joined):
            return str(value)
        if isinstance(value, dict):
            return {str(name): plain(item) for name, item in value.items()}
        if isinstance(value, list | tuple):
            return [plain(item) for item in value]
        return value

    data = {**plain(local), "keys": local_key_messages(), "missing": missing}
    return json.dumps(data, ensure_ascii=False)


# A share's flag: its verdict was computed in the sharer's browser (local mode) and the server,
# which has no key, could not check it; the /d/ page says so (_browser_computed.html). Not set
# where the server verifies what the browser made (signatures, against the key's public half).
BROWSER_FLAG = "computed_in_browser"
BROWSER_VERDICTS = frozenset(
    {"wechat_v3:decrypt", "wechat_v3:sensitive", "wechat_v2:refund-notify", "wechat_v3:keyring"}
)

# workbench -> its local-mode run (本地计算): the key-independent half, and the browser's plan
LOCAL_RUNS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    **wechat_v3_workbenches.LOCAL_RUNS,
    **baidu_workbenches.LOCAL_RUNS,
    **alipay_workbenches.LOCAL_RUNS,
    **KEY_LOCAL_RUNS,
    "wechat_v2:refund-notify": run_refund_notify_local,
    "wechat_v3:simulate": run_simulate_local,
    "wechat_v2:simulate": run_v2_simulate_local,
}


def without_plaintext(frozen: dict[str, Any], *_inputs: dict[str, str]) -> dict[str, Any]:
    """A decrypted notification as shared by default: the outcome and the plaintext's field
    names, none of its values (openid, amounts, attach are the payer's and the merchant's)."""
    decrypted = dict(frozen.get("decrypted") or {})
    decrypted.update(plaintext=None, data=None, withheld=True)
    return {**frozen, "decrypted": decrypted, "pretty": None, "summary": []}


def without_refund_plaintext(frozen: dict[str, Any], *_inputs: dict[str, str]) -> dict[str, Any]:
    """A decrypted refund notification as shared by default: the outcome and the field names,
    none of the values (order numbers, amounts, the account refunded to are the merchant's)."""
    refund = dict(frozen.get("refund") or {})
    refund.update(plaintext=None, fields=[], withheld=True)
    return {**frozen, "refund": refund}


def sensitive_inputs_withheld(inputs: dict[str, str], frozen: dict[str, Any]) -> dict[str, str]:
    """The sensitive-field page's inputs a link carries by default: no plaintext typed to
    encrypt, and no pasted body whose sensitive fields are plain text (names, ID numbers, phones,
    bank accounts are personal data)."""
    check = frozen.get("check") or {}
    plain_body = any(field.get("state") == "plaintext" for field in check.get("fields") or [])
    return {**inputs, "plaintext": "", **({"body": ""} if plain_body else {})}


def without_sensitive_plaintext(
    frozen: dict[str, Any], inputs: dict[str, str], linked: dict[str, str]
) -> dict[str, Any]:
    """A sensitive-field result as shared by default: no decrypted value, and a note of the
    inputs left out; the findings name fields, never values."""
    saved = dict(frozen)
    if saved.get("decryption"):
        saved["decryption"] = {**saved["decryption"], "plaintext": None, "withheld": True}
    saved["withheld_inputs"] = sorted(
        name for name, value in inputs.items() if value and not linked.get(name)
    )
    return saved


# workbench -> what a link carries of its inputs by default (the inputs, the frozen result)
LINK_WITHHOLDS: dict[str, Callable[[dict[str, str], dict[str, Any]], dict[str, str]]] = {
    "wechat_v3:sensitive": sensitive_inputs_withheld,
}
# workbench -> what a share saves of its result by default (the result, the inputs, the linked ones)
SHARE_WITHHOLDS: dict[str, Callable[..., dict[str, Any]]] = {
    "wechat_v3:decrypt": without_plaintext,
    "wechat_v2:refund-notify": without_refund_plaintext,
    "wechat_v3:sensitive": without_sensitive_plaintext,
}
