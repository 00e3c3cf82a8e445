"""Baidu smart program cashier (百度收银台) rsaSign: sign, verify callbacks, check orderInfo.

string1 is the parameters sorted by name and joined as ``name=value&...`` (``sign``, ``sign_type``
and ``rsaSign`` left out), signed SHA1withRSA (PKCS#1 v1.5) and base64-encoded.

- The cashier's orderInfo sign covers exactly appKey, dealId, totalAmount and tpOrderId.
- A payment callback is verified with the platform public key over ALL its POST parameters
  except rsaSign, empty values too; GET parameters in the callback URL do not take part
  (001 支付回调 2).

>>> build_string1([("b", "2"), ("a", ""), ("rsaSign", "x")])
'a=&b=2'
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, quote, quote_plus

from cryptography.hazmat.primitives import hashes

from diagnostics.core.keys import (
    KeyInput,
    as_private_key,
    as_public_key,
    decode_signature,
    rsa_sign,
    rsa_verify,
)
from diagnostics.core.mistakes import Distinct, Explanation, singles_and_pairs
from diagnostics.core.params import (
    MAX_PARAMS,
    Finding,
    ParseError,
    load_json,
    split_url,
    yuan_to_fen,
)
from diagnostics.core.text import Message, _, joined
from diagnostics.core.textdiff import compare

SIGN_EXCLUDED = frozenset({"sign", "sign_type", "rsaSign"})
ORDER_INFO_SIGNED = ("appKey", "dealId", "totalAmount", "tpOrderId")
ORDER_INFO_REQUIRED = (*ORDER_INFO_SIGNED, "rsaSign")

SRC_CASHIER = "001 调起收银台错误 2"
SRC_CALLBACK = "001 支付回调 2"
SRC_REFUND = "001 退款 2"
SRC_SIGN = "001 签名验签"

Pairs = Sequence[tuple[str, str]]
ParamsInput = str | Mapping[str, object] | Pairs


# --- reading the parameters ----------------------------------------------------------------


def _as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def read_params(params: ParamsInput) -> tuple[list[tuple[str, str]], list[Finding]]:
    """Pairs from a form body ``a=1&b=`` (empty values kept), ``name=value`` lines, a JSON object,
    a mapping or pairs. Form values are decoded as the server would (``+`` is a space)."""
    findings: list[Finding] = []
    if isinstance(params, Mapping):
        pairs = [(str(name), _as_text(value)) for name, value in params.items()]
    elif not isinstance(params, str):
        pairs = [(str(name), _as_text(value)) for name, value in params]
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
            pairs = [(name, _as_text(value)) for name, value in document.items()]
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


def sign(
    params: ParamsInput, private_key: KeyInput, *, only: Sequence[str] | None = None
) -> BaiduSign:
    """rsaSign over ``params``: sorted ``name=value&...``, SHA1withRSA, base64.

    The keywords match the JSON API (``params``, ``private_key``); ``only`` limits the fields.
    """
    pairs, findings = read_params(params)
    included = tuple(_signed_pairs(pairs, only=only))
    included_names = {name for name, _value in included}
    excluded = tuple(name for name, _value in pairs if name not in included_names)
    string1 = build_string1(pairs, only=only)
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
        string1=string1,
        sign=rsa_sign(as_private_key(private_key), string1, hashes.SHA1()),
        included=included,
        excluded=excluded,
        findings=tuple(findings),
    )


def order_info_sign(order_info: ParamsInput, private_key: KeyInput) -> BaiduSign:
    """The cashier's rsaSign: exactly appKey, dealId, totalAmount and tpOrderId."""
    result = sign(order_info, private_key, only=ORDER_INFO_SIGNED)
    findings = list(result.findings)
    if isinstance(order_info, str) and not order_info.strip().startswith(("{", '"')):
        # Pasted as name=value (a form post): check the values, the JSON shape cannot be seen.
        findings += check_order_info(dict(read_params(order_info)[0]), signing=True)
    elif isinstance(order_info, str | Mapping):
        findings += check_order_info(order_info, signing=True)
    return replace(result, findings=tuple(findings))


# --- verifying callbacks (the platform public key) -----------------------------------------


@dataclass(frozen=True)
class BaiduMistake(Explanation):
    detail: Message
    string1: str


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


_MISTAKE_TITLES: dict[str, Message] = {
    "empty_values_dropped": _("空值参数没有参与签名（回调里的空值也要参与）"),
    "rsa_sign_included": _("rsaSign 本身参与了签名"),
    "sign_type_included": _("sign_type 参与了签名"),
    "get_params_included": _("URL 里的 GET 参数参与了签名"),
    "values_urlencoded": _("参数值 urlencode 后才参与签名"),
    "sha256_not_sha1": _("用了 SHA256withRSA（百度收银台是 SHA1withRSA）"),
    "fields_not_order_info": _(
        "签名字段不是 {fields} 这四个", fields=joined(_("、"), ORDER_INFO_SIGNED)
    ),
}


@dataclass(frozen=True)
class _Variant:
    codes: tuple[str, ...]
    options: tuple[tuple[str, object], ...]

    def __add__(self, other: _Variant) -> _Variant:
        return _Variant(self.codes + other.codes, self.options + other.options)


