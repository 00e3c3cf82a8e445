"""Local mode (本地计算, issue 17): the server answers without the key, and what the browser sends
back (the outcome: match, recipes found) gives the same result as server mode.

The browser's half is tests/js/ (Node runs static/js/local/v2-search.js on the same cases); here
the outcome is Python's own ``reproducing`` — proven equal to the browser's there — so these tests
hold the server's two paths to one answer, case by case.
"""

from __future__ import annotations

import hashlib
import json
from html import unescape

import pytest

from diagnostics.core.params import parse_params
from diagnostics.wechat_v2.fields import PRESETS
from diagnostics.wechat_v2.recipes import reproducing
from diagnostics.wechat_v2.report import (
    LOCAL_SIGN_SLOT,
    LocalAnswer,
    LocalOutcome,
    build_report,
    full_plan_of,
)
from tests.diagnostics.wechat_v2.injected import cases, published_cases

CASES = [*published_cases(), *cases(23, 200)]


def summary(report):
    return {
        "match": report.match,
        "mistakes": [(m.codes, str(m.detail), m.string1, m.field) for m in report.mistakes],
        "findings": [f.code for f in report.findings],
        "string1": report.steps.string1,
        "excluded": [(e.name, e.reason) for e in report.steps.excluded],
    }


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{i}-{'+'.join(c.injected)}" for i, c in enumerate(CASES)]
)
def test_the_outcome_gives_the_server_modes_result(case):
    parsed, preset = parse_params(case.raw), PRESETS[case.preset]
    options = {"chosen_sign_type": case.sign_type or None, "expected_sign": case.expected_sign}
    server = build_report(parsed, case.key, preset, **options)

    first = build_report(parsed, "", preset, local=LocalAnswer(), **options)
    assert first.local_stage == "plan" and first.match is None and first.steps.sign == ""
    assert case.key not in json.dumps(first.local_plan, ensure_ascii=False)
    plan = full_plan_of(parsed, preset, **options)
    found = tuple(reproducing(plan, case.key)) if plan and server.match is False else ()
    data = first.local_plan
    outcome = LocalOutcome(server.match, found, data["plan_id"])
    answer = LocalAnswer(outcome=outcome, sign=server.steps.sign, digest=server.steps.digest)
    local = build_report(parsed, "", preset, local=answer, **options)

    assert local.local_stage == "outcome"
    assert summary(local) == summary(server)
    assert local.steps.sign == server.steps.sign
    assert local.corrected == server.corrected


def test_the_plan_stage_holds_what_the_browser_signs_with_and_no_sign():
    key = "Zq7Rk2Lm9Xv4Tb8Nc1Hd6Wf3Jg5Ps0Ae"
    parsed = parse_params("appid=wx1\nbody=中文\nsign=0123456789abcdef0123456789ABCDEF")
    report = build_report(parsed, "", PRESETS["free"], local=LocalAnswer())
    data = report.local_plan
    assert data["string1"] == "appid=wx1&body=中文" and data["sign_type"] == "MD5"
    assert data["expected"] == "0123456789abcdef0123456789ABCDEF"
    # GBK bytes travel as bytes (base64): the browser cannot encode GBK.
    gbk = [s["gbk"] for s in data["plan"]["strings"] if "gbk" in s]
    assert gbk and all(isinstance(value, str) for value in gbk)
    assert report.corrected.endswith(f"sign={LOCAL_SIGN_SLOT}")
    sign = hashlib.md5(f"appid=wx1&body=中文&key={key}".encode()).hexdigest().upper()
    assert sign not in json.dumps(data)


def test_an_outcome_for_other_inputs_is_not_taken():
    parsed = parse_params("appid=wx1\nsign=0123456789abcdef0123456789ABCDEF")
    stale = LocalAnswer(outcome=LocalOutcome(False, ((0, ""),), "0000000000000000"))
    report = build_report(parsed, "", PRESETS["free"], local=stale)
    assert report.local_stage == "plan" and report.match is None and report.mistakes == []


