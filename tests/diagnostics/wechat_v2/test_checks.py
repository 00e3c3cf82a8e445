from __future__ import annotations

import pytest

from diagnostics.wechat_v2.checks import check_params, sign_type_findings
from diagnostics.wechat_v2.fields import PRESETS


def codes(findings):
    return [finding.code for finding in findings]


def by_code(findings, code):
    return [finding for finding in findings if finding.code == code]


def test_a_13_digit_timestamp_is_called_milliseconds():
    [finding] = by_code(check_params([("timeStamp", "1395712654000")], "jsapi"), "timestamp_format")
    assert "毫秒" in str(finding.message) and finding.source.startswith("002 §7.3")


def test_a_10_digit_timestamp_passes():
    assert "timestamp_format" not in codes(check_params([("timestamp", "1530097563")], ""))


def test_an_amount_with_a_decimal_point_is_called_out_with_fen():
    [finding] = by_code(
        check_params([("total_fee", "0.01")], "unifiedorder"), "amount_not_integer_fen"
    )
    assert "小数点" in str(finding.message) and finding.source == "002 §4.1"
    assert finding.message.values["fen"] == "1"  # 0.01 yuan is 1 fen


def test_nonce_longer_than_32_is_reported():
    assert "nonce_too_long" in codes(check_params([("nonce_str", "x" * 33)], ""))


def test_jsapi_field_name_case_is_checked():
    findings = check_params([("appid", "wx1"), ("timestamp", "1395712654")], "jsapi")
    assert sorted(f.field for f in by_code(findings, "name_case")) == ["appid", "timestamp"]


def test_jsapi_package_must_be_prepay_id():
    assert "package_format" in codes(check_params([("package", "wx201410272009395522")], "jsapi"))
    assert "package_format" not in codes(check_params([("package", "prepay_id=wx2014")], "jsapi"))


def test_app_package_must_be_sign_wxpay():
    assert "package_format" in codes(check_params([("package", "prepay_id=wx1")], "app"))


def test_jsapi_trade_type_without_openid():
    assert "jsapi_without_openid" in codes(check_params([("trade_type", "JSAPI")], "unifiedorder"))


def test_native_trade_type_without_product_id():
    findings = check_params([("trade_type", "NATIVE")], "unifiedorder")
    assert "native_without_product_id" in codes(findings)


def test_unifiedorder_required_fields_are_listed():
    missing = {
        f.field
        for f in by_code(check_params([("appid", "wx1")], "unifiedorder"), "required_missing")
    }
    assert {"mch_id", "nonce_str", "body", "out_trade_no", "total_fee", "notify_url"} <= missing
    assert "sign" not in missing


def test_string_length_limit_from_the_table():
    assert "too_long" in codes(check_params([("body", "x" * 128)], "unifiedorder"))


def test_payscore_without_mch_id_is_reported():
    findings = check_params([("package", "abc"), ("timestamp", "1530097563")], "payscore-confirm")
    assert "mch_id" in {f.field for f in by_code(findings, "required_missing")}


def test_payscore_query_values_not_urlencoded():
    findings = check_params(
        [("package", "a+b/c="), ("mch_id", "1")],
        "payscore-confirm",
        entry_point="app",
        query_was_encoded=False,
    )
    assert "query_not_urlencoded" in codes(findings)


def test_extra_field_in_a_jump_sign_is_reported():
    assert "unexpected_field" in codes(check_params([("appid", "wx1")], "payscore-enable"))


def test_sign_type_spelled_with_underscore_is_reported():
    findings = sign_type_findings("HMAC_SHA256", None, "HMAC-SHA256", None, "sign_type")
    assert codes(findings) == ["sign_type_spelling"]


def test_a_64_hex_sign_with_md5_chosen_is_reported():
    findings = sign_type_findings(None, "MD5", "MD5", "a" * 64, "sign_type")
    assert codes(findings) == ["sign_length_implies_type"]


def test_params_sign_type_wins_over_the_users_choice():
    findings = sign_type_findings("MD5", "HMAC-SHA256", "MD5", None, "sign_type")
    assert codes(findings) == ["sign_type_conflict"]


@pytest.mark.parametrize("slug", [slug for slug, preset in PRESETS.items() if preset.sample])
def test_the_documents_own_examples_raise_no_finding(slug):
    # Reality wins over a document's table (issue 11): its printed examples, which are what real
    # requests look like (an 18-character appId), must pass every length and format rule.
    from diagnostics.core.params import parse_params

    preset = PRESETS[slug]
    assert check_params(parse_params(preset.sample).pairs, preset.api) == []
