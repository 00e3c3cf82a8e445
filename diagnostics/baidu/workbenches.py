"""The Baidu cashier workbenches: sign (or compare) an orderInfo, verify a callback."""

from __future__ import annotations

import base64
import json
from dataclasses import replace

from cryptography.hazmat.primitives import hashes

from diagnostics.baidu.checks import ORDER_INFO_SIGNED
from diagnostics.baidu.mistakes import compact_sign, compare_sign, judged_sign
from diagnostics.baidu.signing import (
    order_info_sign,
    prepare_order_info_sign,
    prepare_sign,
    read_params,
    sign,
    with_rsa_sign,
)
from diagnostics.baidu.verification import verify
from diagnostics.core.keys import (
    LoadedKey,
    decode_signature,
    load_private_key,
    load_public_key,
    rsa_verify,
)
from diagnostics.core.workbench import Task, Values, gettext_noop


def run_baidu_sign(values: Values) -> Values:
    key = load_private_key(values["private_key"])
    order_info = values["mode"] != "all"
    if values["expected_sign"].strip():
        comparison = compare_sign(
            values["params"],
            key,
            values["expected_sign"].strip(),
            only=ORDER_INFO_SIGNED if order_info else None,
        )
        corrected = "" if comparison.matches else with_rsa_sign(values["params"], comparison.sign)
        return {"comparison": comparison, "key_info": key.info, "corrected": corrected}
    signed = order_info_sign(values["params"], key) if order_info else sign(values["params"], key)
    corrected = with_rsa_sign(values["params"], signed.sign)
    return {"signed": signed, "key_info": key.info, "corrected": corrected}


def run_baidu_sign_local(values: Values) -> Values:
    """Local mode (本地计算): string1 and its checks; the browser signs string1 (SHA1withRSA) with
    the private key it keeps and posts the key's public half (``local_key``). A pasted rsaSign is
    then compared by verifying it with that public half — PKCS#1 v1.5 is deterministic, so it
    verifies exactly when it equals the sign the key makes — and the drifts are searched the
    same way (mistakes.verify_mistake_search), as compare_sign does in server mode."""
    only = ORDER_INFO_SIGNED if values["mode"] != "all" else None
    params = values["params"]
    prepared = prepare_order_info_sign(params) if only else prepare_sign(params)
    public = values["local_key"]
    if public is None:
        return {"signed": prepared, "local": {"sign": None}}
    # The slot as json.dumps writes it inside the orderInfo JSON.
    head, _slot, tail = with_rsa_sign(params, SIGN_SLOT).rpartition(json.dumps(SIGN_SLOT)[1:-1])
    local = {
        "message": prepared.string1,
        "hash": "SHA-1",
        "fills": {"rsa-sign": ["", ""], "corrected": [head, tail]},
    }
    result = {"key_info": values["local_key_info"], "local": {"sign": local}}
    # The rsaSign the browser made (posted back with a share) is kept once it verifies.
    made = values["local_signature"].strip()
    made = made if is_sign_of(public, prepared.string1, made) else ""
    expected = compact_sign(values["expected_sign"])
    signed = replace(prepared, sign=made)
    if not expected:
        return result | {"signed": signed, "corrected": head + made + tail}
    matches = is_sign_of(public, prepared.string1, expected)
    if matches:
        local["fills"].pop("corrected")
    pairs = read_params(params)[0]
    comparison = judged_sign(pairs, signed, expected, public.key, matches=matches, only=only)
    return result | {"comparison": comparison, "corrected": "" if matches else head + made + tail}


def is_sign_of(public: LoadedKey, string1: str, sign: str) -> bool:
    """Whether ``sign`` is the rsaSign the key makes over string1, as text: it verifies (PKCS#1
    v1.5 is deterministic) and is written in canonical base64."""
    raw = decode_signature(sign)
    return (
        raw is not None
        and base64.b64encode(raw).decode("ascii") == sign
        and rsa_verify(public.key, string1, raw, hashes.SHA1())
    )


# Where the browser puts the rsaSign it makes into the corrected orderInfo (a NUL cannot be typed
# into a form field: Django refuses null characters).
SIGN_SLOT = "\x00"


def run_baidu_verify(values: Values) -> Values:
    key = load_public_key(values["public_key"])
    return {
        "verification": verify(values["params"], key, url=values["url"].strip()),
        "key_info": key.info,
    }


TASKS: tuple[Task, ...] = (
    Task(
        "baidu:sign",
        gettext_noop("百度收银台 rsaSign 签名"),
        "Baidu cashier rsaSign (SHA1withRSA)",
        "001 调起收银台错误 2",
        gettext_noop(
            "参数按名称排序拼成 k=v&…（不含 sign、sign_type、rsaSign），SHA1withRSA 后 base64。"
            "贴上你的 rsaSign 找出差别。"
        ),
        run_baidu_sign,
    ),
    Task(
        "baidu:verify",
        gettext_noop("百度回调验签"),
        "Verify a Baidu callback",
        "001 支付回调 2",
        gettext_noop(
            "回调的所有 POST 参数（rsaSign 除外，空值也算）都参与签名；URL 里的 GET 参数不参与。"
        ),
        run_baidu_verify,
    ),
)

# workbench -> its local-mode run (本地计算): string1 here, the rsaSign in the browser.
LOCAL_RUNS = {"baidu:sign": run_baidu_sign_local}