# --- The workbench's answers to a local-mode request -------------------------------------------

KEY = "Zq7Rk2Lm9Xv4Tb8Nc1Hd6Wf3Jg5Ps0Ae"
PARAMS = "appid=wx2421b1c4370ec43b\nmch_id=10000100\nnonce_str=abc\nbody=test"
STRING1 = "appid=wx2421b1c4370ec43b&body=test&mch_id=10000100&nonce_str=abc"
REAL_SIGN = hashlib.md5(f"{STRING1}&key={KEY}".encode()).hexdigest().upper()


def local_post(client, htmx: bool = True, **fields):
    data = {"mode": "local", "local_key": "ok", "raw": PARAMS, **fields}
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post("/wechat/v2/free/sign", data, **headers)


def plan_of(body: str) -> dict:
    start = body.index('data-json="') + len('data-json="')
    return json.loads(unescape(body[start : body.index('"', start)]))


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [True, False])
def test_without_the_key_the_answer_is_the_plan_and_says_it_computes_in_the_browser(client, htmx):
    response = local_post(client, htmx, expected_sign=REAL_SIGN.lower())
    body = response.content.decode()
    assert response.status_code == 200
    assert ("<html" in body) is not htmx
    assert 'data-local-stage="plan"' in body and "正在本机浏览器里计算签名" in body
    assert plan_of(body)["expected"] == REAL_SIGN.lower()
    assert REAL_SIGN not in body


@pytest.mark.django_db
def test_the_outcome_gives_the_mistake_card_without_the_key(client):
    body = local_post(client, expected_sign=REAL_SIGN.lower()).content.decode()
    plan = plan_of(body)
    # lowercase_digest alone: the correct string1, named suffix, the sign_type's algorithm.
    [index] = [
        i
        for i, (stage, string, tail, _at) in enumerate(plan["plan"]["recipes"])
        if stage == 1
        and plan["plan"]["strings"][string]["text"] == STRING1
        and plan["plan"]["tails"][tail]
        == {
            "suffix": "named",
            "key_before": "",
            "key_after": "",
            "algorithm": "MD5",
            "encoding": "utf-8",
        }
    ]
    outcome = json.dumps({"match": False, "found": [[index, ""]], "plan_id": plan["plan_id"]})
    response = local_post(client, expected_sign=REAL_SIGN.lower(), local_outcome=outcome)
    body = response.content.decode()
    assert 'data-local-stage="outcome"' in body
    assert 'data-code="lowercase_digest"' in body and "签名不一致" in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("local_key", "message"),
    [("missing", "请填写商户 API 密钥"), ("short", "密钥太短")],
)
def test_the_forms_key_checks_come_from_what_the_browser_says_of_the_key(
    client, local_key, message
):
    response = local_post(client, local_key=local_key)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "outcome", ["{", '{"match": "yes"}', json.dumps({"match": False, "found": [[1, ""]] * 11})]
)
def test_a_malformed_outcome_is_a_400_with_a_message(client, outcome):
    response = local_post(client, expected_sign=REAL_SIGN, local_outcome=outcome)
    assert response.status_code == 400
    assert "本地计算的结果格式不对" in response.content.decode()


@pytest.mark.django_db
def test_their_string_key_is_compared_in_the_browser(client):
    response = local_post(client, their_string=STRING1, their_key="spaced")
    assert "stringSignTemp 里的密钥多了空白字符" in response.content.decode()


@pytest.mark.django_db
def test_a_key_inside_the_params_is_not_used_in_local_mode_and_the_page_says_where_it_goes(client):
    response = local_post(client, local_key="missing", raw=PARAMS + "\nkey=" + KEY)
    body = response.content.decode()
    assert response.status_code == 400
    assert "本地计算只用密钥框里的密钥" in body
    assert KEY not in body
