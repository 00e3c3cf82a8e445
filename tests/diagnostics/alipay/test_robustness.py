"""Hostile text never breaks the Alipay readers: any paste is read or refused with a ParseError
(a 400 with a message), never another exception (a 500)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from diagnostics.alipay import gateway_string, read_params, response_parts
from diagnostics.core.findings import ParseError

PIECES = st.sampled_from(
    ['{', '}', '[', ']', '"', '\\', ':', ',', '&', '=', '%', '%2', '%E4', '+', ' ', '\n',
     "_response", "sign", "验签字符串为：", "&amp;", "\ud800", "charset=GBK", "a", "1"]
)  # fmt: skip
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_any_paste_is_read_or_refused_by_name(text):
    for reader in (read_params, response_parts, gateway_string):
        try:
            reader(text)
        except ParseError as error:
            assert str(error.message)


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_any_paste_signs_or_verifies_or_is_refused_by_name(key, text):
    from diagnostics.alipay import compare_sign, verify_notification, verify_response
    from diagnostics.core.keys import load_private_key, load_public_key
    from tests.diagnostics.alipay.helpers import private_pem, public_pem, rsa_sign

    private, public = load_private_key(private_pem(key)), load_public_key(public_pem(key))
    calls = (
        lambda: compare_sign(text, private, expected_sign=rsa_sign(key, "x"), gateway_answer=text),
        lambda: verify_notification(text, public, their_string=text),
        lambda: verify_response(text, public),
    )
    for call in calls:
        try:
            call()
        except ParseError as error:
            assert str(error.message)


def test_a_lone_surrogate_is_refused_as_invalid_text(key):
    import pytest

    from diagnostics.alipay import sign
    from tests.diagnostics.alipay.helpers import private_pem

    with pytest.raises(ParseError) as error:
        sign("app_id=1&subject=a\ud800 b", private_pem(key))
    assert error.value.code == "invalid_text"
