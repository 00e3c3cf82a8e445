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
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.keys import (
    CERTIFICATE,
    PRIVATE_KEY,
    PUBLIC_KEY,
    KeyInfo,
    LoadedKey,
    keys_match,
    load_key,
    load_public_key,
    looks_like_private_key,
)
from diagnostics.core.params import load_json
from diagnostics.core.serials import serial_hex, serial_number
from diagnostics.core.text import Text, _
from diagnostics.wechat_v3.keyring_paste import (
    API_KEY,
    APIV3_KEY,
    CERTIFICATES_ANSWER,
    ENCRYPTED_CERTIFICATE,
    KEY_32,
    MAX_ITEMS,
    MAX_LINES,
    MAX_PRIVATE_KEYS,
    MCHID,
    MERCHANT_CERTIFICATE,
    MERCHANT_PUBLIC_KEY,
    OTHER_CERTIFICATE,
    PLATFORM_CERTIFICATE,
    PRIVATE,
    PUBLIC_KEY_ID,
    SERIAL,
    TENPAY_CA,
    TENPAY_SIGN,
    UNREADABLE,
    WECHATPAY_PUBLIC_KEY,
    WECHATPAY_SERIAL,
    BrowserKey,
    Piece,
    SecretFacts,
    split_paste,
    token_kind,
)
from diagnostics.wechat_v3.signing import PUBLIC_KEY_ID_PREFIX

# A WeChat Pay public key's ID: the prefix and digits (PUB_KEY_ID_0114232134912410000000).
PUBLIC_KEY_ID_SHAPE = re.compile(r"PUB_KEY_ID_\d+")


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
    measure: SecretFacts | None = field(default=None, repr=False)  # a 32-character key's facts


@dataclass(frozen=True)
class Split:
    """A paste already split (local mode: by the browser, its secrets kept there): the pieces,
    whether lines were left unread, and how many unrecognised pieces it did not send."""

    pieces: tuple[Piece, ...]
    cut: bool = False
    unknown: int = 0
    more: int = 0  # recognised pieces past those sent: only counted (MAX_ITEMS are read)


# --- reading each piece ------------------------------------------------------------------------


def _kind_of_loaded(info: KeyInfo) -> str:
    return {PRIVATE_KEY: PRIVATE, CERTIFICATE: OTHER_CERTIFICATE, PUBLIC_KEY: WECHATPAY_PUBLIC_KEY}[
        info.kind
    ]


def _key_facts(info: KeyInfo) -> tuple[Text, ...]:
    size = _("{key_type} {bits} 位", key_type=info.key_type, bits=info.key_size or "?")
    return (size, _("格式：{format}", format=info.format))


def _unreadable_key(index: int, finding: Finding) -> Entry:
    # The loader's messages never quote the key; a secret's failure is shown by its code.
    return Entry(Item(index, UNREADABLE, _("读不出的密钥或证书"), findings=(finding,)))


def _read_key(piece: Piece, index: int, now: datetime | None) -> Entry:
    try:
        loaded = load_key(piece.text, now=now)
    except ParseError as error:
        return _unreadable_key(index, Finding(error.code, error.message))
    algorithm = loaded.info.key_type.split(" ")[0]
    if loaded.info.kind == PRIVATE_KEY and algorithm != "RSA":
        # APIv3 signs with SHA256withRSA (WECHATPAY2-SHA256-RSA2048): no other key can sign a
        # request, so none is taken for the merchant's private key.
        not_rsa = _(
            "这是 {algorithm} 私钥，支付签名（SHA256withRSA / SHA1withRSA）需要 RSA 私钥。",
            algorithm=algorithm,
        )
        return _unreadable_key(index, Finding("not_rsa", not_rsa))
    return _loaded_entry(loaded, loaded.info, index)


def _read_browser_key(key: BrowserKey, index: int, now: datetime | None) -> Entry:
    """Local mode: a private key the browser read, by its public half (which is what every check
    of a private key uses: the pair with a certificate, whose it is)."""
    if key.fault is not None:
        return _unreadable_key(index, key.fault)
    try:
        loaded = load_public_key(key.public_pem, now=now)
    except ParseError as error:
        return _unreadable_key(index, Finding(error.code, error.message))
    info = replace(
        loaded.info,
        kind=PRIVATE_KEY,
        format=key.format,
        findings=(*key.findings, *loaded.info.findings),
    )
    return _loaded_entry(loaded, info, index)


def _loaded_entry(loaded: LoadedKey, info: KeyInfo, index: int) -> Entry:
    kind = _kind_of_loaded(info)
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
        facts=_key_facts(info),
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
        if isinstance(piece.local, Finding):  # local mode: the browser could not read it
            raise ParseError(piece.local.code, piece.local.message)
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
    # A key the browser kept (local mode) is a 32-character token or a value named as a key.
    kind = piece.hint or (
        KEY_32 if isinstance(piece.local, SecretFacts) else token_kind(piece.text)
    )
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
        if not PUBLIC_KEY_ID_SHAPE.fullmatch(value):
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
        measure = piece.local if isinstance(piece.local, SecretFacts) else SecretFacts.of(value)
        facts = (_("{length} 个字符", length=measure.chars),)
        item = Item(index, kind, label, secret=True, facts=facts)
        return Entry(item, value=value, hint=piece.hint, spaced=piece.spaced, measure=measure)
    return Entry(Item(index, UNREADABLE, _("不认识的内容")), value="")


def read_entries(
    texts: Sequence[str],
    *,
    now: datetime | None = None,
    named: Sequence[Piece] = (),
    split: Split | None = None,
) -> tuple[list[Entry], list[Finding]]:
    """Every item of the paste (or of the pieces it was ``split`` into) and of the ``named``
    fields, loaded (at most MAX_ITEMS), and findings about the paste itself."""
    if split is None:
        pieces, cut = split_paste(texts)
        unknown = 0
    else:
        pieces, cut, unknown = list(split.pieces), split.cut, split.unknown
    pieces += named
    unknown += sum(1 for piece in pieces if not piece.hint and not _is_known(piece))
    pieces = [piece for piece in pieces if piece.hint or _is_known(piece)]
    findings: list[Finding] = []
    if cut:
        findings.append(
            Finding(
                "too_many_lines",
                _(
                    "一次最多读取 {limit} 行（或 {limit} 段），后面的没有读：只粘贴密钥、证书和相关配置。",
                    limit=MAX_LINES,
                ),
            )
        )
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
            findings.append(_too_many(len(pieces) - number + (split.more if split else 0)))
            break
        index = len(entries) + 1
        if piece.hint == CERTIFICATES_ANSWER:
            read = _read_answer(piece, index)
            room = MAX_ITEMS - len(entries)
            if len(read) > room:
                findings.append(_too_many(len(read) - room))
            entries += read[:room]
        elif isinstance(piece.local, BrowserKey):
            if piece.local.private and private_keys >= MAX_PRIVATE_KEYS:
                entries.append(_unread_private_key(index))
                continue
            entries.append(_read_browser_key(piece.local, index, now))
            private_keys += entries[-1].item.kind == PRIVATE
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
    return not piece.withheld and (
        piece.local is not None
        or piece.text.startswith("-----")
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
