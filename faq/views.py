from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from config.context_processors import fitting_next
from config.redaction import request_redactor
from diagnostics.core.snapshot import freeze
from diagnostics.wechat_v2 import PRESETS
from faq.engine import Diagnosis, Match
from faq.forms import DiagnoseForm
from faq.knowledge import PLATFORMS, SCENARIOS, FaqEntry
from faq.models import Entry
from faq.scoring import CONFIDENCE_LABELS
from faq.store import current_engine, document_titles, record_unmatched
from sharing.links import share_result

# What the results partial reads: saved as data for a /d/ link and rendered again from it.
SHARED_CONTEXT = (
    "diagnosis",
    "matches",
    "confident",
    "related",
    "general_checks",
    "platform",
    "platform_label",
    "scenarios",
    "scenario",
    "link",
    "without_platform",
    "without_scenario",
)

EXAMPLES = (
    "系统繁忙",
    "调起后提示 errCode:6",
    "access_denied",
    "返回10003",
    '{"code":"SIGN_ERROR","message":"签名错误"}',
    "get_brand_wcpay_request:fail",
)

# A V2 name that is not one of V2's task pages is one of the signing workbench's presets.
V2_PRESET_ROUTE = "diagnostics:v2_preset"


# What to check on each platform when no entry documents the problem: its workbenches, most
# common suspicion first ("platform:task" as in the data files' `workbench`).
GENERAL_CHECKS: dict[str, tuple[tuple[str, str], ...]] = {
    "wechat_v2": (
        ("wechat_v2:free", "重算 V2 签名，找出是哪一个错误复现了你的 sign"),
        ("wechat_v2:jsapi", "检查 JSAPI 调起支付的 paySign"),
        ("wechat_v2:notify", "检查支付结果通知的签名"),
        ("lint", "按字段表检查请求参数"),
    ),
    "wechat_v3": (
        ("wechat_v3:sign", "检查请求签名和 Authorization 头"),
        ("wechat_v3:verify", "用平台证书或微信支付公钥验证应答、回调"),
        ("wechat_v3:decrypt", "解密回调通知（APIv3 密钥）"),
        ("wechat_v3:pay-sign", "检查 JSAPI / App 调起支付的签名"),
    ),
    "wechat_payscore": (
        ("wechat_v2:payscore-enable", "计算跳转开启服务页的签名"),
        ("wechat_v2:payscore-confirm", "计算跳转订单确认页的签名"),
    ),
    "baidu": (
        ("baidu:sign", "计算百度收银台的 rsaSign"),
        ("baidu:verify", "验证百度回调的签名"),
    ),
    "alipay": (
        ("alipay:keys", "检查应用私钥与上传的应用公钥是否是一对"),
        ("alipay:sign", "重算请求签名，和网关回显的验签字符串逐字比较"),
        ("alipay:notify", "验证异步通知的签名"),
        ("alipay:response", "验证同步应答的签名"),
        ("alipay:certs", "读出证书 SN，分清三个证书"),
    ),
}


def general_checks(platforms: list[str]) -> list[dict[str, Any]]:
    """The workbench links worth opening for these platforms (all of them when none is known)."""
    checks = []
    for platform in platforms or list(GENERAL_CHECKS):
        links = [
            {"label": label, "url": url}
            for name, label in GENERAL_CHECKS.get(platform, ())
            if (url := workbench_url(name))
        ]
        if links:
            checks.append({"platform_label": PLATFORMS[platform], "links": links})
    return checks


def workbench_url(name: str) -> str | None:
    """The URL of the workbench an entry points to ("platform:task", as in the data files), or
    None while that workbench does not exist. Task pages are named by their platform in the
    registry's URLs (diagnostics:wechat_v3 with the task as argument; the linter alone)."""
    platform, _, task = name.partition(":")
    routes = [(f"diagnostics:{platform}", [task] if task else [])]
    if platform == "wechat_v2" and task in PRESETS:
        routes.append((V2_PRESET_ROUTE, [task]))
    for route, args in routes:
        try:
            return reverse(route, args=args)
        except NoReverseMatch:
            continue
    return None


def diagnosis_link(query: str, platform: str, scenario: str) -> str:
    params = {
        key: value
        for key, value in (("q", query), ("platform", platform), ("scenario", scenario))
        if value
    }
    return reverse("faq:diagnose") + "?" + urlencode(params)


def _entry_view(entry: FaqEntry) -> dict[str, Any]:
    """An entry with what both pages show beside it: labels, its page and its workbench."""
    return {
        "entry": entry,
        "platform_label": PLATFORMS.get(entry.platform, entry.platform),
        "scenario_labels": [SCENARIOS.get(value, value) for value in entry.scenarios],
        "url": reverse("faq:entry", args=[entry.slug]),
        "workbench_url": workbench_url(entry.workbench),
    }


def _match_view(match: Match, siblings: tuple[FaqEntry, ...]) -> dict[str, Any]:
    view = {
        **_entry_view(match.entry),
        "score": match.score,
        "why": match.why,
        "confidence": match.confidence,
        "confidence_label": CONFIDENCE_LABELS[match.confidence],
    }
    if not scene_matters(match.entry, siblings):
        view["scenario_labels"] = []  # a scene tag only where the remedy depends on the scene
    return view


