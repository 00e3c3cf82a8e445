"""Shared results: what a /d/<token> support link shows, saved without any secret."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


def new_token() -> str:
    """128 random bits, URL-safe (22 characters)."""
    return secrets.token_urlsafe(16)


def _without_nul(value: Any) -> Any:
    """PostgreSQL stores no NUL character (text or jsonb); a pasted one carries no meaning here."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, Mapping):
        return {_without_nul(key): _without_nul(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_without_nul(item) for item in value)
    return value


class SharedResultManager(models.Manager["SharedResult"]):
    def share(
        self, kind: str, inputs: Mapping[str, Any], summary: Mapping[str, Any], result: Any
    ) -> SharedResult:
        """Save a result for a link. Everything given must already be redacted (the views pass
        what diagnostics.core.redaction.Redactor made of it): nothing here sees a secret."""
        inputs, summary, result = _without_nul((inputs, summary, result))
        return self.create(
            kind=kind,
            inputs=dict(inputs),
            summary=dict(summary),
            result=result,
            expires_at=timezone.now() + timedelta(days=settings.SHARE_TTL_DAYS),
        )

    def expired(self) -> models.QuerySet[SharedResult]:
        return self.filter(expires_at__lte=timezone.now())


class SharedResult(models.Model):
    token = models.CharField(max_length=64, unique=True, default=new_token)
    # "wechat_v2:<preset>", "wechat_v3:sign", ..., "lint", "diagnosis"
    kind = models.CharField("类型", max_length=64)
    inputs = models.JSONField("输入（已去掉密钥）", default=dict)
    summary = models.JSONField("结果摘要", default=dict)  # string1, sign, mistakes, matched entries
    # The result as data (diagnostics.core.snapshot.freeze), redacted; re-rendered by the templates
    # with autoescaping when the link is opened. Never HTML.
    result = models.JSONField("结果（数据，已去掉密钥）", default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("过期时间")

    objects = SharedResultManager()

    class Meta:
        # The table keeps the name it had when the model lived in diagnostics (migrations moved
        # the model in state only; the data never moved).
        db_table = "diagnostics_sharedresult"
        ordering = ["-created_at"]
        verbose_name = "分享的诊断链接"
        verbose_name_plural = "分享的诊断链接"

    def __str__(self) -> str:
        return f"{self.kind} · {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("diagnostics:shared", args=[self.token])

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()
