"""The rule engine against a small hand-made knowledge base (not the real data files).

The entries paraphrase the source documents so the cases read like real ones: 10003 in 001 (Baidu
取消核销) and 003 (WeChat 网页授权), SYSTEMERROR in 002 §6 and 004, Pay Score 系统繁忙 per entry
point and page in 000.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from faq.engine import RuleEngine
from faq.knowledge import PLATFORMS, SCENARIOS, FaqEntry, KnowledgeError, load_all, load_document
from faq.synonyms import ContextSplit, Vocabulary, load_vocabulary


def entry(slug: str, platform: str, symptoms=(), codes=(), scenarios=(), **extra) -> FaqEntry:
    return FaqEntry(
        slug=slug,
        platform=platform,
        document="test",
        section="test",
        title=extra.pop("title", slug),
        symptoms=tuple(symptoms),
        codes=tuple(codes),
        remedy=("检查",),
        scenarios=tuple(scenarios),
        **extra,
    )


ENTRIES = [
    entry("baidu-10003", "baidu", ["取消核销失败", "企业资产不足"], ["10003"]),
    entry("baidu-sign-6", "baidu", ["errCode:6", "请求签名错误"], ["6"]),
    entry(
        "v3-10003",
        "wechat_v3",
        ["redirect_url域名与后台配置不一致"],
        ["10003"],
        ["jsapi"],
    ),
    entry("v2-systemerror", "wechat_v2", ["接口后台错误"], ["SYSTEMERROR"]),
    entry("v3-systemerror", "wechat_v3", ["系统错误"], ["SYSTEMERROR"], ["app"], http_status=500),
    entry("v3-sign-error", "wechat_v3", ["验证不通过"], ["SIGN_ERROR"], ["app"], http_status=401),
    entry("v3-app-minus-1", "wechat_v3", ["App 调起支付失败"], ["-1"], ["app"]),
    entry("v2-jsapi-fail", "wechat_v2", ["get_brand_wcpay_request:fail"], (), ["jsapi"]),
    entry("v2-url-not-registered", "wechat_v2", ["当前页面的URL未注册"], (), ["jsapi"]),
    entry(
        "busy-app-enable", "wechat_payscore", ["系统繁忙", "申请未通过"], (), ["app", "enable_page"]
    ),
    entry(
        "busy-h5-enable", "wechat_payscore", ["系统繁忙", "申请未通过"], (), ["h5", "enable_page"]
    ),
    entry(
        "busy-mini-enable",
        "wechat_payscore",
        ["系统繁忙", "申请未通过"],
        (),
        ["miniprogram", "enable_page"],
    ),
    entry(
        "busy-app-confirm",
        "wechat_payscore",
        ["系统繁忙", "未获得权益"],
        (),
        ["app", "confirm_page"],
    ),
    entry(
        "illegal-channel-detail", "wechat_payscore", ["请在合法渠道打开页面"], (), ["detail_page"]
    ),
    entry(
        "offline-verifying",
        "wechat_payscore",
        ["openBusinessView:fail_the permission value is offline verifying"],
    ),
    entry("amount-too-high", "wechat_payscore", ["当前订单金额过高"]),
    entry("amount-wording", "wechat_payscore", ["订单金额太高"]),
    entry("orderpaid", "wechat_v2", ["重复下单"], ["ORDERPAID"]),
    entry("order-paid-phrase", "wechat_v2", ["订单已支付"]),
]


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine(ENTRIES)


def slugs(diagnosis) -> list[str]:
    return [match.entry.slug for match in diagnosis.matches]


def questions(diagnosis) -> dict[str, set[str]]:
    return {q.key: {value for value, _label in q.options} for q in diagnosis.refine}


# --- ranking -----------------------------------------------------------------------------------


def test_an_exact_code_beats_an_exact_phrase(engine):
    assert slugs(engine.diagnose("ORDERPAID 订单已支付"))[:2] == ["orderpaid", "order-paid-phrase"]


def test_an_exact_phrase_beats_a_partial_phrase(engine):
    diagnosis = engine.diagnose("当前订单金额过高")
    assert slugs(diagnosis)[0] == "amount-too-high"


def test_a_partial_phrase_beats_a_fuzzy_one(engine):
    # "订单金额过高" sits inside "当前订单金额过高"; "订单金额太高" only shares characters.
    assert slugs(engine.diagnose("订单金额过高"))[:2] == ["amount-too-high", "amount-wording"]


def test_a_typo_still_finds_the_symptom(engine):
    diagnosis = engine.diagnose("支付分开启服务页提示系统反忙")
    assert diagnosis.matched
    assert set(slugs(diagnosis)[:3]) <= {"busy-app-enable", "busy-h5-enable", "busy-mini-enable"}


def test_extra_words_around_a_symptom_do_not_hide_it(engine):
    diagnosis = engine.diagnose(
        "你好，我们公众号下单后拉起支付，页面提示“当前页面的URL未注册”，怎么解决？"
    )
    assert slugs(diagnosis)[0] == "v2-url-not-registered"


def test_why_says_which_code_matched(engine):
    match = engine.diagnose("取消核销返回10003").matches[0]
    assert match.entry.slug == "baidu-10003"
    assert "错误码 10003 完全匹配" in [str(why) for why in match.why]


def test_why_quotes_the_symptom_found_in_the_query(engine):
    match = engine.diagnose("点支付后系统繁忙").matches[0]
    assert "包含“系统繁忙”" in [str(why) for why in match.why]


# --- code forms and payloads -------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["errCode:6", "errCode 6", "err_code=6", '{"errCode":6}', "百度收银台 errCode：６"],
)
def test_every_form_of_errcode_6_finds_the_baidu_sign_entry(engine, query):
    assert slugs(engine.diagnose(query))[0] == "baidu-sign-6"


@pytest.mark.parametrize("query", ["errCode -1", "errCode=-1", "onResp errCode: -1"])
def test_app_errcode_minus_one_finds_the_app_entry(engine, query):
    assert slugs(engine.diagnose(query))[0] == "v3-app-minus-1"


def test_full_width_code_is_matched(engine):
    assert slugs(engine.diagnose("ＳＩＧＮ＿ＥＲＲＯＲ"))[0] == "v3-sign-error"


def test_v2_xml_payload_prefers_the_v2_entry_for_a_shared_code(engine):
    diagnosis = engine.diagnose(
        "<xml><return_code><![CDATA[SUCCESS]]></return_code><result_code><![CDATA[FAIL]]>"
        "</result_code><err_code><![CDATA[SYSTEMERROR]]></err_code>"
        "<err_code_des><![CDATA[系统超时]]></err_code_des></xml>"
    )
    assert slugs(diagnosis)[0] == "v2-systemerror"
    assert diagnosis.platform_hints == ("wechat_v2",)
    assert "platform" not in questions(diagnosis)


def test_apiv3_json_body_prefers_the_apiv3_entry_for_a_shared_code(engine):
    diagnosis = engine.diagnose('{"code":"SYSTEMERROR","message":"系统错误"}')
    assert slugs(diagnosis)[0] == "v3-systemerror"


def test_apiv3_status_line_and_body_find_sign_error(engine):
    diagnosis = engine.diagnose(
        'HTTP/1.1 401 Unauthorized\n{"code":"SIGN_ERROR","message":"Authorization 验证不通过"}'
    )
    assert slugs(diagnosis)[0] == "v3-sign-error"
    assert "HTTP 状态码 401 与文档一致" in [str(why) for why in diagnosis.matches[0].why]


def test_js_bridge_err_msg_finds_its_entry(engine):
    diagnosis = engine.diagnose('alert(res.err_msg) 弹出 "get_brand_wcpay_request:fail"')
    assert slugs(diagnosis)[0] == "v2-jsapi-fail"


def test_open_business_view_err_msg_finds_the_pay_score_entry(engine):
    diagnosis = engine.diagnose(
        '{"err_msg":"openBusinessView:fail_the permission value is offline verifying"}'
    )
    assert slugs(diagnosis)[0] == "offline-verifying"


def test_a_doctype_payload_is_diagnosed_without_expanding_entities(engine):
    diagnosis = engine.diagnose(
        '<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        "<xml><err_code>SYSTEMERROR</err_code><err_code_des>&xxe;</err_code_des></xml>"
    )
    assert diagnosis.ignored
    assert slugs(diagnosis)[0] == "v2-systemerror"


# --- refine questions --------------------------------------------------------------------------


def test_a_code_on_two_platforms_asks_which_platform(engine):
    diagnosis = engine.diagnose("10003")
    assert set(slugs(diagnosis)) == {"baidu-10003", "v3-10003"}
    assert questions(diagnosis) == {"platform": {"baidu", "wechat_v3"}}
    labels = dict(diagnosis.refine[0].options)
    assert labels["baidu"] == PLATFORMS["baidu"]


def test_answering_the_platform_narrows_and_stops_asking(engine):
    diagnosis = engine.diagnose("10003", platform="baidu")
    assert slugs(diagnosis) == ["baidu-10003"]
    assert diagnosis.refine == ()


def test_systemerror_asks_v2_or_v3(engine):
    assert questions(engine.diagnose("SYSTEMERROR")) == {"platform": {"wechat_v2", "wechat_v3"}}


def test_a_symptom_on_several_pay_score_pages_asks_page_and_entry_point(engine):
    diagnosis = engine.diagnose("系统繁忙")
    assert questions(diagnosis) == {
        "page": {"enable_page", "confirm_page"},
        "entry": {"app", "h5", "miniprogram"},
    }
    assert [q.key for q in diagnosis.refine] == ["page", "entry"]


def test_refine_options_come_only_from_the_current_matches(engine):
    options = questions(engine.diagnose("系统繁忙"))
    assert "detail_page" not in options["page"]  # only the 合法渠道 entry has it
    assert "jsapi" not in options["entry"]
    labels = {
        value: label for q in engine.diagnose("系统繁忙").refine for value, label in q.options
    }
    assert labels["enable_page"] == SCENARIOS["enable_page"] == "开启服务页"


def test_answering_the_entry_point_leaves_only_the_page_question(engine):
    diagnosis = engine.diagnose("系统繁忙", scenario="app")
    assert set(slugs(diagnosis)) == {"busy-app-enable", "busy-app-confirm"}
    assert questions(diagnosis) == {"page": {"enable_page", "confirm_page"}}


def test_answering_both_leaves_one_entry_and_no_question(engine):
    diagnosis = engine.diagnose("系统繁忙", scenario="app,enable_page")
    assert slugs(diagnosis) == ["busy-app-enable"]
    assert diagnosis.refine == ()


def test_scenario_words_in_the_query_settle_the_questions(engine):
    diagnosis = engine.diagnose("app 跳转支付分开启服务页 系统繁忙")
    assert slugs(diagnosis)[0] == "busy-app-enable"
    assert diagnosis.refine == ()


# --- filters -----------------------------------------------------------------------------------


def test_platform_filter_drops_other_platforms(engine):
    diagnosis = engine.diagnose("SYSTEMERROR", platform="wechat_v3")
    assert slugs(diagnosis) == ["v3-systemerror"]


def test_scenario_filter_keeps_entries_without_scenarios(engine):
    diagnosis = engine.diagnose("取消核销失败 10003", scenario="jsapi")
    assert slugs(diagnosis)[0] == "baidu-10003"  # no scenarios: passes any scenario filter
    assert "v3-10003" in slugs(diagnosis)


def test_scenario_filter_needs_every_given_value(engine):
    diagnosis = engine.diagnose("系统繁忙", scenario="h5,confirm_page")
    assert slugs(diagnosis) == []
    assert not diagnosis.matched


def test_limit_caps_the_number_of_matches(engine):
    assert len(engine.diagnose("系统繁忙", limit=2).matches) == 2


# --- unmatched ---------------------------------------------------------------------------------


def test_a_query_that_shares_nothing_has_no_matches(engine):
    diagnosis = engine.diagnose("今天天气很好")
    assert not diagnosis.matched
    assert diagnosis.matches == ()
    assert diagnosis.refine == ()


def test_an_undocumented_problem_still_gets_the_closest_entries(engine):
    diagnosis = engine.diagnose("资产怎么查询")
    assert not diagnosis.matched
    assert slugs(diagnosis)[0] == "baidu-10003"


def test_an_unknown_code_is_reported_but_matches_nothing(engine):
    diagnosis = engine.diagnose("err_code=NOT_A_DOCUMENTED_CODE")
    assert diagnosis.codes == ("NOT_A_DOCUMENTED_CODE",)
    assert not diagnosis.matched


def test_an_empty_query_is_unmatched(engine):
    assert not engine.diagnose("   ").matched


# --- the engine object -------------------------------------------------------------------------


def test_get_finds_an_entry_by_slug(engine):
    assert engine.get("baidu-10003") is ENTRIES[0]
    assert engine.get("missing") is None


def test_entries_keeps_the_given_order(engine):
    assert engine.entries == tuple(ENTRIES)


def test_the_engine_accepts_any_iterable_of_entries():
    engine = RuleEngine(e for e in ENTRIES if e.platform == "baidu")
    assert slugs(engine.diagnose("10003")) == ["baidu-10003"]


# --- confidence (issue 14) ---------------------------------------------------------------------

# A small vocabulary written here, so the cases do not depend on the reviewed file's contents.
VOCABULARY = Vocabulary(
    synonyms=(("一直重复通知", "回调一直重复推送"), ("支付验证签名失败", "paysign 错误")),
    generic=frozenset({"参数错误", "签名错误", "签名失败", "微信支付", "微信支付分", "余额不足"}),
    contexts={
        "v2-notenough": ContextSplit("v2-notenough", ("退款", "refund"), "退款时是商户余额"),
        "no-permission": ContextSplit(
            "no-permission", ("没传service_id", "未传service_id"), "请求里没有 service_id"
        ),
    },
)
HONEST_ENTRIES = [
    entry("baidu-sign", "baidu", ["签名错误", "请求签名错误"], ["6"]),
    entry("v2-sign", "wechat_v2", ["签名错误", "签名失败"]),
    entry("v2-pay-sign", "wechat_v2", ["paySign 错误", "支付签名无效"], (), ["jsapi"]),
    entry("v2-param-error", "wechat_v2", ["参数错误", "提交参数错误"], ["PARAM_ERROR"]),
    entry("v3-invalid-request", "wechat_v3", ["无效请求"], ["INVALID_REQUEST"]),
    entry("v2-refund-fee-invalid", "wechat_v2", ["退款金额大于支付金额"], ["REFUND_FEE_INVALID"]),
    entry("v3-mch-not-exists", "wechat_v3", ["商户号不存在"], ["MCH_NOT_EXISTS"]),
    entry("baidu-10003", "baidu", ["企业资产不足"], ["10003"]),
    entry("v2-notenough", "wechat_v2", ["NOTENOUGH", "余额不足"], ["NOTENOUGH"]),
    entry("no-permission", "wechat_payscore", ["商户暂无权限使用此服务"]),
    entry("v3-notify-retry", "wechat_v3", ["回调一直重复推送", "重复收到支付通知"]),
    entry("v3-browser", "wechat_v3", ["浏览器里调不起微信支付"]),
    entry("v3-mp-domain", "wechat_v3", ["api.weixin.qq.com", "小程序内获取 access_token"]),
]


@pytest.fixture(scope="module")
def honest() -> RuleEngine:
    return RuleEngine(HONEST_ENTRIES, VOCABULARY)


def levels(diagnosis) -> dict[str, str]:
    return {match.entry.slug: match.confidence for match in diagnosis.matches}


def test_an_exact_code_in_a_code_shaped_context_is_certain(honest):
    diagnosis = honest.diagnose("调起收银台 errCode:6")
    assert diagnosis.matched
    assert diagnosis.matches[0].entry.slug == "baidu-sign"
    assert diagnosis.matches[0].confidence == "certain"


def test_a_distinctive_phrase_inside_a_longer_text_is_certain(honest):
    diagnosis = honest.diagnose("合单下单子单报了 商户号不存在，怎么回事")
    assert levels(diagnosis)["v3-mch-not-exists"] == "certain"


def test_a_number_a_sentence_does_not_name_as_a_code_is_only_likely(honest):
    assert levels(honest.diagnose("取消核销 10003 怎么办"))["baidu-10003"] == "likely"
    assert levels(honest.diagnose("取消核销 错误码10003"))["baidu-10003"] == "certain"


def test_a_number_in_another_field_of_a_pasted_answer_is_not_a_code(honest):
    diagnosis = honest.diagnose('{"out_trade_no": "A1", "total_fee": 10003, "fee_type": "CNY"}')
    assert not diagnosis.matched
    assert "10003" not in diagnosis.codes


def test_every_string_value_of_a_pasted_json_answer_is_matched(honest):
    # retmsg was not among the fields read before issue 14
    diagnosis = honest.diagnose('{"retcode": -1, "retmsg": "商户号不存在"}')
    assert diagnosis.matched
    assert diagnosis.matches[0].entry.slug == "v3-mch-not-exists"


def test_the_platform_an_sdk_names_outranks_another_platforms_entry(honest):
    diagnosis = honest.diagnose("wechatpy.pay.exceptions.WeChatPayException: 签名错误")
    assert diagnosis.matches[0].entry.slug == "v2-sign"
    # answered on the named platform, the others' entries are not listed even as related
    assert "baidu-sign" not in levels(diagnosis)


def test_an_unanswered_query_naming_a_platform_keeps_others_only_as_related(honest):
    # wechatpy speaks V2; the only entry with this text is APIv3's
    diagnosis = honest.diagnose("wechatpy 报 商户号不存在")
    assert not diagnosis.matched
    assert levels(diagnosis) == {"v3-mch-not-exists": "related"}


def test_the_forms_platform_counts_as_a_hint_for_the_confidence(honest):
    diagnosis = honest.diagnose("下单一直报签名错误，不知道哪里错了", platform="wechat_v2")
    assert diagnosis.matched
    assert [m.entry.slug for m in diagnosis.matches] == ["v2-sign"]


def test_a_generic_phrase_inside_a_longer_text_carries_no_match_alone(honest):
    diagnosis = honest.diagnose("公众号网页授权 redirect_uri 参数错误")
    assert not diagnosis.matched
    assert levels(diagnosis).get("v2-param-error", "related") == "related"


def test_a_generic_phrase_typed_alone_is_answered_as_likely(honest):
    diagnosis = honest.diagnose("参数错误")
    assert diagnosis.matched
    assert levels(diagnosis)["v2-param-error"] == "likely"


@pytest.mark.parametrize(
    "query",
    [
        "获取 access_token 报 errcode 40001 invalid credential",
        "publicKey mismatch",
        "微信支付分 免押租借的押金怎么退",
        "文档 https://api.weixin.qq.com/cgi-bin/token 打不开",
    ],
)
def test_stop_words_and_url_fragments_never_carry_a_match_on_their_own(honest, query):
    diagnosis = honest.diagnose(query)
    assert not diagnosis.matched, levels(diagnosis)


def test_a_paraphrase_from_the_vocabulary_finds_the_documents_wording(honest):
    diagnosis = honest.diagnose("支付结果通知一直重复通知，我们已经返回成功了")
    assert diagnosis.matched
    assert diagnosis.matches[0].entry.slug == "v3-notify-retry"


def test_the_client_side_pay_call_message_goes_to_the_pay_sign_entry(honest):
    diagnosis = honest.diagnose("公众号调起支付，提示支付验证签名失败")
    assert diagnosis.matches[0].entry.slug == "v2-pay-sign"
    assert levels(diagnosis)["v2-pay-sign"] == "certain"


def test_a_refund_context_splits_notenough_from_the_payers_balance(honest):
    refund = honest.diagnose("申请退款返回 NOTENOUGH 余额不足")
    assert not refund.matched
    assert levels(refund)["v2-notenough"] == "related"
    assert any("退款" in str(why) for why in refund.matches[0].why)
    payment = honest.diagnose("付款码支付返回 NOTENOUGH")
    assert levels(payment)["v2-notenough"] == "certain"


def test_a_missing_service_id_splits_the_no_permission_message(honest):
    assert levels(honest.diagnose("商户暂无权限使用此服务"))["no-permission"] == "certain"
    missing = honest.diagnose("商户暂无权限使用此服务，我们没传 service_id")
    assert not missing.matched
    assert levels(missing)["no-permission"] == "related"


def test_another_payment_platform_gets_no_confident_answer(honest):
    diagnosis = honest.diagnose("银联回调 签名错误")
    assert diagnosis.foreign == "银联"
    assert not diagnosis.matched


def test_a_stack_trace_is_matched_on_its_exception_line_only(honest):
    diagnosis = honest.diagnose(
        "java.lang.IllegalStateException: 商户号不存在\n"
        "\tat com.example.pay.RequestPaymentHandler.handle(RequestPaymentHandler.java:42)\n"
    )
    assert diagnosis.matches[0].entry.slug == "v3-mch-not-exists"
    assert "requestpayment" not in diagnosis.normalized


def test_an_unmatched_diagnosis_keeps_the_closest_as_related(honest):
    diagnosis = honest.diagnose("合单子单的商户号填错了吗")
    assert not diagnosis.matched
    assert diagnosis.matches and all(m.confidence == "related" for m in diagnosis.matches)
    assert diagnosis.related_matches == diagnosis.matches


def test_traditional_characters_read_as_the_documents_simplified_ones(engine):
    # the module's engine uses the reviewed vocabulary file
    diagnosis = engine.diagnose("公眾號支付提示 當前頁面的URL未註冊")
    assert diagnosis.matched
    assert diagnosis.matches[0].entry.slug == "v2-url-not-registered"


def test_the_reviewed_vocabulary_holds_the_issues_examples():
    vocabulary = load_vocabulary()
    assert "回调一直重复推送" in vocabulary.expand("仍然会再次回调")
    assert vocabulary.is_generic("参数错误") and vocabulary.is_generic("微信支付")
    assert vocabulary.context_against("wechat-v2-notenough", "申请退款返回notenough")
    assert vocabulary.context_against("payscore-merchant-no-permission", "没传service_id")


# --- loading data files ------------------------------------------------------------------------


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_data_file_becomes_entries_with_codes_as_text(tmp_path):
    path = write(
        tmp_path,
        "001.yaml",
        """\
        document: 001_f667e89e7af6f0db.txt
        platform: baidu
        title: 百度收银台 · 支付常见问题
        entries:
          - slug: baidu-errcode-6
            section: 调起收银台错误 2
            title: 请求签名错误
            symptoms: [请求签名错误]
            codes: [6, -1, 10003]
            remedy: [检查 orderInfo]
          - slug: wechat-one
            platform: wechat_v3
            section: x
            title: y
            symptoms: [z]
            codes: []
            scenarios: [app, enable_page]
            http_status: "401"
            remedy: []
        """,
    )
    meta, entries = load_document(path)
    assert meta == {
        "document": "001_f667e89e7af6f0db.txt",
        "platform": "baidu",
        "title": "百度收银台 · 支付常见问题",
        "tier": "documents",
    }
    assert entries[0].codes == ("6", "-1", "10003")
    assert entries[0].platform == "baidu"
    assert entries[0].document == "001_f667e89e7af6f0db.txt"
    assert entries[1].platform == "wechat_v3"
    assert entries[1].scenarios == ("app", "enable_page")
    assert entries[1].http_status == 401


def test_an_unknown_scenario_is_refused_with_the_slug(tmp_path):
    path = write(
        tmp_path,
        "bad.yaml",
        """\
        platform: baidu
        entries:
          - {slug: odd, symptoms: [a], codes: [], remedy: [], scenarios: [desktop]}
        """,
    )
    with pytest.raises(KnowledgeError, match="odd"):
        load_document(path)


def test_a_slug_used_twice_is_refused(tmp_path):
    for name in ("a.yaml", "b.yaml"):
        write(tmp_path, name, "platform: baidu\nentries:\n  - {slug: same, symptoms: [a]}\n")
    with pytest.raises(KnowledgeError, match="same"):
        load_all(tmp_path)


# Every worker process must give the same answer: Python salts str hashes per process, so nothing in
# the ranking may depend on set order (ties, float sums).
_DIAGNOSE_ALL = """
import json
from faq.engine import RuleEngine
from faq.knowledge import load_all

entries = load_all()
engine = RuleEngine(entries)
queries = [text for entry in entries for text in (entry.title, *entry.symptoms)]
queries += [text[1:] for text in queries if len(text) > 4]  # a word cut short, as merchants paste
queries += [text[:-1] + "了" for text in queries if len(text) > 3]
answers = []
for query in queries:
    diagnosis = engine.diagnose(query)
    answers.append([query, diagnosis.matched, [[m.entry.slug, m.score] for m in diagnosis.matches]])
print(json.dumps(answers, ensure_ascii=False))
"""


def test_the_answers_do_not_depend_on_the_process_hash_seed():
    root = Path(__file__).resolve().parents[2]
    runs = [
        subprocess.run(
            [sys.executable, "-c", _DIAGNOSE_ALL],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    ]
    assert len(json.loads(runs[0])) > 1000
    assert runs[1] == runs[0] and runs[2] == runs[0]
