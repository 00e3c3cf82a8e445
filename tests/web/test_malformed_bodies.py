"""No request body makes a page or the JSON API answer 500.

Form endpoints (every workbench action and /diagnose) get bodies that are not forms, binary junk,
invalid UTF-8, too many fields, too much data, and every field replaced in turn by a hostile value
(XML bombs, 100,000-level JSON, 5,000-digit numbers, lone-surrogate escapes, broken URLs) while the
others stay valid, so the hostile value reaches the engine. They must answer an HTML page, a 4xx
where the input is unusable, and never a traceback.

The JSON API is read from /api/v1/openapi.json, so an endpoint added later is covered without
touching this file: every failure is a 4xx in the one shape {"error": {"code", "message"}}.
"""

from __future__ import annotations

import base64
import json
import random
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.test import Client

from diagnostics.wechat_v2.fields import PRESETS
from tests.web import keys
from tests.web.test_refund_notify import API_KEY as REFUND_API_KEY
from tests.web.test_refund_notify import notification as refund_notification

pytestmark = pytest.mark.django_db

# --- one RSA key for the module, its PEMs and a certificate --------------------------------------

PRIVATE_PEM = keys.private_pem()
PUBLIC_PEM = keys.public_pem()
CERTIFICATE_PEM = keys.certificate_pem()

APIV3_KEY = "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gH"
CIPHERTEXT = base64.b64encode(
    AESGCM(APIV3_KEY.encode()).encrypt(
        b"fdasflkja484", b'{"trade_state":"SUCCESS"}', b"transaction"
    )
).decode()
V2_QUERY = "appid=wxd930ea5d5a258f4f&mch_id=10000100&body=test&nonce_str=ibuaiVcKdpRxkhJA"
AUTHORIZATION = (
    'WECHATPAY2-SHA256-RSA2048 mchid="1900009191",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",'
    'signature="AAAA",timestamp="1554208460",serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"'
)
HEADERS = (
    "Wechatpay-Timestamp: 1554209980\nWechatpay-Nonce: c5ac7061fccab6bf3e254dcf98995b8c\n"
    "Wechatpay-Signature: AAAA\nWechatpay-Serial: 5157F09EFDC096DE15EBE81A47057A7232F1B8E1\n"
)
SIGN_ERROR = (
    '{"code":"SIGN_ERROR","detail":{"sign_information":{"method":"POST","sign_message_length":88,'
    '"truncated_sign_message":"POST\\n/v3/pay/transactions/jsapi\\n","url":"/v3/x"}}}'
)
# A sensitive field encrypted as WeChat Pay does (RSAES-OAEP, SHA-1), in a request body.
SENSITIVE_CIPHERTEXT = base64.b64encode(
    keys.private_key()
    .public_key()
    .encrypt("张三".encode(), padding.OAEP(padding.MGF1(hashes.SHA1()), hashes.SHA1(), None))
).decode()
SENSITIVE_BODY = json.dumps({"contact_info": {"contact_name": SENSITIVE_CIPHERTEXT}})
BAIDU_BODY = "dealId=470193086&tpOrderId=3028903626&totalMoney=1&status=2&rsaSign=AAAA"

# --- hostile values ---------------------------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
    "<xml><appid>&lol4;</appid><mch_id>1</mch_id></xml>"
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    "<xml><appid>&x;</appid><mch_id>1</mch_id></xml>"
)
DEEP_JSON = "[" * 100_000
DEEP_IN_OBJECT = '{"a":' + "[" * 100_000 + "]" * 100_000 + "}"
BIG = "1" * 5000

HOSTILE_FIELD_VALUES = {
    "empty": "",
    "spaces": " \t\r\n ",
    "binary": bytes(random.Random(7).randrange(256) for _ in range(600)).decode("latin-1"),
    "nul_and_controls": "a\x00b\x01\x1b[31m\x7f\u202e\ufeff",
    "billion_laughs": BILLION_LAUGHS,
    "xxe": XXE,
    "deep_json": DEEP_JSON,
    "deep_json_in_object": DEEP_IN_OBJECT,
    "huge_number_json": '{"a":' + BIG + "}",
    "huge_number": BIG,
    "huge_decimal": BIG + ".5",
    "superscript_digits": "²³",
    "lone_surrogate_escape": '{"appId":"\\ud800","a":"\\udfff"}',
    "broken_ipv6_url": "https://[/v3?a=1",
    "near_limit": "a=" + "x" * (250 * 1024),
    "pem_garbage": "-----BEGIN PRIVATE KEY-----\nAAAA!!\n-----END PRIVATE KEY-----",
}

