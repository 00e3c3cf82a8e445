"""The paste recogniser (diagnostics.core.inspect) against the corpus in inspect_corpus/: every
kind found and routed, parts in order, and no secret value in any route's fields."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from diagnostics.core.findings import ParseError
from diagnostics.core.inspect import KINDS, MAX_PARTS, inspect, straight
from diagnostics.core.params import MAX_INPUT_CHARS
from tests.web.keys import certificate_pem, private_pem, public_pem

CORPUS = Path(__file__).parent / "inspect_corpus"


def corpus() -> list[dict]:
    cases = []
    for path in sorted(CORPUS.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append({**case, "file": path.stem})
    return cases


def filled(text: str) -> str:
    """The corpus names keys by placeholder: no private key is committed."""
    return (
        text.replace("{PRIVATE_KEY}", private_pem().strip())
        .replace("{CERTIFICATE}", certificate_pem().strip())
        .replace("{PUBLIC_KEY}", public_pem().strip())
    )


def found(text: str) -> list[dict]:
    return [part.to_dict() for part in inspect(text).parts]


CASES = corpus()


def test_the_corpus_has_at_least_80_pastes_and_every_kind() -> None:
    assert len(CASES) >= 80
    expected = {part["kind"] for case in CASES for part in case["expect"]}
    assert set(KINDS) <= expected


@pytest.mark.parametrize("case", CASES, ids=[f"{c['file']}: {c['name']}" for c in CASES])
def test_each_paste_is_read_as_its_parts_in_order(case: dict) -> None:
    text = filled(case["text"])
    parts = found(text)
    got = [(p["kind"], p["platform"], p["route"]["page"]) for p in parts]
    want = [(e["kind"], e["platform"], e["page"]) for e in case["expect"]]
    assert got == want
    starts = [p["span"][0] for p in parts]
    assert starts == sorted(starts)
    for part in parts:
        start, end = part["span"]
        assert 0 <= start < end <= len(text)
        assert part["confidence"] in ("certain", "likely", "unsure")
        assert str(part["summary"])
        if part["confidence"] == "unsure" and part["kind"] != "error_text":
            assert 1 <= len(part["alternatives"]) <= 3


SECRETS = (
    "192006250b4c09247ec02edce69f6a2d",
    "0123456789abcdef0123456789abcdef",
)


@pytest.mark.parametrize("case", CASES, ids=[f"{c['file']}: {c['name']}" for c in CASES])
def test_no_secret_value_is_in_any_route(case: dict) -> None:
    text = filled(case["text"])
    answer = json.dumps(found(text), ensure_ascii=False)
    key_body = private_pem().strip().splitlines()[1]
    assert key_body not in answer
    for secret in SECRETS:
        assert secret not in answer


def test_secrets_are_kept_apart_for_the_fields_that_take_them() -> None:
    text = filled("{PRIVATE_KEY}\n\n") + json.dumps(
        {"code": "SIGN_ERROR", "message": "x", "detail": {"sign_information": {}}}
    )
    pem, sign_error = inspect(text).parts
    assert pem.secrets["private_key"].startswith("-----BEGIN PRIVATE KEY-----")
    assert sign_error.secrets["private_key"] == private_pem().strip()
    assert pem.to_dict()["route"]["secret_fields"] == ["private_key"]
    assert "private_key" not in sign_error.to_dict()["route"]["fields"]


def test_a_v2_key_pasted_with_the_notification_goes_to_the_key_field_only() -> None:
    text = (CORPUS / "mixed.yaml").read_text(encoding="utf-8")
    case = next(c for c in yaml.safe_load(text) if c["name"] == "V2 notification and the key")
    (part,) = inspect(case["text"]).parts
    assert part.secrets == {"key": "192006250b4c09247ec02edce69f6a2d"}
    assert part.to_dict()["route"]["secret_fields"] == ["key"]


def test_a_pay_call_without_sign_offers_both_readings() -> None:
    (part,) = inspect(
        '{"appId":"wx1","timeStamp":"1","nonceStr":"n","package":"prepay_id=p"}'
    ).parts
    assert part.confidence == "unsure"
    assert {part.page, *(alt["page"] for alt in part.alternatives)} == {
        "wechat_v3:pay-sign",
        "wechat_v2:jsapi",
    }


def test_empty_and_oversized_pastes_are_refused() -> None:
    with pytest.raises(ParseError):
        inspect("  \n ")
    with pytest.raises(ParseError):
        inspect("x" * (MAX_INPUT_CHARS + 1))


def test_the_number_of_parts_is_capped() -> None:
    text = "\n".join('{"code":"PARAM_ERROR","message":"参数错误"}' for _ in range(MAX_PARTS * 3))
    result = inspect(text)
    assert len(result.parts) == MAX_PARTS
    assert [f.code for f in result.findings] == ["too_many_parts"]


@pytest.mark.parametrize(
    "text",
    [
        "{" * 100_000,
        "curl '" + "a\n" * 50_000,
        "<xml>" * 40_000,
        "a=1&" * 60_000,
        '{"a":' * 50_000,
        "appid=wx1\nmch_id=1\n" * 14_000,  # one run of name=value lines too long to be a request
        "'a' => 'b',\n" * 20_000,
        "-----BEGIN CERTIFICATE-----\n" * 9_000,  # BEGIN lines with no END
        "HTTP/1.1 401 x\n" * 17_000,  # start lines with no head or body
        "curl x " * 37_000,  # one line of curl words, no command among them
    ],
)
def test_hostile_pastes_are_read_to_an_answer(text: str) -> None:
    """Each is read without an error and answers at least one part (its cost is printed by
    bench/bench_inspect.py, not timed here)."""
    assert inspect(text[:MAX_INPUT_CHARS]).parts


def test_a_request_and_the_401_it_got_are_both_used() -> None:
    case = next(c for c in CASES if c["name"] == "whole HTTP exchange: APIv3 request and 401")
    request, sign_error = inspect(case["text"]).parts
    assert sign_error.page == "wechat_v3:sign"
    assert sign_error.fields["url"] == "/v3/pay/transactions/jsapi"
    assert sign_error.fields["timestamp"] == "1554208460"
    assert sign_error.fields["sign_error"].startswith('{"code":"SIGN_ERROR"')
    assert request.fields["authorization"].startswith("WECHATPAY2-SHA256-RSA2048 ")


def test_a_paste_of_nothing_but_openers_is_read_only_so_far_and_says_so():
    """Each "{" starts a part that never closes; past a bound the rest is left unread (the work
    stays bounded: 250 KiB of "{" took 260 ms of CPU before, 60 ms after)."""
    result = inspect("{" * 5000)
    assert "too_many_starts" in [finding.code for finding in result.findings]


V3_NOTIFY = json.dumps(
    {
        "id": "EV-1",
        "resource": {
            "algorithm": "AEAD_AES_256_GCM",
            "ciphertext": "QUJD",
            "associated_data": "transaction",
            "nonce": "fdasflkja484",
        },
    }
)
HEADERS = "Wechatpay-Timestamp: 1554209980\nWechatpay-Nonce: n1\nWechatpay-Signature: QUJD\n"


def test_a_notification_with_headers_leads_with_verification_and_offers_decryption() -> None:
    (part,) = inspect(HEADERS + "\n" + V3_NOTIFY).parts
    assert part.page == "wechat_v3:verify"
    assert part.fields["timestamp"] == "1554209980" and part.fields["body"] == V3_NOTIFY
    (decrypt,) = part.alternatives
    assert decrypt["page"] == "wechat_v3:decrypt"
    assert decrypt["fields"]["nonce"] == "fdasflkja484"
    assert decrypt["fields"]["associated_data"] == "transaction"
    assert decrypt["fields"]["ciphertext"] == "QUJD"
    assert straight([part]) is None  # neither page can finish: both are offered


def test_the_page_the_paste_can_finish_leads_with_its_secret() -> None:
    text = HEADERS + "\n" + V3_NOTIFY + "\napiv3_key=" + SECRETS[1]
    (part,) = inspect(text).parts
    assert part.page == "wechat_v3:decrypt"
    assert part.secrets_for(None) == {"apiv3_key": SECRETS[1]}
    assert part.alternatives[0]["page"] == "wechat_v3:verify"
    assert part.secrets_for(0) == {}
    assert straight([part]) is part


def test_a_certificate_beside_what_it_verifies_is_that_parts_input() -> None:
    text = HEADERS + "\n" + V3_NOTIFY + "\n\n" + certificate_pem()
    notification, pem = inspect(text).parts
    assert notification.page == "wechat_v3:verify"
    assert notification.fields["public_key"].startswith("-----BEGIN CERTIFICATE-----")
    assert pem.taken and not notification.taken
    assert straight([notification, pem]) is notification
    alone = inspect(certificate_pem()).parts
    assert not alone[0].taken and straight(alone) is alone[0]


JAVA_TRACE = (
    "com.wechat.pay.java.core.exception.ValidationException: 验签失败\n"
    "\tat com.wechat.pay.java.core.x(A.java:1)"
)
PYTHON_TRACE = (
    'Traceback (most recent call last):\n  File "/x/wechatpy/pay/base.py", line 3, in f\n'
    "wechatpy.exceptions.InvalidSignatureException: sign"
)


@pytest.mark.parametrize(
    ("text", "named"), [(JAVA_TRACE, "wechatpay-java"), (PYTHON_TRACE, "wechatpy")]
)
def test_a_trace_names_its_sdk(text: str, named: str) -> None:
    (part,) = inspect(text).parts
    assert part.kind == "stack_trace"
    assert named in str(part.summary)


def test_a_long_run_of_wechatpay_header_lines_is_read_as_header_blocks():
    # Past http.client's 100 headers a block was refused, and each of its lines tried again.
    text = "Wechatpay-Serial: 5157F09EFDC096DE\n" * 300
    parts = inspect(text).parts
    line = len("Wechatpay-Serial: 5157F09EFDC096DE\n")
    assert (parts[0].kind, parts[0].span) == ("wechatpay_headers", (0, 50 * line - 1))
    assert {part.kind for part in parts} == {"wechatpay_headers"}
