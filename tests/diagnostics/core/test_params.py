from __future__ import annotations

import pytest

from diagnostics.core.findings import ParseError
from diagnostics.core.params import from_mapping, parse_params


def codes(parsed):
    return [finding.code for finding in parsed.findings]


def test_xml_with_and_without_cdata_keeps_the_given_order():
    parsed = parse_params(
        "<xml><mch_id>10000100</mch_id><body><![CDATA[JSAPI 支付测试]]></body><appid>wx1</appid></xml>"
    )
    assert parsed.format == "xml"
    assert parsed.pairs == [("mch_id", "10000100"), ("body", "JSAPI 支付测试"), ("appid", "wx1")]


def test_empty_xml_element_is_an_empty_value():
    parsed = parse_params("<xml><attach></attach><appid>wx1</appid><detail/></xml>")
    assert parsed.pairs == [("attach", ""), ("appid", "wx1"), ("detail", "")]


def test_nested_xml_element_is_a_finding_not_a_crash():
    parsed = parse_params("<xml><appid>wx1</appid><detail><a>1</a></detail></xml>")
    assert "nested_value" in codes(parsed)


def test_xml_with_a_doctype_is_refused_before_parsing():
    bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><xml><a>&lol;</a></xml>'
    with pytest.raises(ParseError) as error:
        parse_params(bomb)
    assert error.value.code == "xml_dtd_refused"


def test_malformed_xml_is_a_parse_error_with_a_line():
    with pytest.raises(ParseError) as error:
        parse_params("<xml><appid>wx1</xml>")
    assert error.value.code == "xml_malformed"


def test_query_string_with_question_mark_prefix():
    parsed = parse_params("?b=2&a=1")
    assert parsed.format == "query"
    assert parsed.pairs == [("b", "2"), ("a", "1")]


def test_full_url_takes_the_query_part():
    parsed = parse_params("https://example.com/pay?appid=wx1&mch_id=10")
    assert parsed.format == "url"
    assert parsed.pairs == [("appid", "wx1"), ("mch_id", "10")]


def test_weixin_bizpayurl_with_a_broken_space_is_read():
    parsed = parse_params(
        "weixin://wxpay/bizpayurl?sign=XX&appid=wx1&mch_id=10&product_id=88 &time_stamp=1415949957"
    )
    assert parsed.get("product_id") == "88"
    assert parsed.get("time_stamp") == "1415949957"


def test_a_url_broken_by_100_kb_of_spaces_around_ampersands_is_read():
    # Issue 10 F3: re.sub(r"\s*&\s*") took 28 s on a 100 KB body of spaces.
    parsed = parse_params("https://example.com/pay?appid=wx1" + " " * 100_000 + "&mch_id=10")
    assert parsed.pairs == [("appid", "wx1"), ("mch_id", "10")]
    parsed = parse_params("weixin://wxpay/bizpayurl?appid=wx1" + " & " * 30_000 + "mch_id=10")
    assert parsed.get("appid") == "wx1"
    assert parsed.get("mch_id") == "10"


def test_percent_encoded_query_values_are_decoded_and_reported():
    parsed = parse_params("package=abc%2Bdef%3D&mch_id=1")
    assert parsed.get("package") == "abc+def="
    assert "values_percent_decoded" in codes(parsed)


def test_name_value_lines_with_blank_lines_and_a_line_without_equals():
    parsed = parse_params("appid=wx1\n\nmch_id=10\njust text\nbody=a=b")
    assert parsed.format == "lines"
    assert parsed.pairs == [("appid", "wx1"), ("mch_id", "10"), ("body", "a=b")]
    assert "missing_equals" in codes(parsed)


def test_json_object_keeps_order_and_reports_non_strings():
    parsed = parse_params('{"timestamp": 1530097563, "ok": true, "n": null, "obj": {"a": 1}}')
    assert parsed.format == "json"
    assert parsed.pairs == [
        ("timestamp", "1530097563"),
        ("ok", "true"),
        ("n", ""),
        ("obj", '{"a":1}'),
    ]
    assert codes(parsed).count("non_string_value") == 3
    assert "null_value" in codes(parsed)


def test_json_array_is_refused():
    with pytest.raises(ParseError) as error:
        parse_params('[{"a": "1"}]')
    assert error.value.code == "json_not_object"


def test_malformed_json_names_line_and_column():
    with pytest.raises(ParseError) as error:
        parse_params('{"a": "1",,}')
    assert error.value.code == "json_malformed"
    assert "第 1 行" in str(error.value.message)


def test_deeply_nested_json_is_refused():
    with pytest.raises(ParseError) as error:
        parse_params('{"a": ' + "[" * 5000 + "]" * 5000 + "}")
    assert error.value.code == "json_too_deep"