def _variant_steps(
    pairs: Pairs, get_pairs: Pairs, only: Sequence[str] | None
) -> list[list[_Variant]]:
    names = {name for name, _value in pairs}
    values = [value for name, value in pairs if name not in SIGN_EXCLUDED]
    steps: list[list[_Variant]] = [
        [_Variant(("empty_values_dropped",), (("drop_empty", True),))] if "" in values else [],
        [_Variant(("rsa_sign_included",), (("include", "rsaSign"),))] if "rsaSign" in names else [],
        [_Variant(("sign_type_included",), (("include", "sign_type"),))]
        if "sign_type" in names
        else [],
        [_Variant(("get_params_included",), (("get", True),))] if get_pairs else [],
        [
            _Variant(("values_urlencoded",), (("encode", quote_plus),)),
            _Variant(("values_urlencoded",), (("encode", _quote_all),)),
        ]
        if any(quote_plus(value) != value for value in values)
        else [],
        [_Variant(("sha256_not_sha1",), (("sha256", True),))],
    ]
    if only is not None:
        steps.append([_Variant(("fields_not_order_info",), (("all_fields", True),))])
    return steps


def _quote_all(value: str) -> str:
    return quote(value, safe="")


def _variant_string1(
    pairs: Pairs, get_pairs: Pairs, only: Sequence[str] | None, variant: _Variant
) -> tuple[str, bool]:
    options = dict(variant.options)
    included = {value for name, value in variant.options if name == "include"}
    exclude = SIGN_EXCLUDED - included
    chosen = list(pairs) + (list(get_pairs) if options.get("get") else [])
    string1 = build_string1(
        chosen,
        exclude=frozenset(exclude),
        only=None if options.get("all_fields") else only,
        drop_empty=bool(options.get("drop_empty")),
        encode=options.get("encode"),  # type: ignore[arg-type]
    )
    return string1, bool(options.get("sha256"))


def verify_mistake_search(
    pairs: Pairs,
    signature: bytes,
    public_key: object,
    *,
    get_pairs: Pairs = (),
    only: Sequence[str] | None = None,
    max_results: int = 10,
) -> list[BaiduMistake]:
    """Each single drift, and each pair from different steps, under which ``signature`` verifies."""
    found: list[BaiduMistake] = []
    distinct = Distinct((build_string1(pairs, only=only), False))
    for variant in singles_and_pairs(_variant_steps(pairs, get_pairs, only)):
        string1, sha256 = _variant_string1(pairs, get_pairs, only, variant)
        if not distinct.new((string1, sha256)):
            continue
        if rsa_verify(public_key, string1, signature, hashes.SHA256() if sha256 else hashes.SHA1()):
            titles = [_MISTAKE_TITLES[code] for code in variant.codes]
            detail = _("签名能这样复现：{mistakes}。", mistakes=joined(_("，并且"), titles))
            found.append(BaiduMistake(variant.codes, detail, string1))
            if len(found) >= max_results:
                break
    return found


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


@dataclass(frozen=True)
class SignComparison:
    string1: str
    sign: str  # the correct sign
    matches: bool
    mistakes: tuple[BaiduMistake, ...] = ()

    @property
    def mistake_cards(self) -> list[dict[str, object]]:
        """Each mistake with what its string1 changes from the correct one, marked."""
        return [{"mistake": m, "diff": compare(m.string1, self.string1)} for m in self.mistakes]


def compare_sign(
    params: ParamsInput,
    private_key: KeyInput,
    expected_sign: str,
    *,
    only: Sequence[str] | None = None,
) -> SignComparison:
    """The developer's own sign against the correct one, and which drift explains a mismatch.

    PKCS#1 v1.5 is deterministic, so the correct sign is compared as text; the drifts are then
    checked by verifying with the key's public half, which gives the same answer as re-signing
    each candidate at a fraction of the cost.
    """
    private = as_private_key(private_key)
    pairs = read_params(params)[0]
    correct = sign(pairs, private, only=only)
    expected = re.sub(r"\s+", "", expected_sign)
    if expected == correct.sign:
        return SignComparison(correct.string1, correct.sign, True)
    raw = decode_signature(expected)
    mistakes = (
        verify_mistake_search(pairs, raw, private.public_key, only=only) if raw is not None else []
    )
    return SignComparison(correct.string1, correct.sign, False, tuple(mistakes))


def with_rsa_sign(params: ParamsInput, rsa_sign: str) -> str:
    """The params as the orderInfo JSON object swan.requestPolymerPayment takes, with ``rsaSign``
    set (the last step: what to send).

    >>> json.loads(with_rsa_sign("appKey=MMM&dealId=1", "c2ln"))
    {'appKey': 'MMM', 'dealId': '1', 'rsaSign': 'c2ln'}
    """
    pairs = [(name, value) for name, value in read_params(params)[0] if name != "rsaSign"]
    return json.dumps({**dict(pairs), "rsaSign": rsa_sign}, ensure_ascii=False, indent=2)


# --- orderInfo and amount checks (001 调起收银台错误 2, 退款 2) ---------------------------


def check_fen_amount(name: str, value: object) -> Finding | None:
    """Amounts (totalAmount, refundPayMoney) are whole fen: digits only, no decimal point."""
    text = _as_text(value).strip()
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
    if "signFieldsRange" in document and _as_text(document["signFieldsRange"]) != "1":
        findings.append(
            Finding(
                "sign_fields_range",
                _(
                    "signFieldsRange=“{value}”，应为固定值 1。",
                    value=_as_text(document["signFieldsRange"]),
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
