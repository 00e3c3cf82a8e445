"""Every workbench of the registry, one endpoint: a platform added to the registry is in the API
without code of its own."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Path, Router, Schema

from config.errors import ApiError
from config.ratelimits import check as check_rate
from config.redaction import request_redactor
from diagnostics.core.snapshot import freeze, plain
from diagnostics.platforms import TASK_FORMS, TASKS

# --- every workbench of the registry, one endpoint ---------------------------------------------


router = Router(tags=["workbenches"])


class WorkbenchIn(Schema):
    values: dict[str, str] = {}  # the workbench form's fields by name, as its page posts them


class WorkbenchOut(Schema):
    workbench: str
    result: dict[str, Any]


@router.post(
    "/workbenches/{workbench}",
    response=WorkbenchOut,
    tags=["workbenches"],
    summary="Run any workbench with its page's fields (e.g. wechat_v3.verify, baidu.sign, lint)",
)
def run_workbench(
    request: HttpRequest, payload: WorkbenchIn, workbench: str = Path(..., examples=["lint"])
) -> dict[str, Any]:
    """The registry's workbenches (diagnostics.platforms) answer here without an endpoint of
    their own: a platform added to the registry is in the API too. The result is what the page
    shows, as data, with this request's secrets removed."""
    name = workbench.replace(".", ":", 1)
    task = TASKS.get(name)
    if task is None:
        raise ApiError(
            "not_found",
            gettext("没有这个工作台；可选：%(names)s。")
            % {"names": ", ".join(sorted(key.replace(":", ".") for key in TASKS))},
            status=404,
        )
    form = TASK_FORMS[name](data=payload.values)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise ApiError("invalid_request", f"{field}: {errors[0]}")
    if str(form.cleaned_data.get("private_key", "")).strip() or getattr(
        form, "generates_keys", False
    ):
        check_rate(request, "private_key")
    result = task.run(form.cleaned_data)
    return {"workbench": name, "result": plain(request_redactor(request).tree(freeze(result)))}
