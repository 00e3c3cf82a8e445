from __future__ import annotations

import copy
import json
import random

import pytest

from diagnostics.core.findings import ParseError
from diagnostics.core.lint import LintResult
from diagnostics.platforms import LINT_APIS, lint

# --- valid inputs, written out from the documents -----------------------------------------------

# 004 请求示例 (合单支付-APP合单下单), with time_expire moved from 2000 to a later date.
COMBINE_APP_EXAMPLE = """{
  "time_expire" : "2030-01-01T00:00:00+08:00",
  "combine_appid" : "wxd678efh567hg6787",
  "sub_orders" : [
    {
      "mchid" : "1230000109",
      "attach" : "深圳分店",
      "amount" : {"total_amount" : 10, "currency" : "CNY"},
      "out_trade_no" : "20150806125346",
      "detail" : "买单费用",
      "description" : "腾讯充值中心-QQ会员充值",
      "settle_info" : {"profit_sharing" : false},
      "goods_tag" : "WXG"
    },
    {
      "mchid" : "1230000119",
      "attach" : "广州分店",
      "amount" : {"total_amount" : 10, "currency" : "CNY"},
      "out_trade_no" : "20150806125347",
      "detail" : "买单费用",
      "description" : "腾讯充值中心-微信充值",
      "settle_info" : {"profit_sharing" : false},
      "goods_tag" : "WXG"
    }
  ],
  "combine_payer_info" : {"openid" : "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
  "combine_out_trade_no" : "20150806125345",
  "notify_url" : "https://yourapp.com/notify",
  "combine_mchid" : "1900000109",
  "scene_info" : {"device_id" : "POS1:1", "payer_client_ip" : "14.17.22.32"}
}"""

# 002 §4.8 request table, every field filled.
REFUND_XML = """<xml>
<appid>wx2421b1c4370ec43b</appid>
<mch_id>10000100</mch_id>
<nonce_str>6cefdb308e1e2e8aabd48cf79e546a02</nonce_str>
<op_user_id>10000100</op_user_id>
<out_refund_no>1415701182</out_refund_no>
<out_trade_no>1415757673</out_trade_no>
<refund_fee>1</refund_fee>
<total_fee>1</total_fee>
<sign>FE56DD4AA85C0EECA82C35595A69E153</sign>
</xml>"""

# 002 §3.3 request example, plus the optional time fields of §4.1.
UNIFIEDORDER_XML = """<xml>
<appid>wx2421b1c4370ec43b</appid>
<attach><![CDATA[att1]]></attach>
<body><![CDATA[JSAPI 支付测试]]></body>
<device_info>1000</device_info>
<mch_id>10000100</mch_id>
<nonce_str>b927722419c52622651a871d1d9ed8b2</nonce_str>
<notify_url>http://wxpay.weixin.qq.com/pub_v2/pay/notify.php</notify_url>
<openid>oUpF8uN95-Ptaags6E_roPHg7AG0</openid>
<out_trade_no>1405713376</out_trade_no>
<spbill_create_ip>127.0.0.1</spbill_create_ip>
<time_start>20091225091010</time_start>
<time_expire>20091227091010</time_expire>
<total_fee>1</total_fee>
<trade_type>JSAPI</trade_type>
<sign><![CDATA[3CA89B5870F944736C657979192E1CF4]]></sign>
</xml>"""

COMMON = {
    "appid": "wx2421b1c4370ec43b",
    "mch_id": "10000100",
    "nonce_str": "ec2316275641faa3aacf3cc599e8730f",
    "sign": "C380BEC2BFD727A4B6845133519F3AD6",
}


# An APP unifiedorder with 002 §4.1's required fields filled (JSAPI would also need openid).
UNIFIEDORDER_APP = {
    "body": "t",
    "out_trade_no": "1400755861",
    "total_fee": "1",
    "spbill_create_ip": "10.0.0.1",
    "notify_url": "https://p.example.com/n",
    "trade_type": "APP",
}


