"""The merchant's request sign against the correct one, and the gateway's own string.

Given the sign they sent, the departures that reproduce it are searched (diagnostics.alipay.
mistakes). Given the gateway's ``isv.invalid-signature`` answer, whose sub_msg ends with
"…网关生成的验签字符串为：<the string>" (HTML-escaped: ``&`` arrives as ``&amp;``), that string is
cut out and compared character by character with the one computed here: equal means the
parameters arrived as signed and the key is the problem; different shows what changed on the way.

>>> gateway_string('"sub_msg":"验签出错，…验签字符串为：a=1&amp;b=2"}')
'a=1&b=2'
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field

from diagnostics.alipay.checks import (
    AUTO_MODE,
    SRC_SIGN,
    ParamsInput,
    charset_of,
    digest,
    encode_message,
    sign_type_of,
)
from diagnostics.alipay.mistakes import (
    AlipayMistake,
    html_unescaped,
    mistake_cards,
    mistakes_data,
    request_mistake_search,
)
from diagnostics.alipay.signing import (
    AlipaySign,
    ReadParams,
    normalise_sign,
    read_params,
    sign,
    verify_bytes,
    with_sign_type,
)
from diagnostics.core.findings import Finding, ParseError, findings_data
from diagnostics.core.keys import KeyInput, LoadedKey, as_private_key, decode_signature
from diagnostics.core.params import MAX_INPUT_CHARS, load_json
from diagnostics.core.text import _
from diagnostics.core.textdiff import TextDiff, compare

GATEWAY_MARKER = "验签字符串为"
# The first double quote that a backslash does not escape.
_JSON_STRING_END = re.compile(r'(?<!\\)"')
# A closing quote, then only the braces, brackets and commas that close the answer.
_CLOSING_QUOTE = re.compile(r'"[\s}\],]*$')


def _sub_messages(document: object) -> list[str]:
    """Every ``sub_msg`` in a parsed answer, at any depth (it sits in ``*_response``)."""
    found: list[str] = []
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for name, value in item.items():
                if name == "sub_msg" and isinstance(value, str):
                    found.append(value)
                else:
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return found


def gateway_string(answer: str) -> str | None:
    """The string the gateway verified, from its answer (the whole JSON or the sub_msg text)."""
    if len(answer) > MAX_INPUT_CHARS:
        raise ParseError("too_large", _("输入超过 {size} KiB。", size=MAX_INPUT_CHARS // 1024))
    text = answer.strip()
    parsed = False
    if text.startswith("{"):
        try:
            messages = [m for m in _sub_messages(load_json(text)) if GATEWAY_MARKER in m]
        except ParseError:
            messages = []
        if messages:
            text, parsed = messages[0], True
    at = text.find(GATEWAY_MARKER)
    if at < 0:
        return None
    rest = text[at + len(GATEWAY_MARKER) :].lstrip("：: ")
    if not parsed:
        rest = rest.split("\n", 1)[0]
        if '\\"' in rest:
            # A sub_msg copied out of the JSON text: it ends at its closing quote.
            rest = _JSON_STRING_END.split(rest, maxsplit=1)[0].replace('\\"', '"')
        elif rest.count('"') % 2:
            # Plain text with the answer's closing quote (and braces) after it.
            rest = _CLOSING_QUOTE.sub("", rest)
    return html_unescaped(rest.rstrip())


@dataclass(frozen=True)
class GatewayComparison:
    string: str  # the gateway's string
    diff: TextDiff  # theirs (the gateway's) against ours
    equal: bool
    explained_by: tuple[str, ...] = ()  # a departure whose string is the gateway's


@dataclass(frozen=True)
class SignComparison:
    signed: AlipaySign  # the correct computation, every step
    expected_sign: str = ""
    matches: bool | None = None  # None: no sign given to compare
    mistakes: tuple[AlipayMistake, ...] = ()
    gateway: GatewayComparison | None = None
    findings: tuple[Finding, ...] = field(default=())

    @property
    def mistake_cards(self) -> list[dict[str, object]]:
        return mistake_cards(self.mistakes, self.signed.string_to_sign)

    def as_data(self) -> dict[str, object]:
        """The JSON answers' shape (POST /api/v1/alipay/sign, paydoctor alipay sign --json)."""
        signed, gateway = self.signed, self.gateway
        return {
            "string_to_sign": signed.string_to_sign,
            "sign": signed.sign,
            "sign_type": signed.sign_type,
            "charset": signed.charset,
            "match": self.matches,
            "mistakes": mistakes_data(self.mistakes),
            "gateway": None
            if gateway is None
            else {
                "string": gateway.string,
                "equal": gateway.equal,
                "first_difference": gateway.diff.first_difference,
                "explained_by": list(gateway.explained_by),
            },
            "findings": findings_data([*self.findings, *signed.findings]),
        }


def compare_sign(
    params: ParamsInput | ReadParams,
    private_key: KeyInput,
    *,
    expected_sign: str = "",
    gateway_answer: str = "",
    sign_type: str | None = None,
    mode: str = AUTO_MODE,
) -> SignComparison:
    """Sign ``params``; then explain the merchant's sign and the gateway's string, when given."""
    private = as_private_key(private_key)
    read = read_params(params)
    signed = sign(read, private, sign_type=sign_type, mode=mode)
    return compare_signed(
        read,
        signed,
        private,
        expected_sign=expected_sign,
        gateway_answer=gateway_answer,
        sign_type=sign_type,
    )


