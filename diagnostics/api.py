"""JSON endpoints of the signature workbenches (django-ninja router, mounted under /api/v1/)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext
from ninja import Path, Router, Schema

from config.errors import ApiError
from config.ratelimits import check as check_rate
from config.redaction import request_redactor
from diagnostics import baidu, wechat_v3
from diagnostics.baidu.workbenches import run_baidu_sign
from diagnostics.core.keys import load_public_key
from diagnostics.core.params import from_mapping, parse_params
from diagnostics.core.snapshot import freeze, plain
from diagnostics.platforms import TASK_FORMS, TASKS, lint
from diagnostics.wechat_v2.checks import recognise_reply
from diagnostics.wechat_v2.fields import PRESETS
from diagnostics.wechat_v2.report import build_report
from diagnostics.wechat_v3.workbenches import run_v3_sign, run_v3_verify

router = Router(tags=["wechat v2"])


class V2SignIn(Schema):
    params: dict[str, Any] | None = None
    raw: str | None = None
    key: str = ""
    sign_type: Literal["MD5", "HMAC-SHA256"] | None = None
    expected_sign: str | None = None
    preset: str = "free"
    entry_point: Literal["app", "h5", "miniprogram"] | None = None


class Excluded(Schema):
    name: str
    reason: str


class MistakeOut(Schema):
    code: str
    codes: list[str]
    detail: str
    string1: str
    fixes: list[str]
    source: str


class FindingOut(Schema):
    code: str
    message: str
    source: str
    field: str = ""
    severity: str = "warning"  # blocking | warning | note


def _findings(findings: Any) -> list[dict[str, str]]:
    """Engine findings in the FindingOut shape, messages in the request's language."""
    return [
        {
            "code": f.code,
            "message": str(f.message),
            "source": f.source,
            "field": f.field,
            "severity": getattr(f, "severity", "warning"),
        }
        for f in findings
    ]


class V2SignOut(Schema):
    format: str
    string1: str
    string_sign_temp: str  # the key masked but for its last 4 characters
    digest: str
    sign: str
    sign_type: str
    excluded: list[Excluded]
    match: bool | None
    mistakes: list[MistakeOut]
    findings: list[FindingOut]
    corrected: str  # the request as pasted with the right sign in it; "" when the sign matched


@router.post(
    "/wechat/v2/sign", response=V2SignOut, summary="Sign WeChat Pay V2 params, find the mistake"
)
def wechat_v2_sign(request: HttpRequest, payload: V2SignIn) -> JsonResponse:
    if payload.preset not in PRESETS:
        raise ApiError(
            "unknown_preset",
            gettext("没有这个预设：%(preset)s；可选 %(choices)s。")
            % {"preset": payload.preset[:40], "choices": ", ".join(PRESETS)},
        )
    if payload.raw and payload.raw.strip():
        parsed = parse_params(payload.raw)
    elif payload.params:
        parsed = from_mapping(payload.params, "json")
    else:
        raise ApiError(
            "no_params",
            gettext("请提供 params（对象）或 raw（XML、query string、name=value 行或 JSON）。"),
        )
    reply = recognise_reply(parsed.pairs)
    if reply and not reply.signed:
        raise ApiError(
            "platform_reply",
            gettext(
                "这是微信支付的应答，不是你发送的请求：失败的应答不带签名。"
                "请用 GET /api/v1/diagnose?q=… 诊断它，或提交你发送的请求。"
            ),
        )
    if not payload.key.strip() and not parsed.pasted_key:
        raise ApiError("no_key", gettext("请提供 key（商户 API 密钥）。"))
    report = build_report(
        parsed,
        payload.key,
        PRESETS[payload.preset],
        chosen_sign_type=payload.sign_type,
        expected_sign=payload.expected_sign,
        entry_point=payload.entry_point or "",
    )
    steps = report.steps
    # Built here to the V2SignOut shape; answered as is (no second validation on the hot path).
    return JsonResponse(
        {
            "format": parsed.format,
            "string1": steps.string1,
            "string_sign_temp": report.string_sign_temp_masked,
            "digest": steps.digest,
            "sign": steps.sign,
            "sign_type": steps.sign_type,
            "excluded": [{"name": item.name, "reason": item.reason} for item in steps.excluded],
            "match": report.match,
            "mistakes": [
                {
                    "code": mistake.code,
                    "codes": list(mistake.codes),
                    "detail": str(mistake.detail),
                    "string1": mistake.string1,
                    "fixes": [str(fix) for fix in mistake.fixes],
                    "source": mistake.sources,
                }
                for mistake in report.mistakes
            ],
            "findings": _findings(report.findings),
            "corrected": report.corrected,
        },
        json_dumps_params={"ensure_ascii": False},
    )


