"""The labelled evaluation set: every ``tests/faq/eval/*.yaml`` file, and how the engine does on it.

Each file is a list of ``{q, expect, platform?}``: ``expect`` lists the slugs that answer the query
(any of them in the top 3 counts), ``[]`` when no entry answers it. tests/faq/test_evaluation.py
asserts on :func:`evaluate`'s report; bench/bench_diagnosis_eval.py prints it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from faq.engine import RuleEngine

EVAL_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Case:
    q: str
    expect: tuple[str, ...]
    platform: str | None
    file: str


@dataclass
class Report:
    """What the engine did on a set of cases.

    ``confusion[(expected, level)]`` counts the queries by whether an entry answers them
    ("documented" / "not documented") and the confidence of the engine's best match ("none" when
    it returned nothing).
    """

    documented: int = 0
    top1: int = 0
    top3: int = 0
    out_of_scope: int = 0
    matched_documented: int = 0  # matched, and a right entry in the top 3
    matched_wrong: int = 0  # matched on a documented query, with no right entry in the top 3
    matched_out_of_scope: int = 0
    misses: list[str] = field(default_factory=list)
    confident_out_of_scope: list[str] = field(default_factory=list)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def top3_share(self) -> float:
        return self.top3 / self.documented if self.documented else 1.0

    @property
    def precision(self) -> float:
        """Of the queries answered "matched", the share whose answer was right."""
        answered = self.matched_documented + self.matched_wrong + self.matched_out_of_scope
        return self.matched_documented / answered if answered else 1.0

    @property
    def recall(self) -> float:
        """Of the documented queries, the share answered "matched" with a right entry."""
        return self.matched_documented / self.documented if self.documented else 1.0


def load_cases(directory: Path = EVAL_DIR) -> list[Case]:
    cases: list[Case] = []
    for path in sorted(directory.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            cases.append(
                Case(
                    q=str(item["q"]),
                    expect=tuple(item.get("expect") or ()),
                    platform=item.get("platform") or None,
                    file=path.name,
                )
            )
    return cases


def evaluate(engine: RuleEngine, cases: list[Case]) -> Report:
    report = Report()
    for case in cases:
        diagnosis = engine.diagnose(case.q, case.platform)
        top = [match.entry.slug for match in diagnosis.matches[:3]]
        level = diagnosis.matches[0].confidence if diagnosis.matches else "none"
        confident = [m.entry.slug for m in diagnosis.matches if m.confident]
        shown = f"{case.file}: {case.q[:80]!r} -> {top}"
        if case.expect:
            report.documented += 1
            right = bool(set(top) & set(case.expect))
            report.top1 += bool(top) and top[0] in case.expect
            report.top3 += right
            report.confusion[("documented", level)] += 1
            if diagnosis.matched:
                if right:
                    report.matched_documented += 1
                else:
                    report.matched_wrong += 1
            if not right:
                report.misses.append(f"{shown} (expected {list(case.expect)})")
        else:
            report.out_of_scope += 1
            report.confusion[("not documented", level)] += 1
            if diagnosis.matched:
                report.matched_out_of_scope += 1
            if diagnosis.matched or confident:
                report.confident_out_of_scope.append(f"{shown} ({level})")
    return report