def v2(**fields: str) -> dict[str, str]:
    return {**COMMON, **fields}


def unifiedorder(**fields: str) -> dict[str, str]:
    return v2(**{**UNIFIEDORDER_APP, **fields})


def combine_body() -> dict:
    return json.loads(COMBINE_APP_EXAMPLE)


def pairs(result: LintResult) -> list[tuple[str, str]]:
    return [(finding.code, finding.field) for finding in result.findings]


# --- the API ------------------------------------------------------------------------------------


def test_every_lint_api_cites_its_document_and_kind():
    assert {slug: (api.source, api.kind) for slug, api in LINT_APIS.items()} == {
        "unifiedorder": ("002 §4.1", "wechat_v2"),
        "orderquery": ("002 §4.3", "wechat_v2"),
        "closeorder": ("002 §4.7", "wechat_v2"),
        "refund": ("002 §4.8", "wechat_v2"),
        "refundquery": ("002 §4.9", "wechat_v2"),
        "downloadbill": ("002 §4.10", "wechat_v2"),
        "combine-app": ("004", "wechat_v3"),
        "partner-jsapi": ("服务商 JSAPI 下单（公开文档）", "wechat_v3"),
        "partner-app": ("服务商 App 下单（公开文档）", "wechat_v3"),
        "partner-h5": ("服务商 H5 下单（公开文档）", "wechat_v3"),
        "partner-native": ("服务商 Native 下单（公开文档）", "wechat_v3"),
    }


def test_an_unknown_api_is_a_parse_error():
    with pytest.raises(ParseError) as error:
        lint("micropay", params={"appid": "wx1"})
    assert error.value.code == "unknown_api"


@pytest.mark.parametrize("given", [{}, {"params": {}}, {"body": ""}, {"body": "  \n"}], ids=str)
def test_no_params_and_no_body_is_a_parse_error(given):
    for api in ("refund", "combine-app"):
        with pytest.raises(ParseError) as error:
            lint(api, **given)
        assert error.value.code == "no_input"


def test_an_unreadable_v2_body_passes_the_parsers_error_through():
    with pytest.raises(ParseError) as error:
        lint("refund", body="<xml><appid>wx1</appid>")
    assert error.value.code == "xml_malformed"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ('{"combine_appid": "wx1",}', "json_malformed"),
        ('{"combine_appid": "wx1"', "json_malformed"),
        ('{"a": NaN}', "json_malformed"),
        ("[1, 2]", "json_not_object"),
        ("combine_appid=wx1", "json_not_object"),
        ('{"a": ' + "[" * 40 + "]" * 40 + "}", "json_too_deep"),
        ('{"a": ' + "[" * 100_000, "json_too_deep"),
        ('{"a": "' + "x" * (256 * 1024) + '"}', "too_large"),
    ],
    ids=["trailing comma", "unclosed", "NaN", "array", "query", "40 deep", "100k deep", "256k"],
)
def test_a_v3_body_that_is_not_a_bounded_json_object_is_a_parse_error(body, code):
    with pytest.raises(ParseError) as error:
        lint("combine-app", body=body)
    assert error.value.code == code


def test_over_deep_v3_params_are_a_parse_error():
    deep: dict = {}
    node = deep
    for _ in range(40):
        node["x"] = {}
        node = node["x"]
    with pytest.raises(ParseError) as error:
        lint("combine-app", params={"scene_info": deep})
    assert error.value.code == "json_too_deep"


def test_nesting_of_32_levels_is_still_read():
    body = '{"a": ' + "[" * 31 + "]" * 31 + "}"
    assert "unknown_field" in lint("combine-app", body=body).codes


# --- V3 App 合单下单 (004) ----------------------------------------------------------------------


def test_the_004_request_example_has_no_findings():
    result = lint("combine-app", body=COMBINE_APP_EXAMPLE)
    assert result.findings == ()
    assert result.format == "json"
    # 8 top-level + 2 scene_info + 1 payer + 2 × (8 sub-order + 2 amount + 1 settle_info)
    assert result.fields_checked == 8 + 2 + 1 + 2 * 11