# --- the form endpoints, each with a valid body the hostile values are swapped into ----------------

V2_FORM = {
    "raw": V2_QUERY,
    "key": "192006250b4c09247ec02edce69f6a2d",
    "sign_type": "",
    "expected_sign": "",
    "their_string": "",
    "entry_point": "",
}
FORMS: dict[str, dict[str, str]] = {
    **{f"/wechat/v2/{slug}/sign": V2_FORM for slug in PRESETS},
    "/wechat/v3/sign/run": {
        "method": "POST",
        "url": "/v3/pay/transactions/jsapi",
        "timestamp": "1554208460",
        "nonce": "593BEC0C930BF1AFEB40B4A08C8FB242",
        "body": '{"appid":"wx"}',
        "private_key": PRIVATE_PEM,
        "mchid": "1900009191",
        "serial_no": "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C",
        "their_signature": "AAAA",
        "sign_error": SIGN_ERROR,
    },
    "/wechat/v3/authorization/run": {
        "authorization": AUTHORIZATION,
        "method": "GET",
        "url": "/v3/certificates",
        "body": "",
        "public_key": PUBLIC_PEM,
    },
    "/wechat/v3/verify/run": {
        "headers": HEADERS,
        "timestamp": "",
        "nonce": "",
        "signature": "",
        "serial": "",
        "body": '{"id":"EV-1"}',
        "public_key": CERTIFICATE_PEM,
        "mchid": "1900009191",
    },
    "/wechat/v3/decrypt/run": {
        "notification": "",
        "associated_data": "transaction",
        "nonce": "fdasflkja484",
        "ciphertext": CIPHERTEXT,
        "apiv3_key": APIV3_KEY,
    },
    "/wechat/v3/pay-sign/run": {
        "scene": "jsapi",
        "params": PRESETS["jsapi"].sample,
        "private_key": PRIVATE_PEM,
        "public_key": "",
    },
    "/baidu/sign/run": {"params": BAIDU_BODY, "private_key": PRIVATE_PEM, "expected_sign": "AAAA"},
    "/baidu/verify/run": {"params": BAIDU_BODY, "url": "", "public_key": PUBLIC_PEM},
    "/lint/run": {"api": "unifiedorder", "body": PRESETS["unifiedorder"].sample},
    "/wechat/v2/refund-notify/run": {"notification": refund_notification(), "key": REFUND_API_KEY},
    "/wechat/v3/keyring/run": {
        "private_key": f"{PRIVATE_PEM}\n{CERTIFICATE_PEM}\nmchid=1900009191",
        "apiv3_key": APIV3_KEY,
        "key": "",
        "serial_no": "",
        "wechatpay_serial": "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
        "mchid": "",
    },
    "/wechat/v3/sensitive/run": {
        "mode": "check",
        "plaintext": "张三",
        "public_key": CERTIFICATE_PEM,
        "public_key_id": "",
        "ciphertext": SENSITIVE_CIPHERTEXT,
        "body": SENSITIVE_BODY,
        "wechatpay_serial": "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
        "private_key": PRIVATE_PEM,
    },
    "/wechat/v3/simulate/run": {
        "kind": "payment",
        "mode": "certificate",
        "url": "https://merchant.example/notify",
        "apiv3_key": APIV3_KEY,
        "resource": '{"trade_state":"SUCCESS"}',
    },
    "/wechat/v2/simulate/run": {
        "kind": "payment",
        "sign_type": "MD5",
        "url": "https://merchant.example/notify",
        "key": REFUND_API_KEY,
        "resource": "out_trade_no=1217752501201407033233368018",
    },
    "/diagnose": {
        "q": '{"code":"SIGN_ERROR","message":"签名错误"}',
        "platform": "",
        "scenario": "",
    },
}
# Workbench actions answer 400 to an unusable form; /diagnose shows its empty page for no query.
ACTIONS = [url for url in FORMS if url != "/diagnose"]


@pytest.fixture
def web(client: Client) -> Client:
    """The test client, answering a view's exception with the 500 a user would get."""
    client.raise_request_exception = False
    return client


