"""Checking a request body's APIv3 sensitive fields: which fields must be encrypted (from WeChat
Pay's API references), which are sent in plain text, ciphertext lengths against the key size,
values Base64-encoded or encrypted twice, and a missing or mismatched ``Wechatpay-Serial``.

Without the private key a ciphertext shows only its length and shape: which public key made it and
what it holds cannot be seen, and the findings say so. A value encrypted twice shows as several
RSA blocks (a 344-character ciphertext does not fit one RSA-2048 block of 214 bytes); with a test
private key it is opened and named.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.keys import CERTIFICATE, LoadedKey
from diagnostics.core.params import MAX_INPUT_CHARS, load_json
from diagnostics.core.serials import same_serial, serial_is_decimal
from diagnostics.core.text import _
from diagnostics.wechat_v3.sensitive_crypto import (
    KNOWN_KEY_BITS,
    SRC,
    WECHAT_KEY_BITS,
    check_public_key_id,
    ciphertext_chars,
    decrypt_sensitive,
    format_findings,
    inner_ciphertext,
    key_bits,
    max_plaintext_bytes,
    merchant_certificate_findings,
    read_base64,
)
from diagnostics.wechat_v3.signing import PUBLIC_KEY_ID_PREFIX

# A body is at most MAX_INPUT_CHARS (about 130,000 JSON nodes: every one is looked at, in about
# 0.1 s); the first MAX_CHECKED sensitive fields are checked and reported.
MAX_NODES = 200_000
MAX_CHECKED = 200
# Ciphertexts opened with a test private key: one that will not open costs about 15 ms (three
# paddings tried); a real request has a handful of sensitive fields.
MAX_OPENED = 20


# --- which fields must be encrypted ----------------------------------------------------------
#
# Built from WeChat Pay's public API references (pay.weixin.qq.com/doc/v3/…), which mark each such
# request field "该字段需要使用微信支付公钥/平台证书加密" and require the Wechatpay-Serial header, and
# checked against the fields that SKIT.FlurlHttpClient.Wechat.TenpayV3 marks
# [WechatTenpaySensitiveProperty] (fudiwei/DotNetCore.SKIT.FlurlHttpClient.Wechat, Models/, 2026-02):
# - 特约商户进件 POST /v3/applyment4sub/applyment/: contact_info.contact_name, contact_id_number,
#   mobile_phone, contact_email; identity_info.id_card_info.id_card_name, id_card_number,
#   id_card_address; id_doc_info.id_doc_name, id_doc_number, id_doc_address;
#   ubo_info_list[].ubo_id_doc_name, ubo_id_doc_number, ubo_id_doc_address;
#   bank_account_info.account_name, account_number
# - 电商二级商户进件 POST /v3/ecommerce/applyments/ (doc 4012713017): contact_info.contact_id_card_number,
#   account_info.account_name, account_number and the id_card_info / id_doc_info fields above
# - 修改结算账户 POST /v3/apply4sub/sub_merchants/{sub_mchid}/modify-settlement: account_name, account_number
# - 商户开户意愿确认 POST /v3/apply4subject/applyment: identification_name, identification_number,
#   identification_address, contact_info.name, contact_info.mobile, contact_info.id_card_number
# - 超级管理员变更 POST /v3/mchalterapply/mchcontactalterapplyment (doc 4015617906): contact_info.contact_name …
# - 商家转账 POST /v3/fund-app/mch-transfer/transfer-bills and 批量转账 POST /v3/transfer/batches:
#   user_name, transfer_detail_list[].user_name, user_id_card
# - 分账 POST /v3/profitsharing/receivers/add (name of a receiver: siblings type and account) and
#   POST /v3/profitsharing/orders (receivers[].name); 电商分账 receivers[].receiver_name
# - 异常退款 POST /v3/refund/domestic/refunds/{refund_id}/apply-abnormal-refund: bank_account, real_name
# - 合单下单 combine_payer_info.identity.name, identity.number (实名支付)
# - 支付即服务 POST /v3/smartguide/guides: name, mobile (beside corpid / userid)
# - 电子发票 POST /v3/new-tax-control-fapiao/fapiao-applications: buyer_information.phone, .email
SENSITIVE_NAMES = frozenset(
    {
        "contact_name", "contact_id_number", "contact_id_card_number", "mobile_phone",
        "contact_email", "id_card_name", "id_card_number", "id_card_address", "id_doc_name",
        "id_doc_number", "id_doc_address", "ubo_id_doc_name", "ubo_id_doc_number",
        "ubo_id_doc_address", "account_name", "account_number", "identification_name",
        "identification_number", "identification_address", "user_name", "user_id_card",
        "bank_account", "real_name", "receiver_name",
    }
)  # fmt: skip
# Generic names, sensitive only where the reference puts them: (name, parent names, siblings).
# A match needs the parent's name in ``parents`` or one of ``siblings`` beside it.
CONTEXT_NAMES: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = (
    ("name", frozenset({"receivers", "identity", "contact_info"}), frozenset({"corpid", "userid"})),
    ("mobile", frozenset({"contact_info"}), frozenset({"corpid", "userid"})),
    ("number", frozenset({"identity"}), frozenset()),
    ("phone", frozenset({"buyer_information"}), frozenset()),
    ("email", frozenset({"buyer_information"}), frozenset()),
)


def _is_sensitive(name: str, parent: str, siblings: frozenset[str]) -> bool:
    if name in SENSITIVE_NAMES:
        return True
    if name == "name" and {"type", "account"} <= siblings:  # a profit-sharing receiver
        return True
    return any(
        name == wanted and (parent in parents or siblings & beside)
        for wanted, parents, beside in CONTEXT_NAMES
    )


# --- checking a request body -----------------------------------------------------------------


@dataclass(frozen=True)
class FieldCheck:
    """One sensitive field of the pasted body: its dotted path and what its value turned out to be."""

    path: str
    state: str  # "plaintext" | "ciphertext" | "wrong_length" | "several_blocks" | "base64_twice"
    chars: int
    byte_length: int | None = None  # Base64-decoded length, when the value is Base64


@dataclass(frozen=True)
class SensitiveCheck:
    fields: tuple[FieldCheck, ...]
    key_bits: int | None
    wechatpay_serial: str
    findings: tuple[Finding, ...] = ()

    @property
    def plaintext_fields(self) -> list[str]:
        return [field.path for field in self.fields if field.state == "plaintext"]


def sensitive_leaves(data: object) -> Iterator[tuple[str, object]]:
    """(dotted path, value) of each field of the JSON that must be encrypted, at any depth, in
    the order they are written."""
    # (path, parent's name, value, whether it is a sensitive leaf)
    stack: list[tuple[str, str, object, bool]] = [("", "", data, False)]
    seen = 0
    while stack and seen < MAX_NODES:
        path, parent, value, leaf = stack.pop()
        seen += 1
        if leaf:
            yield path, value
        elif isinstance(value, dict):
            siblings = frozenset(str(name) for name in value)
            for name, item in reversed(list(value.items())):
                child = f"{path}.{name}" if path else str(name)
                if isinstance(item, dict | list):
                    stack.append((child, str(name), item, False))
                elif _is_sensitive(str(name), parent, siblings):
                    stack.append((child, parent, item, True))
        elif isinstance(value, list):
            # A list's items take the list's name as their parent (receivers[0].name).
            stack.extend(
                (f"{path}[{index}]", parent, item, False)
                for index, item in reversed(list(enumerate(value)))
            )


def _field_check(path: str, value: str, bits: int | None) -> tuple[FieldCheck, list[Finding]]:
    decoded = read_base64(value)
    raw = decoded.raw
    chars = len(value)
    if raw is None or len(raw) < 64:
        return FieldCheck(path, "plaintext", chars), [
            Finding(
                "sensitive_field_plaintext",
                _(
                    "{path} 是明文：这个字段要先用微信支付公钥或平台证书加密（RSAES-OAEP），"
                    "Base64 后再放进 JSON，否则微信支付答 400 PARAM_ERROR “请确认待处理的消息是否为加密后的密文”。",
                    path=path,
                ),
                SRC,
                path,
            )
        ]
    findings = format_findings(decoded, path)
    expected = {bits} if bits else set(KNOWN_KEY_BITS)
    length = len(raw)
    if inner_ciphertext(raw) is not None:
        return FieldCheck(path, "base64_twice", chars, length), [
            *findings,
            Finding(
                "ciphertext_base64_twice",
                _(
                    "{path} 做了两次 Base64：解码一次得到的是 {length} 个字符的 Base64 文本，不是密文字节。"
                    "RSA 加密的结果只编码一次。",
                    path=path,
                    length=length,
                ),
                SRC,
                path,
            ),
        ]
    if length * 8 in expected:
        state = "ciphertext"
        if not bits and length * 8 != WECHAT_KEY_BITS:
            findings.append(_not_2048(path, length))
        return FieldCheck(path, state, chars, length), findings
    size = (bits or WECHAT_KEY_BITS) // 8
    if length % size == 0:
        return FieldCheck(path, "several_blocks", chars, length), [
            *findings,
            Finding(
                "ciphertext_several_blocks",
                _(
                    "{path} 解码后有 {length} 字节，是 {blocks} 个 RSA-{bits} 分组：明文超过了一个分组能装的 "
                    "{limit} 字节，被分段加密了。敏感字段只能是一个分组；"
                    "最常见的原因是把已经加密过的值（{chars} 个字符）又加密了一次。"
                    "没有私钥无法解开确认。",
                    path=path,
                    length=length,
                    blocks=length // size,
                    bits=size * 8,
                    limit=max_plaintext_bytes(size * 8),
                    chars=ciphertext_chars(size * 8),
                ),
                SRC,
                path,
            ),
        ]
    sizes = _("{size} 字节（Base64 {chars} 个字符）", size=size, chars=ciphertext_chars(size * 8))
    return FieldCheck(path, "wrong_length", chars, length), [
        *findings,
        Finding(
            "ciphertext_length",
            _(
                "{path} 解码后有 {length} 字节（{chars} 个字符），RSA-{bits} 的密文应是 {sizes}："
                "它不是用这把密钥加密的完整密文——可能没有加密、被截断，或者复制时丢了字符。",
                path=path,
                length=length,
                chars=chars,
                bits=size * 8,
                sizes=sizes,
            ),
            SRC,
            path,
        ),
    ]


def _not_2048(path: str, length: int) -> Finding:
    """A ciphertext of a 3072- or 4096-bit key when no key is given: WeChat Pay's keys are 2048
    bits, so it is another key's — or, at a multiple of 256 bytes, RSA-2048 blocks."""
    if length % (WECHAT_KEY_BITS // 8):
        message = _(
            "{path} 解码后有 {length} 字节，是 RSA-{other} 密文的长度。微信支付的平台证书和公钥是 2048 位，"
            "密文应是 256 字节（344 个字符）：请确认加密用的是微信支付的证书或公钥。",
            path=path,
            length=length,
            other=length * 8,
        )
    else:
        message = _(
            "{path} 解码后有 {length} 字节，是 RSA-{other} 密文的长度，或 RSA-2048 的 {blocks} 个分组。"
            "微信支付的平台证书和公钥是 2048 位，密文应是 256 字节（344 个字符）；"
            "按 2048 位算，这是把超过 214 字节的内容（例如一个已经加密过的值）分段加密的结果。"
            "给出加密用的证书或公钥可以确认。",
            path=path,
            length=length,
            other=length * 8,
            blocks=length // (WECHAT_KEY_BITS // 8),
        )
    return Finding("ciphertext_not_2048", message, SRC, path)


def _serial_findings(
    serial: str, key: LoadedKey | None, public_key_id: str, has_fields: bool
) -> list[Finding]:
    serial = serial.strip()
    if not serial:
        if not has_fields:
            return []
        return [
            Finding(
                "wechatpay_serial_missing",
                _(
                    "没有填写 Wechatpay-Serial。含加密字段的请求必须带这个请求头，值是加密所用平台证书的序列号"
                    "或微信支付公钥 ID（PUB_KEY_ID_…），否则微信支付答 400 "
                    "“HTTP header缺少微信支付平台证书序列号(Wechatpay-Serial)”。"
                    "它是独立的请求头，不是 Authorization 里的 serial_no（那是商户证书序列号）。"
                    "如果你的请求带了，请填上以便核对。"
                ),
                SRC,
                "wechatpay_serial",
            )
        ]
    findings: list[Finding] = []
    if serial.startswith(PUBLIC_KEY_ID_PREFIX):
        findings += [
            Finding(f.code, f.message, SRC, "wechatpay_serial") for f in check_public_key_id(serial)
        ]
        if key is not None and key.info.kind == CERTIFICATE:
            findings.append(
                Finding(
                    "wechatpay_serial_mismatch",
                    _(
                        "Wechatpay-Serial 是微信支付公钥 ID {serial}，"
                        "而你给的加密密钥是平台证书（序列号 {certificate}）："
                        "声明公钥 ID，就要用微信支付公钥加密；用平台证书加密，就写证书序列号。",
                        serial=serial,
                        certificate=key.info.serial_no,
                    ),
                    SRC,
                    "wechatpay_serial",
                )
            )
        elif public_key_id.strip() and serial != public_key_id.strip():
            findings.append(
                Finding(
                    "wechatpay_serial_mismatch",
                    _(
                        "Wechatpay-Serial {serial} 与你填写的微信支付公钥 ID {key_id} 不一致。",
                        serial=serial,
                        key_id=public_key_id.strip(),
                    ),
                    SRC,
                    "wechatpay_serial",
                )
            )
        return findings
    if key is not None and key.info.kind != CERTIFICATE:
        findings.append(
            Finding(
                "wechatpay_serial_mismatch",
                _(
                    "Wechatpay-Serial {serial} 是证书序列号的写法，而你给的加密密钥是公钥（微信支付公钥）："
                    "用微信支付公钥加密时，Wechatpay-Serial 要写它的 ID（PUB_KEY_ID_…）。",
                    serial=serial,
                ),
                SRC,
                "wechatpay_serial",
            )
        )
        return findings
    if key is not None:
        certificate = key.info.serial_no
        if not same_serial(serial, certificate):
            findings.append(
                Finding(
                    "wechatpay_serial_mismatch",
                    _(
                        "Wechatpay-Serial {serial} 不是这张证书的序列号 {certificate}：请求头要写加密所用"
                        "那张平台证书的序列号（平台证书会轮换，加密和请求头要用同一张）。",
                        serial=serial,
                        certificate=certificate,
                    ),
                    SRC,
                    "wechatpay_serial",
                )
            )
            findings += merchant_certificate_findings(key)
            return findings
        findings += merchant_certificate_findings(key)
        if serial_is_decimal(serial) or serial != certificate:
            findings.append(
                Finding(
                    "wechatpay_serial_format",
                    _(
                        "Wechatpay-Serial 与证书序列号是同一个数，但写法不同；"
                        "请写成 40 位大写十六进制：{certificate}。",
                        certificate=certificate,
                    ),
                    SRC,
                    "wechatpay_serial",
                )
            )
        return findings
    if not re.fullmatch(r"[0-9A-F]{40}", serial):
        findings.append(
            Finding(
                "wechatpay_serial_format",
                _(
                    "Wechatpay-Serial “{serial}” 既不是 40 位大写十六进制的证书序列号，也不是 PUB_KEY_ID_… 公钥 ID。",
                    serial=serial,
                ),
                SRC,
                "wechatpay_serial",
            )
        )
    return findings


def check_request_body(
    body: str,
    *,
    wechatpay_serial: str = "",
    key: LoadedKey | None = None,
    public_key_id: str = "",
    private_key: LoadedKey | None = None,
) -> SensitiveCheck:
    """The sensitive fields of a request body (JSON) and what each holds, with the findings.

    Without the private key, what a ciphertext holds cannot be seen: a value encrypted twice shows
    only as the size of its blocks (a 344-character ciphertext does not fit one RSA-2048 block). With
    ``private_key`` (a test key pair standing in for WeChat Pay's), each ciphertext is opened and a
    plaintext that is itself a ciphertext is named.
    """
    if len(body) > MAX_INPUT_CHARS:
        raise ParseError("too_large", _("请求体太长。"))
    if not body.strip():
        raise ParseError("body_missing", _("请粘贴请求体（JSON）。"))
    data = load_json(body.strip().lstrip("\ufeff"))
    bits = key_bits(key) if key is not None else None
    findings: list[Finding] = [*key.info.findings] if key is not None else []
    fields: list[FieldCheck] = []
    opened = 0
    for path, value in sensitive_leaves(data):
        if len(fields) >= MAX_CHECKED:
            findings.append(
                Finding(
                    "sensitive_fields_not_all_checked",
                    _("需要加密的字段超过 {limit} 个，只检查了前 {limit} 个。", limit=MAX_CHECKED),
                    SRC,
                )
            )
            break
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            fields.append(FieldCheck(path, "plaintext", len(str(value))))
            findings.append(
                Finding(
                    "sensitive_field_plaintext",
                    _(
                        "{path} 是一个 JSON 数值或布尔值：敏感字段要加密后以 Base64 字符串上送。",
                        path=path,
                    ),
                    SRC,
                    path,
                )
            )
            continue
        field, found = _field_check(path, value, bits)
        fields.append(field)
        findings += found
        if private_key is not None and field.state == "ciphertext":
            if opened < MAX_OPENED:
                findings += _opened_twice(path, value, private_key)
            opened += 1
    if opened > MAX_OPENED:
        findings.append(
            Finding(
                "ciphertexts_not_all_opened",
                _(
                    "有 {count} 个密文，只用私钥打开了前 {limit} 个查看是否加密了两次。",
                    count=opened,
                    limit=MAX_OPENED,
                ),
                SRC,
            )
        )
    if not fields:
        findings.append(
            Finding(
                "no_sensitive_fields",
                _(
                    "请求体里没有找到需要加密的字段（按微信支付接口文档：姓名、证件号码、手机号、邮箱、银行账号等）。"
                ),
                SRC,
            )
        )
    findings += _serial_findings(wechatpay_serial, key, public_key_id, bool(fields))
    if (
        fields
        and all(field.state == "ciphertext" for field in fields)
        and not any(
            f.code.startswith(("wechatpay_serial", "ciphertext_", "merchant_")) for f in findings
        )
    ):
        findings.append(
            Finding(
                "sensitive_fields_look_encrypted",
                _(
                    "敏感字段都是长度正确的密文。没有私钥无法确认它们是用哪把公钥加密的；"
                    "若微信支付答“平台私钥解密失败”，请核对加密用的公钥与 Wechatpay-Serial 是否一致、填充是否为 OAEP。"
                ),
                SRC,
            )
        )
    return SensitiveCheck(
        fields=tuple(fields),
        key_bits=bits,
        wechatpay_serial=wechatpay_serial.strip(),
        findings=tuple(findings),
    )


def _opened_twice(path: str, value: str, private_key: LoadedKey) -> list[Finding]:
    """With a test private key: does the ciphertext open, and is what it holds a ciphertext?"""
    try:
        opened = decrypt_sensitive(value, private_key)
    except ParseError as error:
        # Opened with another padding (PKCS#1 v1.5, OAEP with SHA-256): WeChat Pay cannot open it,
        # whatever else holds. Not opened at all: maybe only a key that is not the pair.
        wrong_padding = error.code in ("ciphertext_pkcs1v15", "ciphertext_oaep_sha256")
        return [
            Finding(
                error.code if wrong_padding else "ciphertext_does_not_open",
                _("{path} 用你给的私钥解不开：{reason}", path=path, reason=error.message),
                SRC,
                path,
            )
        ]
    if any(f.code == "encrypted_twice" for f in opened.findings):
        return [
            Finding(
                "encrypted_twice",
                _(
                    "{path} 用你给的私钥解开后仍是一个密文（{chars} 个字符的 Base64）：这个值被加密了两次。"
                    "会自动加密敏感字段的 SDK 要直接传明文。",
                    path=path,
                    chars=len(opened.plaintext.strip()),
                ),
                SRC,
                path,
            )
        ]
    return []
