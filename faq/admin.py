"""The staff side of the knowledge base: correcting entries, and turning unanswered queries into one.

The unmatched-query list shows similar queries together (faq.grouping), the most asked group first;
staff draft a new entry from selected queries, or add them as symptoms of an existing entry, and
what they have dealt with leaves the default view. A draft is not served until it is published;
`python manage.py export_faq` writes staff entries out for review in a pull request.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.db import transaction
from django.db.models import BigIntegerField, Case, F, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from faq.forms import EntryAdminForm
from faq.grouping import Group, group_similar
from faq.knowledge import SCENARIOS
from faq.models import (
    SOURCE_FIELDS,
    STAFF_DOCUMENT,
    Entry,
    UnmatchedQuery,
    missing_for_publishing,
)

# Grouping reads the most asked this many queries of the list; the rest are shown ungrouped.
GROUPED_QUERIES = 2000
# Ids stay below this: a row's place in the list is its group's total × _PLACE − the group's id.
_PLACE = 2**32
# A group up to this size links to a list of its queries alone (their ids go in the address).
LINKED_GROUP_SIZE = 200


class SourcesField(forms.CharField):
    """Public sources ``[{title, url}]`` edited as one ``标题 | https://…`` per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, list):
            return "\n".join(
                f"{row.get('title', '')} | {row.get('url', '')}" if row.get("title") else row["url"]
                for row in value
                if isinstance(row, dict) and row.get("url")
            )
        return value or ""

    def to_python(self, value: Any) -> list[dict[str, str]]:
        sources = []
        for line in (super().to_python(value) or "").splitlines():
            title, _bar, url = line.strip().rpartition("|")
            title, url = title.strip(), url.strip()
            if not url:
                continue
            if not url.startswith(("https://", "http://")) or any(c.isspace() for c in url):
                raise forms.ValidationError(f"来源需要完整的 http(s) 网址：{line.strip()}")
            sources.append({"title": title or url, "url": url})
        return sources


class StaffEntryForm(EntryAdminForm):
    sources = SourcesField(label="公开资料来源（每行一个：标题 | https://…）", required=False)

    class Meta(EntryAdminForm.Meta):
        fields = (*EntryAdminForm.Meta.fields, "status", "sources")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("status") == "published":
            entry = Entry(
                document=cleaned.get("document", ""),
                remedy=cleaned.get("remedy") or [],
                sources=cleaned.get("sources") or [],
            )
            missing = missing_for_publishing(entry)
            if missing:
                raise forms.ValidationError(f"发布前请填写：{'、'.join(missing)}。")
        return cleaned


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    form = StaffEntryForm
    list_display = (
        "slug",
        "title",
        "platform",
        "document",
        "section",
        "status",
        "in_source",
        "edited",
    )
    list_filter = ("status", "platform", "document", "in_source")
    search_fields = ("slug", "title", "section", "summary_en")
    readonly_fields = ("edited_fields", "updated_at")
    actions = ("publish", "reset_to_document")

    @admin.display(boolean=True, description="客服改过")
    def edited(self, entry: Entry) -> bool:
        return bool(entry.edited_fields)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        # An entry added here is staff knowledge: a draft, exported for review by export_faq.
        return {
            "document": STAFF_DOCUMENT,
            "section": "客服补充",
            "status": "draft",
            "in_source": False,
            **super().get_changeform_initial_data(request),
        }

    def save_model(self, request: HttpRequest, obj: Entry, form: Any, change: bool) -> None:
        if obj.document == STAFF_DOCUMENT:
            obj.tier = "public"  # it cites a public source, as that tier's entries do
        # Fields staff change are protected from the next re-load of the data files.
        edited = set(obj.edited_fields) | (set(form.changed_data) & set(SOURCE_FIELDS))
        obj.edited_fields = sorted(edited)
        super().save_model(request, obj, form, change)

    @admin.action(description="发布所选草稿（之后诊断会使用它们）")
    def publish(self, request: HttpRequest, queryset: QuerySet[Entry]) -> None:
        published = []
        for entry in queryset.filter(status="draft"):
            missing = missing_for_publishing(entry)
            if missing:
                self.message_user(
                    request, f"{entry.slug} 未发布：缺少{'、'.join(missing)}。", messages.WARNING
                )
                continue
            entry.status = "published"
            # save(), not update(): updated_at moves, so every worker rebuilds its engine.
            entry.save(update_fields=["status", "updated_at"])
            published.append(entry.slug)
        if published:
            self.message_user(request, f"已发布：{', '.join(published)}", messages.SUCCESS)

    @admin.action(description="恢复为数据文件的内容（下次加载时覆盖客服的修改）")
    def reset_to_document(self, request: HttpRequest, queryset: QuerySet[Entry]) -> None:
        count = queryset.update(edited_fields=[])
        self.message_user(request, f"{count} 个条目将在下次 load_faq 时恢复。", messages.SUCCESS)


