"""服务商模式, V2: the service provider's unified order and JSAPI pay call (issue 15 part 5; research
note §13). Field names and rules from the public V2 partner reference
(https://pay.weixin.qq.com/wiki/doc/api/jsapi_sl.php?chapter=9_1); the platform's answers quoted in
the findings are those merchants report (yansongda/pay#1049, binarywang/WxJava#255, #1170).
Expected signs are computed with hashlib in the test."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from diagnostics.core.findings import BLOCKING, WARNING
from diagnostics.core.params import parse_params
from diagnostics.platforms import lint
from diagnostics.wechat_v2.checks import check_params
from diagnostics.wechat_v2.fields import PRESETS, V2_APIS
from diagnostics.wechat_v2.report import build_report

KEY = "192006250b4c09247ec02edce69f6a2d"
SP_APPID, SUB_APPID = "wxd678efh567hg6787", "wxd678efh567hg6999"
ORDER = dict(parse_params(PRESETS["partner-unifiedorder"].sample).pairs)
PAY = {
    "appId": SUB_APPID,
    "timeStamp": "1395712654",
    "nonceStr": "e61463f8efa94090b1f366cccfbbb444",
    "package": "prepay_id=wx201410272009395522657a690389285100",
    "signType": "MD5",
}


def md5_sign(params: dict[str, str], key: str = KEY) -> str:
    string1 = "&".join(f"{name}={params[name]}" for name in sorted(params) if params[name])
    return hashlib.md5(f"{string1}&key={key}".encode()).hexdigest().upper()


def codes(findings) -> list[str]:
    return [finding.code for finding in findings]


def order(**changes: str | None) -> list[tuple[str, str]]:
    values = {**ORDER, **changes}
    return [(name, value) for name, value in values.items() if value is not None]


# --- the field table and the presets ------------------------------------------------------------


def test_the_partner_table_adds_the_service_providers_fields_to_the_unified_order():
    names = {spec.name: spec for spec in V2_APIS["partner-unifiedorder"]}
    assert {spec.name for spec in V2_APIS["unifiedorder"]} < set(names)
    assert set(names) - {spec.name for spec in V2_APIS["unifiedorder"]} == {
        "sub_appid",
        "sub_mch_id",
        "sub_openid",
    }
    assert names["sub_mch_id"].required and not names["sub_appid"].required
    assert names["sub_openid"].max_length == 128


def test_the_partner_order_preset_signs_its_sample_as_md5_over_every_field():
    preset = PRESETS["partner-unifiedorder"]
    report = build_report(parse_params(preset.sample), KEY, preset)
    assert report.steps.sign == md5_sign(ORDER)
    assert "sub_mch_id=1900000109" in report.steps.string1
    assert report.findings == []


def test_the_partner_pay_call_preset_signs_the_pay_call_and_takes_the_order():
    preset = PRESETS["partner-jsapi"]
    assert preset.takes_order and preset.api == "jsapi" and preset.sign_type_field == "signType"
    report = build_report(
        parse_params(json.dumps(PAY)),
        KEY,
        preset,
        order=parse_params(PRESETS["partner-unifiedorder"].sample),
    )
    assert report.steps.sign == md5_sign(PAY)
    assert report.findings == []  # the pay call uses the order's sub_appid


# --- the order ----------------------------------------------------------------------------------


def test_a_missing_sub_mch_id_is_said_with_the_platforms_answer():
    (finding,) = check_params(order(sub_mch_id=None), "partner-unifiedorder")
    assert finding.code == "required_missing" and finding.field == "sub_mch_id"
    assert "受理机构必须传入sub_mch_id" in str(finding.message)
    assert finding.severity == BLOCKING


def test_sub_mch_id_in_a_direct_merchants_order_names_the_service_provider_fields():
    findings = check_params(order(), "unifiedorder")
    assert codes(findings) == ["partner_field_in_direct_order"]
    message = str(findings[0].message)
    assert "普通商户不允许传sub_mch_id" in message
    assert all(name in message for name in ("sub_mch_id", "sub_appid", "sub_openid"))
    assert findings[0].severity == WARNING


def test_sub_openid_without_sub_appid_is_blocking():
    findings = check_params(order(sub_appid=None), "partner-unifiedorder")
    assert codes(findings) == ["sub_openid_without_sub_appid"]
    assert "appid和openid不匹配" in str(findings[0].message)
    assert findings[0].severity == BLOCKING


def test_openid_beside_sub_appid_says_where_a_sub_app_users_openid_goes():
    values = order(sub_openid=None, openid="oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")
    (finding,) = check_params(values, "partner-unifiedorder")
    assert finding.code == "openid_with_sub_appid" and finding.field == "openid"
    assert "sub_openid" in str(finding.message) and "appid和openid不匹配" in str(finding.message)
    # openid without sub_appid: the service provider's own app, as the reference allows
    values = order(sub_openid=None, sub_appid=None, openid="oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")
    assert check_params(values, "partner-unifiedorder") == []


def test_a_jsapi_order_with_sub_openid_only_has_its_user():
    assert "jsapi_without_openid" not in codes(check_params(order(), "partner-unifiedorder"))
    values = order(sub_openid=None)
    assert "jsapi_without_openid" in codes(check_params(values, "partner-unifiedorder"))


def test_the_sub_merchant_is_not_the_service_provider():
    findings = check_params(order(sub_mch_id=ORDER["mch_id"]), "partner-unifiedorder")
    assert codes(findings) == ["sub_mch_id_is_mch_id"]


# --- the pay call -------------------------------------------------------------------------------


def test_a_pay_call_with_the_service_providers_appid_is_blocking_when_the_order_used_sub_appid():
    values = {**PAY, "appId": SP_APPID}
    (finding,) = check_params(list(values.items()), "jsapi", order=order())
    assert finding.code == "pay_appid_not_sub_appid" and finding.field == "appId"
    assert finding.severity == BLOCKING and SUB_APPID in str(finding.message)
    assert finding.source == "服务商 JSAPI 调起支付（公开文档）"


def test_the_report_says_a_consistent_sign_over_the_wrong_appid_is_refused():
    values = {**PAY, "appId": SP_APPID}
    values["paySign"] = md5_sign(values)
    preset = PRESETS["partner-jsapi"]
    report = build_report(
        parse_params(json.dumps(values)),
        KEY,
        preset,
        order=parse_params(PRESETS["partner-unifiedorder"].sample),
    )
    assert report.match is True and codes(report.blocking) == ["pay_appid_not_sub_appid"]


@pytest.mark.parametrize(
    ("app_id", "changes", "expected"),
    [
        (SUB_APPID, {}, []),
        ("wx0000000000000000", {}, ["pay_appid_not_in_order"]),
        (SUB_APPID, {"sub_openid": None, "openid": "o"}, ["pay_appid_not_sp_appid"]),
        (SP_APPID, {"sub_openid": None, "openid": "o"}, []),
        (SP_APPID, {"sub_mch_id": None}, []),  # not a service provider's order
    ],
)
def test_which_appid_a_v2_pay_call_may_use(app_id, changes, expected):
    values = {**PAY, "appId": app_id}
    assert codes(check_params(list(values.items()), "jsapi", order=order(**changes))) == expected


def test_an_hmac_sha256_pay_call_signs_with_the_service_providers_key_whatever_the_appid():
    values = {**PAY, "signType": "HMAC-SHA256"}
    report = build_report(parse_params(json.dumps(values)), KEY, PRESETS["partner-jsapi"])
    string1 = "&".join(f"{name}={values[name]}" for name in sorted(values))
    expected = hmac.new(KEY.encode(), f"{string1}&key={KEY}".encode(), hashlib.sha256)
    assert report.steps.sign == expected.hexdigest().upper()


# --- the V2 linter ------------------------------------------------------------------------------


def test_the_v2_linter_names_service_provider_fields_in_a_direct_unified_order():
    result = lint("unifiedorder", body=PRESETS["partner-unifiedorder"].sample)
    assert "partner_field_in_direct_order" in result.codes
    assert {
        finding.field for finding in result.findings if finding.code == "field_not_in_table"
    } == {
        "sub_appid",
        "sub_mch_id",
        "sub_openid",
    }
