"""Which mistake reproduces the sign the merchant got? (WeChat Pay V2, 002 §3.2)

Each mistake is one way of departing from the 002 §3.2 pipeline (sign empty values, skip sorting,
forget ``&key=`` ...). The search tries every single departure and every pair of departures from
different steps, and reports each one whose digest equals the merchant's sign, with the string1
the merchant must have signed. Lower case is checked on every candidate at no extra cost.

The search is two halves, so that a browser can do the second without sending the key anywhere
(local mode: static/js/local/v2-search.js): ``search_plan`` lists the candidates without the
key, as data (recipes.py: each one's string1, how the key joins it, its codes and its
sentence), and ``evaluate`` hashes them with the key (``recipes.reproducing``) and says what
the ones that reproduce the sign mean (``mistakes_of``).

>>> from diagnostics.wechat_v2 import sign
>>> wrong = sign([("a", "1"), ("b", "")], "K").sign  # the right sign for a=1...
>>> [m.code for m in mistake_search([("a", "1"), ("b", "")], "K", "MD5", wrong.lower())]
['lowercase_digest']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import combinations
from typing import Any, ClassVar, NamedTuple
from urllib.parse import quote, quote_plus

from diagnostics.core.mistakes import Explanation, MistakeInfo, catalogue, singles_and_pairs
from diagnostics.core.text import Message, _, joined
from diagnostics.wechat_v2.recipes import (
    HEX_DIGEST,
    SEARCH,
    Recipe,
    SearchPlan,
    Tail,
    reproducing,
    with_millis,
)
from diagnostics.wechat_v2.signing import (
    HMAC_SHA256,
    MD5,
    SIGN_FIELDS,
    SIGN_TYPES,
    is_empty,
)

Pairs = Sequence[tuple[str, str]]


CATALOGUE = catalogue(
    MistakeInfo(
        "empty_value_signed",
        _("空值参数参与了签名"),
        _("拼接 string1 前跳过值为空的参数。"),
        "002 §3.2 a",
    ),
    MistakeInfo(
        "sign_field_signed",
        _("sign 字段本身参与了签名"),
        _("计算签名时去掉 sign（JSAPI 为 paySign）字段。"),
        "002 §3.2",
    ),
    MistakeInfo(
        "not_sorted",
        _("参数没有按字典序排序"),
        _("按参数名的 ASCII 码从小到大排序后再拼接。"),
        "002 §3.2 a",
    ),
    MistakeInfo(
        "lowercase_digest",
        _("签名没有转成大写"),
        _("对摘要结果调用 toUpperCase()，发送大写的 sign。"),
        "002 §3.2 b; §7.3 (1)",
    ),
    MistakeInfo(
        "key_not_appended",
        _("没有拼接 &key=密钥"),
        _("在 string1 末尾拼上 &key=API密钥 得到 stringSignTemp，再计算摘要。"),
        "002 §3.2 b",
    ),
    MistakeInfo(
        "key_appended_without_name",
        _("密钥拼接时少了 “&key=”"),
        _("拼接的是 “&key=” 加密钥，不能只拼密钥本身。"),
        "002 §3.2 b",
    ),
    MistakeInfo(
        "wrong_algorithm",
        _("签名算法用错了"),
        _("按 sign_type 选择算法：MD5 或 HMAC-SHA256，下单、调起支付和验签要一致。"),
        "002 §3.2; 000 #2",
    ),
    MistakeInfo(
        "values_urlencoded",
        _("参数值 urlencode 后才签名"),
        _("用原始值签名，只在放进 URL 传输时再 urlencode。"),
        "002 §4.11; 000 #2",
    ),
    MistakeInfo(
        "key_whitespace",
        _("密钥前后带了空白字符"),
        _("从配置或文件读出的密钥先 trim()，去掉空格和换行。"),
        "002 §3.2 b",
    ),
    MistakeInfo(
        "non_utf8_encoding",
        _("摘要前没有用 UTF-8 编码"),
        _("把 stringSignTemp 按 UTF-8 转成字节后再计算摘要。"),
        "002 §3.1",
    ),
    MistakeInfo(
        "field_missing",
        _("漏掉了一个参数"),
        _("所有有值的参数（sign 除外）都参与签名，包括 sign_type。"),
        "002 §3.2; §4.2",
    ),
    MistakeInfo(
        "hmac_without_key_suffix",
        _("HMAC-SHA256 没有拼接 &key=密钥"),
        _("HMAC-SHA256 同样对 string1&key=KEY 计算，密钥同时作为 HMAC 的密钥。"),
        "002 §3.2 b; 000 #2",
    ),
    MistakeInfo(
        "timestamp_format",
        _("签名和发送的时间戳单位不同"),
        _("后台签名和调起支付用同一个 10 位秒级时间戳（不要用 Date.now() 的毫秒值）。"),
        "002 §7.3 (3)",
    ),
    MistakeInfo(
        "name_case",
        _("签名和发送的参数名大小写不同"),
        _(
            "签名时和调起支付时用同一套参数名：JSAPI 是 appId、timeStamp、nonceStr、package、"
            "signType，App 是全小写的 appid、partnerid、prepayid、noncestr、timestamp。"
        ),
        "002 §4.4; 003 §3.2.3",
    ),
    MistakeInfo(
        "sign_type_value",
        _("签名时的 signType 与发送的不同"),
        _("signType 的值也参与签名：签名时和调起支付时要一致，并与下单时的 sign_type 相同。"),
        "002 §4.4",
    ),
    MistakeInfo(
        "order_sign_reused",
        _("统一下单的 sign 当成了 paySign"),
        _("调起支付对 appId、timeStamp、nonceStr、package、signType 单独计算 paySign。"),
        "002 §4.4",
    ),
    MistakeInfo(
        "wrong_key",
        _("密钥不对"),
        _(
            "确认用的是商户平台的 API 密钥（不是 APIv3 密钥，也不是另一个商户号的密钥）。"
            "不要急着重设密钥：重设后所有还在用旧密钥的程序都会签名失败。"
        ),
        "000 #2 3）",
    ),
)


@dataclass(frozen=True)
class Mistake(Explanation):
    """One explanation that reproduces the merchant's sign exactly."""

    catalogue: ClassVar[Mapping[str, MistakeInfo]] = CATALOGUE
    detail: Message
    string1: str
    field: str = ""


