"""``paydoctor --json`` answers what the JSON API answers for the same input: the same engines,
the same shapes, the same sentences in both languages. The API is called through Django's test
client (this test process has Django; the CLI's own process does not)."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.cli.conftest import paydoctor
from tests.cli.test_wechat_v2 import EXAMPLE, INJECTED, KEY, lines

LANGUAGES = [("zh", {}), ("en", {"HTTP_ACCEPT_LANGUAGE": "en"})]


def api(client, path: str, payload: dict, **headers) -> dict:
    response = client.post(
        f"/api/v1/{path}", json.dumps(payload), content_type="application/json", **headers
    )
    assert response.status_code == 200, response.content
    return response.json()


def same_fields(cli: dict, web: dict) -> None:
    """Every field the API answers, answered alike (the CLI may add its own beside them)."""
    assert {name: cli[name] for name in web} == web


@pytest.mark.parametrize("language,headers", LANGUAGES)
@pytest.mark.parametrize("mistake", ["lowercase_digest", "not_sorted", "wrong_algorithm"])
def test_v2_sign_answers_as_the_api(client, write, language, headers, mistake):
    request = lines(EXAMPLE)
    web = api(
        client,
        "wechat/v2/sign",
        {"raw": request, "key": KEY, "expected_sign": INJECTED[mistake]},
        **headers,
    )
    cli = paydoctor(
        "v2", "sign", write("r.txt", request), "--key-file", write("k.txt", KEY),
        "--expected", INJECTED[mistake], "--json", "--lang", language,
    )  # fmt: skip
    assert cli.code == 1
    same_fields(cli.json, web)


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@pytest.mark.parametrize("language,headers", LANGUAGES)
def test_v3_verify_answers_as_the_api(client, write, key, language, headers):
    signed_body = '{"code":"SUCCESS","amount":1}'
    signature = base64.b64encode(
        key.sign(
            f"1554208460\nNONCE\n{signed_body}\n".encode(), padding.PKCS1v15(), hashes.SHA256()
        )
    ).decode()
    received = json.dumps(json.loads(signed_body), indent=1)  # verified over other bytes
    values = {"timestamp": "1554208460", "nonce": "NONCE", "signature": signature}
    web = api(
        client,
        "wechat/v3/verify",
        {**values, "body": received, "public_key": public_pem(key)},
        **headers,
    )
    cli = paydoctor(
        "v3", "verify", "--public-key-file", write("pub.pem", public_pem(key)),
        "--body-file", write("body.json", received), "--timestamp", "1554208460",
        "--nonce", "NONCE", "--signature", signature, "--json", "--lang", language,
    )  # fmt: skip
    assert cli.code == 1
    answer = cli.json
    # The freshness finding counts the seconds to now: the two runs are a moment apart.
    for each in (web, answer):
        each["findings"] = [f for f in each["findings"] if f["code"] != "timestamp_skew"]
    same_fields(answer, web)


def test_baidu_verify_answers_as_the_api(client, write, key):
    callback = {"orderId": "1", "tpOrderId": "2", "status": "2", "returnData": ""}
    text = "&".join(f"{name}={callback[name]}" for name in sorted(callback))
    rsa_sign = base64.b64encode(key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA1())).decode()
    tampered = {**callback, "status": "1", "rsaSign": rsa_sign}
    web = api(client, "baidu/verify", {"params": tampered, "public_key": public_pem(key)})
    cli = paydoctor(
        "baidu", "verify", write("cb.json", json.dumps(tampered)),
        "--public-key-file", write("pub.pem", public_pem(key)), "--json",
    )  # fmt: skip
    assert cli.code == 1
    same_fields(cli.json, web)


@pytest.mark.parametrize("language,headers", LANGUAGES)
def test_keyring_answers_as_the_api(client, write, key, language, headers):
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    items = [
        private,
        public_pem(key),
        "mchid=1230000109\napiv3_key=Zq3t6w9zCFJaNcRfUjXn2r5u8xADGKbP",
    ]
    web = api(client, "wechat/v3/keyring", {"items": items}, **headers)
    files = [write(f"item{number}.txt", item) for number, item in enumerate(items)]
    cli = paydoctor("keyring", *files, "--json", "--lang", language)
    same_fields(cli.json, web)


def test_inspect_answers_as_the_api(client):
    paste = (
        lines(EXAMPLE) + "\n\nHTTP/1.1 401 Unauthorized\n\n" + json.dumps({"code": "SIGN_ERROR"})
    )
    web = api(client, "inspect", {"text": paste})
    cli = paydoctor("inspect", "--json", stdin=paste)
    same_fields(cli.json, web)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["系统繁忙", "SIGN_ERROR", "errCode:6 请求签名错误", "out of paper"]
)
def test_diagnose_gives_the_apis_answers_in_its_order(client, query):
    response = client.get("/api/v1/diagnose", {"q": query})
    web = response.json()
    cli = paydoctor("diagnose", query, "--json", "--limit", "10")
    assert cli.json["matched"] == web["matched"]
    assert [m["slug"] for m in cli.json["matches"]] == [m["slug"] for m in web["matches"]]
    assert [m["confidence"] for m in cli.json["matches"]] == [
        m["confidence"] for m in web["matches"]
    ]
    assert cli.json["refine"] == web["refine"]


def test_alipay_sign_and_notify_answer_as_the_api(client, write, key):
    from tests.cli.test_alipay import NOTIFICATION, REQUEST, rsa2

    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    wrong = rsa2(key, {**REQUEST, "sign_type": ""})
    web = api(
        client, "alipay/sign", {"params": REQUEST, "private_key": private, "expected_sign": wrong}
    )
    cli = paydoctor(
        "alipay", "sign", write("request.json", json.dumps(REQUEST)),
        "--private-key-file", write("app_private_key.pem", private), "--expected", wrong, "--json",
    )  # fmt: skip
    assert cli.code == 1
    same_fields(cli.json, web)
    changed = {
        **NOTIFICATION,
        "sign_type": "RSA2",
        "sign": rsa2(key, NOTIFICATION),
        "total_amount": "1",
    }
    web = api(client, "alipay/verify-notify", {"params": changed, "public_key": public_pem(key)})
    cli = paydoctor(
        "alipay", "verify-notify", write("n.json", json.dumps(changed)),
        "--public-key-file", write("pub.pem", public_pem(key)), "--json",
    )  # fmt: skip
    assert cli.code == 1
    same_fields(cli.json, web)


def test_alipay_keys_answers_as_the_workbench_api(client, write, key):
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    values = {"private_key": private, "public_key": public_pem(key)}
    web = api(client, "workbenches/alipay.keys", {"values": values})
    cli = paydoctor(
        "alipay", "keys", "--private-key-file", write("k.pem", private),
        "--public-key-file", write("p.pem", public_pem(key)), "--json",
    )  # fmt: skip
    assert cli.json == web["result"]
