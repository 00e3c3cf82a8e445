"""POST /api/v1/inspect and the /inspect page: the parts of a paste, their routes, secrets never
in the answer, and one post from the paste to the target workbench's computed result."""

from __future__ import annotations

import hashlib
import json

import pytest

from tests.diagnostics.core.test_inspect import CASES as CORPUS_CASES
from tests.diagnostics.core.test_inspect import filled
from tests.web import keys

V2_KEY = "192006250b4c09247ec02edce69f6a2d"
APIV3_KEY = "0123456789abcdef0123456789abcdef"
REPLY = (
    "<xml><return_code>SUCCESS</return_code><result_code>FAIL</result_code>"
    "<err_code>SIGNERROR</err_code><err_code_des>签名错误</err_code_des></xml>"
)


def v2_notification(key: str) -> str:
    params = {
        "appid": "wx2421b1c4370ec43b",
        "mch_id": "10000100",
        "nonce_str": "5d2b6c2a8db53831f7eda20af46e531c",
        "out_trade_no": "1409811653",
        "result_code": "SUCCESS",
        "return_code": "SUCCESS",
        "time_end": "20140903131540",
        "total_fee": "1",
        "transaction_id": "1004400740201409030005092168",
    }
    string1 = "&".join(f"{name}={params[name]}" for name in sorted(params))
    sign = hashlib.md5(f"{string1}&key={key}".encode()).hexdigest().upper()
    return (
        "<xml>" + "".join(f"<{k}>{v}</{k}>" for k, v in {**params, "sign": sign}.items()) + "</xml>"
    )


def api(client, payload):
    return client.post("/api/v1/inspect", json.dumps(payload), content_type="application/json")


@pytest.mark.django_db
def test_the_api_answers_parts_in_order_with_routes(client) -> None:
    text = "log: " + v2_notification(V2_KEY) + "\n2026-11-28 ERROR reply " + REPLY
    response = api(client, {"text": text})
    assert response.status_code == 200
    answer = response.json()
    assert set(answer) == {"parts", "findings"}
    kinds = [part["kind"] for part in answer["parts"]]
    assert kinds == ["wechat_v2_notification", "wechat_v2_reply"]
    first = answer["parts"][0]
    assert set(first) >= {"kind", "platform", "span", "summary", "route", "confidence"}
    assert first["route"]["page"] == "wechat_v2:notify"
    start, end = first["span"]
    assert text[start:end].startswith("<xml>")
    assert answer["parts"][1]["route"] == {
        "page": "diagnose",
        "fields": {"q": "SIGNERROR 签名错误", "platform": "wechat_v2"},
        "secret_fields": [],
    }


@pytest.mark.django_db
def test_secrets_in_the_paste_are_never_in_the_answer(client) -> None:
    text = (
        keys.private_pem()
        + "\nkey="
        + V2_KEY
        + "\napiv3_key: "
        + APIV3_KEY
        + "\n"
        + v2_notification(V2_KEY)
        + '\n{"id":"EV-1","resource":{"ciphertext":"AAAA","nonce":"n","associated_data":"a"}}'
    )
    response = api(client, {"text": text})
    assert response.status_code == 200
    body = response.content.decode()
    assert V2_KEY not in body
    assert APIV3_KEY not in body
    assert keys.private_pem().splitlines()[1] not in body
    parts = response.json()["parts"]
    secret_fields = {part["route"]["page"]: part["route"]["secret_fields"] for part in parts}
    assert secret_fields["wechat_v2:notify"] == ["key"]
    assert secret_fields["wechat_v3:decrypt"] == ["apiv3_key"]
    assert secret_fields["wechat_v3:keyring"] == ["apiv3_key", "key", "private_key"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "status"),
    [({}, 400), ({"text": ""}, 400), ({"text": 3}, 400), ({"text": "x" * 300_000}, 413)],
)
def test_bad_input_is_a_4xx_with_the_error_shape(client, payload, status) -> None:
    response = api(client, payload)
    assert 400 <= response.status_code < 500
    assert set(response.json()) == {"error"}


@pytest.mark.django_db
def test_the_page_and_the_home_box_are_there(client) -> None:
    assert b'name="text"' in client.get("/inspect").content
    home = client.get("/")
    assert b'action="/inspect"' in home.content
    assert len(home.content) < 100 * 1024


