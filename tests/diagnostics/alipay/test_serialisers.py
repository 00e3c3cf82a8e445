"""A biz_content signed as a whole serialiser writes it (its defaults together), sent as another
string: the request search names the serialiser. Each signed string is written out by hand here
from the serialiser's documented defaults and signed with cryptography."""

from __future__ import annotations

import json

import pytest

from diagnostics.alipay import compare_sign
from tests.diagnostics.alipay.helpers import REQUEST, joined, private_pem, rsa_sign

# A subject with Chinese and a space, a URL with "/", "=" and "&": each serialiser differs here.
SENT_BIZ = (
    '{"out_trade_no":"20150320010101001","subject":"话费 充值",'
    '"passback_params":"https://m.example/cb?a=1&b=2"}'
)
SENT = [(n, SENT_BIZ if n == "biz_content" else v) for n, v in REQUEST]

SIGNED_AS = {
    # Python json.dumps(biz): ", " and ": ", non-ASCII as lower-case \uXXXX
    "biz_content_python_json": (
        '{"out_trade_no": "20150320010101001", "subject": "\\u8bdd\\u8d39 \\u5145\\u503c", '
        '"passback_params": "https://m.example/cb?a=1&b=2"}'
    ),
    # json.dumps(biz, sort_keys=True): the same, names in order
    "biz_content_python_json_sorted": (
        '{"out_trade_no": "20150320010101001", "passback_params": "https://m.example/cb?a=1&b=2", '
        '"subject": "\\u8bdd\\u8d39 \\u5145\\u503c"}'
    ),
    # PHP json_encode($biz): no spaces, \uXXXX, "/" as "\/"
    "biz_content_php_json_encode": (
        '{"out_trade_no":"20150320010101001","subject":"\\u8bdd\\u8d39 \\u5145\\u503c",'
        '"passback_params":"https:\\/\\/m.example\\/cb?a=1&b=2"}'
    ),
    # json_encode($biz, JSON_UNESCAPED_UNICODE): the Chinese kept, "\/" still
    "biz_content_php_unescaped_unicode": (
        '{"out_trade_no":"20150320010101001","subject":"话费 充值",'
        '"passback_params":"https:\\/\\/m.example\\/cb?a=1&b=2"}'
    ),
    # new Gson().toJson(biz): HTML-safe, "=" as \u003d and "&" as \u0026
    "biz_content_gson": (
        '{"out_trade_no":"20150320010101001","subject":"话费 充值",'
        '"passback_params":"https://m.example/cb?a\\u003d1\\u0026b\\u003d2"}'
    ),
}


@pytest.mark.parametrize("code", list(SIGNED_AS))
def test_a_biz_content_signed_as_a_serialiser_writes_it_is_named(key, code):
    signed = SIGNED_AS[code]
    assert json.loads(signed) == json.loads(SENT_BIZ)  # the same object, written another way
    theirs = rsa_sign(key, joined([(n, signed if n == "biz_content" else v) for n, v in SENT]))
    comparison = compare_sign(SENT, private_pem(key), expected_sign=theirs)
    assert comparison.matches is False
    assert [mistake.code for mistake in comparison.mistakes][0] == code
    assert f"biz_content={signed}&" in comparison.mistakes[0].string_to_sign


def test_a_serialiser_with_the_other_digest_is_found_too(key):
    signed = SIGNED_AS["biz_content_php_json_encode"]
    string = joined([(n, signed if n == "biz_content" else v) for n, v in SENT])
    comparison = compare_sign(
        SENT, private_pem(key), expected_sign=rsa_sign(key, string, sha1=True)
    )
    assert comparison.mistakes[0].codes == ("biz_content_php_json_encode", "digest_swapped")
