"""What the engine reads out of a paste: normalised text, codes, payload signals, scrubbed secrets.

Expected values are written by hand from the source documents (/work/shared/seeds/), never copied
from the code's output.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import time

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from faq.normalize import (
    MAX_QUERY_CHARS,
    compact,
    extract_codes,
    extract_http_status,
    features,
    normalize,
    scrub_secrets,
)
from faq.signals import read_signals

# --- normalisation -----------------------------------------------------------------------------


def test_full_width_letters_and_underscore_become_half_width_lower_case():
    assert normalize("ＳＩＧＮ＿ＥＲＲＯＲ") == "sign_error"


def test_full_width_colon_and_digits_become_half_width():
    assert normalize("错误码：１０００３") == "错误码:10003"


def test_curly_quotes_become_straight_quotes():
    assert normalize("提示“当前页面的URL未注册”和‘access_denied’") == (
        "提示\"当前页面的url未注册\"和'access_denied'"
    )


def test_html_entities_are_unescaped():
    assert normalize("a=1&amp;b=2 &lt;xml&gt;") == "a=1&b=2 <xml>"


def test_whitespace_collapses_and_chinese_stays_chinese():
    assert normalize("  系统繁忙\n\t 请稍后\u3000再试 ") == "系统繁忙 请稍后 再试"


def test_compact_drops_punctuation_so_printed_and_typed_forms_meet():
    assert compact(normalize("errCode:6")) == compact(normalize("errCode 6")) == "errcode6"
    assert compact(normalize("系统繁忙，")) == "系统繁忙"


def test_a_typo_keeps_some_character_features():
    strong_typed, weak_typed = features(normalize("系统反忙"))
    strong_doc, weak_doc = features(normalize("系统繁忙"))
    assert "系统" in strong_typed & strong_doc
    assert len(weak_typed & weak_doc) == 3  # 系, 统, 忙


# --- codes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("errCode:6", "6"),
        ("errCode 6", "6"),
        ("err_code=6", "6"),
        ('{"errCode":6}', "6"),
        ("调起后提示“errCode:6”、“请求签名错误”", "6"),
        ("错误码：10003", "10003"),
        ("错误码10003", "10003"),
        ("错误码:10005", "10005"),
        ("error 10005", "10005"),
        ("返回10003错误", "10003"),
        ("取消核销返回了10002", "10002"),
        ("10003", "10003"),
        ("10003怎么处理", "10003"),
        ("HTTP 401 SIGN_ERROR", "SIGN_ERROR"),
        ("SYSTEMERROR", "SYSTEMERROR"),
        ("下单报 PARAM_ERROR 了", "PARAM_ERROR"),
        ("err_code=OUT_TRADE_NO_USED", "OUT_TRADE_NO_USED"),
        ('"code": "sign_error"', "SIGN_ERROR"),
        ("errCode -1", "-1"),
        ("errCode=-2", "-2"),
        ("onPayFinish,errCode=-1", "-1"),
        ("-1", "-1"),
        ("ＳＩＧＮ＿ＥＲＲＯＲ", "SIGN_ERROR"),
        ("错误码：１０００３", "10003"),
    ],
)
def test_codes_are_read_in_every_form_merchants_type(typed, code):
    assert code in extract_codes(typed)


def test_codes_come_out_in_order_of_appearance():
    assert extract_codes("HTTP 401 SIGN_ERROR，之前还有 errCode:6") == ("SIGN_ERROR", "6")


@pytest.mark.parametrize(
    "text",
    [
        "SUCCESS",
        "return_code FAIL",
        "C380BEC2BFD727A4B6845133519F3AD6",  # 002 §3.2 printed sign: hex, not a code
        "transaction_id 1008450740201407220000058756",  # 002 §3 an order number, not a code
        "HTTP/1.1 401",  # a status, not a code
        "JSAPI",
    ],
)
def test_values_that_only_look_like_codes_are_not_codes(text):
    assert extract_codes(text) == ()


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("HTTP/1.1 401 Unauthorized", 401),
        ("HTTP 400", 400),
        ("http状态码 403", 403),
        ("状态码：500", 500),
        ("status code 429", 429),
        ("接口返回 401 Unauthorized", 401),
        ("没有状态码", None),
    ],
)
def test_http_status_is_read_from_status_lines_and_words(text, status):
    assert extract_http_status(text) == status


# --- payloads ----------------------------------------------------------------------------------

# 002 §3 业务级错误返回, as printed.
V2_BUSINESS_ERROR = """<xml>
<return_code><![CDATA[SUCCESS]]></return_code>
<return_msg><![CDATA[OK]]></return_msg>
<appid><![CDATA[wX2421b1c4370ec43b]]></appid>
<mch_id><![CDATA[10000100]]></mch_id>
<nonce_str><![CDATA[sthBJ9QyUG6vkrjJ]]></nonce_str>
<sign><![CDATA[6277A96D7875D4FF23AA7B6A4C3046AB]]></sign>
<result_code><![CDATA[FAIL]]></result_code>
<err_code><![CDATA[PAYERROR]]></err_code>
<err_code_des><![CDATA[支付错误]]></err_code_des>
</xml>"""


def test_v2_xml_with_cdata_gives_its_err_code_and_description():
    signals = read_signals(V2_BUSINESS_ERROR)
    assert signals.codes == ("PAYERROR",)
    assert signals.phrases == ("支付错误",)
    assert signals.platform_hints == ("wechat_v2",)


def test_v2_xml_noise_fields_do_not_reach_the_matched_text():
    text = read_signals(V2_BUSINESS_ERROR).text
    assert "sthbj9qyug6vkrjj" not in text
    assert "6277a96d7875d4ff23aa7b6a4c3046ab" not in text
    assert "支付错误" in text


def test_v2_xml_without_cdata_is_read_too():
    signals = read_signals(
        "<xml><return_code>FAIL</return_code><return_msg>签名错误</return_msg></xml>"
    )
    assert signals.phrases == ("签名错误",)
    assert signals.platform_hints == ("wechat_v2",)


def test_v2_protocol_error_return_msg_is_a_code_when_it_reads_like_one():
    # 002 §3 协议级错误返回
    signals = read_signals(
        "<xml>\n<return_code><![CDATA[FAIL]]></return_code>\n"
        "<return_msg><![CDATA[SYSERR]]></return_msg>\n</xml>"
    )
    assert "SYSERR" in signals.codes


def test_v2_trade_type_names_the_entry_point():
    signals = read_signals("<xml><trade_type>JSAPI</trade_type><err_code>NOAUTH</err_code></xml>")
    assert "jsapi" in signals.scenario_hints
    assert signals.codes == ("NOAUTH",)


def test_apiv3_error_body_after_a_status_line_gives_code_message_and_status():
    signals = read_signals(
        'HTTP/1.1 401 Unauthorized\nContent-Type: application/json\n\n{"code":"SIGN_ERROR",'
        '"message":"签名错误，请检查后再试"}'
    )
    assert signals.codes == ("SIGN_ERROR",)
    assert signals.phrases == ("签名错误,请检查后再试",)
    assert signals.http_status == 401
    assert signals.platform_hints == ("wechat_v3",)


def test_apiv3_error_body_alone_points_at_apiv3():
    signals = read_signals('{"code": "PARAM_ERROR", "message": "参数错误", "detail": {}}')
    assert signals.codes == ("PARAM_ERROR",)
    assert signals.http_status is None
    assert signals.platform_hints == ("wechat_v3",)


def test_js_bridge_err_msg_is_a_phrase_and_points_at_jsapi():
    signals = read_signals('res.err_msg == "get_brand_wcpay_request:fail"')
    assert "get_brand_wcpay_request:fail" in signals.phrases
    assert "jsapi" in signals.scenario_hints


def test_open_business_view_failure_points_at_pay_score():
    # 000 序号 14, pasted with its full-width brace and curly quote
    signals = read_signals(
        '｛“err_msg":"openBusinessView:fail_the permission value is offline verifying"｝'
    )
    assert "openbusinessview:fail_the permission value is offline verifying" in signals.phrases
    assert signals.platform_hints == ("wechat_payscore",)


def test_app_err_code_minus_one_points_at_the_wechat_app_sdk():
    signals = read_signals("Android onResp 回调 errCode=-1")
    assert signals.codes == ("-1",)
    assert "wechat_v3" in signals.platform_hints
    assert "app" in signals.scenario_hints


def test_err_code_six_points_at_baidu():
    signals = read_signals("调起收银台 errCode:6")
    assert signals.codes == ("6",)
    assert "baidu" in signals.platform_hints


def test_err_code_six_as_a_json_field_points_at_baidu():
    signals = read_signals('{"errCode":6,"errMsg":"请求签名错误"}')
    assert signals.codes == ("6",)
    assert signals.platform_hints == ("baidu",)
    assert signals.phrases == ("请求签名错误",)


def test_rsasign_points_at_baidu():
    assert "baidu" in read_signals("回调 rsaSign 验签不通过").platform_hints


def test_pay_score_words_point_at_pay_score_and_its_pages():
    signals = read_signals("小程序跳转支付分开启服务页 系统繁忙")
    assert signals.platform_hints == ("wechat_payscore",)
    assert set(signals.scenario_hints) == {"miniprogram", "enable_page"}


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<xml><return_code>FAIL</return_code><return_msg>&lol9;</return_msg></xml>"""


