"""密钥体检 page (/wechat/v3/keyring/) and its endpoint (POST /api/v1/wechat/v3/keyring): the
issue's JSON shape field by field, plain and htmx posts, secrets used and never echoed, refusals
in the user's language."""

from __future__ import annotations

import json
import re

import pytest
from cryptography import x509
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharing.models import SharedResult
from tests.diagnostics.wechat_v3.test_keyring import (
    API_KEY,
    APIV3_KEY,
    MCHID,
    MERCHANT_SERIAL,
    PLATFORM_SERIAL,
    PUB_KEY_ID,
    certificates_answer,
    merchant_cert,
    pem,
    private_pem,
    wechatpay_public_pem,
)
from tests.web.test_secrets_everywhere import (
    SECRET_NAMES,
    encodings,
    formats,
    secrets_,
    share_paths,
)
from tests.web.test_security import database_text
from tests.web.test_sharing import share_link

pytestmark = pytest.mark.django_db

PAGE = "/wechat/v3/keyring/"
RUN = "/wechat/v3/keyring/run"
API = "/api/v1/wechat/v3/keyring"
JOBS = [
    "sign_requests",
    "verify_responses",
    "verify_callbacks",
    "decrypt_callbacks",
    "encrypt_sensitive_fields",
]


def blob() -> str:
    return "\n".join(
        [private_pem(), pem(merchant_cert()), certificates_answer(), f"apiv3_key={APIV3_KEY}"]
    )


def secret_parts() -> list[str]:
    """Pieces of every secret pasted: none may appear in a page, an answer or a share."""
    body = "".join(private_pem().splitlines()[1:-1])
    return [APIV3_KEY, API_KEY, APIV3_KEY[:12], APIV3_KEY[-12:], body[40:80], body[-60:-20]]


def assert_no_secret(text: str) -> None:
    for part in secret_parts():
        assert part not in text, part


def post_api(client, payload, **headers):
    return client.post(API, json.dumps(payload), content_type="application/json", **headers)


def test_the_page_has_the_form_with_secret_fields_and_the_slow_live_update(client):
    body = client.get(PAGE).content.decode()
    assert f'action="{RUN}"' in body and f'hx-post="{RUN}"' in body and 'method="post"' in body
    assert 'name="private_key"' in body and 'name="apiv3_key"' in body and 'name="key"' in body
    assert body.count('type="password"') == 2
    assert "change delay:1s" in body  # a form that loads private keys waits before it runs


def test_the_v3_card_and_the_tabs_list_the_page(client):
    assert PAGE in client.get("/").content.decode()
    assert PAGE in client.get("/wechat/v3/verify/").content.decode()


