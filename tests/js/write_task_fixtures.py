"""Writes the cases the task workbenches' local mode is checked against (tests/js/fixtures/tasks.json,
not committed): tests/js/tasks.test.js runs this first, then holds static/js/local/ to it.

Every expected value is the server's: a pasted private key as keys.load_private_key reads it (its
format and repairs, or the code and sentence it refuses it with), signatures from keys.rsa_sign,
the messages and string1 from the engines' key-independent halves, a decryption's outcome from
run_v3_decrypt — and the data the browser gets is what the view builds (views._local_json). The
cases are the suite's published vectors (tests/diagnostics/test_peer_vectors.py, vectors/) and
generated ones: keys in every form a merchant pastes, damaged in the ways copying damages them.

    python tests/js/write_task_fixtures.py
"""

from __future__ import annotations

import base64
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
FIXTURES = Path(__file__).resolve().parent / "fixtures"
VECTORS = ROOT / "tests" / "diagnostics" / "vectors"

import django  # noqa: E402

django.setup()

from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, rsa  # noqa: E402
from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402

from diagnostics.baidu.signing import prepare_sign  # noqa: E402
from diagnostics.core.findings import ParseError  # noqa: E402
from diagnostics.core.keys import (  # noqa: E402
    MAX_KEY_CHARS,
    MAX_RSA_BITS,
    MAX_RSA_EXPONENT,
    load_private_key,
    load_public_key,
    rsa_sign,
)
from diagnostics.forms.local_mode import LOCAL_KEY_NOTES, local_key_messages  # noqa: E402
from diagnostics.views import _local_json  # noqa: E402
from diagnostics.wechat_v3.sensitive import run_sensitive_local  # noqa: E402
from diagnostics.wechat_v3.sensitive_crypto import decrypt_sensitive, looks_encrypted  # noqa: E402
from diagnostics.wechat_v3.signing import build_message, prepare_request  # noqa: E402
from diagnostics.wechat_v3.workbenches import run_v3_decrypt, run_v3_decrypt_local  # noqa: E402
from tests.web.keys import self_signed  # noqa: E402

NONE = serialization.NoEncryption()
# wechatpay-go utils/sign_test.go TestSha256WithRsa: "source" signed with its published test key.
PUBLISHED_SOURCE_SIGNATURE = (
    "BKyAfU4iMCuvXMXS0Wzam3V/cnxZ+JaqigPM5OhljS2iOT95OO6Fsuml2JkFANJU9K6q9bLlDhPXuoV"
    "z+pp4hAm6pHU4ld815U4jsKu1RkyaII+1CYBUYC8TK0XtJ8FwUXXz8vZHh58rrAVN1XwNyvD1vfpxrMT4SL536GLwvpUHlCqIMzoZUguLl"
    "i/K8V29QiOhuH6IEqLNJn8e9b3nwNcQ7be3CzYGpDAKBfDGPCqCv8Rw5zndhlffk2FEA70G4hvMwe51qMN/RAJbknXG23bSlObuTCN7Ndj"
    "1aJGH6/L+hdwfLpUtJm4QYVazzW7DFD27EpSQEqA8bX9+8m1rLg=="
)


def pem(key: Any, fmt: serialization.PrivateFormat) -> str:
    return key.private_bytes(serialization.Encoding.PEM, fmt, NONE).decode()


def der_b64(key: Any, fmt: serialization.PrivateFormat) -> str:
    return base64.b64encode(key.private_bytes(serialization.Encoding.DER, fmt, NONE)).decode()


def certificate_pem(key: Any) -> tuple[str, str]:
    """A self-signed certificate of the key: (PEM, bare base64 of its DER)."""
    text = self_signed(key, "1900000001", 0x5157F09EFDC096DE15EBE81A47057A7232F1B8E1)
    return text, "".join(text.strip().split("\n")[1:-1])


