"""V2 requests with a known mistake injected, signed by hand (hashlib/hmac, not the engine):
the cases local mode's parity test runs through both the server and the browser
(tests/js/write_fixtures.py), and the search tests reuse.

Each case is what a merchant types into the workbench: the pasted parameters (lines, XML or a pay
call), the key, the sign they got, the chosen sign_type, and what was injected.

>>> case = injected_case(random.Random(1), "not_sorted")
>>> case.injected
('not_sorted',)
"""

from __future__ import annotations

import hashlib
import hmac
import random
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

# What the generator injects: one of these, or two from different steps (the search's budget).
MISTAKES = (
    "empty_value_signed",
    "sign_field_signed",
    "field_missing",
    "not_sorted",
    "values_urlencoded",
    "values_urlencoded_plus",
    "key_whitespace",
    "key_not_appended",
    "key_appended_without_name",
    "key_appended_amp",
    "wrong_algorithm",
    "non_utf8_encoding",
    "lowercase_digest",
)
# Mistakes that are variants of one step: two of them are never combined (the search's pairs are
# from two different steps).
_STEP = {
    "values_urlencoded_plus": "values_urlencoded",
    "key_appended_without_name": "key_not_appended",
    "key_appended_amp": "key_not_appended",
}
# Mistakes the findings explain (pay calls) and the ones nothing explains.
PAY_CALL_MISTAKES = (
    "timestamp_millis_signed",
    "timestamp_seconds_signed",
    "name_case",
    "sign_type_value",
)
OTHER = ("correct", "wrong_key", "correct_no_sign")

_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_VALUES = [
    "JSAPI 支付测试",
    "a b",
    "x+y=z",
    "100",
    "中文&符号",
    "https://example.com/n?a=1",
    "",
    "  ",
]


@dataclass(frozen=True)
class Case:
    preset: str
    raw: str
    key: str
    expected_sign: str  # "" when the merchant has none
    sign_type: str  # the form's choice ("" = automatic)
    injected: tuple[str, ...]


def _word(rng: random.Random, size: int) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(size))


def _signed(
    pairs: list[tuple[str, str]],
    key: str,
    algorithm: str,
    mistakes: tuple[str, ...] = (),
    rng: random.Random | None = None,
) -> str:
    """The sign a program with these mistakes sends, computed from scratch (002 §3.2)."""
    chosen = [
        (name, value)
        for name, value in pairs
        if (name not in ("sign", "paySign") or "sign_field_signed" in mistakes)
        and (value.strip() or "empty_value_signed" in mistakes or name in ("sign", "paySign"))
    ]
    if "field_missing" in mistakes:
        present = [
            name for name, value in chosen if value.strip() and name not in ("sign", "paySign")
        ]
        dropped = (rng or random.Random(0)).choice(present)
        chosen = [(name, value) for name, value in chosen if name != dropped]
    if "not_sorted" not in mistakes:
        chosen.sort(key=lambda pair: pair[0])
    if "values_urlencoded" in mistakes:
        chosen = [(name, quote(value, safe="")) for name, value in chosen]
    if "values_urlencoded_plus" in mistakes:
        chosen = [(name, quote_plus(value)) for name, value in chosen]
    string1 = "&".join(f"{name}={value}" for name, value in chosen)
    key_text = key + "\n" if "key_whitespace" in mistakes else key
    if "key_not_appended" in mistakes:
        temp = string1
    elif "key_appended_without_name" in mistakes:
        temp = string1 + key_text
    elif "key_appended_amp" in mistakes:
        temp = string1 + "&" + key_text
    else:
        temp = string1 + "&key=" + key_text
    if "wrong_algorithm" in mistakes:
        algorithm = "MD5" if algorithm == "HMAC-SHA256" else "HMAC-SHA256"
    encoding = "gbk" if "non_utf8_encoding" in mistakes else "utf-8"
    data = temp.encode(encoding)
    if algorithm == "HMAC-SHA256":  # a program that encodes in GBK encodes the key so too
        digest = hmac.new(key_text.encode(encoding), data, hashlib.sha256).hexdigest()
    else:
        digest = hashlib.md5(data).hexdigest()
    return digest if "lowercase_digest" in mistakes else digest.upper()


def _request(rng: random.Random) -> list[tuple[str, str]]:
    names = rng.sample(
        [
            "appid",
            "mch_id",
            "nonce_str",
            "body",
            "attach",
            "out_trade_no",
            "total_fee",
            "notify_url",
            "trade_type",
            "openid",
            "device_info",
            "detail",
            "zeta",
        ],
        rng.randrange(3, 10),
    )
    pairs = [
        (name, rng.choice(_VALUES) if rng.random() < 0.4 else _word(rng, rng.randrange(1, 20)))
        for name in names
    ]
    if not any(value.strip() for _name, value in pairs):
        pairs.append(("appid", _word(rng, 18)))
    return pairs


