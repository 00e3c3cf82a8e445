"""Property tests: no pasted input makes a parser or the rule engine raise anything but ParseError.

Every entry point a merchant's paste reaches is fed random text, random bytes decoded as a browser
would (invalid UTF-8 replaced), and mutations of realistic payloads (a V2 XML request, a query
string, name=value lines, JSON, an APIv3 notification, an Authorization header, a Wechatpay header
block, PEM keys): random insertions, deletions, replacements, truncations and duplications.

Hypothesis runs derandomized (the same inputs on every run) so the suite stays deterministic; the
hostile inputs it cannot reach by chance (100,000-level nesting, 5,000-digit numbers, lone
surrogates from JSON escapes) are listed explicitly at the end of the file.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnostics import baidu, wechat_v3
from diagnostics.core import keys, textdiff
from diagnostics.core.findings import ParseError
from diagnostics.core.params import ParsedParams, from_mapping, parse_params
from diagnostics.platforms import LINT_APIS, lint
from diagnostics.wechat_v2 import SIGN_TYPES, sign
from diagnostics.wechat_v2.fields import ENTRY_POINTS, PRESETS
from diagnostics.wechat_v2.mistakes import mistake_search
from diagnostics.wechat_v2.report import build_report
from diagnostics.wechat_v3 import check_serial_no
from faq.engine import RuleEngine
from faq.knowledge import PLATFORMS, SCENARIOS, load_all
from faq.normalize import extract_codes, normalize, scrub_secrets
from faq.signals import read_signals
from tests.web import keys as test_keys

# --- keys: made once for the module (RSA generation and private-key loading are slow) -----------

PRIVATE_PEM = test_keys.private_pem()
PKCS1_PEM = (
    test_keys.private_key()
    .private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    .decode()
)
PUBLIC_PEM = test_keys.public_pem()
CERTIFICATE_PEM = test_keys.certificate_pem()
BARE_PUBLIC = "".join(PUBLIC_PEM.splitlines()[1:-1])

LOADED_PRIVATE = keys.load_private_key(PRIVATE_PEM)
LOADED_PUBLIC = keys.load_public_key(CERTIFICATE_PEM)

ENGINE = RuleEngine(load_all())

# --- realistic seeds -----------------------------------------------------------------------------

V2_KEY = "192006250b4c09247ec02edce69f6a2d"
APIV3_KEY = "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gH"
V2_XML = PRESETS["unifiedorder"].sample
V2_NOTIFY_XML = PRESETS["notify"].sample
QUERY = (
    "appid=wxd930ea5d5a258f4f&mch_id=10000100&device_info=1000&body=test"
    "&nonce_str=ibuaiVcKdpRxkhJA&total_fee=1.5&sign=9A0A8659F005D6984697E2CA0A9CF3B7"
)
URL = "weixin://wxpay/bizpayurl?appid=wx2421b1c4370ec43b&mch_id=10000100&product_id=88888&time_stamp=1415949957&nonce_str=1"
LINES = f"appid=wxd930ea5d5a258f4f\nmch_id=10000100\nbody=test\nkey={V2_KEY}\n"
JSON_PARAMS = (
    '{"appId": "wx2421b1c4370ec43b", "timeStamp": 1395712654, "nonceStr": "e61463f8efa94090",'
    ' "package": "prepay_id=u802345jgfjsdfgsdg888", "signType": "MD5", "paySign": null,'
    ' "extra": {"a": [1, 2.5, true]}}'
)
NOTIFICATION = json.dumps(
    {
        "id": "EV-2018022511223320873",
        "create_time": "2015-05-20T13:29:35+08:00",
        "resource_type": "encrypt-resource",
        "event_type": "TRANSACTION.SUCCESS",
        "summary": "支付成功",
        "resource": {
            "original_type": "transaction",
            "algorithm": "AEAD_AES_256_GCM",
            "ciphertext": base64.b64encode(b"0123456789abcdef" * 3).decode(),
            "associated_data": "transaction",
            "nonce": "fdasflkja484w",
        },
    },
    ensure_ascii=False,
)
AUTHORIZATION = (
    'Authorization: WECHATPAY2-SHA256-RSA2048 mchid="1900009191",'
    'nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",signature="uOVRnA4qG/MNnYzdQxJanN+zU+lTgIcnU9BxGw5dKjK+'
    "VdEUz2FeIoC+D5sB/LN+nGzX3hfZg6r5wT1pl2ZobmIc6p0ldN7J6yDgUzbX8Uk3sD4a4eZVPTBvqNDoUqcYMlZ9uuDdCvNv4TM3c1"
    "WzsXUrExwVkI1XO5jCNbgDJ25nkT/c1gIFvqoogl7MdSFGc4W4xZsqCItnqbypR3RuGIlR9h9vlRsy7zJR9PBI83X8alLDIfR1ukt"
    '1P7tMnmogZ0cuDY8cZsd8ZlCgLadmvej58SLsIkVxFJ8XyUgx9FmutKSYTmYtWBZ0+tNvfGmbXU7cob8H/4nLBiCwIUFluw==",'
    'timestamp="1554208460",serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"'
)
WECHATPAY_HEADERS = (
    "HTTP/1.1 200 OK\nWechatpay-Timestamp: 1554209980\nWechatpay-Nonce: c5ac7061fccab6bf3e254dcf98995b8c\n"
    "Wechatpay-Signature: CtcbzwtQjN8rnOXItEBJ5aQFSnIXESeV28Pr2YEmf9wsDQ8Nx25ytW6FXBCAFdrr0mgqngX3AD9gNzjnN"
    "HzSGTPBSsaEkIfhPF4b8YRRTpny88tNLyprXA0GU5ID3DkZHpjFkX1hAp/D0fva2GKjGRLtvYbtUk/OLYqFuzbjt3yOBzJSKQqJsvb"
    "XILffgAmX4pKql+Ln+6UPvSCeKwznvtPaEx+9nMBmKu7Wpbqm/+2ksc0XwjD+xlvlECkCxfD/OJ4gN3IurE0fpjxIkvHDiinQmk51B"
    "I7zQD8k1znU7r/spPqB+vZjc5ep6DC5wZUpFu5vJ8MoNKjCu8wnzyCFdA==\n"
    "Wechatpay-Serial: 5157F09EFDC096DE15EBE81A47057A7232F1B8E1\nRequest-ID: 08F78BB5AF0610D302C1CF9701\n"
)
SIGN_ERROR = (
    '{"code":"SIGN_ERROR","detail":{"detail":{"issue":"sign not match"},"field":"signature",'
    '"location":"authorization","sign_information":{"method":"POST","sign_message_length":88,'
    '"truncated_sign_message":"POST\\n/v3/pay/transactions/jsapi\\n1554208460\\n593BEC0C930BF1AFEB'
    '40B4A08C8FB242\\n{\\"appid\\":\\"wx\\"}\\n","url":"/v3/pay/transactions/jsapi"}},'
    '"message":"签名错误"}'
)
BAIDU_BODY = (
    "unitPrice=800&orderId=800&payTime=1563788061&dealId=470193086&tpOrderId=3028903626"
    "&count=1&totalMoney=1&hbBalanceMoney=0&userId=3129373&promoMoney=0&promoDetail="
    "&hbMoney=0&giftCardMoney=0&payMoney=1&status=2&rsaSign=Qd8FN0kFA1iGm4ol+mPjQNmM7mWI"
    "0qm+zTvCiXPFgo7rAhTTwBdw/9G0zjlr7vhJeyW95xnpTMJLoiJn5BDsvE8ggxmxDtG1h2WvdVo+9UUHEOWw="
)
ORDER_INFO = (
    '{"dealId":"470193086","appKey":"MMMabc","totalAmount":"11300","tpOrderId":"3028903626",'
    '"rsaSign":"AAAA","dealTitle":"百度小程序Demo支付单","signFieldsRange":1}'
)
COMBINE_BODY = json.dumps(
    {
        "combine_appid": "wxd678efh567hg6787",
        "combine_mchid": "1900000109",
        "combine_out_trade_no": "P20150806125346",
        "scene_info": {"payer_client_ip": "14.23.150.211"},
        "sub_orders": [
            {
                "mchid": "1900000109",
                "attach": "深圳分店",
                "amount": {"total_amount": 10, "currency": "CNY"},
                "out_trade_no": "20150806125346",
                "description": "腾讯充值中心-QQ会员充值",
            }
        ],
        "time_expire": "2018-06-08T10:34:56+08:00",
        "notify_url": "https://yourapp.com/notify",
    },
    ensure_ascii=False,
)
DIAGNOSE_QUERIES = (
    "<xml><return_code>FAIL</return_code><return_msg>签名错误</return_msg></xml>",
    '{"code":"SIGN_ERROR","message":"签名错误，请检查后再试"}',
    "调起支付后提示 errCode:6 get_brand_wcpay_request:fail",
    "HTTP 401 Unauthorized access_denied appid=wx1&sign=C380BEC2BFD727A4B6845133519F3AD6",
    "返回10003 openid=oUpF8uN95-Ptaags6E_roPHg7AG0 13800138000 a@b.cn",
)

PARAM_SEEDS = (V2_XML, V2_NOTIFY_XML, QUERY, "?" + QUERY, URL, LINES, JSON_PARAMS)
TEXT_SEEDS = (
    *PARAM_SEEDS,
    NOTIFICATION,
    AUTHORIZATION,
    WECHATPAY_HEADERS,
    SIGN_ERROR,
    BAIDU_BODY,
    ORDER_INFO,
    COMBINE_BODY,
    *DIAGNOSE_QUERIES,
)
KEY_SEEDS = (PUBLIC_PEM, CERTIFICATE_PEM, BARE_PUBLIC, PKCS1_PEM, PRIVATE_PEM)

# Pieces that mean something to one of the parsers, so mutations land on the interesting paths.
TOKENS = (
    "<", ">", "</", "/>", "<xml>", "</xml>", "<![CDATA[", "]]>", "<?xml version='1.0'?>",
    "&", "=", "?", "#", "%", "%E4%B8", "%ZZ", "+", "\n", "\r\n", "\r", "\t", " ", "\x00", "\x0b",
    "\ufeff", "\u200b", "\u3000", "＝", "＆", "，", "：", "“", "”", "{", "}", "[", "]", '"', "'", ":",
    ",", "\\", "\\n", "\\u00e9", "null", "true", "1e999", "-0", "NaN", "Infinity", "0x1F",
    "-----BEGIN ", "-----END ", "PRIVATE KEY-----", "CERTIFICATE-----", "Proc-Type: 4,ENCRYPTED",
    "WECHATPAY2-SHA256-RSA2048 ", 'signature="', "WECHATPAY/SIGNTEST/", "Wechatpay-Serial: ",
    "sign_information", "key=", "sign=", "sign_type=HMAC-SHA256", "total_fee=1.5", "rsaSign=",
    "weixin://", "https://", "://", "1554208460", "1554208460000", "²", "٣", "１２", "é", "😀",
)  # fmt: skip


def _decoded(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


@st.composite
def mutated(draw: st.DrawFn, seeds: tuple[str, ...]) -> str:
    """A seed with 1–6 random edits: insert, delete, replace, truncate or duplicate a slice."""
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 48)))
        piece = draw(st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)))
        operation = draw(st.sampled_from(("insert", "delete", "replace", "truncate", "duplicate")))
        if operation == "insert":
            text = text[:start] + piece + text[start:]
        elif operation == "delete":
            text = text[:start] + text[end:]
        elif operation == "replace":
            text = text[:start] + piece + text[end:]
        elif operation == "truncate":
            text = text[:start]
        else:
            text = text[:end] + text[start:end] + text[end:]
    return text


junk = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(TOKENS), max_size=40).map("".join),
    st.binary(max_size=300).map(_decoded),
)
pasted = st.one_of(junk, mutated(TEXT_SEEDS), mutated(TEXT_SEEDS))
pasted_params = st.one_of(junk, mutated(PARAM_SEEDS), mutated(PARAM_SEEDS))
short = st.one_of(st.text(max_size=40), st.sampled_from(TOKENS), mutated(("1554208460", "N0NCE")))
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(TOKENS),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
json_objects = st.dictionaries(st.text(max_size=20), json_values, max_size=8)
pairs = st.lists(st.tuples(st.text(max_size=20), st.text(max_size=40)), max_size=10)

FAST = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MEDIUM = settings(FAST, max_examples=200)
SLOW = settings(FAST, max_examples=150)


def survives(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``function``; a ParseError (with a code and a message) is the one allowed failure."""
    try:
        return function(*args, **kwargs)
    except ParseError as error:
        assert error.code and isinstance(error.code, str)
        assert str(error.message).strip()  # a sentence the merchant can read, in any language
        return None