@pytest.mark.django_db
def test_one_confident_part_goes_straight_to_its_computed_answer(client) -> None:
    """The V2 notification and its key: one post, the notify workbench's report, the key used
    (the sign matches, checked here with hashlib) and never shown."""
    text = v2_notification(V2_KEY) + "\nkey=" + V2_KEY
    response = client.post("/inspect", {"text": text})
    assert response.status_code == 200
    page = response.content.decode()
    sign = text.split("<sign>")[1].split("</sign>")[0]
    assert sign in page
    assert V2_KEY not in page
    assert "report" in response.context and response.context["report"]["match"] is not False


@pytest.mark.django_db
def test_a_reply_goes_to_the_diagnosis(client) -> None:
    response = client.post("/inspect", {"text": REPLY})
    assert response.status_code == 200
    assert "SIGNERROR" in response.content.decode()


@pytest.mark.django_db
def test_several_parts_are_listed_with_a_button_each_and_the_text_redacted(client) -> None:
    text = v2_notification(V2_KEY) + "\nkey=" + V2_KEY + "\n" + REPLY
    response = client.post("/inspect", {"text": text})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('name="part"') >= 2
    assert V2_KEY not in page
    chosen = client.post("/inspect", {"text": text, "part": "1"})
    assert chosen.status_code == 200
    assert "SIGNERROR" in chosen.content.decode()


@pytest.mark.django_db
def test_the_page_refuses_an_empty_paste(client) -> None:
    response = client.post("/inspect", {"text": " "})
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("case", CORPUS_CASES, ids=[c["name"] for c in CORPUS_CASES])
def test_every_corpus_paste_posts_to_an_answer_without_showing_a_secret(client, case) -> None:
    """Straight to the workbench (or the list of parts), never a 500, never a secret shown."""
    text = filled(case["text"])
    response = client.post("/inspect", {"text": text})
    assert response.status_code in (200, 400), response.status_code
    page = response.content.decode()
    assert keys.private_pem().splitlines()[1] not in page
    for secret in (V2_KEY, APIV3_KEY):
        assert secret not in page
    for index in range(len(case["expect"])):
        chosen = client.post("/inspect", {"text": text, "part": str(index)})
        assert chosen.status_code in (200, 400, 413)
        assert keys.private_pem().splitlines()[1] not in chosen.content.decode()


V3_RESOURCE = {
    "algorithm": "AEAD_AES_256_GCM",
    "ciphertext": "5GFqkZsCC3hEnwJ0dDkWOQzRJXGGUcDCTTKvqGPzY9cr3yEbTjtj",
    "associated_data": "transaction",
    "nonce": "fdasflkja484",
}
V3_NOTIFICATION = json.dumps(
    {"id": "EV-7", "event_type": "TRANSACTION.SUCCESS", "resource": V3_RESOURCE}
)
WECHATPAY_HEADERS = (
    "Wechatpay-Timestamp: 1554209980\nWechatpay-Nonce: c5ac7061fccab6bf3e254dcf98995b8c\n"
    "Wechatpay-Signature: QUJD\nWechatpay-Serial: 5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
)


def field_value(page: str, name: str) -> str:
    """The value an input or textarea named ``name`` shows (the page's HTML, unescaped)."""
    import html
    import re

    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>([^<]*)</textarea>', page) or re.search(
        rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page
    )
    # Django writes a newline after <textarea>, which the browser drops.
    return html.unescape(match.group(1)).removeprefix("\n") if match else ""


@pytest.mark.django_db
def test_a_notification_without_keys_offers_verification_and_decryption(client) -> None:
    """Headers and body, no certificate and no APIv3 key: the answer lists the notification with
    both pages a button away; each opens with everything the paste holds filled in."""
    text = WECHATPAY_HEADERS + "\n\n" + V3_NOTIFICATION
    listed = client.post("/inspect", {"text": text})
    assert listed.status_code == 200
    assert listed.content.decode().count('name="part"') == 2
    verify = client.post("/inspect", {"text": text, "part": "0"}).content.decode()
    assert field_value(verify, "timestamp") == "1554209980"
    assert field_value(verify, "serial") == "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
    assert field_value(verify, "body") == V3_NOTIFICATION
    decrypt = client.post("/inspect", {"text": text, "part": "0.0"})
    page = decrypt.content.decode()
    for name in ("nonce", "ciphertext", "associated_data"):
        assert field_value(page, name) == V3_RESOURCE[name]
    assert decrypt.status_code == 400  # the APIv3 key is asked for, everything else is there
    assert "APIv3 密钥" in page


