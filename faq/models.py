"""FAQ entries in the database: loaded from the reviewed data files, correctable by staff.

A re-load from faq/data/ updates every field of an entry except those a staff member has edited
in the admin (listed in ``edited_fields``) and the symptoms staff added (``extra_symptoms``, which
a re-load never touches). An entry that leaves the data files is kept, flagged ``in_source=False``:
its permanent link keeps working.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from faq.knowledge import PLATFORMS, TIERS, FaqEntry, Link

# The fields that come from the data files; staff edits to any of them are protected.
SOURCE_FIELDS = (
    "platform",
    "document",
    "section",
    "title",
    "summary_en",
    "scenarios",
    "symptoms",
    "codes",
    "http_status",
    "remedy",
    "workbench",
    "related",
    "note",
    "tier",
    "links",
    "sources",
)

# An entry staff write from a query (see faq/admin.py) is a draft, which the engine does not serve,
# until staff publish it. Its document is STAFF_DOCUMENT and its tier public, so it must cite a source
# before `export_faq` writes it out for review (faq/management/commands/export_faq.py).
STATUSES = {"published": "已发布", "draft": "草稿（诊断不使用）"}
STAFF_DOCUMENT = "public-staff"


def missing_for_publishing(entry: Entry) -> list[str]:
    """What an entry lacks before it may be served or exported: remedy steps, and a source to cite.

    The five documents' entries cite their document; an entry staff write cites a public source,
    as the public tier's entries do (faq.knowledge).
    """
    missing = []
    if not entry.remedy:
        missing.append("解决步骤")
    if entry.document == STAFF_DOCUMENT and not entry.sources:
        missing.append("来源")
    return missing


class EntryQuerySet(models.QuerySet["Entry"]):
    def published(self) -> EntryQuerySet:
        """What merchants may see: a staff draft is served nowhere (pages, API, diagnosis) until
        it is published."""
        return self.filter(status="published")


class Entry(models.Model):
    slug = models.SlugField("永久链接 slug", max_length=100, unique=True)
    platform = models.CharField("平台", max_length=32, choices=list(PLATFORMS.items()))
    document = models.CharField("来源文档", max_length=64)
    section = models.CharField("章节 / 序号", max_length=200)
    title = models.CharField("标题", max_length=300)
    summary_en = models.TextField("English summary", blank=True)
    scenarios = models.JSONField("场景", default=list, blank=True)
    symptoms = models.JSONField("症状（来自文档）", default=list, blank=True)
    extra_symptoms = models.JSONField(
        "补充的症状", default=list, blank=True, help_text="客服补充的说法；重新加载数据文件时保留。"
    )
    codes = models.JSONField("错误码", default=list, blank=True)
    http_status = models.PositiveSmallIntegerField("HTTP 状态码", null=True, blank=True)
    remedy = models.JSONField("解决步骤", default=list)
    workbench = models.CharField("相关工作台", max_length=64, blank=True)
    related = models.JSONField("相关条目", default=list, blank=True)
    note = models.TextField("备注", blank=True)
    tier = models.CharField(
        "知识层级", max_length=16, choices=list(TIERS.items()), default="documents"
    )
    links = models.JSONField("文档给出的链接", default=list, blank=True, help_text="[{title, url}]")
    sources = models.JSONField("公开资料来源", default=list, blank=True, help_text="[{title, url}]")
    status = models.CharField(
        "状态", max_length=16, choices=list(STATUSES.items()), default="published"
    )
    position = models.PositiveIntegerField("文档内顺序", default=0)
    in_source = models.BooleanField("仍在数据文件中", default=True)
    edited_fields = models.JSONField(
        "客服修改过的字段", default=list, blank=True, help_text="重新加载时不会覆盖这些字段。"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["document", "position"]
        verbose_name = "FAQ 条目"
        verbose_name_plural = "FAQ 条目"

    def __str__(self) -> str:
        return f"{self.slug} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("faq:entry", args=[self.slug])

    def as_faq_entry(self) -> FaqEntry:
        return FaqEntry(
            slug=self.slug,
            platform=self.platform,
            document=self.document,
            section=self.section,
            title=self.title,
            symptoms=tuple(dict.fromkeys([*self.symptoms, *self.extra_symptoms])),
            codes=tuple(str(code) for code in self.codes),
            remedy=tuple(self.remedy),
            scenarios=tuple(self.scenarios),
            summary_en=self.summary_en,
            http_status=self.http_status,
            workbench=self.workbench,
            related=tuple(self.related),
            note=self.note,
            tier=self.tier,
            links=_links(self.links),
            sources=_links(self.sources),
        )


def _links(rows: list) -> tuple[Link, ...]:
    return tuple(
        Link(title=str(row.get("title", "")), url=str(row.get("url", "")))
        for row in rows
        if isinstance(row, dict) and str(row.get("url", "")).startswith(("https://", "http://"))
    )


# The scenario answered, e.g. "jsapi,confirm_page": each known scenario at most once, so all eight
# take 68 characters; the form and the API accept this many characters as typed (issue 10 F6).
SCENARIO_MAX_LENGTH = 200


class UnmatchedQuery(models.Model):
    """What merchants asked that no entry answers, scrubbed of anything secret-looking."""

    text = models.TextField("查询（已去除疑似密钥、签名、openid、订单号）")
    text_hash = models.CharField(max_length=64, unique=True)
    platform = models.CharField(max_length=32, blank=True)
    scenario = models.CharField(max_length=SCENARIO_MAX_LENGTH, blank=True)
    count = models.PositiveIntegerField(default=1)
    handled = models.BooleanField("已处理", default=False)
    handled_entry = models.ForeignKey(
        Entry,
        verbose_name="归入的条目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_queries",
    )
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-count", "-last_seen"]
        verbose_name = "未匹配的查询"
        verbose_name_plural = "未匹配的查询"

    def __str__(self) -> str:
        return self.text[:80]
