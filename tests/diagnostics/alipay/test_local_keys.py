"""Local mode (本地计算, issue 17) on Alipay's key and certificate pages, server side: the browser
posts the 应用私钥's public half, the header label pasted and the content's format; the page then
shows what server mode shows from the key itself — formats, pairs, findings, the derived 应用公钥."""

from __future__ import annotations

import base64
import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.diagnostics.wechat_v3.test_local_mode import local_data
from tests.web import keys

pytestmark = pytest.mark.django_db

OTHER = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PKCS1 = serialization.PrivateFormat.TraditionalOpenSSL
PKCS8 = serialization.PrivateFormat.PKCS8


def der(fmt: serialization.PrivateFormat) -> bytes:
    return keys.private_key().private_bytes(
        serialization.Encoding.DER, fmt, serialization.NoEncryption()
    )


def pem(label: str, body: bytes) -> str:
    text = base64.b64encode(body).decode()
    lines = [text[at : at + 64] for at in range(0, len(text), 64)]
    return "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----"]) + "\n"


def public_of(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def app_certificate(key: rsa.RSAPrivateKey) -> str:
    """An 应用公钥证书 of ``key`` as Alipay's CA names one: CN "<PID>-<app_id>", issued by the
    Ant Financial CA (here a throwaway key signs it)."""
    issuer = x509.Name(
        [
            x509.NameAttribute(
                NameOID.COMMON_NAME, "Ant Financial Certification Authority Class 1 R1"
            )
        ]
    )
    subject = x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, "2088000000000001-2021000000000001")]
    )
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(0x1234567)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .sign(OTHER, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


# paste -> (the label pasted, the content's format, what pem.js reads the paste as)
PASTES = {
    "pkcs1_pem": (pem("RSA PRIVATE KEY", der(PKCS1)), "RSA PRIVATE KEY", "PKCS#1", "PEM PKCS#1"),
    "pkcs8_pem": (pem("PRIVATE KEY", der(PKCS8)), "PRIVATE KEY", "PKCS#8", "PEM PKCS#8"),
    "pkcs8_bare": (base64.b64encode(der(PKCS8)).decode(), "", "PKCS#8", "base64 DER PKCS#8"),
    "pkcs1_bare": (base64.b64encode(der(PKCS1)).decode(), "", "PKCS#1", "base64 DER PKCS#1"),
    # A PKCS#1 body under the PKCS#8 header: pem_label_mismatch.
    "mislabelled": (pem("PRIVATE KEY", der(PKCS1)), "PRIVATE KEY", "PKCS#1", "PEM PKCS#8"),
}


def shown(body: str) -> dict[str, object]:
    """What a reader sees of the report (a <template> is not shown)."""
    page = re.sub(r"<template.*?</template>", "", body, flags=re.DOTALL)
    return {
        "verdict": re.findall(r'data-verdict="([a-z]+)"', page),
        "formats": re.findall(r'data-field="([a-z_]+)" data-format="([a-z0-9_]+)"', page),
        "pairs": re.findall(r'data-right="([a-z_]+)" data-matches="([a-z]+)"', page),
        "findings": re.findall(r'data-code="([a-z_0-9]+)"', page),
        "derived": html.unescape(
            " ".join(re.findall(r'<pre id="derived-public-key-base64">(.*?)</pre>', page))
        ),
    }


def local_post(client, page: str, paste: str, form: dict[str, str]) -> str:
    _text, label, content, read_as = PASTES[paste]
    posted = {
        **form,
        "mode": "local",
        "local_public_key": keys.public_pem(),
        "local_key_format": read_as,
        "local_key_label": label,
        "local_key_content": content,
        "local_key_pasted": "1",
    }
    response = client.post(f"/alipay/{page}/run", posted)
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.content.decode()


@pytest.mark.parametrize("paste", sorted(PASTES))
@pytest.mark.parametrize("public", ["right", "other", "none"])
def test_the_keys_page_shows_from_the_public_half_what_it_shows_from_the_key(client, paste, public):
    form = {"right": {"public_key": keys.public_pem()}, "other": {"public_key": public_of(OTHER)}}
    form = form.get(public, {})
    server = client.post("/alipay/keys/run", {**form, "private_key": PASTES[paste][0]})
    assert server.status_code == 200
    local = shown(local_post(client, "keys", paste, form))
    assert local == shown(server.content.decode())
    # Independently: the derived 应用公钥 is the key's SubjectPublicKeyInfo, one line of base64.
    spki = (
        keys.private_key()
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    assert local["derived"] == base64.b64encode(spki).decode()
    armour = "pem" if PASTES[paste][1] else "base64"
    content = "pkcs1" if PASTES[paste][2] == "PKCS#1" else "pkcs8"
    assert ("private_key", f"{content}_{armour}") in local["formats"]
    assert ("pem_label_mismatch" in local["findings"]) == (paste == "mislabelled")
    expected_pair = {"right": [("public_key", "true")], "other": [("public_key", "false")]}
    assert local["pairs"] == expected_pair.get(public, [])


def test_the_private_key_stays_out_of_the_local_answer(client):
    body = local_post(client, "keys", "pkcs1_pem", {})
    # The DER's tail holds the primes and CRT values (its head, the modulus, is public).
    secret = base64.b64encode(der(PKCS1)).decode()
    assert secret[-100:-40] not in body
    assert local_data(body)["key_check"] is True


def test_a_damaged_key_alone_leaves_the_browser_to_name_it(client):
    """The browser posts no public half for a key it cannot read: the page answers (200) and its
    data asks the browser to say why, with the server's sentences."""
    body = client.post("/alipay/keys/run", {"mode": "local", "local_key_pasted": "1"})
    assert body.status_code == 200
    data = local_data(body.content.decode())
    assert data["key_check"] is False and data["keys"]["messages"]


def test_nothing_pasted_is_still_refused_in_local_mode(client):
    body = client.post("/alipay/keys/run", {"mode": "local"})
    assert body.status_code == 400
    assert "请至少粘贴一个私钥、公钥或证书。" in body.content.decode()


@pytest.mark.parametrize("which", ["right", "other"])
def test_the_certificate_page_pairs_the_public_half_as_it_pairs_the_key(client, which):
    certificate = app_certificate(keys.private_key() if which == "right" else OTHER)
    form = {"certificates": certificate}
    server = client.post("/alipay/certs/run", {**form, "private_key": keys.private_pem()})
    local = local_post(client, "certs", "pkcs8_pem", form)
    assert shown(local) == shown(server.content.decode())
    codes = shown(local)["findings"]
    assert "key_pair" in codes or "key_pair_mismatch" in codes or "no_app_certificate" in codes
    assert local_data(local)["key_check"] is True
