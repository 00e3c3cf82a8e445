"""The diagnosis rule engine: FAQ entries compiled once into indexes, queries scored and ranked.

A query is what a merchant pasted. :func:`faq.signals.read_signals` pulls out codes, message
phrases, the HTTP status and platform hints; the engine then scores every entry that shares
something with the query, strongest evidence first:

1. an exact code (``10003``, ``SIGN_ERROR``, ``errCode:6``)                       ~100
2. an exact phrase: a symptom contained in the query, or the query equal to one    60-80
3. a partial phrase: a piece of the query contained in a symptom or title          28-45
4. fuzzy: shared character bigrams / words, for typos and extra words              <25

Scores rank; a **confidence** says what the evidence is worth to a person (issue 14): *certain*
(确定: an exact code in a code-shaped context, the query equal to a symptom, a distinctive symptom
inside it), *likely* (可能: a generic symptom where the platform agrees, most of a symptom, a close
near-spelling, a documented code as a bare number) or *related* (仅相关: shared words only). A
diagnosis is ``matched`` only when its first match is certain or likely; otherwise the closest are
kept, as related. The reviewed vocabulary (faq/data/vocabulary/synonyms.yaml) adds the documents'
wording after a merchant's paraphrase, names the generic words that never carry a match alone, and
the context words that give an entry's code or message another meaning (NOTENOUGH on a refund).

Platform and scenario hints in the text boost; the ``platform`` / ``scenario`` arguments filter.
Where a platform is named (by the paste or the form), another platform's entries are at most
related while the named one has a plausible answer, and never come first. A paste that names a
payment platform the base does not cover (银联, Stripe, …) gets no confident answer.
When the best answers differ by platform, Pay Score page or entry point, the diagnosis carries
:class:`RefineQuestion` s that split them (000 gives different remedies for app / h5 / 小程序 on
the 开启服务页 and 订单确认页; 10003 means one thing in 001 and another in 003).

Query cost does not grow with the number of entries: codes and whole phrases are dictionary
look-ups, containment is checked only for symptoms anchored on one of the query's bigrams (each
symptom is anchored on its rarest one), and fuzzy candidates come from posting lists read rarest
first under a fixed budget.

>>> from faq.knowledge import FaqEntry
>>> entry = FaqEntry("e", "baidu", "001", "取消核销错误", "企业资产不足", ("企业资产不足",), ("10003",), ())
>>> [str(why) for why in RuleEngine([entry]).diagnose("返回10003").matches[0].why]
['错误码 10003 完全匹配']
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from diagnostics.core.text import Text, _, label
from faq.knowledge import ENTRY_POINTS, PAGES, PLATFORMS, SCENARIOS, FaqEntry
from faq.normalize import compact, features, normalize, segments
from faq.scoring import (
    CONFIDENCE_RANK,
    CONTAINED_PHRASE_SCORE,
    EQUAL_PHRASE_SCORE,
    FUZZY_CANDIDATES,
    FUZZY_MIN_SIMILARITY,
    FUZZY_SCORE,
    GENERIC_FACTOR,
    KEEP_SHARE,
    KIND_FACTOR,
    MAX_PIECES,
    PARTIAL_LIKELY_LENGTH,
    PARTIAL_PHRASE_SCORE,
    POSTING_BUDGET,
    REFINE_BAND,
    TIER_CLOSEST,
    TIER_FUZZY,
    TIER_PARTIAL,
    TIER_PHRASE,
    Confidence,
    Evidence,
    Phrase,
    anchor_feature,
    code_like_tokens,
    contains,
    entry_score,
    near_spelling,
    phrase_confidence,
    specific_piece,
)
from faq.signals import read_signals
from faq.synonyms import Vocabulary, load_vocabulary

REFINE_LABELS = {
    "platform": "是哪个平台的报错？",
    "page": "报错出现在支付分的哪个页面？",
    "entry": "从哪个入口进入（App、H5 还是小程序）？",
}


@dataclass(frozen=True)
class Match:
    entry: FaqEntry
    score: float
    why: tuple[Text, ...]
    confidence: Confidence = "related"

    @property
    def confident(self) -> bool:
        """Certain or likely: a remedy the documents give for this problem."""
        return self.confidence != "related"


@dataclass(frozen=True)
class RefineQuestion:
    """A question whose answer splits the best matches: key is "platform", "page" or "entry"."""

    key: str
    label: str
    options: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Diagnosis:
    """The answer to one query.

    ``matched`` is True only when the best match is certain or likely; otherwise no entry
    documents the problem and ``matches`` holds the closest ones ("related"), if any share anything
    with the query. ``normalized`` is the text that was matched: the query normalised, with
    pasted XML / JSON reduced to what it says, and the documents' wording added after a
    merchant's paraphrase (faq/data/vocabulary/synonyms.yaml). ``foreign`` names a platform the knowledge
    base does not cover when the query names one.
    """

    query: str
    normalized: str
    codes: tuple[str, ...]
    platform_hints: tuple[str, ...]
    matches: tuple[Match, ...]
    refine: tuple[RefineQuestion, ...]
    matched: bool
    ignored: tuple[str, ...] = ()
    foreign: str = ""
    family_hints: tuple[str, ...] = ()

    @property
    def confident_matches(self) -> tuple[Match, ...]:
        return tuple(match for match in self.matches if match.confident)

    @property
    def related_matches(self) -> tuple[Match, ...]:
        return tuple(match for match in self.matches if not match.confident)


class RuleEngine:
    """Compile FAQ entries once; diagnose many queries.

    >>> engine = RuleEngine([])
    >>> engine.diagnose("系统繁忙").matched
    False
    """

    def __init__(self, entries: Iterable[FaqEntry], vocabulary: Vocabulary | None = None) -> None:
        self._vocabulary = load_vocabulary() if vocabulary is None else vocabulary
        self._entries: tuple[FaqEntry, ...] = tuple(entries)
        self._by_slug = {entry.slug: entry for entry in self._entries}
        self._codes: dict[str, list[int]] = defaultdict(list)
        self._http: dict[int, list[int]] = defaultdict(list)
        self._phrases: list[Phrase] = []
        self._equal: dict[str, list[int]] = defaultdict(list)
        for index, entry in enumerate(self._entries):
            for code in dict.fromkeys(code.strip().upper() for code in entry.codes):
                self._codes[code].append(index)
            if entry.http_status is not None:
                self._http[entry.http_status].append(index)
            for symptom in entry.symptoms:
                self._add_phrase(index, "symptom", symptom)
            self._add_phrase(index, "title", entry.title)
            if entry.summary_en:
                self._add_phrase(index, "summary", entry.summary_en)
        # Codes with letters can be typed in lower case ("systemerror"); numbers need a keyword.
        self._word_codes = frozenset(c for c in self._codes if not c.lstrip("-").isdigit())

        document_frequency: Counter[str] = Counter()
        for phrase in self._phrases:
            document_frequency.update(phrase.strong)
            document_frequency.update(phrase.weak)
        count = max(len(self._phrases), 1)
        self._idf = {f: math.log(1 + count / df) for f, df in document_frequency.items()}
        self._unseen_idf = math.log(1 + count)

        self._postings: dict[str, list[int]] = defaultdict(list)
        self._anchors: dict[str, list[int]] = defaultdict(list)
        self._unanchored: list[int] = []
        for phrase_id, phrase in enumerate(self._phrases):
            # fsum: exact, so the total does not depend on the set's (per-process) order
            phrase.strong_total = math.fsum(self._idf[f] for f in phrase.strong) or 1.0
            phrase.weak_total = math.fsum(self._idf[f] for f in phrase.weak)
            for feature in phrase.strong:
                self._postings[feature].append(phrase_id)
            if phrase.kind != "symptom":
                continue
            self._equal[phrase.key].append(phrase_id)
            anchor = anchor_feature(phrase, document_frequency)
            if anchor is None:
                self._unanchored.append(phrase_id)
            else:
                self._anchors[anchor].append(phrase_id)

    @property
    def entries(self) -> tuple[FaqEntry, ...]:
        return self._entries

    def get(self, slug: str) -> FaqEntry | None:
        return self._by_slug.get(slug)

    def diagnose(
        self,
        query: str,
        platform: str | None = None,
        scenario: str | None = None,
        limit: int = 10,
    ) -> Diagnosis:
        """Rank the entries that explain ``query``.

        ``platform`` keeps only that platform's entries; ``scenario`` (one value or a comma list
        such as ``"app,enable_page"``) keeps entries with no scenarios or with all of them.
        """
        signals = read_signals(self._vocabulary.simplify(query))
        wanted = frozenset(s.strip() for s in (scenario or "").split(",") if s.strip())
        typed_key = compact(signals.text)
        text = self._vocabulary.expand(signals.text)
        key = compact(text)
        strong, weak = features(text)
        evidence: dict[int, Evidence] = defaultdict(Evidence)

        codes = list(signals.codes)
        for token in code_like_tokens(text):
            code = token.upper()
            if code in self._word_codes and code not in codes:
                codes.append(code)
        for code in codes:
            for index in self._codes.get(code, ()):
                evidence[index].codes.append(code)
        for code in signals.loose_codes:
            for index in self._codes.get(code, ()):
                evidence[index].loose_codes.append(code)
        if signals.http_status is not None:
            for index in self._http.get(signals.http_status, ()):
                evidence[index].http_status = signals.http_status

        self._find_whole_phrases(text, key, typed_key, signals.phrases, strong, evidence)
        self._find_near_phrases(text, signals.phrases, strong, weak, evidence)

        # Ranking follows every platform the paste or the form names ("微信" names three); a
        # confidence leans only on a platform named exactly.
        named = set(signals.platform_hints) | ({platform} if platform else set())
        hinted = named | set(signals.family_hints)
        hints = (tuple(sorted(hinted)), signals.scenario_hints)
        scenes = wanted | set(signals.scenario_hints)
        scored: list[tuple[float, int, int, str, str | None]] = []
        for index, found in evidence.items():
            entry = self._entries[index]
            if platform and entry.platform != platform:
                continue
            if wanted and entry.scenarios and not wanted.issubset(entry.scenarios):
                continue
            score, tier = entry_score(found, entry, *hints)
            if score <= 0:
                continue
            agrees = entry.platform in named
            in_scene = agrees and not scenes.isdisjoint(entry.scenarios)
            confidence = self._confidence(found, agrees, in_scene, len(typed_key) or 1)
            context = self._vocabulary.context_against(entry.slug, key)
            if context or (signals.foreign and not agrees):
                confidence = "related"
            scored.append((score, tier, index, confidence, context))
        # Where the paste or the form names a platform, another platform's entries are only
        # related and never outrank its own (issue 14: a WeChat 签名错误 ranked Baidu first).
        if hinted:
            scored = [
                (sc, tier, index, level, context)
                if self._entries[index].platform in hinted
                else (sc, tier, index, "related", context)
                for sc, tier, index, level, context in scored
            ]
        scored.sort(
            key=lambda item: (
                -CONFIDENCE_RANK[item[3]],
                self._entries[item[2]].platform not in hinted,
                -item[0],
                -item[1],
                item[2],
            )
        )

        matched = bool(scored) and scored[0][3] != "related"
        best: dict[str, float] = {}
        for score, _tier, _index, level, _context in scored:
            best.setdefault(level, score)
            best[level] = max(best[level], score)
        matches: list[Match] = []
        for score, tier, index, level, context in scored:
            if len(matches) >= limit:
                break
            if score < best[level] * KEEP_SHARE or (matched and tier == TIER_CLOSEST):
                continue
            entry = self._entries[index]
            # Issue 14: a V2 answer's diagnosis listed Baidu and APIv3 entries too. Another
            # platform's entry stays (as related) only where it has the same code: 10003 is
            # Baidu's 取消核销 and WeChat's redirect domain, and the merchant may have the other.
            found = evidence[index]
            if (
                matched
                and hinted
                and entry.platform not in hinted
                and not (found.codes or found.loose_codes)
            ):
                continue
            why = self._explain(
                evidence[index],
                entry,
                signals.platform_hints,
                signals.scenario_hints,
                context,
                signals.foreign,
            )
            matches.append(Match(entry, round(score, 2), why, level))

        confident = [match for match in matches if match.confident]
        # The platform question counts every confident answer, not only those listed: a generic
        # "验签失败" has equal answers on four platforms, more than one page lists (issue 18).
        refine: tuple[RefineQuestion, ...] = ()
        if matched:
            floor = scored[0][0] * REFINE_BAND
            contenders = [
                self._entries[index]
                for score, _tier, index, level, _context in scored
                if level != "related" and score >= floor
            ]
            refine = _refine_questions(confident, platform, wanted, contenders)
        return Diagnosis(
            query=query,
            normalized=text,
            codes=tuple(codes),
            platform_hints=signals.platform_hints,
            matches=tuple(matches),
            refine=refine,
            matched=matched,
            ignored=signals.ignored,
            foreign=signals.foreign,
            family_hints=signals.family_hints,
        )

    def _confidence(
        self, found: Evidence, agrees: bool, in_scene: bool, typed_length: int
    ) -> Confidence:
        """How much a person would accept the evidence for one entry (see CONFIDENCE_LABELS)."""
        if found.codes:
            return "certain"
        level = "likely" if found.loose_codes else "related"
        for phrase_id, (_score, _tier, how, similarity) in found.phrases.items():
            phrase = self._phrases[phrase_id]
            level = max(
                level,
                phrase_confidence(phrase, how, similarity, agrees, typed_length),
                key=CONFIDENCE_RANK.__getitem__,
            )
            if level == "certain":
                return level
        # A generic symptom's near-spelling, like its exact spelling, needs the platform (here
        # also the scene) named.
        if level == "related" and any(
            near_spelling(similarity, coverage, in_scene, self._phrases[phrase_id].generic)
            for phrase_id, (similarity, coverage) in found.near.items()
        ):
            level = "likely"
        return level  # type: ignore[return-value]

    # --- compiling ---------------------------------------------------------------------------

    def _add_phrase(self, index: int, kind: str, text: str) -> None:
        normalized = normalize(text)
        key = compact(normalized)
        if not key:
            return
        strong, weak = features(normalized)
        if kind == "summary":  # English prose: its words only, no trigram noise
            weak = frozenset()
        generic = key in self._vocabulary.generic
        is_code = key == normalized and text.strip().upper() in self._codes_of(index)
        self._phrases.append(
            Phrase(
                index,
                kind,
                text.strip(),
                key,
                normalized,
                key.isascii(),
                strong,
                weak,
                generic,
                is_code,
            )
        )

    def _codes_of(self, index: int) -> frozenset[str]:
        return frozenset(code.strip().upper() for code in self._entries[index].codes)

    # --- matching ----------------------------------------------------------------------------

    def _find_whole_phrases(
        self,
        text: str,
        key: str,
        typed_key: str,
        pasted_phrases: tuple[str, ...],
        strong: frozenset[str],
        evidence: dict[int, Evidence],
    ) -> None:
        """Symptoms equal to the query as typed (or to a pasted message), and symptoms inside the
        query or the wording its paraphrases add."""
        for whole in (typed_key, *(compact(p) for p in pasted_phrases)):
            for phrase_id in self._equal.get(whole, ()):
                phrase = self._phrases[phrase_id]
                score = EQUAL_PHRASE_SCORE + min(len(phrase.key), 15)
                score *= GENERIC_FACTOR if phrase.generic else 1.0
                evidence[phrase.entry].add_phrase(phrase_id, score, TIER_PHRASE, "equal")
        candidates = [pid for f in sorted(strong) for pid in self._anchors.get(f, ())]
        candidates.extend(self._unanchored)
        for phrase_id in candidates:
            phrase = self._phrases[phrase_id]
            if contains(text, key, phrase):
                score = CONTAINED_PHRASE_SCORE + min(len(phrase.key), 15)
                score *= GENERIC_FACTOR if phrase.generic else 1.0
                evidence[phrase.entry].add_phrase(phrase_id, score, TIER_PHRASE, "contained")

    def _find_near_phrases(
        self,
        text: str,
        pasted_phrases: tuple[str, ...],
        strong: frozenset[str],
        weak: frozenset[str],
        evidence: dict[int, Evidence],
    ) -> None:
        """Pieces of the query inside a symptom or title (partial) and shared bigrams (fuzzy)."""
        pieces = [
            p
            for p in dict.fromkeys([*segments(text), *(compact(p) for p in pasted_phrases)])
            if specific_piece(p) and p not in self._vocabulary.generic
        ][:MAX_PIECES]
        for piece in pieces:
            self._find_phrases_around(piece, evidence)

        postings, phrases = self._postings, self._phrases
        # Count shared strong features per phrase, rarest features first (they say the most and
        # their lists are short) until the budget is spent; Counter.update counts in C.
        overlap: Counter[int] = Counter()
        budget = POSTING_BUDGET
        for feature in sorted(strong, key=lambda f: (len(postings.get(f, ())), f)):
            posting = postings.get(feature)
            if not posting:
                continue
            if len(posting) > budget:
                if overlap:
                    break
                posting = posting[:budget]
            overlap.update(posting)
            budget -= len(posting)

        # Candidates by the share of their features found (unweighted, cheap), then scored with
        # IDF weights. Once something matched, fewer are needed, and only those that can still
        # reach the fuzzy tier: with 0.3 of the similarity from characters, a bigram share of 1/7.
        wanted = FUZZY_CANDIDATES if not evidence else FUZZY_CANDIDATES // 2
        floor = 0.0 if not evidence else (FUZZY_MIN_SIMILARITY - 0.3) / 0.7 - 0.01
        ranked = heapq.nlargest(
            wanted,
            (
                (count / len(phrases[pid].strong), pid)
                for pid, count in overlap.most_common(wanted * 3)
            ),
        )
        query_weight = math.fsum(self._idf[f] for f in strong if f in self._idf) or 1.0
        for _proxy, phrase_id in ranked:
            phrase = phrases[phrase_id]
            shared = self._shared(phrase.strong, strong)
            similarity = strong_share = shared / phrase.strong_total
            if strong_share < floor:
                continue
            if phrase.weak_total:
                weak_share = self._shared(phrase.weak, weak) / phrase.weak_total
                similarity = 0.7 * strong_share + 0.3 * weak_share
            factor = KIND_FACTOR[phrase.kind]
            if similarity >= FUZZY_MIN_SIMILARITY:
                score = FUZZY_SCORE * similarity * factor
                found = evidence[phrase.entry]
                found.add_phrase(phrase_id, score, TIER_FUZZY, "fuzzy", similarity)
                found.near[phrase_id] = (similarity, shared / query_weight)
            elif similarity >= 0.1:
                score = 10 * similarity * factor
                evidence[phrase.entry].add_phrase(
                    phrase_id, score, TIER_CLOSEST, "closest", similarity
                )

    def _find_phrases_around(self, piece: str, evidence: dict[int, Evidence]) -> None:
        """Symptoms and titles that contain ``piece`` (a piece of the query) but say more."""
        if piece.isascii():
            keys = ["w" + word for word in piece.split("_") if len(word) >= 2]
        else:
            keys = [piece[i : i + 2] for i in range(len(piece) - 1)]
        postings = [self._postings.get(k, ()) for k in keys]
        if not postings:
            return
        for phrase_id in min(postings, key=len):
            phrase = self._phrases[phrase_id]
            if phrase.kind == "summary" or len(piece) >= len(phrase.key):
                continue
            if piece in phrase.key:
                share = len(piece) / len(phrase.key)
                score = (PARTIAL_PHRASE_SCORE + 17 * share) * KIND_FACTOR[phrase.kind]
                # The share stands for the similarity. A short piece never makes a partial likely,
                # nor an ASCII one: a field name or an English word, not a message typed.
                if len(piece) < PARTIAL_LIKELY_LENGTH or piece.isascii():
                    share = 0.0
                evidence[phrase.entry].add_phrase(phrase_id, score, TIER_PARTIAL, "partial", share)

    def _shared(self, phrase_features: frozenset[str], query_features: frozenset[str]) -> float:
        """IDF weight of the phrase's features that the query has too."""
        return math.fsum(map(self._idf.__getitem__, phrase_features & query_features))

    def _explain(
        self,
        found: Evidence,
        entry: FaqEntry,
        platform_hints: tuple[str, ...],
        scenario_hints: tuple[str, ...],
        context: str | None = None,
        foreign: str = "",
    ) -> tuple[Text, ...]:
        """Short reasons, strongest first: "错误码 10003 完全匹配", "包含“系统繁忙”"."""
        why: list[Text] = [_("错误码 {code} 完全匹配", code=code) for code in found.codes]
        why.extend(
            _("数字 {code} 与文档的错误码相同（未写明是错误码）", code=code)
            for code in found.loose_codes
        )
        hits = sorted(found.phrases.items(), key=lambda item: item[1], reverse=True)
        for rank, (phrase_id, (_score, tier, how, similarity)) in enumerate(hits[:3]):
            if rank and tier < TIER_PARTIAL:
                break
            phrase = self._phrases[phrase_id]
            text = _short(phrase.text)  # the document's own words: quoted, never translated
            if phrase.kind == "title":
                quoted = _("标题“{text}”", text=text)
            elif phrase.kind == "summary":
                quoted = _("说明“{text}”", text=text)
            else:
                quoted = _("“{text}”", text=text)
            if how == "equal":
                why.append(_("与{quoted}一致", quoted=quoted))
            elif how == "contained":
                why.append(_("包含{quoted}", quoted=quoted))
            elif how == "partial":
                why.append(_("部分匹配{quoted}", quoted=quoted))
            elif how == "fuzzy":
                why.append(
                    _("近似{quoted}（{similarity:.0%}）", quoted=quoted, similarity=similarity)
                )
            else:
                why.append(_("与{quoted}有相同字词", quoted=quoted))
        if found.http_status is not None:
            why.append(_("HTTP 状态码 {status} 与文档一致", status=found.http_status))
        if context:
            split = self._vocabulary.contexts[entry.slug]
            why.append(
                _(
                    "上下文“{word}”：{meaning}，文档这条说的是另一种情况",
                    word=context,
                    meaning=split.meaning,
                )
            )
        if foreign and entry.platform not in platform_hints:
            why.append(_("提到了{platform}：知识库不含这个平台", platform=foreign))
        if entry.platform in platform_hints:
            platform = label(PLATFORMS.get(entry.platform, entry.platform))
            why.append(_("平台线索：{platform}", platform=platform))
        why.extend(
            _("场景线索：{scenario}", scenario=label(SCENARIOS[s]))
            for s in entry.scenarios
            if s in scenario_hints
        )
        return tuple(dict.fromkeys(why))


