"""密钥体检 — the key ring: everything a merchant holds for APIv3, pasted at once, labelled, checked
against each other, and for each job (sign requests, verify answers, verify callbacks, decrypt
callbacks, encrypt sensitive fields) whether they hold what it needs and which item to use.

Four modules, one step each: the paste is split into items, loaded and labelled (whose is it)
in :mod:`~diagnostics.wechat_v3.keyring_items`; the items are checked against each other in
:mod:`~diagnostics.wechat_v3.keyring_relations` (003 §2.1: the private key and the merchant
certificate are a pair and its serial goes into Authorization; answers and callbacks verify with
the platform certificate or the WeChat Pay public key that Wechatpay-Serial names; the APIv3 key
is 32 bytes and decrypts the ``/v3/certificates`` answer); each job's verdict and the move from
platform certificates to the WeChat Pay public key are in
:mod:`~diagnostics.wechat_v3.keyring_jobs`; here they are put together, with the workbench task.

>>> ring = examine(["mchid=1900009191", "PUB_KEY_ID_0114232134912410000000000000"])
>>> [job.ready for job in ring.jobs]
[False, False, False, False, False]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from diagnostics.core.findings import Finding, ParseError, findings_data
from diagnostics.core.text import _
from diagnostics.core.workbench import Task, Values, gettext_noop
from diagnostics.wechat_v3.keyring_items import Entry, Item, Split, label_entries, read_entries
from diagnostics.wechat_v3.keyring_jobs import SRC_KEYS, Job, Relation, judge_jobs, switch_finding
from diagnostics.wechat_v3.keyring_paste import (
    API_KEY,
    APIV3_KEY,
    ENCRYPTED_CERTIFICATE,
    KEY_32,
    MCHID,
    PLATFORM_CERTIFICATE,
    SERIAL,
    WECHATPAY_SERIAL,
    Piece,
    lone_token,
)
from diagnostics.wechat_v3.keyring_relations import Opener, open_with_value, relations_of


@dataclass(frozen=True)
class KeyRing:
    items: tuple[Item, ...]
    relations: tuple[Relation, ...]
    jobs: tuple[Job, ...]
    findings: tuple[Finding, ...]
    mode: str  # "certificates" | "public_key" | "both" | "": what verifies WeChat Pay's signatures

    @property
    def ready_count(self) -> int:
        return sum(job.ready for job in self.jobs)

    def as_data(self) -> dict[str, Any]:
        """The ring as plain data — ``POST /api/v1/wechat/v3/keyring``'s answer and ``paydoctor
        keyring --json``: an item's optional fields only when it has them, ``use`` counted from 0,
        no secret's value (items show secrets as kind and size only)."""
        items = []
        for item in self.items:
            out: dict[str, Any] = {"kind": item.kind, "label": str(item.label)}
            optional = {
                "serial": item.serial,
                "not_before": item.not_before.isoformat() if item.not_before else "",
                "not_after": item.not_after.isoformat() if item.not_after else "",
                "subject": item.subject,
                "public_key_id": item.public_key_id,
            }
            out |= {name: value for name, value in optional.items() if value}
            items.append(out)
        return {
            "items": items,
            "relations": [
                {"code": r.code, "ok": r.ok, "message": str(r.message)} for r in self.relations
            ],
            "jobs": [
                {
                    "job": job.job,
                    "ready": job.ready,
                    "use": [number - 1 for number in job.use],
                    "message": str(job.message),
                }
                for job in self.jobs
            ],
            "findings": findings_data(self.findings),
        }

    @property
    def failed_count(self) -> int:
        """Relations that do not hold: with one, the headline is not "all good" even when every
        job has its items (a configured serial or mchid that is not the certificate's)."""
        return sum(not relation.ok for relation in self.relations)


def _of(entries: list[Entry], *kinds: str) -> list[Entry]:
    return [entry for entry in entries if entry.item.kind in kinds]


def _n(entry: Entry) -> int:
    return entry.item.index


