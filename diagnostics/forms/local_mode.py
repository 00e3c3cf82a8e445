"""Local mode's form base (本地计算, issue 17) and the sentences the browser tells a damaged private
key with. The key ring's own form is in :mod:`diagnostics.forms.v3_keyring`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_noop

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.keys import (
    MAX_KEY_CHARS,
    PRIVATE_KEY,
    clean_paste,
    load_public_key,
)
from diagnostics.core.text import _ as _text

# --- Local mode (本地计算, issue 17): the browser keeps the private key and posts its public half.

# What the browser reads a pasted private key as (static/js/local/pem.js), shown as the server does.
LOCAL_KEY_FORMATS = ("PEM PKCS#8", "PEM PKCS#1", "base64 DER PKCS#8", "base64 DER PKCS#1")
# The paste repairs the browser makes (pem.js, as keys.clean_paste does): the server says what was
# repaired in its own sentences, by repairing a stand-in paste with the same faults.
LOCAL_KEY_NOTES = ("bom_removed", "quotes_removed", "literal_newlines")


def repaired_notes(codes: list[str]) -> list[Any]:
    """The findings clean_paste gives a paste with these faults (codes of LOCAL_KEY_NOTES)."""
    quote = '"' if "quotes_removed" in codes else ""
    body = "x\\n" if "literal_newlines" in codes else "x"
    stand_in = ("\ufeff" if "bom_removed" in codes else "") + quote + body + quote
    return clean_paste(stand_in)[1]


def bare_base64(key_format: str) -> list[Finding]:
    """keys.load_key's note on a private key pasted without its PEM lines."""
    if not key_format.startswith("base64 DER"):
        return []
    sentence = _text(
        "没有 PEM 头尾行，按内容识别为{kind}（{format}）。", kind=_text("私钥"), format=key_format
    )
    return [Finding("bare_base64", sentence)]


def asks_local(data: Any) -> bool:
    """Whether a form post asks for local mode: ``mode=local`` from the partial's switch
    (templates/diagnostics/_local_mode.html). A form with its own ``mode`` field (Baidu's scope,
    the sensitive-field action) posts both values, so every value is looked at."""
    values = data.getlist("mode") if hasattr(data, "getlist") else [data.get("mode")]
    return "local" in values


class LocalModeForm(forms.Form):
    """A form whose secret fields the browser may keep (local mode). Its posts then carry no
    secret field, and instead what the browser computed that is not secret: the private key's
    public half (SubjectPublicKeyInfo PEM), what the paste was read as, and the last signature.

    The view sets ``local`` before validation; in local mode ``secret_fields`` are not required
    and ``cleaned_data["local_key"]`` holds the public half (a LoadedKey) when one was posted,
    ``cleaned_data["local_key_info"]`` how the private key is described."""

    secret_fields: tuple[str, ...] = ("private_key",)
    local = False

    local_public_key = forms.CharField(
        required=False, max_length=MAX_KEY_CHARS, strip=False, widget=forms.HiddenInput
    )
    local_key_format = forms.ChoiceField(
        required=False,
        choices=[("", ""), *((name, name) for name in LOCAL_KEY_FORMATS)],
        widget=forms.HiddenInput,
    )
    local_key_notes = forms.CharField(required=False, max_length=128, widget=forms.HiddenInput)
    local_signature = forms.CharField(required=False, max_length=2048, widget=forms.HiddenInput)

    def go_local(self) -> None:
        """Local mode: the secret fields stay in the browser."""
        self.local = True
        for name in self.secret_fields:
            self.fields[name].required = False

    def missing_secret(self) -> dict[str, Any] | None:
        """The error server mode gives for an empty secret field, which the browser shows when
        its field is empty: the field's label and its required message."""
        field = self.fields[self.secret_fields[0]]
        return {"label": str(field.label), "message": str(field.error_messages["required"])}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["local_key"] = cleaned["local_key_info"] = None
        public_pem = cleaned.get("local_public_key", "")
        if not self.local or not public_pem.strip():
            return cleaned
        try:
            public = load_public_key(public_pem)
        except ParseError as error:
            self.add_error("local_public_key", str(error.message))
            return cleaned
        notes = (cleaned.get("local_key_notes") or "").split(",")
        key_format = cleaned.get("local_key_format") or LOCAL_KEY_FORMATS[0]
        cleaned["local_key"] = public
        cleaned["local_key_info"] = replace(
            public.info,
            kind=PRIVATE_KEY,
            format=key_format,
            findings=(*repaired_notes(notes), *bare_base64(key_format), *public.info.findings),
        )
        return cleaned


