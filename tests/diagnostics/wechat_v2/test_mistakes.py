"""Each mistake is injected by computing the wrong sign by hand (hashlib/hmac), then searched for."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from diagnostics.wechat_v2.mistakes import CATALOGUE, mistake_search

KEY = "192006250b4c09247ec02edce69f6a2d"
# A 12-field unifiedorder as a merchant sends it: their order, one empty value, the sign field.
REQUEST = [
    ("appid", "wx2421b1c4370ec43b"),
    ("mch_id", "10000100"),
    ("nonce_str", "b927722419c52622651a871d1d9ed8b2"),
    ("body", "JSAPI 支付测试"),
    ("attach", ""),
    ("out_trade_no", "1405713376"),
    ("total_fee", "1"),
    ("spbill_create_ip", "127.0.0.1"),
    ("notify_url", "https://example.com/notify"),
    ("trade_type", "JSAPI"),
    ("openid", "oUpF8uN95-Ptaags6E_roPHg7AG0"),
    ("sign", "3CA89B5870F944736C657979192E1CF4"),
]


def md5_hex(text: str, encoding: str = "utf-8") -> str:
    return hashlib.md5(text.encode(encoding)).hexdigest()


def hmac_hex(key: str, text: str) -> str:
    return hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest()


def joined(pairs) -> str:
    return "&".join(f"{name}={value}" for name, value in pairs)


SIGNED = [(n, v) for n, v in REQUEST if v and n != "sign"]
CORRECT_STRING1 = joined(sorted(SIGNED))


def found(expected_sign: str, sign_type: str = "MD5", pairs=REQUEST):
    return {m.code: m for m in mistake_search(pairs, KEY, sign_type, expected_sign)}


def test_the_correct_sign_reports_no_mistake():
    assert found(md5_hex(f"{CORRECT_STRING1}&key={KEY}").upper()) == {}


def test_empty_value_signed_is_found_with_the_string1_used():
    string1 = joined(sorted([(n, v) for n, v in REQUEST if n != "sign"]))
    mistakes = found(md5_hex(f"{string1}&key={KEY}").upper())
    assert "empty_value_signed" in mistakes
    assert mistakes["empty_value_signed"].string1 == string1
    assert "attach" in str(mistakes["empty_value_signed"].detail)


def test_sign_field_signed_is_found():
    string1 = joined(sorted([(n, v) for n, v in REQUEST if v]))
    assert "sign_field_signed" in found(md5_hex(f"{string1}&key={KEY}").upper())


def test_not_sorted_is_found_when_signed_in_the_given_order():
    string1 = joined(SIGNED)
    mistakes = found(md5_hex(f"{string1}&key={KEY}").upper())
    assert mistakes["not_sorted"].string1 == string1


def test_lowercase_digest_is_found():
    assert list(found(md5_hex(f"{CORRECT_STRING1}&key={KEY}"))) == ["lowercase_digest"]


def test_key_not_appended_is_found():
    assert "key_not_appended" in found(md5_hex(CORRECT_STRING1).upper())


@pytest.mark.parametrize("joiner", ["", "&"])
def test_key_appended_without_name_is_found(joiner):
    assert "key_appended_without_name" in found(md5_hex(f"{CORRECT_STRING1}{joiner}{KEY}").upper())


def test_wrong_algorithm_is_found():
    wrong = hmac_hex(KEY, f"{CORRECT_STRING1}&key={KEY}").upper()
    assert "wrong_algorithm" in found(wrong)


@pytest.mark.parametrize("encode", [lambda v: quote(v, safe=""), quote_plus])
def test_values_urlencoded_is_found(encode):
    string1 = "&".join(f"{n}={encode(v)}" for n, v in sorted(SIGNED))
    assert "values_urlencoded" in found(md5_hex(f"{string1}&key={KEY}").upper())


@pytest.mark.parametrize("spaced", [KEY + "\n", KEY + "\r\n", KEY + " ", " " + KEY])
def test_key_whitespace_is_found(spaced):
    assert "key_whitespace" in found(md5_hex(f"{CORRECT_STRING1}&key={spaced}").upper())


def test_non_utf8_encoding_is_found():
    wrong = md5_hex(f"{CORRECT_STRING1}&key={KEY}", "gbk").upper()
    assert "non_utf8_encoding" in found(wrong)


def test_field_missing_names_the_field():
    string1 = joined(sorted((n, v) for n, v in SIGNED if n != "nonce_str"))
    mistakes = found(md5_hex(f"{string1}&key={KEY}").upper())
    assert mistakes["field_missing"].field == "nonce_str"
    assert "nonce_str" in str(mistakes["field_missing"].detail)


def test_hmac_without_key_suffix_is_found():
    assert "hmac_without_key_suffix" in found(hmac_hex(KEY, CORRECT_STRING1).upper(), "HMAC-SHA256")


def test_notification_verified_without_sign_type_says_sign_type_takes_part():
    notification = [("return_code", "SUCCESS"), ("sign_type", "MD5"), ("total_fee", "1")]
    wrong = md5_hex(f"return_code=SUCCESS&total_fee=1&key={KEY}").upper()
    mistakes = found(wrong, pairs=notification)
    assert mistakes["field_missing"].field == "sign_type"
    assert "sign_type" in str(mistakes["field_missing"].detail)


def test_a_pair_of_mistakes_is_found_together():
    wrong = md5_hex(f"{joined(SIGNED)}&key={KEY}")  # given order and lower case
    assert "not_sorted+lowercase_digest" in found(wrong)


def test_another_pair_from_two_steps_is_found():
    string1 = joined(sorted([(n, v) for n, v in REQUEST if n != "sign"]))
    assert "empty_value_signed+key_not_appended" in found(md5_hex(string1).upper())


def test_a_sign_made_with_another_key_reproduces_nothing():
    other_key = "00000000000000000000000000000000"
    assert found(md5_hex(f"{CORRECT_STRING1}&key={other_key}").upper()) == {}


def test_every_mistake_has_a_fix_and_a_source():
    for info in CATALOGUE.values():
        assert str(info.fix).strip() and str(info.title).strip() and info.source


# --- Any one or two mistakes, made by hand on any request, are explained ---------------------------

NAMES = ["appid", "body", "mch_id", "nonce_str", "openid", "total_fee", "sign_type", "attach"]
VALUES = ["", "1", "a b", "x&y=z", "支付", "wx2421b1c4370ec43b", " 1", "1.00"]


def _made_by_hand(pairs, key: str, field_mistake: str, hash_mistake: str) -> str:
    """The MD5 sign a merchant gets with these mistakes, computed here without the project's code."""
    chosen = [
        (name, value)
        for name, value in pairs
        if (value or field_mistake == "empty_value_signed")
        and (name != "sign" or field_mistake == "sign_field_signed")
    ]
    if field_mistake == "field_missing":
        chosen = [pair for pair in chosen if pair[0] != chosen[0][0]]
    if field_mistake != "not_sorted":
        chosen = sorted(chosen, key=lambda pair: pair[0])
    if field_mistake == "values_urlencoded":
        chosen = [(name, quote(value, safe="")) for name, value in chosen]
    string1 = "&".join(f"{name}={value}" for name, value in chosen)
    temp = {
        "": f"{string1}&key={key}",
        "key_not_appended": string1,
        "key_appended_without_name": string1 + key,
        "key_whitespace": f"{string1}&key={key}\n",
        "non_utf8_encoding": f"{string1}&key={key}",
    }[hash_mistake]
    encoding = "gbk" if hash_mistake == "non_utf8_encoding" else "utf-8"
    return md5_hex(temp, encoding).upper()


