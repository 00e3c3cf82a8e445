"""The key ring's relations: how the pasted items stand to each other (003 §2.1). The private key
and the merchant certificate are a pair whose serial goes into Authorization; answers and callbacks
verify with the platform certificate or the WeChat Pay public key that ``Wechatpay-Serial`` names;
the mchid is the merchant certificate's subject CN; the APIv3 key is 32 bytes and decrypts the
``/v3/certificates`` answer, which also tells it from the V2 API key.

Each function takes the labelled entries (:mod:`diagnostics.wechat_v3.keyring_items`) and returns
:class:`~diagnostics.wechat_v3.keyring_jobs.Relation` values; :func:`decrypt_answers` also opens
the encrypted certificates it can.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.keys import keys_match, load_certificate
from diagnostics.core.serials import same_serial, serial_is_decimal
from diagnostics.core.text import Text, _, joined
from diagnostics.wechat_v3.decryption import decrypt_resource
from diagnostics.wechat_v3.keyring_items import Entry, SecretFacts
from diagnostics.wechat_v3.keyring_jobs import Relation
from diagnostics.wechat_v3.keyring_paste import (
    API_KEY,
    APIV3_KEY,
    ENCRYPTED_CERTIFICATE,
    KEY_32,
    MCHID,
    MERCHANT_CERTIFICATE,
    MERCHANT_PUBLIC_KEY,
    PLATFORM_CERTIFICATE,
    PRIVATE,
    PUBLIC_KEY_ID,
    SERIAL,
    WECHATPAY_PUBLIC_KEY,
    WECHATPAY_SERIAL,
)
from diagnostics.wechat_v3.signing import PUBLIC_KEY_ID_PREFIX


def _of(entries: list[Entry], *kinds: str) -> list[Entry]:
    return [entry for entry in entries if entry.item.kind in kinds]


def _n(entry: Entry) -> int:
    return entry.item.index


# --- the /v3/certificates answer, decrypted with whichever pasted key opens it ------------------


# Opens an encrypted certificate (the first entry) with a key (the second): the plaintext, or a
# ParseError. The server opens with the key's value; local mode's browser posts what it found.
Opener = Callable[[Entry, Entry], str]


def open_with_value(entry: Entry, key: Entry) -> str:
    answer = entry.answer or {}
    return decrypt_resource(
        apiv3_key=key.value,
        associated_data=answer.get("associated_data", ""),
        nonce=answer.get("nonce", ""),
        ciphertext=answer.get("ciphertext", ""),
        algorithm=answer.get("algorithm", ""),
    ).plaintext


def _measure(key: Entry) -> SecretFacts:
    return key.measure or SecretFacts.of(key.value)


def decrypt_answers(
    entries: list[Entry], now: datetime, opener: Opener = open_with_value
) -> list[Relation]:
    """Decrypt each encrypted platform certificate with the first pasted key that opens it.

    A 32-character key that opens one is the APIv3 key, whatever it was called.
    """
    encrypted = _of(entries, ENCRYPTED_CERTIFICATE)
    keys = _of(entries, APIV3_KEY) + _of(entries, KEY_32) + _of(entries, API_KEY)
    if not encrypted or not keys:
        return []
    opened: dict[int, Entry] = {}  # the key entry that opened each answer (by its item)
    failures: dict[int, tuple[Entry, ParseError]] = {}
    for entry in encrypted:
        for key in keys:
            try:
                plain = opener(entry, key)
            except ParseError as error:
                failures.setdefault(_n(key), (key, error))
                continue
            opened[entry.source] = key
            _open_certificate(entry, plain, now)
            break
    relations = []
    for key in keys:
        if key in opened.values():
            continue
        if key.item.kind == API_KEY and opened:
            continue  # the V2 key is not expected to open it
        error = failures.get(_n(key))
        if error and error[1].code in ("apiv3_key_length", "apiv3_key_whitespace"):
            continue  # its length or spaces are reported apart
        if key.item.kind == KEY_32:
            key.item = replace(
                key.item, label=_("32 个字符的密钥：解不开应答，不是这个商户号的 APIv3 密钥")
            )
        relations.append(
            Relation(
                "apiv3_key_decrypts",
                False,
                _(
                    "第 {key} 项解不开 /v3/certificates 应答（认证标签不匹配）：它不是这个商户号的 "
                    "APIv3 密钥。常见的是拿成了 API 密钥（V2，同样 32 个字符）、别的商户号的 APIv3 密钥，"
                    "或者商户平台上重设过 APIv3 密钥而程序没更新。",
                    key=_n(key),
                ),
                (_n(key),),
            )
        )
    for source, key in opened.items():
        kind = key.item.kind
        if kind == API_KEY:
            relations.append(
                Relation(
                    "api_key_is_apiv3_key",
                    False,
                    _(
                        "你标成 API 密钥（V2）的第 {key} 项解开了 /v3/certificates 应答：它其实是 APIv3 "
                        "密钥。两个密钥都是 32 个字符，是商户平台「API安全」里的两个不同设置；"
                        "V2 接口的签名要用 API 密钥。",
                        key=_n(key),
                    ),
                    (_n(key), source),
                )
            )
        else:
            relations.append(
                Relation(
                    "apiv3_key_decrypts",
                    True,
                    _(
                        "第 {key} 项解开了第 {answer} 项 /v3/certificates 应答：它是这个商户号的 APIv3 密钥。",
                        key=_n(key),
                        answer=source,
                    ),
                    (_n(key), source),
                )
            )
        key.item = replace(key.item, kind=APIV3_KEY, label=_("APIv3 密钥（已用应答确认）"))
        key.hint = key.hint or "confirmed"
    if opened:
        for other in _of(entries, KEY_32):
            other.item = replace(
                other.item,
                label=_("另一个 32 个字符的密钥：不是 APIv3 密钥，多半是 API 密钥（V2）"),
            )
    return relations


def _open_certificate(entry: Entry, plain: str, now: datetime) -> None:
    try:
        loaded = load_certificate(plain, now=now)
    except ParseError as error:
        entry.item = replace(entry.item, findings=(Finding(error.code, error.message),))
        return
    info = loaded.info
    findings = tuple(f for f in info.findings if f.code.startswith("certificate_"))
    entry.loaded = loaded
    entry.item = replace(
        entry.item,
        kind=PLATFORM_CERTIFICATE,
        label=_("微信支付平台证书（从第 {answer} 项应答解密）", answer=entry.source),
        serial=info.serial_no,
        not_before=info.not_before,
        not_after=info.not_after,
        expired=info.expired,
        subject=info.subject,
        issuer=info.issuer,
        findings=findings,
    )


def _answer_serials(entries: list[Entry]) -> list[Relation]:
    """Each decrypted certificate's serial against the serial_no the answer gave beside it."""
    relations = []
    for entry in entries:
        if entry.item.kind != PLATFORM_CERTIFICATE or not entry.source or not entry.value:
            continue
        ok = same_serial(entry.value, entry.item.serial)
        message = (
            _("应答里的 serial_no 与解密出的证书序列号一致：{serial}。", serial=entry.item.serial)
            if ok
            else _(
                "应答里写的 serial_no 是 {typed}，解密出的证书序列号却是 {serial}：应答被改动过，"
                "或 serial_no 与 encrypt_certificate 不是同一项。",
                typed=entry.value,
                serial=entry.item.serial,
            )
        )
        relations.append(Relation("answer_serial", ok, message, (_n(entry), entry.source)))
    return relations


