"""``paydoctor v2 sign``: expected signs computed here with hashlib/hmac from 002 §3.2's rules."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from tests.cli.conftest import paydoctor

# 002 §3.2's worked example, as the document prints it (its printed sign does not reproduce).
EXAMPLE = {
    "appid": "wx930ea5d5a258f4f",
    "mch_id": "1900000109",
    "device_info": "123",
    "body": "test",
    "nonce_str": "960f228109051b9969f76c82bde183ac",
    "auth_code": "123456",
    "out_trade_no": "1400755861",
    "spbill_create_ip": "127.0.0.1",
    "total_fee": "1",
}
KEY = "8934e7d15453e97507ef794cf7b0519d"
PRINTED_SIGN = "C380BEC2BFD727A4B6845133519F3AD6"


def string1(params: dict[str, str], *, keep_order: bool = False) -> str:
    names = list(params) if keep_order else sorted(params)
    return "&".join(f"{name}={params[name]}" for name in names if params[name] != "")


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest().upper()


def right_sign(params: dict[str, str]) -> str:
    return md5(f"{string1(params)}&key={KEY}")


def lines(params: dict[str, str]) -> str:
    return "".join(f"{name}={value}\n" for name, value in params.items())


@pytest.fixture
def key_file(write):
    return write("key.txt", KEY + "\n")


def test_the_documents_example_signs_as_md5_of_its_sorted_string(write, key_file):
    request = write("request.txt", lines(EXAMPLE))
    run = paydoctor("v2", "sign", request, "--key-file", key_file, "--json")
    assert run.code == 0
    answer = run.json
    assert answer["string1"] == string1(EXAMPLE)
    assert answer["sign"] == right_sign(EXAMPLE)
    assert answer["sign"] != PRINTED_SIGN
    assert answer["match"] is None
    assert not run.shows(KEY)


def test_a_matching_sign_exits_0_and_says_so(write, key_file):
    request = write(
        "request.xml", "<xml>" + "".join(f"<{n}>{v}</{n}>" for n, v in EXAMPLE.items()) + "</xml>"
    )
    run = paydoctor(
        "v2", "sign", request, "--key-file", key_file, "--expected", right_sign(EXAMPLE)
    )
    assert run.code == 0
    assert "string1: " + string1(EXAMPLE) in run.out
    assert "一致" in run.out
    assert not run.shows(KEY)


def test_the_key_pasted_with_the_params_is_used_and_never_shown(write):
    # 002 §3.2 shows key=… among the params; a file holding it needs no --key-file.
    request = write("request.txt", lines(EXAMPLE) + f"key={KEY}\n")
    run = paydoctor("v2", "sign", request, "--json")
    assert run.code == 0
    assert run.json["sign"] == right_sign(EXAMPLE)
    assert not run.shows(KEY)


INJECTED = {
    # code: the sign a program with that one mistake sends
    "lowercase_digest": right_sign(EXAMPLE).lower(),
    "not_sorted": md5(f"{string1(EXAMPLE, keep_order=True)}&key={KEY}"),
    "key_not_appended": md5(string1(EXAMPLE)),
    "empty_value_signed": md5(
        "&".join(f"{n}={v}" for n, v in sorted({**EXAMPLE, "attach": ""}.items())) + f"&key={KEY}"
    ),
    "wrong_algorithm": hmac.new(
        KEY.encode(), f"{string1(EXAMPLE)}&key={KEY}".encode(), hashlib.sha256
    )
    .hexdigest()
    .upper(),
    "key_appended_without_name": md5(f"{string1(EXAMPLE)}{KEY}"),
}


@pytest.mark.parametrize("code", INJECTED)
def test_a_mismatch_exits_1_and_names_the_mistake_that_reproduces_it(write, key_file, code):
    params = {**EXAMPLE, "attach": ""} if code == "empty_value_signed" else EXAMPLE
    request = write("request.json", json.dumps(params))
    args = ("v2", "sign", request, "--key-file", key_file, "--expected", INJECTED[code])
    answer = paydoctor(*args, "--json")
    assert answer.code == 1
    assert answer.json["match"] is False
    assert answer.json["mistakes"][0]["code"] == code
    shown = paydoctor(*args, lang="en_US.UTF-8")
    assert shown.code == 1
    assert f"[{code}]" in shown.out  # English shows each explanation's code, as the web does
    assert not answer.shows(KEY) and not shown.shows(KEY)


def test_hmac_sha256_is_chosen_with_sign_type(write, key_file):
    request = write("request.txt", "a=1&b=2&c=")
    expected = hmac.new(KEY.encode(), f"a=1&b=2&key={KEY}".encode(), hashlib.sha256).hexdigest()
    run = paydoctor(
        "v2", "sign", request, "--key-file", key_file, "--sign-type", "HMAC-SHA256", "--json"
    )
    assert run.code == 0
    assert run.json["sign"] == expected.upper()
    assert run.json["excluded"] == [{"name": "c", "reason": "empty"}]


def test_the_request_can_come_from_standard_input(key_file):
    run = paydoctor("v2", "sign", "-", "--key-file", key_file, "--json", stdin=lines(EXAMPLE))
    assert run.json["sign"] == right_sign(EXAMPLE)


def test_the_sign_in_the_params_is_compared_when_no_expected_is_given(write, key_file):
    request = write("request.txt", lines({**EXAMPLE, "sign": right_sign(EXAMPLE).lower()}))
    run = paydoctor("v2", "sign", request, "--key-file", key_file, "--json")
    assert run.code == 1
    assert run.json["mistakes"][0]["code"] == "lowercase_digest"
    assert f"sign={right_sign(EXAMPLE)}" in run.json["corrected"]


def test_a_stringsigntemp_masks_the_key_but_its_last_four_characters(write, key_file):
    run = paydoctor("v2", "sign", write("r.txt", lines(EXAMPLE)), "--key-file", key_file)
    assert f"&key={'•' * 28}{KEY[-4:]}" in run.out
    assert not run.shows(KEY)


def test_their_stringsigntemp_is_compared_character_by_character_without_showing_the_key(
    write, key_file
):
    theirs = string1(EXAMPLE).replace("&body=test", "&body=test ") + f"&key={KEY}\n"
    args = ("v2", "sign", write("r.txt", lines(EXAMPLE)), "--key-file", key_file)
    run = paydoctor(*args, "--their-string-file", write("theirs.txt", theirs), "--json")
    diff = run.json["their_string1"]
    assert diff["equal"] is False
    assert diff["first_difference"] == string1(EXAMPLE).index("&body=test") + len("&body=test")
    assert run.json["their_key"]["same"] is True
    shown = paydoctor(*args, "--their-string-file", write("theirs2.txt", theirs))
    assert "⟦␠⟧" in shown.out  # the space made visible and marked
    assert not run.shows(KEY) and not shown.shows(KEY)


def test_a_failed_reply_is_sent_to_the_diagnosis(write, key_file):
    reply = "<xml><return_code>FAIL</return_code><return_msg>签名错误</return_msg></xml>"
    run = paydoctor("v2", "sign", write("reply.xml", reply), "--key-file", key_file)
    assert run.code == 2
    assert "paydoctor diagnose" in run.err and "签名错误" in run.err