# --- parsing pasted parameters --------------------------------------------------------------------


@FAST
@given(pasted_params)
def test_parse_params_reads_any_paste_or_refuses_it_with_a_parse_error(raw: str) -> None:
    parsed = survives(parse_params, raw)
    if parsed is not None:
        assert parsed.pairs
        assert all(isinstance(n, str) and isinstance(v, str) for n, v in parsed.pairs)


@MEDIUM
@given(json_objects)
def test_from_mapping_turns_any_json_object_into_string_pairs(mapping: dict[str, Any]) -> None:
    parsed = survives(from_mapping, mapping)
    if parsed is not None:
        assert all(isinstance(n, str) and isinstance(v, str) for n, v in parsed.pairs)


# --- WeChat Pay V2 ---------------------------------------------------------------------------------


@FAST
@given(pairs, st.text(max_size=40), st.sampled_from(SIGN_TYPES))
def test_v2_sign_signs_any_pairs_with_any_key(
    given_pairs: list[tuple[str, str]], key: str, sign_type: str
) -> None:
    steps = sign(given_pairs, key, sign_type)
    assert steps.sign == steps.digest.upper()


@MEDIUM
@given(
    st.one_of(
        pairs, pasted_params.map(lambda raw: getattr(survives(parse_params, raw), "pairs", []))
    ),
    st.text(min_size=1, max_size=40),
    st.sampled_from(SIGN_TYPES),
    st.one_of(st.text(max_size=70), st.sampled_from(("9A0A8659F005D6984697E2CA0A9CF3B7", ""))),
)
def test_v2_mistake_search_never_raises(
    given_pairs: list[tuple[str, str]], key: str, sign_type: str, expected: str
) -> None:
    found = mistake_search(given_pairs, key, sign_type, expected)
    assert len(found) <= 10


