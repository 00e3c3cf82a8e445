from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_diagnose_returns_ranked_matches_with_source_and_refine(client):
    response = client.get("/api/v1/diagnose", {"q": "返回10003"})
    body = response.json()
    assert response.status_code == 200
    assert set(body) >= {"query", "normalized", "codes", "matches", "refine"}
    assert "10003" in body["codes"]
    first = body["matches"][0]
    assert set(first) >= {
        "slug",
        "title",
        "platform",
        "scenarios",
        "source",
        "remedy",
        "url",
        "score",
        "why",
    }
    assert first["source"]["document"].endswith(".txt") and first["remedy"]
    assert body["refine"][0]["key"] == "platform"


def test_diagnose_narrowed_by_platform_has_no_platform_question(client):
    body = client.get("/api/v1/diagnose", {"q": "10003", "platform": "wechat_v3"}).json()
    assert body["matches"][0]["slug"] == "wechat-v3-openid-redirect-domain-10003"
    assert all(question["key"] != "platform" for question in body["refine"])


@pytest.mark.parametrize(
    "params, status, code",
    [
        ({"q": ""}, 400, "empty_query"),
        ({}, 400, "empty_query"),
        ({"q": "x" * (16 * 1024 + 1)}, 413, "query_too_long"),
        ({"q": "10003", "platform": "unionpay"}, 400, "unknown_platform"),
        ({"q": "10003", "scenario": "desktop"}, 400, "unknown_scenario"),
    ],
)
def test_bad_diagnose_input_is_a_4xx_with_the_shared_error_shape(client, params, status, code):
    response = client.get("/api/v1/diagnose", params)
    assert response.status_code == status
    assert response.json() == {
        "error": {"code": code, "message": response.json()["error"]["message"]}
    }


def test_one_entry_by_slug(client):
    body = client.get("/api/v1/faq/baidu-cashier-errcode-6-sign-error").json()
    assert body["platform"] == "baidu" and "6" in body["codes"]
    # The file name stays in the API as the technical id; the title is what a person reads.
    assert body["source"]["document"] == "001_f667e89e7af6f0db.txt"
    assert body["source"]["tier"] == "documents" and "百度收银台" in body["source"]["title"]
    assert {
        "title": "签名与验签",
        "url": "http://smartprogram.baidu.com/docs/develop/function/sign_v2/",
    } in body["links"]


def test_an_unknown_slug_is_404_with_the_error_shape(client):
    response = client.get("/api/v1/faq/nope")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_every_match_says_its_confidence_and_matched_follows_the_first(client):
    body = client.get("/api/v1/diagnose", {"q": "调起后提示 errCode:6"}).json()
    assert body["matched"] is True
    assert body["matches"][0]["confidence"] == "certain"
    assert all(m["confidence"] in {"certain", "likely", "related"} for m in body["matches"])


def test_a_refund_on_the_merchants_own_balance_is_not_answered_with_the_users_balance(client):
    # Issue 14: NOTENOUGH on a refund is the merchant's account; 002 §6 documents the payer's.
    body = client.get(
        "/api/v1/diagnose", {"q": "申请退款返回 NOTENOUGH 基本账户余额不足，请充值后重新发起"}
    ).json()
    assert body["matched"] is False
    assert all(match["confidence"] == "related" for match in body["matches"])
