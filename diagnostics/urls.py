from __future__ import annotations

import re

from django.urls import URLPattern, path, re_path

from diagnostics import inspect_views, views
from diagnostics.platforms import task_groups

app_name = "diagnostics"


def task_urls() -> list[URLPattern]:
    """Each registered platform's workbenches: ``<prefix><task>/`` and ``<prefix><task>/run``, the
    task names spelled out (so V2's preset pages, also under wechat/v2/, keep every other name); a
    platform with one unnamed workbench (the linter) takes its prefix alone."""
    urls = []
    for platform in task_groups():
        group = {"group": platform.name}
        names = [task.workbench.partition(":")[2] for task in platform.tasks]
        if all(names):
            alternatives = "|".join(re.escape(name) for name in names)
            task = f"(?P<task>{alternatives})"
            prefix = re.escape(platform.url_prefix)
            page, run = (
                re_path(rf"^{prefix}{task}/$", views.task_page, group, name=platform.name),
                re_path(
                    rf"^{prefix}{task}/run$", views.task_run, group, name=f"{platform.name}_run"
                ),
            )
        else:
            page = path(platform.url_prefix, views.task_page, group, name=platform.name)
            run = path(
                f"{platform.url_prefix}run", views.task_run, group, name=f"{platform.name}_run"
            )
        urls += [page, run]
    return urls


urlpatterns = [
    *task_urls(),
    path("wechat/v2/", views.v2_workbench, name="v2"),
    path("wechat/v2/demo/", views.v2_demo, name="v2_demo"),
    path("wechat/v2/<slug:preset>/", views.v2_workbench, name="v2_preset"),
    path("wechat/v2/<slug:preset>/sign", views.v2_sign, name="v2_sign"),
    path("d/<slug:token>", views.shared_result, name="shared"),
    path("inspect", inspect_views.inspect_page, name="inspect"),
]