# --- APIv3, Baidu and the linter (issue 4). Keys are loaded for this request only.


class FindingsOut(Schema):
    findings: list[FindingOut]


class V3SignIn(Schema):
    # With sign_error (a 401 SIGN_ERROR body) every field may be left out: what is missing is
    # read from the body, and without private_key the answer is the comparison alone.
    method: str = ""
    url: str = ""
    timestamp: str = ""
    nonce: str = ""
    body: str = ""
    private_key: str = ""
    mchid: str = ""
    serial_no: str = ""
    sign_error: str = ""


class V3SignErrorOut(Schema):
    consistent: bool
    verdict: str
    first_difference: dict[str, Any] | None
    wechat_message: str  # as WeChat Pay shows it: the body cut to its first characters
    wechat_message_length: int | None
    message_length: int
    from_401: list[str]
    explanations: list[FindingOut]  # why the messages differ, in words
    findings: list[FindingOut]


class V3SignOut(Schema):
    message: str
    signature: str | None = None
    authorization: str | None = None
    findings: list[FindingOut]
    sign_error: V3SignErrorOut | None = None


@router.post(
    "/wechat/v3/sign",
    response=V3SignOut,
    tags=["wechat v3"],
    summary="Sign an APIv3 request; compare a 401 SIGN_ERROR body (no key needed)",
)
def wechat_v3_sign(request: HttpRequest, payload: V3SignIn) -> dict[str, Any]:
    values = payload.model_dump()
    if not payload.sign_error.strip():
        missing = [
            name
            for name in ("url", "timestamp", "nonce", "private_key")
            if not str(values[name]).strip()
        ]
        if missing:
            raise ApiError(
                "invalid_request",
                gettext("缺少 %(fields)s（或给出 sign_error：401 应答体）。")
                % {"fields": ", ".join(missing)},
            )
    if payload.private_key.strip():
        check_rate(request, "private_key")
    # The JSON API signs the bytes it is sent: no default time or nonce (they come from the
    # 401 body when one is given).
    result = run_v3_sign({**values, "certificate": "", "their_signature": ""})
    answer: dict[str, Any] = {"message": "", "findings": []}
    if "signed" in result:
        signed = result["signed"]
        answer |= {
            "message": signed.message,
            "signature": signed.signature,
            "authorization": signed.authorization,
            "findings": _findings(signed.findings),
        }
    if "comparison" in result:
        comparison = result["comparison"]
        difference = comparison.first_difference
        answer["message"] = answer["message"] or comparison.message
        answer["sign_error"] = {
            "consistent": comparison.consistent,
            "verdict": str(comparison.verdict),
            "first_difference": None
            if difference is None
            else {
                "line": difference.line,
                "column": difference.column,
                "part": difference.part,
                "wechat": str(difference.theirs_named),
                "yours": str(difference.ours_named),
            },
            "wechat_message": comparison.info.truncated_sign_message,
            "wechat_message_length": comparison.info.sign_message_length,
            "message_length": comparison.message_length,
            "from_401": list(comparison.from_401),
            "explanations": _findings(comparison.explanations),
            "findings": _findings(comparison.details),
        }
    return answer


class V3VerifyIn(Schema):
    timestamp: str
    nonce: str
    body: str = ""
    signature: str
    public_key: str
    serial: str = ""


class V3MistakeOut(Schema):
    code: str
    detail: str
    message: str


