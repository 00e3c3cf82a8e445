"""``paydoctor diagnose "系统繁忙"``: the documented remedies for what the merchant saw, best first,
each citing its source — or a plain statement that no documented remedy was found.

The rule engine (faq.engine) is the web's, compiled here from the reviewed data files (faq/data/)
rather than the database: no Django, and the same entries minus any staff edits made in a
deployment's admin. Answers in the shape of ``GET /api/v1/diagnose``; an entry's ``url`` is its
path on the site (``/faq/<slug>``).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from diagnostics.cli.inputs import InputError, Session
from diagnostics.cli.render import Data, Outcome, Painter
from diagnostics.core.redaction import redact_text
from diagnostics.core.text import Message, _, label
from faq.engine import Match, RuleEngine
from faq.knowledge import PLATFORMS, SCENARIOS, FaqEntry, data_files, load_document

if TYPE_CHECKING:
    from diagnostics.cli.main import Subparsers, Tree

MAX_QUERY_BYTES = 16 * 1024  # the API's limit (faq.api)
CONFIDENCE_LABELS = {"certain": "确定", "likely": "可能", "related": "仅相关"}


def add_commands(tree: Tree, groups: Subparsers, name: str, summary: Message) -> None:
    diagnose = tree.command(
        groups,
        name,
        summary,
        _(
            "贴上你看到的报错（文字、错误码、整段 XML/JSON 应答、JS 的 err_msg），"
            "按把握从高到低列出文档和公开资料里的解决方法，每条注明出处；没有时明说。"
        ),
    )
    diagnose.add_argument(
        "query", metavar="TEXT", help=str(_("你看到的报错；- 从标准输入读取整段"))
    )
    diagnose.add_argument("--platform", choices=tuple(PLATFORMS), help=str(_("只看这个平台")))
    diagnose.add_argument(
        "--scenario",
        default="",
        help=str(_("场景，逗号分隔：{choices}", choices=", ".join(SCENARIOS))),
    )
    diagnose.add_argument("--limit", type=int, default=3, help=str(_("最多列出几条，默认 3")))
    diagnose.set_defaults(run=run_diagnose)


def knowledge() -> tuple[RuleEngine, dict[str, str]]:
    """The engine over every data file, and each document's title (one read of each file)."""
    entries: list[FaqEntry] = []
    titles: dict[str, str] = {}
    for path in data_files():
        meta, document_entries = load_document(path)
        titles[meta["document"]] = meta["title"]
        entries += document_entries
    return RuleEngine(entries), titles


def run_diagnose(args: argparse.Namespace, session: Session) -> Outcome:
    query = session.text("-", _("报错")) if args.query == "-" else args.query
    if not query.strip():
        raise InputError(_("请给出你看到的报错文字。"))
    if len(query.encode("utf-8", "surrogatepass")) > MAX_QUERY_BYTES:
        raise InputError(_("报错文字超过 16 KiB。"))
    unknown = [s for s in args.scenario.split(",") if s and s not in SCENARIOS]
    if unknown:
        raise InputError(_("未知场景；可选 {choices}。", choices=", ".join(SCENARIOS)))
    engine, titles = knowledge()
    # Secrets pasted with the error never reach the engine or the answer.
    diagnosis = engine.diagnose(redact_text(query), args.platform, args.scenario or None)
    data: Data = {
        "query": diagnosis.query,
        "normalized": diagnosis.normalized,
        "codes": list(diagnosis.codes),
        "matched": diagnosis.matched,
        "matches": [_match(match, titles) for match in diagnosis.matches[: max(1, args.limit)]],
        "refine": [
            {
                "key": question.key,
                "label": str(label(question.label)),
                "options": [
                    {"value": value, "label": str(label(option))}
                    for value, option in question.options
                ],
            }
            for question in diagnosis.refine
        ],
    }
    return Outcome(data, show_diagnosis, diagnosis.matched)


def _match(match: Match, titles: dict[str, str]) -> Data:
    entry = match.entry
    return {
        "slug": entry.slug,
        "title": entry.title,
        "summary_en": entry.summary_en,
        "platform": entry.platform,
        "scenarios": list(entry.scenarios),
        "source": {
            "document": entry.document,
            "section": entry.section,
            "tier": entry.tier,
            "title": titles.get(entry.document, ""),
            "links": [{"title": link.title, "url": link.url} for link in entry.sources],
        },
        "remedy": list(entry.remedy),
        # The addresses a document gives for its "详见" references (the page shows them too).
        "links": [{"title": link.title, "url": link.url} for link in entry.links],
        "url": f"/faq/{entry.slug}",
        "score": match.score,
        "why": [str(why) for why in match.why],
        "confidence": match.confidence,
    }


def show_diagnosis(out: Painter, data: Data) -> None:
    if data["matched"]:
        out.verdict(True, _("文档给出的解决方法，按把握从高到低："))
    else:
        out.verdict(False, _("没有找到文档给出的解决方法。"))
        if data["matches"]:
            out.line(_("最接近的条目（仅相关）："))
    for number, match in enumerate(data["matches"], start=1):
        confidence = label(CONFIDENCE_LABELS[match["confidence"]])
        out.heading(f"{number}. {match['title']}  [{confidence}]")
        if out.english and match["summary_en"]:
            out.line(match["summary_en"])
        source = match["source"]
        # "002 微信支付 V2 … · §3.2": the document's number (its file name's first part), as cited.
        number = source["document"].partition("_")[0] if source["tier"] == "documents" else ""
        cited = " · ".join(
            part for part in (f"{number} {source['title']}".strip(), source["section"]) if part
        )
        out.line(out.style(f"{_('来源')} {cited}", "dim"))
        for link in source["links"]:
            out.line(out.style(f"  {link['url']}", "dim"))
        for step, remedy in enumerate(match["remedy"], start=1):
            out.line(f"  {step}) {remedy}")
        for link in match["links"]:
            out.line(out.style(f"     {link['title']}: {link['url']}", "dim"))
        if match["why"]:
            out.line(out.style("  " + "; ".join(match["why"]), "dim"))
        out.line(out.style(f"  {match['url']}", "dim"))
    for question in data["refine"]:
        out.line()
        choices = ", ".join(f"{o['value']} ({o['label']})" for o in question["options"])
        option = "--platform" if question["key"] == "platform" else "--scenario"
        out.line(f"{question['label']} {option} {choices}")