@settings(max_examples=300, deadline=None)
@given(
    pairs=st.lists(
        st.tuples(st.sampled_from(NAMES), st.sampled_from(VALUES)),
        min_size=1,
        max_size=6,
        unique_by=lambda pair: pair[0],
    ).map(lambda pairs: [*pairs, ("sign", "0" * 32)]),
    key=st.sampled_from([KEY, "K" * 32]),
    field_mistake=st.sampled_from(
        [
            "",
            "empty_value_signed",
            "sign_field_signed",
            "not_sorted",
            "field_missing",
            "values_urlencoded",
        ]
    ),
    hash_mistake=st.sampled_from(
        ["", "key_not_appended", "key_appended_without_name", "key_whitespace", "non_utf8_encoding"]
    ),
)
def test_any_one_or_two_mistakes_are_explained_at_least_as_simply(
    pairs, key, field_mistake, hash_mistake
):
    assume(any(value for name, value in pairs if name != "sign"))
    wrong = _made_by_hand(pairs, key, field_mistake, hash_mistake)
    correct = _made_by_hand(pairs, key, "", "")
    explanations = mistake_search(pairs, key, "MD5", wrong)
    if wrong == correct:  # the "mistakes" changed nothing for this request
        assert explanations == []
        return
    made = [mistake for mistake in (field_mistake, hash_mistake) if mistake]
    assert explanations, (made, pairs)
    # The simplest explanation comes first and is no more complicated than what was done; the
    # one that was done is among them unless a simpler one hashes the very same bytes.
    assert len(explanations[0].codes) <= len(made)
    assert any(set(m.codes) == set(made) for m in explanations) or len(explanations[0].codes) < len(
        made
    )


def test_the_whitespace_sentence_shows_where_the_whitespace_was_but_not_the_key():
    key = "Abc\\defghijklmnopqrstuvwxyz12345"  # a backslash: repr() would escape it
    wrong = md5_hex(f"{CORRECT_STRING1}&key={key}\n").upper()
    [mistake] = mistake_search(REQUEST, key, "MD5", wrong)
    assert mistake.code == "key_whitespace"
    assert "KEY\\n" in str(mistake.detail)
    assert "Abc" not in str(mistake.detail) and "12345" not in str(mistake.detail)


def test_an_explanation_that_hashes_the_same_bytes_is_reported_once():
    # With MD5 and no key appended, whitespace around the key changes nothing: one answer only.
    assert list(found(md5_hex(CORRECT_STRING1).upper())) == ["key_not_appended"]
