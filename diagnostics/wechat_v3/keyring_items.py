"""The key ring's first half: one paste (or several fields) split into items, each loaded and
labelled — what it is and whose it is. The relations between the items and what each job needs
are in :mod:`diagnostics.wechat_v3.keyring`.

A paste may hold, in any order: PEM blocks (private keys, certificates, public keys), bare base64
DER, the ``/v3/certificates`` JSON answer, ``name = value`` lines of a configuration file, and bare
tokens (a ``PUB_KEY_ID_…``, a 32-character key, a serial in hex or decimal, an mchid).

Secrets (private keys, the APIv3 key, the V2 API key) are kept in :class:`Entry`, which never
reaches a result; the public :class:`Item` of a secret says its kind and size, nothing of its
value.

>>> [entry.item.kind for entry in read_entries(["mchid=1900009191\\nPUB_KEY_ID_0114232134912410000000000000"])[0]]
['mchid', 'public_key_id']
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.keys import (
    CERTIFICATE,
    PRIVATE_KEY,
    PUBLIC_KEY,
    LoadedKey,
    keys_match,
    load_key,
    looks_like_private_key,
)
from diagnostics.core.params import MAX_INPUT_CHARS, load_json
from diagnostics.core.serials import serial_hex, serial_is_decimal, serial_number
from diagnostics.core.text import Text, _
from diagnostics.wechat_v3.signing import PUBLIC_KEY_ID_PREFIX

# Loading keys is the costly part (an RSA private key is validated by OpenSSL): one request looks
# at no more than this many items, and says so when more were pasted.
MAX_ITEMS = 20
# A private key costs most (OpenSSL validates it: about 0.3 s for RSA-4096); a merchant has one,
# two while replacing it. More are listed, not read.
MAX_PRIVATE_KEYS = 3

# The CA that issues WeChat Pay's certificates: merchant API certificates (apiclient_cert.pem,
# subject CN = the mchid, O = 微信商户系统, OU = the company's name) and platform certificates
# alike name it as their issuer (C=CN, O=Tenpay.com, OU=Tenpay.com CA Center, CN=Tenpay.com Root
# CA). A platform certificate's subject is WeChat Pay's own: CN=Tenpay.com sign, O=Tenpay.com,
# OU=Tenpay.com CA Center, L=ShenZhen, C=CN (the certificate in wechatpay-java's published
# /v3/certificates answer, TestConfig.DOWNLOAD_CERTIFICATE_RESPONSE).
TENPAY_CA = "Tenpay.com Root CA"
TENPAY_SIGN = "Tenpay.com sign"

# Item kinds, as the API names them.
PRIVATE = "private_key"
MERCHANT_CERTIFICATE = "merchant_certificate"
PLATFORM_CERTIFICATE = "platform_certificate"
ENCRYPTED_CERTIFICATE = "encrypted_platform_certificate"
OTHER_CERTIFICATE = "certificate"
WECHATPAY_PUBLIC_KEY = "wechatpay_public_key"
MERCHANT_PUBLIC_KEY = "merchant_public_key"
CERTIFICATES_ANSWER = "certificates_answer"
PUBLIC_KEY_ID = "public_key_id"
APIV3_KEY = "apiv3_key"
API_KEY = "api_key"
KEY_32 = "apiv3_or_api_key"
SERIAL = "serial"
WECHATPAY_SERIAL = "wechatpay_serial"
MCHID = "mchid"
UNREADABLE = "unreadable"

SECRET_KINDS = frozenset({PRIVATE, APIV3_KEY, API_KEY, KEY_32})
CERTIFICATE_KINDS = frozenset({MERCHANT_CERTIFICATE, PLATFORM_CERTIFICATE, OTHER_CERTIFICATE})

# What a ``name = value`` line's name says its value is (the name lower-cased, letters and
# digits only). Checked in order: "apiv3key" before the plain "key" of a V2 API key.
_NAME_HINTS = (
    (re.compile(r"(pub(lic)?key|wechatpay(pub)?key)id$"), PUBLIC_KEY_ID),
    (re.compile(r"(api)?v3(api)?(secret|key)$|apiv3"), APIV3_KEY),
    (re.compile(r"^wechatpayserial|platformserial|platformcertserial"), WECHATPAY_SERIAL),
    (re.compile(r"serial"), SERIAL),
    (re.compile(r"(mch|merchant)(id|no)$"), MCHID),
    (re.compile(r"(api|mch|partner|paterner|pay|v2|sign|^)key$"), API_KEY),
)


@dataclass(frozen=True)
class Item:
    """One thing the merchant pasted, as it may be shown: never a secret's value."""

    index: int  # 1-based, in the order pasted
    kind: str
    label: Text
    secret: bool = False
    serial: str = ""  # certificates and typed serials: 40 upper-case hex digits
    not_before: datetime | None = None
    not_after: datetime | None = None
    expired: bool | None = None
    subject: str = ""
    issuer: str = ""
    public_key_id: str = ""
    facts: tuple[Text, ...] = ()
    findings: tuple[Finding, ...] = ()