class _Pipeline(NamedTuple):
    """How a sign is computed; the defaults are the correct way (002 §3.2)."""

    include_empty: bool = False
    include_sign: bool = False
    drop: str = ""
    keep_order: bool = False
    encode: Callable[[str], str] | None = None
    key_space: tuple[str, str] = ("", "")  # whitespace before and after the key
    suffix: str = "named"  # named: &key=KEY | none | bare: KEY | amp_bare: &KEY
    algorithm: str = ""
    encoding: str = "utf-8"

    def tail(self) -> Tail:
        before, after = self.key_space
        return Tail(self.suffix, before, after, self.algorithm, self.encoding)


_CORRECT = _Pipeline()

# The first five settings decide string1; the others act after it (the key, the algorithm, ...).
_FIELD_SETTINGS = _Pipeline._fields[:5]
MAX_DEPARTURES = 2  # every single mistake, and every pair from two different steps


class _Variant(NamedTuple):
    """One departure from the correct way: its mistake code and the one setting it changes."""

    code: str
    setting: str  # a _Pipeline field
    value: Any
    position: tuple[int, int] = (0, 0)  # (step, variant): where it sits in the search order


# A candidate: its departures, none, one, or two from different steps.
_Candidate = tuple[_Variant, ...]


def _candidates(steps: list[list[_Variant]]) -> list[_Candidate]:
    """The correct way, each single departure, then each pair from two different steps."""
    return [(), *singles_and_pairs([[(variant,) for variant in step] for step in steps])]


