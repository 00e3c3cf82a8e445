from __future__ import annotations

from django.urls import path

from diagnostics import views

app_name = "diagnostics"

urlpatterns = [
    path("v2/", views.v2_workbench, name="v2"),
    path("v2/demo/", views.v2_demo, name="v2_demo"),
    path("v2/<slug:preset>/", views.v2_workbench, name="v2_preset"),
    path("v2/<slug:preset>/sign", views.v2_sign, name="v2_sign"),
]