@dataclass
class Entry:
    """An item with what the checks use and nothing shows: the loaded key, a secret's value."""

    item: Item
    loaded: LoadedKey | None = field(default=None, repr=False)
    value: str = field(default="", repr=False)  # a key's or a token's text (secret for keys)
    hint: str = ""  # the kind a ``name = value`` line or a form field gave it
    spaced: bool = False  # the value had spaces or tabs around it inside its quotes
    answer: dict[str, str] | None = field(default=None, repr=False)  # an encrypted certificate
    source: int = 0  # the item (1-based) an entry was read out of (a /v3/certificates answer)


@dataclass(frozen=True)
class Piece:
    """A part of the paste before it is read: the text and the kind its name gave it."""

    text: str
    hint: str = ""
    spaced: bool = False


# --- splitting -------------------------------------------------------------------------------

_BASE64_LINE = re.compile(r"[A-Za-z0-9+/=]+")
_ASSIGNMENT = re.compile(
    r"(?:export\s+|set\s+|define\(\s*)?[\"']?([A-Za-z_][\w.\-]{0,60})[\"']?\s*(?:=>|:=|[:=,])\s*(.*)"
)
_CALL = re.compile(r"\.?(?:set|with)?([A-Za-z_]\w{0,60})\(\s*[\"']([^\"']{1,200})[\"']\s*\)")
_HEADER = re.compile(r"wechatpay-serial\s*:\s*(\S+)", re.IGNORECASE)
_TOKEN_SPLIT = re.compile(r"[\s,;，；、|]+")
_QUOTES = "\"'`“”‘’()[]{}<>"


def _pem_blocks(text: str) -> tuple[list[tuple[int, str]], str]:
    """The PEM blocks of ``text`` with their offsets, and the text with each replaced by a line end.

    Found with ``str.find`` (linear): a BEGIN without an END takes the rest of the text, and the
    key loader then says it is incomplete.
    """
    blocks: list[tuple[int, str]] = []
    rest: list[str] = []
    at = 0
    while (start := text.find("-----BEGIN ", at)) >= 0:
        end = text.find("-----END ", start)
        close = text.find("-----", end + 9) if end >= 0 else -1
        stop = close + 5 if close >= 0 else len(text)
        rest.append(text[at:start])
        blocks.append((start, text[start:stop]))
        rest.append("\n")
        at = stop
    rest.append(text[at:])
    return blocks, "".join(rest)


def _json_objects(text: str) -> tuple[list[tuple[int, str]], str]:
    """Top-level ``{…}`` spans (strings respected, linear), and the text without them."""
    spans: list[tuple[int, str]] = []
    rest: list[str] = []
    depth, start, at = 0, -1, 0
    in_string = escaped = False
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"' and depth:
            in_string = True
        elif char == "{":
            if depth == 0:
                start = index
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:
                candidate = text[start : index + 1]
                if '"data"' in candidate or '"encrypt_certificate"' in candidate:
                    rest.append(text[at:start] + "\n")
                    spans.append((start, candidate))
                    at = index + 1
    rest.append(text[at:])
    return spans, "".join(rest)


def _unquote(value: str) -> tuple[str, bool]:
    """A value without its quotes and trailing punctuation; whether spaces sat inside the quotes."""
    value = value.strip().rstrip(",;")
    if len(value) >= 2 and value[0] in "\"'`" and value[-1] == value[0]:
        inner = value[1:-1]
        return inner.strip(), inner != inner.strip()
    return value.strip(_QUOTES + " \t"), False