def _lines(pairs: list[tuple[str, str]]) -> str:
    return "\n".join(f"{name}={value}" for name, value in pairs)


def injected_case(rng: random.Random, mistake: str, second: str = "", key: str = "") -> Case:
    """A free-form request (lines) signed with ``mistake`` (and ``second``) injected."""
    key = key or _word(rng, 32)
    algorithm = rng.choice(["MD5", "HMAC-SHA256"])
    pairs = [*_request(rng), ("sign_type", algorithm)]
    mistakes = tuple(m for m in (mistake, second) if m)
    if mistake == "correct":
        mistakes = ()
    signing_key = _word(rng, 32) if mistake == "wrong_key" else key
    sign = _signed(pairs, signing_key, algorithm, mistakes, rng)
    if mistake == "correct_no_sign":
        sign = ""
    if rng.random() < 0.5 and sign:
        # the sign pasted with the params (it never signs itself) or typed apart
        pairs.insert(rng.randrange(len(pairs)), ("sign", sign))
        return Case("free", _lines(pairs), key, "", "", mistakes or (mistake,))
    return Case("free", _lines(pairs), key, sign, "", mistakes or (mistake,))


def pay_call_case(rng: random.Random, mistake: str) -> Case:
    """A JSAPI pay call whose paySign was computed over something else than what is sent."""
    key = _word(rng, 32)
    seconds = str(rng.randrange(1_600_000_000, 1_900_000_000))
    millis = f"{rng.randrange(1000):03d}"
    sent = [
        ("appId", "wx" + _word(rng, 16)),
        ("timeStamp", seconds),
        ("nonceStr", _word(rng, 16)),
        ("package", "prepay_id=wx" + _word(rng, 20)),
        ("signType", "MD5"),
    ]
    signed = list(sent)
    if mistake == "timestamp_millis_signed":
        signed[1] = ("timeStamp", seconds + millis)
    elif mistake == "timestamp_seconds_signed":
        sent[1] = ("timeStamp", seconds + millis)  # the page sends milliseconds
    elif mistake == "name_case":
        signed[0] = ("appid", signed[0][1])
    elif mistake == "sign_type_value":
        signed[4] = ("signType", "HMAC-SHA256")
    sign = _signed(signed, key, "MD5")
    raw = _lines([*sent, ("paySign", sign)])
    return Case("jsapi", raw, key, "", "", (mistake,))


def cases(seed: int = 17, count: int = 300) -> list[Case]:
    """Every mistake alone, every pair from different steps once, then random ones to ``count``."""
    rng = random.Random(seed)
    out = [injected_case(rng, mistake) for mistake in (*MISTAKES, *OTHER)]
    out += [pay_call_case(rng, mistake) for mistake in PAY_CALL_MISTAKES]
    # A key that is not ASCII (a misconfiguration): its GBK bytes differ from its UTF-8 ones.
    for mistake in ("non_utf8_encoding", "correct", "key_whitespace"):
        out.append(injected_case(rng, mistake, key="商户密钥" + _word(rng, 28)))
    for index, first in enumerate(MISTAKES):
        for second in MISTAKES[index + 1 :]:
            if _STEP.get(first, first) != _STEP.get(second, second):
                out.append(injected_case(rng, first, second))
    while len(out) < count:
        if rng.random() < 0.15:
            out.append(pay_call_case(rng, rng.choice(PAY_CALL_MISTAKES)))
        else:
            first, second = (
                rng.sample(MISTAKES, 2) if rng.random() < 0.5 else (rng.choice(MISTAKES), "")
            )
            out.append(injected_case(rng, first, second))
    return out


def published_cases() -> list[Case]:
    """The published V2 vectors the suite holds (tests/diagnostics/test_peer_vectors.py: each sign
    reproduces there with hashlib), each as sent with its sign, then with the sign lower-cased
    (a mistake the search must name); and 002 §3.2's example, whose printed sign does not
    reproduce from its printed inputs (the README says so)."""
    from diagnostics.wechat_v2.fields import DEMO_3_2_KEY, DEMO_3_2_PARAMS, DEMO_3_2_PRINTED_SIGN
    from tests.diagnostics.test_peer_vectors import V2_SIGNS, WX_KEY

    out = []
    for vector in V2_SIGNS:
        pairs, sign_type, published = vector.values
        raw = _lines(pairs)  # the sign_type chosen in the form: the vectors sign without it
        out.append(Case("free", raw, WX_KEY, published, sign_type, ("published",)))
        out.append(Case("free", raw, WX_KEY, published.lower(), sign_type, ("published_lower",)))
    out.append(
        Case(
            "free", _lines(DEMO_3_2_PARAMS), DEMO_3_2_KEY, DEMO_3_2_PRINTED_SIGN, "", ("002 §3.2",)
        )
    )
    return out