def test_a_doctype_is_refused_and_its_entities_are_never_expanded():
    started = time.perf_counter()
    signals = read_signals(BILLION_LAUGHS)
    assert time.perf_counter() - started < 0.5
    assert signals.ignored  # the merchant is told the DTD was dropped
    assert "lollol" not in signals.text
    assert len(signals.text) < 200


def test_an_external_entity_is_not_read():
    signals = read_signals(
        '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        "<xml><return_code>FAIL</return_code><return_msg>&xxe;</return_msg></xml>"
    )
    assert signals.ignored
    assert "root:" not in signals.text
    assert "/etc/passwd" not in signals.text


def test_a_huge_paste_is_cut_and_stays_cheap():
    started = time.perf_counter()
    read_signals("系统繁忙 " * 200_000)
    assert time.perf_counter() - started < 1.0


# Issue 10 F3: inputs that made a backtracking pattern run for seconds to hours. Each now returns
# the same reading as a short input; tests/test_regex_safety.py and bench/bench_worst_case.py
# hold the patterns to linear time, so these only check what is read.


def test_a_code_after_a_long_run_of_spaces_is_still_read():
    assert extract_codes("errcode" + " " * 2_000 + "6") == ("6",)
    assert extract_codes("errCode :" + " " * 2_000 + '"SIGN_ERROR"') == ("SIGN_ERROR",)


