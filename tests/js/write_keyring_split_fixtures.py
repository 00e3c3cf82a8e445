"""Writes the cases the key ring's browser splitter is checked against
(tests/js/fixtures/keyring_split.json, not committed): tests/js/keyring_split.test.js holds
static/js/local/keyring-split.js to what diagnostics/wechat_v3/keyring_paste.py makes of them.

The cases: the pastes tests/diagnostics/wechat_v3/test_keyring.py uses; key-ring pastes made here
(keys and certificates generated with ``cryptography``, as PEM and bare base64; the
/v3/certificates answer compact and pretty; configuration lines in every dialect merchants paste;
bare tokens; CRLF, BOM, Chinese separators, Unicode digits and spaces) mixed in seeded random
orders; and hostile ones (more than MAX_LINES lines, thousands of ``&``, long runs of one character,
unterminated PEM and JSON, a text over MAX_INPUT_CHARS). Every expected value is Python's:
split_paste, token_kind, name_hint, lone_token, keyring_items._is_known, and the character classes
of Python's ``re`` over every code point.

A long text is written as {"repeat": …, "times": …} (with "before" and "after"), which the test
expands, so hostile 256 KiB texts cost a few bytes here.

    python tests/js/write_keyring_split_fixtures.py
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
FIXTURES = Path(__file__).resolve().parent / "fixtures"

from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402

from diagnostics.core.findings import ParseError  # noqa: E402
from diagnostics.core.params import MAX_INPUT_CHARS  # noqa: E402
from diagnostics.wechat_v3 import keyring_paste  # noqa: E402
from diagnostics.wechat_v3.keyring_items import _is_known  # noqa: E402
from diagnostics.wechat_v3.keyring_paste import (  # noqa: E402
    MAX_LINES,
    Piece,
    lone_token,
    name_hint,
    split_paste,
    token_kind,
)
from tests.diagnostics.wechat_v3 import test_keyring  # noqa: E402

MCHID = test_keyring.MCHID
APIV3_KEY = test_keyring.APIV3_KEY
API_KEY = test_keyring.API_KEY
PUB_KEY_ID = test_keyring.PUB_KEY_ID
PLATFORM_SERIAL = format(test_keyring.PLATFORM_SERIAL, "040X")
MERCHANT_SERIAL = format(test_keyring.MERCHANT_SERIAL, "040X")
KINDS = {
    name: value
    for name, value in vars(keyring_paste).items()
    if name.isupper()
    and not name.startswith("_")
    and isinstance(value, str)
    and name not in {"TENPAY_CA", "TENPAY_SIGN"}
}

Text = str | dict[str, Any]


def expand(text: Text) -> str:
    if isinstance(text, str):
        return text
    return text.get("before", "") + text["repeat"] * text["times"] + text.get("after", "")


# A piece longer than this is written as the SHA-256 of its UTF-8 (a 256 KiB run is one piece).
LONG = 4096


def pieces_of(pieces: list[Piece]) -> list[dict[str, Any]]:
    """Each piece as the test compares it, with whether keyring_items counts it as known."""
    return [
        {
            "text": p.text
            if len(p.text) <= LONG
            else {"sha256": hashlib.sha256(p.text.encode()).hexdigest()},
            "hint": p.hint,
            "spaced": p.spaced,
            "known": _is_known(p),
        }
        for p in pieces
    ]


def case(name: str, texts: list[Text]) -> dict[str, Any]:
    try:
        pieces, cut = split_paste([expand(text) for text in texts])
    except ParseError as error:
        assert error.code == "too_large"
        return {"name": name, "texts": texts, "pieces": [], "cut": False, "tooLarge": True}
    return {
        "name": name,
        "texts": texts,
        "pieces": pieces_of(pieces),
        "cut": cut,
        "tooLarge": False,
    }


def plain(piece: Piece) -> dict[str, Any]:
    return {"text": piece.text, "hint": piece.hint, "spaced": piece.spaced}


# --- what is pasted ------------------------------------------------------------------------------


def armoured(label: str, der: bytes, width: int = 64) -> str:
    body = base64.b64encode(der).decode()
    lines = [body[at : at + width] for at in range(0, len(body), width)]
    return "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----"]) + "\n"


def key_blobs(rng: random.Random) -> list[str]:
    """Private keys, public keys and certificates as merchants paste them."""
    blobs: list[str] = []
    for bits in (2048, 1024):
        key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        pkcs8 = key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        pkcs1 = key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        spki = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        rsa_public = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.PKCS1
        )
        cert = test_keyring.certificate(
            key, test_keyring.merchant_subject(), rng.getrandbits(159)
        ).public_bytes(serialization.Encoding.DER)
        for label, der in (
            ("PRIVATE KEY", pkcs8),
            ("RSA PRIVATE KEY", pkcs1),
            ("PUBLIC KEY", spki),
            ("RSA PUBLIC KEY", rsa_public),
            ("CERTIFICATE", cert),
        ):
            pem = armoured(label, der)
            body = base64.b64encode(der).decode()
            blobs += [
                pem,
                armoured(label, der, 76),
                body,  # bare base64, one line
                "\n".join(body[at : at + 64] for at in range(0, len(body), 64)),  # 64 columns
                '"' + pem.replace("\n", "\\n") + '"',  # literal \n, in quotes
                pem.replace("\n", "\r\n"),
                "\ufeff" + pem,
                pem[: len(pem) // 2],  # unterminated
                pem.replace("-----END", "----END"),
                "private_key: |\n  " + pem.replace("\n", "\n  "),
            ]
    blobs += [
        test_keyring.pem(test_keyring.merchant_cert()),
        test_keyring.pem(test_keyring.platform_cert()),
        test_keyring.private_pem(),
        test_keyring.wechatpay_public_pem(),
        base64.b64encode(
            test_keyring.merchant_cert().public_bytes(serialization.Encoding.DER)
        ).decode(),
    ]
    return blobs


def answers() -> list[str]:
    """/v3/certificates answers: compact, pretty, published ones, and broken ones."""
    made = test_keyring.certificates_answer()
    entry = json.loads(made)
    go = (
        '{"data":[{"effective_time":"2021-04-27T16:55:23+08:00","encrypt_certificate":{'
        '"algorithm":"AEAD_AES_256_GCM","associated_data":"certificate","ciphertext":"'
        + test_keyring.WECHATPAY_GO_CIPHERTEXT
        + '","nonce":"3a584b49ed9b"},"expire_time":"2031-04-25T16:55:23+08:00",'
        '"serial_no":"D7CE59D1F522D701"}]}'
    )
    return [
        made,
        json.dumps(entry, indent=2),
        json.dumps(entry, indent=4, ensure_ascii=False),
        test_keyring.certificates_answer(serial_no="5157f09efdc096de15ebe81a47057a7232f1b8e1"),
        go,
        json.dumps(entry["data"][0]),  # one entry: "encrypt_certificate"
        '{"data": [{"serial_no": "a\\"}{b", "note": "} { \\\\"}]}',
        '{"code": "SIGN_ERROR", "message": "签名错误"}',  # no "data": left as text
        '{"data": [{"serial_no": "' + PLATFORM_SERIAL + '"',  # unterminated
        '{"data": {"x": "line\\nline", "y": "中文"}} trailing mchid=' + MCHID,
        "}{" + made + "}}",
        '{"a": {"data": 1}} {"data": [] }',
    ]


def config_lines() -> list[str]:
    serial = MERCHANT_SERIAL
    return [
        f"mchid = {MCHID}",
        # Named as secrets of another kind, with public shapes: withheld (counted, never read).
        "DB_PASSWORD=20230615",
        # A header's value that is no serial is read by its tokens, never taken as received.
        "Wechatpay-Serial: 请拨打4000000000领取退款",
        "Wechatpay-Serial: 5157F09EFDC096DE15EBE81A47057A7232F1B8E1,extra",
        "GITHUB_TOKEN=" + "a1" * 20,
        "mch_secret=" + "7" * 31,
        '.password("1900009191")',
        "redis.pwd: 123456789",
        f"WECHATPAY_PUB_KEY={PUB_KEY_ID}",
        f"apiv3_key: '{APIV3_KEY}'",
        f"apiv3_key={APIV3_KEY}",
        f"key={API_KEY}",
        f"mch_key={APIV3_KEY}",
        f"WECHAT_MCH_ID={MCHID}",
        f"WECHAT_APIV3_KEY={APIV3_KEY}",
        f"WECHAT_SERIAL_NO={serial}",
        f'export WECHATPAY_MCHID="{MCHID}"',
        f"set WECHAT_API_KEY={API_KEY}",
        f"define('WX_APIV3_KEY', '{APIV3_KEY}');",
        f"define( \"WX_MCHID\" , '{MCHID}' );",
        f"wechat.pay.mch-id={MCHID}",
        f"wechat.pay.merchant-serial-number = {serial}",
        f"wechat.pay.api-v3-key:{APIV3_KEY}",
        f"    api-v3-key: {APIV3_KEY}",
        f"    merchant-serial-number: {serial}",
        f"'mchid' => '{MCHID}',",
        f"'apiv3_key' => '{APIV3_KEY}',",
        f'"serial_no" => "{serial}",',
        f'"mchid": "{MCHID}",',
        f'"apiV3Key": "{APIV3_KEY}",',
        f'"wechatpayPublicKeyId": "{PUB_KEY_ID}"',
        f'"publicKeyId": "{PUB_KEY_ID}",',
        f"mchid={MCHID}&apiv3_key={APIV3_KEY}&serial_no={serial}",
        f"?mch_id={MCHID}&key={API_KEY}&sign_type=MD5&nonce_str=abc",
        f'.merchantId("{MCHID}")',
        f'.apiV3Key("{APIV3_KEY}")',
        f'.merchantSerialNumber("{serial}")',
        f'.privateKeyFromPath("/etc/apiclient_key.pem").merchantId("{MCHID}")',
        f"builder.setMchId('{MCHID}').withApiV3Key( '{APIV3_KEY}' )",
        f'.publicKeyId("{PUB_KEY_ID}").publicKeyFromPath("pub_key.pem")',
        f'MchID: "{MCHID}",',
        f'mchID := "{MCHID}"',
        f'mchAPIv3Key := "{APIV3_KEY}"',
        f"Wechatpay-Serial: {PLATFORM_SERIAL}",
        f"wechatpay-serial:'{PUB_KEY_ID}'",
        f"WECHATPAY-SERIAL :  {PLATFORM_SERIAL.lower()}",
        f"Wechatpay-Serial: ({PLATFORM_SERIAL})",
        f'apiv3_key = "  {APIV3_KEY}"',
        f"apiv3_key = '{APIV3_KEY}\t'",
        f"mchid={APIV3_KEY}",
        "serial_no=PUB_KEY_ID_0114232134912410000000000000",
        f"platform_serial={PLATFORM_SERIAL}",
        f"platformCertSerialNo = {PLATFORM_SERIAL}",
        f"wechatpay_serial={PUB_KEY_ID}",
        "private_key=abcdefgh12345678ijklmnop",
        "public_key=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
        f"v3Secret={APIV3_KEY};",
        f"partnerKey = {API_KEY},",
        f"paternerKey={API_KEY}",
        f"商户号={MCHID}",
        f"商户号：{MCHID}",
        f"APIv3密钥：{APIV3_KEY}",
        f"证书序列号：{MERCHANT_SERIAL}，商户号：{MCHID}；平台证书序列号、{PLATFORM_SERIAL}",
        f"mchid = {'１９００００９１９１'}",
        f"mchid = {'١٩٠٠٠٠٩١٩١'}",
        "mchid = 1900009191 # the merchant",
        "serial = not-a-serial-at-all",
        "apiv3_key =",
        "key = ''",
        'key = "  "',
        f"{MCHID}",
        f"{PUB_KEY_ID}",
        f"{PLATFORM_SERIAL}",
        str(test_keyring.PLATFORM_SERIAL),
        f"  {APIV3_KEY} ",
        f"\t{API_KEY}",
        "something Zz9secret0value1",
        "hello world",
        "token_only_letters_here",
        "a1b2c3d4e5f6g7h8",
        "lorem ipsum dolor sit amet, 1234567 consectetur",
        "`5157F09EFDC096DE15EBE81A47057A7232F1B8E1`",
        "“1900009191”，‘1230000109’",
        "[PUB_KEY_ID_0119000091912025112800000000000001]",
        "mchid:1900009191|serial:5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
    ]


def unicode_lines() -> list[str]:
    """Where Python's and JavaScript's ideas of space, word, digit and length part."""
    return [
        f"mchid\x1c=\x1d{MCHID}\x1e",
        f"\x85{APIV3_KEY}\x85",
        f"\u3000{APIV3_KEY}\u3000",
        f"\ufeff{APIV3_KEY}",
        f"{APIV3_KEY}\ufeff",
        f"apiv3_key\u00a0=\u2003{APIV3_KEY}",
        f"apiv3_key = '\u2028{APIV3_KEY}'",
        f"note = a\u2028b {MCHID}",
        f"mchid={MCHID}\u2029serial={PLATFORM_SERIAL}",
        f"mch\u0130d={MCHID}",  # İ lower-cases to i + a combining dot
        f"\u212aEY={API_KEY}",  # the Kelvin sign lower-cases to k
        f"\u017ferial_no={PLATFORM_SERIAL}",
        f"WECHATPAY-SER\u0130AL: {PLATFORM_SERIAL}",
        f"wechatpay-ser\u0131al: {PLATFORM_SERIAL}",
        f"wechatpay-\u017ferial: {PLATFORM_SERIAL}",
        f"wechatpay-serial:\x1c{PLATFORM_SERIAL}",
        f"wechatpay-serial:\ufeff{PLATFORM_SERIAL}",
        f'𝐀merchantId("{MCHID}")',
        f'商merchantId("{MCHID}")',
        f'é.merchantId("{MCHID}")',
        f'm𝐀chid="{MCHID}"',
        f'mchid_\u0663="{MCHID}"',
        f'mchid\u0301="{MCHID}"',
        "1" + "\U0001d7cf" * 11,  # mathematical bold digits: \d, and 12 code points
        "1" + "\U0001d7cf" * 15,
        "1" + "\U0001d7cf" * 59,
        "mchid=" + "\U0001d7cf" * 10,
        "mchid=" + "\U0001d7cf" * 33,
        "\U0001d7cf" * 40,
        "1\u0663\u0663\u0663\u0663\u0663",
        "x" * 29 + "😀",
        "😀" * 32,
        "a" * 31 + "é",
        f"{MCHID}\u00b2",
        "abc123def456ghi789²",
        f"PUB_KEY_ID_{'商' * 10}",
        f"serial=PUB_KEY_ID_{'商' * 10}",
        f"serial=PUB_KEY_ID_{'商' * 10}-x",
        f"wechatpayPublicKeyId=PUB_KEY_ID_\u0663{'ab' * 5}",
        "MIIB" + "😀" * 40,
        "-----BEGIN 😀-----\nabc\n-----END 😀-----",
        '{😀 "data": "😀"}',
        # Line edges JavaScript's trim() would keep: \x1c-\x1f and \x85 are Python whitespace.
        f"x=1\n\x1cWechatpay-Serial: {PLATFORM_SERIAL}\x1f\n\x85mchid={MCHID}\x85",
        "a\n" + "\n".join("\x85" + "QUJD" * 16 + "\x1d" for _ in range(6)),
        f'a\n\x1e.merchantId("{MCHID}")\x1e\nb',
    ]


def hostile() -> list[tuple[str, list[Text]]]:
    found: list[tuple[str, list[Text]]] = [
        ("too many lines", ["a=b\n" * (MAX_LINES + 200)]),
        ("exactly MAX_LINES lines", [f"mchid={MCHID}\n" * MAX_LINES]),
        ("MAX_LINES + 1 lines", [f"mchid={MCHID}\n" * (MAX_LINES + 1)]),
        ("MAX_LINES - 1 lines, then a query", ["x=1\n" * (MAX_LINES - 1) + "a=1&b=2&c=3"]),
        ("MAX_LINES lines over two texts", ["x=1\n" * 600, "y=2\n" * 600]),
        (
            "cut, then a text too large",
            ["x=1\n" * 1200, {"repeat": "a", "times": MAX_INPUT_CHARS + 1}],
        ),
        ("a query with thousands of &", ["&".join(f"k{n}={n:012d}" for n in range(5000))]),
        ("a query at the budget's edge", ["x=1\n" * 998 + "a=1&b=22222222&c=3"]),
        ("a query ending the budget", ["x=1\n" * 997 + "a=1&b=2"]),
        ("a query on the last line", ["x=1\n" * 999 + "a=1&b=2"]),
        ("ampersands, no equals", [{"repeat": "&", "times": 5000}]),
        ("equals and ampersands", [{"repeat": "=&", "times": 5000}]),
        ("ampersands then one equals", [{"repeat": "&", "times": 3000, "after": "="}]),
        ("unterminated PEM", ["-----BEGIN PRIVATE KEY-----\nMIIEvQ" + "A" * 500]),
        ("BEGIN, END, no close", ["-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE"]),
        ("END before BEGIN", ["-----END X-----\n-----BEGIN X-----\nabc"]),
        ("unterminated JSON", ['{"data": [' + '{"a": "' * 100]),
        ("unterminated string in JSON", ['{"data": "abc\\"' + "x" * 100]),
        ("too large by one", [{"repeat": "a", "times": MAX_INPUT_CHARS + 1}]),
        ("exactly the limit", [{"repeat": "b", "times": MAX_INPUT_CHARS}]),
        ("the limit in astral characters", [{"repeat": "😀", "times": MAX_INPUT_CHARS}]),
        ("over the limit in astral characters", [{"repeat": "😀", "times": MAX_INPUT_CHARS + 1}]),
        (
            "a second text too large",
            [f"mchid={MCHID}", {"repeat": "c", "times": MAX_INPUT_CHARS + 1}],
        ),
        ("a long name", ["a" * 70 + "=1900009191"]),
        ("a name at 61", ["a" * 61 + "=1900009191"]),
        ("a long call name", ["x" * 62 + '("1900009191")']),
        ("a long call value", ['.mchid("' + "1" * 201 + '")']),
        ("builder calls in a word", [{"repeat": "a", "times": 20000, "after": '("1900009191")'}]),
        ("many builder calls", ['.mchid("1900009191")' * 2000]),
        ("quotes", [{"repeat": "\"'", "times": 20000}]),
        ("spaces then a name", [{"repeat": " ", "times": 20000, "before": "export", "after": "x"}]),
        (
            "define then spaces",
            [{"repeat": " ", "times": 20000, "before": "define(", "after": "x"}],
        ),
        ("a run of base64 lines", ["\n".join(["QUJD" * 16] * 1200)]),
        ("digit lines", ["\n".join(["1" * 64] * 10)]),
        ("blank lines", ["\n\n\r\n \t \n" * 3000 + "mchid=" + MCHID]),
        ("CR only", ["a=1\r" * 1100]),
    ]
    runs = [chr(code) for code in range(0x20, 0x7F)] + list(
        "\t\n\r\x1c\x85\u3000\u2028，；、：中😀١"
    )
    for char in runs:
        found.append((f"a run of {char!r}", [{"repeat": char, "times": 4096}]))
    for char in "a1=&.({\"' \n-:A,/+_":
        found.append((f"256 KiB of {char!r}", [{"repeat": char, "times": MAX_INPUT_CHARS}]))
    return found


def mixtures(rng: random.Random, fragments: list[str], count: int) -> list[tuple[str, list[Text]]]:
    separators = ["\n", "\n\n", "\r\n", " ", "\t", "，", "；", "、", "|", ",", ""]
    found: list[tuple[str, list[Text]]] = []
    for number in range(count):
        texts: list[Text] = []
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            chosen = rng.sample(fragments, rng.randint(1, 7))
            text = ""
            for fragment in chosen:
                text += fragment + rng.choice(separators)
            if rng.random() < 0.1:
                text = "\ufeff" + text
            if rng.random() < 0.1:
                text = text.replace("\n", "\r\n")
            texts.append(text)
        found.append((f"mixture {number}", texts))
    return found


def suite_pastes() -> list[tuple[str, list[Text]]]:
    """The pastes tests/diagnostics/wechat_v3/test_keyring.py gives examine()."""
    t = test_keyring
    decimal = str(t.PLATFORM_SERIAL)
    found: list[tuple[str, list[Text]]] = [
        (
            "everything at once",
            [
                "\n".join(
                    [
                        t.pem(t.platform_cert()),
                        f"mchid = {MCHID}",
                        t.wechatpay_public_pem(),
                        t.private_pem(),
                        PUB_KEY_ID,
                        t.pem(t.merchant_cert()),
                        f"apiv3_key: '{APIV3_KEY}'",
                    ]
                )
            ],
        ),
        (
            "secrets",
            [t.private_pem(), f"apiv3_key={APIV3_KEY}", f"key={API_KEY}", t.certificates_answer()],
        ),
        (
            "serial, decimal, mchid",
            [f"5157F09EFDC096DE15EBE81A47057A7232F1B8E1 {decimal}\n{MCHID}"],
        ),
        ("25 serials", [" ".join(format(0x1000 + n, "040X") for n in range(25))]),
        ("unrecognised", [f"{MCHID}\nsomething Zz9secret0value1"]),
        ("hello", ["hello"]),
        ("spaced key", [f"  {APIV3_KEY} "]),
        ("spaced in quotes", [f'APIV3_KEY = " {APIV3_KEY}"']),
        ("key and line end", [f"{APIV3_KEY}\n"]),
        ("key alone", [APIV3_KEY]),
        ("two keys and an answer", [API_KEY, t.certificates_answer(), APIV3_KEY]),
        ("answer and mch_key", [t.certificates_answer(), f"mch_key={APIV3_KEY}"]),
        ("go answer", [answers()[4], "apiv3_key=mockAPIv3Key1234"]),
        ("mchid holding a key", [f"mchid={APIV3_KEY}"]),
        ("public key and ID", [t.wechatpay_public_pem(), PUB_KEY_ID]),
    ]
    marks = t.test_configuration_lines_say_what_their_values_are.pytestmark
    for parameter in marks[0].args[1]:
        found.append((f"config {parameter.id}", [parameter.values[0], t.pem(t.merchant_cert())]))
    return found


# --- one function at a time ----------------------------------------------------------------------


def sample_tokens() -> list[str]:
    tokens = [
        "",
        "12345",
        "123456",
        "012345",
        "1900009191",
        "190000919100",
        "1900009191000",
        "1" * 15 + "2",
        "1" * 60,
        "1" * 61,
        "1" * 40,
        "0" * 40,
        PLATFORM_SERIAL,
        PLATFORM_SERIAL.lower(),
        PLATFORM_SERIAL[:-1],
        PLATFORM_SERIAL + "0",
        str(test_keyring.PLATFORM_SERIAL),
        PUB_KEY_ID,
        "PUB_KEY_ID_",
        "PUB_KEY_ID_ with space",
        "pub_key_id_0114232134912410000000000000",
        APIV3_KEY,
        API_KEY,
        "a" * 32,
        "a" * 31,
        "a" * 33,
        "!" * 32,
        "~" * 32,
        "a" * 31 + " ",
        "a" * 31 + "é",
        "😀" * 32,
        "x" * 29 + "😀",
        "１９００００９１９１",
        "١٩٠٠٠٠٩١٩١",
        "1٩٠٠٠٠٩١٩١",
        "1" + "\U0001d7cf" * 5,
        "1" + "\U0001d7cf" * 11,
        "1" + "\U0001d7cf" * 12,
        "1" + "\U0001d7cf" * 15,
        "1" + "\U0001d7cf" * 59,
        "1" + "\U0001d7cf" * 60,
        "😀" * 6,
        "😀" * 60,
        "😀" * 61,
        "1900009191\n",
        " 1900009191",
        "-----BEGIN",
        "Zz9secret0value1",
    ]
    return tokens


def sample_names() -> list[str]:
    names = [
        "APIV3_KEY",
        "mch_serial_no",
        "wechatpay.mch-key",
        "WECHAT_MCH_ID",
        "WECHAT_APIV3_KEY",
        "WECHAT_SERIAL_NO",
        "mchid",
        "mch_id",
        "mchId",
        "merchantId",
        "merchant_no",
        "mchno",
        "api-v3-key",
        "apiV3Key",
        "apiv3",
        "apiv3_key",
        "v3key",
        "v3_api_key",
        "v3Secret",
        "apiV3Secret",
        "mchAPIv3Key",
        "merchant-serial-number",
        "merchantSerialNumber",
        "serial",
        "serial_no",
        "wechatpaySerial",
        "Wechatpay-Serial",
        "platformSerial",
        "platform_cert_serial_no",
        "platformCertSerialNo",
        "key",
        "mch_key",
        "api_key",
        "apiKey",
        "partnerKey",
        "paternerKey",
        "payKey",
        "v2key",
        "signKey",
        "sign_key",
        "secret_key",
        "appkey",
        "privateKey",
        "private_key_path",
        "publicKey",
        "public_key",
        "publicKeyId",
        "public_key_id",
        "pubKeyId",
        "wechatpayPublicKeyId",
        "wechatpay_pub_key_id",
        "wechatpayKeyId",
        "wechatpay_public_key",
        "WX_APIV3_KEY",
        "WX_MCHID",
        "notify_url",
        "appid",
        "sub_mchid",
        "",
        "_",
        "商户号",
        "mch\u0130d",
        "\u212aey",
        "\u212aEY",
        "\u017ferial",
        "ＡＰＩＶ３ＫＥＹ",
        "MCHİD",
        "ΣKEY",
    ]
    for pattern, _kind in keyring_paste._NAME_HINTS:
        names.append(pattern.pattern)
    return names


def sample_lone() -> list[tuple[str, str]]:
    key = APIV3_KEY
    texts = [
        "",
        " ",
        "\n",
        key,
        f" {key}",
        f"{key}\n",
        f"\n{key}\n",
        f"\t{key}",
        f"\n {key}\n",
        f"\r\n{key}",
        f"\x85{key}",
        f"\x1c{key}",
        f"\u3000{key}",
        f"\ufeff{key}",
        f"{key[:10]} {key[10:]}",
        f"{key[:10]}\u2028{key[10:]}",
        "-----" + key[5:],
        MCHID,
        PUB_KEY_ID,
        "😀" * 32,
        "short",
    ]
    return [(text, hint) for text in texts for hint in ("", "apiv3_key", "api_key")]


def character_classes() -> dict[str, Any]:
    """Python's \\s, \\w and \\d over every code point, as ranges, and the code points Python's
    Unicode (unicodedata.unidata_version) has assigned: a newer Unicode in the JavaScript engine
    may know letters and digits Python does not yet."""
    every = "".join(map(chr, range(0x110000)))

    def ranges(pattern: str) -> list[list[int]]:
        return [[m.start(), m.end() - 1] for m in re.finditer(pattern, every)]

    assigned: list[list[int]] = []
    for code in range(0x110000):
        if unicodedata.category(every[code]) != "Cn":
            if assigned and assigned[-1][1] == code - 1:
                assigned[-1][1] = code
            else:
                assigned.append([code, code])
    return {
        "unicode": unicodedata.unidata_version,
        "space": ranges(r"\s+"),
        "word": ranges(r"\w+"),
        "digit": ranges(r"\d+"),
        "assigned": assigned,
    }


def main() -> None:
    rng = random.Random(20261128)
    blobs = key_blobs(rng)
    fragments = blobs + answers() + config_lines() + unicode_lines()
    named: list[tuple[str, list[Text]]] = suite_pastes()
    named += [(f"fragment {n}", [fragment]) for n, fragment in enumerate(fragments)]
    named += hostile()
    named += mixtures(rng, fragments, 260)
    cases = [case(name, texts) for name, texts in named]
    pieces = [Piece(text) for text in sample_tokens()]
    pieces += [Piece("a" * 199), Piece("a" * 200), Piece("😀" * 100), Piece("😀" * 200)]
    pieces += [Piece("x", spaced=True), Piece("-----"), Piece("x-----")]
    lone = [(text, hint) for text, hint in sample_lone()]
    lone += [(text, "") for c in cases[:60] for text in c["texts"] if isinstance(text, str)]
    fixture = {
        "constants": {"MAX_LINES": MAX_LINES, "MAX_INPUT_CHARS": MAX_INPUT_CHARS, **KINDS},
        "cases": cases,
        "token_kind": [[token, token_kind(token)] for token in sample_tokens()],
        "name_hint": [[name, name_hint(name)] for name in sample_names()],
        "lone_token": [
            [text, hint, plain(found) if (found := lone_token(text, hint)) else None]
            for text, hint in lone
        ],
        "is_known": [[plain(p), _is_known(p)] for p in pieces],
        "classes": character_classes(),
    }
    FIXTURES.mkdir(exist_ok=True)
    (FIXTURES / "keyring_split.json").write_text(json.dumps(fixture, ensure_ascii=False))


if __name__ == "__main__":
    main()