@MEDIUM
@given(
    pasted_params,
    st.one_of(st.just(""), st.text(max_size=40), st.just(V2_KEY)),
    st.sampled_from(sorted(PRESETS)),
    st.sampled_from((None, *SIGN_TYPES)),
    st.one_of(st.none(), st.text(max_size=40)),
    st.sampled_from(("", *ENTRY_POINTS)),
    st.one_of(st.just(""), st.text(max_size=60), mutated((QUERY + "&key=abc",))),
)
def test_v2_build_report_answers_any_paste_for_every_preset(
    raw: str,
    key: str,
    preset: str,
    sign_type: str | None,
    expected: str | None,
    entry_point: str,
    their_string: str,
) -> None:
    parsed: ParsedParams | None = survives(parse_params, raw)
    if parsed is None:
        return
    report = survives(
        build_report,
        parsed,
        key,
        PRESETS[preset],
        chosen_sign_type=sign_type,
        expected_sign=expected,
        entry_point=entry_point,
        their_string=their_string,
    )
    if report is None:  # the only reason to refuse readable params: no key at all
        assert not (key or parsed.pasted_key or "").strip()


@FAST
@given(st.one_of(st.text(max_size=200), mutated(TEXT_SEEDS)), st.text(max_size=200))
def test_textdiff_compares_any_two_strings(theirs: str, ours: str) -> None:
    diff = textdiff.compare(theirs, ours)
    assert diff is not None


