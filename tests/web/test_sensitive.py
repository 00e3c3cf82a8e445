"""The sensitive-field page /wechat/v3/sensitive/ (encrypt / decrypt / check) and its three JSON
endpoints in the issue's shapes. Every ciphertext the site makes is opened here with cryptography's
OAEP(SHA-1); every value it decrypts was encrypted here. The private key is never echoed; the
plaintext is shown on the page and left out of shares and links unless asked for."""

from __future__ import annotations

import base64
import json
import re
from html import unescape

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from sharing.models import SharedResult
from tests.web import keys
from tests.web.test_sharing import share_link

pytestmark = pytest.mark.django_db

PAGE = "/wechat/v3/sensitive/"
RUN = "/wechat/v3/sensitive/run"
API = "/api/v1/wechat/v3/sensitive/"
PUB_KEY_ID = "PUB_KEY_ID_0000000000000024101100397200000006"
NAME = "欧阳明月"  # a made-up name: personal data as the page sees it
CJK = re.compile(r"[\u4e00-\u9fff]")


def oaep() -> padding.OAEP:
    return padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None)


def opened(ciphertext: str) -> str:
    return keys.private_key().decrypt(base64.b64decode(ciphertext), oaep()).decode()


def encrypted(text: str) -> str:
    return base64.b64encode(keys.private_key().public_key().encrypt(text.encode(), oaep())).decode()


def certificate_serial() -> str:
    certificate = x509.load_pem_x509_certificate(keys.certificate_pem().encode())
    return format(certificate.serial_number, "040X")


def pre_text(page: str, element_id: str) -> str:
    match = re.search(rf'<pre[^>]*id="{element_id}"[^>]*>(.*?)</pre>', page, re.S)
    assert match, element_id
    return unescape(match.group(1))


def form(mode: str, **values: str) -> dict[str, str]:
    return {
        "mode": mode,
        "plaintext": "",
        "public_key": "",
        "public_key_id": "",
        "ciphertext": "",
        "body": "",
        "wechatpay_serial": "",
        "private_key": "",
        **values,
    }


# WeChat Pay's own error texts, quoted in the findings (merchants paste them).
WECHAT_TEXTS = (
    "请确认待处理的消息是否为加密后的密文",
    "HTTP header缺少微信支付平台证书序列号",
    "平台私钥解密失败",
)
BOTH_WAYS = [{}, {"HTTP_HX_REQUEST": "true"}]


# --- the page --------------------------------------------------------------------------------------


def test_the_page_offers_the_three_modes_and_a_secret_private_key_field(client):
    page = client.get(PAGE).content.decode()
    assert f'action="{RUN}"' in page and f'hx-post="{RUN}"' in page
    for mode in ("encrypt", "decrypt", "check"):
        assert f'value="{mode}"' in page
    assert 'name="private_key"' in page and 'name="share_plaintext"' in page