def _search_order(candidate: _Candidate) -> tuple[object, ...]:
    """Simplest first: fewer departures, then earlier steps, then earlier variants."""
    if len(candidate) < 2:
        return (1, candidate[0].position) if candidate else (0,)
    first, second = sorted((candidate[0].position, candidate[1].position))
    return 2, first[0], second[0], first[1], second[1]


def _pipeline(candidate: _Candidate, sign_type: str) -> _Pipeline:
    """The pipeline with these departures from the correct way of signing with ``sign_type``."""
    settings = {variant.setting: variant.value for variant in candidate}
    return _Pipeline(**{"algorithm": sign_type, **settings})


@lru_cache(maxsize=2048)  # bounded: these are user-supplied values
def _quote_all(value: str) -> str:
    return quote(value, safe="")


@lru_cache(maxsize=2048)  # bounded: these are user-supplied values
def _quote_plus(value: str) -> str:
    return quote_plus(value)


class _Builder:
    """Builds each candidate's string1 for one search: once per distinct way of choosing,
    ordering and encoding the fields, from fragments made once per encoding."""

    def __init__(self, pairs: Pairs) -> None:
        self.rows = [(name, value, is_empty(value), name in SIGN_FIELDS) for name, value in pairs]
        self._names = [row[0] for row in self.rows]
        self._fragments: dict[Callable[[str], str] | None, list[str]] = {}
        self._chosen: dict[tuple[bool, bool, bool], list[int]] = {}
        self._string1: dict[tuple[object, ...], str] = {}
        # Every string1 is made of these names and values (or their ASCII urlencoded forms),
        # "=" and "&": when GBK can carry all of them it can carry every string1.
        self.all_gbk = _gbk_can_carry("".join(name + value for name, value in pairs))

    def gbk_can_carry(self, string1: str) -> bool:
        return self.all_gbk or _gbk_can_carry(string1)

    def string1_of(self, variants: tuple[_Variant, ...]) -> str:
        """string1 with these departures (of the field settings) from the correct way."""
        choice = list(_CORRECT[: len(_FIELD_SETTINGS)])
        for variant in variants:
            choice[_FIELD_SETTINGS.index(variant.setting)] = variant.value
        return self._string1_for(tuple(choice))

    def _string1_for(self, choice: tuple[Any, ...]) -> str:
        cached = self._string1.get(choice)
        if cached is None:
            include_empty, include_sign, drop, keep_order, encode = choice
            fragments = self._fragments.get(encode)
            if fragments is None:
                fragments = [
                    f"{name}={encode(value) if encode else value}"
                    for name, value, _empty, _signature in self.rows
                ]
                self._fragments[encode] = fragments
            names = self._names
            cached = "&".join(
                [
                    fragments[index]
                    for index in self._chosen_rows(include_empty, include_sign, keep_order)
                    if names[index] != drop
                ]
            )
            self._string1[choice] = cached
        return cached

    def _chosen_rows(self, include_empty: bool, include_sign: bool, keep_order: bool) -> list[int]:
        """The rows that take part, in signing order (002 §3.2 a: sorted by name, stable)."""
        choice = (include_empty, include_sign, keep_order)
        chosen = self._chosen.get(choice)
        if chosen is None:
            rows = self.rows
            chosen = [
                index
                for index, (_name, _value, empty, signature) in enumerate(rows)
                if (include_sign or not signature) and (include_empty or not empty or signature)
            ]
            if not keep_order:
                chosen.sort(key=lambda index: rows[index][0])
            self._chosen[choice] = chosen
        return chosen


# The whitespace a key read from a file or a config line carries.
_KEY_SPACES = (("", "\n"), ("", "\r\n"), ("", " "), (" ", ""), ("\n", ""))


