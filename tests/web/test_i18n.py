"""Two languages: Chinese by default, English by Accept-Language or the switch in the header.

Source strings are the Chinese text (msgid); locale/en/LC_MESSAGES/django.po gives the English.
What the engines write (findings, mistakes, match reasons) is translated when shown, with its
stable code beside it in English; the documents' remedies stay Chinese with an English summary.
"""

from __future__ import annotations

import ast
import gettext as python_gettext
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from diagnostics.core.keys import KIND_LABELS
from diagnostics.platforms import LINT_APIS, TASKS
from diagnostics.wechat_v2 import Excluded
from diagnostics.wechat_v2.fields import PRESETS
from faq.engine import REFINE_LABELS
from faq.knowledge import PLATFORMS, SCENARIOS
from tests.web.test_v3_workbenches import PAGES as WORKBENCH_PAGES

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")
ENTRY_SLUG = "payscore-cannot-enable-gradual-rollout"

KEY = "Zq7Rk2Lm9Xv4Tb8Nc1Hd6Wf3Jg5Ps0Ae"  # a made-up API key (32 characters)
PARAMS = "appid=wx2421b1c4370ec43b\nmch_id=10000100\nnonce_str=abc\nbody=test\nattach="
# The sign a merchant gets by leaving the empty attach in string1 (002 §3.2: it must not be).
EMPTY_SIGNED = (
    hashlib.md5(
        f"appid=wx2421b1c4370ec43b&attach=&body=test&mch_id=10000100&nonce_str=abc&key={KEY}".encode()
    )
    .hexdigest()
    .upper()
)


@pytest.fixture(autouse=True)
def back_to_the_default_language():
    """A request in English must not leave English active for the tests that follow."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def en(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def visible_text(html: str) -> str:
    """The text a reader sees: no tags, no attributes, no scripts."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def parse_po(text: str) -> list[dict]:
    """Each entry as {msgctxt, msgid, msgid_plural, msgstr: {keyword: text}, flags}; no header."""
    entries: list[dict] = []
    entry: dict = {}
    keyword = ""
    for line in text.splitlines():
        if not line.strip():
            entry, keyword = {}, ""
        elif line.startswith("#,"):
            entry["flags"] = line
        elif line.startswith(("msgctxt ", "msgid ", "msgid_plural ", "msgstr")):
            keyword, _, literal = line.partition(" ")
            if keyword == "msgid":
                entries.append(entry)
            target = entry.setdefault("msgstr", {}) if keyword.startswith("msgstr") else entry
            target[keyword] = ast.literal_eval(literal)
        elif line.startswith('"') and keyword:
            target = entry["msgstr"] if keyword.startswith("msgstr") else entry
            target[keyword] += ast.literal_eval(line)
    return [e for e in entries if e["msgid"]]


# --- Choosing the language


def test_without_accept_language_the_site_is_chinese(client):
    body = page(client, "/")
    assert '<html lang="zh-Hans">' in body
    assert "<h1>支付接入诊断台</h1>" in body and ">错误诊断</a>" in body


@pytest.mark.parametrize("accept", ["zh-CN,zh;q=0.9", "zh-Hans", "fr-FR,fr;q=0.9"])
def test_chinese_browsers_and_unsupported_languages_get_chinese(client, accept):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert '<html lang="zh-Hans">' in body and "<h1>支付接入诊断台</h1>" in body


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", ["<h1>Pay Doctor</h1>", "Diagnose an error", "Browse all entries"]),
        ("/diagnose", ["Diagnose an error", "The error you saw", "Try these:"]),
        (
            "/wechat/v2/",
            ["WeChat Pay V2 sign workbench", "Parameters you sent", "Merchant API key"],
        ),
        ("/wechat/v3/sign/", ["APIv3 request signing", "Merchant private key", "HTTP method"]),
        ("/faq/", ["FAQ", "entries from five documents", "WeChat Pay V2", "Baidu cashier"]),
        (f"/faq/{ENTRY_SLUG}", ["Symptoms", "Remedy", "Permanent link (for the customer):"]),
    ],
)
def test_accept_language_en_gets_english_pages(en, url, expected):
    body = page(en, url)
    assert '<html lang="en">' in body
    for text in expected:
        assert text in body, text