ANSWERED = (200, *range(400, 500))  # a result, or a refusal (400, 413 for an over-long field)


def assert_html_error_page(response: Any, statuses: range | tuple[int, ...] = range(400, 500)):
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("text/html")
    assert b"Traceback" not in response.content


# --- form endpoints -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", list(FORMS))
def test_each_form_endpoint_answers_its_valid_body(web: Client, url: str) -> None:
    response = web.post(url, FORMS[url])
    assert_html_error_page(response, (200,))


@pytest.mark.parametrize("url", ACTIONS)
def test_an_empty_post_is_a_400_page(web: Client, url: str) -> None:
    assert_html_error_page(web.post(url, {}), (400,))


@pytest.mark.parametrize("url", ACTIONS)
@pytest.mark.parametrize(
    "content_type",
    ["application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "application/json"],
)
def test_binary_junk_instead_of_a_form_is_a_4xx_page(
    web: Client, url: str, content_type: str
) -> None:
    junk = bytes(random.Random(url).randrange(256) for _ in range(4096))
    assert_html_error_page(web.post(url, junk, content_type=content_type))


@pytest.mark.parametrize("url", ACTIONS)
def test_a_form_of_invalid_utf8_is_a_4xx_page(web: Client, url: str) -> None:
    body = "&".join(f"{name}=%FF%FE%C3%28" for name in FORMS[url]).encode()
    response = web.post(url, body, content_type="application/x-www-form-urlencoded")
    assert_html_error_page(response)


@pytest.mark.parametrize("url", [*ACTIONS, "/diagnose"])
def test_too_many_fields_is_a_4xx_page(web: Client, url: str) -> None:
    body = "&".join(f"f{index}=1" for index in range(1000))
    response = web.post(url, body, content_type="application/x-www-form-urlencoded")
    assert_html_error_page(response)


@pytest.mark.parametrize("url", [*ACTIONS, "/diagnose"])
def test_a_body_over_the_form_limit_is_a_413_page(web: Client, url: str, settings: Any) -> None:
    body = "q=" + "x" * (settings.MAX_FORM_BYTES + 1)
    response = web.post(url, body, content_type="application/x-www-form-urlencoded")
    assert_html_error_page(response, (413,))


def _field_cases() -> list[Any]:
    return [
        pytest.param(url, field, name, id=f"{url}-{field}-{name}")
        for url, form in FORMS.items()
        # The presets share one form; the preset-specific checks run below.
        if not url.startswith("/wechat/v2/") or url == "/wechat/v2/free/sign"
        for field in form
        for name in HOSTILE_FIELD_VALUES
    ]


@pytest.mark.parametrize(("url", "field", "name"), _field_cases())
def test_a_hostile_value_in_any_field_never_breaks_the_page(
    web: Client, url: str, field: str, name: str
) -> None:
    data = {**FORMS[url], field: HOSTILE_FIELD_VALUES[name]}
    assert_html_error_page(web.post(url, data), ANSWERED)


@pytest.mark.parametrize("preset", list(PRESETS))
@pytest.mark.parametrize("name", list(HOSTILE_FIELD_VALUES))
def test_every_v2_preset_survives_a_hostile_paste(web: Client, preset: str, name: str) -> None:
    data = {**V2_FORM, "raw": HOSTILE_FIELD_VALUES[name]}
    assert_html_error_page(web.post(f"/wechat/v2/{preset}/sign", data), ANSWERED)


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, XXE], ids=["billion_laughs", "xxe"])
@pytest.mark.parametrize("url", [f"/wechat/v2/{slug}/sign" for slug in PRESETS])
def test_xml_with_a_dtd_is_refused_by_every_v2_preset(web: Client, url: str, xml: str) -> None:
    response = web.post(url, {**V2_FORM, "raw": xml})
    assert_html_error_page(response, (400,))
    assert b"root:" not in response.content and b"lollollol" not in response.content


