"""FAQ entries as plain data: the ``FaqEntry`` dataclass and loading the reviewed YAML files.

Two tiers of knowledge, each file one source:

- ``faq/data/*.yaml``: the entries drawn from one of the five documents (see
  ``/work/shared/seeds/README.md``) — tier ``documents``;
- ``faq/data/public/*.yaml``: entries written from public material (official pages the documents do not
  include, SDK documentation, maintainers' answers) — tier ``public``; every entry there names at least
  one ``sources`` item with a ``url`` that says what the entry says.

An entry may keep the links its document gives for a "详见" reference (``links``). ``load_all()`` reads
both tiers, documents first. The Django side builds the same
``FaqEntry`` objects from database rows, so nothing here knows about Django.

>>> entries = load_all()
>>> entries[0].platform in PLATFORMS
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

PLATFORMS: dict[str, str] = {
    "wechat_v2": "微信支付 V2",
    "wechat_v3": "微信支付 APIv3",
    "wechat_payscore": "微信支付分",
    "baidu": "百度收银台",
    "alipay": "支付宝",
}

# Entry points come first, Pay Score pages after: 000 splits its remedies along both axes.
ENTRY_POINTS: dict[str, str] = {
    "app": "App",
    "h5": "H5",
    "miniprogram": "小程序",
    "jsapi": "公众号 JSAPI",
    "native": "Native 扫码",
}
PAGES: dict[str, str] = {
    "enable_page": "开启服务页",
    "confirm_page": "订单确认页",
    "detail_page": "订单详情页",
}
SCENARIOS: dict[str, str] = {**ENTRY_POINTS, **PAGES}

DATA_DIR: Path = Path(__file__).resolve().parent / "data"

TIERS: dict[str, str] = {"documents": "平台文档", "public": "来自公开资料"}

# yaml.safe_load's loader in libyaml's C version where PyYAML has it: the same data from every
# file here, read in 0.03 s instead of 0.37 s (paydoctor diagnose reads them all on each run).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Link:
    """A titled web address: a "详见" link a document gives, or a public source an entry cites."""

    title: str
    url: str


class KnowledgeError(ValueError):
    """A data file that cannot become FAQ entries; the message names the file and the entry."""


@dataclass(frozen=True)
class FaqEntry:
    """One documented problem: what merchants see (symptoms, codes) and what fixes it (remedy)."""

    slug: str
    platform: str
    document: str
    section: str
    title: str
    symptoms: tuple[str, ...]
    codes: tuple[str, ...]
    remedy: tuple[str, ...]
    scenarios: tuple[str, ...] = ()
    summary_en: str = ""
    http_status: int | None = None
    workbench: str = ""
    related: tuple[str, ...] = ()
    note: str = ""
    tier: str = "documents"
    links: tuple[Link, ...] = ()
    sources: tuple[Link, ...] = ()

    @property
    def is_public(self) -> bool:
        return self.tier == "public"


def load_document(path: Path) -> tuple[dict, list[FaqEntry]]:
    """Read one data file into its document meta ``{"document", "platform", "title"}`` and entries."""
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{path.name}: expected a mapping with 'entries'")
    meta = {
        "document": str(raw.get("document") or path.name),
        "platform": str(raw.get("platform") or ""),
        "title": str(raw.get("title") or ""),
        "tier": str(raw.get("tier") or "documents"),
    }
    if meta["tier"] not in TIERS:
        raise KnowledgeError(f"{path.name}: unknown tier {meta['tier']!r}")
    items = raw.get("entries") or []
    if not isinstance(items, list):
        raise KnowledgeError(f"{path.name}: 'entries' must be a list")
    entries = [_entry_from_mapping(item, meta, path.name) for item in items]
    return meta, entries


def data_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """The data files of both tiers: the documents' files, then ``public/``'s, each in name order."""
    return sorted(data_dir.glob("*.yaml")) + sorted(data_dir.glob("public/*.yaml"))


def load_all(data_dir: Path = DATA_DIR) -> list[FaqEntry]:
    """Every entry of every data file, in file order; slugs must be unique."""
    entries: list[FaqEntry] = []
    seen: dict[str, str] = {}
    for path in data_files(data_dir):
        _meta, document_entries = load_document(path)
        for entry in document_entries:
            if entry.slug in seen:
                raise KnowledgeError(
                    f"{path.name}: slug {entry.slug!r} already used in {seen[entry.slug]}"
                )
            seen[entry.slug] = path.name
            entries.append(entry)
    return entries


def _entry_from_mapping(item: object, meta: dict, file_name: str) -> FaqEntry:
    if not isinstance(item, dict) or not item.get("slug"):
        raise KnowledgeError(f"{file_name}: every entry needs a 'slug'")
    slug = str(item["slug"])
    where = f"{file_name} / {slug}"
    platform = str(item.get("platform") or meta["platform"])
    if platform not in PLATFORMS:
        raise KnowledgeError(f"{where}: unknown platform {platform!r}")
    scenarios = _strings(item.get("scenarios"))
    unknown = [value for value in scenarios if value not in SCENARIOS]
    if unknown:
        raise KnowledgeError(f"{where}: unknown scenarios {unknown}")
    http_status = item.get("http_status")
    sources = _links(item.get("sources"), where)
    if meta["tier"] == "public" and not sources:
        raise KnowledgeError(f"{where}: a public-tier entry needs at least one source with a url")
    return FaqEntry(
        slug=slug,
        platform=platform,
        document=meta["document"],
        section=str(item.get("section") or ""),
        title=str(item.get("title") or slug),
        # YAML reads `codes: [6, -1, 10003]` as integers; codes are compared as text.
        symptoms=_strings(item.get("symptoms")),
        codes=_strings(item.get("codes")),
        remedy=_strings(item.get("remedy")),
        scenarios=scenarios,
        summary_en=str(item.get("summary_en") or ""),
        http_status=int(http_status) if http_status not in (None, "") else None,
        workbench=str(item.get("workbench") or ""),
        related=_strings(item.get("related")),
        note=str(item.get("note") or ""),
        tier=meta["tier"],
        links=_links(item.get("links"), where),
        sources=sources,
    )


def _links(value: object, where: str) -> tuple[Link, ...]:
    """``[{title, url}, …]`` as ``Link``s; a url must be an absolute http(s) address."""
    if value in (None, ""):
        return ()
    if not isinstance(value, list):
        raise KnowledgeError(f"{where}: links and sources are lists of {{title, url}}")
    links = []
    for item in value:
        url = str(item.get("url") or "").strip() if isinstance(item, dict) else ""
        if not url.startswith(("https://", "http://")) or any(c.isspace() for c in url):
            raise KnowledgeError(f"{where}: {item!r} needs an absolute http(s) url")
        links.append(Link(title=str(item.get("title") or url).strip(), url=url))
    return tuple(links)


def _strings(value: object) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str | int | float):
        value = [value]
    if not isinstance(value, Iterable):
        raise KnowledgeError(f"expected a list, got {value!r}")
    return tuple(filter(None, (str(item).strip() for item in value)))
