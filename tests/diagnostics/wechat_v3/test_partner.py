"""服务商模式, APIv3: the partner order bodies (POST /v3/pay/partner/transactions/jsapi|app|h5|native)
and the service provider's pay call (issue 15 part 5; research note §13).

The example bodies are built from the field tables and request examples of WeChat Pay's public
partner references (https://pay.weixin.qq.com/doc/v3/partner/4012523579 JSAPI,
https://pay.weixin.qq.com/doc/v3/partner/4012523551 Native,
https://pay.weixin.qq.com/wiki/doc/apiv3_partner/apis/chapter4_2_1.shtml App,
https://pay.weixin.qq.com/wiki/doc/apiv3_partner/apis/chapter4_3_1.shtml H5): their example values.
"""

from __future__ import annotations

import base64
import copy
import json

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from diagnostics.core.findings import BLOCKING, WARNING, ParseError
from diagnostics.platforms import LINT_APIS, lint
from diagnostics.wechat_v3 import APP, JSAPI, pay_sign
from diagnostics.wechat_v3.partner import PARTNER_SOURCES
from diagnostics.wechat_v3.pay_sign import partner_pay_findings, read_order
from tests.web import keys

SP_APPID, SUB_APPID = "wx8888888888888888", "wxd678efh567hg6999"
BASE = {
    "sp_appid": SP_APPID,
    "sp_mchid": "1230000109",
    "sub_appid": SUB_APPID,
    "sub_mchid": "1900000109",
    "description": "Image形象店-深圳腾大-QQ公仔",
    "out_trade_no": "1217752501201407033233368018",
    "time_expire": "2018-06-08T10:34:56+08:00",
    "attach": "自定义数据",
    "notify_url": "https://www.weixin.qq.com/wxpay/pay.php",
    "goods_tag": "WXG",
    "settle_info": {"profit_sharing": False},
    "amount": {"total": 100, "currency": "CNY"},
    "detail": {
        "cost_price": 608800,
        "invoice_id": "微信123",
        "goods_detail": [
            {
                "merchant_goods_id": "1246464644",
                "wechatpay_goods_id": "1001",
                "goods_name": "iPhoneX 256G",
                "quantity": 1,
                "unit_price": 528800,
            }
        ],
    },
    "scene_info": {
        "payer_client_ip": "14.23.150.211",
        "device_id": "013467007045764",
        "store_info": {
            "id": "0001",
            "name": "腾讯大厦分店",
            "area_code": "440305",
            "address": "广东省深圳市南山区科技中一道10000号",
        },
    },
}
H5_INFO = {"type": "iOS", "app_name": "王者荣耀", "app_url": "https://pay.qq.com"}