def test_a_keyword_and_spaces_with_no_code_read_as_nothing():
    # "errcode" + 250 spaces + "x" took 13 s with four \s* in a row.
    signals = read_signals("errcode" + " " * 20_000 + "x")
    assert signals.codes == ()


def test_keywords_joined_by_underscores_are_not_codes():
    assert extract_codes("error_" * 3_000) == ()
    assert extract_codes("1ERROR" * 3_000 + "_") == ()


def test_a_doctype_with_unclosed_brackets_is_left_alone_and_a_closed_one_is_cut():
    # 63 bytes took 8-11 s: [] pairs could each be one group or part of a longer one.
    assert read_signals("<!DOCTYPE" + "[]" * 27).ignored == ()
    assert read_signals("<!DOCTYPE" + "[]" * 2_000 + ">签名错误").ignored
    assert "签名错误" in read_signals("<!DOCTYPE" + "[]" * 2_000 + ">签名错误").text


def test_cdata_openers_without_an_end_are_read_as_text():
    signals = read_signals("<return_msg><![CDATA[" * 1_000)
    assert signals.codes == ()
    closed = read_signals("<return_msg><![CDATA[" * 500 + "签名错误]]></return_msg>")
    assert "签名错误" in closed.phrases


def test_an_http_status_after_a_long_run_of_spaces_is_read():
    # "http" + 3,000 spaces + "x" took 66 s with three \s* around optional words.
    assert extract_http_status("http" + " " * 3_000 + "x") is None
    assert extract_http_status("HTTP status code" + " " * 3_000 + "401") == 401


