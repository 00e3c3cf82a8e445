from __future__ import annotations

import hashlib
import logging
from html import escape
from urllib.parse import unquote

import pytest

KEY = "Zq7Rk2Lm9Xv4Tb8Nc1Hd6Wf3Jg5Ps0Ae"  # a made-up API key (32 characters)
PARAMS = "appid=wx2421b1c4370ec43b\nmch_id=10000100\nnonce_str=abc\nbody=test\nattach="
STRING1 = "appid=wx2421b1c4370ec43b&body=test&mch_id=10000100&nonce_str=abc"
REAL_SIGN = hashlib.md5(f"{STRING1}&key={KEY}".encode()).hexdigest().upper()


def sign_url(preset: str = "free") -> str:
    return f"/wechat/v2/{preset}/sign"


@pytest.mark.parametrize(
    "preset",
    [
        "free",
        "unifiedorder",
        "notify",
        "jsapi",
        "app",
        "native",
        "payscore-enable",
        "payscore-confirm",
    ],
)
def test_every_preset_page_renders_a_form_posting_with_and_without_htmx(client, preset):
    response = client.get(f"/wechat/v2/{preset}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        f'action="/wechat/v2/{preset}/sign"' in body
        and f'hx-post="/wechat/v2/{preset}/sign"' in body
    )
    assert 'method="post"' in body
    assert 'hx-history="false"' in body


def test_unknown_preset_is_404(client):
    assert client.get("/wechat/v2/nope/").status_code == 404


def test_plain_post_renders_the_whole_page_with_the_steps(client):
    response = client.post(sign_url(), {"raw": PARAMS, "key": KEY})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body
    assert escape(STRING1) in body and REAL_SIGN in body
    assert "no-store" in response["Cache-Control"]


