"""Local mode (本地计算, issue 17) on the APIv3 workbenches, server side: a post without the secret
gets everything key-independent and the browser's plan, and once the browser's part is in, the
result is server mode's. The browser's part is played here by cryptography (an independent
computation); tests/js/tasks.test.js holds the browser's modules to the same answers.
"""

from __future__ import annotations

import ast
import base64
import html
import json
import re
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from diagnostics.core import keys as core_keys
from diagnostics.forms.local_mode import LOCAL_KEY_MESSAGES, bare_base64
from tests.diagnostics.wechat_v3.test_sign_error import answer_401
from tests.web import keys

pytestmark = pytest.mark.django_db  # shares and rate limits use the database

URL = "/v3/pay/transactions/jsapi"
BODY = '{"appid":"wxd678efh567hg6787","mchid":"1230000109"}'
TIMESTAMP, NONCE = "1554208460", "593BEC0C930BF1AFEB40B4A08C8FB242"
MESSAGE = f"POST\n{URL}\n{TIMESTAMP}\n{NONCE}\n{BODY}\n"


def sign(message: str, algorithm: hashes.HashAlgorithm) -> str:
    raw = keys.private_key().sign(message.encode(), padding.PKCS1v15(), algorithm)
    return base64.b64encode(raw).decode()


def local_data(body: str) -> dict:
    found = re.search(r'id="local-task" hidden data-json="([^"]*)"', body)
    assert found, "no data element"
    return json.loads(html.unescape(found.group(1)))


def pre_text(body: str, element_id: str) -> str:
    found = re.search(rf'<pre id="{element_id}">(.*?)</pre>', body, re.DOTALL)
    return html.unescape(found.group(1)) if found else ""


SIGN_FORM = {
    "method": "POST",
    "url": URL,
    "timestamp": TIMESTAMP,
    "nonce": NONCE,
    "body": BODY,
    "mchid": "1900000001",
    "serial_no": "5" * 40,
}


def test_the_browsers_key_sentences_are_the_servers():
    """Every sentence the browser tells a damaged key with is a msgid of diagnostics.core.keys."""
    tree = ast.parse(Path(core_keys.__file__).read_text(encoding="utf-8"))
    msgids = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "_"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    assert set(LOCAL_KEY_MESSAGES.values()) <= msgids
    note = bare_base64("base64 DER PKCS#8")[0].message
    assert note.template in msgids and note.values["kind"].template in msgids


def test_the_page_offers_local_mode_and_takes_the_keys_name_off(client):
    page = client.get("/wechat/v3/sign/").content.decode()
    assert "data-local-mode" in page and "js/local/task-page.js" in page
    assert re.search(r'<textarea[^>]*name="private_key"[^>]*data-local-secret', page)
    assert "服务器计算（本页没有运行 JavaScript）" in page  # the no-JS path says what it does