# --- relations between the items ---------------------------------------------------------------


def _key_relations(entries: list[Entry]) -> list[Relation]:
    relations = []
    for private in _of(entries, PRIVATE):
        if private.loaded is None:
            continue  # not read (too many private keys)
        for certificate in _of(entries, MERCHANT_CERTIFICATE):
            pair = keys_match(private.loaded, certificate.loaded)
            message = (
                _(
                    "第 {key} 项私钥与第 {cert} 项商户证书是一对：用这个私钥签名，serial_no 填 {serial}。",
                    key=_n(private),
                    cert=_n(certificate),
                    serial=certificate.item.serial,
                )
                if pair
                else _(
                    "第 {key} 项私钥与第 {cert} 项商户证书（序列号 {serial}）不是一对：用这个私钥签的名，"
                    "微信支付拿这张证书验不过，得到 401。apiclient_key.pem 和 apiclient_cert.pem "
                    "要来自同一次申请。",
                    key=_n(private),
                    cert=_n(certificate),
                    serial=certificate.item.serial,
                )
            )
            relations.append(Relation("key_pair", pair, message, (_n(private), _n(certificate))))
        for public in _of(entries, MERCHANT_PUBLIC_KEY):
            relations.append(
                Relation(
                    "own_public_key",
                    False,
                    _(
                        "第 {public} 项公钥是你自己的商户公钥（与第 {key} 项私钥是一对），不是微信支付公钥："
                        "它验不了微信支付的签名。微信支付公钥 pub_key.pem 在商户平台「API安全 → "
                        "微信支付公钥」下载，和 PUB_KEY_ID_… 一起给出。",
                        public=_n(public),
                        key=_n(private),
                    ),
                    (_n(public), _n(private)),
                )
            )
    return relations