def test_a_paste_that_nfkc_lengthens_is_cut_again():
    # One "ﷺ" is 18 characters after NFKC; nothing past the 16 KiB limit is read.
    signals = read_signals("ﷺ" * MAX_QUERY_CHARS)
    assert len(signals.text) <= MAX_QUERY_CHARS


def test_scrub_of_a_long_run_without_an_at_sign_keeps_it_and_finds_an_email_after_it():
    text = "a." * 10_000 + " merchant.dev@example.com"
    assert scrub_secrets(text).endswith(" «email»")
    assert scrub_secrets("x" * 20_000 + "@") == "«key»@"


# --- secrets -----------------------------------------------------------------------------------

# Realistic tokens: the V2 key and openid printed in 002 §3, a sign computed here with hashlib,
# an APIv3 key of 32 characters, a base64 RSA signature of random bytes, a PEM generated here.
V2_KEY = "8934e7d15453e97507ef794cf7b0519d"
APIV3_KEY = "a7Kx9QmP2vT5wLzR8nB3cY6dF1gH4jS0"
OPENID = "oUpF8uN95-Ptaags6E_roPHg7AG0"
TRANSACTION_ID = "1008450740201407220000058756"
OUT_TRADE_NO = "1406033828"
PHONE = "13812345678"
MD5_SIGN = hashlib.md5(b"appid=wxd930ea5d5a258f4f&key=" + V2_KEY.encode()).hexdigest().upper()
SHA256_HEX = hashlib.sha256(b"apiclient_key").hexdigest()
RSA_SIGN_B64 = base64.b64encode(os.urandom(256)).decode()


def _pem_private_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def test_scrub_replaces_every_realistic_secret_with_a_placeholder():
    pem = _pem_private_key()
    pasted = (
        f"key={V2_KEY} apiv3密钥 {APIV3_KEY}\n"
        f"<xml><openid><![CDATA[{OPENID}]]></openid><sign><![CDATA[{MD5_SIGN}]]></sign>"
        f"<transaction_id>{TRANSACTION_ID}</transaction_id>"
        f"<out_trade_no>{OUT_TRADE_NO}</out_trade_no></xml>\n"
        f'Authorization: WECHATPAY2-SHA256-RSA2048 mchid="1900000109",signature="{RSA_SIGN_B64}"\n'
        f"证书指纹 {SHA256_HEX} 客服电话 {PHONE}\n{pem}"
    )
    scrubbed = scrub_secrets(pasted)
    for secret in (V2_KEY, APIV3_KEY, OPENID, MD5_SIGN, TRANSACTION_ID, OUT_TRADE_NO, PHONE):
        assert secret not in scrubbed
    assert RSA_SIGN_B64[:24] not in scrubbed
    assert SHA256_HEX[:32] not in scrubbed
    assert "PRIVATE KEY" not in scrubbed
    for placeholder in ("«key»", "«sign»", "«openid»", "«number»", "«phone»"):
        assert placeholder in scrubbed


def test_scrub_keeps_the_words_that_explain_the_problem():
    scrubbed = scrub_secrets(
        f"<return_msg>签名错误</return_msg> get_brand_wcpay_request:fail openid={OPENID}"
    )
    assert "签名错误" in scrubbed
    assert "get_brand_wcpay_request:fail" in scrubbed
    assert scrubbed.endswith("openid=«openid»")


def test_scrub_leaves_a_url_path_alone():
    assert scrub_secrets("POST /v3/pay/transactions/jsapi") == "POST /v3/pay/transactions/jsapi"


