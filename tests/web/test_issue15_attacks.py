"""Issue 15's tools attacked as a hostile user: what broke, each pinned by a test.

- A lone surrogate in a secret field (``"apiv3_key": "\\udfff…"``) made every JSON endpoint with
  such a field answer 500: the answer's last gate built the secret's URL-encoded forms and
  ``quote`` could not encode it.
- The key ring's page showed a PUB_KEY_ID_… or a serial pasted on its own line as [已移除]: every
  line of its paste (a secret field) was treated as a secret.
- The key ring's headline was green ("5 / 5 jobs") above a failed check (the configured mchid or
  serial not the certificate's, the API key equal to the APIv3 key).
- The sensitive-field check put "✓ nothing WeChat Pay would refuse" above a ciphertext that the
  test private key opens only with PKCS#1 v1.5 or OAEP-SHA256 (WeChat Pay: 平台私钥解密失败).
- The key ring read every line of a 256 KiB paste (65,536 ``a=b`` lines: 1 s of CPU; 256 KiB of
  ``&``: 0.6 s; one 256 KiB word: 0.3 s in the builder-call pattern).
"""

from __future__ import annotations

import base64
import json
import re

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from diagnostics.core.findings import ParseError
from diagnostics.wechat_v3.keyring import examine
from diagnostics.wechat_v3.keyring_paste import MAX_LINES
from tests.diagnostics.wechat_v3.test_keyring import (
    APIV3_KEY,
    MCHID,
    PLATFORM_SERIAL,
    PUB_KEY_ID,
    certificates_answer,
    merchant_cert,
    pem,
    private_pem,
    wechatpay_public_pem,
)
from tests.web import keys
from tests.web.test_secrets_everywhere import share_paths

pytestmark = pytest.mark.django_db
SERIAL = f"{PLATFORM_SERIAL:040X}"