def _steps(builder: _Builder, sign_type: str) -> list[list[_Variant]]:
    """The alternatives of each step, each with its position; a candidate takes at most one from
    each of two steps."""
    included = [
        name for name, _value, empty, signature in builder.rows if not empty and not signature
    ]
    steps: list[list[_Variant]] = [
        [_Variant("empty_value_signed", "include_empty", True)],
        [_Variant("sign_field_signed", "include_sign", True)],
        [_Variant("field_missing", "drop", name) for name in included],
        [_Variant("not_sorted", "keep_order", True)],
        [
            _Variant("values_urlencoded", "encode", _quote_all),
            _Variant("values_urlencoded", "encode", _quote_plus),
        ],
        [_Variant("key_whitespace", "key_space", space) for space in _KEY_SPACES],
        [
            _Variant("key_not_appended", "suffix", "none"),
            _Variant("key_appended_without_name", "suffix", "bare"),
            _Variant("key_appended_without_name", "suffix", "amp_bare"),
        ],
        [
            _Variant(
                "wrong_algorithm", "algorithm", MD5 if sign_type == HMAC_SHA256 else HMAC_SHA256
            )
        ],
        # Kept even for ASCII string1: a key that is not ASCII has other GBK bytes; ``evaluate``
        # skips it when both are ASCII (GBK encodes ASCII as UTF-8 does).
        [_Variant("non_utf8_encoding", "encoding", "gbk")],
    ]
    # A variant that cannot change the signed text for this input is left out rather than tried.
    correct = builder.string1_of(())

    def changes_anything(variant: _Variant) -> bool:
        return variant.setting not in _FIELD_SETTINGS or builder.string1_of((variant,)) != correct

    kept = [[variant for variant in step if changes_anything(variant)] for step in steps]
    return [
        [variant._replace(position=(s, v)) for v, variant in enumerate(step)]
        for s, step in enumerate(step for step in kept if step)
    ]


def _codes_for(codes: tuple[str, ...], pipeline: _Pipeline) -> tuple[str, ...]:
    """HMAC with nothing appended is its own, better-known mistake."""
    if pipeline.suffix == "none" and pipeline.algorithm == HMAC_SHA256:
        return tuple(
            "hmac_without_key_suffix" if code == "key_not_appended" else code for code in codes
        )
    return codes


# How the mistakes without values read inside "你的签名能这样复现：…".
_CLAUSES: dict[str, Message] = {
    "sign_field_signed": _("sign 字段本身也拼进了 string1"),
    "not_sorted": _("参数没有按字典序排序，按原顺序拼接"),
    "lowercase_digest": _("签名没有转成大写（发送的是小写）"),
    "key_not_appended": _("没有在 string1 末尾拼接 &key=密钥"),
    "non_utf8_encoding": _("摘要前用 GBK 而不是 UTF-8 编码"),
    "hmac_without_key_suffix": _("HMAC-SHA256 计算时没有拼接 &key=密钥"),
}


def _detail(codes: tuple[str, ...], pairs: Pairs, pipeline: _Pipeline, sign_type: str) -> Message:
    parts: list[Message] = []
    for code in codes:
        if code == "field_missing":
            if pipeline.drop == "sign_type":
                parts.append(_("签名时漏掉了参数 sign_type（验证通知时 sign_type 同样参与签名）"))
            else:
                parts.append(_("签名时漏掉了参数 {name}", name=pipeline.drop))
        elif code == "empty_value_signed":
            empties = [n for n, v in pairs if is_empty(v) and n not in SIGN_FIELDS]
            parts.append(_("把空值参数（{names}）也拼进了 string1", names=joined(_("、"), empties)))
        elif code == "wrong_algorithm":
            parts.append(
                _(
                    "用 {used} 计算了签名，而这次应该用 {sign_type}",
                    used=pipeline.algorithm,
                    sign_type=sign_type,
                )
            )
        elif code == "key_whitespace":
            before, after = pipeline.key_space
            shown = (
                (repr(before)[1:-1] if before else "")
                + "KEY"
                + (repr(after)[1:-1] if after else "")
            )
            parts.append(_("密钥带了空白字符（实际参与签名的是 “{shown}”）", shown=shown))
        elif code == "key_appended_without_name":
            joiner = "&" if pipeline.suffix == "amp_bare" else ""
            parts.append(_("拼接的是 string1{joiner}KEY，少了 “&key=”", joiner=joiner))
        elif code == "values_urlencoded":
            if pipeline.encode is _quote_plus:
                parts.append(_("对参数值做了 urlencode（空格编码为 +）再签名"))
            else:
                parts.append(_("对参数值做了 urlencode（空格编码为 %20）再签名"))
        else:
            parts.append(_CLAUSES[code])
    return _("你的签名能这样复现：{mistakes}。", mistakes=joined(_("，并且"), parts))


