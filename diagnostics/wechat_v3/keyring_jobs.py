"""The key ring's verdicts: for each job, whether the pasted items are enough and which to use,
and the move from platform certificates to the WeChat Pay public key said for what the merchant
holds (only certificates, only a public key, both).

The facts of the switch come from WeChat Pay's public pages (the public-source tier,
faq/data/public/wechat_v3.yaml): merchants registered since about October 2024 get no platform
certificate; once a merchant starts the switch, callbacks move to the public key over about seven
days; an answer is signed with the public key when the request carries ``Wechatpay-Serial:
PUB_KEY_ID_…``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from diagnostics.core.findings import Finding
from diagnostics.core.text import Text, _
from diagnostics.wechat_v3.keyring_items import Entry
from diagnostics.wechat_v3.keyring_paste import (
    APIV3_KEY,
    ENCRYPTED_CERTIFICATE,
    KEY_32,
    MCHID,
    MERCHANT_CERTIFICATE,
    PLATFORM_CERTIFICATE,
    PRIVATE,
    PUBLIC_KEY_ID,
    SERIAL,
    WECHATPAY_PUBLIC_KEY,
    WECHATPAY_SERIAL,
)
from diagnostics.wechat_v3.signing import PUBLIC_KEY_ID_PREFIX

# 003 §2.1 (签名验证, and the APIv3 key that decrypts callbacks and the certificates answer) and
# §3.2.6, cited by number: the section titles stayed Chinese on the English page.
SRC_KEYS = "003 §2.1; §3.2.6"

# The switch is not in the five documents: its facts are the public-source tier's (see the
# module docstring), so its findings cite no document.
SRC_SWITCH = ""

JOB_TITLES = {
    "sign_requests": _("给请求签名"),
    "verify_responses": _("验证应答签名"),
    "verify_callbacks": _("验证回调签名"),
    "decrypt_callbacks": _("解密回调"),
    "encrypt_sensitive_fields": _("加密敏感字段"),
}


@dataclass(frozen=True)
class Relation:
    """How two (or more) items stand to each other; ``items`` are their 1-based numbers."""

    code: str
    ok: bool
    message: Text
    items: tuple[int, ...] = ()


@dataclass(frozen=True)
class Job:
    """One job: whether the items are enough, which to use (1-based numbers), and why."""

    job: str
    ready: bool
    use: tuple[int, ...]
    message: Text

    @property
    def title(self) -> Text:
        return JOB_TITLES[self.job]


def _of(entries: list[Entry], *kinds: str) -> list[Entry]:
    return [entry for entry in entries if entry.item.kind in kinds]


def _n(entry: Entry) -> int:
    return entry.item.index


def _numbers(entries: list[Entry]) -> tuple[int, ...]:
    return tuple(_n(entry) for entry in entries)


def _failed(relations: list[Relation], code: str, item: int) -> bool:
    return any(r.code == code and not r.ok and item in r.items for r in relations)


def _current(entries: list[Entry], now: datetime) -> list[Entry]:
    """Certificates valid now (an expired one verifies nothing WeChat Pay signs today)."""
    return [
        e
        for e in entries
        if not e.item.expired and (e.item.not_after is None or e.item.not_after > now)
    ]


# --- signing -------------------------------------------------------------------------------------


def _sign_job(entries: list[Entry], relations: list[Relation], now: datetime) -> Job:
    privates = [e for e in _of(entries, PRIVATE) if e.loaded is not None]
    mchids = _of(entries, MCHID)
    if not privates:
        return Job(
            "sign_requests",
            False,
            (),
            _(
                "需要商户 API 私钥 apiclient_key.pem，还要商户 API 证书的序列号（或证书 apiclient_cert.pem）"
                "和商户号。证书、公钥都不能用来签名。"
            ),
        )
    private = privates[0]
    pairs = [
        c
        for c in _of(entries, MERCHANT_CERTIFICATE)
        if not _failed(relations, "key_pair", _n(c)) and _n(c) != _n(private)
    ]
    typed = [
        s
        for s in _of(entries, SERIAL)
        if not _failed(relations, "serial_certificate", _n(s))
        and not s.value.startswith(PUBLIC_KEY_ID_PREFIX)
    ]
    mismatched = [c for c in _of(entries, MERCHANT_CERTIFICATE) if c not in pairs]
    if pairs:
        certificate = pairs[0]
        if certificate.item.expired:
            return Job(
                "sign_requests",
                False,
                (_n(private), _n(certificate)),
                _(
                    "第 {cert} 项商户 API 证书已经过期：微信支付不再接受用它签的请求。"
                    "请在商户平台「API安全」申请新证书，换上新的私钥和序列号。",
                    cert=_n(certificate),
                ),
            )
        use = (_n(private), _n(certificate), *_numbers(mchids[:1]))
        return Job(
            "sign_requests",
            True,
            use,
            _(
                '用第 {key} 项私钥签名；Authorization 里 serial_no="{serial}"（第 {cert} 项证书），'
                "mchid 填商户号 {mchid}。",
                key=_n(private),
                serial=certificate.item.serial,
                cert=_n(certificate),
                mchid=mchids[0].value if mchids else _subject_cn(certificate.item.subject),
            ),
        )
    if mismatched:
        return Job(
            "sign_requests",
            False,
            (_n(private),),
            _(
                "私钥和粘贴的商户证书不是一对：找到同一次申请得到的 apiclient_key.pem 和 "
                "apiclient_cert.pem，再用那张证书的序列号。"
            ),
        )
    if typed:
        use = (_n(private), _n(typed[0]), *_numbers(mchids[:1]))
        return Job(
            "sign_requests",
            True,
            use,
            _(
                "用第 {key} 项私钥签名，serial_no 填第 {serial} 项序列号。没有商户证书，无法核对"
                "私钥与序列号是否一对：401「商户证书序列号有误」时先查这一点。",
                key=_n(private),
                serial=_n(typed[0]),
            ),
        )
    return Job(
        "sign_requests",
        False,
        (_n(private),),
        _(
            "有私钥，但缺商户 API 证书的序列号：Authorization 必须带 serial_no。用 "
            "openssl x509 -in apiclient_cert.pem -noout -serial 查看，或把 apiclient_cert.pem 一起贴上。"
        ),
    )


def _subject_cn(subject: str) -> str:
    for part in subject.split(","):
        name, _sep, value = part.partition("=")
        if name.strip() == "CN":
            return value.strip()
    return ""


# --- verifying --------------------------------------------------------------------------------


def mode_of(entries: list[Entry], now: datetime) -> str:
    """What the merchant can verify WeChat Pay's signatures with: "certificates", "public_key",
    "both" or "" (nothing)."""
    certificates = bool(_current(_of(entries, PLATFORM_CERTIFICATE, ENCRYPTED_CERTIFICATE), now))
    public_key = bool(_of(entries, WECHATPAY_PUBLIC_KEY))
    return {
        (True, True): "both",
        (True, False): "certificates",
        (False, True): "public_key",
        (False, False): "",
    }[certificates, public_key]


def _verifiers(entries: list[Entry], now: datetime) -> list[Entry]:
    return (
        _current(_of(entries, PLATFORM_CERTIFICATE), now)
        + _of(entries, WECHATPAY_PUBLIC_KEY)
        + _of(entries, PUBLIC_KEY_ID)[:1]
    )


def _nothing_to_verify(entries: list[Entry], job: str) -> Job:
    merchant = _of(entries, MERCHANT_CERTIFICATE)
    encrypted = _of(entries, ENCRYPTED_CERTIFICATE)
    if encrypted and _of(entries, APIV3_KEY, KEY_32):
        message = _(
            "平台证书还在 /v3/certificates 应答里加密着，粘贴的密钥没有一个能解开它（见上面的核对）："
            "需要这个商户号的 APIv3 密钥。"
        )
    elif encrypted:
        message = _(
            "平台证书还在 /v3/certificates 应答里加密着：粘贴 APIv3 密钥，它们就能解密出来用于验签。"
        )
    elif merchant:
        message = _(
            "第 {cert} 项是你自己的商户 API 证书：它只给微信支付验你的签名，验不了微信支付的签名。"
            "需要微信支付平台证书（/v3/certificates 下载，用 APIv3 密钥解密）或微信支付公钥 "
            "pub_key.pem 和它的 PUB_KEY_ID_…。",
            cert=_n(merchant[0]),
        )
    else:
        message = _(
            "需要微信支付平台证书（/v3/certificates 下载，用 APIv3 密钥解密）或微信支付公钥 "
            "pub_key.pem 和它的 PUB_KEY_ID_…（商户平台「API安全」）。不能用商户证书 apiclient_cert.pem。"
        )
    return Job(job, False, (), message)


def _verify_job(entries: list[Entry], relations: list[Relation], now: datetime, job: str) -> Job:
    verifiers = _verifiers(entries, now)
    if not [v for v in verifiers if v.item.kind != PUBLIC_KEY_ID]:
        return _nothing_to_verify(entries, job)
    received = _of(entries, WECHATPAY_SERIAL)
    certificates = _current(_of(entries, PLATFORM_CERTIFICATE), now)
    public_keys = _of(entries, WECHATPAY_PUBLIC_KEY)
    ids = _of(entries, PUBLIC_KEY_ID)
    relation = None
    if received:
        serial = received[0]
        relation = next(
            (r for r in relations if r.code == "wechatpay_serial" and _n(serial) in r.items), None
        )
        if relation is not None and not relation.ok:
            return Job(job, False, (), relation.message)
    mode = mode_of(entries, now)
    if mode == "both":
        message = (
            _(
                "两样都有：按 Wechatpay-Serial 选——以 PUB_KEY_ID_ 开头用第 {key} 项微信支付公钥，"
                "否则用序列号相同的平台证书。切换期间，请求头带 Wechatpay-Serial: PUB_KEY_ID_… 的"
                "应答才用公钥签名。",
                key=_n(public_keys[0]),
            )
            if job == "verify_responses"
            else _(
                "两样都有：切换期间回调两种签名都会来（用公钥签名的比例约 7 天内逐日放量到 100%），"
                "按 Wechatpay-Serial 选——以 PUB_KEY_ID_ 开头用第 {key} 项微信支付公钥，"
                "否则用序列号相同的平台证书。",
                key=_n(public_keys[0]),
            )
        )
    elif mode == "certificates":
        message = (
            _(
                "用平台证书验签，按应答的 Wechatpay-Serial 选序列号相同的那张（平台证书会轮换）。"
                "在商户平台开始切换到微信支付公钥以后，请求头带 Wechatpay-Serial: PUB_KEY_ID_… 的"
                "应答会改用公钥签名：开始前先配置好 pub_key.pem 和公钥 ID。"
            )
            if job == "verify_responses"
            else _(
                "用平台证书验签，按回调的 Wechatpay-Serial 选序列号相同的那张。一旦在商户平台开始"
                "切换到微信支付公钥，回调会在约 7 天内逐步改用公钥签名（Wechatpay-Serial 变成 "
                "PUB_KEY_ID_…）：开始前先把公钥也配置上，两样都保留。"
            )
        )
    else:
        with_id = bool(ids)
        message = (
            _(
                "用第 {key} 项微信支付公钥验签。应答只有在你的请求头带 Wechatpay-Serial: {id} 时"
                "才用公钥签名；没带这个头（或商户平台还没开始切换）时仍是平台证书签的，只配公钥的"
                " SDK 会报 “publicKeyId … and serialNumber … are not equal”。每个请求都带上这个头。",
                key=_n(public_keys[0]),
                id=ids[0].value if with_id else "PUB_KEY_ID_…",
            )
            if job == "verify_responses"
            else _(
                "用第 {key} 项微信支付公钥验签。只有公钥、没有平台证书：新商户号（约 2024 年 10 月起）"
                "就是这样，回调全用公钥签名；如果你的商户号正在从平台证书切换，切换完成（回调 100%）"
                "之前还会收到平台证书签名的回调，平台证书要保留到那时。",
                key=_n(public_keys[0]),
            )
        )
        if not with_id:
            message = _(
                "{message}还缺公钥 ID（PUB_KEY_ID_…）：SDK 要用它和 Wechatpay-Serial 对照。",
                message=message,
            )
    use = _numbers(certificates + public_keys[:1] + ids[:1])
    if received and relation is not None:
        # The message they received names its key: that one, then the situation in general.
        use = tuple(n for n in relation.items if n != _n(received[0]))
        message = _("{which}{general}", which=relation.message, general=message)
    return Job(job, True, use, message)


# --- decrypting and encrypting -----------------------------------------------------------------


def _decrypt_job(entries: list[Entry], relations: list[Relation]) -> Job:
    confirmed = [
        e for e in _of(entries, APIV3_KEY) if any(
            r.code == "apiv3_key_decrypts" and r.ok and _n(e) in r.items for r in relations
        )
    ]  # fmt: skip
    if confirmed:
        return Job(
            "decrypt_callbacks",
            True,
            (_n(confirmed[0]),),
            _(
                "第 {key} 项 APIv3 密钥解开了 /v3/certificates 应答，回调的 resource 也用它解密"
                "（AEAD_AES_256_GCM）。",
                key=_n(confirmed[0]),
            ),
        )
    failed = [r for r in relations if r.code == "apiv3_key_decrypts" and not r.ok]
    if failed and not _of(entries, APIV3_KEY):
        return Job("decrypt_callbacks", False, failed[0].items, failed[0].message)
    good = [
        e
        for e in _of(entries, APIV3_KEY)
        if not any(
            not r.ok and _n(e) in r.items and r.code.startswith("apiv3_key") for r in relations
        )
    ]
    if good:
        return Job(
            "decrypt_callbacks",
            True,
            (_n(good[0]),),
            _(
                "用第 {key} 项 APIv3 密钥解密回调的 resource（长度正确；这里没有密文可以核对它，"
                "可以贴上 /v3/certificates 应答一起检查，或在解密页面贴一条回调）。",
                key=_n(good[0]),
            ),
        )
    ambiguous = _of(entries, KEY_32)
    if ambiguous:
        return Job(
            "decrypt_callbacks",
            False,
            _numbers(ambiguous[:1]),
            _(
                "第 {key} 项是 32 个字符的密钥，但 APIv3 密钥和 API 密钥（V2）长得一样，看不出是哪个。"
                "写成 apiv3_key=… 说明，或者把 /v3/certificates 应答一起贴上：能解开它的就是 APIv3 密钥。",
                key=_n(ambiguous[0]),
            ),
        )
    bad = _of(entries, APIV3_KEY)
    if bad:
        return Job(
            "decrypt_callbacks",
            False,
            _numbers(bad[:1]),
            _("APIv3 密钥有问题（见上面的核对），用它解不开回调。"),
        )
    return Job(
        "decrypt_callbacks",
        False,
        (),
        _("需要 APIv3 密钥：你在商户平台「API安全」设置的 32 个字符（不是 API 密钥 V2）。"),
    )


def _encrypt_job(entries: list[Entry], now: datetime) -> Job:
    certificates = sorted(
        _current(_of(entries, PLATFORM_CERTIFICATE), now),
        key=lambda e: e.item.not_before or now,
        reverse=True,
    )
    public_keys = _of(entries, WECHATPAY_PUBLIC_KEY)
    ids = _of(entries, PUBLIC_KEY_ID)
    privates = [e for e in _of(entries, PRIVATE) if e.loaded is not None]
    back = (
        _("微信支付返回的加密字段用第 {key} 项商户私钥解密。", key=_n(privates[0]))
        if privates
        else _("微信支付返回的加密字段要用商户私钥 apiclient_key.pem 解密。")
    )
    if public_keys and ids:
        return Job(
            "encrypt_sensitive_fields",
            True,
            (_n(public_keys[0]), _n(ids[0])),
            _(
                "用第 {key} 项微信支付公钥加密（RSA-OAEP，SHA-1），请求头带 Wechatpay-Serial: {id}。{back}",
                key=_n(public_keys[0]),
                id=ids[0].value,
                back=back,
            ),
        )
    if certificates:
        return Job(
            "encrypt_sensitive_fields",
            True,
            (_n(certificates[0]),),
            _(
                "用第 {cert} 项平台证书的公钥加密（RSA-OAEP，SHA-1），请求头带 Wechatpay-Serial: "
                "{serial}（加密用哪张证书，头里就写哪张的序列号）。{back}",
                cert=_n(certificates[0]),
                serial=certificates[0].item.serial,
                back=back,
            ),
        )
    if public_keys:
        return Job(
            "encrypt_sensitive_fields",
            False,
            (_n(public_keys[0]),),
            _(
                "有微信支付公钥，但缺它的 ID（PUB_KEY_ID_…）：请求头 Wechatpay-Serial 必须写它，"
                "否则得到 400「平台证书序列号Wechatpay-Serial错误」。{back}",
                back=back,
            ),
        )
    return Job(
        "encrypt_sensitive_fields",
        False,
        (),
        _(
            "需要微信支付平台证书或微信支付公钥和它的 ID（不是你自己的商户证书）：加密用它，"
            "请求头 Wechatpay-Serial 写它的序列号或 PUB_KEY_ID_…。{back}",
            back=back,
        ),
    )


def judge_jobs(
    entries: list[Entry], relations: list[Relation], now: datetime
) -> tuple[str, list[Job]]:
    """The verification mode and every job's verdict, in the order of JOB_TITLES."""
    return mode_of(entries, now), [
        _sign_job(entries, relations, now),
        _verify_job(entries, relations, now, "verify_responses"),
        _verify_job(entries, relations, now, "verify_callbacks"),
        _decrypt_job(entries, relations),
        _encrypt_job(entries, now),
    ]


