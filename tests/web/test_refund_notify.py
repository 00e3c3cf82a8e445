"""The V2 refund notification page (/wechat/v2/refund-notify/) and its endpoint
(POST /api/v1/wechat/v2/refund-notify/decrypt): req_info made here with cryptography, the key
never echoed, the plaintext withheld from a share unless asked for."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from sharing.models import SharedResult
from tests.web.test_sharing import share_link

pytestmark = pytest.mark.django_db

PAGE = "/wechat/v2/refund-notify/"
RUN = "/wechat/v2/refund-notify/run"
API = "/api/v1/wechat/v2/refund-notify/decrypt"
API_KEY = "Hn4Bv6Cx8Zl0Kj2Hg4Fd6Sa8Qw0Er2Ty"  # 32 characters, made up
WRONG_KEY = "Mn3Bv5Cx7Zl9Kj1Hg3Fd5Sa7Qw9Er1Ty"
PLAINTEXT = (
    "<root><out_refund_no><![CDATA[RF-7731-0042]]></out_refund_no>"
    "<out_trade_no><![CDATA[OT-7731-0042]]></out_trade_no>"
    "<refund_fee><![CDATA[4217]]></refund_fee>"
    "<settlement_refund_fee><![CDATA[4217]]></settlement_refund_fee>"
    "<refund_status><![CDATA[SUCCESS]]></refund_status>"
    "<success_time><![CDATA[2026-11-28 09:30:00]]></success_time>"
    "<refund_recv_accout><![CDATA[BANK-CARD-0403]]></refund_recv_accout></root>"
)
VALUES = ("RF-7731-0042", "OT-7731-0042", "4217", "BANK-CARD-0403")


def req_info(plaintext: str = PLAINTEXT, api_key: str = API_KEY) -> str:
    """AES-256-ECB/PKCS#7 under the lower-case hex MD5 of the key, with cryptography directly."""
    key = hashlib.md5(api_key.encode()).hexdigest().encode()
    padder = padding.PKCS7(128).padder()
    data = padder.update(plaintext.encode()) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode()


def notification(api_key: str = API_KEY) -> str:
    return (
        "<xml><return_code>SUCCESS</return_code><appid><![CDATA[wx2421b1c4370ec43b]]></appid>"
        "<mch_id><![CDATA[10000100]]></mch_id>"
        f"<req_info><![CDATA[{req_info(api_key=api_key)}]]></req_info></xml>"
    )


def test_the_page_has_a_form_that_works_with_and_without_htmx(client):
    body = client.get(PAGE).content.decode()
    assert f'action="{RUN}"' in body and f'hx-post="{RUN}"' in body and 'method="post"' in body
    assert 'type="password"' in body and 'name="key"' in body


def test_the_v2_home_card_and_the_navigation_list_the_page(client):
    assert PAGE in client.get("/").content.decode()


def test_a_plain_post_shows_the_decrypted_fields_as_a_table(client):
    response = client.post(RUN, {"notification": notification(), "key": API_KEY})
    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body
    for value in VALUES:
        assert f"<code>{value}</code>" in body
    assert "<code>settlement_refund_fee</code>" in body and "退款金额" in body
    assert "Illegal key size" in body  # what differs in the merchant's code
    assert API_KEY not in body