def test_the_main_buttons_are_english(en):
    buttons = {
        "/": ["Diagnose", "Browse all entries", "Lint a request"],
        "/diagnose": ["Diagnose", "Save and share"],
        "/wechat/v2/": ["Sign", "Save and share (keys removed)", "Show"],
        "/wechat/v3/sign/": ["Run", "Save and share (keys removed)"],
        "/baidu/verify/": ["Run", "Save and share (keys removed)"],
        f"/faq/{ENTRY_SLUG}": ["Copy link"],
    }
    for url, labels in buttons.items():
        found = re.findall(r"<(?:button|a)\b[^>]*>([^<]+)</(?:button|a)>", page(en, url))
        for label in labels:
            assert label in found, (url, label)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/diagnose",
        "/faq/?q=nothing-matches-this",
        *[f"/wechat/v2/{slug}/" for slug in PRESETS],
        *WORKBENCH_PAGES,
    ],
)
def test_english_pages_without_results_show_no_untranslated_label(en, url):
    # What may stay Chinese: the brand and the switch's 中文 (both lang="zh-Hans"), the error texts
    # merchants paste (quoted in the home page's card) and the Baidu document's section names in citations.
    allowed = {
        "支付接入诊断台",
        "中文",
        "系统繁忙",
        "订单未获得权益，系统繁忙",
        "调起收银台错误",
        "支付回调",
    }
    # The diagnose page's example queries are the Chinese texts merchants paste: left out.
    html = re.sub(r'<div class="examples">.*?</div>', "", page(en, url), flags=re.S)
    leftovers = set(CJK.findall(visible_text(html))) - allowed
    assert not leftovers, leftovers


def test_the_switch_is_a_plain_form_posting_to_setlang(client):
    body = page(client, "/faq/")
    form = re.search(r'<form class="lang-switch"[^>]*>.*?</form>', body, re.S).group(0)
    assert 'action="/i18n/setlang/"' in form and 'method="post"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<input type="hidden" name="next" value="/faq/">' in form
    assert 'name="language" value="en"' in form and 'name="language" value="zh-hans"' in form
    assert "<script" not in form and "hx-" not in form


def test_the_switch_sets_the_language_for_the_next_pages(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/faq/"})
    assert response.status_code == 302 and response["Location"] == "/faq/"
    body = page(client, "/faq/")
    assert '<html lang="en">' in body and "entries from five documents" in body
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-Hans">' in page(client, "/")


def test_after_a_posted_result_the_switch_returns_to_the_workbench_page_with_its_inputs(en):
    response = en.post("/wechat/v2/jsapi/sign", {"raw": PARAMS, "key": KEY})
    assert (
        '<input type="hidden" name="next" value="/wechat/v2/jsapi/?raw='
        in response.content.decode()
    )
    assert KEY not in response.content.decode()
    response = en.post("/lint/run", {"api": "orderquery", "body": "appid=wx1"})
    assert (
        '<input type="hidden" name="next" value="/lint/?api=orderquery&amp;body=appid%3Dwx1">'
        in response.content.decode()
    )


# --- Results: site text and engine sentences in English, with the engines' codes


def test_english_v2_result_is_english_down_to_the_mistake_sentence(en):
    body = en.post(
        "/wechat/v2/free/sign", {"raw": PARAMS, "key": KEY, "expected_sign": EMPTY_SIGNED}
    ).content.decode()
    assert "Sign differs" in body and "Fields not signed" in body and "MD5 digest" in body
    assert "<code>attach</code>: empty values are not signed (002 §3.2 a)" in body
    assert "Your sign is reproduced like this: the empty parameters (attach) were put in" in body
    assert "Skip parameters with empty values before building string1." in body
    assert 'data-code="empty_value_signed"' in body and "<code>empty_value_signed</code>" in body
    assert "string1" in body and "stringSignTemp" in body  # field names as the APIs spell them


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/wechat/v2/free/sign", {"raw": PARAMS, "key": KEY, "expected_sign": EMPTY_SIGNED}),
        ("/wechat/v2/free/sign", {"raw": PARAMS + "\ntotal_fee=0.01", "key": " " + KEY}),
        ("/lint/run", {"api": "orderquery", "body": "appid=wx1"}),
        ("/lint/run", {"api": "unifiedorder", "body": "<xml><total_fee>1.5</total_fee></xml>"}),
    ],
)
def test_english_results_have_no_chinese_left(en, url, data):
    html = en.post(url, data).content.decode()
    html = re.sub(r"<textarea\b.*?</textarea>", "", html, flags=re.S)  # the merchant's own input
    leftovers = set(CJK.findall(visible_text(html))) - {"支付接入诊断台", "中文"}
    assert not leftovers, leftovers