def switch_finding(mode: str, entries: list[Entry]) -> Finding | None:
    """The switch from platform certificates to the WeChat Pay public key, for their situation."""
    if mode == "both":
        return Finding(
            "switch_both",
            _(
                "你同时有平台证书和微信支付公钥：这正是切换期间该有的配置。两样都保留，按 "
                "Wechatpay-Serial 选验签密钥；回调到 100% 用公钥、应答也都带上公钥 ID 之后，"
                "才可以去掉平台证书。"
            ),
            SRC_SWITCH,
        )
    if mode == "certificates":
        return Finding(
            "switch_certificates_only",
            _(
                "你只有平台证书。微信支付在把商户从平台证书迁到微信支付公钥：在商户平台「API安全」"
                "申请公钥并开始切换之前，先让程序同时支持两者（按 Wechatpay-Serial 选）；"
                "同一个商户号的所有系统都支持后再开始切换。"
            ),
            SRC_SWITCH,
        )
    if mode == "public_key":
        return Finding(
            "switch_public_key_only",
            _(
                "你只有微信支付公钥。新商户号没有平台证书（/v3/certificates 返回 404「无可用的平台证书」），"
                "这就是全部所需；正在从平台证书切换的商户号，切换完成前还需要平台证书。"
            ),
            SRC_SWITCH,
        )
    if _of(entries, MERCHANT_CERTIFICATE, PRIVATE):
        return Finding(
            "switch_nothing_to_verify",
            _(
                "你没有任何能验证微信支付签名的东西：平台证书（/v3/certificates，用 APIv3 密钥解密）"
                "或微信支付公钥（商户平台「API安全 → 微信支付公钥」）至少要有一样。"
            ),
            SRC_KEYS,
        )
    return None