def test_scrub_names_a_v2_sign_as_a_sign():
    assert scrub_secrets(f"sign={MD5_SIGN}") == "sign=«sign»"
    assert scrub_secrets(f"<sign>{MD5_SIGN}</sign>") == "<sign>«sign»</sign>"


SECRET_LOOKING = re.compile(r"[A-Za-z0-9+/_-]{24,}|\d{10,}")

secret_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
secret_tokens = st.one_of(
    st.text(alphabet=secret_alphabet, min_size=32, max_size=64),
    st.text(alphabet="0123456789abcdef", min_size=32, max_size=32),
    st.text(alphabet="0123456789ABCDEF", min_size=64, max_size=64),
    st.binary(min_size=18, max_size=300).map(lambda b: base64.b64encode(b).decode()),
    st.text(alphabet=secret_alphabet + "_-", min_size=27, max_size=27).map(lambda s: "o" + s),
    st.text(alphabet="0123456789", min_size=10, max_size=32),
)


@settings(max_examples=300, deadline=None)
@given(
    token=secret_tokens,
    before=st.sampled_from(["", "签名是 ", "key=", "<sign>", "单号："]),
    case=st.sampled_from([str, str.lower]),  # callers may scrub the normalised (case-folded) text
)
def test_scrub_never_leaves_a_secret_looking_token(token, before, case):
    token = case(token)
    scrubbed = scrub_secrets(f"{before}{token} 请帮忙看下")
    assert token not in scrubbed
    assert not SECRET_LOOKING.search(scrubbed), scrubbed


# --- issue 14: signals read properly -----------------------------------------------------------


@pytest.mark.parametrize(
    ("paste", "platforms"),
    [
        ("com.wechat.pay.java.core.exception.ServiceException: 签名错误", ("wechat_v3",)),
        ("wechatpy.pay.exceptions.WeChatPayException: 签名错误", ("wechat_v2",)),
        (
            "com.github.binarywang.wxpay.exception.WxPayException: 签名错误",
            ("wechat_v2", "wechat_v3"),
        ),
        ("EasyWeChat 6 下单签名错误", ("wechat_v2", "wechat_v3")),
        # SDKs for WeChat Pay and Alipay both name both, unless the paste says which
        ("yansongda/pay 回调验签失败", ("wechat_v2", "wechat_v3", "alipay")),
        ("gopay 返回签名错误", ("wechat_v2", "wechat_v3", "alipay")),
        ("yansongda 微信回调验签失败", ("wechat_v2", "wechat_v3")),
        ("yansongda Alipay Sign Verify FAILED", ("alipay",)),
        ("POST https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi 401", ("wechat_v3",)),
        ("https://api.mch.weixin.qq.com/pay/unifiedorder 返回签名错误", ("wechat_v2",)),
        ("https://smartprogram.baidu.com/docs 上说的", ("baidu",)),
    ],
)
def test_sdk_names_packages_exception_classes_hosts_and_paths_name_the_platform(paste, platforms):
    assert set(read_signals(paste).platform_hints) == set(platforms)


def test_wechat_alone_names_the_three_wechat_products_as_a_family_not_as_a_platform():
    signals = read_signals("微信 签名错误")
    assert signals.platform_hints == ()
    assert set(signals.family_hints) == {"wechat_v2", "wechat_v3", "wechat_payscore"}
    assert read_signals("微信支付 V2 签名错误").family_hints == ()


def test_another_payment_platform_is_named_as_foreign():
    assert read_signals("银联 验签失败 respCode 11").foreign == "银联"
    assert read_signals("Stripe webhook signature verification failed").foreign == "Stripe"
    assert read_signals("百度收银台 签名错误").foreign == ""