# --- keys ------------------------------------------------------------------------------------------


@SLOW
@given(st.one_of(mutated(KEY_SEEDS), junk))
def test_key_loaders_read_any_paste_or_refuse_it_with_a_parse_error(text: str) -> None:
    loaded = survives(keys.load_key, text)
    survives(keys.describe_key, text)
    if loaded is None or loaded.info.kind != keys.PRIVATE_KEY:
        survives(keys.load_public_key, text)
    if loaded is None or loaded.info.kind == keys.PRIVATE_KEY:
        survives(keys.load_private_key, text)


# --- WeChat Pay APIv3 ------------------------------------------------------------------------------


@FAST
@given(pasted)
def test_v3_parse_authorization_and_wechatpay_headers_read_any_paste(text: str) -> None:
    survives(wechat_v3.parse_authorization, text)
    headers = wechat_v3.parse_wechatpay_headers(text)
    assert isinstance(headers.timestamp, str)


@MEDIUM
@given(
    st.one_of(pasted, mutated((AUTHORIZATION,))),
    st.sampled_from((None, "GET", "POST", "post", "")),
    st.one_of(st.none(), short, st.just("/v3/certificates")),
    st.one_of(st.none(), st.text(max_size=60)),
    st.booleans(),
)
def test_v3_check_authorization_answers_any_header(
    text: str, method: str | None, url: str | None, body: str | None, with_key: bool
) -> None:
    survives(
        wechat_v3.check_authorization,
        text,
        method=method,
        url=url,
        body=body,
        public_key=LOADED_PUBLIC if with_key else None,
    )


