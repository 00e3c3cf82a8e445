"""The key ring's form (密钥体检): one paste of everything, and the values that say what they are.

The paste is named ``private_key`` on purpose: it may hold private keys and the APIv3 key, so it
is a secret field (never rendered back, linked or shared), and a form with a ``private_key`` field
gets the private-key rate limit and the slower live update (diagnostics.views).

In local mode (本地计算) the paste, the APIv3 key and the API key stay in the browser, which posts
``local_ring``: the paste as it split it with its secrets kept (static/js/local/keyring-page.js
writes it), read here into the engine's
:class:`~diagnostics.wechat_v3.keyring_local.BrowserRing`.

Every value is bounded and every name checked before anything is loaded: a post is hostile until
read. Nothing here can carry a secret the browser kept: a kept key is a stand-in (``k1``) with its
lengths, a kept private key a stand-in (``p1``) with its public half or the code of its fault.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.keys import MAX_KEY_CHARS
from diagnostics.core.params import MAX_INPUT_CHARS
from diagnostics.forms.fields import area_field, key_field, text_field
from diagnostics.forms.local_mode import (
    LOCAL_KEY_FORMATS,
    LOCAL_KEY_MESSAGES,
    LOCAL_KEY_NOTES,
    LOCAL_KEY_WORDS,
    LocalModeForm,
    bare_base64,
    repaired_notes,
)
from diagnostics.wechat_v3.keyring_items import Split
from diagnostics.wechat_v3.keyring_local import BrowserRing, Outcome
from diagnostics.wechat_v3.keyring_paste import (
    API_KEY,
    APIV3_KEY,
    CERTIFICATES_ANSWER,
    MAX_ITEMS,
    NAMED_SHAPES,
    BrowserKey,
    Piece,
    SecretFacts,
    token_kind,
)

# The pieces the browser sends: the first recognised ones (MAX_ITEMS are read; an answer's
# certificates count too), the rest only counted (keyring-page.js SENT_PIECES).
MAX_SENT_PIECES = 64
# The post itself: the pieces sent are the paste's (at most MAX_INPUT_CHARS), with their names.
MAX_RING_CHARS = 2 * MAX_INPUT_CHARS
# A decrypted platform certificate is about 1.5 KB of PEM.
MAX_PLAINTEXT_CHARS = 16 * 1024

# The kinds a piece's name can give it (keyring_paste._NAME_HINTS, and the fields').
HINTS = Literal[
    "",
    "apiv3_key",
    "api_key",
    "serial",
    "wechatpay_serial",
    "mchid",
    "public_key_id",
    "certificates_answer",
]
KEPT_HINTS = ("", APIV3_KEY, API_KEY)

KeyId = Annotated[str, StringConstraints(pattern=r"^k\d{1,3}$")]
BlobId = Annotated[str, StringConstraints(pattern=r"^p\d{1,3}$")]
Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,40}$")]
Short = Annotated[str, StringConstraints(max_length=64)]
# One character as Python's repr() shows it (pem.js pythonRepr): a damaged key's sentence lists
# the characters base64 cannot hold, and nothing longer may ride in their place.
OneChar = Annotated[
    str,
    StringConstraints(
        pattern=r"""^(?:'(?:[^'\\]|\\[\\nrt]|\\x[0-9a-f]{2}|\\u[0-9a-f]{4})'|"'")$"""
    ),
]


def split_could_give(text: str, hint: str) -> bool:
    """Whether the browser's split (keyring_paste.split_paste) could have posted ``text`` with
    ``hint``: a block, an answer, or one token of the shape its name or its own form gives it.
    Anything else is text of the poster's choosing, which the page would show as a label."""
    if hint == CERTIFICATES_ANSWER or text.startswith("-----") or len(text) >= 200:
        return True
    if not text or re.search(r"\s", text) or hint in (APIV3_KEY, API_KEY):
        return False  # a key is kept in the browser, never posted as text
    if not hint:
        return bool(token_kind(text))
    return bool(NAMED_SHAPES[hint].fullmatch(text))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PieceIn(_Model):
    """One piece: its text (public), or the stand-in of a kept key or private key."""

    text: Annotated[str, StringConstraints(max_length=MAX_INPUT_CHARS)] | None = None
    key: KeyId | None = None
    blob: BlobId | None = None
    broken_json: bool = False  # an answer the browser could not read as JSON (not sent)
    hint: HINTS = ""
    spaced: bool = False

    @model_validator(mode="after")
    def one_kind(self) -> PieceIn:
        given = [
            self.text is not None,
            self.key is not None,
            self.blob is not None,
            self.broken_json,
        ]
        if sum(given) != 1:
            raise ValueError("a piece is a text, a kept key, a kept private key or broken JSON")
        if self.key is not None and self.hint not in KEPT_HINTS:
            raise ValueError("a kept key is named as a key or not named")
        if self.broken_json and self.hint != CERTIFICATES_ANSWER:
            raise ValueError("only an answer is JSON")
        if self.text is not None and not split_could_give(self.text, self.hint):
            raise ValueError("a text the browser's split does not give")
        return self


