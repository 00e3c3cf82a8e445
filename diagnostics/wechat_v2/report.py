"""Everything the V2 workbench shows for one paste: the steps, the findings, the mistake found.

The key is used for this one computation and never kept in the report: the report carries only
the masked form, so nothing built from it (a page, a JSON answer, a saved link) can leak it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from typing import Any

from diagnostics.core.findings import BLOCKING, Finding, ParseError, by_severity, findings_data
from diagnostics.core.params import ParsedParams
from diagnostics.core.text import Message, _
from diagnostics.core.textdiff import TextDiff, compare
from diagnostics.wechat_v2.checks import check_params, normalise_sign_type, sign_type_findings
from diagnostics.wechat_v2.fields import Preset
from diagnostics.wechat_v2.mistakes import (
    Mistake,
    explained_by_findings,
    mistakes_of,
    no_mistake_found,
    search_plan,
)
from diagnostics.wechat_v2.recipes import SearchPlan, plan_data, reproducing
from diagnostics.wechat_v2.retries import retry_plan
from diagnostics.wechat_v2.signing import SIGN_FIELDS, SignSteps, key_suffix, mask_key, sign

KEY_MASK = "⟨KEY⟩"


@dataclass(frozen=True)
class KeyComparison:
    """The key part of a pasted stringSignTemp, compared without showing it."""

    same: bool
    message: Message


@dataclass
class V2Report:
    preset: Preset
    parsed: ParsedParams
    steps: SignSteps  # its string_sign_temp has the key masked
    expected_sign: str | None
    match: bool | None
    mistakes: list[Mistake] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    their_string1: TextDiff | None = None
    their_key: KeyComparison | None = None
    corrected: str = ""  # the request as pasted, with the right sign in it (step 4)
    local_stage: str = ""  # local mode: "plan" (the browser computes) or "outcome"
    local_plan: dict[str, Any] | None = None  # local mode: mistakes.plan_data for the browser

    @property
    def mistake_cards(self) -> list[dict[str, object]]:
        """Each mistake with what its string1 changes from the correct one, marked."""
        return [
            {
                "mistake": mistake,
                "diff": compare(mistake.string1, self.steps.string1) if mistake.string1 else None,
            }
            for mistake in self.mistakes
        ]

    @property
    def sign_type(self) -> str:
        return self.steps.sign_type

    @property
    def string_sign_temp_masked(self) -> str:
        return self.steps.string_sign_temp

    @property
    def blocking(self) -> list[Finding]:
        """What the platform will refuse whatever the sign says: it decides a "consistent"
        headline (a sign can be right over a payment that fails)."""
        return [finding for finding in self.findings if finding.severity == BLOCKING]

    def as_data(self) -> dict[str, Any]:
        """The JSON answers' shape (POST /api/v1/wechat/v2/sign, paydoctor v2 sign --json): the
        key masked in string_sign_temp, never whole."""
        steps = self.steps
        return {
            "format": self.parsed.format,
            "string1": steps.string1,
            "string_sign_temp": self.string_sign_temp_masked,
            "digest": steps.digest,
            "sign": steps.sign,
            "sign_type": steps.sign_type,
            "excluded": [{"name": item.name, "reason": item.reason} for item in steps.excluded],
            "match": self.match,
            "mistakes": [
                {
                    "code": mistake.code,
                    "codes": list(mistake.codes),
                    "detail": str(mistake.detail),
                    "string1": mistake.string1,
                    "fixes": [str(fix) for fix in mistake.fixes],
                    "source": mistake.sources,
                }
                for mistake in self.mistakes
            ],
            "findings": findings_data(self.findings),
            "corrected": self.corrected,
        }


@dataclass(frozen=True)
class LocalAnswer:
    """Local mode (本地计算): what the browser found out with the key, which it never sends.

    The first request has no ``outcome``: the report is everything that needs no key, with the
    plan of the search for the browser; the browser then sends the outcome (whether its sign
    matches, which recipes reproduce the merchant's) and gets the full report. ``sign`` and
    ``digest`` come only with a share, which stores them as a server-mode share does.
    """

    key_spaced: bool = False  # the typed key had whitespace around it (trimmed in the browser)
    their_key: str = (
        ""  # their stringSignTemp's key vs the typed one: same | spaced | different:N:M
    )
    outcome: LocalOutcome | None = None
    sign: str = ""
    digest: str = ""


@dataclass(frozen=True)
class LocalOutcome:
    match: bool | None
    found: tuple[tuple[int, str], ...] = ()  # mistakes.reproducing's answer, from the browser
    plan_id: str = ""  # the fingerprint of the plan it was computed from


# Where the browser puts what it computed with the key (static/js/local/v2.js): the masked key's
# last four characters, and the sign in the corrected request.
LOCAL_KEY_MASK = "••••"
LOCAL_SIGN_SLOT = "⟨SIGN⟩"


def _checked(
    parsed: ParsedParams,
    preset: Preset,
    *,
    chosen_sign_type: str | None,
    expected_sign: str | None,
    entry_point: str = "",
    order: ParsedParams | None = None,
    key_spaced: bool = False,
) -> tuple[list[Finding], str, str | None]:
    """What needs no key: the findings (in the order the retries read them), the sign_type, and
    the sign to compare with."""
    findings = list(parsed.findings)
    if key_spaced:
        findings.append(
            Finding(
                "key_whitespace_trimmed",
                _(
                    "你填写的密钥两端有空格或换行，已去掉后计算；"
                    "如果你的程序里也带着它们，签名就会不一致。"
                ),
                "002 §3.2 b",
                "key",
            )
        )

    declared_field = next(
        (name for name in (preset.sign_type_field, "sign_type", "signType") if parsed.get(name)),
        preset.sign_type_field,
    )
    declared = parsed.get(declared_field)
    sign_type = (
        (normalise_sign_type(declared) if declared else None)
        or chosen_sign_type
        or preset.default_sign_type
    )

    pasted_sign = next((parsed.get(name) for name in SIGN_FIELDS if parsed.get(name)), None)
    expected = (expected_sign or "").strip() or (pasted_sign or "").strip() or None
    if expected_sign and pasted_sign and expected_sign.strip() != pasted_sign.strip():
        findings.append(
            Finding(
                "two_signs",
                _("参数里的 sign 和你单独填写的签名不同；以单独填写的为准进行比较。"),
                field="sign",
            )
        )
    findings += sign_type_findings(declared, chosen_sign_type, sign_type, expected, declared_field)
    findings += check_params(
        parsed.pairs,
        preset.api,
        entry_point=entry_point,
        query_was_encoded=any(f.code == "values_percent_decoded" for f in parsed.findings),
        order=order.pairs if order else (),
    )
    return findings, sign_type, expected


def build_report(
    parsed: ParsedParams,
    key: str,
    preset: Preset,
    *,
    chosen_sign_type: str | None = None,
    expected_sign: str | None = None,
    entry_point: str = "",
    their_string: str = "",
    order: ParsedParams | None = None,
    local: LocalAnswer | None = None,
) -> V2Report:
    """Sign ``parsed`` as the platform would and explain any difference from the merchant's sign.

    With ``local`` there is no key (local mode): the report holds what needs none, and what the
    browser computed with it.
    """
    key = "" if local else key or parsed.pasted_key or ""
    if not key.strip() and not local:
        raise ParseError("no_key", _("请填写商户 API 密钥（key），签名需要它。"))
    findings, sign_type, expected = _checked(
        parsed,
        preset,
        chosen_sign_type=chosen_sign_type,
        expected_sign=expected_sign,
        entry_point=entry_point,
        order=order,
        key_spaced=key != key.strip() or bool(local and local.key_spaced),
    )
    key = key.strip()

    plan: SearchPlan | None = None
    if local:
        steps = replace(sign(parsed.pairs, "", sign_type), digest=local.digest, sign=local.sign)
        masked = LOCAL_KEY_MASK
        outcome = consistent_outcome(local, expected)
        match = None if expected is None or outcome is None else outcome.match
        if expected is not None:
            plan = full_plan(parsed, sign_type, expected, findings, preset)
    else:
        steps = sign(parsed.pairs, key, sign_type)
        masked = mask_key(key)
        match = None if expected is None else expected == steps.sign
    mistakes: list[Mistake] = []
    if match is False:
        # The key is blamed last: only when no mistake and no finding explains the mismatch.
        plan = plan or full_plan(parsed, sign_type, expected or "", findings, preset)
        found = outcome.found if local and outcome else reproducing(plan, key)
        mistakes = (
            mistakes_of(plan, found) or explained_by_findings(findings) or [no_mistake_found()]
        )

    report = V2Report(
        preset=preset,
        parsed=parsed,
        # The report never holds the key.
        steps=replace(steps, string_sign_temp=steps.string1 + key_suffix(masked)),
        expected_sign=expected,
        match=match,
        mistakes=mistakes,
        findings=by_severity(findings),
    )
    if local:
        # What the browser computes with: the sign's inputs and the search's plan, and the plan's
        # fingerprint, which its outcome must carry (an outcome for other inputs is not taken).
        planned = plan_data(plan) if plan else None
        plan_id = hashlib.sha256(json.dumps(planned).encode()).hexdigest()[:16] if planned else ""
        if outcome and outcome.plan_id == plan_id:
            report.local_stage = "outcome"
        else:
            report.local_stage = "plan"
            report.match, report.mistakes = None, []
        report.local_plan = {
            "string1": steps.string1,
            "sign_type": sign_type,
            "expected": expected,
            "plan": planned,
            "plan_id": plan_id,
        }
    if their_string.strip("\r\n "):
        if local:
            report.their_string1, report.their_key = compare_their_string(their_string, steps, "")
            report.their_key = local_key_comparison(local.their_key)
        else:
            report.their_string1, report.their_key = compare_their_string(their_string, steps, key)
    if match is not True:
        default_field = "paySign" if preset.api == "jsapi" else "sign"
        sign_field = next((name for name in SIGN_FIELDS if parsed.get(name)), default_field)
        report.corrected = corrected_request(parsed, sign_field, steps.sign or LOCAL_SIGN_SLOT)
    return report


def consistent_outcome(local: LocalAnswer, expected: str | None) -> LocalOutcome | None:
    """The browser's outcome, refused when it contradicts the sign it posts (a share posts it):
    "match" only when that sign is the expected one, compared as server mode compares, "no
    match" only when it is not. Without the key nothing more can be checked, so a share says the
    browser computed it (views.BROWSER_VERDICTS)."""
    outcome = local.outcome
    if outcome is None or outcome.match is None or expected is None or not local.sign:
        return outcome
    if outcome.match != (local.sign == expected):
        raise ParseError("local_outcome", _("本地计算的结果与输入不一致，请刷新页面后重新计算。"))
    return outcome


def full_plan_of(
    parsed: ParsedParams,
    preset: Preset,
    *,
    chosen_sign_type: str | None = None,
    expected_sign: str | None = None,
) -> SearchPlan | None:
    """The plan ``build_report`` searches for these inputs (None without a sign to explain)."""
    findings, sign_type, expected = _checked(
        parsed, preset, chosen_sign_type=chosen_sign_type, expected_sign=expected_sign
    )
    return None if expected is None else full_plan(parsed, sign_type, expected, findings, preset)


def full_plan(
    parsed: ParsedParams, sign_type: str, expected: str, findings: list[Finding], preset: Preset
) -> SearchPlan:
    """Every candidate of every stage, without the key: the mistakes, then what the findings
    say was signed differently, then the lost milliseconds."""
    plan = search_plan(parsed.pairs, sign_type, expected)
    return retry_plan(parsed.pairs, sign_type, findings, preset.sign_type_field, plan)


def corrected_request(parsed: ParsedParams, sign_field: str, sign_value: str) -> str:
    """The params in the format they were pasted in, with ``sign_field`` set to the right sign
    (the last step of the platform's own signature tool)."""
    pairs = [(name, value) for name, value in parsed.pairs if name != sign_field]
    pairs.append((sign_field, sign_value))
    if parsed.format == "xml":

        def element(name: str, value: str) -> str:
            if any(char in value for char in "<>&"):
                return f"<{name}><![CDATA[{value}]]></{name}>"
            return f"<{name}>{value}</{name}>"

        return "<xml>\n" + "\n".join(element(n, v) for n, v in pairs) + "\n</xml>"
    if parsed.format in ("query", "url"):
        return "&".join(f"{name}={value}" for name, value in pairs)
    if parsed.format in ("lines", "form"):
        return "\n".join(f"{name}={value}" for name, value in pairs)
    return json.dumps(dict(pairs), ensure_ascii=False, indent=2)


def local_key_comparison(state: str) -> KeyComparison | None:
    """The key part of their stringSignTemp as the browser compared it (``LocalAnswer.their_key``),
    in the words ``compare_their_string`` uses."""
    if state == "same":
        return KeyComparison(True, _SAME_KEY)
    if state == "spaced":
        return KeyComparison(False, _SPACED_KEY)
    kind, _colon, lengths = state.partition(":")
    theirs, _colon, ours = lengths.partition(":")
    if kind == "different" and theirs.isdigit() and ours.isdigit():
        return KeyComparison(False, _different_key(int(theirs), int(ours)))
    return None


_SAME_KEY = _("stringSignTemp 里的密钥与你填写的密钥一致。")
_SPACED_KEY = _("stringSignTemp 里的密钥多了空白字符（空格或换行），去掉后才与你填写的密钥一致。")


def _different_key(theirs: int, ours: int) -> Message:
    return _(
        "stringSignTemp 里的密钥与你填写的不同（{theirs} 个字符 vs {ours} 个字符）："
        "确认用的是 API 密钥，而不是 APIv3 密钥或另一个商户号的密钥。",
        theirs=theirs,
        ours=ours,
    )


def compare_their_string(
    their_string: str, steps: SignSteps, key: str
) -> tuple[TextDiff, KeyComparison | None]:
    """Diff the merchant's string1 (or stringSignTemp) against ours; the key is never shown."""
    head, marker, their_key = their_string.rpartition("&key=")
    if not key:  # local mode: the browser masked the key and kept the part after "&key=" back
        return compare(their_string, steps.string1), None
    if not marker:
        # Their key may still sit somewhere in the string (string1KEY): hide it before diffing.
        return compare(their_string.replace(key, KEY_MASK), steps.string1), None
    if their_key == key:
        key_part = KeyComparison(True, _SAME_KEY)
    elif their_key.strip() == key:
        key_part = KeyComparison(False, _SPACED_KEY)
    else:
        key_part = KeyComparison(False, _different_key(len(their_key), len(key)))
    return compare(head.replace(key, KEY_MASK), steps.string1), key_part
