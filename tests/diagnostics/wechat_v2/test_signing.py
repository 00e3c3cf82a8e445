from __future__ import annotations

import hashlib
import hmac
import os
import subprocess
import sys
from pathlib import Path

from diagnostics.core.params import parse_params
from diagnostics.wechat_v2 import HMAC_SHA256, guess_sign_type, mask_key, sign

# 002 §3.2: the worked example's inputs and the stringSignTemp it prints.
PRINTED_STRING1 = (
    "appid=wx930ea5d5a258f4f&auth_code=123456&body=test&device_info=123&mch_id=1900000109"
    "&nonce_str=960f228109051b9969f76c82bde183ac&out_trade_no=1400755861"
    "&spbill_create_ip=127.0.0.1&total_fee=1"
)
PRINTED_KEY = "8934e7d15453e97507ef794cf7b0519d"
PRINTED_LINES = PRINTED_STRING1.replace("&", "\n") + f"\nkey={PRINTED_KEY}"


def test_the_3_2_example_gives_the_documents_string1_and_the_real_md5():
    parsed = parse_params(PRINTED_LINES)
    steps = sign(parsed.pairs, parsed.pasted_key)
    assert steps.string1 == PRINTED_STRING1
    assert steps.string_sign_temp == PRINTED_STRING1 + "&key=" + PRINTED_KEY
    real = hashlib.md5(f"{PRINTED_STRING1}&key={PRINTED_KEY}".encode()).hexdigest()
    assert steps.digest == real
    assert steps.sign == real.upper()


def test_the_documents_printed_sign_does_not_reproduce():
    steps = sign(parse_params(PRINTED_LINES).pairs, PRINTED_KEY)
    assert steps.sign != "C380BEC2BFD727A4B6845133519F3AD6"


def test_empty_values_are_dropped_from_string1_and_sign_is_excluded():
    steps = sign([("b", "2"), ("a", ""), ("sign", "X"), ("c", " ")], "K")
    assert steps.string1 == "b=2"
    assert {(item.name, item.reason) for item in steps.excluded} == {
        ("a", "empty"),
        ("sign", "sign"),
        ("c", "empty"),
    }


def test_sorting_is_by_ascii_code_so_upper_case_names_come_first():
    steps = sign([("timeStamp", "1"), ("appId", "wx"), ("Zeta", "z"), ("package", "p")], "K")
    assert steps.string1 == "Zeta=z&appId=wx&package=p&timeStamp=1"


def test_hmac_sha256_uses_the_key_as_hmac_key_and_still_appends_it():
    pairs = [("mch_id", "1230000109"), ("nonce_str", "abc"), ("sign_type", "HMAC-SHA256")]
    steps = sign(pairs, "APIKEY", HMAC_SHA256)
    message = "mch_id=1230000109&nonce_str=abc&sign_type=HMAC-SHA256&key=APIKEY"
    expected = hmac.new(b"APIKEY", message.encode(), hashlib.sha256).hexdigest().upper()
    assert steps.sign == expected


def test_non_ascii_values_are_hashed_as_utf8():
    steps = sign([("body", "JSAPI 支付测试")], "K")
    assert steps.sign == hashlib.md5("body=JSAPI 支付测试&key=K".encode()).hexdigest().upper()


def test_mask_key_shows_only_the_last_four_characters():
    assert mask_key("8934e7d15453e97507ef794cf7b0519d") == "•" * 28 + "519d"
    assert "8934" not in mask_key("8934e7d15453e97507ef794cf7b0519d")


def test_sign_length_tells_md5_from_hmac():
    assert guess_sign_type("A" * 32) == "MD5"
    assert guess_sign_type("a" * 64) == "HMAC-SHA256"
    assert guess_sign_type("oR9d8Puh==") is None


def test_a_paste_with_both_sign_and_paysign_compares_sign_in_every_process():
    # The field looked at first must not depend on Python's per-process hash seed.
    script = (
        "from diagnostics.core.params import parse_params\n"
        "from diagnostics.wechat_v2.fields import PRESETS\n"
        "from diagnostics.wechat_v2.report import build_report\n"
        "parsed = parse_params('appid=wx1\\nsign=AAAA\\npaySign=BBBB')\n"
        "print(build_report(parsed, 'K' * 32, PRESETS['free']).expected_sign)\n"
    )
    root = Path(__file__).resolve().parents[3]
    for seed in ("0", "1", "2", "3", "4", "5"):
        shown = subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert shown == "AAAA\n", seed