def compare_signed(
    params: ParamsInput | ReadParams,
    signed: AlipaySign,
    key: LoadedKey,
    *,
    expected_sign: str = "",
    gateway_answer: str = "",
    sign_type: str | None = None,
    key_format: str = "",
) -> SignComparison:
    """compare_sign's judgement of ``signed``. ``key`` is the private key, or in local mode
    (本地计算) its public half and ``key_format`` how the private key was read; ``signed.sign`` is then
    empty until the browser has made it, and a pasted sign is judged by verifying it: PKCS#1 v1.5
    is deterministic, so it verifies exactly when it equals the sign the key makes."""
    read = read_params(params)
    pairs, _added = with_sign_type(read.pairs, sign_type)
    findings: list[Finding] = []
    if "PKCS#1" in (key_format or key.info.format):
        # The same signature either way; the Java SDK refuses to load it (research: "RSA私钥格式不正确，
        # 请检查是否正确配置了PKCS8格式的私钥").
        findings.append(
            Finding(
                "private_key_pkcs1",
                _(
                    "这把应用私钥是 PKCS#1 格式（BEGIN RSA PRIVATE KEY）：签名结果与 PKCS#8 相同，"
                    "但 Java SDK 只读 PKCS#8，会报“RSA私钥格式不正确”。用密钥工具转成 PKCS#8。"
                ),
                SRC_SIGN,
                "private_key",
            )
        )
    matches: bool | None = None
    mistakes: list[AlipayMistake] = []
    expected = normalise_sign(expected_sign) if expected_sign.strip() else ""
    if expected:
        matches = expected == signed.sign or (not signed.sign and is_sign_of(key, signed, expected))
        raw = decode_signature(expected)
        if raw is None:
            findings.append(
                Finding("sign_not_base64", _("你给的 sign 不是有效的 base64。"), SRC_SIGN, "sign")
            )
        if not matches:
            mistakes, _explained = request_mistake_search(
                pairs,
                raw or b"",
                key.public_key,
                charset=charset_of(pairs),
                sign_type=sign_type_of(pairs, sign_type),
            )
        if not matches and not mistakes and raw is not None:
            findings.append(
                Finding(
                    "sign_not_reproduced",
                    _(
                        "常见的差异都复现不了你的 sign：多半是签名用的私钥不是这一把，"
                        "或者签名时的参数与这里粘贴的不同。"
                    ),
                    SRC_SIGN,
                )
            )
    gateway = None
    if gateway_answer.strip():
        gateway = _gateway(gateway_answer, signed, findings, pairs, key, matches)
    return SignComparison(signed, expected, matches, tuple(mistakes), gateway, tuple(findings))


def _gateway(
    answer: str,
    signed: AlipaySign,
    findings: list[Finding],
    pairs: list[tuple[str, str]],
    private: LoadedKey,
    matches: bool | None,
) -> GatewayComparison | None:
    string = gateway_string(answer)
    if string is None:
        findings.append(
            Finding(
                "gateway_string_not_found",
                _(
                    "支付宝的回答里没有“{marker}：”，找不到网关拼出的字符串。",
                    marker=GATEWAY_MARKER,
                ),
                SRC_SIGN,
            )
        )
        return None
    ours = signed.string_to_sign
    explained = request_mistake_search(
        pairs,
        None,
        private.public_key,
        charset=signed.charset,
        sign_type=signed.sign_type,
        gateway=string,
    )[1]
    if string == ours:
        findings.append(
            Finding(
                "gateway_string_equal",
                _(
                    "网关拼出的待签名字符串与这里的一致：参数到达网关时没有变。验签仍然失败，"
                    "问题就在密钥：签名用的应用私钥与开放平台上为这个 app_id 上传的应用公钥不是一对"
                    "（最常见），或 sign_type 与应用设置的加签方式不一致。"
                ),
                SRC_SIGN,
            )
        )
        if matches:
            findings.append(
                Finding(
                    "key_not_uploaded",
                    _(
                        "你的 sign 与这里用同一私钥算出的一致，网关却不认：开放平台上这个应用的应用公钥"
                        "不是这把私钥的公钥。用密钥工具从私钥导出公钥，与开放平台上的对比或重新上传。"
                    ),
                    SRC_SIGN,
                )
            )
    else:
        findings.append(
            Finding(
                "gateway_string_differs",
                _(
                    "网关收到的参数与这里粘贴的不同（见逐字比较）：签名之后参数在发送途中被改了，"
                    "或签名用的参数与实际发送的不是同一份。"
                ),
                SRC_SIGN,
            )
        )
    return GatewayComparison(string, compare(string, ours), string == ours, tuple(explained))


def is_sign_of(key: LoadedKey, signed: AlipaySign, sign: str) -> bool:
    """Whether ``sign`` is the one ``key`` makes over the string to sign, as text: it verifies
    over the bytes in the request's charset and is written in canonical base64."""
    raw = decode_signature(sign)
    message = encode_message(signed.string_to_sign, signed.charset)
    return (
        raw is not None
        and base64.b64encode(raw).decode("ascii") == sign
        and verify_bytes(key.public_key, message, raw, digest(signed.sign_type))
    )
