"""Issue 15's tools attacked as a hostile user: what broke, each pinned by a test.

- A lone surrogate in a secret field (``"apiv3_key": "\\udfff…"``) made every JSON endpoint with
  such a field answer 500: the answer's last gate built the secret's URL-encoded forms and
  ``quote`` could not encode it.
- The key ring read every line of a 256 KiB paste (65,536 ``a=b`` lines: 1 s of CPU; 256 KiB of
  ``&``: 0.6 s; one 256 KiB word: 0.3 s in the builder-call pattern).
"""

from __future__ import annotations

import json
import time

import pytest

from diagnostics.wechat_v3.keyring import examine
from diagnostics.wechat_v3.keyring_paste import MAX_LINES

pytestmark = pytest.mark.django_db

LONE_SURROGATES = "\udfff" * 32  # json.dumps writes each as the escape \udfff
URL = "https://m.example/notify"


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("/api/v1/wechat/v3/simulate", {"kind": "payment", "mode": "public_key", "url": URL}),
        ("/api/v1/wechat/v2/simulate", {"kind": "payment", "url": URL}),
        ("/api/v1/wechat/v2/refund-notify/decrypt", {"req_info": "AAAA"}),
        ("/api/v1/wechat/v2/sign", {"params": "appid=wx1"}),
    ],
)
def test_a_lone_surrogate_in_a_secret_field_is_a_400_not_a_500(client, path, payload):
    name = "apiv3_key" if "v3" in path else "key"
    body = json.dumps({**payload, name: LONE_SURROGATES})
    response = client.post(path, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_text"


@pytest.mark.parametrize(
    "paste",
    [
        "a=b\n" * 65_536,  # 256 KiB of configuration lines
        "a=1" + "&" * 262_000 + "b=2",  # one query string of 262,000 parts
        "mchid=1900009191\n" + "a=b\n" * 50_000,
    ],
    ids=["lines", "ampersands", "lines after an mchid"],
)
def test_the_key_ring_reads_a_bounded_number_of_lines_and_says_so(paste):
    started = time.process_time()
    try:
        ring = examine([paste])
    except Exception as error:  # nothing recognised in the part read: the paste is refused
        assert getattr(error, "code", "") == "keyring_empty"
    else:
        assert "too_many_lines" in {finding.code for finding in ring.findings}
    # Reading all of it took 0.6–1 s of CPU; the first MAX_LINES take a few milliseconds.
    assert time.process_time() - started < 0.25


def test_lines_past_the_bound_are_not_read():
    paste = "\n".join(["a=b"] * (MAX_LINES - 1) + ["mchid=1900009191", "serial_no=" + "AB" * 20])
    ring = examine([paste])
    assert [item.kind for item in ring.items] == ["mchid"]
    assert "too_many_lines" in {finding.code for finding in ring.findings}


def test_many_texts_count_against_the_same_bound(client):
    items = ["1900009191"] * 5_000
    response = client.post(
        "/api/v1/wechat/v3/keyring", json.dumps({"items": items}), content_type="application/json"
    )
    assert response.status_code == 200
    assert "too_many_lines" in {finding["code"] for finding in response.json()["findings"]}


def test_a_builder_call_is_still_read_after_a_long_word():
    ring = examine(["x" * 200_000 + '\nbuilder.merchantId("1900009191").setMchSerialNo("1A")'])
    assert "mchid" in [item.kind for item in ring.items]
    started = time.process_time()
    examine(["a" * 262_000 + "(", "mchid=1900009191"])
    assert time.process_time() - started < 0.25
