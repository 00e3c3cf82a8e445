"""orderInfo and amount checks (001 调起收银台错误 2, 退款 2): the fields the cashier needs, amounts in
whole fen, bizInfo as a JSON string."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.params import load_json, yuan_to_fen
from diagnostics.core.text import _

SIGN_EXCLUDED = frozenset({"sign", "sign_type", "rsaSign"})
ORDER_INFO_SIGNED = ("appKey", "dealId", "totalAmount", "tpOrderId")
ORDER_INFO_REQUIRED = (*ORDER_INFO_SIGNED, "rsaSign")

SRC_CASHIER = "001 调起收银台错误 2"
SRC_CALLBACK = "001 支付回调 2"
SRC_REFUND = "001 退款 2"
SRC_SIGN = "001 签名验签"

Pairs = Sequence[tuple[str, str]]
ParamsInput = str | Mapping[str, object] | Pairs


def as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# --- orderInfo and amount checks (001 调起收银台错误 2, 退款 2) ---------------------------


def check_fen_amount(name: str, value: object) -> Finding | None:
    """Amounts (totalAmount, refundPayMoney) are whole fen: digits only, no decimal point."""
    text = as_text(value).strip()
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return None
    if re.fullmatch(r"\d+", text):
        return None
    source = SRC_REFUND if name == "refundPayMoney" else SRC_CASHIER
    as_fen = yuan_to_fen(text) if "." in text else None
    if as_fen is not None:
        return Finding(
            "amount_decimal",
            _(
                "{name}=“{value}” 带小数点：金额以分为单位，不能有小数点。"
                "如果 {value} 是元，应传 {fen}。",
                name=name,
                value=text,
                fen=as_fen,
            ),
            source,
            name,
        )
    return Finding(
        "amount_not_integer",
        _("{name}=“{value}” 不是以分为单位的整数。", name=name, value=text),
        source,
        name,
    )


def check_order_info(
    order_info: str | Mapping[str, object], *, signing: bool = False
) -> list[Finding]:
    """The 001 调起收银台错误 2 checks on an orderInfo.

    ``signing``: the rsaSign is being computed, so it is not expected yet, and the signed fields
    that are missing are reported by sign() already.
    """
    findings: list[Finding] = []
    if isinstance(order_info, str):
        try:
            document = load_json(order_info)
        except ParseError:
            return [
                Finding(
                    "order_info_not_json",
                    _("orderInfo 不是 JSON：整个 orderInfo 必须是一个 JSON 对象。"),
                    SRC_CASHIER,
                    "orderInfo",
                )
            ]
        if isinstance(document, str):
            findings.append(
                Finding(
                    "order_info_is_string",
                    _(
                        "orderInfo 是一个字符串（JSON 被编码了两次）：它必须是 JSON 对象本身，"
                        "只有 bizInfo 才以字符串形式存放。"
                    ),
                    SRC_CASHIER,
                    "orderInfo",
                )
            )
            try:
                document = load_json(document)
            except ParseError:
                return findings
    else:
        document = dict(order_info)
    if not isinstance(document, dict):
        return [
            *findings,
            Finding(
                "order_info_not_object",
                _("orderInfo 必须是 JSON 对象 {shape}。", shape="{…}"),
                SRC_CASHIER,
                "orderInfo",
            ),
        ]
    lowered = {name.lower(): name for name in document}
    for name in ORDER_INFO_REQUIRED:
        if name in document or (signing and name == "rsaSign"):
            continue
        other = lowered.get(name.lower())
        if other:
            findings.append(
                Finding(
                    "field_name_case",
                    _(
                        "字段名应为 {name}，你写的是 {other}（区分大小写）。",
                        name=name,
                        other=other,
                    ),
                    SRC_CASHIER,
                    name,
                )
            )
        elif not signing:
            findings.append(
                Finding("field_missing", _("orderInfo 缺少 {name}。", name=name), SRC_CASHIER, name)
            )
    if "totalAmount" in document:
        finding = check_fen_amount("totalAmount", document["totalAmount"])
        if finding:
            findings.append(finding)
    if "signFieldsRange" in document and as_text(document["signFieldsRange"]) != "1":
        findings.append(
            Finding(
                "sign_fields_range",
                _(
                    "signFieldsRange=“{value}”，应为固定值 1。",
                    value=as_text(document["signFieldsRange"]),
                ),
                SRC_CASHIER,
                "signFieldsRange",
            )
        )
    if "bizInfo" in document:
        biz_info = document["bizInfo"]
        if isinstance(biz_info, dict | list):
            findings.append(
                Finding(
                    "biz_info_not_string",
                    _(
                        "bizInfo 是对象：它必须是以字符串形式存放的 JSON 对象，"
                        "例如 {example}（先 JSON 编码成字符串）。",
                        example='"bizInfo": "{\\"tpData\\":{…}}"',
                    ),
                    SRC_CASHIER,
                    "bizInfo",
                )
            )
        elif isinstance(biz_info, str) and biz_info.strip():
            try:
                parsed = load_json(biz_info)
            except ParseError:
                parsed = None
            if not isinstance(parsed, dict):
                findings.append(
                    Finding(
                        "biz_info_not_json",
                        _("bizInfo 是字符串，但内容不是 JSON 对象：应为 JSON 对象编码后的字符串。"),
                        SRC_CASHIER,
                        "bizInfo",
                    )
                )
    return findings
