"""The notification simulators' endpoints (issue 15 §4): an APIv3 or V2 notification to send to
one's own handler, as headers, body and a curl command, with what a correct handler answers.
Nothing is sent anywhere; the APIv3 key and the API key are used for this request only and never
echoed (the notification carries only what they encrypt or sign)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema

from config.ratelimits import check as check_rate
from diagnostics.wechat_v2 import simulator as v2_simulator
from diagnostics.wechat_v3 import simulator as v3_simulator

router = Router(tags=["simulator"])


class V3SimulateIn(Schema):
    kind: Literal["payment", "refund", "probe", "stale", "reserialized", "wrong_serial"]
    mode: Literal["certificate", "public_key"]
    apiv3_key: str
    url: str  # the merchant's notify_url, http(s)
    resource: str = ""  # the resource plaintext (JSON); "" for the public example's


class V2SimulateIn(Schema):
    kind: Literal["payment", "refund"]
    key: str  # the V2 API key
    sign_type: Literal["MD5", "HMAC-SHA256"] = "MD5"
    url: str
    resource: str = ""  # the merchant's own fields (XML, name=value lines, JSON) over the example's


class SimulateOut(Schema):
    headers: dict[str, str]  # in the order they are sent
    body: str
    curl: str  # every argument quoted for a POSIX shell
    # The throw-away key's public half to configure (pub_key.pem, SubjectPublicKeyInfo PEM);
    # null for V2, which is signed with the merchant's own API key.
    public_key: str | None
    certificate: str | None  # certificate mode: the throw-away self-signed platform certificate
    # Public-key mode: the PUB_KEY_ID_… to configure with the key (the header carries another
    # one for "wrong_serial"); null otherwise.
    public_key_id: str | None
    expect_status: int  # 200 (204 is right too) for a valid one; 401 (any 4xx/5xx) otherwise


@router.post(
    "/wechat/v3/simulate",
    response=SimulateOut,
    summary="Build an APIv3 notification (payment, refund, or a variant a handler must refuse)",
)
def simulate_v3(request: HttpRequest, payload: V3SimulateIn) -> dict[str, Any]:
    check_rate(request, "private_key")  # one RSA-2048 key pair is generated per request
    simulation = v3_simulator.simulate(
        kind=payload.kind,
        mode=payload.mode,
        apiv3_key=payload.apiv3_key,
        url=payload.url,
        resource=payload.resource,
    )
    public_key_mode = simulation.mode == "public_key"
    return {
        "headers": dict(simulation.headers),
        "body": simulation.body,
        "curl": simulation.curl,
        "public_key": simulation.public_key,
        "certificate": simulation.certificate or None,
        "public_key_id": simulation.configured_serial if public_key_mode else None,
        "expect_status": simulation.expect_status,
    }


@router.post(
    "/wechat/v2/simulate",
    response=SimulateOut,
    summary="Build a V2 payment (signed) or refund (req_info encrypted) notification",
)
def simulate_v2(request: HttpRequest, payload: V2SimulateIn) -> dict[str, Any]:
    simulation = v2_simulator.simulate(
        kind=payload.kind,
        key=payload.key,
        url=payload.url,
        sign_type=payload.sign_type,
        resource=payload.resource,
    )
    return {
        "headers": dict(simulation.headers),
        "body": simulation.body,
        "curl": simulation.curl,
        "public_key": None,
        "certificate": None,
        "public_key_id": None,
        "expect_status": simulation.expect_status,
    }