@MEDIUM
@given(
    short,
    short,
    st.one_of(st.text(max_size=80), mutated((COMBINE_BODY,))),
    st.one_of(short, mutated((AUTHORIZATION.split('signature="')[1][:344],))),
    st.one_of(
        short, st.just("5157F09EFDC096DE15EBE81A47057A7232F1B8E1"), st.just("PUB_KEY_ID_0114")
    ),
    st.one_of(st.just(""), mutated((WECHATPAY_HEADERS,))),
    short,
)
def test_v3_verify_response_answers_any_parts(
    timestamp: str, nonce: str, body: str, signature: str, serial: str, headers: str, mchid: str
) -> None:
    verification = survives(
        wechat_v3.verify_response,
        timestamp=timestamp,
        nonce=nonce,
        body=body,
        signature=signature,
        public_key=LOADED_PUBLIC,
        serial=serial,
        headers=headers,
        mchid=mchid,
    )
    if verification is not None:
        assert verification.valid is False


@FAST
@given(
    st.one_of(pasted, mutated((SIGN_ERROR,))),
    st.sampled_from(("GET", "POST", "")),
    st.one_of(short, st.just("https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi")),
    st.text(max_size=60),
)
def test_v3_compare_sign_error_answers_any_401_body(
    text: str, method: str, url: str, body: str
) -> None:
    survives(wechat_v3.compare_sign_error, text, method=method, url=url, body=body)


@FAST
@given(
    st.one_of(pasted, mutated((NOTIFICATION,))),
    st.one_of(st.text(max_size=40), st.just(APIV3_KEY)),
)
def test_v3_decrypt_notification_answers_any_notification(text: str, apiv3_key: str) -> None:
    survives(wechat_v3.decrypt_notification, text, apiv3_key)


@FAST
@given(
    st.one_of(st.text(max_size=40), st.just(APIV3_KEY)),
    short,
    st.one_of(short, st.just("fdasflkja484")),
    st.one_of(st.text(max_size=80), mutated((json.loads(NOTIFICATION)["resource"]["ciphertext"],))),
    st.sampled_from(("AEAD_AES_256_GCM", "", "AES", "aead_aes_256_gcm")),
)
def test_v3_decrypt_resource_answers_any_fields(
    apiv3_key: str, associated_data: str, nonce: str, ciphertext: str, algorithm: str
) -> None:
    survives(
        wechat_v3.decrypt_resource,
        apiv3_key=apiv3_key,
        associated_data=associated_data,
        nonce=nonce,
        ciphertext=ciphertext,
        algorithm=algorithm,
    )