@pytest.mark.parametrize(
    "query",
    [
        {"q": "签名错误", "platform": "nope"},
        {"q": "签名错误", "scenario": "nope,app"},
        {"q": "x" * (16 * 1024 + 1)},
        {"q": "签名错误", "scenario": "a" * 200},
    ],
    ids=["unknown_platform", "unknown_scenario", "q_over_16_kib", "scenario_too_long"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_diagnose_refuses_bad_parameters_with_a_400_page(
    web: Client, method: str, query: dict[str, str]
) -> None:
    response = getattr(web, method)("/diagnose", query)
    assert_html_error_page(response, (400,))


@pytest.mark.parametrize(
    "query_string",
    ["q=%FF%FE", "q=%", "q=a&q=b&platform=wechat_v2&platform=baidu", "q=\x00", "add_scenario=app"],
)
def test_diagnose_reads_odd_query_strings_without_error(web: Client, query_string: str) -> None:
    response = web.get("/diagnose?" + query_string)
    assert_html_error_page(response, (200, 400))


# --- the JSON API, every operation listed in its OpenAPI document ------------------------------------


def _openapi() -> dict[str, Any]:
    return Client().get("/api/v1/openapi.json").json()


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _with_examples(path: str, operation: dict[str, Any]) -> str:
    """A path parameter that names a resource takes the example the API gives for it (the
    workbench endpoint: ``lint``), so the body is what is tested, not the name."""
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "path" and parameter.get("examples"):
            name = parameter["name"]
            path = path.replace(f"{{{name}}}", str(parameter["examples"][0]))
    return path


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    document = _openapi()
    operations = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            schema = _resolve(body["schema"], document) if body else {}
            operations.append(
                (_with_examples(path, operation), method, {"body": schema, "operation": operation})
            )
    return operations


OPERATIONS = _operations()
POSTS = [(path, spec) for path, method, spec in OPERATIONS if method == "post"]
GETS = [(path, spec) for path, method, spec in OPERATIONS if method == "get"]


def _sample(schema: dict[str, Any]) -> Any:
    """A value of the schema's type (the first branch of a union), to build well-typed bodies."""
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return _sample(next(s for s in schema[key] if s.get("type") != "null"))
    if "enum" in schema:
        return schema["enum"][0]
    return {
        "string": "x",
        "integer": 1,
        "number": 1,
        "boolean": True,
        "array": [],
        "object": {},
    }.get(schema.get("type", "string"), "x")


# Realistic bodies, so a hostile value in one field reaches the engine; a path added later falls
# back to placeholders of the schema's types.
API_EXAMPLES: dict[str, dict[str, Any]] = {
    "/api/v1/wechat/v2/sign": {
        "raw": V2_QUERY,
        "key": "192006250b4c09247ec02edce69f6a2d",
        "expected_sign": "9A0A8659F005D6984697E2CA0A9CF3B7",
        "preset": "unifiedorder",
    },
    "/api/v1/wechat/v3/sign": {k: v for k, v in FORMS["/wechat/v3/sign/run"].items()
                               if k != "their_signature"},
    "/api/v1/wechat/v3/verify": {
        "timestamp": "1554209980",
        "nonce": "c5ac7061fccab6bf3e254dcf98995b8c",
        "body": '{"id":"EV-1"}',
        "signature": "AAAA",
        "public_key": CERTIFICATE_PEM,
        "serial": "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
    },
    "/api/v1/wechat/v3/decrypt": {
        "apiv3_key": APIV3_KEY,
        "associated_data": "transaction",
        "nonce": "fdasflkja484",
        "ciphertext": CIPHERTEXT,
    },
    "/api/v1/baidu/sign": {"params": BAIDU_BODY, "private_key": PRIVATE_PEM},
    "/api/v1/baidu/verify": {"params": BAIDU_BODY, "public_key": PUBLIC_PEM},
    "/api/v1/lint": {"api": "unifiedorder", "body": PRESETS["unifiedorder"].sample},
    "/api/v1/wechat/v2/refund-notify/decrypt": {"notification": refund_notification(),
                                                "key": REFUND_API_KEY},
    "/api/v1/wechat/v3/keyring": {"items": [PRIVATE_PEM, CERTIFICATE_PEM, APIV3_KEY],
                                   "mchid": "1900009191",
                                   "wechatpay_serial": "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"},
    "/api/v1/wechat/v3/sensitive/check": {"body": SENSITIVE_BODY, "certificate": CERTIFICATE_PEM,
                                          "wechatpay_serial": "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"},
    "/api/v1/wechat/v3/sensitive/encrypt": {"plaintext": "张三", "certificate": CERTIFICATE_PEM},
    "/api/v1/wechat/v3/sensitive/decrypt": {"ciphertext": SENSITIVE_CIPHERTEXT,
                                            "private_key": PRIVATE_PEM},
    "/api/v1/wechat/v3/simulate": {k: v for k, v in FORMS["/wechat/v3/simulate/run"].items()},
    "/api/v1/wechat/v2/simulate": {k: v for k, v in FORMS["/wechat/v2/simulate/run"].items()},
    "/api/v1/inspect": {"text": PRESETS["unifiedorder"].sample + "\nkey=" + REFUND_API_KEY},
    "/api/v1/workbenches/lint": {
        "values": {"api": "unifiedorder", "body": PRESETS["unifiedorder"].sample}
    },
}  # fmt: skip


def _placeholders(schema: dict[str, Any]) -> dict[str, Any]:
    return {name: _sample(prop) for name, prop in schema.get("properties", {}).items()}


def _valid_typed(schema: dict[str, Any], path: str = "") -> dict[str, Any]:
    return {**_placeholders(schema), **API_EXAMPLES.get(path, {})}


def _wrong_type(schema: dict[str, Any]) -> Any:
    kinds = {schema.get("type")} | {s.get("type") for s in schema.get("anyOf", ())}
    if "enum" in schema:
        return "not-one-of-the-choices"
    if "object" in kinds or "string" in kinds:
        return [1, [2]]
    return {"a": "b"}


def _url(path: str) -> str:
    return path.replace("{slug}", "no-such-entry")


def assert_api_error(response: Any, statuses: range | tuple[int, ...] = range(400, 500)) -> str:
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    # A req_info that will not open also lists the slips tried (issue 15's "with mistakes").
    assert set(body) in ({"error"}, {"error", "mistakes"}), body
    assert set(body["error"]) in ({"code", "message"}, {"code", "message", "mistakes"}), body
    assert isinstance(body["error"]["code"], str) and body["error"]["code"]
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]["code"]


def test_the_openapi_document_lists_the_json_endpoints() -> None:
    paths = {path for path, _, _ in OPERATIONS}
    assert {"/api/v1/wechat/v2/sign", "/api/v1/lint", "/api/v1/diagnose"} <= paths
    assert len(POSTS) >= 7 and GETS


def _post_ids(cases: list[tuple[str, dict[str, Any]]]) -> list[str]:
    return [path.removeprefix("/api/v1/") for path, _ in cases]


NOT_JSON_BODIES = {
    "empty": b"",
    "text": b"hello",
    "truncated": b'{"raw": "a=1"',
    "single_quotes": b"{'raw': 'a=1'}",
    "bom": b'\xef\xbb\xbf{"raw": "a=1"}',
    "trailing_garbage": b'{"raw": "a=1"} x',
    "xml": b"<xml><a>1</a></xml>",
    "form": b"raw=a%3D1&key=k",
    "deep_array": b"[" * 100_000,
    "deep_object": b'{"a":' * 50_000,
    "deep_closed": b'{"params":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "invalid_utf8": b'{"raw": "\xff\xfe\xc3\x28", "key": "\x80"}',
    "utf16": '{"raw": "a=1"}'.encode("utf-16"),
    "huge_number": b'{"raw": ' + BIG.encode() + b"}",
    "nan": b'{"raw": NaN, "key": Infinity}',
    "lone_surrogates": b'{"raw": "a=\\ud800", "key": "\\udfff", "params": {"\\ud800": "x"}}',
    # Long enough for the answer's gate to look for them as secrets (it URL-encodes each: a 500).
    "lone_surrogate_secrets": (
        '{"key": "%s", "apiv3_key": "%s", "private_key": "%s"}' % (("\\udfff" * 32,) * 3)
    ).encode(),
}
WRONG_JSON_TYPES = {
    "array": [],
    "array_of_objects": [{"raw": "a=1"}],
    "string": "a=1",
    "number": 1,
    "null": None,
    "true": True,
}


@pytest.mark.parametrize(("path", "spec"), POSTS, ids=_post_ids(POSTS))
def test_each_json_endpoint_answers_its_realistic_body(
    web: Client, path: str, spec: dict[str, Any]
) -> None:
    body = json.dumps(_valid_typed(spec["body"], path))
    response = web.post(path, body, content_type="application/json")
    assert response.status_code == 200 or path not in API_EXAMPLES, response.content[:300]
    if response.status_code >= 400:
        assert_api_error(response)


@pytest.mark.parametrize("name", list(NOT_JSON_BODIES))
@pytest.mark.parametrize(("path", "spec"), POSTS, ids=_post_ids(POSTS))
def test_a_body_that_is_not_a_json_object_is_a_400_in_the_error_shape(
    web: Client, path: str, spec: dict[str, Any], name: str
) -> None:
    response = web.post(path, NOT_JSON_BODIES[name], content_type="application/json")
    assert_api_error(response, (400,))


@pytest.mark.parametrize("name", list(WRONG_JSON_TYPES))
@pytest.mark.parametrize(("path", "spec"), POSTS, ids=_post_ids(POSTS))
def test_json_of_the_wrong_type_is_a_400_in_the_error_shape(
    web: Client, path: str, spec: dict[str, Any], name: str
) -> None:
    response = web.post(path, json.dumps(WRONG_JSON_TYPES[name]), content_type="application/json")
    assert_api_error(response, (400,))


@pytest.mark.parametrize(("path", "spec"), POSTS, ids=_post_ids(POSTS))
def test_each_field_of_the_wrong_type_is_a_400_in_the_error_shape(
    web: Client, path: str, spec: dict[str, Any]
) -> None:
    schema = spec["body"]
    for name, prop in schema.get("properties", {}).items():
        body = {**_valid_typed(schema, path), name: _wrong_type(prop)}
        response = web.post(path, json.dumps(body), content_type="application/json")
        assert assert_api_error(response, (400,)) == "invalid_request", name


@pytest.mark.parametrize(("path", "spec"), POSTS, ids=_post_ids(POSTS))
def test_each_missing_required_field_is_a_400_in_the_error_shape(
    web: Client, path: str, spec: dict[str, Any]
) -> None:
    schema = spec["body"]
    for name in schema.get("required", []):
        body = {key: value for key, value in _valid_typed(schema, path).items() if key != name}
        response = web.post(path, json.dumps(body), content_type="application/json")
        assert assert_api_error(response, (400,)) == "invalid_request", name
    assert_api_error(web.post(path, "{}", content_type="application/json"), (400,))


@pytest.mark.parametrize(("path", "spec"), POSTS, ids=_post_ids(POSTS))
def test_a_well_typed_body_of_placeholders_is_refused_in_the_error_shape(
    web: Client, path: str, spec: dict[str, Any]
) -> None:
    body = json.dumps(_placeholders(spec["body"]))
    assert_api_error(web.post(path, body, content_type="application/json"))


def _string_fields(schema: dict[str, Any]) -> list[str]:
    return [
        name
        for name, prop in schema.get("properties", {}).items()
        if _sample(prop) == "x" and "enum" not in prop
    ]


API_HOSTILE = ["billion_laughs", "xxe", "deep_json", "deep_json_in_object", "huge_number_json",
               "huge_decimal", "superscript_digits", "broken_ipv6_url", "binary",
               "nul_and_controls", "lone_surrogate_escape", "pem_garbage"]  # fmt: skip


def _api_hostile_cases() -> list[Any]:
    return [
        pytest.param(path, spec, value, id=f"{path.removeprefix('/api/v1/')}-{value}")
        for path, spec in POSTS
        for value in API_HOSTILE
    ]


@pytest.mark.parametrize(("path", "spec", "value"), _api_hostile_cases())
def test_a_hostile_string_in_any_field_never_breaks_the_api(
    web: Client, path: str, spec: dict[str, Any], value: str
) -> None:
    schema = spec["body"]
    for name in _string_fields(schema):
        body = {**_valid_typed(schema, path), name: HOSTILE_FIELD_VALUES[value]}
        response = web.post(path, json.dumps(body), content_type="application/json")
        assert response.status_code < 500, (name, response.content[:300])
        if response.status_code >= 400:
            assert_api_error(response)


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, XXE], ids=["billion_laughs", "xxe"])
def test_v2_sign_api_refuses_xml_with_a_dtd(web: Client, xml: str) -> None:
    body = {"raw": xml, "key": "192006250b4c09247ec02edce69f6a2d"}
    response = web.post("/api/v1/wechat/v2/sign", body, content_type="application/json")
    assert assert_api_error(response, (400,)) == "xml_dtd_refused"
    assert "root:" not in response.content.decode()