@pytest.mark.parametrize("headers", BOTH_WAYS)
def test_encrypting_with_a_certificate_gives_a_ciphertext_that_opens_and_the_serial(
    client, headers
):
    response = client.post(
        RUN, form("encrypt", plaintext=NAME, public_key=keys.certificate_pem()), **headers
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert ("<html" in page) is not bool(headers)
    assert opened(pre_text(page, "ciphertext")) == NAME
    assert pre_text(page, "wechatpay-serial") == certificate_serial()
    if not headers:
        assert NAME in page  # the page shows the plaintext it was given (in its form)


@pytest.mark.parametrize("headers", BOTH_WAYS)
def test_encrypting_with_a_public_key_states_its_id_as_the_serial(client, headers):
    data = form("encrypt", plaintext="13800138000", public_key=keys.public_pem())
    page = client.post(RUN, {**data, "public_key_id": PUB_KEY_ID}, **headers).content.decode()
    assert opened(pre_text(page, "ciphertext")) == "13800138000"
    assert pre_text(page, "wechatpay-serial") == PUB_KEY_ID
    without_id = client.post(RUN, data, **headers).content.decode()
    assert 'data-code="wechatpay_serial_unknown"' in without_id
    assert 'data-code="public_key_id_missing"' in without_id


@pytest.mark.parametrize("headers", BOTH_WAYS)
def test_decrypting_shows_the_plaintext_and_never_the_private_key(client, headers):
    private = keys.private_pem()
    data = form("decrypt", ciphertext=encrypted(NAME), private_key=private)
    page = client.post(RUN, data, **headers).content.decode()
    assert pre_text(page, "plaintext") == NAME
    body = private.split("\n")[1]
    assert body not in page and "BEGIN PRIVATE KEY" not in page


@pytest.mark.parametrize("headers", BOTH_WAYS)
def test_a_pkcs1_v15_value_is_a_400_saying_wechat_pay_uses_oaep(client, headers):
    raw = keys.private_key().public_key().encrypt(NAME.encode(), padding.PKCS1v15())
    data = form(
        "decrypt", ciphertext=base64.b64encode(raw).decode(), private_key=keys.private_pem()
    )
    response = client.post(RUN, data, **headers)
    page = response.content.decode()
    assert response.status_code == 400
    assert "PKCS#1 v1.5" in page and "OAEP" in page and NAME not in page


@pytest.mark.parametrize("headers", BOTH_WAYS)
def test_checking_a_body_lists_each_field_and_its_findings(client, headers):
    body = json.dumps(
        {
            "contact_info": {"contact_name": NAME, "mobile_phone": encrypted("13800138000")},
            "account_info": {"account_number": "6222021234567890123"},
        },
        ensure_ascii=False,
    )
    response = client.post(RUN, form("check", body=body), **headers)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="sensitive_check_refused"' in page
    rows = re.findall(r'<tr data-state="(\w+)"><td><code>([\w.\[\]]+)</code>', page)
    assert rows == [
        ("plaintext", "contact_info.contact_name"),
        ("ciphertext", "contact_info.mobile_phone"),
        ("plaintext", "account_info.account_number"),
    ]
    assert page.count('data-code="sensitive_field_plaintext"') == 2
    assert 'data-code="wechatpay_serial_missing"' in page


def test_a_check_with_the_certificate_and_its_serial_finds_nothing_to_refuse(client):
    body = json.dumps({"contact_info": {"contact_name": encrypted(NAME)}})
    data = form(
        "check",
        body=body,
        public_key=keys.certificate_pem(),
        wechatpay_serial=certificate_serial(),
    )
    page = client.post(RUN, data).content.decode()
    assert 'data-code="sensitive_check_ok"' in page
    assert 'data-code="sensitive_fields_look_encrypted"' in page


@pytest.mark.parametrize(
    ("data", "field_label"),
    [
        (form("encrypt", public_key="x"), "明文（加密用）"),
        (form("decrypt", ciphertext="AAAA"), "商户私钥"),
        (form("check"), "请求体 JSON"),
    ],
)
def test_a_missing_input_is_a_400_naming_the_field(client, data, field_label):
    response = client.post(RUN, data)
    assert response.status_code == 400 and field_label in response.content.decode()


def test_a_body_that_is_not_json_is_a_400_in_english_when_asked(client):
    response = client.post(RUN, form("check", body="contact_name=x"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "JSON" in response.content.decode()


def test_the_english_result_has_no_chinese_left_outside_the_inputs(client):
    body = json.dumps({"contact_info": {"contact_name": "Ann", "mobile_phone": "1380013800"}})
    for data in (
        form("check", body=body, wechatpay_serial="serial-1"),
        form("encrypt", plaintext="Ann", public_key=keys.public_pem()),
        form("decrypt", ciphertext=encrypted("Ann"), private_key=keys.private_pem()),
    ):
        page = client.post(RUN, data, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        result = page[page.index('id="result"') :]
        text = re.sub(r"<[^>]+>", " ", result)
        for quoted in WECHAT_TEXTS:  # what WeChat Pay answers, quoted as merchants see it
            text = text.replace(quoted, "")
        leftovers = set(CJK.findall(text))
        assert not leftovers, (data["mode"], leftovers)


# --- shares and links: the plaintext is personal data --------------------------------------------


def test_a_share_of_an_encryption_leaves_the_plaintext_out_by_default(client):
    data = form("encrypt", plaintext=NAME, public_key=keys.certificate_pem(), share="1")
    live = client.post(RUN, data)
    live_page = live.content.decode()
    assert NAME in live_page
    prefill = re.search(r"http://testserver/wechat/v3/sensitive/\?[^\"<\s]*", live_page)
    assert prefill and "plaintext" not in prefill.group(0)
    shared = SharedResult.objects.get()
    assert NAME not in json.dumps([shared.inputs, shared.result], ensure_ascii=False)
    page = client.get(share_link(live)).content.decode()
    assert NAME not in page and 'data-code="inputs_withheld"' in page
    assert opened(pre_text(page, "ciphertext")) == NAME  # the ciphertext itself is kept


def test_a_share_of_a_decryption_keeps_the_value_only_when_asked(client):
    data = form("decrypt", ciphertext=encrypted(NAME), private_key=keys.private_pem(), share="1")
    page = client.get(share_link(client.post(RUN, data))).content.decode()
    assert NAME not in page and 'data-code="plaintext_withheld"' in page
    SharedResult.objects.all().delete()
    page = client.get(share_link(client.post(RUN, {**data, "share_plaintext": "on"}))).content
    assert NAME in page.decode()
    stored = json.dumps(
        [SharedResult.objects.get().inputs, SharedResult.objects.get().result], ensure_ascii=False
    )
    assert "PRIVATE KEY" not in stored and keys.private_pem().split("\n")[1] not in stored


def test_a_share_of_a_check_leaves_a_body_with_plain_text_fields_out(client):
    body = json.dumps({"contact_info": {"contact_name": NAME}}, ensure_ascii=False)
    live = client.post(RUN, form("check", body=body, share="1"))
    shared = SharedResult.objects.get()
    assert NAME not in json.dumps([shared.inputs, shared.result], ensure_ascii=False)
    page = client.get(share_link(live)).content.decode()
    assert "contact_info.contact_name" in page and NAME not in page


# --- the JSON API, in the shapes -----------------------------------------------------------


def post(client, action: str, payload: dict[str, object], **headers):
    return client.post(
        API + action, json.dumps(payload), content_type="application/json", **headers
    )


def test_encrypt_with_a_certificate_answers_the_ciphertext_and_the_certificates_serial(client):
    response = post(client, "encrypt", {"plaintext": NAME, "certificate": keys.certificate_pem()})
    assert response.status_code == 200
    answer = response.json()
    assert set(answer) == {"ciphertext", "wechatpay_serial"}
    assert isinstance(answer["ciphertext"], str) and len(answer["ciphertext"]) == 344
    assert opened(answer["ciphertext"]) == NAME
    assert answer["wechatpay_serial"] == certificate_serial()


def test_encrypt_with_a_public_key_answers_its_id_or_null(client):
    payload = {"plaintext": NAME, "public_key": keys.public_pem(), "public_key_id": PUB_KEY_ID}
    answer = post(client, "encrypt", payload).json()
    assert set(answer) == {"ciphertext", "wechatpay_serial"}
    assert opened(answer["ciphertext"]) == NAME
    assert answer["wechatpay_serial"] == PUB_KEY_ID
    answer = post(client, "encrypt", {"plaintext": NAME, "public_key": keys.public_pem()}).json()
    assert answer["wechatpay_serial"] is None and opened(answer["ciphertext"]) == NAME


def test_encrypt_refuses_more_than_one_block_saying_214_bytes(client):
    response = post(
        client,
        "encrypt",
        {"plaintext": "x" * 215, "certificate": keys.certificate_pem()},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "plaintext_too_long" and "214" in error["message"]
    assert not CJK.search(error["message"])


def test_encrypt_without_a_key_is_a_400(client):
    response = post(client, "encrypt", {"plaintext": NAME})
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_request"


def test_a_public_key_in_the_certificate_field_is_refused(client):
    response = post(client, "encrypt", {"plaintext": NAME, "certificate": keys.public_pem()})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "public_key_not_certificate"


def test_decrypt_answers_the_plaintext_alone(client):
    payload = {"ciphertext": encrypted(NAME), "private_key": keys.private_pem()}
    response = post(client, "decrypt", payload)
    assert response.status_code == 200 and response.json() == {"plaintext": NAME}
    assert keys.private_pem().split("\n")[1] not in response.content.decode()


def test_decrypt_names_a_pkcs1_v15_value_in_the_error_shape(client):
    raw = keys.private_key().public_key().encrypt(NAME.encode(), padding.PKCS1v15())
    payload = {"ciphertext": base64.b64encode(raw).decode(), "private_key": keys.private_pem()}
    response = post(client, "decrypt", payload)
    assert response.status_code == 400
    assert set(response.json()) == {"error"}
    assert response.json()["error"]["code"] == "ciphertext_pkcs1v15"


def test_check_answers_findings_field_by_field(client):
    body = json.dumps(
        {"contact_info": {"contact_name": NAME}, "account_info": {"account_number": "6222"}},
        ensure_ascii=False,
    )
    other_serial = "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"
    payload = {
        "body": body,
        "wechatpay_serial": other_serial,
        "certificate": keys.certificate_pem(),
    }
    response = post(client, "check", payload)
    assert response.status_code == 200
    answer = response.json()
    assert set(answer) == {"findings"}
    for finding in answer["findings"]:
        assert set(finding) == {"code", "message", "source", "field", "severity"}
    assert [(f["code"], f["field"], f["severity"]) for f in answer["findings"]] == [
        ("sensitive_field_plaintext", "contact_info.contact_name", "blocking"),
        ("sensitive_field_plaintext", "account_info.account_number", "blocking"),
        ("wechatpay_serial_mismatch", "wechatpay_serial", "blocking"),
    ]
    assert certificate_serial() in answer["findings"][2]["message"]
    assert NAME not in response.content.decode()


def test_check_with_a_public_key_and_a_certificate_serial_is_a_mismatch(client):
    body = json.dumps({"user_name": encrypted(NAME)})
    payload = {
        "body": body,
        "wechatpay_serial": certificate_serial(),
        "public_key": keys.public_pem(),
    }
    codes = [f["code"] for f in post(client, "check", payload).json()["findings"]]
    assert codes == ["wechatpay_serial_mismatch"]


def test_check_without_a_serial_says_it_is_missing_in_english_when_asked(client):
    body = json.dumps({"user_name": encrypted(NAME)})
    answer = post(client, "check", {"body": body}, HTTP_ACCEPT_LANGUAGE="en").json()
    finding = next(f for f in answer["findings"] if f["code"] == "wechatpay_serial_missing")
    assert "Wechatpay-Serial" in finding["message"]
    assert not CJK.search(finding["message"].replace(WECHAT_TEXTS[1], ""))


def test_check_refuses_a_body_that_is_not_json(client):
    response = post(client, "check", {"body": "contact_name=x"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "json_malformed"