class V3VerifyOut(Schema):
    message: str
    valid: bool
    mode: str
    mistakes: list[V3MistakeOut]
    findings: list[FindingOut]


@router.post(
    "/wechat/v3/verify",
    response=V3VerifyOut,
    tags=["wechat v3"],
    summary="Verify a response or notification",
)
def wechat_v3_verify(request: HttpRequest, payload: V3VerifyIn) -> dict[str, Any]:
    # The same run as the verify page: verify, and on failure search for what was signed.
    result = run_v3_verify({**payload.model_dump(), "headers": "", "mchid": ""})
    verification = result["verification"]
    found = result["search"].found if "search" in result else ()
    return {
        "message": verification.message,
        "valid": verification.valid,
        "mode": verification.mode,
        "mistakes": [
            {"code": m.code, "detail": str(m.detail), "message": m.message} for m in found
        ],
        "findings": _findings(verification.findings),
    }


class V3DecryptIn(Schema):
    apiv3_key: str
    associated_data: str = ""
    nonce: str
    ciphertext: str


class V3DecryptOut(Schema):
    plaintext: str


@router.post(
    "/wechat/v3/decrypt",
    response=V3DecryptOut,
    tags=["wechat v3"],
    summary="Decrypt a notification",
)
def wechat_v3_decrypt(request: HttpRequest, payload: V3DecryptIn) -> dict[str, Any]:
    decrypted = wechat_v3.decrypt_resource(
        apiv3_key=payload.apiv3_key,
        associated_data=payload.associated_data,
        nonce=payload.nonce,
        ciphertext=payload.ciphertext,
    )
    return {"plaintext": decrypted.plaintext}


class BaiduSignIn(Schema):
    params: dict[str, Any] | str
    private_key: str
    # order_info: the cashier's orderInfo, signed over appKey, dealId, totalAmount, tpOrderId only.
    mode: Literal["order_info", "all"] = "order_info"


class BaiduSignOut(Schema):
    string1: str
    sign: str
    findings: list[FindingOut]


@router.post(
    "/baidu/sign",
    response=BaiduSignOut,
    tags=["baidu"],
    summary="Sign Baidu cashier params (rsaSign)",
)
def baidu_sign(request: HttpRequest, payload: BaiduSignIn) -> dict[str, Any]:
    check_rate(request, "private_key")
    signed = run_baidu_sign({**payload.model_dump(), "expected_sign": ""})["signed"]
    return {"string1": signed.string1, "sign": signed.sign, "findings": _findings(signed.findings)}


class BaiduVerifyIn(Schema):
    params: dict[str, Any] | str
    public_key: str


class BaiduVerifyOut(Schema):
    string1: str
    valid: bool
    mistakes: list[dict[str, str]]
    findings: list[FindingOut]


@router.post(
    "/baidu/verify", response=BaiduVerifyOut, tags=["baidu"], summary="Verify a Baidu callback"
)
def baidu_verify(request: HttpRequest, payload: BaiduVerifyIn) -> dict[str, Any]:
    verification = baidu.verify(payload.params, load_public_key(payload.public_key))
    return {
        "string1": verification.string1,
        "valid": verification.valid,
        "mistakes": [
            {"code": m.code, "detail": str(m.detail), "string1": m.string1}
            for m in verification.mistakes
        ],
        "findings": _findings(verification.findings),
    }


class LintIn(Schema):
    api: str
    params: dict[str, Any] | None = None
    body: str | None = None


@router.post(
    "/lint",
    response=FindingsOut,
    tags=["lint"],
    summary="Lint a request body against the field tables",
)
def lint_body(request: HttpRequest, payload: LintIn) -> dict[str, Any]:
    result = lint(payload.api, params=payload.params, body=payload.body)
    return {"findings": _findings(result.findings)}


# --- every workbench of the registry, one endpoint ---------------------------------------------


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
    if str(form.cleaned_data.get("private_key", "")).strip():
        check_rate(request, "private_key")
    result = task.run(form.cleaned_data)
    return {"workbench": name, "result": plain(request_redactor(request).tree(freeze(result)))}