def test_an_htmx_post_answers_the_result_fragment(client):
    response = client.post(
        RUN, {"notification": req_info(), "key": API_KEY}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'id="result"' in body and "<code>RF-7731-0042</code>" in body


@pytest.mark.parametrize("htmx", [False, True])
def test_a_wrong_key_is_a_400_naming_bad_padding_and_the_slips_tried(client, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(RUN, {"notification": notification(), "key": WRONG_KEY}, **headers)
    body = response.content.decode()
    assert response.status_code == 400 and ("<html" in body) is not htmx
    assert "Given final block not properly padded" in body
    for code in ("raw_key_as_aes_key", "uppercase_md5", "apiv3_key_lookalike"):
        assert f'data-code="{code}"' in body
    assert WRONG_KEY not in body


def test_an_upper_case_md5_pasted_as_the_key_is_found_and_never_echoed(client):
    pasted = hashlib.md5(API_KEY.encode()).hexdigest().upper()
    body = client.post(RUN, {"notification": notification(), "key": pasted}).content.decode()
    assert 'data-code="raw_key_as_aes_key" class="finding blocking"' in body
    assert pasted not in body and pasted.lower() not in body


def test_bad_input_is_a_400_in_the_users_language(client):
    chinese = client.post(RUN, {"notification": "not*base64", "key": API_KEY})
    assert chinese.status_code == 400 and "不是 Base64" in chinese.content.decode()
    english = client.post(
        RUN, {"notification": "not*base64", "key": API_KEY}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.status_code == 400 and "is not Base64" in english.content.decode()


def test_the_english_result_has_no_chinese_left_but_the_merchants_own(client):
    body = client.post(
        RUN, {"notification": notification(), "key": API_KEY}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    result = re.search(r'<section id="result".*?</section>', body, re.S)
    assert result
    visible = re.sub(r"<[^>]+>", " ", result.group())
    assert not re.findall(r"[\u4e00-\u9fff]+", visible)
    assert "Refund amount" in body and "req_info decrypted" in body


def test_a_share_keeps_the_field_names_but_no_values_by_default(client):
    live = client.post(RUN, {"notification": notification(), "key": API_KEY, "share": "1"})
    assert "分享时包含解密后的明文" in live.content.decode()
    body = client.get(share_link(live)).content.decode()
    stored = json.dumps(SharedResult.objects.get().result, ensure_ascii=False)
    assert "<code>out_refund_no</code>" in body and 'data-code="plaintext_withheld"' in body
    for value in VALUES:
        assert value not in body and value not in stored
    assert API_KEY not in body and API_KEY not in stored
    assert API_KEY not in json.dumps(SharedResult.objects.get().inputs)


def test_a_share_keeps_the_plaintext_only_when_asked_and_never_the_key(client):
    form = {"notification": notification(), "key": API_KEY, "share": "1", "share_plaintext": "on"}
    body = client.get(share_link(client.post(RUN, form))).content.decode()
    assert "<code>RF-7731-0042</code>" in body and "BANK-CARD-0403" in body
    assert API_KEY not in body


# --- the JSON endpoint, in the shape ------------------------------------------------


def post_api(client, payload, **headers):
    return client.post(API, json.dumps(payload), content_type="application/json", **headers)


@pytest.mark.parametrize("field", ["notification", "req_info"])
def test_the_api_answers_plaintext_fields_and_findings(client, field):
    text = notification() if field == "notification" else req_info()
    response = post_api(client, {field: text, "key": API_KEY})
    assert response.status_code == 200
    answer = response.json()
    assert set(answer) == {"plaintext", "fields", "findings"}
    assert answer["plaintext"] == PLAINTEXT
    assert answer["fields"]["out_refund_no"] == "RF-7731-0042"
    assert list(answer["fields"])[:2] == ["out_refund_no", "out_trade_no"]
    assert "req_info_decrypted" in [finding["code"] for finding in answer["findings"]]
    assert API_KEY not in response.content.decode()


def test_the_api_names_a_wrong_key_with_the_mistakes_tried(client):
    response = post_api(client, {"req_info": req_info(), "key": WRONG_KEY})
    assert response.status_code == 400
    answer = response.json()
    assert answer["error"]["code"] == "bad_padding"
    assert "padded" in answer["error"]["message"]
    codes = [mistake["code"] for mistake in answer["mistakes"]]
    assert "uppercase_md5" in codes and "apiv3_key_lookalike" in codes
    assert answer["error"]["mistakes"] == answer["mistakes"]
    assert not any(mistake["decrypts"] for mistake in answer["mistakes"])
    assert WRONG_KEY not in response.content.decode()


def test_the_api_names_the_slip_that_opens_it(client):
    response = post_api(client, {"req_info": req_info(), "key": API_KEY + "\n"})
    answer = response.json()
    assert response.status_code == 400 and answer["mistakes"][0]["code"] == "key_whitespace"
    assert answer["mistakes"][0]["decrypts"] is True


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"req_info": "abc*def", "key": API_KEY}, "not_base64"),
        ({"req_info": base64.b64encode(b"x" * 20).decode(), "key": API_KEY}, "bad_length"),
        ({"notification": "<xml><return_code>FAIL</return_code></xml>", "key": API_KEY},
         "not_refund_notification"),
        ({"key": API_KEY}, "req_info_missing"),
    ],
)  # fmt: skip
def test_the_api_refuses_unreadable_input_in_the_error_shape(client, payload, code):
    response = post_api(client, payload, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": code, "message": response.json()["error"]["message"]}
    }
    assert not re.search(r"[\u4e00-\u9fff]", response.json()["error"]["message"])


def test_the_workbench_endpoint_runs_the_page_too(client):
    response = post_api_path(
        client, "/api/v1/workbenches/wechat_v2.refund-notify",
        {"values": {"notification": notification(), "key": API_KEY}},
    )  # fmt: skip
    assert response.status_code == 200
    fields = response.json()["result"]["refund"]["fields"]
    assert ["out_refund_no", "商户退款单号", "RF-7731-0042"] in fields
    assert API_KEY not in response.content.decode()


def post_api_path(client, path, payload):
    return client.post(path, json.dumps(payload), content_type="application/json")
