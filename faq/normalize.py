"""Read what a merchant pasted: normalised text, error codes, the HTTP status, scrubbed secrets.

Merchants paste Chinese error texts, whole V2 XML responses (002 §3), APIv3 JSON error bodies with
or without the HTTP status line (004 错误码), JS bridge ``err_msg`` strings (002 §4 JSAPI, 000 序号
14) and App ``errCode`` values (003 App 调起支付). This module reads the text itself; faq.signals
reads the payloads, stack traces and platform hints around it.

>>> extract_codes("错误码：１０００３")
('10003',)
>>> extract_http_status("HTTP/1.1 401 Unauthorized")
401
"""

from __future__ import annotations

import html
import re
import unicodedata

import re2

# A paste longer than this is cut: nothing documented needs more, and it bounds the cost of a query.
# It is the form's and the API's limit (16 KiB), applied again after NFKC, which can lengthen text
# (one "ﷺ" becomes 18 characters), so nothing below ever reads more.
# Every pattern below runs in time linear in its input (tests/test_regex_safety.py checks them):
# Python's re backtracks, so runs of \s* are possessive (\s*+) where two could split one run, and
# the patterns that must stay complex are compiled with RE2, which never backtracks.
MAX_QUERY_CHARS = 16 * 1024

_DOUBLE_QUOTES = re.compile("[\u201c\u201d\u201e\u201f\u2033\u300c\u300d\u300e\u300f]")
_SINGLE_QUOTES = re.compile("[\u2018\u2019\u201a\u201b\u2032]")
SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"\W+")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_ASCII_TOKEN = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")


def word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# English words that say nothing about which problem a merchant has.
_ENGLISH_STOPWORDS = word_set(
    "the a an and or of to in on for is are was be with not no it this that when by as at from "
    "my i we you how what why does do did can cannot get got has have please help error "
    "http https com www"
    # Words every error message and payload says: alone they would tie any two errors together
    # ("invalid" pulled INVALID_REQUEST and REFUND_FEE_INVALID, issue 14).
    " invalid mismatch failed fail wrong exception errcode err code errmsg msg message errno "
    "retcode retmsg java lang org net cn qq weixin api"
)


def normalize(text: str) -> str:
    """NFKC, entities unescaped, curly quotes straightened, case folded, whitespace collapsed.

    >>> normalize("ＳＩＧＮ＿ＥＲＲＯＲ &amp; “签名错误”")
    'sign_error & "签名错误"'
    """
    return SPACES.sub(" ", unify(text).casefold()).strip()


def compact(normalized: str) -> str:
    """Only letters, digits, CJK and ``_``: the form phrases are compared in.

    Punctuation and spaces vary between what a document prints and what a merchant types
    ("errCode:6" / "errCode 6", "系统繁忙，" / "系统繁忙"), so they take no part.

    >>> compact("errcode: 6, 系统 繁忙")
    'errcode6系统繁忙'
    """
    return _NON_WORD.sub("", normalized)


def features(normalized: str) -> tuple[frozenset[str], frozenset[str]]:
    """(strong, weak) features of a normalised text for the fuzzy index.

    Strong: CJK character bigrams (taken over the compact form, so punctuation does not break
    a phrase) and ASCII words. Weak: single CJK characters and ASCII trigrams, which survive a
    typo ("系统反忙" still shares 系, 统, 忙 with "系统繁忙").

    >>> sorted(features("系统繁忙")[0])
    ['系统', '繁忙', '统繁']
    """
    strong: set[str] = set()
    weak: set[str] = set()
    for run in _CJK_RUN.findall(compact(normalized)):
        weak.update("1" + ch for ch in run)
        if len(run) == 1:
            strong.add("1" + run)
        strong.update(run[i : i + 2] for i in range(len(run) - 1))
    for token in _ASCII_TOKEN.findall(normalized):
        words = token.split("_")
        if len(words) > 1 and not all(w in _ENGLISH_STOPWORDS for w in words):
            strong.add("w" + token)
        for word in words:
            if len(word) < 2 or word in _ENGLISH_STOPWORDS:
                continue
            strong.add("w" + word)
            if len(word) >= 5 and not word.isdigit():
                weak.update("3" + word[i : i + 3] for i in range(len(word) - 2))
    return frozenset(strong), frozenset(weak)


