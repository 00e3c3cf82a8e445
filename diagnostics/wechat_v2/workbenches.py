"""The V2 task workbenches (pages beside the signing workbench's presets): what each form's cleaned
values run through. The signing workbench itself is one page per preset (diagnostics.views)."""

from __future__ import annotations

from diagnostics.core.workbench import Task
from diagnostics.wechat_v2.refund_notify import REFUND_NOTIFY_TASK
from diagnostics.wechat_v2.simulator import SIMULATE_TASK

TASKS: tuple[Task, ...] = (
    REFUND_NOTIFY_TASK,
    SIMULATE_TASK,
)