JSAPI_PARAMS = json.loads(PRESETS["jsapi"].sample)
APP_PARAMS = dict(line.split("=", 1) for line in PRESETS["app"].sample.splitlines() if "=" in line)


@st.composite
def mutated_mapping(draw: st.DrawFn) -> dict[str, str]:
    """A real JSAPI or App parameter set with fields dropped, renamed or given any value."""
    params = dict(draw(st.sampled_from((JSAPI_PARAMS, APP_PARAMS))))
    for name in draw(st.lists(st.sampled_from(sorted(params)), max_size=4)):
        action = draw(st.sampled_from(("drop", "rename", "value")))
        value = params.pop(name, "")
        if action == "rename":
            params[draw(st.sampled_from((name.lower(), name.upper(), name + " ")))] = value
        elif action == "value":
            params[name] = draw(st.one_of(short, mutated((str(value),))))
    return {str(name): str(value) for name, value in params.items()}


@MEDIUM
@given(
    st.sampled_from(("jsapi", "app", "JSAPI", "")),
    st.one_of(st.dictionaries(st.text(max_size=12), st.text(max_size=30)), mutated_mapping()),
    st.booleans(),
    st.booleans(),
)
def test_v3_pay_sign_answers_any_params(
    scene: str, params: dict[str, str], with_private: bool, with_public: bool
) -> None:
    survives(
        wechat_v3.pay_sign,
        scene,
        params,
        private_key=LOADED_PRIVATE if with_private else None,
        public_key=LOADED_PUBLIC if with_public else None,
    )


@FAST
@given(st.one_of(short, pasted))
def test_v3_signing_url_takes_any_text(url: str) -> None:
    signed, findings = wechat_v3.signing_url(url)
    assert isinstance(signed, str) and isinstance(findings, list)


# --- Baidu -----------------------------------------------------------------------------------------


@FAST
@given(st.one_of(pasted, mutated((BAIDU_BODY, ORDER_INFO))))
def test_baidu_read_params_reads_any_paste_or_refuses_it(text: str) -> None:
    survives(baidu.read_params, text)


@MEDIUM
@given(st.one_of(pasted, mutated((BAIDU_BODY, ORDER_INFO)), json_objects), short)
def test_baidu_sign_and_verify_answer_any_params(params: str | dict[str, Any], url: str) -> None:
    survives(baidu.sign, params, LOADED_PRIVATE)
    survives(baidu.verify, params, LOADED_PUBLIC, url=url)


@FAST
@given(st.one_of(pasted, mutated((ORDER_INFO,)), json_objects))
def test_baidu_check_order_info_answers_any_order_info(order_info: str | dict[str, Any]) -> None:
    survives(baidu.check_order_info, order_info)


@FAST
@given(st.sampled_from(("totalAmount", "refundPayMoney", "x")), json_values)
def test_baidu_check_fen_amount_takes_any_value(name: str, value: object) -> None:
    baidu.check_fen_amount(name, value)


# --- the linter ------------------------------------------------------------------------------------


@FAST
@given(
    st.one_of(st.sampled_from(sorted(LINT_APIS)), st.text(max_size=12)),
    st.one_of(pasted, mutated((COMBINE_BODY, V2_XML, QUERY))),
)
def test_lint_reads_any_body_or_refuses_it(api: str, body: str) -> None:
    survives(lint, api, body=body)


@MEDIUM
@given(st.sampled_from(sorted(LINT_APIS)), json_objects)
def test_lint_reads_any_params_mapping(api: str, params: dict[str, Any]) -> None:
    survives(lint, api, params=params)


