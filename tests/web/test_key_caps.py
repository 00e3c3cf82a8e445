"""Issue 10 F4: oversize RSA keys and private keys in public-key fields are refused, everywhere.

Every key field of every form and API endpoint gets every oversize paste (tests/diagnostics/
huge_keys.py: 8192- and 16384-bit moduli, an exponent of 2^3070+1, as PKCS#8, PKCS#1, bare DER and
certificates) and answers a 4xx with the clear sentence, never a 500 and never after validating.
"""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from tests.diagnostics import huge_keys
from tests.web import keys

pytestmark = pytest.mark.django_db

OVERSIZE = huge_keys.oversize_keys()
TOO_LARGE = ("超过本工具接受的上限", "超过上限 2³²")
# What a paste of the wrong kind is told instead (refused by its label, before its size is read).
WRONG_KIND = ("粘贴的是私钥", "粘贴的是公钥", "粘贴的是证书")
AUTHORIZATION = (
    'WECHATPAY2-SHA256-RSA2048 mchid="1900000109",nonce_str="N",signature="c2ln",'
    'timestamp="1554208460",serial_no="5157F09EFDC096DE15EBE81A47057A7232F4CF9F"'
)

# (url, the other fields, the key field, whether the field wants a private key)
FORM_FIELDS = [
    ("/wechat/v3/sign/run", {"method": "POST", "url": "/v3/x", "body": "{}"}, "private_key", True),
    (
        "/wechat/v3/sign/run",
        {"method": "POST", "url": "/v3/x", "body": "{}", "private_key": keys.private_pem()},
        "certificate",
        False,
    ),
    ("/wechat/v3/authorization/run", {"authorization": AUTHORIZATION}, "public_key", False),
    (
        "/wechat/v3/verify/run",
        {"timestamp": "1", "nonce": "n", "signature": "c2ln", "body": "{}"},
        "public_key",
        False,
    ),
    ("/wechat/v3/pay-sign/run", {"scene": "jsapi", "params": "appId=wx1"}, "private_key", True),
    ("/wechat/v3/pay-sign/run", {"scene": "jsapi", "params": "appId=wx1"}, "public_key", False),
    (
        "/baidu/sign/run",
        {"params": "appKey=a&dealId=1&tpOrderId=2&totalAmount=1"},
        "private_key",
        True,
    ),
    ("/baidu/verify/run", {"params": "a=1&rsaSign=c2ln"}, "public_key", False),
]
API_FIELDS = [
    (
        "/api/v1/wechat/v3/sign",
        {"url": "/v3/x", "timestamp": "1", "nonce": "n"},
        "private_key",
        True,
    ),
    (
        "/api/v1/wechat/v3/verify",
        {"timestamp": "1", "nonce": "n", "signature": "c2ln"},
        "public_key",
        False,
    ),
    ("/api/v1/baidu/sign", {"params": {"appKey": "a"}}, "private_key", True),
    ("/api/v1/baidu/verify", {"params": {"a": "1", "rsaSign": "c2ln"}}, "public_key", False),
]


def expected_sentences(name: str, wants_private: bool) -> tuple[str, ...]:
    """The oversize key of the field's own kind is refused for its size; a private key in a
    public-key field is refused as a private key; another mismatch may be refused either way."""
    is_private = name.startswith("private")
    if is_private and not wants_private:
        return ("粘贴的是私钥",)
    if is_private == wants_private:
        return TOO_LARGE
    return TOO_LARGE + WRONG_KIND


@pytest.mark.parametrize("name", OVERSIZE)
@pytest.mark.parametrize(("url", "data", "field", "wants_private"), FORM_FIELDS)
def test_every_form_key_field_refuses_oversize_keys_with_a_clear_400(
    client, url, data, field, wants_private, name
):
    response = client.post(url, {**data, field: OVERSIZE[name]}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400, (url, field, name)
    page = response.content.decode()
    assert any(sentence in page for sentence in expected_sentences(name, wants_private)), (
        url,
        field,
        name,
    )


@pytest.mark.parametrize("name", OVERSIZE)
@pytest.mark.parametrize(("url", "data", "field", "wants_private"), API_FIELDS)
def test_every_api_key_field_refuses_oversize_keys_in_the_error_shape(
    client, url, data, field, wants_private, name
):
    response = client.post(
        url, json.dumps({**data, field: OVERSIZE[name]}), content_type="application/json"
    )
    assert response.status_code == 400, (url, field, name, response.content[:200])
    message = response.json()["error"]["message"]
    assert any(sentence in message for sentence in expected_sentences(name, wants_private))


def test_an_uploaded_oversize_certificate_is_refused(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("cert.pem", OVERSIZE["certificate 16384"].encode())
    data = {"timestamp": "1", "nonce": "n", "signature": "c2ln", "body": "{}"}
    response = client.post("/wechat/v3/verify/run", {**data, "certificate_file": upload})
    assert response.status_code == 400
    assert TOO_LARGE[0] in response.content.decode()


@pytest.fixture
def key_limit(settings):
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "private_key": "2/m"}
    cache.clear()
    yield settings
    cache.clear()


PRIVATE_KEY_POSTS = [
    (url, {**data, field: keys.private_pem()}, url.startswith("/api/"))
    for url, data, field, wants_private in FORM_FIELDS + API_FIELDS
    if wants_private
]


@pytest.mark.parametrize(("url", "data", "is_api"), PRIVATE_KEY_POSTS)
def test_every_endpoint_that_loads_a_private_key_counts_against_the_key_limit(
    client, key_limit, url, data, is_api
):
    def post():
        if is_api:
            return client.post(url, json.dumps(data), content_type="application/json")
        return client.post(url, data)

    statuses = [post().status_code for _ in range(3)]
    assert statuses[:2] != [429, 429] and statuses[2] == 429, statuses