def _serial_written(typed: str, serial: str) -> Text | None:
    """How a typed serial that names ``serial`` is written wrong, or None when it is right."""
    typed = typed.strip()
    if serial_is_decimal(typed):
        return _("写成了十进制；微信支付用 40 位十六进制大写：{serial}。", serial=serial)
    if typed != serial:
        return _("写法不对（小写或丢了开头的 0）；应写成 {serial}。", serial=serial)
    return None


def _serial_relations(entries: list[Entry]) -> list[Relation]:
    merchant = _of(entries, MERCHANT_CERTIFICATE)
    platform = _of(entries, PLATFORM_CERTIFICATE, ENCRYPTED_CERTIFICATE)
    relations = []
    for typed in _of(entries, SERIAL):
        if typed.value.startswith(PUBLIC_KEY_ID_PREFIX):
            relations.append(
                Relation(
                    "serial_certificate",
                    False,
                    _(
                        "第 {item} 项是微信支付公钥 ID，却当作证书序列号填写：Authorization 的 serial_no "
                        "是商户 API 证书的序列号；PUB_KEY_ID_… 只放在请求头 Wechatpay-Serial 里。",
                        item=_n(typed),
                    ),
                    (_n(typed),),
                )
            )
            continue
        if not merchant and not platform:
            continue
        own = next((c for c in merchant if same_serial(typed.value, c.item.serial)), None)
        theirs = next((c for c in platform if same_serial(typed.value, c.item.serial)), None)
        if own is not None:
            wrong = _serial_written(typed.value, own.item.serial)
            message = (
                _(
                    "第 {item} 项序列号是第 {cert} 项商户证书的，但{wrong}",
                    item=_n(typed),
                    cert=_n(own),
                    wrong=wrong,
                )
                if wrong
                else _(
                    "第 {item} 项序列号是第 {cert} 项商户 API 证书的：Authorization 的 serial_no 就填它。",
                    item=_n(typed),
                    cert=_n(own),
                )
            )
            relations.append(
                Relation("serial_certificate", wrong is None, message, (_n(typed), _n(own)))
            )
        elif theirs is not None:
            named = bool(typed.hint)
            message = _(
                "第 {item} 项序列号是第 {cert} 项微信支付平台证书的：它用在请求头 Wechatpay-Serial"
                "（加密敏感字段时）和验签时选证书，不能填进 Authorization 的 serial_no"
                "（那里要商户 API 证书的序列号，填错得到 401「商户证书序列号有误」）。",
                item=_n(typed),
                cert=_n(theirs),
            )
            relations.append(
                Relation("serial_certificate", not named, message, (_n(typed), _n(theirs)))
            )
        else:
            known = joined(_("、"), (c.item.serial for c in merchant))
            message = (
                _(
                    "粘贴的证书里没有序列号为 {serial} 的；你的商户证书序列号是 {known}。",
                    serial=typed.item.serial or typed.value,
                    known=known,
                )
                if merchant
                else _(
                    "粘贴的证书里没有序列号为 {serial} 的。",
                    serial=typed.item.serial or typed.value,
                )
            )
            relations.append(Relation("serial_certificate", False, message, (_n(typed),)))
    return relations


