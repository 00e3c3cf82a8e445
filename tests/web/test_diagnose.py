from __future__ import annotations

import re

import pytest

from faq.models import UnmatchedQuery

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:
    return re.findall(r'data-slug="([^"]+)"', response.content.decode())


def questions(response) -> list[str]:
    return re.findall(r'<fieldset class="question" data-key="(\w+)"', response.content.decode())


def test_the_empty_page_offers_examples(client):
    response = client.get("/diagnose")
    assert response.status_code == 200
    assert "系统繁忙" in response.content.decode()


def test_a_get_link_lands_on_the_ranked_remedies(client):
    response = client.get("/diagnose", {"q": "调起后提示 errCode:6"})
    assert response.status_code == 200
    assert slugs(response)[0] == "baidu-cashier-errcode-6-sign-error"
    assert "<html" in response.content.decode()


def test_htmx_gets_only_the_results_fragment(client):
    response = client.post("/diagnose", {"q": "access_denied"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and body.strip().startswith('<section id="results"')
    assert "wechat-v2-access-denied" in slugs(response)[:3]


def test_10003_asks_which_platform_and_the_answer_narrows_in_place(client):
    response = client.post("/diagnose", {"q": "返回10003"}, HTTP_HX_REQUEST="true")
    assert questions(response) == ["platform"]
    assert {
        "baidu-cancel-verify-10003-insufficient-assets",
        "wechat-v3-openid-redirect-domain-10003",
    } <= set(slugs(response))
    narrowed = client.post(
        "/diagnose", {"q": "返回10003", "platform": "baidu"}, HTTP_HX_REQUEST="true"
    )
    assert slugs(narrowed)[0] == "baidu-cancel-verify-10003-insufficient-assets"
    assert "platform" not in questions(narrowed)
    assert all(slug.startswith("baidu-") for slug in slugs(narrowed))


def test_system_busy_asks_page_and_entry_point_and_answers_combine(client):
    response = client.get("/diagnose", {"q": "支付分 系统繁忙"})
    assert {"page", "entry"} & set(questions(response))
    step1 = client.post(
        "/diagnose", {"q": "支付分 系统繁忙", "add_scenario": "enable_page"}, HTTP_HX_REQUEST="true"
    )
    step2 = client.post(
        "/diagnose",
        {"q": "支付分 系统繁忙", "scenario": "enable_page", "add_scenario": "h5"},
        HTTP_HX_REQUEST="true",
    )
    assert slugs(step2)[0] == "payscore-apply-rejected-enable-h5"
    assert "page" not in questions(step1)


def test_a_support_link_with_platform_and_scenario_lands_narrowed(client):
    response = client.get(
        "/diagnose",
        {"q": "系统繁忙", "platform": "wechat_payscore", "scenario": "confirm_page,miniprogram"},
    )
    assert slugs(response)[0] == "payscore-no-benefit-confirm-miniprogram"
    assert questions(response) == []


def test_each_result_links_to_its_entry_and_the_diagnosis_link_can_be_copied(client):
    body = client.get("/diagnose", {"q": "errCode:6"}).content.decode()
    assert 'href="/faq/baidu-cashier-errcode-6-sign-error"' in body
    assert 'id="diagnosis-link"' in body and "/diagnose?q=errCode%3A6" in body


def test_an_unknown_text_is_answered_honestly_and_recorded_on_submit_only(client):
    client.post("/diagnose", {"q": "屏幕上出现了一只猫", "live": "1"}, HTTP_HX_REQUEST="true")
    assert UnmatchedQuery.objects.count() == 0
    response = client.post("/diagnose", {"q": "屏幕上出现了一只猫"})
    assert "文档里没有这个报错的解决方法" in response.content.decode()
    assert UnmatchedQuery.objects.count() == 1


def test_an_unknown_platform_is_a_400_with_a_message(client):
    response = client.get("/diagnose", {"q": "10003", "platform": "unionpay"})
    assert response.status_code == 400


def test_an_over_long_query_is_refused_with_a_message(client):
    response = client.post("/diagnose", {"q": "x" * 17000}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400


def cards(response, heading: str) -> list[str]:
    """The slugs listed after a heading of the results (the related list comes after its own)."""
    body = response.content.decode()
    return re.findall(r'data-slug="([^"]+)"', body.split(heading, 1)[1]) if heading in body else []


def test_a_documented_answer_says_its_confidence_in_words(client):
    body = client.get("/diagnose", {"q": "调起后提示 errCode:6"}).content.decode()
    assert '<strong class="confidence certain">确定</strong>' in body
    assert "最接近的条目（仅相关）" not in body.split('data-slug="', 2)[1]


def test_an_undocumented_problem_is_said_plainly_with_the_closest_apart_and_the_checks(client):
    response = client.get(
        "/diagnose", {"q": "微信支付 V2 回调 xml 解析报 Content is not allowed in prolog"}
    )
    body = response.content.decode()
    assert "文档里没有这个报错的解决方法" in body
    assert 'class="confidence certain"' not in body and 'class="confidence likely"' not in body
    if slugs(response):
        assert cards(response, "最接近的条目（仅相关）") == slugs(response)
    # the platform the paste names (V2) gets its workbenches; the others' are not offered
    checks = body.split('<section class="general-checks">', 1)[1].split("</section>", 1)[0]
    assert 'href="/wechat/v2/notify/"' in checks and 'href="/wechat/v2/free/"' in checks
    assert 'href="/baidu/sign/"' not in checks


def test_an_undocumented_problem_over_htmx_is_the_fragment_with_the_same_parts(client):
    response = client.post(
        "/diagnose", {"q": "公众号网页授权 redirect_uri 参数错误"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<html" not in body and body.strip().startswith('<section id="results"')
    assert "文档里没有这个报错的解决方法" in body and "最接近的条目（仅相关）" in body
    assert "可以先自己检查" in body


def test_another_payment_platform_is_named_and_gets_no_checks_of_ours(client):
    body = client.get(
        "/diagnose", {"q": "银联 验签失败 respCode 11，建议检查签名字符串"}
    ).content.decode()
    assert "你提到了银联" in body
    assert "可以先自己检查" not in body


def test_a_shared_unmatched_diagnosis_keeps_the_closest_and_the_checks(client):
    answer = client.post(
        "/diagnose",
        {"q": "微信支付 V2 回调 xml 解析报 Content is not allowed in prolog", "share": "1"},
    )
    link = re.search(r"/d/[A-Za-z0-9_-]+", answer.content.decode()).group(0)
    body = client.get(link).content.decode()
    assert "文档里没有这个报错的解决方法" in body and "可以先自己检查" in body
    assert 'href="/wechat/v2/notify/"' in body