class KeyFacts(_Model):
    chars: int = Field(ge=0, le=MAX_INPUT_CHARS)
    size: int = Field(ge=0, le=4 * MAX_INPUT_CHARS)
    serial_like: bool
    key_error: Literal["", "apiv3_key_whitespace", "apiv3_key_hex", "apiv3_key_length"]


class FaultValues(_Model):
    """A damaged key's sentence's values (static/js/local/pem.js KeyFault), each checked for shape:
    what the page shows is the server's sentence, never text of the poster's choosing."""

    what: Literal["private_key", "content", "key_or_certificate"] | None = None
    chars: list[OneChar] = Field(default_factory=list, max_length=5)
    label: (
        Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]+( [A-Z0-9]+){0,7}$", max_length=60)]
        | None
    ) = None
    algorithm: Literal["EC", "DSA", "OPENSSH", "X25519", "X448", "Ed25519", "Ed448"] | None = None
    bits: int | None = Field(default=None, ge=0, le=1 << 20)
    limit: int | None = Field(default=None, ge=0, le=1 << 20)


class BlobIn(_Model):
    private: bool
    public_pem: Annotated[str, StringConstraints(max_length=MAX_KEY_CHARS)] = ""
    format: Literal["", *LOCAL_KEY_FORMATS] = ""  # type: ignore[valid-type]
    notes: list[Literal[*LOCAL_KEY_NOTES]] = Field(default_factory=list, max_length=3)  # type: ignore[valid-type]
    fault: Code | None = None
    sentence: Code | None = None  # pem.js: the catalogue's sentence when one code has two
    values: FaultValues = FaultValues()

    @model_validator(mode="after")
    def read_or_faulted(self) -> BlobIn:
        if (self.fault is None) == (not self.public_pem.strip()):
            raise ValueError("a kept private key has its public half or its fault")
        if self.fault is not None and (self.sentence or self.fault) not in LOCAL_KEY_MESSAGES:
            raise ValueError("an unknown fault")
        return self


class OpenedIn(_Model):
    index: int = Field(ge=1, le=MAX_ITEMS)
    key: KeyId
    plaintext: Annotated[str, StringConstraints(max_length=MAX_PLAINTEXT_CHARS)] | None = None
    code: Code | None = None

    @model_validator(mode="after")
    def opened_or_not(self) -> OpenedIn:
        if (self.plaintext is None) == (self.code is None):
            raise ValueError("an outcome is a plaintext or a failure's code")
        return self


class RingIn(_Model):
    too_large: bool = False
    cut: bool = False
    unknown: int = Field(default=0, ge=0, le=MAX_INPUT_CHARS)
    more: int = Field(default=0, ge=0, le=MAX_INPUT_CHARS)
    pieces: list[PieceIn] = Field(default_factory=list, max_length=MAX_SENT_PIECES)
    named: list[PieceIn] = Field(default_factory=list, max_length=2)
    keys: dict[KeyId, KeyFacts] = Field(default_factory=dict, max_length=MAX_SENT_PIECES + 2)
    blobs: dict[BlobId, BlobIn] = Field(default_factory=dict, max_length=MAX_SENT_PIECES + 2)
    opened: list[OpenedIn] = Field(
        default_factory=list, max_length=MAX_ITEMS * (MAX_SENT_PIECES + 2)
    )

    @model_validator(mode="after")
    def stand_ins_known(self) -> RingIn:
        for piece in (*self.pieces, *self.named):
            if piece.key is not None and piece.key not in self.keys:
                raise ValueError("a kept key without its facts")
            if piece.blob is not None and piece.blob not in self.blobs:
                raise ValueError("a kept private key without its public half")
        return self


def fault_finding(blob: BlobIn) -> Finding:
    """A damaged key's finding, in the server's sentence (LOCAL_KEY_MESSAGES) with its values."""
    code = blob.fault or "unreadable_der"
    template = gettext(LOCAL_KEY_MESSAGES[blob.sentence or code])
    values = blob.values
    filled = {
        "what": gettext(LOCAL_KEY_WORDS[values.what]) if values.what else "",
        "chars": gettext(LOCAL_KEY_WORDS["separator"]).join(values.chars),
        "label": values.label or "",
        "algorithm": values.algorithm or "",
        "bits": "" if values.bits is None else str(values.bits),
        "limit": "" if values.limit is None else str(values.limit),
    }
    for name, value in filled.items():
        template = template.replace("{" + name + "}", value)
    return Finding(code, template)