def _wechatpay_serial_relations(entries: list[Entry]) -> list[Relation]:
    relations = []
    public_keys = _of(entries, WECHATPAY_PUBLIC_KEY)
    ids = _of(entries, PUBLIC_KEY_ID)
    for received in _of(entries, WECHATPAY_SERIAL):
        value = received.value.strip()
        if value.startswith(PUBLIC_KEY_ID_PREFIX):
            same = [entry for entry in ids if entry.value.strip() == value]
            if ids and not same:
                ok, message, used = (
                    False,
                    _(
                        "Wechatpay-Serial {value} 是微信支付公钥 ID，但你的公钥 ID 是 {yours}：这条消息"
                        "是另一把公钥签的（另一个商户号的？）。",
                        value=value,
                        yours=joined(_("、"), (entry.value for entry in ids)),
                    ),
                    [],
                )
            elif public_keys:
                ok, used = True, public_keys[:1] + same[:1]
                message = _(
                    "Wechatpay-Serial {value} 以 PUB_KEY_ID_ 开头：用第 {key} 项微信支付公钥验签。",
                    value=value,
                    key=_n(public_keys[0]),
                )
            else:
                ok, used = False, same[:1]
                message = _(
                    "Wechatpay-Serial {value} 以 PUB_KEY_ID_ 开头：这条消息用微信支付公钥签名，"
                    "你没有粘贴它。到商户平台「API安全 → 微信支付公钥」下载 pub_key.pem。",
                    value=value,
                )
            relations.append(
                Relation("wechatpay_serial", ok, message, (_n(received), *map(_n, used)))
            )
            continue
        platform = [
            e for e in _of(entries, PLATFORM_CERTIFICATE, ENCRYPTED_CERTIFICATE)
            if same_serial(value, e.item.serial)
        ]  # fmt: skip
        own = [e for e in _of(entries, MERCHANT_CERTIFICATE) if same_serial(value, e.item.serial)]
        if platform:
            entry = platform[0]
            ok = True
            message = (
                _(
                    "Wechatpay-Serial {value} 是第 {cert} 项微信支付平台证书的序列号：用它验签。",
                    value=value,
                    cert=_n(entry),
                )
                if entry.item.kind == PLATFORM_CERTIFICATE
                else _(
                    "Wechatpay-Serial {value} 是第 {cert} 项平台证书的序列号，它还在应答里加密着："
                    "粘贴 APIv3 密钥即可解密出来验签。",
                    value=value,
                    cert=_n(entry),
                )
            )
            used = [entry]
        elif own:
            ok, used = False, own[:1]
            message = _(
                "Wechatpay-Serial {value} 是你自己的商户 API 证书（第 {cert} 项）的序列号：微信支付"
                "从不用它签名。应答和回调的 Wechatpay-Serial 是平台证书序列号或公钥 ID；"
                "你也许复制了自己请求里的序列号。",
                value=value,
                cert=_n(own[0]),
            )
        else:
            ok, used = False, []
            message = _(
                "没有序列号为 {value} 的微信支付平台证书：平台证书会轮换，请重新下载（/v3/certificates）"
                "并按序列号选择。",
                value=value,
            )
            if public_keys and not _of(entries, PLATFORM_CERTIFICATE, ENCRYPTED_CERTIFICATE):
                message = _(
                    "{message}你只有微信支付公钥：这条消息却是平台证书签的。切换期间应答跟随请求——"
                    "请求头带 Wechatpay-Serial: PUB_KEY_ID_… 才会用公钥签名；回调在切换完成前两种都会来。",
                    message=message,
                )
        if ok and (wrong := _serial_written(value, used[0].item.serial)):
            message = _("{message}（序列号{wrong}）", message=message, wrong=wrong)
        relations.append(Relation("wechatpay_serial", ok, message, (_n(received), *map(_n, used))))
    return relations


