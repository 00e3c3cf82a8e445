"""rsaSign (001 调起收银台错误 2; 签名验签): the parameters sorted by name and joined as
``name=value&...`` (``sign``, ``sign_type`` and ``rsaSign`` left out), signed SHA1withRSA (PKCS#1
v1.5) with the developer's private key, base64. The cashier's orderInfo sign covers exactly appKey,
dealId, totalAmount and tpOrderId.

>>> build_string1([("b", "2"), ("a", ""), ("rsaSign", "x")])
'a=&b=2'
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl

from cryptography.hazmat.primitives import hashes

from diagnostics.baidu.checks import (
    ORDER_INFO_SIGNED,
    SIGN_EXCLUDED,
    SRC_CALLBACK,
    SRC_CASHIER,
    Pairs,
    ParamsInput,
    as_text,
    check_order_info,
)
from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.keys import (
    KeyInput,
    as_private_key,
    rsa_sign,
)
from diagnostics.core.params import MAX_PARAMS, load_json
from diagnostics.core.text import _

# --- reading the parameters ----------------------------------------------------------------


def read_params(params: ParamsInput) -> tuple[list[tuple[str, str]], list[Finding]]:
    """Pairs from a form body ``a=1&b=`` (empty values kept), ``name=value`` lines, a JSON object,
    a mapping or pairs. Form values are decoded as the server would (``+`` is a space)."""
    findings: list[Finding] = []
    if isinstance(params, Mapping):
        pairs = [(str(name), as_text(value)) for name, value in params.items()]
    elif not isinstance(params, str):
        pairs = [(str(name), as_text(value)) for name, value in params]
    else:
        text = params.replace("\ufeff", "").strip()
        if not text:
            raise ParseError(
                "empty", _("没有可解析的参数：请粘贴回调的 POST 主体（a=1&b=2）或 JSON。")
            )
        if text.startswith("{"):
            document = load_json(text)
            if not isinstance(document, dict):
                raise ParseError(
                    "json_not_object", _("JSON 必须是一个对象 {example}。", example="{…}")
                )
            pairs = [(name, as_text(value)) for name, value in document.items()]
        elif "\n" in text and "&" not in text:
            pairs = [
                (name.strip(), value)
                for name, _sep, value in (line.partition("=") for line in text.splitlines())
                if name.strip()
            ]
        else:
            pairs = parse_qsl(text.removeprefix("?"), keep_blank_values=True)
    if len(pairs) > MAX_PARAMS:  # the mistake search reads them a dozen times over
        raise ParseError(
            "too_many_params", _("参数超过 {count} 个，这不像一次回调。", count=MAX_PARAMS)
        )
    repaired = []
    for name, value in pairs:
        if name == "rsaSign" and " " in value.strip():
            # A base64 sign has no spaces: "+" was decoded as a form space.
            value = value.strip().replace(" ", "+")
            findings.append(
                Finding(
                    "rsa_sign_plus_as_space",
                    _(
                        "rsaSign 里的 “+” 被当成空格解码了，已换回 “+”；粘贴原始 POST 主体"
                        "（rsaSign 里的 + 会是 %2B）可以避免。"
                    ),
                    SRC_CALLBACK,
                    "rsaSign",
                )
            )
        repaired.append((name, value))
    return repaired, findings


def _signed_pairs(
    pairs: Pairs,
    *,
    exclude: frozenset[str] = SIGN_EXCLUDED,
    only: Sequence[str] | None = None,
    drop_empty: bool = False,
) -> list[tuple[str, str]]:
    """The pairs that take part in the sign, sorted by name; ``only`` keeps just those names."""
    chosen = [
        (name, value)
        for name, value in pairs
        if name not in exclude
        and (only is None or name in only)
        and not (drop_empty and value == "")
    ]
    return sorted(chosen, key=lambda pair: pair[0])


def build_string1(
    pairs: Pairs,
    *,
    exclude: frozenset[str] = SIGN_EXCLUDED,
    only: Sequence[str] | None = None,
    drop_empty: bool = False,
    encode: Callable[[str], str] | None = None,
) -> str:
    """``name=value&...`` of :func:`_signed_pairs` (the orderInfo sign passes ``only``)."""
    chosen = _signed_pairs(pairs, exclude=exclude, only=only, drop_empty=drop_empty)
    return "&".join(f"{name}={encode(value) if encode else value}" for name, value in chosen)


# --- signing (the developer's private key) -------------------------------------------------


@dataclass(frozen=True)
class BaiduSign:
    string1: str
    sign: str
    included: tuple[tuple[str, str], ...]
    excluded: tuple[str, ...]
    findings: tuple[Finding, ...] = ()


def prepare_sign(params: ParamsInput, *, only: Sequence[str] | None = None) -> BaiduSign:
    """Everything of an rsaSign but the signature: string1, what takes part, the findings.

    Local mode (本地计算) stops here and the browser signs ``string1``; ``sign`` is empty."""
    pairs, findings = read_params(params)
    included = tuple(_signed_pairs(pairs, only=only))
    included_names = {name for name, _value in included}
    excluded = tuple(name for name, _value in pairs if name not in included_names)
    names = {name for name, _value in pairs}
    if only is not None:
        for name in only:
            if name not in names:
                findings.append(
                    Finding(
                        "field_missing",
                        _("缺少参与签名的字段 {name}。", name=name),
                        SRC_CASHIER,
                        name,
                    )
                )
    return BaiduSign(
        string1=build_string1(pairs, only=only),
        sign="",
        included=included,
        excluded=excluded,
        findings=tuple(findings),
    )


def signed_with(prepared: BaiduSign, private_key: KeyInput) -> BaiduSign:
    """The prepared sign with its rsaSign: SHA1withRSA over string1, base64."""
    return replace(
        prepared, sign=rsa_sign(as_private_key(private_key), prepared.string1, hashes.SHA1())
    )


def sign(
    params: ParamsInput, private_key: KeyInput, *, only: Sequence[str] | None = None
) -> BaiduSign:
    """rsaSign over ``params``: sorted ``name=value&...``, SHA1withRSA, base64.

    The keywords match the JSON API (``params``, ``private_key``); ``only`` limits the fields.
    """
    return signed_with(prepare_sign(params, only=only), private_key)


def prepare_order_info_sign(order_info: ParamsInput) -> BaiduSign:
    """The cashier's rsaSign before signing: exactly appKey, dealId, totalAmount and tpOrderId."""
    result = prepare_sign(order_info, only=ORDER_INFO_SIGNED)
    findings = list(result.findings)
    if isinstance(order_info, str) and not order_info.strip().startswith(("{", '"')):
        # Pasted as name=value (a form post): check the values, the JSON shape cannot be seen.
        findings += check_order_info(dict(read_params(order_info)[0]), signing=True)
    elif isinstance(order_info, str | Mapping):
        findings += check_order_info(order_info, signing=True)
    return replace(result, findings=tuple(findings))


def order_info_sign(order_info: ParamsInput, private_key: KeyInput) -> BaiduSign:
    """The cashier's rsaSign: exactly appKey, dealId, totalAmount and tpOrderId."""
    return signed_with(prepare_order_info_sign(order_info), private_key)


def with_rsa_sign(params: ParamsInput, rsa_sign: str) -> str:
    """The params as the orderInfo JSON object swan.requestPolymerPayment takes, with ``rsaSign``
    set (the last step: what to send).

    >>> json.loads(with_rsa_sign("appKey=MMM&dealId=1", "c2ln"))
    {'appKey': 'MMM', 'dealId': '1', 'rsaSign': 'c2ln'}
    """
    pairs = [(name, value) for name, value in read_params(params)[0] if name != "rsaSign"]
    return json.dumps({**dict(pairs), "rsaSign": rsa_sign}, ensure_ascii=False, indent=2)
