"""Everything the V2 workbench shows for one paste: the steps, the findings, the mistake found.

The key is used for this one computation and never kept in the report: the report carries only
the masked form, so nothing built from it (a page, a JSON answer, a saved link) can leak it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from diagnostics.core.findings import BLOCKING, Finding, ParseError, by_severity
from diagnostics.core.params import ParsedParams
from diagnostics.core.text import Message, _
from diagnostics.core.textdiff import TextDiff, compare
from diagnostics.wechat_v2.checks import check_params, normalise_sign_type, sign_type_findings
from diagnostics.wechat_v2.fields import Preset
from diagnostics.wechat_v2.mistakes import (
    Mistake,
    SearchPlan,
    evaluate,
    explained_by_findings,
    no_mistake_found,
    search_plan,
)
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
) -> V2Report:
    """Sign ``parsed`` as the platform would and explain any difference from the merchant's sign."""
    findings = list(parsed.findings)
    key = key or parsed.pasted_key or ""
    if key != key.strip():
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
        key = key.strip()
    if not key:
        raise ParseError("no_key", _("请填写商户 API 密钥（key），签名需要它。"))

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

    steps = sign(parsed.pairs, key, sign_type)
    match = None if expected is None else expected == steps.sign
    mistakes: list[Mistake] = []
    if match is False:
        # The key is blamed last: only when no mistake and no finding explains the mismatch.
        plan = full_plan(parsed, sign_type, expected, findings, preset)
        mistakes = evaluate(plan, key) or explained_by_findings(findings) or [no_mistake_found()]

    report = V2Report(
        preset=preset,
        parsed=parsed,
        # The report never holds the key.
        steps=replace(steps, string_sign_temp=steps.string1 + key_suffix(mask_key(key))),
        expected_sign=expected,
        match=match,
        mistakes=mistakes,
        findings=by_severity(findings),
    )
    if their_string.strip("\r\n "):
        report.their_string1, report.their_key = compare_their_string(their_string, steps, key)
    if match is not True:
        default_field = "paySign" if preset.api == "jsapi" else "sign"
        sign_field = next((name for name in SIGN_FIELDS if parsed.get(name)), default_field)
        report.corrected = corrected_request(parsed, sign_field, steps.sign)
    return report


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


def compare_their_string(
    their_string: str, steps: SignSteps, key: str
) -> tuple[TextDiff, KeyComparison | None]:
    """Diff the merchant's string1 (or stringSignTemp) against ours; the key is never shown."""
    head, marker, their_key = their_string.rpartition("&key=")
    if not marker:
        # Their key may still sit somewhere in the string (string1KEY): hide it before diffing.
        return compare(their_string.replace(key, KEY_MASK), steps.string1), None
    if their_key == key:
        key_part = KeyComparison(True, _("stringSignTemp 里的密钥与你填写的密钥一致。"))
    elif their_key.strip() == key:
        key_part = KeyComparison(
            False,
            _("stringSignTemp 里的密钥多了空白字符（空格或换行），去掉后才与你填写的密钥一致。"),
        )
    else:
        key_part = KeyComparison(
            False,
            _(
                "stringSignTemp 里的密钥与你填写的不同（{theirs} 个字符 vs {ours} 个字符）："
                "确认用的是 API 密钥，而不是 APIv3 密钥或另一个商户号的密钥。",
                theirs=len(their_key),
                ours=len(key),
            ),
        )
    return compare(head.replace(key, KEY_MASK), steps.string1), key_part
