from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from faq.forms import EntryAdminForm
from faq.models import SOURCE_FIELDS, Entry, UnmatchedQuery


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    form = EntryAdminForm
    list_display = ("slug", "title", "platform", "document", "section", "in_source", "edited")
    list_filter = ("platform", "document", "in_source")
    search_fields = ("slug", "title", "section", "summary_en")
    readonly_fields = ("edited_fields", "updated_at")
    actions = ("reset_to_document",)

    @admin.display(boolean=True, description="客服改过")
    def edited(self, entry: Entry) -> bool:
        return bool(entry.edited_fields)

    def save_model(self, request: HttpRequest, obj: Entry, form: Any, change: bool) -> None:
        # Fields staff change are protected from the next re-load of the data files.
        edited = set(obj.edited_fields) | (set(form.changed_data) & set(SOURCE_FIELDS))
        obj.edited_fields = sorted(edited)
        super().save_model(request, obj, form, change)

    @admin.action(description="恢复为数据文件的内容（下次加载时覆盖客服的修改）")
    def reset_to_document(self, request: HttpRequest, queryset: QuerySet[Entry]) -> None:
        count = queryset.update(edited_fields=[])
        self.message_user(request, f"{count} 个条目将在下次 load_faq 时恢复。", messages.SUCCESS)


@admin.register(UnmatchedQuery)
class UnmatchedQueryAdmin(admin.ModelAdmin):
    list_display = ("text", "count", "platform", "scenario", "last_seen")
    list_filter = ("platform",)
    search_fields = ("text",)
    readonly_fields = (
        "text",
        "text_hash",
        "platform",
        "scenario",
        "count",
        "first_seen",
        "last_seen",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
