"""WeChat Pay V2 signing (002 §3.2), every step kept so the page can show it.

a. drop the parameters whose value is empty, and ``sign`` itself; sort the rest by name in ASCII
   order and join them as ``name=value&...`` -> string1;
b. append ``&key=KEY`` -> stringSignTemp; MD5 it (or HMAC-SHA256 with KEY as the HMAC key, still
   appending ``&key=KEY``, as WeChat Pay does) and upper-case the hex digest -> sign.

>>> sign([("b", "2"), ("a", "1"), ("c", "")], "K", "MD5").string1
'a=1&b=2'
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass

MD5 = "MD5"
HMAC_SHA256 = "HMAC-SHA256"
SIGN_TYPES = (MD5, HMAC_SHA256)

# The signature travels in the payload but never signs itself: ``sign`` in API calls,
# ``paySign`` in the JSAPI getBrandWCPayRequest call (002 §4.4). A tuple: the report looks for
# the pasted sign in this order, the same in every process (a set's order is not).
SIGN_FIELDS = ("sign", "paySign")

Pairs = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Excluded:
    name: str
    reason: str  # "empty" or "sign"

    @property
    def message(self) -> str:
        if self.reason == "sign":
            return "签名字段本身不参与签名（002 §3.2）"
        return "值为空的参数不参与签名（002 §3.2 a）"


@dataclass(frozen=True)
class SignSteps:
    """The result of each step of 002 §3.2, as the platform performs them."""

    sign_type: str
    included: tuple[tuple[str, str], ...]
    excluded: tuple[Excluded, ...]
    string1: str
    string_sign_temp: str
    digest: str  # lower-case hex, as the hash function returns it
    sign: str  # the digest upper-cased: what must be sent


def is_empty(value: str) -> bool:
    return value.strip() == ""


def select_fields(pairs: Pairs) -> tuple[list[tuple[str, str]], list[Excluded]]:
    """Split the pairs into those that take part in the signature and those dropped, with why."""
    included: list[tuple[str, str]] = []
    excluded: list[Excluded] = []
    for name, value in pairs:
        if name in SIGN_FIELDS:
            excluded.append(Excluded(name, "sign"))
        elif is_empty(value):
            excluded.append(Excluded(name, "empty"))
        else:
            included.append((name, value))
    return included, excluded


def key_suffix(key: str) -> str:
    return f"&key={key}"


def digest_hex(message: str, key: str, sign_type: str) -> str:
    """The lower-case hex digest of ``message``: MD5, or HMAC-SHA256 keyed with ``key``."""
    data = message.encode("utf-8")
    if sign_type == HMAC_SHA256:
        return hmac.new(key.encode("utf-8"), data, hashlib.sha256).hexdigest()
    return hashlib.md5(data).hexdigest()


def string1_of(pairs: Pairs) -> str:
    """string1 alone (002 §3.2 a): what the key is appended to; no key needed."""
    included, _excluded = select_fields(pairs)
    included.sort(key=lambda pair: pair[0])  # by the names' code points: ASCII order
    return "&".join(f"{name}={value}" for name, value in included)


def sign(pairs: Pairs, key: str, sign_type: str = MD5) -> SignSteps:
    """Sign ``pairs`` with ``key`` the way WeChat Pay V2 checks it."""
    if sign_type not in SIGN_TYPES:
        raise ValueError(f"unknown sign_type {sign_type!r}")
    included, excluded = select_fields(pairs)
    included.sort(key=lambda pair: pair[0])  # by the names' code points: ASCII order
    string1 = "&".join(f"{name}={value}" for name, value in included)
    string_sign_temp = string1 + key_suffix(key)
    digest = digest_hex(string_sign_temp, key, sign_type)
    return SignSteps(
        sign_type=sign_type,
        included=tuple(included),
        excluded=tuple(excluded),
        string1=string1,
        string_sign_temp=string_sign_temp,
        digest=digest,
        sign=digest.upper(),
    )


def mask_key(key: str, visible: int = 4) -> str:
    """The key with all but its last ``visible`` characters hidden: ``••••••••519d``."""
    if len(key) <= visible:
        return "•" * len(key)
    return "•" * (len(key) - visible) + key[-visible:]


def guess_sign_type(sign_value: str) -> str | None:
    """32 hex characters is an MD5 sign, 64 an HMAC-SHA256 one; anything else says nothing."""
    text = sign_value.strip()
    if not all(char in "0123456789abcdefABCDEF" for char in text):
        return None
    return {32: MD5, 64: HMAC_SHA256}.get(len(text))
