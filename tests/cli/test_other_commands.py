"""``paydoctor baidu …``, ``keyring``, ``diagnose``, ``inspect``: expected signs from cryptography,
expected remedies from the knowledge base's own data files."""

from __future__ import annotations

import base64
import json

import pytest
import yaml
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.cli.conftest import ROOT, paydoctor

ORDER_INFO = {
    "appKey": "MMMabc",
    "dealId": "470193086",
    "totalAmount": "1",
    "tpOrderId": "3028903626",
    "dealTitle": "test",
}


@pytest.fixture(scope="module")
def baidu_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem(key: rsa.RSAPrivateKey) -> tuple[str, str]:
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def sha1_rsa(key: rsa.RSAPrivateKey, text: str) -> str:
    return base64.b64encode(key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA1())).decode()


def test_baidu_sign_signs_the_four_order_info_fields(write, baidu_key):
    private, _public = pem(baidu_key)
    string1 = "appKey=MMMabc&dealId=470193086&totalAmount=1&tpOrderId=3028903626"
    args = (
        "baidu",
        "sign",
        write("o.json", json.dumps(ORDER_INFO)),
        "--private-key-file",
        write("k.pem", private),
    )
    run = paydoctor(*args, "--json")
    assert run.code == 0
    assert run.json["string1"] == string1
    assert run.json["sign"] == sha1_rsa(baidu_key, string1)
    matched = paydoctor(*args, "--expected", sha1_rsa(baidu_key, string1))
    assert matched.code == 0
    mismatched = paydoctor(*args, "--expected", sha1_rsa(baidu_key, string1 + "&dealTitle=test"))
    assert mismatched.code == 1
    assert not any(
        line in run.out + matched.out + mismatched.out for line in private.splitlines()[1:-1]
    )


def test_baidu_verify_a_callback(write, baidu_key):
    _private, public = pem(baidu_key)
    callback = {"orderId": "1", "tpOrderId": "2", "status": "2", "returnData": ""}
    string1 = "&".join(f"{name}={callback[name]}" for name in sorted(callback))
    signed = {**callback, "rsaSign": sha1_rsa(baidu_key, string1)}
    public_file = write("pub.pem", public)
    good = paydoctor(
        "baidu",
        "verify",
        write("cb.json", json.dumps(signed)),
        "--public-key-file",
        public_file,
        "--json",
    )
    assert good.code == 0
    assert good.json["valid"] is True
    assert good.json["string1"] == string1
    tampered = {**signed, "status": "1"}
    bad = paydoctor(
        "baidu", "verify", write("bad.json", json.dumps(tampered)), "--public-key-file", public_file
    )
    assert bad.code == 1


def test_keyring_names_each_item_and_never_shows_a_secret(write, baidu_key):
    private, _public = pem(baidu_key)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    _unused, other_public = pem(other)
    apiv3_key = "Zq3t6w9zCFJaNcRfUjXn2r5u8xADGKbP"
    files = [
        write("apiclient_key.pem", private),
        write("pub_key.pem", other_public),
        write("config.env", f"apiv3_key={apiv3_key}\nmchid=1230000109\n"),
    ]
    run = paydoctor("keyring", *files, "--json")
    kinds = [item["kind"] for item in run.json["items"]]
    assert len(kinds) >= 3
    assert run.json["jobs"]
    shown = paydoctor("keyring", *files)
    assert shown.code == run.code
    for output in (run, shown):
        assert not output.shows(apiv3_key)
        assert not any(output.shows(line) for line in private.splitlines()[1:-1])


def _entries() -> list[dict]:
    data = ROOT / "faq" / "data"
    entries = []
    for path in sorted(data.glob("*.yaml")) + sorted(data.glob("public/*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        entries += document.get("entries", [])
    return entries


def test_diagnose_gives_an_entry_for_the_code_pasted_with_its_source():
    slugs = {e["slug"] for e in _entries() if "SIGN_ERROR" in [str(c) for c in e.get("codes", [])]}
    assert slugs
    run = paydoctor("diagnose", '{"code":"SIGN_ERROR","message":"签名错误"}', "--json")
    assert run.code == 0
    assert run.json["matched"] is True
    first = run.json["matches"][0]
    assert first["slug"] in slugs
    assert first["source"]["document"] and first["remedy"]
    shown = paydoctor("diagnose", "SIGN_ERROR")
    assert "来源" in shown.out


def test_diagnose_says_plainly_when_no_remedy_is_documented():
    run = paydoctor("diagnose", "my printer is out of paper")
    assert run.code == 1
    assert "没有找到文档给出的解决方法" in run.out
    english = paydoctor("diagnose", "my printer is out of paper", "--lang", "en")
    assert "No documented remedy was found" in english.out


def test_diagnose_reads_a_whole_answer_from_standard_input():
    run = paydoctor("diagnose", "-", "--json", stdin='{"code":"SYSTEM_ERROR","message":"系统繁忙"}')
    assert run.code in (0, 1)
    assert run.json["query"]


def test_inspect_names_the_parts_of_a_paste_and_keeps_its_key_out():
    key = "8934e7d15453e97507ef794cf7b0519d"
    paste = (
        "<xml><appid>wx930ea5d5a258f4f</appid><mch_id>1900000109</mch_id>"
        "<nonce_str>960f228109051b9969f76c82bde183ac</nonce_str><body>test</body>"
        "<sign>C380BEC2BFD727A4B6845133519F3AD6</sign></xml>\n"
        f"mch_key={key}\n"
    )
    run = paydoctor("inspect", "--json", stdin=paste)
    assert run.code == 0
    kinds = [part["kind"] for part in run.json["parts"]]
    assert "wechat_v2_request" in kinds
    shown = paydoctor("inspect", stdin=paste)
    assert "paydoctor v2 sign" in shown.out
    assert not run.shows(key) and not shown.shows(key)


def test_inspect_of_an_empty_paste_exits_2():
    run = paydoctor("inspect", stdin="")
    assert run.code == 2