def search_plan(
    pairs: Pairs, sign_type: str, expected_sign: str, plan: SearchPlan | None = None
) -> SearchPlan:
    """The single mistakes and pairs of mistakes that could give ``expected_sign``, without the
    key, simplest first (added to ``plan`` when given).

    ``pairs`` is the request as the merchant sent it (sign field included, in their order);
    ``sign_type`` the right one. A candidate is a field part (what string1 is) and a tail (how
    it is hashed), with no more than MAX_DEPARTURES between them; only tails of the algorithm
    whose digest has the sign's length are listed. The correct way is listed only when the sign
    is in lower case (else it is no mistake).
    """
    if sign_type not in SIGN_TYPES:
        raise ValueError(f"unknown sign_type {sign_type!r}")
    builder = _Builder(pairs)
    correct = builder.string1_of(())
    if plan is None:
        plan = SearchPlan(expected_sign.strip(), correct.isascii())
    if not HEX_DIGEST.fullmatch(plan.expected):
        return plan  # no digest of any candidate can be it
    lowercase = plan.expected != plan.expected.upper()
    steps = _steps(builder, sign_type)
    # Each part is worked out once — a field part's string1, a tail's Tail and codes — and the
    # candidates come in search order: none, each single departure, then each pair from two
    # different steps (fewer first, then earlier steps, then earlier variants), as
    # singles_and_pairs lists them.
    last = ("lowercase_digest",) if lowercase else ()
    recipes = plan.recipes

    def add(field: _FieldInfo, tail: _TailInfo | None, candidate: _Candidate) -> None:
        if tail is None:
            return  # its digest has another length than the sign
        string_index, field_codes, drop, gbk_ok = field
        tail_index, tail_codes, encoding = tail
        codes = field_codes + tail_codes + last
        if not codes or (encoding != "utf-8" and not gbk_ok):
            return  # the correct way (no mistake), or bytes no program can make
        describe = partial(_described, codes, pairs, candidate, sign_type)
        recipes.append(Recipe(SEARCH, string_index, tail_index, codes, describe, drop))

    is_field = [step[0].setting in _FIELD_SETTINGS for step in steps]
    no_field = _field_info((), builder, plan)
    no_tail = _tail_info((), sign_type, plan)
    single: dict[tuple[int, int], Any] = {
        variant.position: _field_info((variant,), builder, plan)
        if is_field[index]
        else _tail_info((variant,), sign_type, plan)
        for index, step in enumerate(steps)
        for variant in step
    }
    # The algorithm is the sign's: with the sign_type's, no tail that changes it; else only those.
    wrong_wanted = plan.algorithm != sign_type
    changes_algorithm = [step[0].setting == "algorithm" for step in steps]
    add(no_field, no_tail, ())
    for index, step in enumerate(steps):
        for variant in step:
            if is_field[index]:
                add(single[variant.position], no_tail, (variant,))
            else:
                add(no_field, single[variant.position], (variant,))
    # Field steps come before tail steps, so a pair is (field, field), (field, tail) or (tail, tail).
    for (i, first), (j, second) in combinations(enumerate(steps), 2):
        if (changes_algorithm[i] or changes_algorithm[j]) != wrong_wanted:
            continue
        for a in first:
            if is_field[j]:
                for b in second:
                    add(_field_info((a, b), builder, plan), no_tail, (a, b))
            elif is_field[i]:
                field = single[a.position]
                for b in second:
                    add(field, single[b.position], (a, b))
            else:
                for b in second:
                    add(no_field, _tail_info((a, b), sign_type, plan), (a, b))
    return plan