def _refine_questions(
    matches: list[Match],
    platform: str | None,
    wanted: frozenset[str],
    everywhere: Iterable[FaqEntry] = (),
) -> tuple[RefineQuestion, ...]:
    """Questions whose answers split the matches close to the best one; ``everywhere`` adds the
    confident answers close to the best that the list left out, for the platform question."""
    if len(matches) < 2:
        return ()
    best = matches[0].score
    contenders = [m.entry for m in matches if m.score >= best * REFINE_BAND]
    questions: list[RefineQuestion] = []
    if not platform:
        listed = (entry.platform for entry in contenders)
        platforms = list(dict.fromkeys([*listed, *(entry.platform for entry in everywhere)]))
        if len(platforms) > 1:
            options = tuple((p, PLATFORMS.get(p, p)) for p in platforms)
            questions.append(RefineQuestion("platform", REFINE_LABELS["platform"], options))
    for key, group in (("page", PAGES), ("entry", ENTRY_POINTS)):
        if not wanted.isdisjoint(group):
            continue
        # Asked only when it splits entries of one platform (000: app / h5 / 小程序 remedies differ);
        # across platforms the platform question does the splitting.
        values: dict[str, None] = {}
        for platform_code in dict.fromkeys(entry.platform for entry in contenders):
            own = dict.fromkeys(
                s
                for e in contenders
                if e.platform == platform_code
                for s in e.scenarios
                if s in group
            )
            if len(own) > 1:
                values.update(own)
        if values:
            options = tuple((value, group[value]) for value in values)
            questions.append(RefineQuestion(key, REFINE_LABELS[key], options))
    return tuple(questions)


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