def damaged(text: str, rng: random.Random) -> list[tuple[str, str]]:
    """The ways copying damages a PEM: cut short, a character changed, lines lost."""
    lines = text.strip().split("\n")
    body = lines[1:-1]
    middle = len(body) // 2
    flipped = list(body[middle])
    flipped[10] = "A" if flipped[10] != "A" else "B"  # a byte of the modulus changes
    return [
        ("no END line", "\n".join(lines[:-1])),
        (
            "a star in the body",
            "\n".join([lines[0], *body[:3], body[3][:5] + "*" + body[3][6:], *body[4:], lines[-1]]),
        ),
        ("a line lost", "\n".join([lines[0], *body[:middle], *body[middle + 1 :], lines[-1]])),
        (
            "a character changed",
            "\n".join([lines[0], *body[:middle], "".join(flipped), *body[middle + 1 :], lines[-1]]),
        ),
        ("the last line lost", "\n".join([lines[0], *body[:-1], lines[-1]])),
        (
            "a chunk cut from the end",
            "\n".join([lines[0], *body[:-3], body[-3][: rng.randrange(4, 40)], lines[-1]]),
        ),
        ("nothing between the lines", f"{lines[0]}\n{lines[-1]}"),
    ]


def pastes(rng: random.Random) -> list[tuple[str, str]]:
    """(name, paste) for every form a private key is pasted in, good and bad."""
    published = (VECTORS / "wechatpay-go_testing_key.pem").read_text()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    short = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    pkcs8 = pem(key, serialization.PrivateFormat.PKCS8)
    pkcs1 = pem(key, serialization.PrivateFormat.TraditionalOpenSSL)
    certificate, certificate_b64 = certificate_pem(key)
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    public_der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    encrypted = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"secret"),
    ).decode()
    ec_key = pem(
        ec.generate_private_key(ec.SECP256R1()), serialization.PrivateFormat.TraditionalOpenSSL
    )
    cases = [
        ("wechatpay-go's published test key", published),
        ("PKCS#8 PEM", pkcs8),
        ("PKCS#1 PEM", pkcs1),
        ("PKCS#8 bare base64", der_b64(key, serialization.PrivateFormat.PKCS8)),
        ("PKCS#1 bare base64", der_b64(key, serialization.PrivateFormat.TraditionalOpenSSL)),
        (
            "PKCS#8 bare base64 in lines",
            "\n".join(pem(key, serialization.PrivateFormat.PKCS8).split("\n")[1:-2]),
        ),
        ("CRLF line ends", pkcs8.replace("\n", "\r\n")),
        ("a BOM first", "\ufeff" + pkcs1),
        ("in quotes with literal \\n (from JSON)", json.dumps(pkcs8)),
        ("in single quotes", f"'{pkcs1}'"),
        ("spaces around", "   \n" + pkcs8 + "\n\n  "),
        ("the key then its certificate", pkcs8 + certificate),
        ("RSA 1024", pem(short, serialization.PrivateFormat.PKCS8)),
        ("a PKCS#1 body under the PKCS#8 label", pkcs1.replace("RSA PRIVATE KEY", "PRIVATE KEY")),
        ("its certificate", certificate),
        ("its certificate, bare base64", certificate_b64),
        ("the certificate then the key", certificate + pkcs8),
        ("its public key", public),
        ("its public key, bare base64", base64.b64encode(public_der).decode()),
        ("an encrypted key", encrypted),
        ("an EC key", ec_key),
        (
            "a CSR label",
            "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----",
        ),
        ("an unknown label", "-----BEGIN SSH2 KEY-----\nAAAA\n-----END SSH2 KEY-----"),
        (
            "dashes without a BEGIN line",
            "-----\n" + der_b64(key, serialization.PrivateFormat.PKCS8),
        ),
        ("only spaces", "  \n  "),
        ("base64 of nothing a key", base64.b64encode(rng.randbytes(300)).decode()),
        ("not base64", "这不是密钥"),
        ("a config line", "private_key=" + der_b64(key, serialization.PrivateFormat.PKCS8)[:80]),
        ("over the size cap", "A" * (MAX_KEY_CHARS + 1)),
    ]
    for name, text in damaged(pkcs8, rng) + damaged(pkcs1, rng):
        cases.append((f"damaged: {name}", text))
    big = rsa.generate_private_key(public_exponent=65537, key_size=MAX_RSA_BITS + 64)
    cases.append(("RSA over the size cap", pem(big, serialization.PrivateFormat.PKCS8)))
    return cases


