from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from sharing.models import SharedResult


@admin.register(SharedResult)
class SharedResultAdmin(admin.ModelAdmin):
    list_display = ("kind", "created_at", "expires_at", "is_expired", "link")
    list_filter = ("kind",)
    readonly_fields = ("token", "kind", "inputs", "summary", "created_at", "expires_at")
    exclude = ("result",)

    @admin.display(boolean=True, description="已过期")
    def is_expired(self, shared: SharedResult) -> bool:
        return shared.expired

    @admin.display(description="链接")
    def link(self, shared: SharedResult) -> str:
        return shared.get_absolute_url()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SharedResult | None = None) -> bool:
        return False
