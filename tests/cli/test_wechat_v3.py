"""``paydoctor v3 …``: keys generated here, expected signatures and plaintexts computed with
cryptography; one published vector (wechatpay-java's certificate ciphertext)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tests.cli.conftest import paydoctor

VECTORS = Path(__file__).resolve().parents[1] / "diagnostics" / "vectors"
APIV3_KEY = "0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="module")
def private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def pem_files(write, private_key):
    private_pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return write("apiclient_key.pem", private_pem), write("pub_key.pem", public_pem), private_pem


def rsa_sha256(private_key: rsa.RSAPrivateKey, message: str) -> str:
    signature = private_key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode()


def private_lines(private_pem: str) -> list[str]:
    return [line for line in private_pem.splitlines() if len(line) > 20]


def test_sign_builds_the_message_and_the_authorization_header(write, pem_files, private_key):
    key_file, _public, private_pem = pem_files
    body = '{"appid":"wxd678efh567hg6787","mchid":"1230000109"}'
    run = paydoctor(
        "v3", "sign", "--private-key-file", key_file, "--method", "POST",
        "--url", "/v3/pay/transactions/jsapi", "--body-file", write("body.json", body),
        "--timestamp", "1554208460", "--nonce", "593BEC0C930BF1AFEB40B4A08C8FB242",
        "--mchid", "1230000109", "--serial-no", "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C",
        "--json",
    )  # fmt: skip
    assert run.code == 0
    message = (
        f"POST\n/v3/pay/transactions/jsapi\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n{body}\n"
    )
    assert run.json["message"] == message
    signature = rsa_sha256(private_key, message)
    assert run.json["signature"] == signature
    assert run.json["authorization"].startswith("WECHATPAY2-SHA256-RSA2048 ")
    assert f'signature="{signature}"' in run.json["authorization"]
    assert not any(run.shows(line) for line in private_lines(private_pem))


def test_sign_with_a_signature_over_another_body_exits_1_and_names_the_difference(
    write, pem_files, private_key
):
    key_file, _public, _pem = pem_files
    body = '{"a": 1}'
    theirs = rsa_sha256(private_key, 'POST\n/v3/x\n1554208460\nN\n{"a":1}\n')  # re-serialised
    run = paydoctor(
        "v3", "sign", "--private-key-file", key_file, "--url", "/v3/x",
        "--body-file", write("body.json", body), "--timestamp", "1554208460", "--nonce", "N",
        "--signature", theirs, "--json",
    )  # fmt: skip
    assert run.code == 1
    assert run.json["search"]["correct"] is False
    assert run.json["search"]["mistakes"]
    assert run.json["search"]["mistakes"][0]["message"].endswith('{"a":1}\n')


def headers(timestamp: str, nonce: str, signature: str) -> str:
    return (
        f"Wechatpay-Timestamp: {timestamp}\nWechatpay-Nonce: {nonce}\n"
        f"Wechatpay-Signature: {signature}\nWechatpay-Serial: PUB_KEY_ID_0114232134912410000000000000\n"
    )


def test_verify_a_genuine_answer_exits_0(write, pem_files, private_key):
    _key, public_file, _pem = pem_files
    body = '{"code":"SUCCESS"}'
    signature = rsa_sha256(private_key, f"1554208460\nNONCE\n{body}\n")
    run = paydoctor(
        "v3", "verify", "--public-key-file", public_file,
        "--headers-file", write("h.txt", headers("1554208460", "NONCE", signature)),
        "--body-file", write("body.json", body), "--json",
    )  # fmt: skip
    assert run.code == 0
    assert run.json["valid"] is True
    assert run.json["message"] == f"1554208460\nNONCE\n{body}\n"


def test_verify_over_a_reformatted_body_exits_1_and_says_what_was_signed(
    write, pem_files, private_key
):
    _key, public_file, _pem = pem_files
    signed = '{"code":"SUCCESS"}'
    signature = rsa_sha256(private_key, f"1554208460\nNONCE\n{signed}\n")
    args = (
        "v3", "verify", "--public-key-file", public_file,
        "--body-file", write("body.json", json.dumps(json.loads(signed), indent=2)),
        "--timestamp", "1554208460", "--nonce", "NONCE", "--signature", signature,
    )  # fmt: skip
    run = paydoctor(*args, "--json")
    assert run.code == 1
    assert run.json["valid"] is False
    assert run.json["mistakes"][0]["message"] == f"1554208460\nNONCE\n{signed}\n"
    assert "✗" in paydoctor(*args).out


def notification(key: str, plaintext: str, nonce: str = "abcdefghijkl") -> str:
    ciphertext = AESGCM(key.encode()).encrypt(nonce.encode(), plaintext.encode(), b"transaction")
    resource = {
        "algorithm": "AEAD_AES_256_GCM",
        "ciphertext": base64.b64encode(ciphertext).decode(),
        "associated_data": "transaction",
        "nonce": nonce,
    }
    return json.dumps({"id": "EV-1", "event_type": "TRANSACTION.SUCCESS", "resource": resource})


def test_decrypt_opens_a_notification_with_the_apiv3_key_from_a_file(write):
    plaintext = json.dumps({"out_trade_no": "T1", "trade_state": "SUCCESS"})
    run = paydoctor(
        "v3", "decrypt", write("n.json", notification(APIV3_KEY, plaintext)),
        "--key-file", write("apiv3.txt", APIV3_KEY + "\n"), "--json",
    )  # fmt: skip
    assert run.code == 0
    assert run.json["plaintext"] == plaintext
    assert not run.shows(APIV3_KEY)


def test_decrypt_with_another_key_exits_1_and_names_the_key(write):
    other = "abcdef0123456789abcdef0123456789"
    run = paydoctor(
        "v3", "decrypt", write("n.json", notification(APIV3_KEY, "{}")),
        "--key-file", write("apiv3.txt", other), "--json",
    )  # fmt: skip
    assert run.code == 1
    assert run.json["error"]["code"] == "apiv3_key_wrong"
    assert not run.shows(other, APIV3_KEY)


def test_decrypt_reproduces_wechatpay_javas_published_certificate_ciphertext(write):
    # wechatpay-java core/src/test/.../TestConfig.java: API_V3_KEY and DOWNLOAD_CERTIFICATE_RESPONSE
    key = "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb"
    ciphertext = (
        (VECTORS / "wechatpay-java_download_certificate_ciphertext.txt").read_text().strip()
    )
    expected = AESGCM(key.encode()).decrypt(
        b"14b16c03dc1b", base64.b64decode(ciphertext), b"certificate"
    )
    run = paydoctor(
        "v3", "decrypt", "--ciphertext-file", write("c.txt", ciphertext),
        "--associated-data", "certificate", "--nonce", "14b16c03dc1b",
        "--key-file", write("k.txt", key), "--json",
    )  # fmt: skip
    assert run.code == 0
    assert run.json["plaintext"] == expected.decode()
    assert run.json["plaintext"].startswith("-----BEGIN CERTIFICATE-----")


def test_pay_sign_signs_the_four_jsapi_lines(write, pem_files, private_key):
    key_file, _public, _pem = pem_files
    params = {
        "appId": "wx8888888888888888",
        "timeStamp": "1414561699",
        "nonceStr": "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
        "package": "prepay_id=wx201410272009395522657a690389285100",
        "signType": "RSA",
    }
    run = paydoctor(
        "v3",
        "pay-sign",
        write("p.json", json.dumps(params)),
        "--private-key-file",
        key_file,
        "--json",
    )
    assert run.code == 0
    message = "".join(f"{params[name]}\n" for name in ("appId", "timeStamp", "nonceStr", "package"))
    assert run.json["message"] == message
    assert run.json["pay_sign"] == rsa_sha256(private_key, message)


def test_authorization_with_a_wrong_signature_exits_1(write, pem_files, private_key):
    _key, public_file, _pem = pem_files
    wrong = rsa_sha256(private_key, "GET\n/v3/other\n1554208460\nN\n\n")
    header = (
        'WECHATPAY2-SHA256-RSA2048 mchid="1230000109",nonce_str="N",timestamp="1554208460",'
        f'serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C",signature="{wrong}"'
    )
    args = ("v3", "authorization", write("auth.txt", header), "--method", "GET", "--url", "/v3/x")
    run = paydoctor(*args, "--public-key-file", public_file, "--json")
    assert run.code == 1
    assert run.json["valid"] is False
    assert run.json["fields"]["mchid"] == "1230000109"
    right = header.replace(wrong, rsa_sha256(private_key, "GET\n/v3/x\n1554208460\nN\n\n"))
    ok = paydoctor("v3", "authorization", write("ok.txt", right), "--method", "GET",
                   "--url", "/v3/x", "--public-key-file", public_file, "--json")  # fmt: skip
    assert ok.code == 0
    assert ok.json["valid"] is True


def test_a_damaged_private_key_exits_2_with_a_message(write):
    broken = write("k.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    run = paydoctor("v3", "sign", "--private-key-file", broken, "--url", "/v3/x")
    assert run.code == 2
    assert run.err.startswith("paydoctor: 错误：")


def answer_401(url: str, body: str, ts: str, nonce: str) -> str:
    """A 401 SIGN_ERROR as WeChat Pay answers it (004 Header Authorization; the shape of
    sign_information as the APIv3 guide prints it): the message it verified, its body cut."""
    whole = f"POST\n{url}\n{ts}\n{nonce}\n{body}\n"
    shown = f"POST\n{url}\n{ts}\n{nonce}\n{body[:8]}\n"
    information = {
        "method": "POST",
        "url": url,
        "sign_message_length": len(whole.encode()),
        "truncated_sign_message": shown,
    }
    detail = {"field": "signature", "location": "authorization", "sign_information": information}
    return json.dumps({"code": "SIGN_ERROR", "message": "错误的签名，验签失败", "detail": detail})


def test_a_401_body_is_compared_without_any_key(write):
    compact = '{"appid":"wxd678efh567hg6787","mchid":"1230000109"}'
    spaced = json.dumps(json.loads(compact))  # ", " and ": " — what a re-serialising SDK sends
    answer = write(
        "401.json", answer_401("/v3/pay/transactions/jsapi", compact, "1554208460", "N1")
    )
    run = paydoctor(
        "v3",
        "sign",
        "--sign-error-file",
        answer,
        "--body-file",
        write("body.json", spaced),
        "--json",
    )
    assert run.code == 0  # nothing was signed here: the comparison is the answer
    comparison = run.json["sign_error"]
    assert comparison["consistent"] is False
    # The cut body agrees for its first 8 characters: the lengths and the JSON's spacing tell.
    assert [e["code"] for e in comparison["explanations"]] == ["json_serialised_differently"]
    assert comparison["wechat_message_length"] == len(
        f"POST\n/v3/pay/transactions/jsapi\n1554208460\nN1\n{compact}\n".encode()
    )
    assert "signature" not in run.json
