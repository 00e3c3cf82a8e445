"""The Alipay pages (/alipay/sign/, /alipay/notify/, /alipay/response/) and their endpoints
(POST /api/v1/alipay/sign, /verify-notify, /verify-response): signatures checked with
cryptography, Alipay's Node SDK vectors, the private key never in an answer or a share."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote_plus

import pytest
from cryptography.hazmat.primitives import hashes

from tests.diagnostics.alipay.helpers import REQUEST, joined, node_vectors
from tests.web import keys
from tests.web.test_sharing import share_link

pytestmark = pytest.mark.django_db

PARAMS = "\n".join(f"{n}={v}" for n, v in REQUEST)
STRING = joined(REQUEST)
PRIVATE_MARK = "PRIVATE KEY"


def private_body(key_pem: str) -> str:
    """The base64 inside a PEM, the part a leak would show."""
    return "".join(key_pem.strip().splitlines()[1:-1])


def pre(body: str, element_id: str) -> str:
    match = re.search(rf'<pre id="{element_id}">(.*?)</pre>', body, re.S)
    assert match, element_id
    return html.unescape(match.group(1))


def post_api(client, path: str, payload: dict, **headers):
    return client.post(
        f"/api/v1/alipay/{path}", json.dumps(payload), content_type="application/json", **headers
    )


# --- pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("task", ["sign", "notify", "response"])
def test_each_page_has_a_form_that_works_with_and_without_htmx(client, task):
    body = client.get(f"/alipay/{task}/").content.decode()
    run = f"/alipay/{task}/run"
    assert f'action="{run}"' in body and f'hx-post="{run}"' in body and 'method="post"' in body


def test_the_home_page_lists_the_alipay_workbenches(client):
    body = client.get("/").content.decode()
    assert "/alipay/sign/" in body and "/alipay/notify/" in body


def test_a_plain_post_shows_every_step_and_a_sign_that_verifies(client):
    response = client.post(
        "/alipay/sign/run", {"params": PARAMS, "private_key": keys.private_pem()}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body
    assert pre(body, "string-to-sign") == STRING
    assert keys.verify(STRING, pre(body, "sign"), hashes.SHA256())
    assert PRIVATE_MARK not in body and private_body(keys.private_pem()) not in body


def test_an_htmx_post_answers_the_result_fragment(client):
    response = client.post(
        "/alipay/sign/run",
        {"params": PARAMS, "private_key": keys.private_pem()},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert pre(body, "string-to-sign") == STRING


def test_a_url_encoded_sign_is_found_as_the_mistake(client):
    theirs = keys.sign_sha256("&".join(f"{n}={quote_plus(v)}" for n, v in sorted(REQUEST)))
    body = client.post(
        "/alipay/sign/run",
        {"params": PARAMS, "private_key": keys.private_pem(), "expected_sign": theirs},
    ).content.decode()
    assert "sign 不一致" in body and 'data-code="values_urlencoded"' in body


def test_the_gateway_answer_is_compared_character_by_character(client):
    arrived = STRING.replace("2014-07-24 03:07:50", "2014-07-24+03:07:50").replace("&", "&amp;")
    answer = (
        "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为："
        + arrived
    )
    body = client.post(
        "/alipay/sign/run",
        {"params": PARAMS, "private_key": keys.private_pem(), "gateway_answer": answer},
    ).content.decode()
    assert 'data-equal="false"' in body and 'data-code="gateway_string_differs"' in body
    assert '<mark class="del">+</mark>' in body


def test_bad_input_is_a_400_with_a_message_and_no_key(client):
    response = client.post("/alipay/sign/run", {"params": PARAMS, "private_key": keys.public_pem()})
    assert response.status_code == 400
    assert "这里需要私钥" in response.content.decode()
    response = client.post(
        "/alipay/notify/run", {"params": "a=1", "public_key": keys.private_pem()}
    )
    assert response.status_code == 400 and PRIVATE_MARK not in response.content.decode()


def test_a_share_of_a_sign_keeps_the_steps_and_never_the_private_key(client):
    live = client.post(
        "/alipay/sign/run", {"params": PARAMS, "private_key": keys.private_pem(), "share": "1"}
    )
    shared = client.get(share_link(live)).content.decode()
    assert pre(shared, "string-to-sign") == STRING
    assert PRIVATE_MARK not in shared and private_body(keys.private_pem()) not in shared


def test_the_node_sdk_notification_verifies_on_the_page(client):
    vector = node_vectors()["notify_service_market"]
    params = "\n".join(f"{n}={v}" for n, v in vector["params"].items())
    body = client.post(
        "/alipay/notify/run", {"params": params, "public_key": vector["public_key"]}
    ).content.decode()
    assert "通知验签通过" in body and 'data-code="sign_type_signed_notification"' in body


def test_the_app_public_key_pasted_as_alipay_key_is_said_on_the_page(client):
    signed = {"app_id": "1", "charset": "utf-8", "out_trade_no": "7"}
    params = (
        "&".join(f"{n}={v}" for n, v in signed.items())
        + "&sign="
        + quote_plus(keys.sign_sha256("x"))
    )
    body = client.post(
        "/alipay/notify/run",
        {"params": params, "public_key": keys.public_pem(), "private_key": keys.private_pem()},
    ).content.decode()
    assert 'data-code="app_public_key_used"' in body and PRIVATE_MARK not in body


def test_the_node_sdk_response_verifies_on_the_page(client):
    vector = node_vectors()["response"]
    body = client.post(
        "/alipay/response/run", {"body": vector["body"], "public_key": vector["public_key"]}
    ).content.decode()
    assert "应答验签通过" in body and "alipay_open_file_upload_response" in body
    assert pre(body, "signed-content") == vector["signed_content"]


# --- JSON API -------------------------------------------------------------------------------


def test_the_sign_endpoint_answers_the_string_a_verifying_sign_and_what_to_send(client):
    response = post_api(
        client, "sign", {"params": dict(REQUEST), "private_key": keys.private_pem()}
    )
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["string_to_sign"] == STRING and answer["match"] is None
    assert keys.verify(STRING, answer["sign"], hashes.SHA256())
    assert "sign=" in answer["corrected"]
    assert PRIVATE_MARK not in response.content.decode()


def test_the_sign_endpoint_names_the_mistake_and_reads_raw_text(client):
    theirs = keys.sign_sha256(joined([p for p in REQUEST if p[0] != "sign_type"]))
    answer = post_api(
        client,
        "sign",
        {"raw": PARAMS, "private_key": keys.private_pem(), "expected_sign": theirs},
    ).json()
    assert answer["match"] is False
    assert answer["mistakes"][0]["code"] == "sign_type_left_out"
    assert "sign_type" not in answer["mistakes"][0]["string_to_sign"]


def test_the_sign_endpoint_takes_the_echoed_string_alone_as_gateway_string(client):
    without_sign_type = joined([p for p in REQUEST if p[0] != "sign_type"])
    for echoed, equal in ((STRING, True), (without_sign_type, False)):
        answer = post_api(
            client,
            "sign",
            {"params": dict(REQUEST), "private_key": keys.private_pem(), "gateway_string": echoed},
        ).json()
        assert answer["gateway"]["string"] == echoed
        assert answer["gateway"]["equal"] is equal


@pytest.mark.parametrize(
    "payload",
    [
        {"private_key": "x"},
        {"params": {"a": "1"}, "raw": "a=1", "private_key": "x"},
        {"raw": "a=1", "private_key": "not a key"},
    ],
)
def test_the_sign_endpoint_refuses_bad_input_with_a_message(client, payload):
    response = post_api(client, "sign", payload)
    assert response.status_code == 400
    assert response.json()["error"]["message"]


def test_the_verify_notify_endpoint_verifies_the_node_sdk_notification(client):
    vector = node_vectors()["notify_payment"]
    answer = post_api(
        client, "verify-notify", {"params": vector["params"], "public_key": vector["public_key"]}
    ).json()
    assert answer["valid"] is True and answer["sign_type_signed"] is False
    assert "sign_type=" not in answer["string_to_sign"]


def test_the_verify_notify_endpoint_takes_a_certificate(client):
    params = {"app_id": "1", "out_trade_no": "7", "sign_type": "RSA2"}
    params["sign"] = keys.sign_sha256("app_id=1&out_trade_no=7")
    answer = post_api(
        client, "verify-notify", {"params": params, "certificate": keys.certificate_pem()}
    ).json()
    assert answer["valid"] is True


def test_the_verify_notify_endpoint_wants_one_key(client):
    response = post_api(client, "verify-notify", {"raw": "a=1&sign=x"})
    assert response.status_code == 400 and "public_key" in response.json()["error"]["message"]


def test_the_verify_response_endpoint_cuts_the_content_out_exactly(client):
    vector = node_vectors()["response"]
    answer = post_api(
        client, "verify-response", {"body": vector["body"], "public_key": vector["public_key"]}
    ).json()
    assert answer["valid"] is True and answer["signed_content"] == vector["signed_content"]
    assert answer["response_name"] == "alipay_open_file_upload_response"


def test_the_verify_response_endpoint_refuses_a_body_that_is_not_json(client):
    response = post_api(
        client, "verify-response", {"body": "<html>", "public_key": keys.public_pem()}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "response_not_json"


def test_english_is_answered_in_english(client):
    answer = post_api(
        client,
        "sign",
        {"params": {"app_id": "1"}, "private_key": keys.private_pem()},
        HTTP_ACCEPT_LANGUAGE="en",
    ).json()
    messages = " ".join(f["message"] for f in answer["findings"])
    assert "public parameter" in messages and "缺少" not in messages


def test_secret_named_params_never_show_in_the_page_or_the_share(client):
    secret, token = "Zq8Xv2Lm4Np6Rt8Wy0Ab2Cd4", "201509BBeff9351ad1874306903e96b91d248A36"
    params = f"{PARAMS}\napp_private_key={secret}\napp_auth_token={token}"
    live = client.post(
        "/alipay/sign/run", {"params": params, "private_key": keys.private_pem(), "share": "1"}
    )
    shared = client.get(share_link(live)).content.decode()
    for body in (live.content.decode(), shared):
        assert secret not in body and token not in body
        assert PRIVATE_MARK not in body
    # the token is still signed (Alipay signs app_auth_token like any parameter)
    signed = joined([*REQUEST, ("app_auth_token", token)])
    assert keys.verify(signed, pre(live.content.decode(), "sign"), hashes.SHA256())


def test_the_api_answer_never_carries_the_private_key_or_a_secret_param(client):
    secret = "Zq8Xv2Lm4Np6Rt8Wy0Ab2Cd4"
    response = post_api(
        client,
        "sign",
        {"params": {**dict(REQUEST), "mch_key": secret}, "private_key": keys.private_pem()},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert secret not in text and private_body(keys.private_pem()) not in text


def test_shares_of_the_notify_and_response_pages_read_as_the_results_did(client):
    vector = node_vectors()["notify_payment"]
    params = {**vector["params"], "fund_bill_list": html.escape(vector["params"]["fund_bill_list"])}
    live = client.post(
        "/alipay/notify/run",
        {
            "params": "\n".join(f"{n}={v}" for n, v in params.items()),
            "public_key": vector["public_key"],
            "private_key": keys.private_pem(),
            "share": "1",
        },
    )
    shared = client.get(share_link(live)).content.decode()
    assert 'data-code="values_html_escaped"' in shared and "通知验签不通过" in shared
    assert PRIVATE_MARK not in shared and private_body(keys.private_pem()) not in shared
    vector = node_vectors()["response"]
    live = client.post(
        "/alipay/response/run",
        {"body": vector["body"], "public_key": vector["public_key"], "share": "1"},
    )
    shared = client.get(share_link(live)).content.decode()
    assert pre(shared, "signed-content") == vector["signed_content"]
