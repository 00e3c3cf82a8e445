from __future__ import annotations

from django.urls import URLPattern, path

from diagnostics import views
from diagnostics.platforms import task_groups

app_name = "diagnostics"


def task_urls() -> list[URLPattern]:
    """Each registered platform's workbenches: ``<prefix><task>/`` and ``<prefix><task>/run``; a
    platform with one unnamed workbench (the linter) takes its prefix alone."""
    urls = []
    for platform in task_groups():
        group = {"group": platform.name}
        if any(":" in task.workbench for task in platform.tasks):
            page, run = (
                f"{platform.url_prefix}<slug:task>/",
                f"{platform.url_prefix}<slug:task>/run",
            )
        else:
            page, run = platform.url_prefix, f"{platform.url_prefix}run"
        urls += [
            path(page, views.task_page, group, name=platform.name),
            path(run, views.task_run, group, name=f"{platform.name}_run"),
        ]
    return urls


urlpatterns = [
    path("wechat/v2/", views.v2_workbench, name="v2"),
    path("wechat/v2/demo/", views.v2_demo, name="v2_demo"),
    path("wechat/v2/<slug:preset>/", views.v2_workbench, name="v2_preset"),
    path("wechat/v2/<slug:preset>/sign", views.v2_sign, name="v2_sign"),
    *task_urls(),
    path("d/<slug:token>", views.shared_result, name="shared"),
]