@pytest.mark.django_db
def test_a_notification_with_the_certificate_goes_straight_to_verification(client) -> None:
    text = WECHATPAY_HEADERS + "\n\n" + V3_NOTIFICATION + "\n\n" + keys.certificate_pem()
    response = client.post("/inspect", {"text": text})
    assert response.templates[0].name == "diagnostics/task.html"
    assert response.context["task"].workbench == "wechat_v3:verify"
    assert field_value(response.content.decode(), "nonce") == "c5ac7061fccab6bf3e254dcf98995b8c"


@pytest.mark.django_db
def test_the_box_answers_htmx_with_the_parts_and_buttons_that_post_the_box(client) -> None:
    """htmx: a fragment (no page), the parts and their buttons, nothing run, no secret and no
    paste sent back; the buttons submit the box's own form."""
    text = v2_notification(V2_KEY) + "\nkey=" + V2_KEY + "\n" + REPLY
    response = client.post("/inspect", {"text": text}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert 'id="inspect-answer"' in page
    assert page.count('form="inspect-form"') == 2  # one page each
    assert V2_KEY not in page
    assert "<sign>" not in page and "transaction_id" not in page
    assert "wechat_v2_notification" in page and "wechat_v2_reply" in page
    assert response["Vary"] and "HX-Request" in response["Vary"]


@pytest.mark.django_db
def test_the_box_answers_htmx_for_an_emptied_box_with_nothing(client) -> None:
    response = client.post("/inspect", {"text": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<li" not in response.content.decode()


@pytest.mark.django_db
def test_the_plain_post_of_the_same_box_goes_to_the_page(client) -> None:
    response = client.post("/inspect", {"text": REPLY})
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


# 000 #2: the jump to the Pay Score 开启服务页.
PAYSCORE_ENABLE = {
    "mch_id": "1230000109",
    "service_id": "88888888000011",
    "out_request_no": "1234323JKHDFE1243252",
    "timestamp": "1530097563",
    "nonce_str": "zyx53Nkey8o4bHpxTQvd8m7e92nG5mG2",
    "sign_type": "HMAC-SHA256",
}


def payscore_sign(key: str) -> str:
    """The jump's sign as 000 #2 asks: HMAC-SHA256 under the API key (hmac, here)."""
    import hmac

    string1 = "&".join(f"{name}={PAYSCORE_ENABLE[name]}" for name in sorted(PAYSCORE_ENABLE))
    return (
        hmac.new(key.encode(), f"{string1}&key={key}".encode(), hashlib.sha256).hexdigest().upper()
    )


@pytest.mark.django_db
def test_a_pay_score_jump_goes_to_its_preset_with_the_sign_computed(client) -> None:
    sign = payscore_sign(V2_KEY)
    query = "&".join(f"{name}={value}" for name, value in PAYSCORE_ENABLE.items())
    text = f"api_key={V2_KEY}\nextraData query: {query}&sign={sign}"
    response = client.post("/inspect", {"text": text})
    page = response.content.decode()
    assert response.context["preset"].slug == "payscore-enable"
    assert sign in page
    assert V2_KEY not in page


@pytest.mark.django_db
def test_the_sandbox_getsignkey_answer_goes_to_the_sandbox_remedy_without_its_key(client) -> None:
    sandbox_key = "5f3c9a1e7b2d4068ac1e9f7b3d5a2c84"
    text = (
        "<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[ok]]></return_msg>"
        f"<sandbox_signkey><![CDATA[{sandbox_key}]]></sandbox_signkey></xml>"
    )
    response = client.post("/inspect", {"text": text})
    page = response.content.decode()
    assert response.status_code == 200
    assert "沙箱验证签名失败" in page
    assert sandbox_key not in page
    answer = api(client, {"text": text}).content.decode()
    assert sandbox_key not in answer
