"""How evidence becomes a score and a confidence: the four kinds of evidence and their scores, the
words a confidence is said in, and the tests a phrase passes to be *certain* or *likely*
(faq.engine ranks with them)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from faq.knowledge import ENTRY_POINTS, PAGES, FaqEntry

# Scores of the four kinds of evidence; each kind's range sits above the next one's.
CODE_SCORE = 100.0
EXTRA_CODE_SCORE = 20.0
LOOSE_CODE_SCORE = 45.0  # a documented code as a bare number in a sentence: likely, not certain
EQUAL_PHRASE_SCORE = 80.0
CONTAINED_PHRASE_SCORE = 60.0  # + up to 15 for a longer, more specific symptom
PARTIAL_PHRASE_SCORE = 28.0  # + up to 17 for the share of the symptom covered
FUZZY_SCORE = 25.0  # x similarity
FUZZY_MIN_SIMILARITY = 0.4  # below this an entry is only "closest", not a match
HTTP_STATUS_SCORE = 12.0
OTHER_PHRASES_SHARE = 0.3  # further phrases of the same entry add this share of their score
KIND_FACTOR = {"symptom": 1.0, "title": 0.85, "summary": 0.6}

PLATFORM_HINT_BOOST = 1.25
PLATFORM_HINT_PENALTY = 0.8
SCENARIO_HINT_BOOST = 1.15
SCENARIO_HINT_PENALTY = 0.85

# Matches within this share of the best score are the ones a refine question has to split.
REFINE_BAND = 0.8
# Matches below this share of the best are noise and are not returned.
KEEP_SHARE = 0.15

POSTING_BUDGET = 1200  # posting-list items read per query for fuzzy candidates
FUZZY_CANDIDATES = 20  # phrases scored precisely after the posting pass
MAX_PIECES = 16  # pieces of the query looked for inside symptoms

# Evidence tiers, strongest last. How much a tier is worth to a person is the confidence below.
TIER_CLOSEST, TIER_FUZZY, TIER_PARTIAL, TIER_PHRASE, TIER_CODE = range(5)

# What a match is worth, in words on the card (issue 14):
#   certain  确定  the documents answer this: an exact code in a code-shaped context, the whole
#                  query equal to a symptom, a distinctive symptom inside it
#   likely   可能  probably this: a generic symptom the platform agrees with, most of a symptom,
#                  a close near-spelling, a loose number that is one of the documented codes
#   related  仅相关 shares words only: shown under its own heading, never "matched"
Confidence = Literal["certain", "likely", "related"]
CONFIDENCE_RANK: dict[str, int] = {"related": 0, "likely": 1, "certain": 2}
CONFIDENCE_LABELS: dict[str, str] = {"certain": "确定", "likely": "可能", "related": "仅相关"}

DISTINCTIVE_LENGTH = 6  # a contained symptom this long (compact characters) says which problem
DOMINANT_SHARE = 0.6  # ... or one covering this share of the query
PARTIAL_LIKELY_SHARE = 0.5  # a piece of the query covering half a symptom
PARTIAL_LIKELY_LENGTH = 4
# A near-spelling is "likely" when it is this similar to the symptom (IDF-weighted) and its shared
# words are this share of what the query says in words the base knows: a typo of the symptom,
# not one shared word in a longer, different problem.
FUZZY_LIKELY = 0.6
FUZZY_LIKELY_COVERAGE = 0.6
# ... or these when the query names the entry's platform and one of its scenes (支付分 + 开启服务页)
FUZZY_LIKELY_HINTED = FUZZY_MIN_SIMILARITY
FUZZY_LIKELY_HINTED_COVERAGE = 0.4
GENERIC_FACTOR = 0.35  # a generic symptom's score: it ranks with near-spellings, not messages


@dataclass(slots=True)
class Phrase:
    """A symptom, title or English summary compiled for matching."""

    entry: int
    kind: str
    text: str
    key: str
    plain: str
    ascii_only: bool
    strong: frozenset[str]
    weak: frozenset[str]
    generic: bool = False
    is_code: bool = False  # the symptom is one of its entry's codes (SYSTEMERROR, REFUND)
    strong_total: float = 0.0
    weak_total: float = 0.0


@dataclass(slots=True)
class Evidence:
    """What one entry shares with the query, collected before it is scored.

    ``phrases`` maps a phrase id to its best (score, tier, how, similarity); ``how`` is one of
    "equal", "contained", "partial", "fuzzy", "closest". Reasons are worded only for the matches
    that are returned.
    """

    codes: list[str] = field(default_factory=list)
    loose_codes: list[str] = field(default_factory=list)
    phrases: dict[int, tuple[float, int, str, float]] = field(default_factory=dict)
    # Near-spellings: phrase id -> (similarity, share of the query's words), kept even where the
    # same phrase was also found a stronger way, since the confidence may rest on either.
    near: dict[int, tuple[float, float]] = field(default_factory=dict)
    http_status: int | None = None

    def add_phrase(
        self, phrase_id: int, score: float, tier: int, how: str, similarity: float = 1.0
    ) -> None:
        known = self.phrases.get(phrase_id)
        # The stronger kind of evidence stays: a generic symptom found whole is scored below a
        # near-spelling but is still found whole.
        if known is None or (tier, score) > (known[1], known[0]):
            self.phrases[phrase_id] = (score, tier, how, similarity)


def anchor_feature(phrase: Phrase, document_frequency: Counter[str]) -> str | None:
    """The phrase's rarest strong feature: if the phrase is in a query, so is this feature."""
    if not phrase.strong:
        return None
    # For a short ASCII phrase the word match is checked on word boundaries, so any word will do.
    return min(sorted(phrase.strong), key=lambda f: document_frequency[f])


