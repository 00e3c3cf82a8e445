"""``paydoctor alipay …``: a key generated here, signs computed with cryptography over the string
Alipay's 《自行实现签名》 describes (every param but sign, empty ones left out, sorted, k=v&…)."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.cli.conftest import paydoctor

REQUEST = {
    "app_id": "2014072300007148",
    "method": "alipay.trade.query",
    "format": "JSON",
    "charset": "utf-8",
    "sign_type": "RSA2",
    "timestamp": "2014-07-24 03:07:50",
    "version": "1.0",
    "biz_content": '{"out_trade_no":"20150320010101001"}',
}
NOTIFICATION = {
    "notify_time": "2024-01-01 00:00:00",
    "notify_type": "trade_status_sync",
    "notify_id": "ac05",
    "app_id": "2014072300007148",
    "trade_status": "TRADE_SUCCESS",
    "out_trade_no": "T1",
    "total_amount": "9.00",
    "charset": "utf-8",
    "version": "1.0",
}


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def key_files(write, key):
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return write("app_private_key.pem", private), write("alipay_public_key.pem", public), private


def rsa2(key: rsa.RSAPrivateKey, params: dict[str, str]) -> str:
    text = "&".join(f"{name}={params[name]}" for name in sorted(params) if params[name])
    return base64.b64encode(key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()


def test_sign_matches_the_sign_computed_over_the_sorted_params(write, key, key_files):
    private_file, _public, private = key_files
    request = write("request.txt", "&".join(f"{n}={v}" for n, v in REQUEST.items()))
    run = paydoctor("alipay", "sign", request, "--private-key-file", private_file, "--json")
    assert run.code == 0
    assert run.json["sign"] == rsa2(key, REQUEST)
    assert run.json["string_to_sign"].startswith("app_id=2014072300007148&biz_content=")
    args = ("alipay", "sign", request, "--private-key-file", private_file, "--expected")
    assert paydoctor(*args, rsa2(key, REQUEST)).code == 0
    other = rsa2(key, {**REQUEST, "sign_type": ""})  # sign_type left out of the signed string
    mismatch = paydoctor(*args, other, "--json")
    assert mismatch.code == 1
    assert mismatch.json["match"] is False
    assert not any(mismatch.shows(line) for line in private.splitlines()[1:-1])


def test_verify_notify_passes_a_genuine_notification_and_fails_a_changed_one(write, key, key_files):
    _private, public_file, _pem = key_files
    signed = {**NOTIFICATION, "sign_type": "RSA2", "sign": rsa2(key, NOTIFICATION)}
    good = paydoctor(
        "alipay", "verify-notify", write("n.json", json.dumps(signed)),
        "--public-key-file", public_file, "--json",
    )  # fmt: skip
    assert good.code == 0
    assert good.json["valid"] is True
    changed = {**signed, "total_amount": "0.01"}
    bad = paydoctor(
        "alipay", "verify-notify", write("bad.json", json.dumps(changed)),
        "--public-key-file", public_file,
    )  # fmt: skip
    assert bad.code == 1
    assert "✗" in bad.out


def test_alipay_help_in_both_languages():
    assert "支付宝异步通知验签" in paydoctor("alipay", "--help").out
    assert "usage: paydoctor alipay" in paydoctor("alipay", "--help", "--lang", "en").out


def test_keys_derives_the_application_public_key_and_checks_the_pair(write, key, key_files):
    private_file, public_file, private = key_files
    derived = base64.b64encode(
        key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    ).decode()
    run = paydoctor(
        "alipay",
        "keys",
        "--private-key-file",
        private_file,
        "--public-key-file",
        public_file,
        "--json",
    )
    assert run.code == 0
    assert run.json["report"]["derived_public_key_base64"] == derived
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    other_pem = other.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    mismatch = paydoctor(
        "alipay", "keys", "--private-key-file", private_file,
        "--public-key-file", write("other.pem", other_pem),
    )  # fmt: skip
    assert mismatch.code == 1
    assert "✗" in mismatch.out
    assert not any(
        output.shows(line) for output in (run, mismatch) for line in private.splitlines()[1:-1]
    )