# --- the knowledge base ----------------------------------------------------------------------------


@FAST
@given(pasted)
def test_normalize_and_the_signal_readers_take_any_text(text: str) -> None:
    assert isinstance(normalize(text), str)
    assert all(isinstance(code, str) for code in extract_codes(text))
    read_signals(text)
    assert isinstance(scrub_secrets(text), str)


@FAST
@given(
    st.one_of(pasted, mutated(DIAGNOSE_QUERIES)),
    st.sampled_from((None, "", *PLATFORMS, "nope")),
    st.one_of(
        st.none(),
        st.lists(st.sampled_from((*SCENARIOS, "", " ", "nope")), max_size=3).map(",".join),
        st.text(max_size=20),
    ),
)
def test_rule_engine_diagnoses_any_query(
    text: str, platform: str | None, scenario: str | None
) -> None:
    diagnosis = ENGINE.diagnose(text, platform, scenario)
    assert len(diagnosis.matches) <= 10


# --- hostile inputs random search does not reach ---------------------------------------------------

DEEP_ARRAY = '{"a":' + "[" * 100_000 + "]" * 100_000 + "}"
DEEP_OBJECT = '{"a":' * 900 + "1" + "}" * 900
HUGE_NUMBER = '{"a":' + "1" * 5000 + "}"
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    "<xml><appid>&lol3;</appid></xml>"
)
XXE = '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><a>&x;</a></xml>'
LONE_SURROGATE_JSON = '{"appid":"wx\\ud800","mch_id":"1","sign":"ABC","key":"k"}'