def _line_pieces(text: str) -> list[Piece]:
    """The pieces of what is left once PEM blocks and JSON answers are out: runs of base64 lines
    (bare DER), ``name = value`` lines, header lines and bare tokens."""
    pieces: list[Piece] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            joined = "".join(run)
            if len(joined) >= 300:  # an RSA-2048 public key is 392 base64 characters
                pieces.append(Piece(joined))
            else:
                for line in run:
                    pieces.extend(_token_pieces(line))
            run.clear()

    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            flush()
            continue
        if len(line) >= 40 and _BASE64_LINE.fullmatch(line) and not re.fullmatch(r"\d+", line):
            run.append(line)
            continue
        flush()
        if header := _HEADER.match(line):
            pieces.append(Piece(header.group(1).strip(_QUOTES), WECHATPAY_SERIAL))
            continue
        calls = _CALL.findall(line)  # Java / JS builders: .merchantId("1900009191")
        if calls:
            pieces += [_named_piece(name, value) for name, value in calls]
            continue
        # A query string holds several assignments; a line of code or YAML holds one.
        parts = line.split("&") if "&" in line and "=" in line else [line]
        for part in parts:
            assignment = _ASSIGNMENT.fullmatch(part.strip())
            if assignment:
                pieces.append(_named_piece(*assignment.groups()))
            else:
                pieces.extend(_token_pieces(part))
    flush()
    return [piece for piece in pieces if piece.text]


# What a value must look like for its name to be believed; a secret's value is never checked
# (nor shown), a public one that does not fit is read as tokens instead.
_NAMED_SHAPES = {
    MCHID: re.compile(r"\d{1,32}"),
    SERIAL: re.compile(r"[0-9A-Fa-f]{1,128}|PUB_KEY_ID_\w*"),
    WECHATPAY_SERIAL: re.compile(r"[0-9A-Fa-f]{1,128}|PUB_KEY_ID_\w*"),
    PUBLIC_KEY_ID: re.compile(r"PUB_KEY_ID_\w*"),
}


def _named_piece(name: str, raw: str) -> Piece:
    """A ``name = value`` pair: the value, with the kind its name gives it when it fits."""
    hint = name_hint(name)
    value, spaced = _unquote(raw)
    shape = _NAMED_SHAPES.get(hint)
    if not value or not hint or (shape is not None and not shape.fullmatch(value)):
        tokens = _token_pieces(value)
        return tokens[0] if len(tokens) == 1 else Piece("")
    return Piece(value, hint, spaced)


def _token_pieces(text: str) -> list[Piece]:
    return [
        Piece(token)
        for raw in _TOKEN_SPLIT.split(text)
        if (token := raw.strip(_QUOTES + ".:：=")) and token_kind(token)
    ] + [Piece(token) for token in _unknown_tokens(text)]


def _unknown_tokens(text: str) -> list[str]:
    """Tokens that look like a key or an identifier but are not one we know (counted, not shown):
    letters and digits, 12 characters or more."""
    return [
        token
        for raw in _TOKEN_SPLIT.split(text)
        if (token := raw.strip(_QUOTES + ".:：="))
        and not token_kind(token)
        and re.fullmatch(r"[A-Za-z0-9_\-+/=]{12,}", token)
        and re.search(r"\d", token)
    ]


def name_hint(name: str) -> str:
    """The kind a configuration name says its value is; "" when it says nothing we use.

    >>> name_hint("APIV3_KEY"), name_hint("mch_serial_no"), name_hint("wechatpay.mch-key")
    ('apiv3_key', 'serial', 'api_key')
    """
    compact = re.sub(r"[^a-z0-9]", "", name.lower())
    if "private" in compact or (compact.endswith("key") and "public" in compact):
        return ""
    for pattern, kind in _NAME_HINTS:
        if pattern.search(compact):
            return kind
    return ""


def token_kind(token: str) -> str:
    """The kind a bare token has by its shape alone; "" for none.

    >>> token_kind("PUB_KEY_ID_0114232134912410000000000000"), token_kind("1900009191")
    ('public_key_id', 'mchid')
    >>> token_kind("5157F09EFDC096DE15EBE81A47057A7232F1B8E1"), token_kind("a" * 32)
    ('serial', 'apiv3_or_api_key')
    """
    if token.startswith(PUBLIC_KEY_ID_PREFIX):
        return PUBLIC_KEY_ID
    if re.fullmatch(r"[0-9A-Fa-f]{40}", token):  # 40 digits are hex too (diagnostics.core.serials)
        return SERIAL
    if re.fullmatch(r"[1-9]\d{15,59}", token) and serial_is_decimal(token):
        return SERIAL  # a serial printed in decimal (openssl -text, Java's getSerialNumber())
    if re.fullmatch(r"[1-9]\d{5,11}", token):
        return MCHID
    if re.fullmatch(r"[!-~]{32}", token):
        # APIv3 and V2 API keys are 32 characters set by the merchant (letters and digits as a
        # rule; SDK test suites use others too).
        return KEY_32
    return ""


