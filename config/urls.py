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
    path("i18n/", include("django.conf.urls.i18n")),
]

handler400 = "config.views.bad_request"
handler404 = "config.views.page_not_found"