class PendingFilter(admin.SimpleListFilter):
    """What is left to do by default; what staff already dealt with one click away."""

    title = "处理状态"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("pending", "待处理"), ("handled", "已处理"), ("all", "全部")]

    def choices(self, changelist: ChangeList) -> Any:
        current = self.value() or "pending"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value() or "pending"
        if value == "all":
            return queryset
        return queryset.filter(handled=value == "handled")


class GroupedChangeList(ChangeList):
    """The list with similar queries together: groups by total count, then each group's queries.

    A query like no other is a group of one, placed by its own count. The database orders the rows
    (annotation ``group_place``); each row shown carries its ``similar`` Group. A column the staff
    member sorts by wins.
    """

    similar: dict[int, Group]

    def get_queryset(self, request: HttpRequest, exclude_parameters: Any = None) -> QuerySet:
        queryset = super().get_queryset(request, exclude_parameters)
        if exclude_parameters is not None:  # the filters' counts, not the list
            return queryset
        rows = queryset.order_by("-count", "-last_seen").values_list("pk", "text", "count")
        groups = [g for g in group_similar(rows[:GROUPED_QUERIES]) if len(g.members) > 1]
        self.similar = {pk: group for group in groups for pk in group.members}
        if ORDER_VAR in self.params:
            return queryset
        # One number orders the rows: the group's total count, then the group (its most asked
        # query's id, so a group's queries stay together); a query of no group counts alone.
        place = Case(
            *[
                When(pk__in=group.members, then=Value(group.total * _PLACE - group.members[0]))
                for group in groups
            ],
            default=F("count") * _PLACE - F("pk"),
            output_field=BigIntegerField(),
        )
        return queryset.annotate(group_place=place).order_by("-group_place", "-count", "-pk")

    def get_ordering_field_columns(self) -> dict[int, str]:
        # Grouped, the list is not sorted by any one column: no header says it is.
        return super().get_ordering_field_columns() if ORDER_VAR in self.params else {}

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        for row in self.result_list:  # the rows of this page, fetched once and kept
            row.similar = self.similar.get(row.pk)


class SymptomTargetForm(forms.Form):
    entry = forms.ModelChoiceField(
        label="加到哪个条目",
        queryset=Entry.objects.order_by("platform", "document", "position"),
    )