def body(api: str) -> dict:
    """A complete, valid body for ``api``."""
    result = copy.deepcopy(BASE)
    if api == "partner-jsapi":
        result["payer"] = {"sub_openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}
    if api == "partner-h5":
        result["scene_info"]["h5_info"] = dict(H5_INFO)
    return result


def run(api: str, value: dict):
    return lint(api, body=json.dumps(value, ensure_ascii=False))


def pairs(result) -> list[tuple[str, str]]:
    return [(finding.code, finding.field) for finding in result.findings]


# --- the tables ---------------------------------------------------------------------------------


@pytest.mark.parametrize("api", sorted(PARTNER_SOURCES))
def test_the_public_example_body_of_each_partner_api_has_no_finding(api):
    result = run(api, body(api))
    assert result.findings == ()
    assert result.fields_checked > 20  # nested objects and the goods_detail array are walked


@pytest.mark.parametrize("api", sorted(PARTNER_SOURCES))
def test_each_partner_api_cites_its_public_reference_and_is_checked_by_the_v3_rules(api):
    assert LINT_APIS[api].kind == "wechat_v3"
    assert LINT_APIS[api].source == PARTNER_SOURCES[api]
    assert "/v3/pay/partner/transactions/" + api.removeprefix("partner-") in LINT_APIS[api].title


@pytest.mark.parametrize(
    "missing",
    ["sp_appid", "sp_mchid", "sub_mchid", "description", "out_trade_no", "notify_url", "amount"],
)
def test_every_required_top_level_field_is_reported_missing_with_the_partner_source(missing):
    value = body("partner-native")
    del value[missing]
    result = run("partner-native", value)
    assert pairs(result) == [("required_missing", missing)]
    assert result.findings[0].source == "服务商 Native 下单（公开文档）"
    assert result.findings[0].severity == BLOCKING


def test_sub_appid_is_optional():
    value = body("partner-app")
    del value["sub_appid"]
    assert run("partner-app", value).findings == ()


def test_a_missing_sub_mchid_is_said_with_the_platforms_answer():
    value = body("partner-jsapi")
    del value["sub_mchid"]
    (finding,) = run("partner-jsapi", value).findings
    assert finding.code == "required_missing" and "受理机构必须传入sub_mch_id" in str(
        finding.message
    )


def test_h5_needs_scene_info_and_its_h5_info():
    value = body("partner-h5")
    del value["scene_info"]
    assert pairs(run("partner-h5", value)) == [("required_missing", "scene_info")]
    value = body("partner-h5")
    del value["scene_info"]["h5_info"]["type"]
    assert pairs(run("partner-h5", value)) == [("required_missing", "scene_info.h5_info.type")]
    # Native and App take scene_info without h5_info
    assert run("partner-native", {**body("partner-native"), "scene_info": None}).codes == [
        "null_value"
    ]


@pytest.mark.parametrize(
    ("path", "value", "code"),
    [
        (("amount", "total"), "1.00", "amount_not_integer_fen"),
        (("amount", "total"), 0, "amount_not_positive"),
        (("amount", "total"), True, "wrong_type"),
        (("amount", "currency"), "cny", "currency_invalid"),
        (("out_trade_no",), "12345", "out_trade_no_format"),
        (("notify_url",), "https://example.com/notify?order=1", "notify_url_query"),
        (("time_expire",), "2018-06-08 10:34:56", "time_expire_format"),
        (("scene_info", "payer_client_ip"), "example.com", "payer_client_ip_invalid"),
        (("description",), "字" * 128, "too_long"),
        (("detail", "goods_detail"), {"quantity": 1}, "wrong_type"),
    ],
)
def test_values_are_checked_by_the_tables_and_cite_the_partner_reference(path, value, code):
    result = body("partner-jsapi")
    target = result
    for name in path[:-1]:
        target = target[name]
    target[path[-1]] = value
    findings = run("partner-jsapi", result).findings
    assert [finding.code for finding in findings] == [code]
    assert findings[0].field == ".".join(path)
    assert findings[0].source == "服务商 JSAPI 下单（公开文档）"


def test_an_unknown_field_names_the_partner_reference_and_suggests_the_spelling():
    value = {**body("partner-app"), "sub_mch_id": "1900000109"}
    codes = pairs(run("partner-app", value))
    assert ("partner_direct_field", "sub_mch_id") in codes
    value = {**body("partner-app"), "descripton": "x"}
    (finding,) = run("partner-app", value).findings
    assert finding.code == "unknown_field" and "description" in str(finding.message)
    assert "服务商 App 下单（公开文档）" in str(finding.message)


def test_the_combine_app_table_still_cites_004_for_an_unknown_field():
    findings = lint("combine-app", params={"combine_appid": "wx", "nope": 1}).findings
    (finding,) = [finding for finding in findings if finding.code == "unknown_field"]
    assert finding.source == "004" and "nope 不在 004 的参数表里" in str(finding.message)


# --- the service-provider rules (§13) ----------------------------------------------------------


def test_payer_openid_in_a_partner_body_is_the_undocumented_parameter_error():
    """minibear2021/wechatpayv3 PR #87: 400 "请求中含有未在API文档中定义的参数" /body/payer/openid."""
    value = body("partner-jsapi")
    value["payer"] = {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}
    result = run("partner-jsapi", value)
    assert pairs(result) == [("partner_payer_openid", "payer.openid")]  # not also unknown_field
    finding = result.findings[0]
    assert finding.severity == BLOCKING
    assert "请求中含有未在API文档中定义的参数" in str(finding.message)
    assert "sub_openid" in str(finding.message)


@pytest.mark.parametrize(("direct", "partner"), [("appid", "sp_appid"), ("mchid", "sp_mchid")])
def test_the_direct_merchants_names_are_named_with_their_partner_counterparts(direct, partner):
    value = body("partner-native")
    value[direct] = value.pop(partner)
    codes = pairs(run("partner-native", value))
    assert codes == [("required_missing", partner), ("partner_direct_field", direct)]


def test_sub_openid_needs_sub_appid():
    value = body("partner-jsapi")
    del value["sub_appid"]
    result = run("partner-jsapi", value)
    assert pairs(result) == [("sub_openid_without_sub_appid", "sub_appid")]
    assert result.findings[0].severity == BLOCKING


def test_sp_openid_with_sub_appid_is_a_warning_about_which_app_the_openid_belongs_to():
    value = body("partner-jsapi")
    value["payer"] = {"sp_openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}
    result = run("partner-jsapi", value)
    assert pairs(result) == [("sp_openid_with_sub_appid", "payer.sp_openid")]
    assert result.findings[0].severity == WARNING
    # without sub_appid, sp_openid is the right field
    del value["sub_appid"]
    assert run("partner-jsapi", value).findings == ()


def test_a_payer_without_either_openid_and_a_missing_payer_are_blocking():
    value = body("partner-jsapi")
    value["payer"] = {}
    assert pairs(run("partner-jsapi", value)) == [("partner_payer_openid_missing", "payer")]
    del value["payer"]
    assert pairs(run("partner-jsapi", value)) == [("required_missing", "payer")]


def test_payer_is_not_a_field_of_the_other_partner_apis():
    value = {**body("partner-native"), "payer": {"openid": "o"}}
    assert pairs(run("partner-native", value)) == [("unknown_field", "payer")]


def test_the_sub_merchant_is_not_the_service_provider():
    value = body("partner-app")
    value["sub_mchid"] = value["sp_mchid"]
    assert pairs(run("partner-app", value)) == [("sub_mchid_is_sp_mchid", "sub_mchid")]


def test_params_are_read_like_a_body():
    assert lint("partner-native", params=body("partner-native")).findings == ()


# --- the service provider's pay call ----------------------------------------------------------

PAY = {
    "appId": SP_APPID,
    "timeStamp": "1395712654",
    "nonceStr": "e61463f8efa94090b1f366cccfbbb444",
    "package": "prepay_id=wx21201855730335ac86f8c43d1889123400",
    "signType": "RSA",
}


def test_a_pay_call_signed_with_the_service_providers_appid_is_blocking_when_the_order_used_sub_appid():
    order = body("partner-jsapi")
    result = pay_sign(JSAPI, PAY, private_key=keys.private_pem(), order=order)
    (finding,) = result.findings
    assert finding.code == "pay_appid_not_sub_appid" and finding.severity == BLOCKING
    assert finding.field == "appId" and SUB_APPID in str(finding.message)
    assert finding.source == "服务商 JSAPI 调起支付（公开文档）"


def test_the_pay_call_with_sub_appid_signs_a_message_that_starts_with_sub_appid():
    order = body("partner-jsapi")
    result = pay_sign(
        JSAPI, {**PAY, "appId": SUB_APPID}, private_key=keys.private_pem(), order=order
    )
    assert result.findings == ()
    message = (
        f"{SUB_APPID}\n1395712654\ne61463f8efa94090b1f366cccfbbb444\n"
        "prepay_id=wx21201855730335ac86f8c43d1889123400\n"
    )
    keys.private_key().public_key().verify(
        base64.b64decode(result.pay_sign), message.encode(), padding.PKCS1v15(), hashes.SHA256()
    )


def test_without_an_order_the_pay_call_is_not_judged_on_its_appid():
    assert pay_sign(JSAPI, PAY, private_key=keys.private_pem()).findings == ()


@pytest.mark.parametrize(
    ("scene", "app_id", "payer", "code"),
    [
        (JSAPI, "wx0000000000000000", {"sub_openid": "o"}, "pay_appid_not_in_order"),
        (JSAPI, SP_APPID, {"sp_openid": "o"}, None),
        (JSAPI, SUB_APPID, {"sp_openid": "o"}, "pay_appid_not_sp_appid"),
        (JSAPI, SUB_APPID, {"sub_openid": "o"}, None),
        (APP, SP_APPID, None, "app_appid_is_sp_appid"),
        (APP, SUB_APPID, None, None),
        (APP, "wx0000000000000000", None, "pay_appid_not_in_order"),
    ],
)
def test_which_appid_a_pay_call_may_use(scene, app_id, payer, code):
    order = body("partner-jsapi" if payer else "partner-app")
    if payer:
        order["payer"] = payer
    codes = [finding.code for finding in partner_pay_findings(scene, app_id, order)]
    assert codes == ([code] if code else [])


def test_a_direct_merchants_order_is_not_judged_as_a_service_providers():
    order = {"appid": SP_APPID, "mchid": "1230000109", "payer": {"openid": "o"}}
    assert partner_pay_findings(JSAPI, SUB_APPID, order) == []


def test_read_order_wants_a_json_object():
    assert read_order("  ") is None
    assert read_order(json.dumps(body("partner-app")))["sp_appid"] == SP_APPID
    with pytest.raises(ParseError) as error:
        read_order("[1]")
    assert error.value.code == "order_not_object"