def test_htmx_post_renders_only_the_result_fragment(client):
    response = client.post(sign_url(), {"raw": PARAMS, "key": KEY}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.strip().startswith('<section id="result"')
    assert REAL_SIGN in body
    assert "HX-Request" in response["Vary"]


def test_the_key_is_never_in_the_response_only_its_last_four(client):
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.post(
            sign_url(), {"raw": PARAMS, "key": KEY, "expected_sign": "X" * 32}, **headers
        )
        body = response.content.decode()
        assert KEY not in body
        assert KEY[-4:] in body  # the masked stringSignTemp


@pytest.mark.parametrize(
    "raw",
    [
        PARAMS + f"\nkey={KEY}",
        PARAMS + f"\n  key = {KEY}",
        PARAMS.replace("\n", "&") + f"&key={KEY}",
        "weixin://wxpay/bizpayurl?" + PARAMS.replace("\n", "&") + f"&key={KEY}",
        "<xml>"
        + "".join(f"<{n}>{v}</{n}>" for n, v in (p.split("=") for p in PARAMS.split("\n")))
        + f"<key>{KEY}</key></xml>",
        '{"appid": "wx2421b1c4370ec43b", "mch_id": "10000100", "nonce_str": "abc", "body": "test", "key": "'
        + KEY
        + '"}',
    ],
)
def test_a_key_pasted_among_the_params_is_used_but_never_shown_again(client, raw):
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.post(sign_url(), {"raw": raw}, **headers)
        body = response.content.decode()
        assert response.status_code == 200
        assert REAL_SIGN in body
        assert KEY not in body
        assert KEY not in unquote(body)  # nor inside the pre-filled link


def test_the_key_is_not_logged(client, caplog):
    caplog.set_level(logging.DEBUG)
    client.post(sign_url(), {"raw": PARAMS, "key": KEY, "expected_sign": "bad"})
    client.post(sign_url(), {"raw": "<xml><a>", "key": KEY})
    assert KEY not in caplog.text


def test_a_wrong_sign_shows_the_mistake_sentence(client):
    lowercase = REAL_SIGN.lower()
    response = client.post(sign_url(), {"raw": PARAMS, "key": KEY, "expected_sign": lowercase})
    body = response.content.decode()
    assert "签名不一致" in body
    assert "签名没有转成大写" in body
    assert 'data-code="lowercase_digest"' in body


def test_a_matching_sign_pasted_in_the_params_says_so(client):
    response = client.post(sign_url(), {"raw": PARAMS + f"\nsign={REAL_SIGN}", "key": KEY})
    assert "签名一致" in response.content.decode()


def test_bad_input_is_a_400_with_a_readable_message_not_a_500(client):
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.post(sign_url(), {"raw": "<xml><a>1</xml>", "key": KEY}, **headers)
        assert response.status_code == 400
        assert "XML 格式不正确" in response.content.decode()


def test_missing_key_is_a_400_asking_for_it(client):
    response = client.post(sign_url(), {"raw": PARAMS}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "请填写商户 API 密钥" in response.content.decode()


def test_their_string1_is_diffed_with_the_first_difference(client):
    theirs = STRING1.replace("&body=test", "&body=test\n")
    response = client.post(sign_url(), {"raw": PARAMS, "key": KEY, "their_string": theirs})
    body = response.content.decode()
    assert "第一个不同出现在第" in body and "↵" in body


def test_their_string_sign_temp_with_another_key_does_not_show_that_key(client):
    other = "OTHERKEY0000000000000000000000zz"
    response = client.post(
        sign_url(), {"raw": PARAMS, "key": KEY, "their_string": f"{STRING1}&key={other}"}
    )
    body = response.content.decode()
    assert other not in body
    assert "密钥与你填写的不同" in body


def test_the_demo_shows_the_real_sign_and_says_the_printed_one_does_not_reproduce(client):
    printed_string1 = (
        "appid=wx930ea5d5a258f4f&auth_code=123456&body=test&device_info=123&mch_id=1900000109"
        "&nonce_str=960f228109051b9969f76c82bde183ac&out_trade_no=1400755861"
        "&spbill_create_ip=127.0.0.1&total_fee=1"
    )
    real = hashlib.md5(
        f"{printed_string1}&key=8934e7d15453e97507ef794cf7b0519d".encode()
    ).hexdigest()
    response = client.get("/wechat/v2/demo/")
    body = response.content.decode()
    assert response.status_code == 200
    assert real.upper() in body
    assert "C380BEC2BFD727A4B6845133519F3AD6" in body and "对不上" in body


def test_every_workbench_page_links_to_the_demo(client):
    assert 'href="/wechat/v2/demo/"' in client.get("/wechat/v2/jsapi/").content.decode()


def test_sample_link_prefills_the_preset_sample(client):
    body = client.get("/wechat/v2/jsapi/?sample=1").content.decode()
    assert "prepay_id=u802345jgfjsdfgsdg888" in body


def test_payscore_preset_defaults_to_hmac_sha256(client):
    raw = "mch_id=1230000109&service_id=88&out_request_no=1&timestamp=1530097563&nonce_str=abc"
    response = client.post(
        sign_url("payscore-enable"), {"raw": raw, "key": KEY}, HTTP_HX_REQUEST="true"
    )
    assert "HMAC-SHA256" in response.content.decode()


def test_get_on_the_sign_action_is_refused(client):
    assert client.get(sign_url()).status_code == 405


def test_a_key_typed_into_their_string_is_not_echoed_back(client):
    response = client.post(sign_url(), {"raw": PARAMS, "key": KEY, "their_string": STRING1 + KEY})
    assert KEY not in response.content.decode()


def test_a_key_shorter_than_8_characters_is_refused(client):
    response = client.post(sign_url(), {"raw": PARAMS, "key": "abc"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "密钥太短" in response.content.decode()


def test_a_real_18_character_appid_is_not_called_too_long_and_the_page_says_why(client):
    # 002 §4.4's own example appId: 18 characters, as every real one, though its table says 16.
    raw = (
        '{"appId": "wx2421b1c4370ec43b", "timeStamp": "1395712654", "nonceStr": "e61463f8efa94090b1f366cccfbbb444",'
        ' "package": "prepay_id=u802345jgfjsdfgsdg888", "signType": "MD5"}'
    )
    body = client.post("/wechat/v2/jsapi/sign", {"raw": raw, "key": "K" * 32}).content.decode()
    assert 'data-code="too_long"' not in body
    assert "String(16)" in body and "18" in body