@admin.register(UnmatchedQuery)
class UnmatchedQueryAdmin(admin.ModelAdmin):
    list_display = ("text", "count", "group", "platform", "scenario", "handled_as", "last_seen")
    list_filter = (PendingFilter, "platform")
    search_fields = ("text",)
    readonly_fields = (
        "text",
        "text_hash",
        "platform",
        "scenario",
        "count",
        "handled_entry",
        "first_seen",
        "last_seen",
    )
    actions = ("draft_entry", "add_as_symptom", "mark_handled")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return GroupedChangeList

    @admin.display(description="相似的查询")
    def group(self, query: UnmatchedQuery) -> str:
        group = getattr(query, "similar", None)
        if group is None:
            return "—"
        label = f"{len(group.members)} 条 · 共 {group.total} 次"
        if len(group.members) > LINKED_GROUP_SIZE:
            return label
        # The group alone, where "select all" takes every query of it for an action.
        ids = ",".join(map(str, group.members))
        return format_html('<a href="?state=all&amp;id__in={}">{}</a>', ids, label)

    @admin.display(description="处理结果")
    def handled_as(self, query: UnmatchedQuery) -> str:
        if query.handled_entry_id is not None:
            url = reverse("admin:faq_entry_change", args=[query.handled_entry_id])
            return format_html('<a href="{}">{}</a>', url, query.handled_entry.slug)
        return "已处理" if query.handled else ""

    def get_queryset(self, request: HttpRequest) -> QuerySet[UnmatchedQuery]:
        return super().get_queryset(request).select_related("handled_entry")

    @admin.action(description="用所选查询起草一个新条目（草稿，发布前不参与诊断）")
    def draft_entry(
        self, request: HttpRequest, queryset: QuerySet[UnmatchedQuery]
    ) -> HttpResponse | None:
        queries = list(queryset.order_by("-count", "-last_seen"))
        entry = draft_from(queries)
        self.message_user(
            request,
            f"已创建草稿 {entry.slug}：请核对平台，改好 slug（发布后即永久链接）和标题，写上解决步骤和来源，再发布。",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:faq_entry_change", args=[entry.pk]))

    @admin.action(description="作为已有条目的补充症状…")
    def add_as_symptom(
        self, request: HttpRequest, queryset: QuerySet[UnmatchedQuery]
    ) -> HttpResponse | None:
        form = SymptomTargetForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            entry = form.cleaned_data["entry"]
            added = add_symptoms(entry, list(queryset.order_by("-count", "-last_seen")))
            self.message_user(
                request, f"已把 {added} 条说法加到 {entry.slug} 的补充症状。", messages.SUCCESS
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "作为已有条目的补充症状",
            "opts": self.model._meta,
            "queries": queryset,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/faq/unmatchedquery/add_symptom.html", context)

    @admin.action(description="标记为已处理（不需要条目）")
    def mark_handled(self, request: HttpRequest, queryset: QuerySet[UnmatchedQuery]) -> None:
        count = queryset.update(handled=True)
        self.message_user(request, f"{count} 条查询已标记为已处理。", messages.SUCCESS)


@transaction.atomic
def draft_from(queries: list[UnmatchedQuery]) -> Entry:
    """A draft entry whose symptoms are the queries' texts, the most asked first."""
    first = queries[0]
    slug = base = f"staff-draft-{first.pk}"
    suffix = 1
    while Entry.objects.filter(slug=slug).exists():
        suffix += 1
        slug = f"{base}-{suffix}"
    entry = Entry.objects.create(
        slug=slug,
        # The platform the merchant chose, if any; staff check it before publishing.
        platform=next((q.platform for q in queries if q.platform), "wechat_v2"),
        document=STAFF_DOCUMENT,
        section="客服补充",
        title=first.text.splitlines()[0][:80] if first.text else slug,
        symptoms=list(dict.fromkeys(q.text for q in queries)),
        scenarios=[s for s in dict.fromkeys(first.scenario.split(",")) if s in SCENARIOS],
        remedy=[],
        tier="public",
        status="draft",
        in_source=False,
    )
    UnmatchedQuery.objects.filter(pk__in=[q.pk for q in queries]).update(
        handled=True, handled_entry=entry
    )
    return entry


@transaction.atomic
def add_symptoms(entry: Entry, queries: list[UnmatchedQuery]) -> int:
    """Append the queries' texts to the entry's staff symptoms, which a re-load keeps."""
    known = {*entry.symptoms, *entry.extra_symptoms}
    new = [text for text in dict.fromkeys(q.text for q in queries) if text not in known]
    entry.extra_symptoms = [*entry.extra_symptoms, *new]
    # save(), not update(): updated_at moves, so every worker rebuilds its engine.
    entry.save(update_fields=["extra_symptoms", "updated_at"])
    UnmatchedQuery.objects.filter(pk__in=[q.pk for q in queries]).update(
        handled=True, handled_entry=entry
    )
    return len(new)