def key_cases(rng: random.Random) -> list[dict[str, Any]]:
    messages = [
        "source",  # wechatpay-go's published signature
        build_message("1", "2", "3", "4", "5"),  # wechatpay-axios-plugin's published lines
        build_message("6", "7", "8", "9", ""),
        "appKey=MMMabc&dealId=470193086&totalAmount=11300&tpOrderId=3028903626",
        "",
        "中文 body 𝄞 \u00a0\r\n",
    ]
    cases = []
    for name, text in pastes(rng):
        case: dict[str, Any] = {"name": name, "paste": text}
        try:
            loaded = load_private_key(text)
        except ParseError as error:
            case["error"] = {"code": error.code, "message": str(error.message)}
        else:
            codes = [finding.code for finding in loaded.info.findings]
            case["ok"] = {
                "format": loaded.info.format,
                "notes": [code for code in codes if code in LOCAL_KEY_NOTES],
                "public_pem": loaded.key.public_key()
                .public_bytes(
                    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
                )
                .decode(),
                "signatures": [
                    {
                        "message": message,
                        "sha256": rsa_sign(loaded, message, hashes.SHA256()),
                        "sha1": rsa_sign(loaded, message, hashes.SHA1()),
                    }
                    for message in messages
                ],
            }
        cases.append(case)
    return cases


def sign_cases(rng: random.Random) -> list[dict[str, str]]:
    """Messages and string1 from the engines' key-independent halves, on generated requests."""
    alphabet = 'abcXYZ019&=_-中文支付测试 \n\r\t"{}:,/?'
    cases = []
    for index in range(120):
        body = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 80)))
        method = rng.choice(["POST", "GET", "put", "PATCH", "DELETE"])
        url = rng.choice(
            [
                "/v3/pay/transactions/jsapi",
                "https://api.mch.weixin.qq.com/v3/refund/domestic/refunds?x=1",
                "/v3/certificates",
            ]
        )
        prepared = prepare_request(
            method=method,
            url=url,
            timestamp=str(1554208460 + index),
            nonce=f"N{index:031d}",
            body=body,
        )
        cases.append({"name": f"APIv3 {method} #{index}", "message": prepared.message})
        params = {
            "appKey": "MMM" + str(index),
            "dealId": str(index),
            "totalAmount": str(index * 7),
            "tpOrderId": body[:20] or "x",
            "rsaSign": "x",
            "extra": body[:5],
        }
        string1 = prepare_sign(params).string1
        cases.append({"name": f"Baidu #{index}", "message": string1})
    return cases


def decrypt_values(**values: str) -> dict[str, str]:
    return {"notification": "", "associated_data": "", "nonce": "", "ciphertext": "", **values}


def seal(key: str, nonce: str, aad: str, plaintext: str) -> str:
    sealed = AESGCM(key.encode()).encrypt(nonce.encode(), plaintext.encode(), aad.encode())
    return base64.b64encode(sealed).decode()


