"""What every check reports: a ``Finding`` (a code, a sentence for the merchant, the document it
cites, the field), how much it weighs, and ``ParseError`` for input that cannot be read at all.

>>> Finding("too_long", "x").severity
'blocking'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from diagnostics.core.text import Message

BLOCKING, WARNING, NOTE = "blocking", "warning", "note"

# How much a finding weighs, by its code: ``blocking`` — the platform will refuse the request or the
# payment will fail, whatever the sign says; ``note`` — information (something was read or repaired
# for you); every other code is a ``warning``. A page's headline never says "all good" above a
# blocking finding (diagnostics.verdict).
SEVERITY = {
    **dict.fromkeys(
        (
            "amount_decimal", "amount_not_integer", "amount_not_integer_fen", "amount_not_positive",
            "app_package_missing", "app_package_value", "bill_date_format", "bill_type_invalid",
            "biz_info_not_json", "biz_info_not_string", "certificate_expired", "currency_invalid",
            "authorization_field_empty", "field_missing", "field_name_case", "header_missing",
            "jsapi_without_openid",
            "key_pair_mismatch", "mchid_not_digits", "merchant_certificate_used", "name_case",
            "native_without_product_id", "notify_url_invalid", "notify_url_not_https",
            "order_id_missing", "order_info_not_json", "order_info_not_object", "order_sign_reused",
            "out_trade_no_format", "out_trade_no_missing", "package_format", "partnerid_missing",
            "payer_client_ip_invalid", "prepayid_prefixed", "refund_fee_invalid",
            "refund_query_id_missing", "required_missing", "rsa_sign_missing", "secret_in_params",
            "serial_mismatch", "serial_no_not_this_certificate", "sign_type_conflict",
            "sign_type_not_rsa", "sign_type_unknown", "spbill_create_ip_invalid",
            "time_expire_before_start", "time_expire_format", "time_format", "timestamp_format",
            "timestamp_milliseconds", "too_long", "trade_type_unknown",
            # 服务商模式 (diagnostics.wechat_v3.partner, wechat_v2.checks)
            "partner_direct_field", "partner_payer_openid", "partner_payer_openid_missing",
            "sub_openid_without_sub_appid", "pay_appid_not_sub_appid", "pay_appid_not_in_order",
        ),
        BLOCKING,
    ),
    # APIv3 sensitive fields (diagnostics.wechat_v3.sensitive): WeChat Pay refuses each of these.
    **dict.fromkeys(
        (
            "sensitive_field_plaintext", "wechatpay_serial_missing", "wechatpay_serial_mismatch",
            "ciphertext_length", "ciphertext_several_blocks", "ciphertext_base64_twice",
            "encrypted_twice", "merchant_certificate_for_encryption",
            # the test private key opens it, with another padding than OAEP-SHA1: 平台私钥解密失败
            "ciphertext_pkcs1v15", "ciphertext_oaep_sha256",
        ),
        BLOCKING,
    ),
    **dict.fromkeys(("sensitive_fields_look_encrypted", "no_sensitive_fields"), NOTE),
    # Alipay (diagnostics.alipay): the gateway refuses these, or a verification cannot pass.
    **dict.fromkeys(
        (
            "biz_content_not_json", "charset_unknown", "format_not_json", "app_cert_sn_missing",
            "alipay_root_cert_sn_missing", "app_public_key_used",
        ),
        BLOCKING,
    ),
    **dict.fromkeys(
        ("sign_type_added", "sign_type_signed_notification", "response_is_error"), NOTE
    ),
    **dict.fromkeys(
        (
            "bare_base64", "bom_removed", "key_in_params", "key_pair", "literal_newlines",
            "message_matches", "name_whitespace", "not_json", "order_id_priority",
            "quotes_removed", "refund_query_id_priority", "several_pem_blocks",
            "signature_correct", "values_percent_decoded",
        ),
        NOTE,
    ),
}  # fmt: skip


def by_severity(findings: Iterable[Finding]) -> list[Finding]:
    """Blocking first, then warnings, then notes; in their order otherwise."""
    rank = {BLOCKING: 0, WARNING: 1, NOTE: 2}
    return sorted(findings, key=lambda finding: rank[finding.severity])


def findings_data(findings: Iterable[Finding]) -> list[dict[str, str]]:
    """Findings as plain data, messages in the reader's language: the shape every JSON answer
    gives them (the API's FindingOut, ``paydoctor --json``)."""
    return [
        {
            "code": finding.code,
            "message": str(finding.message),
            "source": finding.source,
            "field": finding.field,
            "severity": getattr(finding, "severity", WARNING),
        }
        for finding in findings
    ]


@dataclass(frozen=True)
class Finding:
    """Something worth telling the merchant about their input; ``source`` cites the document.

    ``retry`` is what the finding says was different when the merchant's program signed:
    (name in the paste, name it had, value it had) — the V2 search re-signs with it before it
    blames the key (a millisecond timeStamp signed in seconds, a name in another case).
    """

    code: str
    message: Message  # shown in the reader's language: diagnostics.core.text
    source: str = ""
    field: str = ""
    retry: tuple[str, str, str] | None = None

    @property
    def severity(self) -> str:
        return SEVERITY.get(self.code, WARNING)


class ParseError(ValueError):
    """Input that cannot be read as parameters at all. ``message`` is for the merchant."""

    def __init__(self, code: str, message: Message) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class JsonSyntaxError(ParseError):
    """JSON that does not parse as written (not a number too long, not nesting too deep)."""