def scene_matters(entry: FaqEntry, entries: tuple[FaqEntry, ...]) -> bool:
    """Whether the entry's document tells scenes apart (000 splits its problems by entry point
    and page, 003 by client); when every entry of a document has the same scenes, they are only
    the document's scope (004 is the App combined order) and are not shown as a tag."""
    if not entry.scenarios:
        return False
    scopes = {tuple(other.scenarios) for other in entries if other.document == entry.document}
    return len(scopes) > 1


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def diagnose(request: HttpRequest) -> HttpResponse:
    """The text box: what the merchant saw -> the documented remedies, best first."""
    data = request.POST.copy() if request.method == "POST" else request.GET.copy()
    # A refine answer adds one scenario (page or entry point) to those already answered.
    if data.get("add_scenario"):
        data["scenario"] = ",".join(filter(None, [data.get("scenario", ""), data["add_scenario"]]))
    template = "faq/diagnose.html#results" if request.htmx else "faq/diagnose.html"
    if not data.get("q", "").strip():
        return render(request, template, {"form": DiagnoseForm(), "examples": EXAMPLES})
    form = DiagnoseForm(data)
    if not form.is_valid():
        return render(request, template, {"form": form, "errors": form.errors}, status=400)
    platform, scenario = form.cleaned_data["platform"], form.cleaned_data["scenario"]
    # Secrets pasted with the error are removed before anything else sees the text: the engine,
    # the page, the links built from it, the unmatched-query log and a share.
    redactor = request_redactor(request)
    query = redactor.text(form.cleaned_data["q"])
    form = DiagnoseForm({**form.cleaned_data, "q": query})
    form.is_valid()
    engine = current_engine()
    diagnosis: Diagnosis = engine.diagnose(query, platform or None, scenario or None)
    submitted = data.get("live") != "1"
    if not diagnosis.matched and submitted:
        record_unmatched(diagnosis, platform, scenario)
    matches = [_match_view(match, engine.entries) for match in diagnosis.matches]
    # Not matched: say so, show the closest apart, and what to check on the platform (issue 14).
    hinted = [platform] if platform else list(diagnosis.platform_hints or diagnosis.family_hints)
    context = {
        "form": form,
        "diagnosis": diagnosis,
        "matches": matches,
        "confident": [item for item in matches if item["confidence"] != "related"],
        "related": [item for item in matches if item["confidence"] == "related"],
        "general_checks": [] if diagnosis.matched or diagnosis.foreign else general_checks(hinted),
        "platform": platform,
        "platform_label": PLATFORMS.get(platform, ""),
        "scenarios": [(value, SCENARIOS[value]) for value in scenario.split(",") if value],
        "scenario": scenario,
        "link": request.build_absolute_uri(diagnosis_link(query, platform, scenario)),
        "without_platform": diagnosis_link(query, "", scenario),
        "without_scenario": diagnosis_link(query, platform, ""),
        "htmx_fragment": bool(request.htmx),
        "link_path": fitting_next(diagnosis_link(query, platform, scenario), request.path),
    }
    if data.get("share") and submitted:
        inputs = {"q": query, "platform": platform, "scenario": scenario}
        summary = {"matched": diagnosis.matched, "slugs": [m.entry.slug for m in diagnosis.matches]}
        saved = {name: context[name] for name in SHARED_CONTEXT}
        share_result(request, "diagnosis", inputs, summary, redactor.tree(freeze(saved)), context)
    response = render(request, template, context)
    if request.htmx and submitted:
        # Back and reload return to this answer: the URL says what is on the screen (no secret:
        # the query was redacted before anything else saw it).
        push_url(response, diagnosis_link(query, platform, scenario))
    return response


@require_GET
def faq_index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    needle = query.lower()
    titles = document_titles()
    groups: dict[str, dict[str, list[dict[str, Any]]]] = {}
    count = 0
    for row in Entry.objects.published().order_by("platform", "document", "position"):
        entry = row.as_faq_entry()
        search = _search_text(entry)
        if needle not in search:
            continue
        count += 1
        document = titles.get(entry.document, entry.document)
        groups.setdefault(PLATFORMS.get(entry.platform, entry.platform), {}).setdefault(
            document, []
        ).append({"entry": entry, "search": search})
    return render(request, "faq/index.html", {"groups": groups, "q": query, "count": count})


def _search_text(entry: FaqEntry) -> str:
    return " ".join(
        [entry.slug, entry.title, entry.section, entry.summary_en, *entry.symptoms, *entry.codes]
    ).lower()


@require_GET
def faq_entry(request: HttpRequest, slug: str) -> HttpResponse:
    row = get_object_or_404(Entry.objects.published(), slug=slug)
    view = _entry_view(row.as_faq_entry())
    context = {
        **view,
        "row": row,
        "document_title": document_titles().get(row.document, ""),
        "related": Entry.objects.published().filter(slug__in=row.related),
        "permalink": request.build_absolute_uri(view["url"]),
    }
    return render(request, "faq/entry.html", context)