_FieldInfo = tuple[int, tuple[str, ...], str, bool]
_TailInfo = tuple[int, tuple[str, ...], str]


def _field_info(
    departures: _Candidate, builder: _Builder, plan: SearchPlan
) -> tuple[int, tuple[str, ...], str, bool]:
    """A field part's string1 (its index in the plan), codes, dropped field, and whether GBK
    can carry it."""
    string1 = builder.string1_of(departures)
    drop = next((v.value for v in departures if v.setting == "drop"), "")
    codes = tuple(variant.code for variant in departures)
    return plan.string_index(string1), codes, drop, builder.gbk_can_carry(string1)


def _gbk_can_carry(text: str) -> bool:
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def _tail_info(
    tail: _Candidate, sign_type: str, plan: SearchPlan
) -> tuple[int, tuple[str, ...], str] | None:
    """A tail's index in the plan, codes and encoding; None when its digest cannot be the sign."""
    pipeline = _pipeline(tail, sign_type)
    if pipeline.algorithm != plan.algorithm:
        return None
    codes = _codes_for(tuple(variant.code for variant in tail), pipeline)
    return plan.tail_index(pipeline.tail()), codes, pipeline.encoding


def _described(
    codes: tuple[str, ...], pairs: Pairs, candidate: _Candidate, sign_type: str, _millis: str
) -> Message:
    return _detail(codes, pairs, _pipeline(candidate, sign_type), sign_type)


def evaluate(plan: SearchPlan, key: str) -> list[Mistake]:
    """The explanations of the merchant's sign with ``key``: ``reproducing`` then ``mistakes_of``."""
    return mistakes_of(plan, reproducing(plan, key))


_MILLIS = re.compile(r"[0-9]{3}")


def mistakes_of(plan: SearchPlan, found: Sequence[tuple[int, str]]) -> list[Mistake]:
    """The explanations these recipes give (``reproducing``'s answer, or the browser's in local
    mode: indices out of range or milliseconds that are not three digits are passed over)."""
    mistakes: list[Mistake] = []
    for index, millis in found:
        if not 0 <= index < len(plan.recipes):
            continue
        recipe = plan.recipes[index]
        text = plan.strings[recipe.string]
        if recipe.millis_at:
            if not _MILLIS.fullmatch(millis):
                continue
            text = with_millis(text, recipe.millis_at, millis)
        mistakes.append(Mistake(recipe.codes, recipe.describe(millis), text, recipe.field))
    return mistakes


def mistake_search(
    pairs: Pairs, key: str, sign_type: str, expected_sign: str, *, max_results: int = 10
) -> list[Mistake]:
    """Every single mistake or pair of mistakes whose sign equals ``expected_sign``.

    ``pairs`` is the request as the merchant sent it (sign field included, in their order);
    ``key`` and ``sign_type`` are the right ones. The correct sign itself is not reported.
    """
    return evaluate(search_plan(pairs, sign_type, expected_sign), key)[:max_results]


def explained_by_findings(findings: Sequence[Any]) -> list[Mistake]:
    """A mismatch a finding already explains without re-signing (the order's sign reused as
    paySign: no key can make it the pay call's sign)."""
    return [
        Mistake(("order_sign_reused",), finding.message, "")
        for finding in findings
        if getattr(finding, "code", "") == "order_sign_reused"
    ]


def no_mistake_found() -> Mistake:
    """What to say when no single mistake or pair of them reproduces the merchant's sign."""
    return Mistake(
        ("wrong_key",),
        _(
            "常见的签名错误（单个或两两组合）和上面检查发现的差异都复现不了你的签名。"
            "剩下的可能是签名用的密钥与这里的不同：用了 APIv3 密钥而不是 API 密钥、用了另一个商户号的密钥，"
            "或用了已被重置前的旧密钥（000 #2：key 用的是 api 秘钥，不是 apiv3 秘钥）；"
            "也可能粘贴的参数与实际签名时的不完全一样。请先核对这两点，不要急着重设密钥。"
        ),
        "",
    )
