from __future__ import annotations

from django.urls import path

from faq import views

app_name = "faq"

urlpatterns = [
    path("diagnose", views.diagnose, name="diagnose"),
    path("faq/", views.faq_index, name="index"),
    path("faq/<slug:slug>", views.faq_entry, name="entry"),
]
