from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from config import views
from config.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("diagnostics.urls")),
    path("", include("faq.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    # The language switch, its `next` stripped of secrets (config.views.set_language).
    path("i18n/setlang/", views.set_language, name="set_language"),
]

handler400 = "config.views.bad_request"
handler404 = "config.views.page_not_found"