def test_the_decoded_object_can_be_given_as_params():
    assert lint("combine-app", params=combine_body()).findings == ()


def test_004s_own_example_time_expire_in_2000_is_not_a_format_finding():
    body = combine_body()
    body["time_expire"] = "2000-01-01T00:00:00+08:00"
    assert lint("combine-app", params=body).findings == ()


def _parent(body: dict, path: str) -> tuple[dict, str]:
    """The object holding the last name of ``path`` (e.g. ``sub_orders[1].amount.currency``)."""
    *parents, last = path.split(".")
    node = body
    for part in parents:
        node = (
            node["sub_orders"][int(part[11:-1])] if part.startswith("sub_orders[") else node[part]
        )
    return node, last


def _without(path: str):
    def mutate(body: dict) -> None:
        node, name = _parent(body, path)
        del node[name]

    return mutate


def _set(path: str, value: object):
    def mutate(body: dict) -> None:
        node, name = _parent(body, path)
        node[name] = value

    return mutate


BROKEN_COMBINE_BODIES = [
    # required fields (004 必填)
    (_without("combine_appid"), "required_missing", "combine_appid"),
    (_without("combine_mchid"), "required_missing", "combine_mchid"),
    (_without("combine_out_trade_no"), "required_missing", "combine_out_trade_no"),
    (_without("notify_url"), "required_missing", "notify_url"),
    (_without("sub_orders"), "required_missing", "sub_orders"),
    (_without("scene_info.payer_client_ip"), "required_missing", "scene_info.payer_client_ip"),
    (_without("sub_orders[0].mchid"), "required_missing", "sub_orders[0].mchid"),
    (_without("sub_orders[1].attach"), "required_missing", "sub_orders[1].attach"),
    (_without("sub_orders[1].amount"), "required_missing", "sub_orders[1].amount"),
    (_without("sub_orders[0].description"), "required_missing", "sub_orders[0].description"),
    (_without("sub_orders[0].out_trade_no"), "required_missing", "sub_orders[0].out_trade_no"),
    (
        _without("sub_orders[1].amount.total_amount"),
        "required_missing",
        "sub_orders[1].amount.total_amount",
    ),
    (
        _without("sub_orders[0].amount.currency"),
        "required_missing",
        "sub_orders[0].amount.currency",
    ),
    (_set("combine_appid", ""), "required_missing", "combine_appid"),
    # string(n) limits, counted in characters
    (_set("combine_appid", "w" * 33), "too_long", "combine_appid"),
    (_set("combine_mchid", "1" * 33), "too_long", "combine_mchid"),
    (_set("combine_out_trade_no", "1" * 33), "too_long", "combine_out_trade_no"),
    (_set("scene_info.device_id", "POS" * 6), "too_long", "scene_info.device_id"),
    (_set("sub_orders[0].mchid", "1" * 33), "too_long", "sub_orders[0].mchid"),
    (_set("sub_orders[0].attach", "店" * 129), "too_long", "sub_orders[0].attach"),
    (_set("sub_orders[1].description", "充" * 128), "too_long", "sub_orders[1].description"),
    (_set("sub_orders[1].detail", "x" * 6001), "too_long", "sub_orders[1].detail"),
    (_set("sub_orders[0].goods_tag", "G" * 33), "too_long", "sub_orders[0].goods_tag"),
    (_set("combine_payer_info.openid", "o" * 129), "too_long", "combine_payer_info.openid"),
    (
        _set("notify_url", "https://yourapp.com/" + "n" * 236),
        "too_long",
        "notify_url",
    ),
    # combine_out_trade_no / out_trade_no: 6~32, 只能是数字、大小写字母_-|*
    (_set("combine_out_trade_no", "12345"), "out_trade_no_format", "combine_out_trade_no"),
    (_set("combine_out_trade_no", "2015 0806"), "out_trade_no_format", "combine_out_trade_no"),
    (
        _set("sub_orders[1].out_trade_no", "订单20150806"),
        "out_trade_no_format",
        "sub_orders[1].out_trade_no",
    ),
    (
        _set("sub_orders[0].out_trade_no", "2015.08.06"),
        "out_trade_no_format",
        "sub_orders[0].out_trade_no",
    ),
    # scene_info.payer_client_ip: IPv4 or IPv6
    (
        _set("scene_info.payer_client_ip", "14.17.22"),
        "payer_client_ip_invalid",
        "scene_info.payer_client_ip",
    ),
    (
        _set("scene_info.payer_client_ip", "14.17.22.32:443"),
        "payer_client_ip_invalid",
        "scene_info.payer_client_ip",
    ),
    (
        _set("scene_info.payer_client_ip", "yourapp.com"),
        "payer_client_ip_invalid",
        "scene_info.payer_client_ip",
    ),
    # sub_orders: 2-10 items
    (lambda body: body["sub_orders"].pop(), "sub_orders_count", "sub_orders"),
    (
        lambda body: body["sub_orders"].extend(
            dict(body["sub_orders"][0], out_trade_no=f"2015080612540{n}") for n in range(9)
        ),
        "sub_orders_count",
        "sub_orders",
    ),
    # amount: integer fen > 0, CNY
    (
        _set("sub_orders[1].amount.total_amount", 0.01),
        "amount_not_integer_fen",
        "sub_orders[1].amount.total_amount",
    ),
    (
        _set("sub_orders[1].amount.total_amount", 10.0),
        "amount_not_integer_fen",
        "sub_orders[1].amount.total_amount",
    ),
    (
        _set("sub_orders[0].amount.total_amount", "100"),
        "amount_not_integer_fen",
        "sub_orders[0].amount.total_amount",
    ),
    (
        _set("sub_orders[0].amount.total_amount", 0),
        "amount_not_positive",
        "sub_orders[0].amount.total_amount",
    ),
    (
        _set("sub_orders[0].amount.total_amount", -10),
        "amount_not_positive",
        "sub_orders[0].amount.total_amount",
    ),
    (
        _set("sub_orders[0].amount.total_amount", True),
        "wrong_type",
        "sub_orders[0].amount.total_amount",
    ),
    (
        _set("sub_orders[0].amount.currency", "cny"),
        "currency_invalid",
        "sub_orders[0].amount.currency",
    ),
    (
        _set("sub_orders[0].amount.currency", "RMB"),
        "currency_invalid",
        "sub_orders[0].amount.currency",
    ),
    # duplicate sub-order numbers
    (
        _set("sub_orders[1].out_trade_no", "20150806125346"),
        "duplicate_out_trade_no",
        "sub_orders[1].out_trade_no",
    ),
    # time_expire: RFC 3339 with an offset
    (_set("time_expire", "2030-01-01T00:00:00"), "time_expire_format", "time_expire"),
    (_set("time_expire", "2030-01-01 00:00:00+08:00"), "time_expire_format", "time_expire"),
    (_set("time_expire", "2030-01-01T00:00:00.000+08:00"), "time_expire_format", "time_expire"),
    (_set("time_expire", "1893427200000"), "time_expire_format", "time_expire"),
    (_set("time_expire", "2030-01-01T00:00:00+0800"), "time_expire_format", "time_expire"),
    (_set("time_expire", "2030-02-30T00:00:00+08:00"), "time_expire_format", "time_expire"),
    (_set("time_expire", "20300101000000"), "time_expire_format", "time_expire"),
    # notify_url: https, no query string, a real URL
    (_set("notify_url", "http://yourapp.com/notify"), "notify_url_not_https", "notify_url"),
    (_set("notify_url", "https://yourapp.com/notify?shop=1"), "notify_url_query", "notify_url"),
    (_set("notify_url", "https:///notify"), "notify_url_invalid", "notify_url"),
    (_set("notify_url", "yourapp.com/notify"), "notify_url_invalid", "notify_url"),
    (_set("notify_url", "https://yourapp.com/no tify"), "notify_url_invalid", "notify_url"),
    # unknown fields, typos
    (_set("combine_appid_", "wx"), "unknown_field", "combine_appid_"),
    (_set("sub_orders[0].sub_appid", "wx"), "unknown_field", "sub_orders[0].sub_appid"),
    (_set("sub_orders[0].amount.total", 10), "unknown_field", "sub_orders[0].amount.total"),
    (_set("scene_info.h5_info", {}), "unknown_field", "scene_info.h5_info"),
    # type errors
    (_set("combine_mchid", 1900000109), "wrong_type", "combine_mchid"),
    (_set("sub_orders", {"mchid": "1230000109"}), "wrong_type", "sub_orders"),
    (_set("scene_info", ["14.17.22.32"]), "wrong_type", "scene_info"),
    (_set("sub_orders[0].amount", 10), "wrong_type", "sub_orders[0].amount"),
    (
        _set("sub_orders[0].settle_info.profit_sharing", "false"),
        "wrong_type",
        "sub_orders[0].settle_info.profit_sharing",
    ),
    (lambda body: body["sub_orders"].__setitem__(1, "1230000119"), "wrong_type", "sub_orders[1]"),
    (_set("combine_payer_info", None), "null_value", "combine_payer_info"),
    (_set("notify_url", None), "null_value", "notify_url"),
]