# A private key's faults the browser finds itself (static/js/local/pem.js), told in the server's
# words: the msgids of diagnostics.core.keys (tests/diagnostics/wechat_v3/test_local_mode.py
# checks each is still there), with {names} the browser fills in.
LOCAL_KEY_MESSAGES = {
    "empty": gettext_noop("没有粘贴任何内容：请粘贴 PEM 格式的密钥/证书，或不带头尾行的 base64。"),
    "too_large": gettext_noop("内容太长，不像一个密钥或证书。"),
    "key_encrypted": gettext_noop(
        "这个私钥是加密的（有密码保护）。请导出不加密的私钥再粘贴，例如 "
        "openssl pkey -in key.pem -out key_plain.pem；本工具不会要你输入密码。"
    ),
    "not_rsa": gettext_noop(
        "这是 {algorithm} 私钥，支付签名（SHA256withRSA / SHA1withRSA）需要 RSA 私钥。"
    ),
    "csr_given": gettext_noop("这是证书请求（CSR），不是证书；请粘贴签发后的证书或密钥。"),
    "pem_unknown_label": gettext_noop("不认识的 PEM 类型 “{label}”。"),
    "pem_incomplete": gettext_noop(
        "有 “-----BEGIN {label}-----” 但没有对应的 END 行：内容复制不完整。"
    ),
    # A private key's header is not quoted (core.keys: the redaction would show "[已移除]").
    "pem_incomplete_private": gettext_noop(
        "有 BEGIN … PRIVATE KEY 行，但没有对应的 END 行：私钥复制不完整。"
    ),
    "pem_malformed": gettext_noop("有 “-----” 但找不到完整的 “-----BEGIN …-----” 头行。"),
    "pem_empty_body": gettext_noop("{what}的头尾行之间没有内容。"),
    "bad_base64_chars": gettext_noop(
        "{what}不是有效的 base64（出现了 {chars}）：可能复制时多了或少了字符，请从原文件完整复制。"
    ),
    "bad_base64": gettext_noop(
        "{what}不是有效的 base64：可能复制时多了或少了字符，请从原文件完整复制。"
    ),
    "unreadable_der": gettext_noop(
        "base64 解码成功，但内容不是可读的{what}：可能复制不完整，或粘贴的不是密钥文件"
        "（例如 .p12/.pfx 文件需要先转换成 PEM）。"
    ),
    "key_invalid": gettext_noop(
        "这个私钥的结构能读出来，但数值自相矛盾（OpenSSL 校验不通过），多半是复制时被改动或截断了。"
    ),
    "certificate_not_private_key": gettext_noop(
        "这里需要私钥，粘贴的是证书（证书里只有公钥）。商户 API 私钥在 apiclient_key.pem 里，"
        "以 “-----BEGIN PRIVATE KEY-----” 开头。"
    ),
    "public_key_not_private_key": gettext_noop(
        "这里需要私钥，粘贴的是公钥。签名要用私钥；公钥只能用来验签。"
    ),
    "rsa_key_too_large": gettext_noop(
        "RSA 密钥有 {bits} 位，超过本工具接受的上限 {limit} 位。微信支付和百度的密钥是 "
        "2048 位：请确认粘贴的是平台给你的密钥或证书。"
    ),
    "rsa_exponent_too_large": gettext_noop(
        "RSA 公钥指数有 {bits} 位，超过上限 2³²：正常的公钥指数是 65537（0x010001），"
        "这不是支付平台生成的密钥。"
    ),
}
# The words the sentences above put in {what}.
LOCAL_KEY_WORDS = {
    "private_key": gettext_noop("私钥"),
    "content": gettext_noop("内容"),
    "key_or_certificate": gettext_noop("密钥或证书"),
    "separator": gettext_noop("、"),
}


def local_key_messages() -> dict[str, Any]:
    """The sentences and words above in the active language, for the page's JSON data block."""
    return {
        "messages": {code: gettext(text) for code, text in LOCAL_KEY_MESSAGES.items()},
        "words": {name: gettext(text) for name, text in LOCAL_KEY_WORDS.items()},
    }