def _sized_body(schema: dict[str, Any], path: str, size: int) -> bytes:
    """A well-typed JSON body of exactly ``size`` bytes, padded in its first string field."""
    body = _valid_typed(schema, path)
    # No string at the top (the workbench endpoint's fields sit in "values"): an extra name.
    field = next(iter(_string_fields(schema)), "padding")
    body[field] = ""
    padding = size - len(json.dumps(body).encode())
    body[field] = "a=" + "x" * (padding - 2)
    encoded = json.dumps(body).encode()
    assert len(encoded) == size
    return encoded


@pytest.mark.parametrize(("path", "spec"), POSTS, ids=_post_ids(POSTS))
def test_a_body_just_under_256_kib_is_read_and_one_just_over_is_a_413(
    web: Client, path: str, spec: dict[str, Any], settings: Any
) -> None:
    limit = settings.MAX_BODY_BYTES
    under = web.post(
        path, _sized_body(spec["body"], path, limit - 16), content_type="application/json"
    )
    assert under.status_code < 500 and under.status_code != 413, under.content[:300]
    if under.status_code >= 400:
        assert_api_error(under)
    over = web.post(
        path, _sized_body(spec["body"], path, limit + 1), content_type="application/json"
    )
    assert assert_api_error(over, (413,)) == "body_too_large"