@pytest.mark.parametrize(("mutate", "code", "field"), BROKEN_COMBINE_BODIES)
def test_a_combine_body_with_one_rule_broken_has_exactly_that_finding(mutate, code, field):
    body = combine_body()
    mutate(body)
    assert pairs(lint("combine-app", params=body)) == [(code, field)]
    # The same body pasted as JSON text gives the same answer.
    pasted = json.dumps(body, ensure_ascii=False)
    assert pairs(lint("combine-app", body=pasted)) == [(code, field)]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("scene_info.payer_client_ip", "2001:db8::1"),
        ("scene_info.payer_client_ip", "::ffff:14.17.22.32"),
        ("time_expire", "2015-05-20T13:29:35+08:00"),
        ("time_expire", "2015-05-20T05:29:35Z"),
        ("combine_out_trade_no", "a-B_c|d*9"),
        ("combine_out_trade_no", "1" * 32),
        ("sub_orders[0].attach", "店" * 128),
        ("sub_orders[0].description", "充" * 127),
        ("notify_url", "https://yourapp.com:8443/pay/notify"),
    ],
)
def test_values_inside_the_limits_pass(name, value):
    body = combine_body()
    _set(name, value)(body)
    assert lint("combine-app", params=body).findings == ()


def test_optional_objects_can_be_left_out():
    body = combine_body()
    for name in ("scene_info", "combine_payer_info", "time_expire"):
        del body[name]
    for sub_order in body["sub_orders"]:
        for name in ("detail", "goods_tag", "settle_info"):
            del sub_order[name]
    assert lint("combine-app", params=body).findings == ()


