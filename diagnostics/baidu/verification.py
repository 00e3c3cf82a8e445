"""Verifying a payment callback (001 支付回调 2) with the platform public key over ALL its POST
parameters except rsaSign, empty values too; GET parameters in the callback URL do not take part."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from cryptography.hazmat.primitives import hashes

from diagnostics.baidu.checks import SIGN_EXCLUDED, SRC_CALLBACK, ParamsInput
from diagnostics.baidu.mistakes import BaiduMistake, verify_mistake_search
from diagnostics.baidu.signing import build_string1, read_params
from diagnostics.core.findings import Finding
from diagnostics.core.keys import (
    KeyInput,
    as_public_key,
    decode_signature,
    rsa_verify,
)
from diagnostics.core.params import split_url
from diagnostics.core.text import _, joined
from diagnostics.core.textdiff import compare


@dataclass(frozen=True)
class BaiduVerification:
    string1: str
    valid: bool
    findings: tuple[Finding, ...] = ()
    mistakes: tuple[BaiduMistake, ...] = field(default=())

    @property
    def mistake_cards(self) -> list[dict[str, object]]:
        """Each mistake with what its string1 changes from the correct one, marked."""
        return [{"mistake": m, "diff": compare(m.string1, self.string1)} for m in self.mistakes]


def verify(
    params: ParamsInput,
    public_key: KeyInput,
    *,
    url: str = "",
    signature: str | None = None,
    only: Sequence[str] | None = None,
) -> BaiduVerification:
    """Verify a callback's rsaSign with the platform public key (or an orderInfo with ``only``).

    ``url`` is the callback URL; parameters in its query do not take part (001 支付回调 2).
    ``signature`` defaults to the rsaSign among the params.
    """
    pairs, findings = read_params(params)
    get_pairs: list[tuple[str, str]] = []
    query = split_url(url.strip()).query if url else ""
    if query:
        get_pairs = parse_qsl(query, keep_blank_values=True)
        findings.append(
            Finding(
                "get_params_not_signed",
                _(
                    "回调 URL 里的 GET 参数（{names}）不参与签名，验签时不要把它们加进来。",
                    names=joined(_("、"), [pair[0] for pair in get_pairs]),
                ),
                SRC_CALLBACK,
                "url",
            )
        )
    if signature is None:
        signature = dict(pairs).get("rsaSign", "")
    string1 = build_string1(pairs, only=only)
    empties = [name for name, value in pairs if value == "" and name not in SIGN_EXCLUDED]
    if empties and only is None:
        findings.append(
            Finding(
                "empty_values_signed",
                _("空值参数（{names}）也参与回调验签，不能跳过。", names=joined(_("、"), empties)),
                SRC_CALLBACK,
            )
        )
    if not signature:
        findings.append(
            Finding("rsa_sign_missing", _("没有 rsaSign，无法验签。"), SRC_CALLBACK, "rsaSign")
        )
        return BaiduVerification(string1, False, tuple(findings))
    raw = decode_signature(signature)
    if raw is None:
        findings.append(
            Finding(
                "rsa_sign_not_base64", _("rsaSign 不是有效的 base64。"), SRC_CALLBACK, "rsaSign"
            )
        )
        return BaiduVerification(string1, False, tuple(findings))
    loaded = as_public_key(public_key)
    if rsa_verify(loaded.public_key, string1, raw, hashes.SHA1()):
        return BaiduVerification(string1, True, tuple(findings))
    mistakes = verify_mistake_search(pairs, raw, loaded.public_key, get_pairs=get_pairs, only=only)
    if not mistakes:
        findings.append(
            Finding(
                "public_key_or_params_wrong",
                _(
                    "验签失败，常见错误都复现不了：请确认用的是平台公钥（不是你自己的开发者公钥），"
                    "并且参数是收到的全部 POST 参数、原样未改动。"
                ),
                SRC_CALLBACK,
            )
        )
    return BaiduVerification(string1, False, tuple(findings), tuple(mistakes))