def lone_token(text: str, hint: str = "") -> Piece | None:
    """A field holding one value and nothing else, noting spaces or tabs around it (a line end
    around it is what a textarea or a file adds, and no slip).

    >>> lone_token(" " + "k" * 32 + "\\n").spaced
    True
    """
    stripped = text.strip()
    if not stripped or re.search(r"\s", stripped) or "-----" in stripped:
        return None
    if not hint and token_kind(stripped) != KEY_32:
        return None
    return Piece(stripped, hint, text.strip("\n") != stripped)


def split_paste(texts: Iterable[str]) -> list[Piece]:
    """Every piece of every text, in the order pasted."""
    pieces: list[Piece] = []
    for text in texts:
        if len(text) > MAX_INPUT_CHARS:
            raise ParseError(
                "too_large", _("粘贴的内容超过 {limit} 个字符。", limit=MAX_INPUT_CHARS)
            )
        text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
        if lone := lone_token(text):
            pieces.append(lone)
            continue
        blocks, rest = _pem_blocks(text)
        answers, rest = _json_objects(rest) if "{" in rest else ([], rest)
        found = [(at, Piece(block)) for at, block in blocks]
        found += [(-1, Piece(answer, CERTIFICATES_ANSWER)) for _, answer in answers]
        # Blocks keep their place; answers and lines follow in their own order.
        ordered = [piece for _, piece in sorted(found, key=lambda pair: pair[0] < 0)]
        pieces += ordered + _line_pieces(rest)
    return pieces


# --- reading each piece ------------------------------------------------------------------------


def _kind_of_loaded(loaded: LoadedKey) -> str:
    return {PRIVATE_KEY: PRIVATE, CERTIFICATE: OTHER_CERTIFICATE, PUBLIC_KEY: WECHATPAY_PUBLIC_KEY}[
        loaded.info.kind
    ]


def _key_facts(loaded: LoadedKey) -> tuple[Text, ...]:
    info = loaded.info
    size = _("{key_type} {bits} 位", key_type=info.key_type, bits=info.key_size or "?")
    return (size, _("格式：{format}", format=info.format))


def _read_key(piece: Piece, index: int, now: datetime | None) -> Entry:
    try:
        loaded = load_key(piece.text, now=now)
    except ParseError as error:
        # The loader's messages never quote the key; a secret's failure is shown by its code.
        item = Item(
            index,
            UNREADABLE,
            _("读不出的密钥或证书"),
            findings=(Finding(error.code, error.message),),
        )
        return Entry(item)
    kind = _kind_of_loaded(loaded)
    info = loaded.info
    item = Item(
        index,
        kind,
        _("商户 API 私钥（apiclient_key.pem）")
        if kind == PRIVATE
        else _("证书")
        if kind == OTHER_CERTIFICATE
        else _("公钥"),
        secret=kind == PRIVATE,
        serial=info.serial_no,
        not_before=info.not_before,
        not_after=info.not_after,
        expired=info.expired,
        subject=info.subject,
        issuer=info.issuer,
        facts=_key_facts(loaded),
        findings=tuple(f for f in info.findings if f.code not in ("bare_base64",)),
    )
    return Entry(item, loaded=loaded)


