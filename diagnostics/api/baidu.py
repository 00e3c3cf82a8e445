"""The Baidu cashier endpoints: rsaSign and callback verification."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema

from config.ratelimits import check as check_rate
from diagnostics import baidu
from diagnostics.api.common import FindingOut, findings_out
from diagnostics.baidu.workbenches import run_baidu_sign
from diagnostics.core.keys import load_public_key

router = Router(tags=["baidu"])


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
    return {
        "string1": signed.string1,
        "sign": signed.sign,
        "findings": findings_out(signed.findings),
    }


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
        "findings": findings_out(verification.findings),
    }
