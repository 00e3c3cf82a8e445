"""Local mode (本地计算, issue 17) on the Alipay notification page, engine side: the browser keeps
the optional 应用私钥 and posts its public half; with that half the verification is the one server
mode makes with the key — the merchant's own 应用公钥 pasted as the 支付宝公钥 is named, a right
setup verifies, and no key at all is no error. Signatures are made here with cryptography."""

from __future__ import annotations

from functools import cache
from urllib.parse import quote_plus, unquote_plus

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from diagnostics.alipay.workbenches import (
    run_alipay_notify,
    run_alipay_notify_local,
)
from diagnostics.core.keys import load_public_key
from tests.diagnostics.alipay.helpers import private_pem, public_pem, rsa_sign, rsa_verifies

NOTIFICATION = {
    "notify_time": "2026-11-28 16:30:00",
    "notify_type": "trade_status_sync",
    "app_id": "2021000000000001",
    "charset": "utf-8",
    "version": "1.0",
    "sign_type": "RSA2",
    "trade_no": "2026112822001400000000000001",
    "out_trade_no": "20261128000001",
    "trade_status": "TRADE_SUCCESS",
    "total_amount": "88.88",
    "subject": "话费充值 a&b",
}


@cache
def alipay_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@cache
def app_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def string_to_sign() -> str:
    """《自行实现验签》 by hand: sign and sign_type out, the rest sorted, k=v joined with &."""
    return "&".join(f"{n}={v}" for n, v in sorted(NOTIFICATION.items()) if n != "sign_type")


def notification() -> str:
    """The POST body as Alipay sends it: URL-encoded, signed with the 支付宝私钥."""
    sign = rsa_sign(alipay_key(), string_to_sign())
    return "&".join(f"{n}={quote_plus(v)}" for n, v in [*NOTIFICATION.items(), ("sign", sign)])


def codes(result: dict) -> list[str]:
    return [finding.code for finding in result["verification"].findings]


def both_modes(public_key: str, with_key: bool, app_public_key: str = "") -> tuple[dict, dict]:
    """The server mode result (the 应用私钥 pasted) and the local one (its public half posted)."""
    values = {
        "params": notification(),
        "public_key": public_key,
        "their_string": "",
        "app_public_key": app_public_key,
    }
    server = run_alipay_notify(
        {**values, "private_key": private_pem(app_key()) if with_key else ""}
    )
    half = load_public_key(public_pem(app_key())) if with_key else None
    local = run_alipay_notify_local({**values, "private_key": "", "local_key": half})
    return server, local


def test_the_signature_made_here_verifies_with_the_alipay_key():
    # The truth the cases below stand on, from cryptography alone.
    signature = notification().rsplit("sign=", 1)[1]
    assert rsa_verifies(alipay_key(), string_to_sign(), unquote_plus(signature))
    assert not rsa_verifies(app_key(), string_to_sign(), unquote_plus(signature))


def test_the_app_public_key_pasted_as_the_alipay_key_is_named_from_the_public_half():
    server, local = both_modes(public_pem(app_key()), with_key=True)
    assert local["verification"].valid is server["verification"].valid is False
    assert "app_public_key_used" in codes(local)
    assert codes(local) == codes(server)
    assert local["verification"] == server["verification"]
    assert local["local"] == {"key_check": True}


def test_a_right_setup_verifies_in_both_modes():
    server, local = both_modes(public_pem(alipay_key()), with_key=True)
    assert local["verification"].valid is server["verification"].valid is True
    assert "app_public_key_used" not in codes(local)
    assert local["verification"] == server["verification"]
    assert local["key_info"] == server["key_info"]


@pytest.mark.parametrize("pasted", ["alipay", "app"])
def test_without_a_private_key_both_modes_agree_and_nothing_names_the_app_key(pasted):
    key = alipay_key() if pasted == "alipay" else app_key()
    server, local = both_modes(public_pem(key), with_key=False)
    assert local["verification"].valid is server["verification"].valid is (pasted == "alipay")
    assert "app_public_key_used" not in codes(local)
    assert local["verification"] == server["verification"]
    assert local["local"] == {"key_check": False}


def test_the_app_public_key_field_still_names_the_key_in_local_mode():
    server, local = both_modes(
        public_pem(app_key()), with_key=False, app_public_key=public_pem(app_key())
    )
    assert "app_public_key_used" in codes(local) and codes(local) == codes(server)