def test_duplicate_names_keep_the_last_value_and_are_reported():
    parsed = parse_params("a=1&b=2&a=3")
    assert parsed.pairs == [("b", "2"), ("a", "3")]
    assert "duplicate_name" in codes(parsed)


def test_a_key_line_is_taken_out_as_the_key():
    parsed = parse_params("appid=wx1\nkey=SECRET")
    assert parsed.pairs == [("appid", "wx1")]
    assert parsed.pasted_key == "SECRET"


def test_form_fields_mapping_converts_numbers_with_a_finding():
    parsed = from_mapping({"total_fee": 1, "body": "x"})
    assert parsed.format == "form"
    assert parsed.pairs == [("total_fee", "1"), ("body", "x")]
    assert "non_string_value" in codes(parsed)


def test_bom_is_removed_and_reported():
    parsed = parse_params("\ufeffa=1&b=2")
    assert parsed.pairs == [("a", "1"), ("b", "2")]
    assert "bom_removed" in codes(parsed)


@pytest.mark.parametrize("text", ["", "   \n ", "<xml></xml>", "{}"])
def test_input_without_params_is_a_parse_error(text):
    with pytest.raises(ParseError):
        parse_params(text)


def test_oversized_input_is_refused():
    with pytest.raises(ParseError) as error:
        parse_params("a=" + "x" * (300 * 1024))
    assert error.value.code == "too_large"


def test_an_absurdly_long_json_number_is_a_parse_error():
    with pytest.raises(ParseError) as error:
        parse_params('{"total_fee": ' + "9" * 5000 + "}")
    assert error.value.code == "json_malformed"


# A small English catalogue, written here (not taken from the site's).
ENGLISH = {
    "这些值在 query 里做过 urlencode，已按原值解码后参与签名（签名用原值，传输才编码）："
    "{names}": "Decoded before signing: {names}",
    "、": ", ",
    "JSON 格式不正确（第 {line} 行第 {column} 列）：{reason}": (
        "Malformed JSON (line {line}, column {column}): {reason}"
    ),
    "这里缺一个值：可能多了一个逗号，或者文字值没有加双引号。": "A value is missing here.",
}


@pytest.fixture
def english(translator):
    translator(ENGLISH)


def test_the_decoded_names_are_listed_with_the_languages_separator(english):
    parsed = parse_params("package=a%2Bb&sign=c%3D&mch_id=1")
    (finding,) = [f for f in parsed.findings if f.code == "values_percent_decoded"]
    assert str(finding.message) == "Decoded before signing: package, sign"


def test_a_json_error_says_what_to_change_in_the_readers_language_not_pythons_words(english):
    with pytest.raises(ParseError) as error:
        parse_params('{"a": "1", "b": }')
    assert (
        str(error.value.message) == "Malformed JSON (line 1, column 17): A value is missing here."
    )


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        # JS object literal, as in a getBrandWCPayRequest call: bare names, single quotes, trailing comma
        (
            "{appId: 'wx2421b1c4370ec43b', timeStamp: '1395712654', "
            "package: 'prepay_id=u802345jgfjsdfgsdg888', signType: 'MD5',}",
            "js_object",
        ),
        # Python's repr of a dict
        (
            "{'appId': 'wx2421b1c4370ec43b', 'timeStamp': '1395712654', "
            "'package': 'prepay_id=u802345jgfjsdfgsdg888', 'signType': 'MD5'}",
            "python_dict",
        ),
        # Java's Map.toString(): no quotes, "=" inside a value
        (
            "{appId=wx2421b1c4370ec43b, timeStamp=1395712654, "
            "package=prepay_id=u802345jgfjsdfgsdg888, signType=MD5}",
            "java_map",
        ),
        # name: value lines from a log
        (
            "appId: wx2421b1c4370ec43b\ntimeStamp: '1395712654'\n"
            "package: prepay_id=u802345jgfjsdfgsdg888\nsignType: MD5",
            "colon_lines",
        ),
    ],
)
def test_objects_copied_from_code_and_logs_are_read_and_named(text, fmt):
    parsed = parse_params(text)
    assert parsed.format == fmt
    assert dict(parsed.pairs) == {
        "appId": "wx2421b1c4370ec43b",
        "timeStamp": "1395712654",
        "package": "prepay_id=u802345jgfjsdfgsdg888",
        "signType": "MD5",
    }


def test_a_js_value_that_is_code_is_named():
    parsed = parse_params("{appId: 'wx1', timeStamp: String(Date.now()), nonceStr: nonce}")
    names = [f.field for f in parsed.findings if f.code == "value_is_code"]
    assert names == ["timeStamp", "nonceStr"]


def test_text_that_is_neither_json_nor_an_object_gets_the_json_reason():
    with pytest.raises(ParseError) as error:
        parse_params("{appId: 'wx1'")
    assert error.value.code == "json_malformed"
    assert "Expecting" not in str(error.value.message)