def test_ten_sub_orders_are_allowed():
    body = combine_body()
    body["sub_orders"] = [
        dict(body["sub_orders"][0], out_trade_no=f"2015080612540{n}") for n in range(10)
    ]
    assert lint("combine-app", params=body).findings == ()


def test_a_misspelt_top_level_name_suggests_the_real_one():
    body = combine_body()
    body["combine_mch_id"] = body.pop("combine_mchid")
    result = lint("combine-app", params=body)
    assert pairs(result) == [
        ("unknown_field", "combine_mch_id"),
        ("required_missing", "combine_mchid"),
    ]
    assert "combine_mchid" in str(result.findings[0].message)


def test_a_decimal_amount_is_told_in_fen():
    body = combine_body()
    body["sub_orders"][0]["amount"]["total_amount"] = 0.1
    [finding] = lint("combine-app", params=body).findings
    message = str(finding.message)
    # 0.1 yuan is 10 fen (the message also quotes 004's example total_amount 10: name the fix).
    assert "0.1 元应写作整数 10" in message and "分" in message


def test_a_repeated_json_name_is_reported():
    text = COMBINE_APP_EXAMPLE.replace(
        '"notify_url" :', '"notify_url" : "https://a.example/x", "notify_url" :'
    )
    assert pairs(lint("combine-app", body=text)) == [("duplicate_name", "notify_url")]