def _mchid_relations(entries: list[Entry]) -> list[Relation]:
    relations = []
    for mchid in _of(entries, MCHID):
        for certificate in _of(entries, MERCHANT_CERTIFICATE):
            cn = _subject_cn(certificate.item.subject)
            ok = cn == mchid.value.strip()
            message = (
                _(
                    "商户号 {mchid} 与第 {cert} 项商户证书的 CN 一致。",
                    mchid=mchid.value,
                    cert=_n(certificate),
                )
                if ok
                else _(
                    "第 {cert} 项商户证书属于商户号 {cn}（证书主题 CN），不是 {mchid}：mchid、私钥和"
                    "证书序列号要属于同一个商户号（服务商模式下都用服务商自己的）。",
                    cert=_n(certificate),
                    cn=cn or "?",
                    mchid=mchid.value,
                )
            )
            relations.append(Relation("mchid_subject", ok, message, (_n(mchid), _n(certificate))))
    return relations


def _subject_cn(subject: str) -> str:
    for part in subject.split(","):
        name, _sep, value = part.partition("=")
        if name.strip() == "CN":
            return value.strip()
    return ""


def _apiv3_key_relations(entries: list[Entry]) -> list[Relation]:
    relations = []
    for key in _of(entries, APIV3_KEY, KEY_32):
        if key.spaced:
            relations.append(
                Relation(
                    "apiv3_key_whitespace",
                    False,
                    _(
                        "第 {item} 项密钥两端带了空格或制表符：密钥按字节使用，多一个空格就解不开；"
                        "配置文件和代码里也要去掉。",
                        item=_n(key),
                    ),
                    (_n(key),),
                )
            )
        if key.item.kind != APIV3_KEY:
            continue
        length = _measure(key).size
        if length == 32:
            message = _("第 {item} 项 APIv3 密钥是 32 个字节，长度正确（AES-256）。", item=_n(key))
        elif _measure(key).serial_like:
            message = _(
                "第 {item} 项 APIv3 密钥有 40 个字符，而且是十六进制：这像是证书序列号，填错了配置项。"
                "APIv3 密钥是你在商户平台「API安全」设置的 32 个字符。",
                item=_n(key),
            )
        else:
            message = _(
                "第 {item} 项 APIv3 密钥有 {length} 个字节，应为 32（AES-256；Go 报 crypto/aes: "
                "invalid key size {length}）。APIv3 密钥是你在商户平台「API安全」设置的 32 个字符。",
                item=_n(key),
                length=length,
            )
        relations.append(Relation("apiv3_key_length", length == 32, message, (_n(key),)))
    apiv3 = _of(entries, APIV3_KEY)
    for api in _of(entries, API_KEY):
        for key in apiv3:
            if api.value == key.value:
                relations.append(
                    Relation(
                        "api_key_is_apiv3_key",
                        False,
                        _(
                            "第 {api} 项 API 密钥（V2）与第 {key} 项 APIv3 密钥是同一个值：它们是商户平台"
                            "里两个不同的设置，多半是把其中一个复制到了另一个的位置。",
                            api=_n(api),
                            key=_n(key),
                        ),
                        (_n(api), _n(key)),
                    )
                )
            elif _measure(api).chars == _measure(key).chars == 32:
                relations.append(
                    Relation(
                        "api_key_is_apiv3_key",
                        True,
                        _(
                            "第 {api} 项 API 密钥（V2）与第 {key} 项 APIv3 密钥不同，各用各的：V2 签名用 API "
                            "密钥，证书和回调解密用 APIv3 密钥。",
                            api=_n(api),
                            key=_n(key),
                        ),
                        (_n(api), _n(key)),
                    )
                )
    return relations


def relations_of(
    entries: list[Entry], now: datetime, opener: Opener = open_with_value
) -> list[Relation]:
    """Every relation, the answers decrypted first (what they hold takes part in the rest)."""
    return [
        *decrypt_answers(entries, now, opener),
        *_apiv3_key_relations(entries),
        *_key_relations(entries),
        *_serial_relations(entries),
        *_wechatpay_serial_relations(entries),
        *_mchid_relations(entries),
        *_answer_serials(entries),
    ]
