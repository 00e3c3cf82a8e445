"""密钥体检 in local mode (本地计算, issue 17): the secrets stay in the merchant's browser.

The browser splits the paste exactly as the server does (static/js/local/keyring-split.js, held to
:func:`~diagnostics.wechat_v3.keyring_paste.split_paste` by tests/js/keyring_split.test.js) and
posts the public pieces as they are; each secret it keeps is posted as a stand-in (equal secrets,
equal stand-ins) with what the checks use of it: a private key's public half and what it was
read as (:class:`~diagnostics.wechat_v3.keyring_paste.BrowserKey`), a 32-character key's lengths
(:class:`~diagnostics.wechat_v3.keyring_paste.SecretFacts`). The ring is then judged by the
same code as in server mode.

The one step that needs a key's value is opening the ``/v3/certificates`` answer. The first
answer names the pairs (encrypted certificate, key) to try and the attempts of each
(decryption.plan_decryption: what needs no key is decided here); the browser opens them and posts
the outcomes with its next request, which gives the whole ring.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from diagnostics.core.findings import ParseError
from diagnostics.core.params import MAX_INPUT_CHARS
from diagnostics.core.text import _
from diagnostics.core.workbench import Values
from diagnostics.wechat_v3.decryption import (
    DecryptionPlan,
    attempts_data,
    check_algorithm,
    key_length_error,
    plan_decryption,
)
from diagnostics.wechat_v3.keyring import KeyRing, examine
from diagnostics.wechat_v3.keyring_items import Entry, Split
from diagnostics.wechat_v3.keyring_paste import Piece


@dataclass(frozen=True)
class Outcome:
    """What the browser found opening one encrypted certificate with one key: the plaintext, or
    the code of the failure (decrypt.js: a slip's code, or the plan's failure)."""

    plaintext: str = ""
    code: str = ""


@dataclass(frozen=True)
class BrowserRing:
    """The key-ring page's post in local mode, read and bounded by its form
    (diagnostics.forms.v3_keyring)."""

    split: Split
    kept: tuple[Piece, ...] = ()  # the APIv3 key and API key fields' stand-ins
    too_large: bool = False  # a paste over MAX_INPUT_CHARS, which the browser did not split
    outcomes: Mapping[tuple[int, str], Outcome] = field(default_factory=dict)  # (item, key id)


class Pending(ParseError):
    """An encrypted certificate and a key the browser has not opened yet."""


@dataclass
class BrowserOpener:
    """Opens as the server would (decryption.decrypt_resource: the algorithm, the key's length,
    the ciphertext's shape, then the key), with the browser's outcome for the last step; notes
    each pair it does not have yet."""

    outcomes: Mapping[tuple[int, str], Outcome]
    plans: dict[int, DecryptionPlan] = field(default_factory=dict)  # by the certificate's item
    pairs: list[tuple[int, str]] = field(default_factory=list)

    def __call__(self, entry: Entry, key: Entry) -> str:
        answer = entry.answer or {}
        check_algorithm(answer.get("algorithm", ""))
        if key.measure is not None and key.measure.key_error:
            raise key_length_error(key.measure.key_error, key.measure.size)
        index = entry.item.index
        if index not in self.plans:  # one plan per certificate, whichever keys try it
            self.plans[index] = plan_decryption(
                associated_data=answer.get("associated_data", ""),
                nonce=answer.get("nonce", ""),
                ciphertext=answer.get("ciphertext", ""),
            )
        plan = self.plans[index]
        outcome = self.outcomes.get((index, key.value))
        if outcome is None:
            self.pairs.append((index, key.value))
            raise Pending("local_pending", _("正在本机浏览器里解密……"))
        if outcome.code:
            # The slip an attempt proves, or the plan's failure (decryption.open_plan); any other
            # code (a key's length, judged above from its facts) is none the browser can give.
            slips = {
                attempt.error.code: attempt.error for attempt in plan.attempts if attempt.error
            }
            raise slips.get(outcome.code, plan.failure)
        return outcome.plaintext

    def plan(self) -> dict[str, Any]:
        """What the browser opens before the ring can be judged (none: it is judged)."""
        asked = dict.fromkeys(index for index, _key in self.pairs)
        return {
            "pending": bool(self.pairs),
            "certificates": [
                {"index": index, "attempts": attempts_data(self.plans[index])} for index in asked
            ],
            "pairs": [[index, key] for index, key in self.pairs],
        }


def examine_local(
    ring: BrowserRing,
    *,
    mchid: str = "",
    wechatpay_serial: str = "",
    serial_no: str = "",
    now: datetime | None = None,
) -> tuple[KeyRing | None, dict[str, Any]]:
    """The ring judged from what the browser posted, and the browser's part: the pairs still to
    open (then no ring yet, since a verdict without them could be wrong)."""
    if ring.too_large:  # as split_paste says it
        raise ParseError("too_large", _("粘贴的内容超过 {limit} 个字符。", limit=MAX_INPUT_CHARS))
    opener = BrowserOpener(ring.outcomes)
    judged = examine(
        [],
        mchid=mchid,
        wechatpay_serial=wechatpay_serial,
        serial_no=serial_no,
        now=now,
        split=ring.split,
        kept=ring.kept,
        opener=opener,
    )
    plan = opener.plan()
    return (None if plan["pending"] else judged), plan


def run_keyring_local(values: Values) -> Values:
    """Local mode's run of the 密钥体检 page: ``local_ring`` is the form's BrowserRing."""
    ring, plan = examine_local(
        values["local_ring"],
        mchid=values.get("mchid", ""),
        wechatpay_serial=values.get("wechatpay_serial", ""),
        serial_no=values.get("serial_no", ""),
    )
    return {"ring": ring, "local": {"keyring": plan}}