def examine(
    texts: Sequence[str],
    *,
    mchid: str = "",
    wechatpay_serial: str = "",
    serial_no: str = "",
    apiv3_key: str = "",
    api_key: str = "",
    now: datetime | None = None,
    split: Split | None = None,
    kept: Sequence[Piece] = (),
    opener: Opener = open_with_value,
) -> KeyRing:
    """Read, label and check everything pasted. ``texts`` are pastes in any order; the keyword
    arguments are fields that say what their value is.

    Local mode (本地计算, :mod:`~diagnostics.wechat_v3.keyring_local`) gives the paste already
    ``split`` by the browser, the keys it ``kept`` from the APIv3 and API key fields in place of
    ``apiv3_key`` and ``api_key``, and an ``opener`` that answers with what the browser decrypted."""
    now = now or datetime.now(UTC)
    named = [
        piece
        for value, hint in (
            (mchid, MCHID),
            (wechatpay_serial, WECHATPAY_SERIAL),
            (serial_no, SERIAL),
            (apiv3_key, APIV3_KEY),
            (api_key, API_KEY),
        )
        if (piece := lone_token(value, hint)) is not None
    ]
    for piece in named:
        _check_named(piece)
    named += kept
    entries, findings = read_entries(texts, now=now, named=named, split=split)
    label_entries(entries)
    relations = relations_of(entries, now, opener)
    findings += _item_findings(entries, now)
    mode, jobs = judge_jobs(entries, relations, now)
    if switch := switch_finding(mode, entries):
        findings.append(switch)
    if not entries:
        raise ParseError(
            "keyring_empty", _("没有认出任何密钥、证书、序列号或商户号：请粘贴你手上的内容。")
        )
    return KeyRing(
        items=tuple(entry.item for entry in entries),
        relations=tuple(relations),
        jobs=tuple(jobs),
        findings=tuple(findings),
        mode=mode,
    )


def _check_named(piece: Piece) -> None:
    """A value typed into a field that names it must look like one (an mchid is digits, a serial
    hex or decimal or a public-key ID); anything else is refused rather than guessed at."""
    text = piece.text
    if piece.hint == MCHID and not re.fullmatch(r"\d{1,32}", text):
        raise ParseError("mchid_not_digits", _("商户号应是一串数字（通常 10 位）。"))
    if piece.hint in (SERIAL, WECHATPAY_SERIAL) and not (
        re.fullmatch(r"[0-9A-Fa-f]{1,128}", text)
        or re.fullmatch(r"PUB_KEY_ID_[A-Za-z0-9_]{1,64}", text)
    ):
        raise ParseError(
            "serial_not_hex",
            _(
                "序列号应是十六进制（微信支付写作 40 位大写）、十进制，或 PUB_KEY_ID_ 开头的公钥 ID。"
            ),
        )


def _item_findings(entries: list[Entry], now: datetime) -> list[Finding]:
    """What the paste as a whole lacks or confuses: a key that could be either, an answer left
    encrypted, a platform certificate past its date."""
    findings = []
    if [e for e in _of(entries, KEY_32) if not _of(entries, ENCRYPTED_CERTIFICATE)]:
        findings.append(
            Finding(
                "key_ambiguous",
                _(
                    "32 个字符的密钥可能是 APIv3 密钥，也可能是 API 密钥（V2）：两者长度、字符都一样，"
                    "只看内容分不出来。写成 apiv3_key=… 或 key=…，或填进下面对应的栏；"
                    "贴上 /v3/certificates 应答时，能解开它的就是 APIv3 密钥。"
                ),
                SRC_KEYS,
            )
        )
    if _of(entries, ENCRYPTED_CERTIFICATE) and not _of(entries, APIV3_KEY, KEY_32, API_KEY):
        findings.append(
            Finding(
                "answer_not_decrypted",
                _(
                    "/v3/certificates 应答里的证书是用 APIv3 密钥加密的（AEAD_AES_256_GCM，"
                    "associated_data 通常是 certificate）：一起贴上 APIv3 密钥就能解密并检查。"
                ),
                SRC_KEYS,
            )
        )
    for entry in _of(entries, ENCRYPTED_CERTIFICATE, PLATFORM_CERTIFICATE):
        after = entry.item.not_after
        if after is not None and after < now:
            findings.append(
                Finding(
                    "platform_certificate_expired",
                    _(
                        "第 {item} 项平台证书已于 {date} 过期：重新下载 /v3/certificates，用新证书验签。",
                        item=_n(entry),
                        date=after.date(),
                    ),
                    SRC_KEYS,
                )
            )
    return findings


def run_keyring(values: Values) -> Values:
    """The page's fields: one paste of everything (``private_key``, secret), the keys apart."""
    ring = examine(
        [values["private_key"]],
        mchid=values.get("mchid", ""),
        wechatpay_serial=values.get("wechatpay_serial", ""),
        serial_no=values.get("serial_no", ""),
        apiv3_key=values.get("apiv3_key", ""),
        api_key=values.get("key", ""),
    )
    return {"ring": ring}


KEYRING_TASK = Task(
    "wechat_v3:keyring",
    gettext_noop("密钥体检"),
    "Key ring: which key, certificate and serial is which",
    "003 §2.1",
    gettext_noop(
        "把手上的私钥、证书、/v3/certificates 应答、微信支付公钥和 ID、APIv3 密钥、API 密钥、序列号、"
        "商户号一次贴进来，任意顺序：逐项说出是什么、是谁的，核对它们是否相配，"
        "再说每件事（签名、验签、解密、加密）该用哪一项。"
    ),
    run_keyring,
)
