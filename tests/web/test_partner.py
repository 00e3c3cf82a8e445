"""服务商模式 on the web (issue 15 part 5): POST /api/v1/lint with the partner api values, the lint
page, the V2 service-provider presets (render, sign, check the pay call against its order) and the
APIv3 pay-sign page with the order. Expected signs come from hashlib / cryptography in the test."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html import unescape

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from diagnostics.wechat_v2.fields import PRESETS
from tests.diagnostics.wechat_v3.test_partner import SP_APPID, SUB_APPID
from tests.diagnostics.wechat_v3.test_partner import body as partner_body
from tests.web import keys

KEY = "192006250b4c09247ec02edce69f6a2d"
V2_ORDER = PRESETS["partner-unifiedorder"].sample
V2_SP_APPID, V2_SUB_APPID = "wxd678efh567hg6787", "wxd678efh567hg6999"
V2_PAY = {
    "appId": V2_SP_APPID,
    "timeStamp": "1395712654",
    "nonceStr": "e61463f8efa94090b1f366cccfbbb444",
    "package": "prepay_id=wx201410272009395522657a690389285100",
    "signType": "MD5",
}
PARTNER_APIS = ("partner-jsapi", "partner-app", "partner-h5", "partner-native")


def post_json(client, url: str, payload: dict, **headers):
    return client.post(url, json.dumps(payload), content_type="application/json", **headers)


def md5_sign(params: dict[str, str]) -> str:
    string1 = "&".join(f"{name}={params[name]}" for name in sorted(params) if params[name])
    return hashlib.md5(f"{string1}&key={KEY}".encode()).hexdigest().upper()


# --- POST /api/v1/lint ------------------------------------------------------------------------


@pytest.mark.parametrize("api", PARTNER_APIS)
def test_the_lint_api_takes_each_partner_api_and_passes_its_public_example(client, api):
    response = post_json(
        client, "/api/v1/lint", {"api": api, "body": json.dumps(partner_body(api))}
    )
    assert response.status_code == 200, response.content
    assert response.json()["findings"] == []


def test_the_lint_api_names_payer_openid_in_a_partner_jsapi_body(client):
    value = partner_body("partner-jsapi")
    value["payer"] = {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}
    response = post_json(
        client, "/api/v1/lint", {"api": "partner-jsapi", "body": json.dumps(value)}
    )
    assert response.status_code == 200
    (finding,) = response.json()["findings"]
    assert finding["code"] == "partner_payer_openid" and finding["field"] == "payer.openid"
    assert finding["severity"] == "blocking"
    assert finding["source"] == "服务商 JSAPI 下单（公开文档）"
    assert "请求中含有未在API文档中定义的参数" in finding["message"]


def test_the_lint_api_takes_params_as_an_object_too(client):
    value = partner_body("partner-app")
    del value["sub_mchid"]
    response = post_json(client, "/api/v1/lint", {"api": "partner-app", "params": value})
    (finding,) = response.json()["findings"]
    assert finding["code"] == "required_missing" and finding["field"] == "sub_mchid"
    assert "受理机构必须传入sub_mch_id" in finding["message"]


def test_the_lint_api_answers_in_english_when_asked(client):
    value = {**partner_body("partner-h5"), "appid": "wx1"}
    response = post_json(
        client,
        "/api/v1/lint",
        {"api": "partner-h5", "body": json.dumps(value)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    (finding,) = response.json()["findings"]
    assert finding["code"] == "partner_direct_field"
    assert "direct-merchant API" in finding["message"] and "sp_appid" in finding["message"]


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"api": "partner-native", "body": "[1, 2]"}, "json_not_object"),
        ({"api": "partner-native", "body": '{"sp_appid": '}, "json_malformed"),
        ({"api": "partner-native", "body": "   "}, "no_input"),
    ],
)
def test_an_unreadable_partner_body_is_a_400_naming_the_cause(client, payload, code):
    response = post_json(client, "/api/v1/lint", payload)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


# --- the lint page ----------------------------------------------------------------------------


def test_the_lint_page_lists_the_partner_apis_in_english(client):
    page = client.get("/lint/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for api in PARTNER_APIS:
        assert f'value="{api}"' in page
    assert "Service provider JSAPI / mini-program order" in page


@pytest.mark.parametrize("headers", [{}, {"HTTP_HX_REQUEST": "true"}], ids=["plain", "htmx"])
def test_the_lint_page_reports_a_partner_finding_with_its_source(client, headers):
    value = partner_body("partner-jsapi")
    del value["sub_appid"]
    response = client.post(
        "/lint/run", {"api": "partner-jsapi", "body": json.dumps(value)}, **headers
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="sub_openid_without_sub_appid"' in page
    assert "服务商 JSAPI 下单（公开文档）" in page
    assert ("<html" in page) is not bool(headers)


# --- the V2 presets ---------------------------------------------------------------------------


@pytest.mark.parametrize("preset", ["partner-unifiedorder", "partner-jsapi"])
def test_the_v2_partner_presets_render_with_their_notes_and_sample(client, preset):
    page = client.get(f"/wechat/v2/{preset}/?sample=1").content.decode()
    assert "服务商" in page
    assert ('name="order"' in page) is (preset == "partner-jsapi")
    english = client.get(f"/wechat/v2/{preset}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert PRESETS[preset].title_en in english and "(public reference)" in english


@pytest.mark.parametrize("headers", [{}, {"HTTP_HX_REQUEST": "true"}], ids=["plain", "htmx"])
def test_the_v2_partner_order_preset_signs_and_names_a_missing_sub_mch_id(client, headers):
    raw = V2_ORDER.replace("<sub_mch_id>1900000109</sub_mch_id>\n", "")
    response = client.post(
        "/wechat/v2/partner-unifiedorder/sign", {"raw": raw, "key": KEY}, **headers
    )
    page = response.content.decode()
    params = {
        name: value
        for name, value in re.findall(r"<(\w+)>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?</\1>", raw)
        if name != "xml"
    }
    assert md5_sign(params) in page
    assert "受理机构必须传入sub_mch_id" in unescape(page)
    assert KEY not in page
    assert ("<html" in page) is not bool(headers)


@pytest.mark.parametrize("headers", [{}, {"HTTP_HX_REQUEST": "true"}], ids=["plain", "htmx"])
def test_the_v2_partner_pay_call_is_checked_against_the_order(client, headers):
    data = {"raw": json.dumps(V2_PAY), "key": KEY, "order": V2_ORDER}
    page = client.post("/wechat/v2/partner-jsapi/sign", data, **headers).content.decode()
    assert md5_sign(V2_PAY) in page
    assert 'data-code="pay_appid_not_sub_appid"' in page and V2_SUB_APPID in page
    fixed = {**V2_PAY, "appId": V2_SUB_APPID}
    page = client.post(
        "/wechat/v2/partner-jsapi/sign", {**data, "raw": json.dumps(fixed)}, **headers
    ).content.decode()
    assert md5_sign(fixed) in page and "pay_appid_not_sub_appid" not in page


def test_a_key_pasted_in_the_order_is_never_shown(client):
    secret = "0123456789abcdef0123456789abcdef"
    order = V2_ORDER.replace("</xml>", f"<key>{secret}</key>\n</xml>")
    data = {"raw": json.dumps(V2_PAY), "key": KEY, "order": order}
    page = client.post("/wechat/v2/partner-jsapi/sign", data).content.decode()
    assert secret not in page and KEY not in page


def test_the_v2_sign_api_checks_the_pay_call_against_the_order(client):
    payload = {"params": V2_PAY, "key": KEY, "preset": "partner-jsapi", "order": V2_ORDER}
    answer = post_json(client, "/api/v1/wechat/v2/sign", payload).json()
    assert answer["sign"] == md5_sign(V2_PAY)
    assert [finding["code"] for finding in answer["findings"]] == ["pay_appid_not_sub_appid"]
    as_object = {
        **payload,
        "order": dict(re.findall(r"<(\w+)>(?:<!\[CDATA\[)?([^<\]]*)", V2_ORDER)),
    }
    answer = post_json(client, "/api/v1/wechat/v2/sign", as_object).json()
    assert [finding["code"] for finding in answer["findings"]] == ["pay_appid_not_sub_appid"]


def test_an_unreadable_order_is_a_400(client):
    payload = {"params": V2_PAY, "key": KEY, "preset": "partner-jsapi", "order": "<xml><a>1</b>"}
    response = post_json(client, "/api/v1/wechat/v2/sign", payload)
    assert response.status_code == 400 and response.json()["error"]["code"]


# --- the APIv3 pay-sign page with the order --------------------------------------------------

V3_PAY = {
    "appId": SP_APPID,
    "timeStamp": "1395712654",
    "nonceStr": "e61463f8efa94090b1f366cccfbbb444",
    "package": "prepay_id=wx21201855730335ac86f8c43d1889123400",
    "signType": "RSA",
}


@pytest.mark.parametrize("headers", [{}, {"HTTP_HX_REQUEST": "true"}], ids=["plain", "htmx"])
def test_the_v3_pay_sign_page_checks_the_appid_against_a_partner_order(client, headers):
    data = {
        "scene": "jsapi",
        "params": json.dumps(V3_PAY),
        "private_key": keys.private_pem(),
        "order": json.dumps(partner_body("partner-jsapi")),
    }
    response = client.post("/wechat/v3/pay-sign/run", data, **headers)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="pay_appid_not_sub_appid"' in page and SUB_APPID in page
    assert "PRIVATE KEY" not in page


def test_the_v3_pay_sign_workbench_api_signs_with_sub_appid(client):
    values = {
        "scene": "jsapi",
        "params": json.dumps({**V3_PAY, "appId": SUB_APPID}),
        "private_key": keys.private_pem(),
        "order": json.dumps(partner_body("partner-jsapi")),
    }
    response = post_json(client, "/api/v1/workbenches/wechat_v3.pay-sign", {"values": values})
    assert response.status_code == 200, response.content
    pay = response.json()["result"]["pay"]
    assert pay["findings"] == []
    message = (
        f"{SUB_APPID}\n1395712654\ne61463f8efa94090b1f366cccfbbb444\n"
        "prepay_id=wx21201855730335ac86f8c43d1889123400\n"
    )
    keys.private_key().public_key().verify(
        base64.b64decode(pay["pay_sign"]), message.encode(), padding.PKCS1v15(), hashes.SHA256()
    )


def test_an_order_that_is_not_a_json_object_is_a_400_on_the_pay_sign_page(client):
    data = {
        "scene": "jsapi",
        "params": json.dumps(V3_PAY),
        "private_key": keys.private_pem(),
        "order": "[1]",
    }
    response = client.post("/wechat/v3/pay-sign/run", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "JSON" in response.content.decode()
