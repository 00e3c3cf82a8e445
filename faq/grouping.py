"""Group the queries no entry answers by what they are about, so staff see one problem once.

Two queries are one problem when they name the same error code after a code word ("errcode 6",
"err_code: notenough", "错误码 10003"), or when their distinctive words overlap enough: Jaccard
similarity of their CJK character bigrams and ASCII words, generic words left out ("怎么办",
"失败", "error" say nothing about which problem it is). Queries are taken most asked first; each
joins the group whose first (most asked) query it is most like, or starts a new one.

The cost is linear in the text: each query is read once, and it is compared only with the few groups
that share one of its rarer words (an index from word to groups, whose lists stop growing at
``_POSTING_CAP``), so a common word does not make every query meet every group.

>>> groups = group_similar([
...     (1, "申请退款提示 基本账户余额不足", 3),
...     (2, "退款失败:基本账户余额不足,请充值", 2),
...     (3, "支付成功后收不到回调通知", 4),
... ])
>>> [(group.members, group.total) for group in groups]
[([1, 2], 5), ([3], 4)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from faq.normalize import normalize

# Below this Jaccard similarity two queries without a shared code are two problems.
THRESHOLD = 0.4

_CJK_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")
# What scrub_secrets put in place of a key, a sign, an openid…: the same in every query.
_PLACEHOLDER = re.compile(r"«[^»]{0,16}»")
_CODE = re.compile(
    r"(?:err_?code|error_?code|errcode|错误码|错误代码|ret_?code|\bcode)"
    r"[\s\"'=:：,]{0,4}(-?\d{1,6}|[a-z][a-z0-9_]{2,40})"
)
# Words of grammar and of complaint, not of a problem: a run of CJK characters is cut at them
# before it is read in bigrams, so "支付提示" gives 支付 and no 付提.
_GENERIC_CJK = re.compile(
    "报错|提示|出现|显示|失败|错误|问题|一直|怎样|如何|为何|原因|解决|不行|异常|总是|已经|但是|"
    "然后|时候|什么|一下|求助|麻烦|大佬|各位|[的了吗呢啊吧么是我你他她它们在和与也就都还把被请这那个有]"
)
_GENERIC_WORDS = frozenset(
    str.split(
        "the a an and or of to in on for is are was be with not no it this that when by as at from "
        "my i we you how what why does do did can cannot get got has have please help error errors "
        "err code errcode err_code error_code msg message failed fail http https com www"
    )
)
# A query is compared with at most this many groups sharing a word; a word on more groups than
# this is too common to find candidates by (it still counts in the similarity).
_POSTING_CAP = 64
_CANDIDATES = 8


@dataclass(frozen=True)
class Signature:
    """What a query is about: the code it names, if any, and its distinctive words."""

    code: str
    words: frozenset[str]


@dataclass
class Group:
    """Similar queries: their ids, most asked first, and how often they were asked in all."""

    members: list[int]
    total: int
    signature: Signature


def signature(text: str) -> Signature:
    """The code and distinctive words of a query.

    >>> found = signature("JSAPI 支付提示 errCode: 6 怎么办")
    >>> found.code, sorted(found.words)
    ('6', ['6', 'jsapi', '支付'])
    >>> sorted(signature("退款失败怎么办").words)
    ['退款']
    """
    plain = _PLACEHOLDER.sub(" ", normalize(text))
    code = _CODE.search(plain)
    words: set[str] = set()
    for run in _CJK_RUN.findall(plain):
        for piece in _GENERIC_CJK.split(run):
            words.update(piece[i : i + 2] for i in range(len(piece) - 1))
    for token in _ASCII_WORD.findall(plain):
        if token not in _GENERIC_WORDS:
            words.add(token)
    return Signature(code=code.group(1) if code else "", words=frozenset(words))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a ∩ b| / |a ∪ b|; 0 for two empty sets.

    >>> jaccard(frozenset("abc"), frozenset("bcd"))
    0.5
    """
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def group_similar(
    queries: Iterable[tuple[int, str, int]], threshold: float = THRESHOLD
) -> list[Group]:
    """``(id, text, count)`` rows as groups of similar queries, the most asked group first."""
    rows = sorted(queries, key=lambda row: -row[2])
    groups: list[Group] = []
    by_code: dict[str, int] = {}
    by_word: dict[str, list[int]] = {}
    for query_id, text, count in rows:
        found = signature(text)
        index = by_code.get(found.code) if found.code else None
        if index is None:
            index = _closest(found, groups, by_word, threshold)
        if index is None:
            index = len(groups)
            groups.append(Group(members=[], total=0, signature=found))
            if found.code:
                by_code[found.code] = index
            for word in found.words:
                posting = by_word.setdefault(word, [])
                if len(posting) <= _POSTING_CAP:
                    posting.append(index)
        group = groups[index]
        group.members.append(query_id)
        group.total += count
    return sorted(groups, key=lambda group: -group.total)


def _closest(
    found: Signature, groups: list[Group], by_word: dict[str, list[int]], threshold: float
) -> int | None:
    shared: dict[int, int] = {}
    for word in found.words:
        posting = by_word.get(word, ())
        if len(posting) > _POSTING_CAP:
            continue
        for index in posting:
            shared[index] = shared.get(index, 0) + 1
    best, best_score = None, threshold
    for index in sorted(shared, key=lambda i: -shared[i])[:_CANDIDATES]:
        other = groups[index].signature
        # Two different codes are two problems, however alike the words around them.
        if found.code and other.code and found.code != other.code:
            continue
        score = jaccard(found.words, other.words)
        if score >= best_score:
            best, best_score = index, score
    return best