def decrypt_cases(rng: random.Random) -> list[dict[str, Any]]:
    axios, java = "0123456789abcdef0123456789abcdef", "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb"
    key = "".join(
        rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789") for _ in range(32)
    )
    payment = json.dumps(
        {
            "mchid": "1900000109",
            "out_trade_no": "T1",
            "transaction_id": "4200000001",
            "trade_state": "SUCCESS",
            "amount": {"total": 100, "payer_total": 100, "currency": "CNY"},
            "success_time": "2026-11-28T10:00:00+08:00",
            "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
            "attach": "中文",
            "promotion_detail": [{"amount": 1, "goods_detail": [{"goods_id": "g"}]}],
            "paid": True,
        },
        ensure_ascii=False,
    )
    nonce, aad = "fdasflkja484", "transaction"
    sealed = seal(key, nonce, aad, payment)
    notification = json.dumps(
        {
            "resource": {
                "algorithm": "AEAD_AES_256_GCM",
                "ciphertext": sealed,
                "nonce": nonce,
                "associated_data": aad,
            }
        }
    )
    plus = next(c for c in (seal(key, f"n{i:011d}", aad, payment) for i in range(50)) if "+" in c)
    plus_nonce = next(
        f"n{i:011d}" for i in range(50) if "+" in seal(key, f"n{i:011d}", aad, payment)
    )
    cases = [
        # tests/diagnostics/test_peer_vectors.py DECRYPTIONS: the published vectors
        (
            "wechatpay-axios-plugin empty plaintext",
            axios,
            decrypt_values(
                associated_data="", nonce="0123456789abcdef", ciphertext="GvpmmdtYwexXIPhySs9Tlg=="
            ),
        ),
        (
            "wechatpay-axios-plugin hello",
            axios,
            decrypt_values(
                associated_data="world",
                nonce="0123456789abcdef",
                ciphertext="APoZlYpivU3HjbAiB4CvW1rAFr8J",
            ),
        ),
        (
            "wechatpay-java AeadAesCipherTest",
            java,
            decrypt_values(
                associated_data="associatedData",
                nonce="uluk4a9R25RW",
                ciphertext="ulwSiIajGClcvcOYvOQ7+l+0PAbzzwI=",
            ),
        ),
        (
            "wechatpay-java downloaded certificate",
            java,
            decrypt_values(
                associated_data="certificate",
                nonce="14b16c03dc1b",
                ciphertext=(VECTORS / "wechatpay-java_download_certificate_ciphertext.txt")
                .read_text()
                .strip(),
            ),
        ),
        ("a whole notification", key, decrypt_values(notification=notification)),
        ("a whole notification, wrong key", key[::-1], decrypt_values(notification=notification)),
        (
            "the three fields, wrong key",
            key[::-1],
            decrypt_values(associated_data=aad, nonce=nonce, ciphertext=sealed),
        ),
        ("key with a trailing space", key + " ", decrypt_values(notification=notification)),
        ("key as 64 hex digits", key.encode().hex(), decrypt_values(notification=notification)),
        ("key too short", key[:20], decrypt_values(notification=notification)),
        ("key with Chinese", "密钥" + key[:28], decrypt_values(notification=notification)),
        (
            "associated_data wrong",
            key,
            decrypt_values(associated_data="refund", nonce=nonce, ciphertext=sealed),
        ),
        (
            "associated_data with a space",
            key,
            decrypt_values(associated_data=aad + " ", nonce=nonce, ciphertext=sealed),
        ),
        (
            "nonce with a space",
            key,
            decrypt_values(associated_data=aad, nonce=nonce + " ", ciphertext=sealed),
        ),
        (
            "plus turned into a space",
            key,
            decrypt_values(
                associated_data=aad, nonce=plus_nonce, ciphertext=plus.replace("+", " ")
            ),
        ),
        (
            "a byte changed",
            key,
            decrypt_values(
                associated_data=aad,
                nonce=nonce,
                ciphertext=("B" if sealed[0] != "B" else "C") + sealed[1:],
            ),
        ),
        ("too short", key, decrypt_values(associated_data=aad, nonce=nonce, ciphertext="AAAA")),
        (
            "nonce of 11",
            key,
            decrypt_values(associated_data=aad, nonce=nonce[:11], ciphertext=sealed),
        ),
        (
            "not JSON plaintext",
            key,
            decrypt_values(
                associated_data=aad,
                nonce=nonce,
                ciphertext=seal(key, nonce, aad, "plain text 中文"),
            ),
        ),
        (
            "a JSON list plaintext",
            key,
            decrypt_values(
                associated_data=aad,
                nonce=nonce,
                ciphertext=seal(key, nonce, aad, '[1, {"a": null}]'),
            ),
        ),
    ]
    out = []
    for name, apiv3_key, values in cases:
        try:
            local = run_v3_decrypt_local(values)["local"]
        except ParseError:
            continue  # refused before any key is needed: the same answer in both modes, from the server
        case: dict[str, Any] = {
            "name": name,
            "key": apiv3_key,
            "data": json.loads(_local_json(local, None)),
        }
        try:
            result = run_v3_decrypt({**values, "apiv3_key": apiv3_key})
        except ParseError as error:
            case["server"] = {"error": {"code": error.code, "message": str(error.message)}}
        else:
            case["server"] = {
                "plaintext": result["decrypted"].plaintext,
                "pretty": result["pretty"],
                "summary": [list(row) for row in result["summary"]],
                "personal": result["personal_fields"],
            }
        out.append(case)
    return out