def test_english_diagnosis_reasons_are_english(en):
    body = page(en, "/diagnose?q=errCode%3A6")
    assert "<summary>Why it matched</summary>" in body and "error code 6 matches exactly" in body


def test_the_api_answers_engine_sentences_in_the_requested_language(client):
    payload = {"params": dict(p.split("=", 1) for p in PARAMS.split("\n")), "key": KEY}
    payload["expected_sign"] = EMPTY_SIGNED
    chinese = client.post("/api/v1/wechat/v2/sign", payload, content_type="application/json")
    english = client.post(
        "/api/v1/wechat/v2/sign",
        payload,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert chinese.json()["mistakes"][0]["fixes"] == ["拼接 string1 前跳过值为空的参数。"]
    assert english.json()["mistakes"][0]["fixes"] == [
        "Skip parameters with empty values before building string1."
    ]


def test_every_engine_sentence_has_an_english_translation():
    """Each _() template of the Django-free modules, found in their source, is in the catalogue."""
    sources = [
        *Path(settings.BASE_DIR, "diagnostics").rglob("*.py"),
        Path(settings.BASE_DIR, "faq", "engine.py"),
    ]
    templates = set()
    for source in sources:
        for node in ast.walk(ast.parse(source.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "gettext_noop")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and CJK.search(str(node.args[0].value))
            ):
                templates.add(node.args[0].value)
    assert len(templates) > 300  # the engines' sentences, not just a few labels
    with translation.override("en"):
        untranslated = sorted(t for t in templates if translation.gettext(t) == t)
    assert not untranslated, untranslated[:10]


def test_english_translations_keep_every_placeholder():
    """A translation that drops or renames a {value} would show the wrong thing or fail."""
    placeholder = re.compile(r"(?<!\{)\{(\w*[^{}]*)\}(?!\})")  # name, conversion and format
    for entry in parse_po((LOCALE / "django.po").read_text()):
        english = entry["msgstr"].get("msgstr", "")
        if english:
            assert set(placeholder.findall(entry["msgid"])) == set(placeholder.findall(english)), (
                entry["msgid"]
            )


def test_english_workbench_result_shows_finding_codes(en):
    body = en.post("/lint/run", {"api": "orderquery", "body": "appid=wx1"}).content.decode()
    codes = re.findall(r'<tr data-code="(\w+)">', body)
    assert codes
    for code in codes:
        assert f'<code class="code-tag" lang="en">{code}</code>' in body


def test_chinese_v2_result_has_no_code_tags(client):
    body = client.post(
        "/wechat/v2/free/sign", {"raw": PARAMS, "key": KEY, "expected_sign": EMPTY_SIGNED}
    ).content.decode()
    assert "签名不一致" in body and "值为空的参数不参与签名" in body
    lint = client.post("/lint/run", {"api": "orderquery", "body": "appid=wx1"}).content.decode()
    assert "data-code=" in lint and 'class="code-tag"' not in lint


def test_english_htmx_fragment_is_english_too(en):
    response = en.post(
        "/lint/run", {"api": "orderquery", "body": "appid=wx1"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<html" not in body
    assert re.search(r"\d+ problems? found", body)
    assert re.search(r'<code class="code-tag" lang="en">\w+</code>', body)


def test_english_form_errors_are_english(en):
    body = en.post("/wechat/v2/free/sign", {"raw": PARAMS}).content.decode()
    assert "Check your input" in body and "Enter the merchant API key (key)" in body


def test_english_diagnosis_keeps_entry_titles_chinese_with_the_english_summary(en):
    body = page(en, "/diagnose?q=%E7%B3%BB%E7%BB%9F%E7%B9%81%E5%BF%99")  # 系统繁忙
    assert "<summary>Why it matched</summary>" in body and "Open the entry (link to copy)" in body
    assert '<p class="summary-en">' in body
    assert re.search(r'<ol class="remedy" lang="zh-Hans">', body)


def test_english_entry_page_says_the_remedy_stays_in_the_documents_chinese(en):
    body = page(en, f"/faq/{ENTRY_SLUG}")
    assert "stay in the original Chinese" in body
    assert '<h1 lang="zh-Hans">' in body and 'class="lead-en"' in body


# --- The catalog


def test_every_msgid_has_an_english_msgstr_and_nothing_is_fuzzy():
    entries = parse_po((LOCALE / "django.po").read_text(encoding="utf-8"))
    assert len(entries) > 250
    assert not [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    assert not [e["msgid"] for e in entries if "fuzzy" in e.get("flags", "")]
    plural = [e["msgstr"] for e in entries if "msgid_plural" in e]
    assert plural and all(set(msgstr) == {"msgstr[0]", "msgstr[1]"} for msgstr in plural)


def test_the_compiled_mo_matches_the_po():
    # Compared by content rather than modification time: a git checkout sets both at random.
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = python_gettext.GNUTranslations(handle)
    for entry in parse_po((LOCALE / "django.po").read_text(encoding="utf-8")):
        msgid, msgstr = entry["msgid"], entry["msgstr"]
        if "msgid_plural" in entry:
            assert compiled.ngettext(msgid, entry["msgid_plural"], 1) == msgstr["msgstr[0]"]
            assert compiled.ngettext(msgid, entry["msgid_plural"], 2) == msgstr["msgstr[1]"]
        elif "msgctxt" in entry:
            assert compiled.pgettext(entry["msgctxt"], msgid) == msgstr["msgstr"], msgid
        else:
            assert compiled.gettext(msgid) == msgstr["msgstr"], msgid


def test_labels_from_the_django_free_engines_are_in_the_catalog():
    labels = [
        *PLATFORMS.values(),
        *SCENARIOS.values(),
        *REFINE_LABELS.values(),
        *(api.title for api in LINT_APIS.values()),
        *KIND_LABELS.values(),
        Excluded("attach", "empty").message,
        Excluded("sign", "sign").message,
    ]
    with translation.override("en"):
        untranslated = [
            label for label in labels if CJK.search(label) and translation.gettext(label) == label
        ]
    assert not untranslated


def test_task_and_preset_titles_follow_the_active_language():
    # The titles are plain Chinese in the Django-free modules; the templates translate them.
    with translation.override("en"):
        assert translation.gettext(TASKS["wechat_v3:sign"].title) == "APIv3 request signing"
        assert translation.gettext(PRESETS["free"].title) == "Free form"
    assert TASKS["wechat_v3:sign"].title == "APIv3 请求签名"
    assert PRESETS["free"].title == "自由格式"
