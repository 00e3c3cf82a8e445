"""The notification simulators' pages (/wechat/v3/simulate/, /wechat/v2/simulate/) and endpoints
(POST /api/v1/wechat/v3/simulate, /api/v1/wechat/v2/simulate): the issue's shapes field by field;
every notification checked with cryptography, hashlib and hmac here and with the project's own
verify / decrypt / sign / refund-notify endpoints, which pass and fail it as a handler must; the
curl command run by a POSIX shell with a stand-in curl, against URLs built to break out of it;
the keys never echoed; key generation counted against the private-key rate limit."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import shlex
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.cache import cache

from sharing.models import SharedResult
from tests.web.test_sharing import share_link

pytestmark = pytest.mark.django_db

V3_PAGE, V3_RUN, V3_API = (
    "/wechat/v3/simulate/",
    "/wechat/v3/simulate/run",
    "/api/v1/wechat/v3/simulate",
)
V2_PAGE, V2_RUN, V2_API = (
    "/wechat/v2/simulate/",
    "/wechat/v2/simulate/run",
    "/api/v1/wechat/v2/simulate",
)
APIV3_KEY = "Lk8Jh6Gf4Ds2Aq0Wz8Xc6Vb4Nm2Po0Iu"  # 32 characters, made up
API_KEY = "Tr5Ew3Qa1Sd9Fg7Hj5Kl3Zx1Cv9Bn7Mq"
URL = "https://merchant.example/pay/notify"
KINDS = ["payment", "refund", "probe", "stale", "reserialized", "wrong_serial"]
HEADER_NAMES = [
    "Content-Type",
    "Wechatpay-Nonce",
    "Wechatpay-Serial",
    "Wechatpay-Signature",
    "Wechatpay-Signature-Type",
    "Wechatpay-Timestamp",
]


def post_json(client, url, payload, **headers):
    return client.post(url, json.dumps(payload), content_type="application/json", **headers)


def v3(client, kind="payment", mode="public_key", **extra):
    payload = {"kind": kind, "mode": mode, "apiv3_key": APIV3_KEY, "url": URL, **extra}
    response = post_json(client, V3_API, payload)
    assert response.status_code == 200, response.content
    return response.json()


def verifier(answer):
    if answer["certificate"]:
        certificate = x509.load_pem_x509_certificate(answer["certificate"].encode())
        return certificate.public_key(), format(certificate.serial_number, "040X")
    return serialization.load_pem_public_key(answer["public_key"].encode()), answer["public_key_id"]


def verifies(answer, body=None):
    headers = answer["headers"]
    key, _ = verifier(answer)
    message = f"{headers['Wechatpay-Timestamp']}\n{headers['Wechatpay-Nonce']}\n{body or answer['body']}\n"
    try:
        signature = base64.b64decode(headers["Wechatpay-Signature"], validate=True)
        key.verify(signature, message.encode(), padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        return False
    return True


def decrypts(answer) -> dict:
    resource = json.loads(answer["body"])["resource"]
    plaintext = AESGCM(APIV3_KEY.encode()).decrypt(
        resource["nonce"].encode(),
        base64.b64decode(resource["ciphertext"]),
        resource["associated_data"].encode(),
    )
    return json.loads(plaintext)


# --- APIv3: the endpoint's shape and what the notification is ----------------------------------


@pytest.mark.parametrize("mode", ["certificate", "public_key"])
@pytest.mark.parametrize("kind", KINDS)
def test_the_v3_endpoint_answers_the_issues_shape_field_by_field(client, kind, mode):
    answer = v3(client, kind, mode)
    assert set(answer) == {
        "headers", "body", "curl", "public_key", "certificate", "public_key_id", "expect_status",
    }  # fmt: skip
    assert list(answer["headers"]) == HEADER_NAMES
    assert answer["headers"]["Content-Type"] == "application/json"
    assert json.loads(answer["body"])["resource"]["algorithm"] == "AEAD_AES_256_GCM"
    assert answer["curl"].startswith("curl ") and shlex.quote(URL) in answer["curl"]
    assert answer["public_key"].startswith("-----BEGIN PUBLIC KEY-----")
    if mode == "certificate":
        assert answer["certificate"].startswith("-----BEGIN CERTIFICATE-----")
        assert answer["public_key_id"] is None
    else:
        assert answer["certificate"] is None
        assert re.fullmatch(r"PUB_KEY_ID_\d+", answer["public_key_id"])
    valid = kind in ("payment", "refund")
    assert answer["expect_status"] == (200 if valid else 401)
    assert APIV3_KEY not in json.dumps(answer)
    assert "PRIVATE KEY" not in json.dumps(answer)


@pytest.mark.parametrize("mode", ["certificate", "public_key"])
@pytest.mark.parametrize("kind", KINDS)
def test_each_notification_verifies_and_decrypts_as_a_handler_finds_it(client, kind, mode):
    answer = v3(client, kind, mode)
    headers = answer["headers"]
    _, serial = verifier(answer)
    data = decrypts(answer)  # every kind decrypts: refusing it is the signature checks' job
    assert data["refund_status" if kind == "refund" else "trade_state"] == "SUCCESS"
    signed = verifies(answer)
    fresh = abs(int(headers["Wechatpay-Timestamp"]) - int(__import__("time").time())) <= 300
    right_serial = headers["Wechatpay-Serial"] == serial
    assert (signed and fresh and right_serial) is (answer["expect_status"] == 200)
    assert signed is (kind not in ("probe", "reserialized"))
    assert fresh is (kind != "stale")
    assert right_serial is (kind != "wrong_serial")
    if kind == "probe":
        assert headers["Wechatpay-Signature"].startswith("WECHATPAY/SIGNTEST/")


def test_a_reserialized_body_verifies_only_in_its_signed_bytes(client):
    answer = v3(client, "reserialized", "certificate")
    original = json.dumps(json.loads(answer["body"]), ensure_ascii=False, separators=(",", ":"))
    assert original != answer["body"] and verifies(answer, original)


def test_the_merchants_own_resource_is_what_decrypts(client):
    own = {"mchid": "1230000109", "out_trade_no": "MINE-42", "trade_state": "SUCCESS"}
    answer = v3(client, "payment", "certificate", resource=json.dumps(own))
    assert decrypts(answer) == own


# --- APIv3: the project's own verify and decrypt endpoints treat them as a handler must ------------


def project_verify(client, answer):
    headers = answer["headers"]
    payload = {
        "timestamp": headers["Wechatpay-Timestamp"],
        "nonce": headers["Wechatpay-Nonce"],
        "body": answer["body"],
        "signature": headers["Wechatpay-Signature"],
        "public_key": answer["certificate"] or answer["public_key"],
        "serial": headers["Wechatpay-Serial"],
    }
    response = post_json(client, "/api/v1/wechat/v3/verify", payload)
    assert response.status_code == 200, response.content
    result = response.json()
    return result["valid"], {finding["code"]: finding["severity"] for finding in result["findings"]}


@pytest.mark.parametrize(
    ("kind", "mode", "valid", "finding"),
    [
        ("payment", "certificate", True, None),
        ("payment", "public_key", True, None),
        ("refund", "certificate", True, None),
        ("refund", "public_key", True, None),
        ("probe", "certificate", False, "signature_probe"),
        ("probe", "public_key", False, "signature_probe"),
        ("stale", "public_key", True, "timestamp_skew"),  # valid, and refused for its age
        ("reserialized", "public_key", False, None),
        ("wrong_serial", "certificate", True, "serial_mismatch"),  # blocking
    ],
)
def test_the_verify_endpoint_passes_and_fails_them_as_a_handler_must(
    client, kind, mode, valid, finding
):
    answer = v3(client, kind, mode)
    is_valid, findings = project_verify(client, answer)
    assert is_valid is valid
    if finding is None:
        assert not findings or kind == "reserialized"
    else:
        assert finding in findings
    if kind == "wrong_serial":
        assert findings["serial_mismatch"] == "blocking"


def test_the_verify_endpoint_names_the_reserialisation(client):
    answer = v3(client, "reserialized", "public_key")
    headers = answer["headers"]
    payload = {
        "timestamp": headers["Wechatpay-Timestamp"],
        "nonce": headers["Wechatpay-Nonce"],
        "body": answer["body"],
        "signature": headers["Wechatpay-Signature"],
        "public_key": answer["public_key"],
    }
    result = post_json(client, "/api/v1/wechat/v3/verify", payload).json()
    assert result["valid"] is False and result["mistakes"]  # the signed bytes are found


@pytest.mark.parametrize("kind", ["payment", "refund", "probe"])
def test_the_decrypt_endpoint_opens_the_resource(client, kind):
    answer = v3(client, kind, "public_key")
    resource = json.loads(answer["body"])["resource"]
    payload = {
        "apiv3_key": APIV3_KEY,
        "associated_data": resource["associated_data"],
        "nonce": resource["nonce"],
        "ciphertext": resource["ciphertext"],
    }
    response = post_json(client, "/api/v1/wechat/v3/decrypt", payload)
    assert response.status_code == 200 and json.loads(response.json()["plaintext"]) == decrypts(
        answer
    )


def test_the_verify_page_says_valid_for_a_payment_and_not_for_a_probe(client):
    for kind, verdict in (("payment", "签名验证通过"), ("probe", "签名验证不通过")):
        answer = v3(client, kind, "certificate")
        headers = "\n".join(f"{name}: {value}" for name, value in answer["headers"].items())
        body = client.post(
            "/wechat/v3/verify/run",
            {"headers": headers, "body": answer["body"], "public_key": answer["certificate"]},
        ).content.decode()
        assert verdict in body, kind


def test_the_decrypt_page_opens_the_notification_pasted_whole(client):
    answer = v3(client, "refund", "certificate")
    body = client.post(
        "/wechat/v3/decrypt/run", {"notification": answer["body"], "apiv3_key": APIV3_KEY}
    ).content.decode()
    assert "解密成功" in body and decrypts(answer)["out_refund_no"] in body
    assert APIV3_KEY not in body


# --- V2 -----------------------------------------------------------------------------------------


def v2(client, kind="payment", sign_type="MD5", **extra):
    payload = {"kind": kind, "key": API_KEY, "sign_type": sign_type, "url": URL, **extra}
    response = post_json(client, V2_API, payload)
    assert response.status_code == 200, response.content
    return response.json()


def v2_sign(fields: dict[str, str], sign_type: str) -> str:
    string1 = "&".join(f"{k}={v}" for k, v in sorted(fields.items()) if k != "sign" and v)
    data = f"{string1}&key={API_KEY}".encode()
    if sign_type == "HMAC-SHA256":
        return hmac.new(API_KEY.encode(), data, hashlib.sha256).hexdigest().upper()
    return hashlib.md5(data).hexdigest().upper()


@pytest.mark.parametrize("sign_type", ["MD5", "HMAC-SHA256"])
def test_the_v2_payment_notification_is_signed_with_the_api_key_without_sign_type(
    client, sign_type
):
    answer = v2(client, "payment", sign_type)
    assert set(answer) == {
        "headers", "body", "curl", "public_key", "certificate", "public_key_id", "expect_status",
    }  # fmt: skip
    assert answer["headers"] == {"Content-Type": "text/xml"}
    assert answer["public_key"] is answer["certificate"] is answer["public_key_id"] is None
    assert answer["expect_status"] == 200
    fields = {child.tag: child.text or "" for child in ET.fromstring(answer["body"])}
    assert "sign_type" not in fields
    assert fields["sign"] == v2_sign(fields, sign_type)
    assert API_KEY not in json.dumps(answer)
    # The project's own V2 workbench agrees.
    check = post_json(
        client,
        "/api/v1/wechat/v2/sign",
        {"raw": answer["body"], "key": API_KEY, "sign_type": sign_type,
         "expected_sign": fields["sign"]},
    ).json()  # fmt: skip
    assert check["match"] is True and check["sign"] == fields["sign"]


def test_the_v2_refund_notification_opens_with_aes_ecb_and_on_the_refund_page(client):
    from tests.diagnostics.wechat_v2.test_simulator import open_req_info

    answer = v2(client, "refund", resource="out_refund_no=RF-OWN-1")
    fields = {child.tag: child.text or "" for child in ET.fromstring(answer["body"])}
    assert "sign" not in fields
    root = ET.fromstring(open_req_info(fields["req_info"], API_KEY))
    assert root.tag == "root" and root.findtext("out_refund_no") == "RF-OWN-1"
    decrypted = post_json(
        client, "/api/v1/wechat/v2/refund-notify/decrypt", {"notification": answer["body"],
                                                            "key": API_KEY}
    ).json()  # fmt: skip
    assert decrypted["fields"]["out_refund_no"] == "RF-OWN-1"
    assert decrypted["fields"]["refund_status"] == "SUCCESS"


# --- the curl command: quoted for a POSIX shell --------------------------------------------------

ATTACK_URLS = [
    "https://merchant.example/notify?a='b'",
    "https://merchant.example/notify?x=$(touch${IFS}PWNED)",
    "https://merchant.example/notify?x=`touch${IFS}PWNED`",
    "https://merchant.example/'$(touch${IFS}PWNED)'/`touch${IFS}PWNED`",
    "https://merchant.example/n;touch${IFS}PWNED|touch${IFS}PWNED&&touch${IFS}PWNED",
    'https://merchant.example/n?x=\\\'$HOME"${PATH}"',
    "https://merchant.example/{a,b}/[1-9]/*?q=!!",
    "http://merchant.example:8080/-K/etc/passwd",
]


def shell_argv(command: str, tmp_path) -> list[str]:
    """Run ``command`` in /bin/sh with a curl that prints its arguments, in an empty directory."""
    stub = 'curl() { for arg in "$@"; do printf "%s\\0" "$arg"; done; }\n'
    done = subprocess.run(
        ["/bin/sh", "-c", stub + command], cwd=tmp_path, capture_output=True, check=True
    )
    assert list(tmp_path.iterdir()) == []  # nothing ran: no PWNED file
    return done.stdout.decode().split("\0")[:-1]


@pytest.mark.skipif(not shutil.which("sh"), reason="needs a POSIX shell")
@pytest.mark.parametrize("url", ATTACK_URLS)
@pytest.mark.parametrize("api", ["v3", "v2"])
def test_a_crafted_url_stays_one_argument_of_curl(client, tmp_path, url, api):
    answer = v3(client, url=url) if api == "v3" else v2(client, url=url)
    argv = shell_argv(answer["curl"], tmp_path)
    expected = ["-sS", "-i", "--globoff", "-X", "POST", "--url", url]
    for name, value in answer["headers"].items():
        expected += ["-H", f"{name}: {value}"]
    expected += ["--data-raw", answer["body"]]
    assert argv == expected
    assert shlex.split(answer["curl"].replace("\\\n", " ")) == ["curl", *expected]


@pytest.mark.skipif(not shutil.which("sh"), reason="needs a POSIX shell")
def test_a_body_with_line_breaks_reaches_curl_byte_for_byte(client, tmp_path):
    own = '{\n  "mchid": "1",\n  "note": "it\'s $(not) `run`"\n}'
    answer = v2(client, resource=json.dumps({"attach": "it's $(not) `run`\n$HOME"}))
    assert shell_argv(answer["curl"], tmp_path)[-1] == answer["body"]
    answer = v3(client, resource=own)
    assert shell_argv(answer["curl"], tmp_path)[-1] == answer["body"]


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://merchant.example/a\n; touch PWNED", "url_invalid_characters"),
        ("https://merchant.example/a\r\nX-Injected: 1", "url_invalid_characters"),
        ("https://merchant.example/a\u2028b", "url_invalid_characters"),
        ("https://merchant.example/a b", "url_invalid_characters"),
        ("ftp://merchant.example/notify", "url_not_http"),
        ("file:///etc/passwd", "url_not_http"),
        ("javascript:alert(1)", "url_not_http"),
        ("-K/etc/passwd", "url_not_http"),
        ("//merchant.example/notify", "url_not_http"),
    ],
)
@pytest.mark.parametrize("api", [V3_API, V2_API])
def test_a_url_that_is_not_http_or_holds_a_line_break_is_refused(client, api, url, code):
    payload = {"kind": "payment", "mode": "public_key", "apiv3_key": APIV3_KEY, "key": API_KEY,
               "url": url}  # fmt: skip
    if api == V2_API:
        payload.pop("mode")
        payload.pop("apiv3_key")
    response = post_json(client, api, payload, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert not re.search(r"[\u4e00-\u9fff]", response.json()["error"]["message"])


@pytest.mark.parametrize(
    ("api", "payload", "code"),
    [
        (V3_API, {"kind": "payment", "mode": "public_key", "apiv3_key": "short", "url": URL},
         "apiv3_key_length"),
        (V3_API, {"kind": "teapot", "mode": "public_key", "apiv3_key": APIV3_KEY, "url": URL},
         "invalid_request"),
        (V3_API, {"kind": "payment", "mode": "x509", "apiv3_key": APIV3_KEY, "url": URL},
         "invalid_request"),
        (V3_API, {"kind": "payment", "mode": "public_key", "apiv3_key": APIV3_KEY, "url": URL,
                  "resource": "[1]"}, "resource_not_object"),
        (V2_API, {"kind": "payment", "key": "", "url": URL}, "key_missing"),
        (V2_API, {"kind": "payment", "key": API_KEY, "sign_type": "SHA1", "url": URL},
         "invalid_request"),
    ],
)  # fmt: skip
def test_bad_input_is_a_400_in_the_error_shape_without_the_key(client, api, payload, code):
    response = post_json(client, api, payload)
    assert response.status_code == 400
    assert set(response.json()) == {"error"} and response.json()["error"]["code"] == code
    assert APIV3_KEY not in response.content.decode() and API_KEY not in response.content.decode()


# --- the pages --------------------------------------------------------------------------------


@pytest.mark.parametrize(("page", "run", "secret"), [(V3_PAGE, V3_RUN, "apiv3_key"),
                                                      (V2_PAGE, V2_RUN, "key")])  # fmt: skip
def test_the_pages_have_a_form_that_works_with_and_without_htmx(client, page, run, secret):
    body = client.get(page).content.decode()
    assert f'action="{run}"' in body and f'hx-post="{run}"' in body and 'method="post"' in body
    assert f'name="{secret}"' in body and 'type="password"' in body
    assert page in client.get("/").content.decode()  # the home card lists it


def test_the_v3_page_waits_before_a_live_update_as_key_generation_is_costly(client):
    body = client.get(V3_PAGE).content.decode()
    assert 'hx-trigger="change delay:1s, submit"' in body and 'hx-sync="this:queue last"' in body


V3_FORM = {
    "kind": "probe",
    "mode": "certificate",
    "url": URL,
    "apiv3_key": APIV3_KEY,
    "resource": "",
}
V2_FORM = {"kind": "refund", "sign_type": "MD5", "url": URL, "key": API_KEY, "resource": ""}


def test_a_plain_v3_post_shows_the_request_the_certificate_and_the_answer_to_give(client):
    response = client.post(V3_RUN, V3_FORM)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body
    assert "正确的处理程序应拒绝" in body and 'data-expect="401"' in body
    assert "WECHATPAY/SIGNTEST/" in body and "-----BEGIN CERTIFICATE-----" in body
    assert "curl -sS -i --globoff -X POST" in body and "POST /pay/notify HTTP/1.1" in body
    assert 'data-code="nothing_sent"' in body
    assert "/faq/wechat-v3-signtest-probe" in body and "/faq/wechat-v3-no-sandbox" in body
    assert APIV3_KEY not in body and "PRIVATE KEY" not in body


def test_an_htmx_v3_post_answers_the_result_fragment(client):
    response = client.post(V3_RUN, {**V3_FORM, "kind": "payment"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'id="result"' in body and "正确的处理程序应接受" in body and 'data-expect="200"' in body
    assert APIV3_KEY not in body


@pytest.mark.parametrize("htmx", [False, True])
def test_a_v2_post_shows_the_refund_notification(client, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(V2_RUN, V2_FORM, **headers)
    body = response.content.decode()
    assert response.status_code == 200 and ("<html" in body) is not htmx
    assert "&lt;req_info&gt;" in body and "curl -sS -i" in body
    assert "<code>refund_status</code>" not in body or "SUCCESS" in body
    assert API_KEY not in body


@pytest.mark.parametrize("htmx", [False, True])
def test_a_bad_url_on_the_page_is_a_400_in_the_users_language(client, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    form = {**V3_FORM, "url": "ftp://merchant.example/"}
    response = client.post(V3_RUN, form, HTTP_ACCEPT_LANGUAGE="en", **headers)
    assert response.status_code == 400
    assert "must start with http:// or https://" in response.content.decode()
    assert APIV3_KEY not in response.content.decode()


def test_the_english_result_has_no_chinese_left(client):
    body = client.post(V3_RUN, V3_FORM, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    result = re.search(r'<section id="result".*?</section>', body, re.S).group()
    result = re.sub(
        r"<pre\b.*?</pre>|<code>.*?</code>", "", result, flags=re.S
    )  # the request itself
    visible = re.sub(r"<[^>]+>", " ", result)
    assert not re.findall(r"[\u4e00-\u9fff]+", visible)
    assert "A correct handler refuses it" in body


def test_a_share_keeps_the_notification_and_never_the_keys(client):
    live = client.post(V3_RUN, {**V3_FORM, "share": "1"})
    shared = client.get(share_link(live)).content.decode()
    stored = json.dumps(SharedResult.objects.get().result) + json.dumps(
        SharedResult.objects.get().inputs
    )
    assert "WECHATPAY/SIGNTEST/" in shared and "-----BEGIN CERTIFICATE-----" in shared
    assert APIV3_KEY not in shared and APIV3_KEY not in stored and "PRIVATE KEY" not in stored
    live = client.post(V2_RUN, {**V2_FORM, "share": "1"})
    assert API_KEY not in client.get(share_link(live)).content.decode()


def test_the_generic_workbench_endpoint_runs_the_simulators_too(client):
    values = {k: v for k, v in V3_FORM.items()}
    response = post_json(client, "/api/v1/workbenches/wechat_v3.simulate", {"values": values})
    assert response.status_code == 200
    simulation = response.json()["result"]["simulation"]
    assert simulation["expect_status"] == 401 and APIV3_KEY not in response.content.decode()


# --- the cost of a key pair ------------------------------------------------------------------------


@pytest.fixture
def one_key_a_minute(settings):
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "private_key": "1/m"}
    cache.clear()
    yield
    cache.clear()


def test_key_generation_counts_against_the_private_key_limit(client, one_key_a_minute):
    payload = {"kind": "payment", "mode": "public_key", "apiv3_key": APIV3_KEY, "url": URL}
    assert post_json(client, V3_API, payload).status_code == 200
    assert post_json(client, V3_API, payload).status_code == 429
    assert client.post(V3_RUN, V3_FORM).status_code == 429
    values = {"values": V3_FORM}
    assert post_json(client, "/api/v1/workbenches/wechat_v3.simulate", values).status_code == 429
    # V2 generates no key: not counted.
    v2_payload = {"kind": "payment", "key": API_KEY, "url": URL}
    assert post_json(client, V2_API, v2_payload).status_code == 200
    assert client.post(V2_RUN, V2_FORM).status_code == 200