def segments(normalized: str) -> list[str]:
    """The compact pieces of a text between punctuation and spaces, longest first.

    >>> segments("支付分 未获得权益, 怎么办")
    ['未获得权益', '怎么办', '支付分']
    """
    pieces = {compact(piece) for piece in _SEGMENT_SPLIT.split(normalized)}
    return sorted((p for p in pieces if p), key=lambda p: (-len(p), p))


_SEGMENT_SPLIT = re.compile(r"[\s,.;:!?()\[\]{}<>\"'/\\|，。；：！？、（）【】《》…]+")


# --- codes -------------------------------------------------------------------------------------

# Words merchants put before a code: errCode:6 (001 调起收银台错误), 错误码10005 (003 §4),
# "error 10005", "返回10003错误" (001 取消核销错误), err_code (002 §6).
_CODE_HINT = re.compile(r"(?i)err|code|错误|返回|报错|提示")
_KEYWORD_CODE = re.compile(
    r"(?<![A-Za-z])(?i:err_?code|error_?code|err_?no|ret_?code|error|err|code|"
    r"错误码|错误代码|返回码|错误|返回了?|报错了?|提示)"
    r"\s*+[\"']?\s*+(?:[:=]|is|为|是)?\s*+[\"']?\s*+"
    r"(?:(-?\d{1,6})(?![0-9A-Za-z.])"
    # A word code is read only from a run of at most 64 word characters (codes over 40 are dropped
    # anyway): each keyword inside "err_err_…_" would otherwise rescan the rest of the run (O(n²)).
    r"|(?=[A-Za-z0-9_]{0,64}+(?![A-Za-z0-9_]))"
    r"([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+|[A-Z][A-Z0-9]{3,})(?![A-Za-z0-9_]))"
)
# SYSTEMERROR, SIGN_ERROR, PARAM_ERROR (002 §6, 004 错误码) typed on their own.
_BARE_CODE = re.compile(r"(?<![A-Za-z0-9_])([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)(?![A-Za-z0-9_])")
# Alipay's gateway answers sub_codes with a layer prefix: isv.invalid-signature, aop.invalid-auth-token
# (公共错误码), ACQ.TRADE_HAS_SUCCESS (业务错误码). Each run of the name is possessive and starts
# after a separator, so no two repetitions can share characters: linear.
_ALIPAY_CODE = re.compile(
    r"(?<![A-Za-z0-9_.\-])((?i:isv|isp|aop|acq)\.[A-Za-z0-9]++(?:[-_][A-Za-z0-9]++)*+)"
)
_BARE_NUMBER = re.compile(r"(?<![0-9A-Za-z._/\-])(\d{5,6})(?![0-9A-Za-z.])")
_ONLY_A_NUMBER = re.compile(r"^\s*(-?\d{1,6})\s*$")
# Upper-case words in payloads that are values or names, never error codes.
_NOT_CODES = word_set(
    "SUCCESS FAIL FAILED ERROR HTTP HTTPS JSON CDATA POST DELETE PATCH JSAPI NATIVE MWEB "
    "APPID OPENID MCHID NONCE TOKEN BEGIN PRIVATE PUBLIC CERTIFICATE DOCTYPE ENTITY SYSTEM "
    "WECHATPAY2 RSA2048 SHA256 HMAC UTF8 BASE64 CCB_CREDIT"
)


def extract_codes(text: str) -> tuple[str, ...]:
    """Error codes in the forms merchants type, upper-cased, in order of appearance.

    >>> extract_codes('errCode:6 / "errCode":-1 / 错误码10003 / HTTP 401 SIGN_ERROR')
    ('6', '-1', '10003', 'SIGN_ERROR')
    """
    return _codes_in(unify(text))


def _codes_in(plain: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(code for _position, code, _named in _found_codes(plain)))


