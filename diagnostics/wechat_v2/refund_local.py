"""Local mode (本地计算) of the V2 refund notification page: the plan the browser runs with the API
key it keeps (static/js/local/refund.js, aes-ecb.js), and reading back what it posts — the
decrypted plaintext (the refund's data, not the key) or which slips opened req_info.
"""

from __future__ import annotations

import base64
import json

from diagnostics.core.findings import Finding
from diagnostics.core.text import _
from diagnostics.core.workbench import Values
from diagnostics.wechat_v2.refund_notify import (
    DERIVATIONS,
    MAX_KEY_CHARS,
    SOURCE,
    Pasted,
    RefundNotification,
    ReqInfoError,
    key_too_long_error,
    page_values,
    plan_req_info,
    plus_as_space_error,
    read_pasted,
    read_plaintext,
    search_error,
    with_pasted,
)


def error_values(error: ReqInfoError) -> Values:
    """An error as the browser shows it."""
    return {"code": error.code, "message": error.message}


def local_plan(pasted: Pasted) -> Values:
    """What local mode's browser (static/js/local/refund.js) needs to run the plan with the key it
    keeps: the plan's bytes in Base64, DERIVATIONS, and the sentences of the key-independent
    outcomes; no secret (the request's own input and what follows from it)."""
    plan: Values = {"ciphertext": "", "repaired": "", "failure": None}
    try:
        found = plan_req_info(pasted.req_info)
    except ReqInfoError as error:
        plan["failure"] = error_values(error)
    else:
        plan["ciphertext"] = base64.b64encode(found.ciphertext).decode("ascii")
        if found.repaired is not None:
            plan["repaired"] = base64.b64encode(found.repaired).decode("ascii")
        if found.failure is not None:
            plan["failure"] = error_values(found.failure)
    return plan | {
        "derivations": [[item.code, item.text, item.form] for item in DERIVATIONS],
        "max_key_chars": MAX_KEY_CHARS,
        "key_long": error_values(key_too_long_error()),
        "plus_as_space": error_values(plus_as_space_error()),
    }


_CODES = {item.code for item in DERIVATIONS}


def local_outcome_error(outcome: str) -> ReqInfoError:
    """The wrong-key error from what local mode's browser posts when the documented key did not
    open req_info: ``{"opened": [codes], "tried": [codes], "key_length": n}`` (JSON)."""
    try:
        data = json.loads(outcome)
        opened = [code for code in data["opened"] if code in _CODES]
        tried = [code for code in data["tried"] if code in _CODES]
        key_length = int(data["key_length"])
    except (ValueError, TypeError, KeyError):
        return ReqInfoError("local_outcome", _("浏览器发回的解密结果无法读取，请重新计算。"))
    return search_error(opened, tried, max(0, min(key_length, MAX_KEY_CHARS)))


def run_refund_notify_local(values: Values) -> Values:
    """Local mode (本地计算): the first request gets the plan (``local``), which the browser runs
    with the API key it keeps; the second posts the plaintext it found (the refund's data, not the
    key) or the slips' outcome, read here as in server mode. The server cannot check a posted
    plaintext without the key: the page says the browser decrypted it (req_info_decrypted_locally)."""
    pasted = read_pasted(values["notification"])
    if values.get("local_outcome"):
        raise local_outcome_error(values["local_outcome"])
    plaintext = values.get("local_plaintext") or ""
    if not plaintext:
        return {"local": {"refund": local_plan(pasted)}}
    decrypted = read_plaintext(plaintext)
    local = Finding(
        "req_info_decrypted_locally",
        _("解密由你的浏览器完成：API 密钥没有发给服务器，服务器只收到解密后的明文并按它来显示。"),
        SOURCE,
    )
    refund = with_pasted(decrypted, pasted)
    refund = RefundNotification(
        refund.plaintext, refund.fields, refund.outer, (local, *refund.findings)
    )
    return page_values(refund)
