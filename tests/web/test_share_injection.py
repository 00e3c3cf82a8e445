"""Issue 10, F1: a share can never add markup to the page that opens it.

The person sharing chooses the key and the params. Before, a key equal to a fragment of the
template's markup, removed from the rendered HTML, left their text inside an opening tag, where it
became htmx attributes acting as the viewer. Shares are now data rendered with autoescaping; this
test makes shares with hostile keys and params and compares the parsed DOM of the shared page
with that of a harmless share: no element, attribute or htmx attribute may be new.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.web import keys

pytestmark = pytest.mark.django_db

PAYLOAD = (
    ' hx-post=/admin/faq/entry/96/change/ hx-trigger=load hx-vals={"title":"x"} '
    '"><img src=x onerror=alert(1)><div hx-get="/i18n/setlang/" hx-trigger="load">'
)
# The same text with nothing that could become markup or htmx: the harmless share of each test.
HARMLESS = (
    PAYLOAD.replace("hx-", "xx-")
    .replace("<img", "<imx")
    .replace("<div", "<dix")
    .replace("onerror", "onerrox")
)
# Keys equal to pieces of the templates' markup, as the review's attack chose them.
HOSTILE_KEYS = (
    ">zzzzzzzz=",
    '<pre id="string1">',
    'class="copyable"><pre',
    "</pre><button",
    '"><section hx-disable',
    "zzzzzzzz",
)


class Shape(HTMLParser):
    """The elements and attributes of a page, and every htmx attribute with its value."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: set[str] = set()
        self.attributes: set[tuple[str, str]] = set()
        self.htmx: set[tuple[str, str, str]] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.add(tag)
        for name, value in attrs:
            self.attributes.add((tag, name))
            if name.startswith(("hx-", "data-hx-")) or name.startswith("on"):
                # The CSRF token in <body hx-headers> is new on every answer.
                self.htmx.add((tag, name, "" if name == "hx-headers" else value or ""))


def shape(html: str) -> Shape:
    parser = Shape()
    parser.feed(html)
    return parser


def shared_page(client, url: str, form: dict[str, str]) -> str:
    body = client.post(url, {**form, "share": "1"}).content.decode()
    match = re.search(r"http://testserver(/d/[A-Za-z0-9_-]+)", body)
    assert match, f"no share link from {url}"
    return client.get(match.group(1)).content.decode()


def assert_same_shape(harmless: str, hostile: str) -> None:
    safe, attacked = shape(harmless), shape(hostile)
    assert attacked.elements <= safe.elements, attacked.elements - safe.elements
    assert attacked.attributes <= safe.attributes, attacked.attributes - safe.attributes
    assert attacked.htmx <= safe.htmx, attacked.htmx - safe.htmx


V2_PARAMS = "appid=wx2421b1c4370ec43b\nmch_id=10000100\nnonce_str=abc\nbody=test"


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_a_v2_share_with_a_key_matching_the_markup_adds_nothing_to_the_page(client, key):
    harmless = shared_page(
        client,
        "/wechat/v2/free/sign",
        {"raw": V2_PARAMS + f"\nzzzzzzzz={HARMLESS}", "key": "K" * 32, "their_string": HARMLESS},
    )
    hostile = shared_page(
        client,
        "/wechat/v2/free/sign",
        {"raw": V2_PARAMS + f"\nzzzzzzzz={PAYLOAD}", "key": key, "their_string": PAYLOAD},
    )
    assert_same_shape(harmless, hostile)
    assert "onerror=alert(1)" not in hostile or "&lt;img src=x onerror=alert(1)&gt;" in hostile


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_a_decrypt_share_with_a_hostile_apiv3_key_adds_nothing(client, key):
    def form(text: str, apiv3_key: str) -> dict[str, str]:
        notification = f'{{"id":"x","resource":{{"ciphertext":"AAAA","nonce":"{text}"}}}}'
        return {"notification": notification, "apiv3_key": apiv3_key}

    # A decryption that fails is not shared; the page with its error is what the key reaches.
    harmless = client.post("/wechat/v3/decrypt/run", form(HARMLESS, "k" * 32)).content.decode()
    hostile = client.post("/wechat/v3/decrypt/run", form(PAYLOAD, key)).content.decode()
    assert_same_shape(harmless, hostile)


@pytest.mark.parametrize(
    ("url", "form", "field"),
    [
        (
            "/wechat/v3/sign/run",
            {"method": "POST", "url": "/v3/x", "timestamp": "1", "nonce": "n", "body": "{}"},
            "body",
        ),
        ("/baidu/sign/run", {"mode": "all", "params": "appKey=a&dealId=1"}, "params"),
        ("/lint/run", {"api": "unifiedorder", "body": "appid=wx1"}, "body"),
    ],
)
def test_task_shares_with_hostile_inputs_add_nothing(client, url, form, field):
    pem = keys.private_pem()
    harmless = shared_page(client, url, {**form, field: form[field] + HARMLESS, "private_key": pem})
    hostile = shared_page(client, url, {**form, field: form[field] + PAYLOAD, "private_key": pem})
    assert_same_shape(harmless, hostile)


def test_a_diagnosis_share_with_hostile_text_adds_nothing(client):
    harmless = shared_page(client, "/diagnose", {"q": "系统繁忙" + HARMLESS + " key=>zzzzzzzz="})
    hostile = shared_page(client, "/diagnose", {"q": "系统繁忙" + PAYLOAD + " key=>zzzzzzzz="})
    assert_same_shape(harmless, hostile)


def test_the_shared_result_is_rendered_with_htmx_disabled(client):
    page = shared_page(client, "/wechat/v2/free/sign", {"raw": V2_PARAMS, "key": "K" * 32})
    assert re.search(r'<section id="result"[^>]* hx-disable', page)
