"""The reviewed vocabulary of the rule engine: paraphrases, generic words and context splits.

``faq/data/vocabulary/synonyms.yaml`` is data, reviewed like the entries: merchants write "一直重复通知" where
003 says "重复推送", "参数错误" inside a longer text says nothing about which problem it is, and
NOTENOUGH on a refund is not the payer's balance of 002 §6; a merchant on a traditional-character
system writes 當前頁面 for 当前页面. :class:`Vocabulary` holds these lists in the form the engine
compares text in (normalised, compact).

>>> vocabulary = load_vocabulary()
>>> "回调一直重复推送" in vocabulary.expand("支付通知一直重复通知")
True
>>> vocabulary.is_generic("参数错误")
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from faq.knowledge import DATA_DIR, KnowledgeError
from faq.normalize import compact, normalize

# In a folder of its own: faq/data/*.yaml are the documents' entry files (knowledge.data_files).
SYNONYMS_FILE: Path = DATA_DIR / "vocabulary" / "synonyms.yaml"


@dataclass(frozen=True)
class ContextSplit:
    """An entry that is only related when the query holds one of ``not_with`` (compact form)."""

    entry: str
    not_with: tuple[str, ...]
    meaning: str


@dataclass(frozen=True)
class Vocabulary:
    # (variant, documents' wording), both normalised; longest variant first.
    synonyms: tuple[tuple[str, str], ...] = ()
    generic: frozenset[str] = frozenset()  # compact forms
    contexts: dict[str, ContextSplit] = field(default_factory=dict)
    simplified: dict[int, int] = field(default_factory=dict)  # str.translate: 開 -> 开

    def simplify(self, text: str) -> str:
        """Traditional characters as the documents write them (one character for one).

        >>> load_vocabulary().simplify("當前頁面的URL未註冊")
        '当前页面的URL未注册'
        """
        return text.translate(self.simplified) if self.simplified else text

    def expand(self, normalized: str) -> str:
        """The text with the documents' wording added after each paraphrase it holds.

        Cost: one substring search per synonym over the text, so linear in the text's length.
        """
        added = [wording for variant, wording in self.synonyms if variant in normalized]
        if not added:
            return normalized
        return " ".join([normalized, *dict.fromkeys(added)])

    def is_generic(self, text: str) -> bool:
        return compact(normalize(text)) in self.generic

    def context_against(self, slug: str, key: str) -> str | None:
        """The word of ``key`` (a compact query) that gives entry ``slug`` its other meaning."""
        split = self.contexts.get(slug)
        if split is None:
            return None
        return next((word for word in split.not_with if word in key), None)


def load_vocabulary(path: Path = SYNONYMS_FILE) -> Vocabulary:
    """Read the vocabulary file; a missing file is an empty vocabulary."""
    return _load(path, path.stat().st_mtime_ns if path.exists() else 0)


@lru_cache(maxsize=4)
def _load(path: Path, _mtime: int) -> Vocabulary:
    if not path.exists():
        return Vocabulary()
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{path.name}: expected a mapping")
    pairs: dict[str, str] = {}
    for item in raw.get("synonyms") or []:
        wording = normalize(str(item.get("to") or ""))
        variants = item.get("from") or []
        if not wording or not isinstance(variants, list):
            raise KnowledgeError(f"{path.name}: every synonym needs 'to' and a list 'from'")
        for variant in variants:
            pairs.setdefault(normalize(str(variant)), wording)
    generic = frozenset(compact(normalize(str(word))) for word in raw.get("generic") or [])
    contexts: dict[str, ContextSplit] = {}
    for item in raw.get("contexts") or []:
        slug = str(item.get("entry") or "")
        words = tuple(compact(normalize(str(word))) for word in item.get("not_with") or [])
        if not slug or not words:
            raise KnowledgeError(f"{path.name}: every context needs 'entry' and 'not_with'")
        contexts[slug] = ContextSplit(slug, words, str(item.get("meaning") or ""))
    traditional = "".join(str(raw.get("traditional") or "").split())
    simplified = "".join(str(raw.get("simplified") or "").split())
    if len(traditional) != len(simplified):
        raise KnowledgeError(f"{path.name}: 'traditional' and 'simplified' differ in length")
    return Vocabulary(
        simplified=str.maketrans(traditional, simplified) if traditional else {},
        synonyms=tuple(sorted(pairs.items(), key=lambda pair: (-len(pair[0]), pair[0]))),
        generic=frozenset(word for word in generic if word),
        contexts=contexts,
    )