def test_every_string_value_of_a_json_answer_is_read_except_ids_and_signs():
    signals = read_signals(
        '{"retcode": -1, "retmsg": "商户号不存在", "detail": "sub_mchid 与 appid 不匹配",'
        ' "appid": "wx8888888888888888", "nonce_str": "5K8264ILTKCH16CQ"}'
    )
    assert "商户号不存在" in signals.text and "sub_mchid 与 appid 不匹配" in signals.text
    assert "wx8888888888888888" not in signals.text and "5k8264iltkch16cq" not in signals.text
    assert signals.codes == ("-1",)
    assert "商户号不存在" in signals.phrases


def test_numbers_of_other_payload_fields_are_neither_codes_nor_text():
    signals = read_signals('{"total": 10003, "amount": {"payer_total": 100}, "status": "ok"}')
    assert signals.codes == () and signals.loose_codes == ()
    assert "10003" not in signals.text


def test_code_shapes_in_other_xml_fields_are_not_codes():
    signals = read_signals(
        "<xml><return_code>SUCCESS</return_code><refund_channel>ORIGINAL</refund_channel>"
        "<retmsg>系统繁忙</retmsg><nonce_str>sthBJ9QyUG6vkrjJ</nonce_str></xml>"
    )
    assert "ORIGINAL" not in signals.codes
    assert "系统繁忙" in signals.text and "sthbj9qyug6vkrjj" not in signals.text


def test_a_bare_number_in_a_sentence_is_only_a_loose_code_but_a_named_one_is_a_code():
    assert read_signals("退款 10003 分钱没到").codes == ()
    assert read_signals("退款 10003 分钱没到").loose_codes == ("10003",)
    assert read_signals("错误码 10003").codes == ("10003",)
    assert read_signals("10003").codes == ("10003",)  # the whole query
    assert read_signals('{"errCode": 10003}').codes == ("10003",)  # a code-named field


def test_a_java_stack_trace_is_reduced_to_its_exception_lines():
    signals = read_signals(
        "com.wechat.pay.java.core.exception.ValidationException: 应答的微信支付签名验证失败\n"
        "\tat com.wechat.pay.java.core.http.AbstractHttpClient.validateResponse(AbstractHttpClient.java:81)\n"
        "\tat com.wechat.pay.java.core.http.AbstractHttpClient.execute(AbstractHttpClient.java:52)\n"
        "\t... 12 more\n"
        "Caused by: java.security.SignatureException: Signature length not correct\n"
        "\tat sun.security.rsa.RSASignature.engineVerify(RSASignature.java:189)\n"
    )
    assert "应答的微信支付签名验证失败" in signals.text
    assert "signature length not correct" in signals.text
    assert "abstracthttpclient" not in signals.text and "rsasignature.java" not in signals.text
    assert signals.platform_hints == ("wechat_v3",)


def test_a_python_traceback_keeps_only_the_exception_line():
    signals = read_signals(
        "Traceback (most recent call last):\n"
        '  File "/srv/app/pay.py", line 42, in notify\n'
        "    result = client.parse_payment_result(request.body)\n"
        "wechatpy.exceptions.InvalidSignatureException: 签名错误\n"
    )
    assert signals.text == "wechatpy.exceptions.invalidsignatureexception: 签名错误"


def test_a_url_gives_its_hints_and_then_leaves_the_matched_text():
    signals = read_signals("文档 https://api.weixin.qq.com/cgi-bin/token 打不开")
    assert "api.weixin.qq.com" not in signals.text
    assert set(signals.family_hints) == {"wechat_v2", "wechat_v3", "wechat_payscore"}


def test_generic_english_words_and_field_names_are_no_features():
    strong, _weak = features(normalize("invalid mismatch errcode err_code errmsg failed"))
    assert strong == frozenset()


def test_a_lone_surrogate_from_a_json_escape_becomes_a_replacement_character():
    """A pasted JSON answer can spell a lone surrogate (\\udfff); RE2 and PostgreSQL cannot hold
    one, so the diagnosis and the unmatched log read it as U+FFFD instead of failing."""
    assert normalize("签名\udfff错误") == "签名\ufffd错误"
    assert "\udfff" not in scrub_secrets("x\udfffy")