def _browser_key(blob: BlobIn) -> BrowserKey:
    if blob.fault is not None:
        return BrowserKey(private=blob.private, fault=fault_finding(blob))
    notes = (*repaired_notes(list(blob.notes)), *bare_base64(blob.format))
    return BrowserKey(
        private=blob.private,
        public_pem=blob.public_pem,
        format=blob.format or LOCAL_KEY_FORMATS[0],
        findings=tuple(notes),
    )


def _piece(piece: PieceIn, ring: RingIn) -> Piece:
    if piece.key is not None:
        facts = ring.keys[piece.key]
        measure = SecretFacts(facts.chars, facts.size, facts.serial_like, facts.key_error)
        return Piece(piece.key, piece.hint, piece.spaced, local=measure)
    if piece.blob is not None:
        return Piece(piece.blob, piece.hint, local=_browser_key(ring.blobs[piece.blob]))
    if piece.broken_json:
        broken = Finding(
            "json_malformed",
            gettext("JSON 格式不正确：本地计算没有把它发给服务器，请检查是否复制完整。"),
        )
        return Piece("", CERTIFICATES_ANSWER, local=broken)
    return Piece(piece.text or "", piece.hint, piece.spaced)


def read_browser_ring(text: str) -> BrowserRing:
    """The post's ``local_ring``, or a ParseError with a sentence for the merchant."""
    try:
        ring = RingIn.model_validate_json(text)
    except ValidationError:
        raise ParseError(
            "local_ring_unreadable",
            gettext("浏览器发来的密钥体检数据无法读取：请刷新页面再试，或改用服务器计算。"),
        ) from None
    return BrowserRing(
        split=Split(
            pieces=tuple(_piece(piece, ring) for piece in ring.pieces),
            cut=ring.cut,
            unknown=ring.unknown,
            more=ring.more,
        ),
        kept=tuple(_piece(piece, ring) for piece in ring.named),
        outcomes={
            (opened.index, opened.key): Outcome(opened.plaintext or "", opened.code or "")
            for opened in ring.opened
        },
        too_large=ring.too_large,
    )


class V3KeyringForm(LocalModeForm):
    secret_fields = ("private_key", "apiv3_key", "key")

    private_key = area_field(
        _("你手上的全部（任意顺序、任意多个）"),
        rows=12,
        help_text=_(
            "apiclient_key.pem、apiclient_cert.pem、平台证书、/v3/certificates 的应答 JSON、"
            "微信支付公钥 pub_key.pem 和 PUB_KEY_ID_…、序列号、商户号，也可以是配置文件里的 "
            "名称=值 行。私钥和密钥只用于这一次检查：不保存、不回显，结果里也只写种类和长度。"
        ),
    )
    apiv3_key = key_field(
        _("APIv3 密钥（可选）"),
        required=False,
        help_text=_("32 个字符；填在这里就不会和 API 密钥（V2）混淆。"),
    )
    key = key_field(
        _("API 密钥 V2（可选）"),
        required=False,
        help_text=_("同样 32 个字符；用来发现两个密钥填反或相同。"),
    )
    serial_no = text_field(
        _("你配置的商户证书序列号（可选）"),
        max_length=128,
        help_text=_("Authorization 里的 serial_no；十六进制或十进制都行。"),
    )
    wechatpay_serial = text_field(
        _("收到的 Wechatpay-Serial（可选）"),
        max_length=128,
        help_text=_("应答或回调的请求头：平台证书序列号或 PUB_KEY_ID_…；说出该用哪一项验签。"),
    )
    mchid = text_field(_("商户号（可选）"), max_length=32)

    local_ring = forms.CharField(
        required=False, max_length=MAX_RING_CHARS, strip=False, widget=forms.HiddenInput
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        given = any(
            str(cleaned.get(name) or "").strip()
            for name in (
                "private_key",
                "apiv3_key",
                "key",
                "serial_no",
                "wechatpay_serial",
                "mchid",
            )
        )
        if self.local:
            try:
                ring = read_browser_ring(cleaned.get("local_ring") or "{}")
            except ParseError as error:
                raise forms.ValidationError(str(error.message), code="local_ring") from None
            cleaned["local_ring"] = ring
            given = given or bool(
                ring.split.pieces or ring.kept or ring.split.unknown or ring.too_large
            )
        if not given:
            raise forms.ValidationError(
                gettext("请粘贴至少一样东西：密钥、证书、序列号或商户号。"), code="required"
            )
        return cleaned