def test_a_local_post_gets_the_message_and_the_authorization_around_the_signature(client):
    answer = client.post(
        "/wechat/v3/sign/run",
        {**SIGN_FORM, "mode": "local", "local_public_key": keys.public_pem()},
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 200
    body = answer.content.decode()
    data = local_data(body)
    assert data["sign"]["message"] == MESSAGE
    head, tail = data["sign"]["fills"]["authorization"]
    signature = sign(MESSAGE, hashes.SHA256())
    expected = (
        f'WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="{NONCE}",'
        f'signature="{signature}",timestamp="{TIMESTAMP}",serial_no="{"5" * 40}"'
    )
    assert head + signature + tail == expected
    assert pre_text(body, "signature") == ""  # the browser fills it
    assert "PEM PKCS#8" in body  # the key as described, from the browser's reading


def test_a_signature_the_browser_posts_back_is_kept_when_it_verifies(client):
    signature = sign(MESSAGE, hashes.SHA256())
    for posted, kept in ((signature, signature), (sign("other", hashes.SHA256()), "")):
        body = client.post(
            "/wechat/v3/sign/run",
            {
                **SIGN_FORM,
                "mode": "local",
                "local_public_key": keys.public_pem(),
                "local_signature": posted,
            },
            HTTP_HX_REQUEST="true",
        ).content.decode()
        assert pre_text(body, "signature") == kept


def test_local_mode_finds_the_same_mistake_with_the_public_half(client):
    # The merchant's program signed the host too (host_not_signed): the search needs no private key.
    theirs = sign(
        f"POST\nhttps://api.mch.weixin.qq.com{URL}\n{TIMESTAMP}\n{NONCE}\n{BODY}\n", hashes.SHA256()
    )
    form = {**SIGN_FORM, "their_signature": theirs, "certificate": keys.certificate_pem()}
    server = client.post(
        "/wechat/v3/sign/run", {**form, "private_key": keys.private_pem()}
    ).content.decode()
    local = client.post(
        "/wechat/v3/sign/run", {**form, "mode": "local", "local_public_key": keys.public_pem()}
    ).content.decode()
    codes = re.findall(r'data-code="([a-z_]+)"', server)
    assert codes and codes == re.findall(r'data-code="([a-z_]+)"', local)
    assert "key_pair" in codes


def test_without_a_key_the_browser_gets_the_servers_message(client):
    data = local_data(
        client.post("/wechat/v3/sign/run", {**SIGN_FORM, "mode": "local"}).content.decode()
    )
    assert data["sign"] is None
    assert data["missing"]["message"] == "请填写商户私钥：签名需要它（只对比 401 应答时不需要）。"
    server = client.post("/wechat/v3/sign/run", SIGN_FORM).content.decode()
    assert data["missing"]["message"] in server


def test_a_public_half_that_is_not_a_public_key_is_refused(client):
    answer = client.post(
        "/wechat/v3/sign/run",
        {**SIGN_FORM, "mode": "local", "local_public_key": keys.private_pem()},
    )
    assert answer.status_code == 400
    assert "BEGIN" not in answer.content.decode().split("</form>")[-1]


def test_no_secret_reaches_a_local_answer_or_its_link(client):
    answer = client.post(
        "/wechat/v3/sign/run",
        {**SIGN_FORM, "mode": "local", "local_public_key": keys.public_pem(), "share": "1"},
    ).content.decode()
    assert "local_public_key=" not in answer  # the link carries no posted public half


@pytest.mark.parametrize("scene", ["jsapi", "app"])
def test_pay_sign_local_mode_gives_the_message_the_key_signs(client, scene):
    params = (
        "appId=wx8888888888888888\ntimeStamp=1414561699\nnonceStr=5K8264ILTKCH16CQ2502SI8ZNMTM67VS\n"
        "package=prepay_id=wx201410272009395522657a690389285100"
        if scene == "jsapi"
        else "appid=wx8888888888888888\npartnerid=1900000109\nprepayid=WX1217752501201407033233368018\n"
        "package=Sign=WXPay\nnoncestr=5K8264ILTKCH16CQ2502SI8ZNMTM67VS\ntimestamp=1414561699"
    )
    form = {"scene": scene, "params": params}
    server = client.post("/wechat/v3/pay-sign/run", {**form, "private_key": keys.private_pem()})
    data = local_data(
        client.post(
            "/wechat/v3/pay-sign/run",
            {**form, "mode": "local", "local_public_key": keys.public_pem()},
        ).content.decode()
    )
    signature = sign(data["sign"]["message"], hashes.SHA256())
    assert pre_text(server.content.decode(), "pay-sign") == signature


def test_decrypt_local_mode_sends_the_attempts_and_never_the_plaintext(client):
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key, nonce = "Qm7Tz2Kd9Lp4Xv6Rb1Nc8Hs3Wf5Jg0Ya", "fdasflkja484"
    plaintext = '{"trade_state":"SUCCESS","payer":{"openid":"o-secret-openid"}}'
    sealed = AESGCM(key.encode()).encrypt(nonce.encode(), plaintext.encode(), b"transaction")
    resource = {
        "ciphertext": base64.b64encode(sealed).decode(),
        "nonce": nonce,
        "associated_data": "transaction",
    }
    body = client.post(
        "/wechat/v3/decrypt/run",
        {"mode": "local", "notification": json.dumps({"resource": resource})},
    ).content.decode()
    assert "o-secret-openid" not in body
    plan = local_data(body)["decrypt"]
    first = plan["attempts"][0]
    opened = AESGCM(key.encode()).decrypt(
        base64.b64decode(first["nonce"]),
        base64.b64decode(first["ciphertext"]),
        base64.b64decode(first["associated_data"]),
    )
    assert first["error"] is None and opened.decode() == plaintext
    assert plan["failure"]["code"] == "apiv3_key_wrong"
    assert "{length}" in plan["key_errors"]["apiv3_key_length"]["message"]


def test_a_401_compared_in_local_mode_needs_no_key(client):
    form = {"url": "", "body": BODY, "sign_error": answer_401("POST", URL, "{}")}
    server = client.post("/wechat/v3/sign/run", form).content.decode()
    local = client.post("/wechat/v3/sign/run", {**form, "mode": "local"}).content.decode()
    assert local_data(local)["missing"] is None  # comparing needs no key, as in server mode
    theirs = re.findall(r'data-(?:code|part|consistent)="([a-z_]+)"', server)
    assert theirs and theirs == re.findall(r'data-(?:code|part|consistent)="([a-z_]+)"', local)


def test_the_pay_sign_the_browser_posts_back_is_kept_when_it_is_the_keys(client):
    params = "appId=wx8888888888888888\ntimeStamp=1414561699\nnonceStr=N\npackage=prepay_id=wx1"
    signature = sign("wx8888888888888888\n1414561699\nN\nprepay_id=wx1\n", hashes.SHA256())
    form = {
        "scene": "jsapi",
        "params": params,
        "mode": "local",
        "local_public_key": keys.public_pem(),
    }
    for posted, kept in ((signature, signature), (sign("other", hashes.SHA256()), "")):
        body = client.post(
            "/wechat/v3/pay-sign/run", {**form, "local_signature": posted}
        ).content.decode()
        assert pre_text(body, "pay-sign") == kept


def test_sensitive_local_mode_sends_the_value_to_open_and_the_servers_sentences(client):
    from cryptography.hazmat.primitives.asymmetric import padding as asymmetric

    oaep = asymmetric.OAEP(mgf=asymmetric.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None)
    raw = keys.private_key().public_key().encrypt("张三".encode(), oaep)
    form = {"mode": ["local", "decrypt"], "ciphertext": base64.b64encode(raw).decode()}
    body = client.post(
        "/wechat/v3/sensitive/run", {**form, "local_public_key": keys.public_pem()}
    ).content.decode()
    data = local_data(body)
    assert base64.b64decode(data["sensitive"]["ciphertext"]) == raw
    assert data["sensitive"]["pkcs1v15"]["code"] == "ciphertext_pkcs1v15"
    assert "张三" not in body
    missing = local_data(client.post("/wechat/v3/sensitive/run", form).content.decode())
    assert missing["missing"]["message"] == "请粘贴商户私钥 apiclient_key.pem。"
    # A check with a test private key needs the server: the browser says so.
    check = {"mode": ["local", "check"], "body": '{"name": "张三"}'}
    data = local_data(client.post("/wechat/v3/sensitive/run", check).content.decode())
    assert "服务器计算" in data["check_needs_key"]
