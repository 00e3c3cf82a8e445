"""How well the rule engine answers the labelled evaluation set (tests/faq/eval/*.yaml).

Run from the repository root: ``python bench/bench_diagnosis_eval.py``. Prints top-1 / top-3 on the
queries an entry answers, precision and recall of "matched" (a matched answer is right when an
expected entry is in its top 3; out-of-scope queries answered "matched" are wrong answers), and the
confidence of the best match against what was expected, then the same per file. ``-v`` lists the
misses.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from faq.engine import RuleEngine  # noqa: E402
from faq.knowledge import load_all  # noqa: E402
from tests.faq.eval import evaluate, load_cases  # noqa: E402

LEVELS = ("certain", "likely", "related", "none")


def main() -> None:
    engine = RuleEngine(load_all())
    cases = load_cases()
    started = time.perf_counter()
    report = evaluate(engine, cases)
    elapsed_ms = (time.perf_counter() - started) * 1000
    files = sorted({case.file for case in cases})
    print(f"{len(cases)} queries from {', '.join(files)} ({elapsed_ms:.0f} ms)")
    print(
        f"documented {report.documented}: top-1 {report.top1 / report.documented:.1%}  "
        f"top-3 {report.top3_share:.1%}"
    )
    print(
        f"out of scope {report.out_of_scope}: confident answers "
        f"{len(report.confident_out_of_scope)}"
    )
    print(f"matched: precision {report.precision:.1%}  recall {report.recall:.1%}")
    print("best match's confidence    " + "".join(f"{level:>9}" for level in LEVELS))
    for expected in ("documented", "not documented"):
        row = "".join(f"{report.confusion[(expected, level)]:>9}" for level in LEVELS)
        print(f"  {expected:<24}{row}")
    # Per file, so a new platform's set and the older ones can be read apart (issue 18).
    for name in files:
        part = evaluate(engine, [case for case in cases if case.file == name])
        if part.documented:
            print(
                f"  {name:<26}{part.documented:>4} documented: top-1 "
                f"{part.top1 / part.documented:.1%}  top-3 {part.top3_share:.1%}"
            )
        if part.out_of_scope:
            print(
                f"  {name:<26}{part.out_of_scope:>4} out of scope: confident answers "
                f"{len(part.confident_out_of_scope)}"
            )
    if "-v" in sys.argv:
        for line in report.misses:
            print("miss:", line)
        for line in report.confident_out_of_scope:
            print("confident out of scope:", line)


if __name__ == "__main__":
    main()
