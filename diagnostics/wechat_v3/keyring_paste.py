"""Splitting one key-ring paste into pieces — PEM blocks, JSON answers, configuration lines (.env,
YAML, PHP arrays, query strings, builder calls) and loose tokens — each with the kind its name or
its shape gives it, and the kinds themselves with the request's bounds. Linear in the paste; nothing
here loads a key."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.params import MAX_INPUT_CHARS
from diagnostics.core.serials import serial_is_decimal, serial_number
from diagnostics.core.text import _
from diagnostics.wechat_v3.decryption import apiv3_key_error

# Loading keys is the costly part (an RSA private key is validated by OpenSSL): one request looks
# at no more than this many items, and says so when more were pasted.
MAX_ITEMS = 20
# A private key costs most (OpenSSL validates it: about 0.3 s for RSA-4096); a merchant has one,
# two while replacing it. More are listed, not read.
MAX_PRIVATE_KEYS = 3
# Configuration lines (and query-string parts) read from one paste: an application.yml or .env is
# tens of lines; 256 KiB of "a=b" lines took a second of CPU to read all 65,536.
MAX_LINES = 1000

# The CA that issues WeChat Pay's certificates: merchant API certificates (apiclient_cert.pem,
# subject CN = the mchid, O = 微信商户系统, OU = the company's name) and platform certificates
# alike name it as their issuer (C=CN, O=Tenpay.com, OU=Tenpay.com CA Center, CN=Tenpay.com Root
# CA). A platform certificate's subject is WeChat Pay's own: CN=Tenpay.com sign, O=Tenpay.com,
# OU=Tenpay.com CA Center, L=ShenZhen, C=CN (the certificate in wechatpay-java's published
# /v3/certificates answer, TestConfig.DOWNLOAD_CERTIFICATE_RESPONSE).
TENPAY_CA = "Tenpay.com Root CA"
TENPAY_SIGN = "Tenpay.com sign"

# Item kinds, as the API names them.
PRIVATE = "private_key"
MERCHANT_CERTIFICATE = "merchant_certificate"
PLATFORM_CERTIFICATE = "platform_certificate"
ENCRYPTED_CERTIFICATE = "encrypted_platform_certificate"
OTHER_CERTIFICATE = "certificate"
WECHATPAY_PUBLIC_KEY = "wechatpay_public_key"
MERCHANT_PUBLIC_KEY = "merchant_public_key"
CERTIFICATES_ANSWER = "certificates_answer"
PUBLIC_KEY_ID = "public_key_id"
APIV3_KEY = "apiv3_key"
API_KEY = "api_key"
KEY_32 = "apiv3_or_api_key"
SERIAL = "serial"
WECHATPAY_SERIAL = "wechatpay_serial"
MCHID = "mchid"
UNREADABLE = "unreadable"

SECRET_KINDS = frozenset({PRIVATE, APIV3_KEY, API_KEY, KEY_32})
CERTIFICATE_KINDS = frozenset({MERCHANT_CERTIFICATE, PLATFORM_CERTIFICATE, OTHER_CERTIFICATE})

# What a ``name = value`` line's name says its value is (the name lower-cased, letters and
# digits only). Checked in order: "apiv3key" before the plain "key" of a V2 API key.
_NAME_HINTS = (
    (re.compile(r"(pub(lic)?key|wechatpay(pub)?key)id$"), PUBLIC_KEY_ID),
    (re.compile(r"(api)?v3(api)?(secret|key)$|apiv3"), APIV3_KEY),
    # The header's own name only: WECHATPAY_SERIAL_NO in a .env or an SDK's config holds the
    # merchant's own certificate serial (Authorization's serial_no), as serialNo / serial-no do.
    (re.compile(r"^wechatpayserial$|platformserial|platformcertserial"), WECHATPAY_SERIAL),
    (re.compile(r"serial"), SERIAL),
    (re.compile(r"(mch|merchant)(id|no)$"), MCHID),
    (re.compile(r"(api|mch|partner|paterner|pay|v2|sign|^)key$"), API_KEY),
)


@dataclass(frozen=True)
class SecretFacts:
    """What the checks use of a 32-character key, never its value: its length in characters and
    in UTF-8 bytes, whether it is 40 hex digits (a serial in the key's place), and why it cannot
    be an APIv3 key (decryption.apiv3_key_error's code, "" when it can). The server measures a
    key it was given; in local mode (本地计算) the browser measures the key it keeps."""

    chars: int
    size: int
    serial_like: bool
    key_error: str

    @classmethod
    def of(cls, value: str) -> SecretFacts:
        size = len(value.encode("utf-8"))
        error = apiv3_key_error(value)
        return cls(
            chars=len(value),
            size=size,
            serial_like=size == 40 and serial_number(value) is not None,
            key_error=error.code if error else "",
        )


@dataclass(frozen=True)
class BrowserKey:
    """A private key (or a blob that may be one) read in the browser in local mode: its public
    half and what it was read as, or why it could not be read. ``private``: the server would count
    it against MAX_PRIVATE_KEYS (a private key's PEM label or DER shape)."""

    private: bool
    public_pem: str = ""
    format: str = ""
    findings: tuple[Finding, ...] = ()  # the paste's repairs, as the server's loader names them
    fault: Finding | None = None


@dataclass(frozen=True)
class Piece:
    """A part of the paste before it is read: the text and the kind its name gave it.

    In local mode a secret's text is the browser's stand-in for it (equal secrets, equal
    stand-ins) and ``local`` holds what the browser measured or read of it, or (a Finding) why it
    could not read an answer it did not send."""

    text: str
    hint: str = ""
    spaced: bool = False
    local: SecretFacts | BrowserKey | Finding | None = None
    # Named as a secret of another kind (DB_PASSWORD=20230615): counted, never read, whatever its
    # shape (an mchid's, a serial's).
    withheld: bool = False


# --- splitting -------------------------------------------------------------------------------

_BASE64_LINE = re.compile(r"[A-Za-z0-9+/=]+")
_ASSIGNMENT = re.compile(
    r"(?:export\s+|set\s+|define\(\s*)?[\"']?([A-Za-z_][\w.\-]{0,60})[\"']?\s*(?:=>|:=|[:=,])\s*(.*)"
)
# A name starts a word (the look-behind): tried inside a long word, the name's {0,60} was re-run at
# every letter (256 KiB of letters took 0.3 s).
_CALL = re.compile(r"\.?(?<!\w)(?:set|with)?([A-Za-z_]\w{0,60})\(\s*[\"']([^\"']{1,200})[\"']\s*\)")
_HEADER = re.compile(r"wechatpay-serial\s*:\s*(\S+)", re.IGNORECASE)
_TOKEN_SPLIT = re.compile(r"[\s,;，；、|]+")
_QUOTES = "\"'`“”‘’()[]{}<>"


def _pem_blocks(text: str) -> tuple[list[tuple[int, str]], str]:
    """The PEM blocks of ``text`` with their offsets, and the text with each replaced by a line end.

    Found with ``str.find`` (linear): a BEGIN without an END takes the rest of the text, and the
    key loader then says it is incomplete.
    """
    blocks: list[tuple[int, str]] = []
    rest: list[str] = []
    at = 0
    while (start := text.find("-----BEGIN ", at)) >= 0:
        end = text.find("-----END ", start)
        close = text.find("-----", end + 9) if end >= 0 else -1
        stop = close + 5 if close >= 0 else len(text)
        rest.append(text[at:start])
        blocks.append((start, text[start:stop]))
        rest.append("\n")
        at = stop
    rest.append(text[at:])
    return blocks, "".join(rest)


def _json_objects(text: str) -> tuple[list[tuple[int, str]], str]:
    """Top-level ``{…}`` spans (strings respected, linear), and the text without them."""
    spans: list[tuple[int, str]] = []
    rest: list[str] = []
    depth, start, at = 0, -1, 0
    in_string = escaped = False
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"' and depth:
            in_string = True
        elif char == "{":
            if depth == 0:
                start = index
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:
                candidate = text[start : index + 1]
                if '"data"' in candidate or '"encrypt_certificate"' in candidate:
                    rest.append(text[at:start] + "\n")
                    spans.append((start, candidate))
                    at = index + 1
    rest.append(text[at:])
    return spans, "".join(rest)


def _unquote(value: str) -> tuple[str, bool]:
    """A value without its quotes and trailing punctuation; whether spaces sat inside the quotes."""
    value = value.strip().rstrip(",;")
    if len(value) >= 2 and value[0] in "\"'`" and value[-1] == value[0]:
        inner = value[1:-1]
        return inner.strip(), inner != inner.strip()
    return value.strip(_QUOTES + " \t"), False


def _line_pieces(text: str, budget: int) -> tuple[list[Piece], int]:
    """The pieces of what is left once PEM blocks and JSON answers are out: runs of base64 lines
    (bare DER), ``name = value`` lines, header lines and bare tokens; read until ``budget`` lines
    and query-string parts are spent, and what is left of it (below zero: lines left unread)."""
    pieces: list[Piece] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            joined = "".join(run)
            if len(joined) >= 300:  # an RSA-2048 public key is 392 base64 characters
                pieces.append(Piece(joined))
            else:
                for line in run:
                    pieces.extend(_token_pieces(line))
            run.clear()

    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            flush()
            continue
        budget -= 1
        if budget < 0:
            break
        if len(line) >= 40 and _BASE64_LINE.fullmatch(line) and not re.fullmatch(r"\d+", line):
            run.append(line)
            continue
        flush()
        if header := _HEADER.match(line):
            value = header.group(1).strip(_QUOTES)
            # A serial's or a public-key ID's shape only: any other value is read by its tokens
            # and never shown as received (it could be anyone's words, in a page or a share).
            if NAMED_SHAPES[WECHATPAY_SERIAL].fullmatch(value):
                pieces.append(Piece(value, WECHATPAY_SERIAL))
            else:
                pieces.extend(_token_pieces(value))
            continue
        calls = _CALL.findall(line)  # Java / JS builders: .merchantId("1900009191")
        if calls:
            pieces += [_named_piece(name, value) for name, value in calls]
            continue
        # A query string holds several assignments; a line of code or YAML holds one.
        parts = line.split("&", budget) if "&" in line and "=" in line else [line]
        budget -= len(parts) - 1
        if budget == 0 and "&" in parts[-1]:  # split no further: the rest is left unread
            parts.pop()
            budget = -1
        for part in parts:
            assignment = _ASSIGNMENT.fullmatch(part.strip())
            if assignment:
                pieces.append(_named_piece(*assignment.groups()))
            else:
                pieces.extend(_token_pieces(part))
        if budget < 0:
            break
    flush()
    return [piece for piece in pieces if piece.text], budget


# What a value must look like for its name to be believed; a secret's value is never checked
# (nor shown), a public one that does not fit is read as tokens instead.
# A public-key ID as shown (a page, a share): ASCII letters, digits and "_" after the prefix, so a
# token of anyone's words ("PUB_KEY_ID_请拨打…") is not shown as one; the real ones are digits.
_PUBLIC_KEY_ID = re.compile(r"PUB_KEY_ID_[A-Za-z0-9_]{0,64}")
NAMED_SHAPES = {
    MCHID: re.compile(r"\d{1,32}"),
    SERIAL: re.compile(r"[0-9A-Fa-f]{1,128}|PUB_KEY_ID_[A-Za-z0-9_]{0,64}"),
    WECHATPAY_SERIAL: re.compile(r"[0-9A-Fa-f]{1,128}|PUB_KEY_ID_[A-Za-z0-9_]{0,64}"),
    PUBLIC_KEY_ID: _PUBLIC_KEY_ID,
}


# A name saying its value is a secret of another kind than ours (a password, a token, a database
# key): its value may still have a public shape, and is then withheld (counted, never shown).
_SECRET_NAME = re.compile(r"secret|passw|pwd|token|credential|private|key$")


def _named_piece(name: str, raw: str) -> Piece:
    """A ``name = value`` pair: the value, with the kind its name gives it when it fits.

    >>> _named_piece("DB_PASSWORD", "20230615").withheld, _named_piece("mchid", "1900009191").hint
    (True, 'mchid')
    """
    hint = name_hint(name)
    value, spaced = _unquote(raw)
    shape = NAMED_SHAPES.get(hint)
    if not value or not hint or (shape is not None and not shape.fullmatch(value)):
        tokens = _token_pieces(value)
        piece = tokens[0] if len(tokens) == 1 else Piece("")
        if not hint and _says_secret(name) and token_kind(piece.text) not in ("", KEY_32):
            return Piece(piece.text, withheld=True)
        return piece
    return Piece(value, hint, spaced)


def _says_secret(name: str) -> bool:
    compact = re.sub(r"[^a-z0-9]", "", name.lower())
    return bool(_SECRET_NAME.search(compact)) and "pub" not in compact


_UNKNOWN_TOKEN = re.compile(r"[A-Za-z0-9_\-+/=]{12,}")


def _token_pieces(text: str) -> list[Piece]:
    """The tokens of ``text`` we know by shape, then those that look like a key or an identifier
    but are not one we know (counted, not shown: letters and digits, 12 characters or more, one
    digit at least). One pass: each token's kind is looked up once."""
    known: list[Piece] = []
    unknown: list[Piece] = []
    for raw in _TOKEN_SPLIT.split(text):
        token = raw.strip(_QUOTES + ".:：=")
        if not token:
            continue
        if token_kind(token):
            known.append(Piece(token))
        elif _UNKNOWN_TOKEN.fullmatch(token) and any(char.isdigit() for char in token):
            unknown.append(Piece(token))
    return known + unknown


def name_hint(name: str) -> str:
    """The kind a configuration name says its value is; "" when it says nothing we use.

    >>> name_hint("APIV3_KEY"), name_hint("mch_serial_no"), name_hint("wechatpay.mch-key")
    ('apiv3_key', 'serial', 'api_key')
    """
    compact = re.sub(r"[^a-z0-9]", "", name.lower())
    if "private" in compact or (compact.endswith("key") and "public" in compact):
        return ""
    for pattern, kind in _NAME_HINTS:
        if pattern.search(compact):
            return kind
    return ""


def token_kind(token: str) -> str:
    """The kind a bare token has by its shape alone; "" for none.

    >>> token_kind("PUB_KEY_ID_0114232134912410000000000000"), token_kind("1900009191")
    ('public_key_id', 'mchid')
    >>> token_kind("5157F09EFDC096DE15EBE81A47057A7232F1B8E1"), token_kind("a" * 32)
    ('serial', 'apiv3_or_api_key')
    """
    if _PUBLIC_KEY_ID.fullmatch(token):
        return PUBLIC_KEY_ID
    if not 6 <= len(token) <= 60:  # no shape below is shorter or longer (a paste of short words)
        return ""
    if re.fullmatch(r"[0-9A-Fa-f]{40}", token):  # 40 digits are hex too (diagnostics.core.serials)
        return SERIAL
    if re.fullmatch(r"[1-9]\d{15,59}", token) and serial_is_decimal(token):
        return SERIAL  # a serial printed in decimal (openssl -text, Java's getSerialNumber())
    if re.fullmatch(r"[1-9]\d{5,11}", token):
        return MCHID
    if re.fullmatch(r"[!-~]{32}", token):
        # APIv3 and V2 API keys are 32 characters set by the merchant (letters and digits as a
        # rule; SDK test suites use others too).
        return KEY_32
    return ""


def lone_token(text: str, hint: str = "") -> Piece | None:
    """A field holding one value and nothing else, noting spaces or tabs around it (a line end
    around it is what a textarea or a file adds, and no slip).

    >>> lone_token(" " + "k" * 32 + "\\n").spaced
    True
    """
    stripped = text.strip()
    if not stripped or re.search(r"\s", stripped) or "-----" in stripped:
        return None
    if not hint and token_kind(stripped) != KEY_32:
        return None
    return Piece(stripped, hint, text.strip("\n") != stripped)


def split_paste(texts: Iterable[str]) -> tuple[list[Piece], bool]:
    """Every piece of every text, in the order pasted, and whether the paste held more than
    MAX_LINES lines (all texts together) and the rest was left unread."""
    pieces: list[Piece] = []
    budget = MAX_LINES
    for text in texts:
        if len(text) > MAX_INPUT_CHARS:
            raise ParseError(
                "too_large", _("粘贴的内容超过 {limit} 个字符。", limit=MAX_INPUT_CHARS)
            )
        text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
        if lone := lone_token(text):
            pieces.append(lone)
            continue
        blocks, rest = _pem_blocks(text)
        answers, rest = _json_objects(rest) if "{" in rest else ([], rest)
        found = [(at, Piece(block)) for at, block in blocks]
        found += [(-1, Piece(answer, CERTIFICATES_ANSWER)) for _, answer in answers]
        # Blocks keep their place; answers and lines follow in their own order.
        ordered = [piece for _, piece in sorted(found, key=lambda pair: pair[0] < 0)]
        lines, budget = _line_pieces(rest, budget)
        pieces += ordered + lines
        if budget < 0:
            return pieces, True
    return pieces, False