LONE_SURROGATES = "\udfff" * 32  # json.dumps writes each as the escape \udfff
URL = "https://m.example/notify"


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("/api/v1/wechat/v3/simulate", {"kind": "payment", "mode": "public_key", "url": URL}),
        ("/api/v1/wechat/v2/simulate", {"kind": "payment", "url": URL}),
        ("/api/v1/wechat/v2/refund-notify/decrypt", {"req_info": "AAAA"}),
        ("/api/v1/wechat/v2/sign", {"params": "appid=wx1"}),
    ],
)
def test_a_lone_surrogate_in_a_secret_field_is_a_400_not_a_500(client, path, payload):
    name = "apiv3_key" if "v3" in path else "key"
    body = json.dumps({**payload, name: LONE_SURROGATES})
    response = client.post(path, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_text"


@pytest.mark.parametrize(
    "paste",
    [
        "a=b\n" * 65_536,  # 256 KiB of configuration lines
        "a=1" + "&" * 262_000 + "b=2",  # one query string of 262,000 parts
        "mchid=1900009191\n" + "a=b\n" * 50_000,
    ],
    ids=["lines", "ampersands", "lines after an mchid"],
)
def test_the_key_ring_reads_a_bounded_number_of_lines_and_says_so(paste):
    try:
        ring = examine([paste])
    except Exception as error:  # nothing recognised in the part read: the paste is refused
        assert getattr(error, "code", "") == "keyring_empty"
    else:
        assert "too_many_lines" in {finding.code for finding in ring.findings}
    # Reading all of it took 0.6–1 s of CPU; bench/bench_worst_case.py --only=keyring measures it.


def test_lines_past_the_bound_are_not_read():
    paste = "\n".join(["a=b"] * (MAX_LINES - 1) + ["mchid=1900009191", "serial_no=" + "AB" * 20])
    ring = examine([paste])
    assert [item.kind for item in ring.items] == ["mchid"]
    assert "too_many_lines" in {finding.code for finding in ring.findings}


def test_many_texts_count_against_the_same_bound(client):
    items = ["1900009191"] * 5_000
    response = client.post(
        "/api/v1/wechat/v3/keyring", json.dumps({"items": items}), content_type="application/json"
    )
    assert response.status_code == 200
    assert "too_many_lines" in {finding["code"] for finding in response.json()["findings"]}


def test_a_builder_call_is_still_read_after_a_long_word():
    ring = examine(["x" * 200_000 + '\nbuilder.merchantId("1900009191").setMchSerialNo("1A")'])
    assert "mchid" in [item.kind for item in ring.items]
    assert "mchid" in [
        item.kind for item in examine(["a" * 262_000 + "(", "mchid=1900009191"]).items
    ]


def test_the_key_ring_page_names_a_public_key_id_and_a_serial_pasted_on_their_own_lines(client):
    """The paste is one secret field, and every line of a multi-line secret was removed from the
    page: a bare PUB_KEY_ID_… or serial line came back as [已移除] in the very sentence that says
    which ID the callback named and which one the merchant holds."""
    received = PUB_KEY_ID[:-1] + ("1" if PUB_KEY_ID[-1] != "1" else "2")
    paste = "\n".join([wechatpay_public_pem(), PUB_KEY_ID, SERIAL, f"mchid={MCHID}"])
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        body = client.post(
            "/wechat/v3/keyring/run",
            {"private_key": paste, "wechatpay_serial": received, "share": "1"},
            **headers,
        ).content.decode()
        assert "[已移除]" not in body
        assert PUB_KEY_ID in body and received in body and SERIAL in body
        shared = client.get(share_paths(body)[0]).content.decode()
        assert PUB_KEY_ID in shared and "[已移除]" not in shared


def test_a_private_key_pasted_with_them_is_still_nowhere(client):
    paste = "\n".join([private_pem(), PUB_KEY_ID, SERIAL])
    body = client.post("/wechat/v3/keyring/run", {"private_key": paste}).content.decode()
    assert PUB_KEY_ID in body
    for line in private_pem().splitlines()[1:-1]:
        assert line not in body


@pytest.mark.parametrize("junk", ["%2", "-----BEGIN PRIVATE KEY-----\n", "key="])
def test_a_req_info_of_256_kib_that_is_not_base64_is_named_in_one_scan(client, junk):
    """Each character was matched against a pattern in turn (0.2 s of CPU for 256 KiB): the
    characters outside Base64 are now found in one scan, and named as before."""
    req_info = junk * (240_000 // len(junk))  # under 256 KiB once JSON-escaped
    response = client.post(
        "/api/v1/wechat/v2/refund-notify/decrypt",
        json.dumps({"req_info": req_info, "key": "Hn4Bv6Cx8Zl0Kj2Hg4Fd6Sa8Qw0Er2Ty"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "not_base64"
    outside = sorted(
        {char for char in junk if not (char.isascii() and (char.isalnum() or char in "+/="))}
        - {"\n"}
    )
    assert all(char in error["message"] for char in outside)


@pytest.mark.parametrize(
    ("fields", "failed"),
    [
        ({"mchid": "1234567890"}, "mchid_subject"),
        ({"serial_no": "ABCDEF"}, "serial_certificate"),
        ({"key": APIV3_KEY}, "api_key_is_apiv3_key"),
    ],
)
def test_the_key_ring_headline_is_not_green_above_a_failed_check(client, fields, failed):
    """Every job had its items, so the headline said "5 / 5" in green, above a ✗ saying the
    configured mchid or serial is not the certificate's (a 401 waiting to happen)."""
    paste = "\n".join(
        [
            private_pem(),
            pem(merchant_cert()),
            certificates_answer(),
            wechatpay_public_pem(),
            PUB_KEY_ID,
        ]
    )
    data = {"private_key": paste, "apiv3_key": APIV3_KEY, **fields}
    for headers in ({}, {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "en"}):
        body = client.post("/wechat/v3/keyring/run", data, **headers).content.decode()
        assert f'data-code="{failed}" data-ok="false"' in body
        headline = re.search(r'<div class="verdict (\w+)" data-code="keyring_verdict">', body)
        assert headline and headline.group(1) == "warn"
        assert 'data-code="keyring_relations_failed"' in body
    assert "But checks that fail: 1 (marked ✗ below)" in body


def test_the_key_ring_headline_is_green_when_everything_holds(client):
    paste = "\n".join(
        [
            private_pem(),
            pem(merchant_cert()),
            certificates_answer(),
            wechatpay_public_pem(),
            PUB_KEY_ID,
        ]
    )
    body = client.post(
        "/wechat/v3/keyring/run", {"private_key": paste, "apiv3_key": APIV3_KEY, "mchid": MCHID}
    ).content.decode()
    assert '<div class="verdict good" data-code="keyring_verdict">' in body
    assert "keyring_relations_failed" not in body


def test_the_english_key_ring_page_leaves_no_chinese_in_the_result(client):
    """Its sources read "§2.1 签名验证" / "§2.1 敏感信息加解密" and a secret item's note sat in
    full-width parentheses on the English page."""
    paste = "\n".join(
        [
            private_pem(),
            pem(merchant_cert()),
            certificates_answer(),
            wechatpay_public_pem(),
            PUB_KEY_ID,
            "k" * 31 + "1",
        ]
    )
    html = client.post(
        "/wechat/v3/keyring/run",
        {"private_key": paste, "mchid": "1234567890", "serial_no": "ABCDEF"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    # Certificate subjects (in <code>) are the merchant's own data: 微信商户系统, the company name.
    result = re.sub(r"<code>.*?</code>", "", html[html.index('id="result"') :], flags=re.S)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", result))
    assert not re.findall(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+", text)
    assert "(secret: used for this check only, not shown)" in text


PASSWORD = "Sup3rS3cretPassw0rd"


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        (
            "/api/v1/wechat/v3/simulate",
            {"kind": "payment", "mode": "public_key", "apiv3_key": APIV3_KEY},
        ),
        ("/api/v1/wechat/v2/simulate", {"kind": "payment", "key": APIV3_KEY}),
    ],
)
def test_a_notify_url_with_a_password_is_refused_not_put_in_the_curl_command(client, path, payload):
    """https://admin:password@host/ was copied into the curl command, the raw request, the
    answer and a share (the URL is no secret field, and nothing finds a password there)."""
    url = f"https://admin:{PASSWORD}@m.example/notify"
    response = client.post(
        path, json.dumps({**payload, "url": url}), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "url_userinfo"
    assert PASSWORD not in response.content.decode()


def test_the_simulator_page_makes_no_share_of_a_url_with_a_password(client):
    url = f"https://admin:{PASSWORD}@m.example/notify"
    data = {
        "kind": "payment",
        "mode": "public_key",
        "url": url,
        "apiv3_key": APIV3_KEY,
        "share": "1",
    }
    response = client.post("/wechat/v3/simulate/run", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert not share_paths(response.content.decode())


@pytest.mark.parametrize(
    ("padding_used", "code"),
    [
        (lambda: padding.PKCS1v15(), "ciphertext_pkcs1v15"),
        (
            lambda: padding.OAEP(padding.MGF1(hashes.SHA256()), hashes.SHA256(), None),
            "ciphertext_oaep_sha256",
        ),
    ],
    ids=["pkcs1v15", "oaep-sha256"],
)
def test_a_checked_body_encrypted_with_the_wrong_padding_is_not_under_a_green_headline(
    client, padding_used, code
):
    """With the test private key given, a PKCS#1 v1.5 (or OAEP-SHA256) ciphertext was said to
    "not open" as a warning, under "✓ nothing WeChat Pay would refuse" — it answers 平台私钥解密失败."""
    ciphertext = base64.b64encode(
        keys.private_key().public_key().encrypt("张三".encode(), padding_used())
    ).decode()
    data = {
        "mode": "check",
        "body": json.dumps({"contact_info": {"contact_name": ciphertext}}),
        "wechatpay_serial": PUB_KEY_ID,
        "public_key": keys.public_pem(),
        "public_key_id": PUB_KEY_ID,
        "private_key": keys.private_pem(),
    }
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        body = client.post("/wechat/v3/sensitive/run", data, **headers).content.decode()
        assert 'data-code="sensitive_check_refused"' in body
        assert "sensitive_check_ok" not in body
        assert f'data-code="{code}"' in body


def test_one_long_line_of_short_words_is_read_in_one_pass():
    """256 KiB of "<!ENTITY a " is one line of 47,000 words: each word's kind was looked up twice
    with four patterns (0.26 s of CPU); words too short or too long for any kind are skipped."""
    with pytest.raises(ParseError):
        examine([("<!ENTITY a " * 24_000)[:262_000]])