def test_every_combine_finding_cites_a_document():
    body = combine_body()
    body["notify_url"] = "http://x?y"
    body["sub_orders"] = {}
    findings = lint("combine-app", params=body).findings
    assert findings
    for finding in findings:
        assert finding.source.startswith(("003", "004")) and finding.field and str(finding.message)


# --- V2 (002 §4) --------------------------------------------------------------------------------


def test_a_valid_refund_xml_has_no_findings():
    result = lint("refund", body=REFUND_XML)
    assert (result.format, result.findings, result.fields_checked) == ("xml", (), 9)


def test_a_valid_unifiedorder_xml_has_no_findings():
    assert lint("unifiedorder", body=UNIFIEDORDER_XML).findings == ()


@pytest.mark.parametrize(
    ("api", "params"),
    [
        ("orderquery", v2(out_trade_no="1415757673")),
        ("orderquery", v2(transaction_id="1009660380201506130728806387")),
        ("closeorder", v2(out_trade_no="1415757673")),
        (
            "refund",
            v2(
                transaction_id="1009660380201506130728806387",
                out_refund_no="r1",
                total_fee="100",
                refund_fee="100",
                op_user_id="10000100",
            ),
        ),
        ("refundquery", v2(out_refund_no="1415701182")),
        ("refundquery", v2(refund_id="2008450740201411110000174436")),
        ("downloadbill", v2(bill_date="20140603")),
        ("downloadbill", v2(bill_date="20240229", bill_type="ALL")),
        ("downloadbill", v2(bill_date="20140603", bill_type="SUCCESS")),
        ("downloadbill", v2(bill_date="20140603", bill_type="REFUND")),
        ("unifiedorder", unifiedorder()),
    ],
)
def test_valid_v2_params_have_no_findings(api, params):
    result = lint(api, params=params)
    assert result.findings == ()
    assert result.format == "form"


