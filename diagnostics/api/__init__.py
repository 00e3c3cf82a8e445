"""The workbenches' JSON endpoints (django-ninja), mounted under /api/v1/ by config.api: one module
per platform, the linter, and the registry's generic workbench endpoint."""

from __future__ import annotations

from ninja import Router

from diagnostics.api import (
    alipay,
    alipay_keys,
    baidu,
    inspect,
    keyring,
    lint,
    refund_notify,
    sensitive,
    simulator,
    wechat_v2,
    wechat_v3,
    workbenches,
)

router = Router()
for module in (
    wechat_v2,
    wechat_v3,
    baidu,
    alipay,
    alipay_keys,
    lint,
    workbenches,
    refund_notify,
    keyring,
    sensitive,
    simulator,
    inspect,
):
    router.add_router("", module.router)
