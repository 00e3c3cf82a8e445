"""Alipay in the knowledge base and the diagnosis (issue 18).

The public tier's Alipay file cites the open-platform documentation; the diagnosis recognises Alipay
from its gateways, SDKs and codes, answers the gateway's JSON as merchants paste it, and asks the
platform question where "验签失败" could be WeChat Pay, Baidu or Alipay.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.utils import translation

from faq.engine import RuleEngine
from faq.knowledge import DATA_DIR, PLATFORMS, load_all
from faq.normalize import extract_codes
from faq.signals import read_signals

ALIPAY_FILE: Path = DATA_DIR / "public" / "alipay.yaml"
ALIPAY_TASKS = {"alipay:sign", "alipay:notify", "alipay:response", "alipay:certs", "alipay:keys"}

# The gateway's answer to a request whose private key does not match the uploaded app public key,
# as the SDKs print it: the echoed string is HTML-escaped inside the JSON (made-up APPID and sign).
INVALID_SIGNATURE_ANSWER = (
    '{"alipay_trade_query_response":{"code":"40002","msg":"Invalid Arguments",'
    '"sub_code":"isv.invalid-signature","sub_msg":"验签出错，建议检查签名字符串或签名私钥与应用公钥'
    "是否匹配，网关生成的验签字符串为：app_id=2021000100000009&amp;biz_content={&quot;out_trade_no"
    '&quot;:&quot;A1&quot;}&amp;charset=UTF-8&amp;method=alipay.trade.query&amp;sign_type=RSA2"},'
    '"sign":"c2lnbg=="}'
)


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine(load_all())


@pytest.fixture(scope="module")
def entries() -> list[dict]:
    return yaml.safe_load(ALIPAY_FILE.read_text(encoding="utf-8"))["entries"]


def top(diagnosis, count: int = 3) -> list[str]:
    return [match.entry.slug for match in diagnosis.matches[:count]]


# --- the data -----------------------------------------------------------------------------------


def test_alipay_is_a_platform_with_its_chinese_label_and_an_english_one():
    assert PLATFORMS["alipay"] == "支付宝"
    with translation.override("en"):
        assert translation.gettext("支付宝") == "Alipay"


def test_every_alipay_entry_cites_an_open_platform_documentation_page(entries):
    assert len(entries) >= 30
    uncited = [
        e["slug"]
        for e in entries
        if not any(s["url"].startswith("https://opendocs.alipay.com/") for s in e["sources"])
    ]
    assert not uncited


def test_the_issue_codes_each_have_an_entry(entries):
    codes = {str(code).lower() for e in entries for code in e.get("codes", [])}
    wanted = {
        "isv.invalid-signature",
        "isv.missing-signature",
        "isv.invalid-signature-type",
        "isv.missing-signature-config",
        "isv.missing-app-cert-sn",
        "isv.app-cert-not-exist",
        "isv.invalid-app-id",
        "isv.missing-app-id",
        "isv.invalid-timestamp",
        "isv.missing-method",
        "isv.invalid-method",
        "isv.invalid-charset",
        "isv.insufficient-isv-permissions",
        "aop.invalid-auth-token",
        "acq.trade_has_success",
        "acq.trade_not_exist",
        "40002",
        "40004",
        "40006",
        "20000",
        "20001",
    }
    assert wanted <= codes, sorted(wanted - codes)


def test_entries_link_only_to_the_alipay_workbenches(entries):
    linked = {e["workbench"] for e in entries if e.get("workbench")}
    assert linked == ALIPAY_TASKS


# --- reading a paste ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "paste",
    [
        "POST https://openapi.alipay.com/gateway.do 返回验签出错",
        "沙箱 https://openapi-sandbox.dl.alipaydev.com/gateway.do 报错",
        "com.alipay.api.AlipayApiException: sign check fail",
        "alipay-easysdk 2.2.0 verifyNotify 返回 false",
        "github.com/smartwalle/alipay/v3 TradePagePay 报错",
        "AopClient->execute 返回 false",
        "method=alipay.trade.page.pay",
        "sub_code: ACQ.TRADE_HAS_SUCCESS",
        "isv.invalid-signature",
        "支付宝回调验签失败",
    ],
)
def test_gateways_sdks_methods_and_codes_name_alipay(paste):
    signals = read_signals(paste)
    assert "alipay" in signals.platform_hints
    assert signals.foreign == ""


def test_dotted_codes_are_read_whole_in_any_case():
    text = "错误代码 Isv.invalid-charset，sub_code ACQ.TRADE_HAS_SUCCESS；org.springframework.aop.X"
    assert extract_codes(text) == ("ISV.INVALID-CHARSET", "ACQ.TRADE_HAS_SUCCESS")


def test_an_sdk_for_both_platforms_follows_what_else_the_paste_says():
    assert set(read_signals("yansongda 支付宝回调验签失败").platform_hints) == {"alipay"}
    assert "alipay" not in read_signals("yansongda 微信支付回调验签失败").platform_hints


# --- answers ------------------------------------------------------------------------------------


def test_the_gateways_invalid_signature_answer_gets_the_key_and_the_echoed_string(engine):
    diagnosis = engine.diagnose(INVALID_SIGNATURE_ANSWER)
    assert diagnosis.matched
    assert diagnosis.matches[0].entry.slug == "alipay-invalid-signature"
    assert diagnosis.matches[0].confidence == "certain"
    assert {
        "alipay-private-key-not-matching-app-public-key",
        "alipay-invalid-signature-gateway-string",
    } & set(top(diagnosis))
    assert any("支付宝" in str(why) for why in diagnosis.matches[0].why)
    # the echoed string's &quot; is not a notification's escaped fund_bill_list
    levels = {m.entry.slug: m.confidence for m in diagnosis.matches}
    assert levels.get("alipay-notify-fund-bill-list-escaped", "related") == "related"


def test_a_sub_code_ranks_above_its_class_of_code(engine):
    diagnosis = engine.diagnose(
        '{"error_response":{"code":"40002","msg":"Invalid Arguments",'
        '"sub_code":"isv.invalid-signature-type","sub_msg":"无效签名类型"}}'
    )
    assert top(diagnosis, 1) == ["alipay-signature-type-missing-or-invalid"]


def test_a_notification_with_an_html_escaped_value_gets_the_fund_bill_list_entry(engine):
    diagnosis = engine.diagnose(
        "trade_status=TRADE_SUCCESS&fund_bill_list=[{&quot;amount&quot;:&quot;0.01&quot;}]"
        "&sign_type=RSA2 验签失败"
    )
    assert top(diagnosis, 1) == ["alipay-notify-fund-bill-list-escaped"]


def test_a_generic_verification_failure_asks_which_platform_alipay_included(engine):
    for query in ("验签失败", "签名错误"):
        diagnosis = engine.diagnose(query)
        platform_questions = [q for q in diagnosis.refine if q.key == "platform"]
        assert platform_questions, query
        options = {value for value, _label in platform_questions[0].options}
        assert {"alipay", "wechat_v2", "wechat_v3"} <= options, query


def test_answering_the_platform_question_with_alipay_gives_alipay_remedies(engine):
    diagnosis = engine.diagnose("验签失败", platform="alipay")
    assert diagnosis.matched
    assert all(match.entry.platform == "alipay" for match in diagnosis.matches)
    named = engine.diagnose("支付宝 验签失败")
    assert not [q for q in named.refine if q.key == "platform"]
    assert named.matches[0].entry.platform == "alipay"


@pytest.mark.parametrize(
    "query",
    [
        "获取 access_token 报 errcode 40001 invalid credential",
        "网页授权 errcode 40002 invalid grant_type",
        "用户退款 20000 元一直没到账",
    ],
)
def test_alipays_numeric_codes_are_not_read_into_wechat_errcodes_or_amounts(engine, query):
    diagnosis = engine.diagnose(query)
    assert not [m for m in diagnosis.matches if m.entry.platform == "alipay" and m.confident]


def test_the_numeric_code_in_a_gateway_answer_is_certain(engine):
    diagnosis = engine.diagnose(
        '{"code":"40001","msg":"Missing Required Arguments","sub_code":"isv.missing-timestamp",'
        '"sub_msg":"缺少时间戳参数"}'
    )
    assert top(diagnosis, 1) == ["alipay-missing-common-params"]
    assert diagnosis.matches[0].confidence == "certain"


# --- the pages ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_diagnosis_page_answers_an_alipay_code_and_accepts_the_platform(client):
    body = client.get("/diagnose", {"q": "isv.missing-app-cert-sn"}).content.decode()
    assert 'data-slug="alipay-missing-app-cert-sn"' in body
    assert "你提到了" not in body
    narrowed = client.get("/diagnose", {"q": "验签失败", "platform": "alipay"})
    assert narrowed.status_code == 200
    assert 'data-slug="alipay-' in narrowed.content.decode()


@pytest.mark.django_db
def test_an_alipay_entry_page_shows_its_documentation_source(client):
    body = client.get("/faq/alipay-invalid-signature").content.decode()
    assert "https://opendocs.alipay.com/common/02km9f" in body
    assert "来自公开资料" in body