BROKEN_V2 = [
    # 002 §4.3: transaction_id、out_trade_no 二选一
    ("orderquery", v2(), "order_id_missing", "out_trade_no"),
    (
        "orderquery",
        v2(transaction_id="1009660380201506130728806387", out_trade_no="1415757673"),
        "order_id_priority",
        "transaction_id",
    ),
    # 002 §4.7
    ("closeorder", v2(), "out_trade_no_missing", "out_trade_no"),
    # 002 §4.8
    (
        "refund",
        v2(out_refund_no="r1", total_fee="100", refund_fee="10", op_user_id="1"),
        "order_id_missing",
        "out_trade_no",
    ),
    (
        "refund",
        v2(
            out_trade_no="1415757673",
            out_refund_no="r1",
            total_fee="100",
            refund_fee="101",
            op_user_id="1",
        ),
        "refund_fee_invalid",
        "refund_fee",
    ),
    (
        "refund",
        v2(out_trade_no="1415757673", total_fee="100", refund_fee="10", op_user_id="1"),
        "required_missing",
        "out_refund_no",
    ),
    (
        "refund",
        v2(out_trade_no="1415757673", out_refund_no="r1", total_fee="100", refund_fee="10"),
        "required_missing",
        "op_user_id",
    ),
    (
        "refund",
        v2(
            out_trade_no="1415757673",
            out_refund_no="r1",
            total_fee="1.00",
            refund_fee="1",
            op_user_id="1",
        ),
        "amount_not_integer_fen",
        "total_fee",
    ),
    # 002 §4.9
    ("refundquery", v2(), "refund_query_id_missing", "refund_id"),
    (
        "refundquery",
        v2(out_trade_no="1415757673", out_refund_no="1415701182"),
        "refund_query_id_priority",
        "out_refund_no",
    ),
    # 002 §4.10
    ("downloadbill", v2(bill_date="2014-06-03"), "bill_date_format", "bill_date"),
    ("downloadbill", v2(bill_date="20140631"), "bill_date_format", "bill_date"),
    ("downloadbill", v2(bill_date="140603"), "bill_date_format", "bill_date"),
    ("downloadbill", v2(bill_date="20140603", bill_type="all"), "bill_type_invalid", "bill_type"),
    (
        "downloadbill",
        v2(bill_date="20140603", bill_type="REVOKED"),
        "bill_type_invalid",
        "bill_type",
    ),
    ("downloadbill", v2(), "required_missing", "bill_date"),
    # 002 §4.1
    (
        "unifiedorder",
        unifiedorder(time_start="2009-12-25 09:10"),
        "time_format",
        "time_start",
    ),
    (
        "unifiedorder",
        unifiedorder(time_expire="20091232091010"),
        "time_format",
        "time_expire",
    ),
    (
        "unifiedorder",
        unifiedorder(time_expire="1261876210"),
        "time_format",
        "time_expire",
    ),
    (
        "unifiedorder",
        unifiedorder(time_start="20091227091010", time_expire="20091225091010"),
        "time_expire_before_start",
        "time_expire",
    ),
    (
        "unifiedorder",
        unifiedorder(notify_url="p.example.com/notify"),
        "notify_url_invalid",
        "notify_url",
    ),
    (
        "unifiedorder",
        unifiedorder(spbill_create_ip="localhost"),
        "spbill_create_ip_invalid",
        "spbill_create_ip",
    ),
    (
        "unifiedorder",
        unifiedorder(out_trade_num="1"),
        "field_not_in_table",
        "out_trade_num",
    ),
    # check_params is called: its rules appear too
    (
        "unifiedorder",
        unifiedorder(total_fee="0.01"),
        "amount_not_integer_fen",
        "total_fee",
    ),
    (
        "unifiedorder",
        unifiedorder(trade_type="JSAPI"),
        "jsapi_without_openid",
        "openid",
    ),
]


@pytest.mark.parametrize(("api", "params", "code", "field"), BROKEN_V2)
def test_v2_params_with_one_rule_broken_have_exactly_that_finding(api, params, code, field):
    assert pairs(lint(api, params=params)) == [(code, field)]


def test_v2_findings_cite_the_section_of_their_call():
    result = lint(
        "refund",
        params=v2(
            out_trade_no="1", out_refund_no="r", total_fee="1", refund_fee="2", op_user_id="1"
        ),
    )
    [finding] = result.findings
    assert finding.source == "002 §4.8; 002 §6"
    message = str(finding.message)
    assert "REFUND_FEE_INVALID" in message and "退款金额大于支付金额" in message


def test_the_refund_priority_finding_names_the_winner():
    result = lint("refundquery", params=v2(transaction_id="1", refund_id="2", out_trade_no="3"))
    [finding] = result.findings
    assert finding.field == "refund_id" and "refund_id > out_refund_no" in str(finding.message)


def test_missing_op_user_id_says_it_defaults_to_the_mch_id():
    result = lint(
        "refund",
        params=v2(out_trade_no="1415757673", out_refund_no="r1", total_fee="100", refund_fee="10"),
    )
    [finding] = result.findings
    assert "mch_id" in str(finding.message) and finding.source == "002 §4.8"


def test_an_empty_params_mapping_falls_back_to_the_body():
    body = "appid=wx1&mch_id=10000100&nonce_str=abc&out_trade_no=1415757673"
    assert lint("closeorder", params={}, body=body).findings == ()


def test_a_v2_body_can_be_a_query_string():
    result = lint("orderquery", body="appid=wx1&mch_id=10000100&nonce_str=abc&out_trade_no=1234567")
    assert (result.format, result.findings) == ("query", ())


# --- garbage in, ParseError or findings out -----------------------------------------------------


