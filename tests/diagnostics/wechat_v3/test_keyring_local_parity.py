"""密钥体检 in local mode (本地计算) against server mode: the same cases through both, the same ring.

Server mode: ``examine`` on the paste and the fields. Local mode: the browser's half
(static/js/local/keyring-page.js, run in Node by tests/js/keyring_driver.mjs) splits the paste and
keeps its secrets, the form reads its post (v3_keyring.read_browser_ring), ``examine_local`` judges
it and names the pairs to open, the browser opens them, the server judges again. Every item (its
label, facts, serial, dates, findings), relation, job and finding must be the same — and no post
may hold a secret in any encoding.

The cases: what merchants paste (the key, both certificates, the /v3/certificates answer, the
keys in configuration lines, serials, mchids; the wechatpay-java and wechatpay-go published
answers), the slips the key ring names (keys swapped, spaces, a serial as the key, a damaged or
encrypted or EC private key, too many keys or items), and 160 generated mixtures.
"""

from __future__ import annotations

import base64
import json
import random
import shutil
import subprocess
import urllib.parse
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from diagnostics.core.findings import ParseError
from diagnostics.forms.v3_keyring import read_browser_ring
from diagnostics.wechat_v3.keyring import KeyRing, examine
from diagnostics.wechat_v3.keyring_local import examine_local
from tests.diagnostics.wechat_v3.test_keyring import (
    API_KEY,
    APIV3_KEY,
    MCHID,
    MERCHANT_SERIAL,
    NOW,
    PLATFORM_SERIAL,
    PUB_KEY_ID,
    WECHATPAY_GO_CIPHERTEXT,
    certificates_answer,
    ec_private_pem,
    java_answer,
    merchant_cert,
    pem,
    platform_cert,
    rsa_key,
    wechatpay_public_pem,
)

ROOT = Path(__file__).resolve().parents[3]
DRIVER = ROOT / "tests" / "js" / "keyring_driver.mjs"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="Node ≥ 20 runs the browser's half")


@dataclass
class Case:
    name: str
    paste: str
    secrets: list[str] = field(default_factory=list)  # what no post may hold
    apiv3_key: str = ""
    key: str = ""
    mchid: str = ""
    serial_no: str = ""
    wechatpay_serial: str = ""


def private_key_pem(key: rsa.RSAPrivateKey, pkcs1: bool = False) -> str:
    format_ = (
        serialization.PrivateFormat.TraditionalOpenSSL
        if pkcs1
        else serialization.PrivateFormat.PKCS8
    )
    return key.private_bytes(
        serialization.Encoding.PEM, format_, serialization.NoEncryption()
    ).decode()


def body_of(text: str) -> str:
    """A PEM's base64 body on one line."""
    return "".join(line for line in text.strip().splitlines() if "-----" not in line)


def key_secrets(text: str) -> list[str]:
    """A private key as a secret: its body, and each of its lines long enough to mean something."""
    body = body_of(text)
    lines = [line for line in text.splitlines() if len(line) >= 40 and "-----" not in line]
    return [body, *lines]


@cache
def merchant_private() -> str:
    return private_key_pem(rsa_key("merchant"))


def go_answer() -> str:
    return (
        '{"data":[{"effective_time":"2021-04-27T16:55:23+08:00","encrypt_certificate":{'
        '"algorithm":"AEAD_AES_256_GCM","associated_data":"certificate","ciphertext":"'
        + WECHATPAY_GO_CIPHERTEXT
        + '","nonce":"3a584b49ed9b"},"expire_time":"2031-04-25T16:55:23+08:00",'
        '"serial_no":"D7CE59D1F522D701"}]}'
    )


