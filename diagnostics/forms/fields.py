"""The pieces every workbench form is made of: pasted text as typed (CRLF undone), text and
textarea fields with the site's attributes, the key help texts, and the engines' labels as msgids."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from diagnostics.core.params import MAX_INPUT_CHARS

# Labels the Django-free engines hand to the templates, which translate them with
# {% translate label %}: listed here as msgids so makemessages finds them (tests/web/test_i18n.py
# checks the catalogue translates every LINT_APIS title, KIND_LABELS value and Excluded message).
ENGINE_LABEL_MSGIDS = (
    gettext_noop("统一下单 unifiedorder (V2)"),
    gettext_noop("订单查询 orderquery (V2)"),
    gettext_noop("关闭订单 closeorder (V2)"),
    gettext_noop("退款申请 refund (V2)"),
    gettext_noop("退款查询 refundquery (V2)"),
    gettext_noop("下载对账单 downloadbill (V2)"),
    gettext_noop("App 合单下单 POST /v3/combine-transactions/app (APIv3)"),
    gettext_noop("私钥"),
    gettext_noop("公钥"),
    gettext_noop("证书"),
    gettext_noop("签名字段本身不参与签名（002 §3.2）"),
    gettext_noop("值为空的参数不参与签名（002 §3.2 a）"),
)


class PastedText(forms.CharField):
    """A textarea's text with the browser's line endings undone.

    Browsers submit every line break of a textarea as CRLF (the HTML form encoding), whatever was
    pasted; signing those bytes would invent a mistake the merchant never made. The JSON API keeps
    the bytes it is sent, and CRLF stays one of the mistakes the searches try.
    """

    def to_python(self, value: Any) -> str:
        return super().to_python(value).replace("\r\n", "\n")


# --- RSA / AES workbenches (issue 4). Secret fields are never rendered back (see views.shown_initial).

HTTP_METHODS = [(method, method) for method in ("POST", "GET", "PUT", "PATCH", "DELETE")]
PEM_ATTRS = {"rows": 6, "spellcheck": "false", "autocomplete": "off", "class": "mono"}
TEXT_ATTRS = {"spellcheck": "false", "autocomplete": "off"}


def text_field(
    label: str | Promise,
    *,
    required: bool = False,
    max_length: int = 256,
    help_text: str | Promise = "",
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs=TEXT_ATTRS),
    )


def key_field(
    label: str | Promise, *, required: bool = True, help_text: str | Promise = ""
) -> forms.CharField:
    """An API key or APIv3 key as typed (spaces kept: a key with a space is a slip the pages
    report), never rendered back."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=256,
        strip=False,
        help_text=help_text,
        widget=forms.PasswordInput(render_value=False, attrs=TEXT_ATTRS),
    )


def area_field(
    label: str | Promise, *, required: bool = False, rows: int = 6, help_text: str | Promise = ""
) -> forms.CharField:
    return PastedText(
        label=label,
        required=required,
        strip=False,
        max_length=MAX_INPUT_CHARS,
        help_text=help_text,
        widget=forms.Textarea(attrs={**PEM_ATTRS, "rows": rows}),
    )


PRIVATE_KEY_HELP = _(
    "PEM（PKCS#8 或 PKCS#1）或不带头尾行的 base64；只用于这一次计算，不保存、不回显。"
)
PUBLIC_KEY_HELP = _("平台证书（PEM）、微信支付公钥，或 base64 公钥。")