HOSTILE = {
    "deep_array": DEEP_ARRAY,
    "deep_object": DEEP_OBJECT,
    "huge_number": HUGE_NUMBER,
    "billion_laughs": BILLION_LAUGHS,
    "xxe": XXE,
    "over_256_kib": "a=" + "x" * (256 * 1024),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_parse_params_refuses_hostile_input_with_a_parse_error(name: str) -> None:
    with pytest.raises(ParseError):
        parse_params(HOSTILE[name])


@pytest.mark.parametrize("name", HOSTILE)
def test_baidu_read_params_survives_hostile_input(name: str) -> None:
    survives(baidu.read_params, HOSTILE[name])


@pytest.mark.parametrize("name", HOSTILE)
def test_baidu_check_order_info_survives_hostile_input(name: str) -> None:
    survives(baidu.check_order_info, HOSTILE[name])


@pytest.mark.parametrize("name", HOSTILE)
def test_v3_decrypt_notification_survives_hostile_input(name: str) -> None:
    survives(wechat_v3.decrypt_notification, HOSTILE[name], APIV3_KEY)


@pytest.mark.parametrize("name", HOSTILE)
def test_v3_compare_sign_error_survives_hostile_input(name: str) -> None:
    survives(wechat_v3.compare_sign_error, HOSTILE[name], method="POST", url="/v3/x")


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("api", sorted(LINT_APIS))
def test_lint_survives_hostile_input(api: str, name: str) -> None:
    survives(lint, api, body=HOSTILE[name])


@pytest.mark.parametrize("name", HOSTILE)
def test_rule_engine_survives_hostile_input(name: str) -> None:
    ENGINE.diagnose(HOSTILE[name][: 16 * 1024])


@pytest.mark.parametrize("name", HOSTILE)
def test_key_loader_survives_hostile_input(name: str) -> None:
    survives(keys.load_key, HOSTILE[name])


# --- single values that once broke an entry point -------------------------------------------------

BIG = "1" * 5000
CIPHERTEXT = json.loads(NOTIFICATION)["resource"]["ciphertext"]
AUTH_HEADER = 'WECHATPAY2-SHA256-RSA2048 mchid="1",nonce_str="n",signature="AAAA",timestamp="1",'


def _report(raw: str, preset: str = "free") -> object:
    return build_report(parse_params(raw), V2_KEY, PRESETS[preset])


KNOWN_BAD_VALUES = [
    pytest.param(lambda: parse_params("http://[?a=1"), id="url-v2"),
    pytest.param(
        lambda: wechat_v3.signing_url("https://[/v3/x"),
        id="url-v3-signing-url",
    ),
    pytest.param(
        lambda: wechat_v3.check_authorization(
            AUTH_HEADER + 'serial_no="AB"', method="GET", url="https://[", body=""
        ),
        id="url-v3-authorization",
    ),
    pytest.param(
        lambda: baidu.verify("a=1&rsaSign=AAAA", LOADED_PUBLIC, url="http://[?x=1"),
        id="url-baidu-verify",
    ),
    pytest.param(
        lambda: wechat_v3.decrypt_resource(
            apiv3_key=APIV3_KEY, associated_data="", nonce="0", ciphertext=CIPHERTEXT
        ),
        id="decrypt-short-nonce",
    ),
    pytest.param(
        lambda: wechat_v3.decrypt_notification(
            NOTIFICATION.replace("fdasflkja484w", "n" * 129), APIV3_KEY
        ),
        id="decrypt-long-nonce",
    ),
    pytest.param(
        lambda: _report(LONE_SURROGATE_JSON),
        id="surrogate-v2-report",
    ),
    pytest.param(
        lambda: baidu.sign('{"a": "\\ud800"}', LOADED_PRIVATE),
        id="surrogate-baidu-sign",
    ),
    pytest.param(
        lambda: wechat_v3.pay_sign(
            "jsapi",
            dict(parse_params(PRESETS["jsapi"].sample.replace("wx", "\\ud800")).pairs),
            private_key=LOADED_PRIVATE,
        ),
        id="surrogate-v3-pay-sign",
    ),
    pytest.param(
        lambda: wechat_v3.decrypt_notification(
            NOTIFICATION.replace(
                '"associated_data": "transaction"', '"associated_data": "\\ud800"'
            ),
            APIV3_KEY,
        ),
        id="surrogate-v3-decrypt",
    ),
    pytest.param(
        lambda: _report(f"total_fee={BIG}.5"),
        id="big-v2-total-fee",
    ),
    pytest.param(
        lambda: lint("refund", params={"out_trade_no": "1", "total_fee": "²", "refund_fee": "³"}),
        id="superscript-lint-refund",
    ),
    pytest.param(
        lambda: lint("refund", params={"out_trade_no": "1", "total_fee": BIG, "refund_fee": BIG}),
        id="big-lint-refund",
    ),
    pytest.param(
        lambda: lint(
            "combine-app",
            body=COMBINE_BODY.replace('"total_amount": 10', f'"total_amount": "{BIG}.5"'),
        ),
        id="big-lint-combine-amount",
    ),
    pytest.param(
        lambda: baidu.check_fen_amount("totalAmount", "9" * 400 + ".5"),
        id="overflow-baidu-amount",
    ),
    pytest.param(
        lambda: wechat_v3.compare_sign_error(
            SIGN_ERROR.replace('"sign_message_length":88', '"sign_message_length":"²"'),
            method="POST",
            url="/v3/pay/transactions/jsapi",
        ),
        id="superscript-sign-error-length",
    ),
    pytest.param(
        lambda: wechat_v3.compare_sign_error(
            SIGN_ERROR.replace('"sign_message_length":88', f'"sign_message_length":"{BIG}"'),
            method="POST",
            url="/v3/pay/transactions/jsapi",
        ),
        id="big-sign-error-length",
    ),
    pytest.param(
        lambda: wechat_v3.verify_response(
            timestamp="1554208460",
            nonce="n",
            body="",
            signature="AAAA",
            public_key=LOADED_PUBLIC,
            serial=BIG,
        ),
        id="big-verify-serial",
    ),
    pytest.param(
        lambda: check_serial_no(BIG),
        id="big-authorization-serial",
    ),
]


@pytest.mark.parametrize("call", KNOWN_BAD_VALUES)
def test_values_that_once_broke_an_entry_point_raise_nothing_but_parse_error(
    call: Callable[[], object],
) -> None:
    survives(call)