def contains(text: str, key: str, phrase: Phrase) -> bool:
    if phrase.ascii_only and (len(phrase.key) < 6 or phrase.key == phrase.plain):
        # "ok" or "6" alone would be found inside any word or number, "timestamp" inside
        # "wechatpaytimestamp".
        return contains_word(text, phrase.plain)
    return phrase.key in key


def phrase_confidence(
    phrase: Phrase, how: str, similarity: float, agrees: bool, typed_length: int
) -> Confidence:
    """What one phrase hit is worth: see CONFIDENCE_LABELS."""
    if how == "equal":
        return "likely" if phrase.generic else "certain"
    if how == "contained":
        dominant = len(phrase.key) >= DOMINANT_SHARE * typed_length
        if phrase.generic:
            return "likely" if agrees or dominant else "related"
        if phrase.ascii_only and phrase.key == phrase.plain:
            # One name (rsaSign, sub_orders) is a topic, not a message; a code written as a
            # word ("refund") is a code only where the code rules read one.
            return "related" if phrase.is_code else "likely"
        distinctive = len(phrase.key) >= DISTINCTIVE_LENGTH or dominant
        return "certain" if distinctive else "likely"
    if how == "partial":
        return "likely" if similarity >= PARTIAL_LIKELY_SHARE else "related"
    return "related"  # fuzzy hits are judged by near_spelling


def near_spelling(similarity: float, coverage: float, in_scene: bool, generic: bool) -> bool:
    """A fuzzy hit worth "likely": a typo of the symptom, not a shared word or two."""
    if not generic and similarity >= FUZZY_LIKELY and coverage >= FUZZY_LIKELY_COVERAGE:
        return True
    return (
        in_scene and similarity >= FUZZY_LIKELY_HINTED and coverage >= FUZZY_LIKELY_HINTED_COVERAGE
    )


def contains_word(text: str, word: str) -> bool:
    start = text.find(word)
    while start != -1:
        end = start + len(word)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isascii() and before.isalnum()) and not (
            after.isascii() and after.isalnum()
        ):
            return True
        start = text.find(word, start + 1)
    return False


# Field names and keywords that appear in many symptoms and say nothing on their own.
GENERIC_PIECES = frozenset(
    [
        "errcode",
        "err_code",
        "errmsg",
        "err_msg",
        "error",
        "message",
        "return_code",
        "return_msg",
        "result_code",
        "err_code_des",
        "http",
        "https",
        "success",
    ]
)


def specific_piece(piece: str) -> bool:
    """A piece of the query long enough to mean something inside a symptom."""
    if piece.isascii():
        return len(piece) >= 5 and not piece.isdigit() and piece not in GENERIC_PIECES
    return len(piece) >= 3


def code_like_tokens(text: str) -> list[str]:
    """Words of the query that read as a code even in lower case: ``access_not_allow``,
    ``get_brand_wcpay_request:fail``. Plain words ("fail", "closed") are English, not codes."""
    return [t.strip("\"'.,;") for t in text.split() if t.isascii() and ("_" in t or ":" in t)]


def entry_score(
    found: Evidence,
    entry: FaqEntry,
    platform_hints: tuple[str, ...],
    scenario_hints: tuple[str, ...],
) -> tuple[float, int]:
    """Add up one entry's evidence and apply the hints: (score, tier)."""
    score = 0.0
    tier = TIER_CLOSEST
    if found.codes:
        score += CODE_SCORE + EXTRA_CODE_SCORE * (len(found.codes) - 1)
        tier = TIER_CODE
    elif found.loose_codes:
        score += LOOSE_CODE_SCORE
        tier = TIER_PARTIAL
    if found.phrases:
        hits = sorted(found.phrases.values(), reverse=True)
        score += hits[0][0] + OTHER_PHRASES_SHARE * sum(hit[0] for hit in hits[1:3])
        tier = max(tier, hits[0][1])
    if found.http_status is not None:
        score += HTTP_STATUS_SCORE
        tier = max(tier, TIER_FUZZY)
    if platform_hints:
        in_hints = entry.platform in platform_hints
        score *= PLATFORM_HINT_BOOST if in_hints else PLATFORM_HINT_PENALTY
    if scenario_hints and entry.scenarios:
        for group in (ENTRY_POINTS, PAGES):
            hinted = {s for s in scenario_hints if s in group}
            own = {s for s in entry.scenarios if s in group}
            if hinted and own:
                score *= SCENARIO_HINT_BOOST if hinted & own else SCENARIO_HINT_PENALTY
    return score, tier