def _iso_time(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _read_answer(piece: Piece, index: int) -> list[Entry]:
    """A ``/v3/certificates`` answer: the answer itself, then one entry per encrypted certificate
    (its serial and validity are in the clear; the certificate is decrypted later, with a key)."""
    try:
        document = load_json(piece.text)
    except ParseError as error:
        return [
            Entry(
                Item(
                    index,
                    UNREADABLE,
                    _("读不出的 JSON"),
                    findings=(Finding(error.code, error.message),),
                )
            )
        ]
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(data, list) or not all(isinstance(entry, dict) for entry in data):
        label = _("JSON，但不是 /v3/certificates 的应答（没有 data 数组）")
        return [Entry(Item(index, UNREADABLE, label))]
    entries = [
        Entry(
            Item(
                index,
                CERTIFICATES_ANSWER,
                _("/v3/certificates 应答，{count} 张加密的平台证书", count=len(data)),
            )
        )
    ]
    for number, certificate in enumerate(data, start=1):
        encrypted = certificate.get("encrypt_certificate")
        if not isinstance(encrypted, dict) or len(entries) > MAX_ITEMS:
            continue
        typed = str(certificate.get("serial_no") or "")
        number_value = serial_number(typed)
        entries.append(
            Entry(
                Item(
                    index + len(entries),
                    ENCRYPTED_CERTIFICATE,
                    _("平台证书（加密，在应答的第 {number} 项）", number=number),
                    serial=serial_hex(number_value) if number_value is not None else typed,
                    not_before=_iso_time(certificate.get("effective_time")),
                    not_after=_iso_time(certificate.get("expire_time")),
                ),
                answer={name: str(value) for name, value in encrypted.items()},
                value=typed,
                source=index,
            )
        )
    return entries


def _read_token(piece: Piece, index: int) -> Entry:
    kind = piece.hint or token_kind(piece.text)
    value = piece.text
    if kind in (SERIAL, WECHATPAY_SERIAL) and not value.startswith(PUBLIC_KEY_ID_PREFIX):
        number = serial_number(value)
        item = Item(
            index,
            kind,
            _("Wechatpay-Serial（收到的）") if kind == WECHATPAY_SERIAL else _("证书序列号"),
            serial=serial_hex(number) if number is not None else "",
            facts=(_("原样：{value}", value=value),),
        )
        return Entry(item, value=value, hint=piece.hint)
    if kind == SERIAL:  # a public-key ID where a certificate serial is configured
        item = Item(index, SERIAL, _("证书序列号（填的是微信支付公钥 ID）"), public_key_id=value)
        return Entry(item, value=value, hint=piece.hint)
    if kind in (WECHATPAY_SERIAL, PUBLIC_KEY_ID):
        label = (
            _("Wechatpay-Serial（收到的）：微信支付公钥 ID")
            if kind == WECHATPAY_SERIAL
            else _("微信支付公钥 ID {id}", id=value)
        )
        findings = ()
        if not re.fullmatch(re.escape(PUBLIC_KEY_ID_PREFIX) + r"\d+", value):
            findings = (
                Finding(
                    "public_key_id_format",
                    _("公钥 ID 应是 PUB_KEY_ID_ 加一串数字，完整复制（含前缀）。"),
                ),
            )
        item = Item(index, kind, label, public_key_id=value, findings=findings)
        return Entry(item, value=value, hint=piece.hint)
    if kind == MCHID:
        findings = ()
        if not value.isdigit():
            findings = (Finding("mchid_not_digits", _("商户号是一串数字（通常 10 位）。")),)
        item = Item(index, MCHID, _("商户号 {mchid}", mchid=value), findings=findings)
        return Entry(item, value=value, hint=piece.hint)
    if kind in (APIV3_KEY, API_KEY, KEY_32):
        label = {
            APIV3_KEY: _("APIv3 密钥"),
            API_KEY: _("API 密钥（V2）"),
            KEY_32: _("32 个字符的密钥：APIv3 密钥还是 API 密钥（V2）？"),
        }[kind]
        facts = (_("{length} 个字符", length=len(value)),)
        item = Item(index, kind, label, secret=True, facts=facts)
        return Entry(item, value=value, hint=piece.hint, spaced=piece.spaced)
    return Entry(Item(index, UNREADABLE, _("不认识的内容")), value="")


def read_entries(
    texts: Sequence[str], *, now: datetime | None = None, named: Sequence[Piece] = ()
) -> tuple[list[Entry], list[Finding]]:
    """Every item of the paste and of the ``named`` fields, loaded (at most MAX_ITEMS), and
    findings about the paste itself."""
    pieces = split_paste(texts) + list(named)
    unknown = sum(1 for piece in pieces if not piece.hint and not _is_known(piece))
    pieces = [piece for piece in pieces if piece.hint or _is_known(piece)]
    findings: list[Finding] = []
    if unknown:
        findings.append(
            Finding(
                "unrecognised_pieces",
                _(
                    "有 {count} 段内容认不出是什么（没有显示：它们可能是密钥）。"
                    "可以写成 名称=值 的形式，例如 apiv3_key=…、serial_no=…。",
                    count=unknown,
                ),
            )
        )
    entries: list[Entry] = []
    private_keys = 0
    for number, piece in enumerate(pieces):
        if len(entries) >= MAX_ITEMS:
            findings.append(_too_many(len(pieces) - number))
            break
        index = len(entries) + 1
        if piece.hint == CERTIFICATES_ANSWER:
            read = _read_answer(piece, index)
            room = MAX_ITEMS - len(entries)
            if len(read) > room:
                findings.append(_too_many(len(read) - room))
            entries += read[:room]
        elif piece.text.startswith("-----") or len(piece.text) >= 200:
            if _is_private(piece.text) and private_keys >= MAX_PRIVATE_KEYS:
                entries.append(_unread_private_key(index))
                continue
            entries.append(_read_key(piece, index, now))
            private_keys += entries[-1].item.kind == PRIVATE
        else:
            entries.append(_read_token(piece, index))
    return entries, findings


def _is_private(text: str) -> bool:
    """A private key by its PEM label, or by its DER shape when pasted bare (nothing loaded)."""
    if "PRIVATE KEY" in text[:100]:
        return True
    if text.startswith("-----"):
        return False
    try:
        compact = re.sub(r"\s+", "", text)
        der = base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    return looks_like_private_key(der)


def _unread_private_key(index: int) -> Entry:
    finding = Finding(
        "too_many_private_keys",
        _("一次最多读取 {limit} 个私钥，这一个没有读取。", limit=MAX_PRIVATE_KEYS),
    )
    item = Item(index, PRIVATE, _("商户 API 私钥（没有读取）"), secret=True, findings=(finding,))
    return Entry(item)


def _is_known(piece: Piece) -> bool:
    return (
        piece.text.startswith("-----")
        or len(piece.text) >= 200
        or bool(token_kind(piece.text))
        or piece.spaced
    )


def _too_many(count: int) -> Finding:
    return Finding(
        "too_many_items",
        _(
            "一次最多检查 {limit} 项，后面还有 {count} 项没有看：请分几次粘贴。",
            limit=MAX_ITEMS,
            count=count,
        ),
    )


# --- whose is it ---------------------------------------------------------------------------------


def _common_name(rfc4514: str) -> str:
    match = re.search(r"(?:^|,)CN=((?:[^,\\]|\\.)*)", rfc4514)
    return match.group(1).replace("\\", "") if match else ""


def label_entries(entries: list[Entry]) -> None:
    """Say whose each certificate and public key is, now that the private keys are known.

    A certificate whose key is a pasted private key's is the merchant's own, whatever it says;
    otherwise a Tenpay.com Root CA certificate with an mchid (digits) as CN is a merchant API
    certificate, any other Tenpay.com certificate a platform certificate.
    """
    private_keys = [e.loaded for e in entries if e.item.kind == PRIVATE and e.loaded]
    ids = [e.item.public_key_id for e in entries if e.item.kind == PUBLIC_KEY_ID]
    for entry in entries:
        item, loaded = entry.item, entry.loaded
        if loaded is None or item.kind == PRIVATE:
            continue
        own = any(keys_match(private, loaded) for private in private_keys)
        if item.kind == WECHATPAY_PUBLIC_KEY:
            if own:
                entry.item = replace(item, kind=MERCHANT_PUBLIC_KEY, label=_("你自己的商户公钥"))
            else:
                known_id = ids[0] if len(ids) == 1 else ""
                label = _("微信支付公钥（{id}）", id=known_id) if known_id else _("微信支付公钥")
                entry.item = replace(item, label=label, public_key_id=known_id)
            continue
        cn = _common_name(item.subject)
        mchid_cn = bool(re.fullmatch(r"\d{6,12}", cn))
        tenpay = _common_name(item.issuer) == TENPAY_CA
        if entry.source or cn == TENPAY_SIGN or (tenpay and not mchid_cn and not own):
            kind, label = PLATFORM_CERTIFICATE, _("微信支付平台证书")
        elif own or mchid_cn:
            kind = MERCHANT_CERTIFICATE
            label = (
                _("商户 API 证书（apiclient_cert.pem），商户号 {mchid}", mchid=cn)
                if mchid_cn
                else _("商户 API 证书（与粘贴的私钥是一对）")
            )
        else:
            kind, label = OTHER_CERTIFICATE, _("证书（不是 Tenpay.com Root CA 签发的）")
        facts = item.facts
        if not tenpay and not entry.source:
            facts += (
                _(
                    "签发者不是 {ca}：微信支付的商户证书和平台证书都由它签发，"
                    "这张可能是测试证书或别的平台的证书。",
                    ca=TENPAY_CA,
                ),
            )
        entry.item = replace(item, kind=kind, label=label, facts=facts)