@pytest.mark.parametrize(("path", "spec"), POSTS, ids=_post_ids(POSTS))
def test_a_form_post_to_a_json_endpoint_is_a_4xx_in_the_error_shape(
    web: Client, path: str, spec: dict[str, Any]
) -> None:
    junk = bytes(random.Random(path).randrange(256) for _ in range(2048))
    assert_api_error(web.post(path, {"raw": "a=1", "key": "k"}))
    assert_api_error(web.post(path, junk, content_type="application/x-www-form-urlencoded"))
    assert_api_error(web.post(path, junk, content_type="multipart/form-data; boundary=xyz"))


@pytest.mark.parametrize(
    ("path", "method"),
    [(path, method) for path, method, _ in OPERATIONS],
    ids=[f"{method}-{path.removeprefix('/api/v1/')}" for path, method, _ in OPERATIONS],
)
def test_a_method_an_endpoint_does_not_take_is_a_405_in_the_error_shape(
    web: Client, path: str, method: str
) -> None:
    other = "get" if method == "post" else "post"
    url = _url(path)
    response = web.get(url) if other == "get" else web.post(url, "{}", content_type="json")
    assert assert_api_error(response, (405,)) == "method_not_allowed"


BAD_QUERIES = {
    "/api/v1/diagnose": [
        ("", "empty_query"),
        ("q=", "empty_query"),
        ("q=%20%20", "empty_query"),
        ("q=" + "x" * (16 * 1024 + 1), "query_too_long"),
        ("q=a&platform=nope", "unknown_platform"),
        ("q=a&scenario=app,nope", "unknown_scenario"),
        ("q=%FF%FE&platform=%FF", "unknown_platform"),
        ("platform=wechat_v2", "empty_query"),
    ],
    "/api/v1/faq/{slug}": [("", "not_found"), ("x=%FF", "not_found")],
}


@pytest.mark.parametrize(("path", "spec"), GETS, ids=_post_ids(GETS))
def test_get_endpoints_refuse_bad_query_parameters_in_the_error_shape(
    web: Client, path: str, spec: dict[str, Any]
) -> None:
    cases = BAD_QUERIES.get(path, [("q=%FF%FE&x=" + "y" * 5000, None)])
    for query, code in cases:
        response = web.get(_url(path) + "?" + query)
        found = assert_api_error(response)
        assert code is None or found == code, (query, found)


@pytest.mark.parametrize(
    "slug", ["no-such-entry", "..%2F..%2Fetc%2Fpasswd", "%FF%FE", "a" * 5000, "%00"]
)
def test_an_unknown_faq_slug_is_a_404_in_the_error_shape(web: Client, slug: str) -> None:
    response = web.get(f"/api/v1/faq/{slug}")
    assert_api_error(response, (404,))


def test_an_unknown_api_path_is_a_404_in_the_error_shape(web: Client) -> None:
    assert assert_api_error(web.get("/api/v1/no-such-thing"), (404,)) == "not_found"
    assert_api_error(web.post("/api/v1/wechat/v9/sign", "{}", content_type="application/json"))