def named_and_loose_codes(plain: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(codes, loose numbers): a code has a code's shape (SIGN_ERROR, SYSTEMERROR), a keyword
    before it (errCode:6, 错误码10003) or is the whole query; a five- or six-digit number alone in
    a sentence may be a code, or an amount, an order number, an extension (issue 14).

    >>> named_and_loose_codes("退款 10003 errCode:6")
    (('6',), ('10003',))
    """
    found = _found_codes(plain)
    named = tuple(dict.fromkeys(code for _position, code, is_named in found if is_named))
    loose = tuple(dict.fromkeys(code for _position, code, is_named in found if code not in named))
    return named, loose


def _found_codes(plain: str) -> list[tuple[int, str, bool]]:
    """(position, code, named) of every code-looking value, in order of appearance."""
    found: list[tuple[int, str, bool]] = []
    # Inside ACQ.TRADE_HAS_SUCCESS, TRADE_HAS_SUCCESS alone is not a code of its own.
    dotted: set[int] = set()  # the positions inside them: at most the text's length
    if "." in plain:
        for match in _ALIPAY_CODE.finditer(plain):
            found.append((match.start(1), match.group(1).upper(), True))
            dotted.update(range(*match.span(1)))
    whole = _ONLY_A_NUMBER.match(plain)
    if whole:
        found.append((whole.start(1), whole.group(1), True))
    keyword_codes = _KEYWORD_CODE.finditer(plain) if _CODE_HINT.search(plain) else ()
    for match in keyword_codes:
        if match.group(1):
            found.append((match.start(1), match.group(1), True))
        else:
            found.append((match.start(2), match.group(2).upper(), True))
    for match in _BARE_CODE.finditer(plain):
        if match.start(1) not in dotted:
            found.append((match.start(1), match.group(1), True))
    for match in _BARE_NUMBER.finditer(plain):
        found.append((match.start(1), match.group(1), False))
    return [item for item in sorted(found) if looks_like_code(item[1])]


def looks_like_code(code: str) -> bool:
    if code.lstrip("-").isdigit():
        return True
    if code in _NOT_CODES or len(code) > 40:
        return False
    # A hex sign or key (C380BEC2BF...) is upper-case too; codes carry few digits.
    if sum(ch.isdigit() for ch in code) > 2:
        return False
    return "_" in code or len(code) >= 5


# --- HTTP status -------------------------------------------------------------------------------

# 004 错误码: every APIv3 error comes with its HTTP status (400, 401, 403, 500).
_THREE_DIGITS = re.compile(r"[1-5]\d\d")
# \s*+: "http" and 3,000 spaces took 66 s when three \s* could share the run.
_HTTP_STATUS = re.compile(
    r"(?i)(?:\bhttp(?:/\d(?:\.\d)?)?\s*+(?:status(?:\s*+code)?|状态码|code)?|状态码|status\s*+code|"
    r"\bstatus)\s*+[:=]?\s*+([1-5]\d\d)(?!\d)"
    r"|(?<!\d)([45]\d\d)\s++(?i:unauthorized|bad request|forbidden|not found|"
    r"internal server error|too many requests|service unavailable)"
)


def extract_http_status(text: str) -> int | None:
    """The HTTP status a merchant quoted: "HTTP/1.1 401 Unauthorized", "状态码 400", "403 Forbidden".

    >>> extract_http_status("HTTP/1.1 401 Unauthorized")
    401
    """
    return http_status_in(unify(text))


def http_status_in(plain: str) -> int | None:
    match = _HTTP_STATUS.search(plain) if _THREE_DIGITS.search(plain) else None
    if not match:
        return None
    return int(match.group(1) or match.group(2))


# A CDATA section ends at the first "]]>" (XML 1.0 §2.7) and is not searched past the next
# "<![CDATA[", so each opener is scanned once however many are left open.
CDATA_TEXT = r"(?:[^\]<]|\](?!\]>)|<(?!!\[CDATA\[))*+"


LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def unify(text: str) -> str:
    """Entities unescaped, NFKC, quotes straightened; case and spacing kept. A lone surrogate (a
    JSON ``\\udfff`` escape read from a paste) is no character: it becomes U+FFFD, which every
    later step (RE2, the database) can hold."""
    text = unicodedata.normalize("NFKC", LONE_SURROGATE.sub("\ufffd", html.unescape(text)))
    return _SINGLE_QUOTES.sub("'", _DOUBLE_QUOTES.sub('"', text))


# --- secrets -----------------------------------------------------------------------------------

_PEM = re.compile(
    r"-----BEGIN [A-Z0-9 ]+-----.*?(?:-----END [A-Z0-9 ]+-----|\Z)",
    re.S,
)
_SIGN_XML = re.compile(
    r"(<(sign|paysign|paySign|rsaSign|rsasign|signature)>)"
    r"(?:<!\[CDATA\[" + CDATA_TEXT + r"\]\]>|[^<]*+)(</\2>)"
)
_SIGN_ASSIGNMENT = re.compile(
    r"(?i)(\b(?:sign|pay_?sign|rsa_?sign|signature|sign_value)\"?\s*[:=]\s*\"?)"
    r"([^\s\"'&,<>]{6,})"
)
_KEY_ASSIGNMENT = re.compile(
    r"(?i)(\b(?:key|api_?key|api_?v3_?key|mch_?key|app_?secret|secret|secret_?key|private_?key|"
    r"password|passwd|access_?token|token|app_?key)\"?\s*[:=]\s*\"?)([^\s\"'&,<>]{6,})"
)
_OPENID = re.compile(r"(?<![A-Za-z0-9_-])o[A-Za-z0-9_-]{27}(?![A-Za-z0-9_-])")
# RE2: in re every start inside a long run of name characters rescans the run (O(n²)).
_EMAIL = re2.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_HEX_KEY = re.compile(r"(?<![A-Za-z0-9])(?:[0-9A-Fa-f]{64}|[0-9A-Fa-f]{32})(?![A-Za-z0-9])")
_ALNUM_KEY = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{32,}(?![A-Za-z0-9])")
_BASE64_BLOB = re.compile(r"(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{24,}={0,2}(?![A-Za-z0-9+/=])")
_PHONE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d{9}(?![0-9])")
# \d both sides: a start inside a run of digits is refused at once ([0-9] ⊂ \d, same matches).
_LONG_NUMBER = re.compile(r"(?<!\d)\d{10,}(?!\d)")


def scrub_secrets(text: str) -> str:
    """Replace keys, signs, openids, order numbers, phones and e-mails before a paste is logged.

    >>> scrub_secrets("sign=C380BEC2BFD727A4B6845133519F3AD6&openid=oUpF8uN95-Ptaags6E_roPHg7AG0")
    'sign=«sign»&openid=«openid»'
    """
    text = _PEM.sub("«key»", LONE_SURROGATE.sub("\ufffd", text))
    text = _SIGN_XML.sub(r"\1«sign»\3", text)
    text = _SIGN_ASSIGNMENT.sub(r"\1«sign»", text)
    text = _KEY_ASSIGNMENT.sub(r"\1«key»", text)
    text = _OPENID.sub("«openid»", text)
    text = _EMAIL.sub(lambda _match: "«email»", text)
    # 002 §3.2: a V2 sign is MD5 in upper case; a lower-case hex run of the same length is a key.
    text = _HEX_KEY.sub(lambda m: "«sign»" if m.group(0).isupper() else "«key»", text)
    text = _ALNUM_KEY.sub("«key»", text)
    text = _BASE64_BLOB.sub(_scrub_base64, text)
    text = _PHONE.sub("«phone»", text)
    return _LONG_NUMBER.sub("«number»", text)


def _scrub_base64(match: re.Match[str]) -> str:
    blob = match.group(0)
    # An RSA sign, an APIv3 cipher text or a key; only a URL path of the same alphabet is left.
    if _URL_PATH.fullmatch(blob):
        return blob
    return "«key»"


# An absolute path of short lower-case segments that start with a letter (/v3/pay/transactions/jsapi),
# not a base64 blob: a blob may hold "/" too, but not a leading one followed by word-like segments.
_URL_PATH = re.compile(r"/(?:[a-z][a-z0-9_.]{0,15}/)+(?:[a-z][a-z0-9_.]{0,15})?")
