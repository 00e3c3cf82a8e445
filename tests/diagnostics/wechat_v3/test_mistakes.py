"""Each drift is injected by signing the drifted message with cryptography, then searched for."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from diagnostics.wechat_v3.mistakes import MAX_CANDIDATES, mistake_search, response_mistake_search

TS = "1554208460"
NONCE = "593BEC0C930BF1AFEB40B4A08C8FB242"
PATH = "/v3/pay/transactions/id/4200000001?mchid=1230000109"
DOCUMENT = {
    "mchid": "1230000109",
    "description": "腾讯充值中心-QQ会员充值",
    "notify_url": "https://a.b/n",
}
BODY = json.dumps(DOCUMENT, ensure_ascii=False, separators=(",", ":"))


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def private_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def signed(key, message: str, scheme: str = "") -> str:
    if scheme == "pss":
        pad = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.MAX_LENGTH)
        raw = key.sign(message.encode(), pad, hashes.SHA256())
    else:
        algorithm = hashes.SHA1() if scheme == "sha1" else hashes.SHA256()
        raw = key.sign(message.encode(), padding.PKCS1v15(), algorithm)
    return base64.b64encode(raw).decode()


def search(key, signature: str, method: str = "POST", url: str = PATH, body: str = BODY, **extra):
    return mistake_search(
        method=method,
        url=url,
        timestamp=TS,
        nonce=NONCE,
        body=body,
        signature=signature,
        public_key=public_pem(key),
        **extra,
    )


def found(result) -> dict[str, str]:
    return {mistake.code: mistake.message for mistake in result.found}


def test_the_correct_signature_is_reported_correct_without_mistakes(key):
    result = search(key, signed(key, f"POST\n{PATH}\n{TS}\n{NONCE}\n{BODY}\n"))
    assert result.correct is True
    assert result.found == ()
    assert [f.code for f in result.findings] == ["signature_correct"]


BODY_SPACED = json.dumps(DOCUMENT, ensure_ascii=False)  # Python's default separators ", " ": "
BODY_SORTED = json.dumps(DOCUMENT, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
BODY_ESCAPED = json.dumps(DOCUMENT, separators=(",", ":"))  # \\uXXXX for the Chinese text
BODY_PHP = BODY_ESCAPED.replace("/", "\\/")


@pytest.mark.parametrize(
    ("signed_message", "code"),
    [
        (f"POST\n{PATH}\n{TS}\n{NONCE}\n{BODY_SPACED}\n", "body_reserialised"),
        (f"POST\n{PATH}\n{TS}\n{NONCE}\n{BODY_SORTED}\n", "body_reserialised"),
        (f"POST\n{PATH}\n{TS}\n{NONCE}\n{BODY_ESCAPED}\n", "body_reserialised"),
        (f"POST\n{PATH}\n{TS}\n{NONCE}\n{BODY_PHP}\n", "body_reserialised"),
        (f"POST\n{PATH}\n{TS}\n{NONCE}\n\n", "body_not_signed"),
        (f"POST\n/v3/pay/transactions/id/4200000001\n{TS}\n{NONCE}\n{BODY}\n", "query_not_signed"),
        (f"POST\nhttps://api.mch.weixin.qq.com{PATH}\n{TS}\n{NONCE}\n{BODY}\n", "host_signed"),
        (f"POST\n{PATH}\n{TS}\n{NONCE}\n{BODY}", "final_newline_missing"),
        (f"POST\r\n{PATH}\r\n{TS}\r\n{NONCE}\r\n{BODY}\r\n", "crlf_line_ends"),
        (f"post\n{PATH}\n{TS}\n{NONCE}\n{BODY}\n", "method_lowercase"),
        (f"POST\n{PATH}\n{TS}000\n{NONCE}\n{BODY}\n", "timestamp_milliseconds"),
    ],
)
def test_each_message_drift_is_found_with_the_message_that_was_signed(key, signed_message, code):
    result = search(key, signed(key, signed_message))
    assert found(result)[code] == signed_message
    assert result.correct is False


@pytest.mark.parametrize(
    ("scheme", "code"), [("sha1", "sha1_not_sha256"), ("pss", "pss_not_pkcs1")]
)
def test_the_wrong_hash_or_padding_is_found(key, scheme, code):
    message = f"POST\n{PATH}\n{TS}\n{NONCE}\n{BODY}\n"
    result = search(key, signed(key, message, scheme))
    assert found(result)[code] == message


def test_a_pair_of_drifts_is_found(key):
    message = f"POST\r\n{PATH}\r\n{TS}\r\n{NONCE}\r\n{BODY_SPACED}\r\n"
    result = search(key, signed(key, message))
    assert found(result)["body_reserialised+crlf_line_ends"] == message


def test_a_drift_with_the_wrong_hash_is_found(key):
    message = f"POST\n/v3/pay/transactions/id/4200000001\n{TS}\n{NONCE}\n{BODY}\n"
    result = search(key, signed(key, message, "sha1"))
    assert found(result)["query_not_signed+sha1_not_sha256"] == message


def test_the_host_of_a_full_url_is_the_one_tried(key):
    message = f"GET\nhttps://api2.mch.weixin.qq.com/v3/certificates\n{TS}\n{NONCE}\n\n"
    result = search(
        key,
        signed(key, message),
        method="GET",
        url="https://api2.mch.weixin.qq.com/v3/certificates",
    )
    assert found(result)["host_signed"] == message


def test_a_signature_by_another_key_verifies_nowhere(key, other_key):
    result = search(key, signed(other_key, f"POST\n{PATH}\n{TS}\n{NONCE}\n{BODY}\n"))
    assert (result.correct, result.found) == (False, ())
    assert [f.code for f in result.findings] == ["nothing_verifies"]


def test_a_private_key_that_is_not_the_certificates_pair_is_named(key, other_key):
    message = f"POST\n{PATH}\n{TS}\n{NONCE}\n{BODY}\n"
    result = search(key, signed(other_key, message), private_key=private_pem(other_key))
    assert "key_pair_mismatch" in [f.code for f in result.findings]
    assert found(result)["key_pair_mismatch"] == message


def test_the_search_stays_under_its_candidate_budget(key, other_key):
    result = search(key, signed(other_key, "nothing"), private_key=private_pem(other_key))
    assert 100 < result.candidates_tried <= MAX_CANDIDATES


def test_a_signature_that_is_not_base64_is_named(key):
    result = search(key, "***")
    assert [f.code for f in result.findings] == ["signature_not_base64"]


def test_a_response_body_reserialised_by_a_framework_is_found(key):
    wechat_body = json.dumps(DOCUMENT, ensure_ascii=False, separators=(",", ":"))
    signature = signed(key, f"{TS}\n{NONCE}\n{wechat_body}\n")
    pasted = json.dumps(DOCUMENT, ensure_ascii=False, indent=2)  # what the framework handed over
    result = response_mistake_search(
        timestamp=TS, nonce=NONCE, body=pasted, signature=signature, public_key=public_pem(key)
    )
    assert found(result)["body_reserialised"] == f"{TS}\n{NONCE}\n{wechat_body}\n"


def test_a_response_body_that_lost_its_trailing_newline_is_found(key):
    wechat_body = BODY + "\n"
    signature = signed(key, f"{TS}\n{NONCE}\n{wechat_body}\n")
    result = response_mistake_search(
        timestamp=TS, nonce=NONCE, body=BODY, signature=signature, public_key=public_pem(key)
    )
    assert found(result)["body_whitespace"] == f"{TS}\n{NONCE}\n{wechat_body}\n"


def test_a_pair_of_drifts_is_explained_in_english(key, translator):
    translator(
        {
            "你的签名能这样复现：{drifts}。": "Your signature is reproduced this way: {drifts}.",
            "，并且": ", and ",
            "方法写成了 {method}": "the method was written as {method}",
            "各行用 \\r\\n 分隔": "lines were separated by \\r\\n",
        }
    )
    message = f"post\r\n{PATH}\r\n{TS}\r\n{NONCE}\r\n{BODY}\r\n"
    result = search(key, signed(key, message))
    details = {m.code: str(m.detail) for m in result.found}
    assert details["method_lowercase+crlf_line_ends"] == (
        "Your signature is reproduced this way: the method was written as post, and lines were"
        " separated by \\r\\n."
    )
