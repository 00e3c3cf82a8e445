"""Issue 17: a share of a local-mode (本地计算) result says the sharer's browser computed it, as
the server had no key to check it; a server-mode share does not; an outcome that contradicts the
sign it posts is refused."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re

import pytest

from tests.web.test_sharing import share_link

pytestmark = pytest.mark.django_db

BROWSER_LINE = "此结果由分享者的浏览器计算（本地计算），服务器没有密钥，未复核。"
KEY = "192006250b4c09247ec02edce69f6a2d"
PAIRS = [("appid", "wxd930ea5d5a258f4f"), ("mch_id", "10000100"), ("nonce_str", "ibuaiVcK")]
RAW = "\n".join(f"{name}={value}" for name, value in PAIRS)


def md5_sign() -> str:
    """002 §3.2 by hand: sorted k=v&…, &key=, MD5, upper case."""
    string1 = "&".join(f"{name}={value}" for name, value in sorted(PAIRS))
    return hashlib.md5(f"{string1}&key={KEY}".encode()).hexdigest().upper()


def local_post(client, expected: str, match: bool, sign: str):
    base = {"raw": RAW, "sign_type": "MD5", "expected_sign": expected, "mode": "local"}
    base["local_key"] = "ok"
    plan = client.post("/wechat/v2/free/sign", base).content.decode()
    found = re.search(r'id="local-v2" hidden data-json="([^"]*)"', plan)
    data = json.loads(html.unescape(found[1]))
    outcome = {"match": match, "found": [], "plan_id": data["plan_id"]}
    forged = {**base, "local_outcome": json.dumps(outcome), "local_sign": sign, "share": "1"}
    return client.post("/wechat/v2/free/sign", forged)


def test_a_local_v2_share_says_the_browser_computed_it(client):
    response = local_post(client, md5_sign(), True, md5_sign())
    assert response.status_code == 200
    shared = client.get(share_link(response)).content.decode()
    assert 'data-verdict="match"' in shared and BROWSER_LINE in shared


def test_a_server_mode_v2_share_has_no_such_line(client):
    data = {"raw": RAW, "sign_type": "MD5", "expected_sign": md5_sign(), "key": KEY, "share": "1"}
    response = client.post("/wechat/v2/free/sign", data)
    shared = client.get(share_link(response)).content.decode()
    assert 'data-verdict="match"' in shared and BROWSER_LINE not in shared


@pytest.mark.parametrize(
    ("expected", "match"), [("0" * 32, True), ("SAME", False)], ids=["match", "no match"]
)
def test_an_outcome_contradicting_its_sign_is_refused(client, expected, match):
    expected = md5_sign() if expected == "SAME" else expected
    response = local_post(client, expected, match, md5_sign())
    assert response.status_code == 400
    assert "本地计算的结果与输入不一致" in response.content.decode()
    assert 'id="share-url-input"' not in response.content.decode()


NOTIFICATION = {
    "id": "EV-1",
    "resource_type": "encrypt-resource",
    "resource": {
        "algorithm": "AEAD_AES_256_GCM",
        "ciphertext": base64.b64encode(bytes(60)).decode(),
        "associated_data": "transaction",
        "nonce": "abcdefghijkl",
    },
}


def test_a_local_decryption_share_keeps_path_names_only_and_says_the_browser_did_it(client):
    posted = "out_trade_no\namount.total\npromotion_detail[0].amount\n请联系客服\n" + "x" * 65
    response = client.post(
        "/wechat/v3/decrypt/run",
        {
            "notification": json.dumps(NOTIFICATION),
            "mode": "local",
            "local_fields": posted,
            "share": "1",
        },
    )
    shared = client.get(share_link(response)).content.decode()
    for name in ("out_trade_no", "amount.total", "promotion_detail[0].amount"):
        assert name in shared
    assert "请联系客服" not in shared and "x" * 65 not in shared
    assert BROWSER_LINE in shared
