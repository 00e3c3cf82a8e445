from __future__ import annotations

from django.urls import path

from diagnostics import views

app_name = "diagnostics"

urlpatterns = [
    path("wechat/v2/", views.v2_workbench, name="v2"),
    path("wechat/v2/demo/", views.v2_demo, name="v2_demo"),
    path("wechat/v2/<slug:preset>/", views.v2_workbench, name="v2_preset"),
    path("wechat/v2/<slug:preset>/sign", views.v2_sign, name="v2_sign"),
    path("wechat/v3/<slug:task>/", views.task_page, {"group": "wechat_v3"}, name="wechat_v3"),
    path("wechat/v3/<slug:task>/run", views.task_run, {"group": "wechat_v3"}, name="wechat_v3_run"),
    path("baidu/<slug:task>/", views.task_page, {"group": "baidu"}, name="baidu"),
    path("baidu/<slug:task>/run", views.task_run, {"group": "baidu"}, name="baidu_run"),
    path("lint/", views.task_page, {"group": "lint"}, name="lint"),
    path("lint/run", views.task_run, {"group": "lint"}, name="lint_run"),
    path("d/<slug:token>", views.shared_result, name="shared"),
]