def written_cases() -> list[Case]:
    private = merchant_private()
    merchant = pem(merchant_cert())
    platform = pem(platform_cert())
    serial = format(MERCHANT_SERIAL, "040X")
    platform_serial = format(PLATFORM_SERIAL, "040X")
    secrets = [*key_secrets(private), APIV3_KEY, API_KEY]
    java, java_key = java_answer()
    pkcs1 = private_key_pem(rsa_key("merchant"), pkcs1=True)
    bare = body_of(private)
    ec_key = ec_private_pem()
    ec_lines = ec_key.strip().split("\n")
    ec_short = "\n".join([*ec_lines[:2], *ec_lines[3:]])  # a base64 line lost in the middle
    encrypted = (
        rsa_key("merchant")
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"secret"),
        )
        .decode()
    )
    damaged = private[:-200] + private[-60:]  # a line lost in the middle of the copy
    # Cut short but still base64 with its "==" after a complete group (Python decodes that).
    data = body_of(private).rstrip("=")
    short = data[: len(data) // 4 * 4 - 8] + "=="
    lines = [short[at : at + 64] for at in range(0, len(short), 64)]
    padded = "\n".join(["-----BEGIN PRIVATE KEY-----", *lines, "-----END PRIVATE KEY-----"])
    others = [private_key_pem(rsa_key(f"other{n}")) for n in range(3)]
    return [
        Case(
            "everything at once",
            "\n".join(
                [
                    private,
                    merchant,
                    certificates_answer(),
                    f"apiv3_key={APIV3_KEY}",
                    f"key={API_KEY}",
                    f"mchid={MCHID}",
                    f"serial_no={serial}",
                    wechatpay_public_pem(),
                    PUB_KEY_ID,
                ]
            ),
            secrets,
            wechatpay_serial=platform_serial,
        ),
        Case(
            "the answer opened by a bare 32-character key",
            certificates_answer() + "\n" + APIV3_KEY,
            [APIV3_KEY],
        ),
        Case(
            "the answer not opened: the V2 key pasted as the APIv3 key",
            certificates_answer() + f"\napiv3_key={API_KEY}",
            [API_KEY],
        ),
        Case(
            "the V2 key field opens the answer: the keys are swapped",
            certificates_answer(),
            [APIV3_KEY, API_KEY],
            apiv3_key=API_KEY,
            key=APIV3_KEY,
        ),
        Case(
            "the same value in both key fields",
            private + merchant,
            [*key_secrets(private), APIV3_KEY],
            apiv3_key=APIV3_KEY,
            key=APIV3_KEY,
        ),
        Case(
            "both keys different, in YAML",
            f'wechat:\n  apiV3Key: "{APIV3_KEY}"\n  mch-key: "{API_KEY}"\n  mch-id: {MCHID}\n',
            [APIV3_KEY, API_KEY],
        ),
        Case(
            "spaces inside the quotes around the key",
            f'APIV3_KEY=" {APIV3_KEY} "\n' + certificates_answer(),
            [APIV3_KEY],
        ),
        Case(
            "a serial configured as the APIv3 key",
            f"apiv3_key={serial}\nmchid={MCHID}",
            [],
        ),
        Case("a 64-hex APIv3 key", "apiv3_key=" + "ab12" * 16, ["ab12" * 16]),
        Case(
            "the key in its field with a tab after it",
            "mchid=1900009191",
            [APIV3_KEY],
            apiv3_key=APIV3_KEY + "\t",
        ),
        Case("a PKCS#1 key and its certificate", pkcs1 + merchant, key_secrets(pkcs1)),
        Case("the key as bare base64 on one line", bare + "\n" + merchant, [bare]),
        Case(
            "the key as a JSON string with literal \\n",
            json.dumps({"privateKey": private, "mchId": MCHID}),
            [*key_secrets(private), private.replace("\n", "\\n")],
        ),
        Case(
            "the key in a .env value",
            "WECHAT_PRIVATE_KEY=" + bare + "\nWECHAT_MCHID=" + MCHID,
            [bare],
        ),
        Case("a damaged private key", damaged + merchant, key_secrets(damaged)),
        Case("a short key ending in extra padding", padded, key_secrets(padded)),
        Case("an encrypted private key", encrypted, key_secrets(encrypted)),
        Case("an EC private key", ec_key, key_secrets(ec_key)),
        Case("an EC private key cut short", ec_short, key_secrets(ec_short)),
        Case(
            "four private keys: the fourth is not read",
            "\n".join([private, *others]),
            [s for text in (private, *others) for s in key_secrets(text)],
        ),
        Case(
            "the merchant certificate against the wrong private key",
            others[0] + merchant + f"serial_no={serial}",
            key_secrets(others[0]),
        ),
        Case(
            "the platform certificate and its Wechatpay-Serial",
            platform + f"\nWechatpay-Serial: {platform_serial}\n",
            [],
        ),
        Case(
            "more than twenty items",
            "\n".join(f"mchid{n}={1900009100 + n}" for n in range(30)) + "\n" + APIV3_KEY,
            [APIV3_KEY],
        ),
        Case(
            "unrecognised pieces are counted",
            "hello 12345abcdefgh9 another-token-42xyz\n" + APIV3_KEY,
            [APIV3_KEY, "12345abcdefgh9", "another-token-42xyz"],
        ),
        Case("wechatpay-java's published answer and key", java + "\n" + java_key, [java_key]),
        Case(
            "wechatpay-go's published answer with its 16-character key",
            go_answer() + "\napiv3_key=mockAPIv3Key1234",
            ["mockAPIv3Key1234"],
        ),
        Case("a query string", f"mchid={MCHID}&apiv3_key={APIV3_KEY}&key={API_KEY}", secrets[-2:]),
        Case(
            "builder calls",
            f'.merchantId("{MCHID}").apiV3Key("{APIV3_KEY}").merchantSerialNumber("{serial}")',
            [APIV3_KEY],
        ),
        Case("nothing recognised", "hello world", []),
        Case("too large", "a" * (256 * 1024 + 1), []),
    ]


def generated_cases(count: int = 160) -> list[Case]:
    """Mixtures of what merchants paste, in random orders with random separators."""
    rng = random.Random(17)
    private = merchant_private()
    pieces: list[tuple[str, list[str]]] = [
        (private, key_secrets(private)),
        (
            private_key_pem(rsa_key("merchant"), pkcs1=True),
            key_secrets(private_key_pem(rsa_key("merchant"), pkcs1=True)),
        ),
        (body_of(private), [body_of(private)]),
        (pem(merchant_cert()), []),
        (pem(platform_cert()), []),
        (wechatpay_public_pem(), []),
        (pem(rsa_key("merchant").public_key()), []),
        (certificates_answer(), []),
        (certificates_answer(API_KEY), []),
        (f"apiv3_key={APIV3_KEY}", [APIV3_KEY]),
        (f"APIV3_KEY: '{API_KEY}'", [API_KEY]),
        (f"key={API_KEY}", [API_KEY]),
        (f'"mchKey" => "{APIV3_KEY}",', [APIV3_KEY]),
        (APIV3_KEY, [APIV3_KEY]),
        (API_KEY, [API_KEY]),
        (f"mchid={MCHID}", []),
        ("mchid=1230000109", []),
        (f"serial_no={format(MERCHANT_SERIAL, '040X')}", []),
        (f"serial_no={MERCHANT_SERIAL}", []),
        (f"Wechatpay-Serial: {format(PLATFORM_SERIAL, '040X')}", []),
        (f"Wechatpay-Serial: {PUB_KEY_ID}", []),
        (PUB_KEY_ID, []),
        ("# comment line", []),
        ("token9abcdefghijk", ["token9abcdefghijk"]),
    ]
    separators = ["\n", "\n\n", "\r\n", " \n", "\n\n\n"]
    cases = []
    for number in range(count):
        chosen = rng.sample(pieces, rng.randint(1, 7))
        separator = rng.choice(separators)
        fields: dict[str, str] = {}
        secrets = [s for _, found in chosen for s in found]
        if rng.random() < 0.3:
            fields["apiv3_key"] = rng.choice([APIV3_KEY, API_KEY, " " + APIV3_KEY])
            secrets.append(fields["apiv3_key"].strip())
        if rng.random() < 0.2:
            fields["key"] = rng.choice([API_KEY, APIV3_KEY])
            secrets.append(fields["key"])
        if rng.random() < 0.2:
            fields["wechatpay_serial"] = rng.choice([format(PLATFORM_SERIAL, "040X"), PUB_KEY_ID])
        if rng.random() < 0.2:
            fields["mchid"] = MCHID
        paste = separator.join(text for text, _ in chosen)
        if rng.random() < 0.1:
            paste = "\ufeff" + paste
        cases.append(Case(f"generated {number}", paste, secrets, **fields))
    return cases


CASES = written_cases() + generated_cases()


def run_driver(op: str, cases: list[dict[str, Any]]) -> list[Any]:
    done = subprocess.run(
        [NODE, str(DRIVER)],
        input=json.dumps({"op": op, "cases": cases}, default=str),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def described(ring: KeyRing) -> dict[str, Any]:
    """Everything the page shows of a ring."""
    return {
        "items": [
            {
                "index": item.index,
                "kind": item.kind,
                "label": str(item.label),
                "secret": item.secret,
                "serial": item.serial,
                "not_before": str(item.not_before),
                "not_after": str(item.not_after),
                "expired": item.expired,
                "subject": item.subject,
                "issuer": item.issuer,
                "public_key_id": item.public_key_id,
                "facts": [str(fact) for fact in item.facts],
                "findings": [(f.code, str(f.message)) for f in item.findings],
            }
            for item in ring.items
        ],
        "relations": [(r.code, r.ok, str(r.message), r.items) for r in ring.relations],
        "jobs": ring.as_data()["jobs"],
        "findings": [(f.code, str(f.message)) for f in ring.findings],
        "mode": ring.mode,
    }


def judged(run: Any) -> dict[str, Any]:
    try:
        ring = run()
    except ParseError as error:
        return {"error": error.code, "message": str(error.message)}
    return described(ring)


@pytest.fixture(scope="module")
def both_modes() -> dict[str, tuple[dict[str, Any], dict[str, Any], list[str]]]:
    """Each case's ring in server mode and in local mode, and every post local mode made."""
    fields = ("mchid", "serial_no", "wechatpay_serial")
    prepared = run_driver(
        "prepare", [{"paste": c.paste, "apiv3_key": c.apiv3_key, "key": c.key} for c in CASES]
    )
    posts: dict[str, list[str]] = {c.name: [] for c in CASES}

    def local_round(case: Case, ring: dict[str, Any], opened: list[Any]) -> Any:
        post = json.dumps({**ring, "opened": opened})
        posts[case.name].append(post)
        browser_ring = read_browser_ring(post)
        return examine_local(browser_ring, now=NOW, **{n: getattr(case, n) for n in fields})

    first: dict[str, Any] = {}
    for case, answer in zip(CASES, prepared, strict=True):
        try:
            first[case.name] = local_round(case, answer["ring"], [])
        except ParseError as error:
            first[case.name] = error
    asked = [
        (case, answer)
        for case, answer in zip(CASES, prepared, strict=True)
        if not isinstance(first[case.name], ParseError) and first[case.name][1]["pending"]
    ]
    opened = run_driver(
        "open", [{"plan": first[c.name][1], "values": a["values"]} for c, a in asked]
    )
    outcomes = dict(zip((c.name for c, _ in asked), opened, strict=True))
    results = {}
    for case, answer in zip(CASES, prepared, strict=True):
        server = judged(
            lambda case=case: examine(
                [case.paste],
                now=NOW,
                apiv3_key=case.apiv3_key,
                api_key=case.key,
                **{n: getattr(case, n) for n in fields},
            )
        )

        def local(case: Case = case, answer: dict[str, Any] = answer) -> KeyRing:
            result = first[case.name]
            if isinstance(result, ParseError):
                raise result
            if case.name in outcomes:
                ring, plan = local_round(case, answer["ring"], outcomes[case.name])
                assert not plan["pending"], "the browser opened every pair it was asked"
                return ring
            assert result[0] is not None
            return result[0]

        results[case.name] = (server, judged(local), posts[case.name])
    return results


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_local_mode_judges_the_ring_as_server_mode_does(both_modes, case):
    server, local, _posts = both_modes[case.name]
    assert local == server


def encodings(secret: str) -> set[str]:
    raw = secret.encode()
    return {
        secret,
        urllib.parse.quote(secret, safe=""),
        urllib.parse.quote_plus(secret),
        json.dumps(secret)[1:-1],
        base64.b64encode(raw).decode(),
        base64.urlsafe_b64encode(raw).decode(),
    }


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_no_post_holds_a_secret_in_any_encoding(both_modes, case):
    _server, _local, posts = both_modes[case.name]
    assert posts, "local mode posted"
    for post in posts:
        for secret in case.secrets:
            if len(secret.strip()) < 8:
                continue
            for encoded in encodings(secret.strip()):
                assert encoded not in post, f"{case.name}: a secret in the post"


def test_the_cases_reach_what_local_mode_must_do(both_modes):
    """The cases are worth their name: some open the answer in the browser, some are refused,
    some hold private keys read only in the browser."""
    opened = [
        name
        for name, (server, _local, posts) in both_modes.items()
        if len(posts) == 2
        and any(r[0] == "apiv3_key_decrypts" and r[1] for r in server.get("relations", []))
    ]
    assert len(opened) >= 10
    keys = [
        name
        for name, (server, _l, _p) in both_modes.items()
        if any(item["kind"] == "private_key" for item in server.get("items", []))
    ]
    assert len(keys) >= 20
    assert any("error" in server for server, _l, _p in both_modes.values())