def _mutations(seed_text: str, rng: random.Random, count: int) -> list[str]:
    alphabet = "{}[]<>\"':,=&\n\\/0123456789.-+eE tnufalsxml!?%\u00a0\ufeff中"
    out = []
    for _ in range(count):
        chars = list(seed_text)
        for _ in range(rng.randint(1, 8)):
            position = rng.randrange(len(chars) + 1)
            action = rng.random()
            if action < 0.4 and chars:
                del chars[min(position, len(chars) - 1)]
            elif action < 0.8:
                chars.insert(position, rng.choice(alphabet))
            else:
                chars[position : position + rng.randint(1, 40)] = []
        out.append("".join(chars))
    return out


def _random_value(rng: random.Random) -> object:
    return rng.choice(
        [
            None,
            True,
            0,
            -1,
            1.5,
            10**30,
            "",
            "x" * 300,
            "2030-01-01T00:00:00+08:00",
            [],
            [1],
            {},
            {"total_amount": "1"},
            [{"mchid": 1}],
        ]
    )


def _scramble(value: object, rng: random.Random) -> object:
    if isinstance(value, dict):
        return {
            k: (_random_value(rng) if rng.random() < 0.2 else _scramble(v, rng))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_random_value(rng) if rng.random() < 0.2 else _scramble(v, rng) for v in value]
    return value


def test_mutated_and_garbage_input_never_raises_anything_but_parse_error():
    rng = random.Random(20250114)
    inputs = _mutations(COMBINE_APP_EXAMPLE, rng, 150) + _mutations(REFUND_XML, rng, 100)
    inputs += [
        "".join(chr(rng.randrange(1, 0x3000)) for _ in range(rng.randint(1, 80))) for _ in range(50)
    ]
    inputs += [
        "{",
        "}",
        "<",
        "<xml>",
        "=",
        "&&",
        '{"sub_orders": [null, 1, "x"]}',
        "1" * 5000,
        '{"a": ' + "1" * 5000 + "}",
        "\ufeff{}",
        "{}",
    ]
    outcomes = {"result": 0, "parse_error": 0}
    for pasted in inputs:
        for api in ("combine-app", "refund", "unifiedorder", "downloadbill"):
            try:
                result = lint(api, body=pasted)
            except ParseError as error:
                assert error.code and str(error.message)
                outcomes["parse_error"] += 1
            else:
                assert all(finding.code and str(finding.message) for finding in result.findings)
                outcomes["result"] += 1
    assert outcomes["result"] and outcomes["parse_error"]


def test_scrambled_combine_objects_give_findings_not_crashes():
    rng = random.Random(7)
    for _ in range(200):
        body = _scramble(copy.deepcopy(combine_body()), rng)
        result = lint("combine-app", params=body)
        assert all(finding.field for finding in result.findings)


# --- shown in the reader's language ---------------------------------------------------------------


def test_a_finding_is_shown_in_english_with_its_type_names_translated_too(translator):
    translator(
        {
            "{path} 应为{kind}，这里是{actual} {value}。": "{path} should be {kind}, got {actual} {value}.",
            "字符串": "a string",
            "整数": "an integer",
        }
    )
    body = combine_body()
    body["combine_mchid"] = 1900000109
    [finding] = lint("combine-app", params=body).findings
    assert finding.code == "wrong_type"
    assert str(finding.message) == "combine_mchid should be a string, got an integer 1900000109."


def test_the_unknown_api_error_lists_the_choices_with_the_translated_separator(translator):
    translator(
        {
            "不认识的接口 {api}；可选：{choices}。": "Unknown API {api}; one of: {choices}.",
            "、": ", ",
        }
    )
    with pytest.raises(ParseError) as error:
        lint("micropay", body="appid=wx1")
    assert str(error.value.message) == (
        "Unknown API 'micropay'; one of: unifiedorder, orderquery, closeorder, refund, "
        "refundquery, downloadbill, combine-app, partner-jsapi, partner-app, partner-h5, "
        "partner-native."
    )