@pytest.mark.parametrize("htmx", [False, True])
def test_a_post_shows_jobs_relations_and_items_and_echoes_no_secret(client, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    data = {"private_key": blob(), "key": API_KEY, "mchid": MCHID, "wechatpay_serial": ""}
    response = client.post(RUN, data, **headers)
    page = response.content.decode()
    assert response.status_code == 200
    assert ("<html" in page) is not htmx
    ready = dict(re.findall(r'data-job="(\w+)" data-ready="(\w+)"', page))
    assert list(ready) == JOBS
    assert ready == {
        "sign_requests": "true",
        "verify_responses": "true",
        "verify_callbacks": "true",
        "decrypt_callbacks": "true",
        "encrypt_sensitive_fields": "true",
    }
    relations = re.findall(r'data-code="(\w+)" data-ok="(\w+)"', page)
    assert ("key_pair", "true") in relations and ("apiv3_key_decrypts", "true") in relations
    assert ("mchid_subject", "true") in relations and ("api_key_is_apiv3_key", "true") in relations
    assert format(MERCHANT_SERIAL, "040X") in page and format(PLATFORM_SERIAL, "040X") in page
    assert "CN=Tenpay.com sign" in page
    assert_no_secret(page)


def test_a_wrong_pair_and_a_wrong_serial_are_shown_as_failed_relations(client):
    data = {"private_key": blob(), "serial_no": str(MERCHANT_SERIAL), "mchid": "1230000109"}
    page = client.post(RUN, data).content.decode()
    relations = dict(re.findall(r'data-code="(\w+)" data-ok="(\w+)"', page))
    assert relations["serial_certificate"] == "false" and relations["mchid_subject"] == "false"


def test_nothing_recognised_is_a_400_in_the_users_language(client):
    chinese = client.post(RUN, {"private_key": "hello"})
    assert chinese.status_code == 400 and "没有认出" in chinese.content.decode()
    english = client.post(RUN, {"private_key": "hello"}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400 and "Nothing was recognised" in english.content.decode()
    empty = client.post(RUN, {})
    assert empty.status_code == 400


def test_a_bad_mchid_field_is_a_400(client):
    response = client.post(RUN, {"private_key": pem(merchant_cert()), "mchid": "商户号"})
    assert response.status_code == 400


def test_a_share_keeps_no_secret(client):
    data = {"private_key": blob(), "key": API_KEY, "mchid": MCHID, "share": "1"}
    live = client.post(RUN, data)
    stored = SharedResult.objects.get()
    assert_no_secret(json.dumps([stored.result, stored.inputs], ensure_ascii=False))
    shared = client.get(share_link(live)).content.decode()
    assert 'data-job="sign_requests"' in shared
    assert_no_secret(shared)


def test_the_english_page_translates_the_verdicts(client):
    data = {"private_key": blob(), "mchid": MCHID}
    page = client.post(RUN, data, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    result = page[page.index('id="result"') :]
    assert not re.search(r"[\u4e00-\u9fff]", re.sub(r"<code>.*?</code>", "", result))


# --- the JSON API -------------------------------------------------------------------------------


def test_the_api_answers_the_issue_shape_field_by_field(client):
    merchant = merchant_cert()
    payload = {
        "items": [
            private_pem(),
            pem(merchant) + "\n" + wechatpay_public_pem(),
            PUB_KEY_ID,
            certificates_answer(),
            APIV3_KEY,
        ],
        "mchid": MCHID,
        "wechatpay_serial": format(PLATFORM_SERIAL, "040X"),
    }
    response = post_api(client, payload)
    assert response.status_code == 200
    answer = response.json()
    assert set(answer) == {"items", "relations", "jobs", "findings"}
    items = answer["items"]
    assert [item["kind"] for item in items] == [
        "private_key",
        "merchant_certificate",
        "wechatpay_public_key",
        "public_key_id",
        "certificates_answer",
        "platform_certificate",
        "apiv3_key",
        "mchid",
        "wechatpay_serial",
    ]
    for item in items:
        assert set(item) <= {
            "kind", "label", "serial", "not_before", "not_after", "subject", "public_key_id"
        }  # fmt: skip
        assert isinstance(item["label"], str) and item["label"]
    assert set(items[0]) == {"kind", "label"}  # a secret: its kind and words, nothing else
    assert items[1] == {
        "kind": "merchant_certificate",
        "label": items[1]["label"],
        "serial": format(merchant.serial_number, "040X"),
        "not_before": merchant.not_valid_before_utc.isoformat(),
        "not_after": merchant.not_valid_after_utc.isoformat(),
        "subject": merchant.subject.rfc4514_string(),
    }
    assert items[2]["public_key_id"] == PUB_KEY_ID and items[3]["public_key_id"] == PUB_KEY_ID
    platform = x509.load_pem_x509_certificate(pem_of_answer().encode())
    assert items[5]["serial"] == format(platform.serial_number, "040X")
    assert items[5]["subject"] == platform.subject.rfc4514_string()
    assert set(items[6]) == {"kind", "label"}
    for relation in answer["relations"]:
        assert set(relation) == {"code", "ok", "message"}
        assert isinstance(relation["ok"], bool) and relation["message"]
    codes = {(r["code"], r["ok"]) for r in answer["relations"]}
    assert {("key_pair", True), ("apiv3_key_decrypts", True), ("wechatpay_serial", True),
            ("mchid_subject", True), ("answer_serial", True), ("apiv3_key_length", True)} <= codes  # fmt: skip
    assert [job["job"] for job in answer["jobs"]] == JOBS
    for job in answer["jobs"]:
        assert set(job) == {"job", "ready", "use", "message"}
        assert job["ready"] is True and job["message"]
        assert all(0 <= index < len(items) for index in job["use"])
    uses = {job["job"]: [items[i]["kind"] for i in job["use"]] for job in answer["jobs"]}
    assert uses["sign_requests"] == ["private_key", "merchant_certificate", "mchid"]
    assert uses["verify_responses"] == ["platform_certificate"]  # named by Wechatpay-Serial
    assert uses["decrypt_callbacks"] == ["apiv3_key"]
    assert uses["encrypt_sensitive_fields"] == ["wechatpay_public_key", "public_key_id"]
    for finding in answer["findings"]:
        assert set(finding) == {"code", "message", "source", "field", "severity"}
    assert "switch_both" in {f["code"] for f in answer["findings"]}
    assert_no_secret(response.content.decode())
    assert_no_secret(json.dumps(answer, ensure_ascii=False))


def pem_of_answer() -> str:
    from tests.diagnostics.wechat_v3.test_keyring import platform_cert

    return pem(platform_cert())


def test_the_api_says_what_is_missing_for_each_job(client):
    answer = post_api(client, {"items": [APIV3_KEY]}).json()
    assert [item["kind"] for item in answer["items"]] == ["apiv3_or_api_key"]
    assert [job["ready"] for job in answer["jobs"]] == [False] * 5
    assert answer["jobs"][3]["use"] == [0]
    assert "key_ambiguous" in {f["code"] for f in answer["findings"]}
    assert answer["relations"] == []


def test_the_api_refuses_empty_items_and_unreadable_input_in_the_users_language(client):
    empty = post_api(client, {"items": []})
    assert empty.status_code == 400 and empty.json()["error"]["code"] == "invalid_request"
    english = post_api(client, {"items": ["hello"]}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400
    assert english.json()["error"]["code"] == "keyring_empty"
    assert "Nothing was recognised" in english.json()["error"]["message"]


def test_the_api_answers_in_english(client):
    answer = post_api(client, {"items": [blob()], "mchid": MCHID}, HTTP_ACCEPT_LANGUAGE="en").json()
    texts = [item["label"] for item in answer["items"]]
    texts += [r["message"] for r in answer["relations"]] + [j["message"] for j in answer["jobs"]]
    texts += [f["message"] for f in answer["findings"]]
    for text in texts:
        assert not re.search(r"[\u4e00-\u9fff]", text), text


# --- secrets in any shape, pasted anywhere (as tests/web/test_secrets_everywhere.py does for the
# other pages) ---------------------------------------------------------------------------------


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    secret=secrets_,
    typed=secrets_,
    name=st.sampled_from(SECRET_NAMES),
    fmt=st.sampled_from(["xml", "json", "query", "lines", "colon", "js", "java", "code", "python"]),
    htmx=st.booleans(),
)
def test_a_secret_pasted_or_typed_is_nowhere_afterwards(
    client, caplog, secret, typed, name, fmt, htmx
):
    SharedResult.objects.all().delete()
    caplog.clear()
    before = database_text()
    paste = formats(name, secret)[fmt] + "\n" + pem(merchant_cert())
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    form = {"private_key": paste, "apiv3_key": typed, "key": typed, "share": "1"}
    response = client.post(RUN, form, **headers)
    assert response.status_code < 500
    seen = [response.content.decode(), caplog.text]
    seen += [client.get(path).content.decode() for path in share_paths(seen[0])]
    api = post_api(client, {"items": [paste, typed]})
    assert api.status_code < 500
    seen.append(api.content.decode())
    after = database_text()
    for value in (secret, typed):
        for output in seen:
            for form_ in encodings(value):
                assert form_ not in output
        for form_ in encodings(value):
            assert after.count(form_) == before.count(form_)