def sensitive_cases() -> list[dict[str, Any]]:
    """Values WeChat Pay returns (and the slips around them), opened by the server with the
    published test key: the plan the browser gets (run_sensitive_local) and the server's outcome."""
    from cryptography.hazmat.primitives.asymmetric import padding

    published = (VECTORS / "wechatpay-go_testing_key.pem").read_text()
    key = load_private_key(published)
    public = key.key.public_key()
    public_pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()

    def oaep(algorithm: hashes.HashAlgorithm) -> padding.OAEP:
        return padding.OAEP(mgf=padding.MGF1(algorithm), algorithm=algorithm, label=None)

    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode()

    once = b64(public.encrypt(b"13800138000", oaep(hashes.SHA1())))
    values = [
        ("a name, OAEP SHA-1", b64(public.encrypt("张三".encode(), oaep(hashes.SHA1())))),
        ("PKCS#1 v1.5", b64(public.encrypt("张三".encode(), padding.PKCS1v15()))),
        ("OAEP SHA-256", b64(public.encrypt("张三".encode(), oaep(hashes.SHA256())))),
        ("another key", b64(other.encrypt("张三".encode(), oaep(hashes.SHA1())))),
        ("not UTF-8", b64(public.encrypt(b"\xff\xfe\x00", oaep(hashes.SHA1())))),
        ("encrypted twice", b64(public.encrypt(once[:190].encode(), oaep(hashes.SHA1())))),
        ("empty plaintext", b64(public.encrypt(b"", oaep(hashes.SHA1())))),
    ]
    # A value that is itself an RSA-2048 ciphertext's Base64 needs 344 characters: more than one
    # OAEP block holds (214 bytes), so "encrypted twice" is checked on its own below.
    cases = []
    for name, ciphertext in values:
        form = {
            "mode": "decrypt",
            "ciphertext": ciphertext,
            "local_key": load_public_key(public_pem),
        }
        form["local_key_info"] = form["local_key"].info
        local = run_sensitive_local(form)
        case: dict[str, Any] = {
            "name": name,
            "paste": published,
            "data": json.loads(_local_json(local["local"], None))["sensitive"],
        }
        try:
            decryption = decrypt_sensitive(ciphertext, key)
        except ParseError as error:
            case["server"] = {"error": {"code": error.code, "message": str(error.message)}}
        else:
            codes = [finding.code for finding in decryption.findings]
            case["server"] = {
                "plaintext": decryption.plaintext,
                "not_utf8": "plaintext_not_utf8" in codes,
                "twice": "encrypted_twice" in codes,
            }
        cases.append(case)
    return cases


def main() -> None:
    FIXTURES.mkdir(exist_ok=True)
    rng = random.Random(17)
    data = {
        "caps": {
            "max_chars": MAX_KEY_CHARS,
            "max_bits": MAX_RSA_BITS,
            "max_exponent": MAX_RSA_EXPONENT,
        },
        "catalogue": local_key_messages(),
        "published_source_signature": PUBLISHED_SOURCE_SIGNATURE,
        "keys": key_cases(rng),
        "signs": sign_cases(rng),
        "decrypts": decrypt_cases(rng),
        "sensitive": sensitive_cases(),
        "looks_encrypted": [
            {"text": text, "server": looks_encrypted(text)}
            for text in (
                base64.b64encode(bytes(256)).decode(),
                base64.b64encode(bytes(256)).decode().replace("+", "-") + "\n",
                base64.b64encode(bytes(384)).decode(),
                base64.b64encode(bytes(255)).decode(),
                "  "
                + base64.b64encode(bytes(512)).decode()[:100]
                + "\n"
                + base64.b64encode(bytes(512)).decode()[100:],
                "张三",
                "",
            )
        ],
    }
    target = FIXTURES / "tasks.json"
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    partial.replace(target)


if __name__ == "__main__":
    main()
