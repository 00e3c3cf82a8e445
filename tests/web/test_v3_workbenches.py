from __future__ import annotations

import base64
import json
import re
import time
from html import unescape

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tests.web import keys

PAGES = [
    "/wechat/v3/sign/",
    "/wechat/v3/authorization/",
    "/wechat/v3/verify/",
    "/wechat/v3/decrypt/",
    "/wechat/v3/pay-sign/",
    "/baidu/sign/",
    "/baidu/verify/",
    "/lint/",
    "/wechat/v2/refund-notify/",
    "/wechat/v3/keyring/",
    "/wechat/v3/sensitive/",
    "/wechat/v3/simulate/",
    "/wechat/v2/simulate/",
]
APIV3_KEY = "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gH"  # 32 characters, made up


def pre_text(body: str, element_id: str) -> str:
    match = re.search(rf'<pre[^>]*id="{element_id}"[^>]*>(.*?)</pre>', body, re.S)
    assert match, element_id
    return unescape(match.group(1))


@pytest.mark.parametrize("url", PAGES)
def test_every_workbench_page_has_a_form_that_works_with_and_without_htmx(client, url):
    body = client.get(url).content.decode()
    run = url.rstrip("/") + "/run" if url != "/lint/" else "/lint/run"
    assert f'action="{run}"' in body and f'hx-post="{run}"' in body and 'method="post"' in body
    assert 'hx-history="false"' in body


def test_unknown_workbench_is_404(client):
    assert client.get("/wechat/v3/nope/").status_code == 404


def test_v3_sign_builds_a_signature_that_verifies_and_never_echoes_the_key(client):
    body = '{"combine_appid":"wxd678efh567hg6787"}'
    data = {
        "method": "POST",
        "url": "/v3/combine-transactions/app",
        "timestamp": "1554208460",
        "nonce": "593BEC0C930BF1AFEB40B4A08C8FB242",
        "body": body,
        "private_key": keys.private_pem(),
        "mchid": "1900000001",
        "serial_no": "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C",
    }
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.post("/wechat/v3/sign/run", data, **headers)
        page = response.content.decode()
        assert response.status_code == 200
        message = f"POST\n/v3/combine-transactions/app\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n{body}\n"
        signature = pre_text(page, "signature")
        assert keys.verify(message, signature)
        assert f'signature="{signature}"' in pre_text(page, "authorization")
        assert "PRIVATE KEY" not in page
        assert "no-store" in response["Cache-Control"]
    assert "<html" not in page


def test_v3_sign_finds_the_query_string_left_out_of_the_signed_url(client):
    url = "/v3/pay/transactions/id/1217752501201407033233368018?mchid=1230000109"
    theirs = keys.sign_sha256(
        "GET\n/v3/pay/transactions/id/1217752501201407033233368018\n1554208460\nN1\n\n"
    )
    data = {
        "method": "GET",
        "url": url,
        "timestamp": "1554208460",
        "nonce": "N1",
        "body": "",
        "private_key": keys.private_pem(),
        "their_signature": theirs,
    }
    page = client.post("/wechat/v3/sign/run", data, HTTP_HX_REQUEST="true").content.decode()
    assert "找到了复现你签名的差异" in page
    # The card marks the query string the merchant's message lacks.
    ours = re.search(r'<pre class="diff-line" data-diff="ours">(.*?)</pre>', page, re.S).group(1)
    assert "?mchid=1230000109" in unescape(re.sub(r"</?mark[^>]*>", "", ours))
    assert '<mark class="ins">' in ours


def test_a_damaged_private_key_is_a_400_with_a_readable_message(client):
    data = {
        "method": "POST",
        "url": "/v3/x",
        "private_key": "-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----",
    }
    response = client.post("/wechat/v3/sign/run", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "输入有问题" in response.content.decode()


def test_verify_a_notification_with_the_platform_certificate(client):
    body = '{"id":"EV-2018022511223320873","event_type":"TRANSACTION.SUCCESS"}'
    timestamp = int(time.time())  # fresh: a stale one is refused (tests/web/test_v3_freshness.py)
    signature = keys.sign_sha256(f"{timestamp}\nNONCE123\n{body}\n")
    headers = (
        f"Wechatpay-Timestamp: {timestamp}\nWechatpay-Nonce: NONCE123\n"
        f"Wechatpay-Signature: {signature}\nWechatpay-Serial: 5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
    )
    data = {"headers": headers, "body": body, "public_key": keys.certificate_pem()}
    page = client.post("/wechat/v3/verify/run", data).content.decode()
    assert "签名验证通过" in page
    tampered = client.post(
        "/wechat/v3/verify/run", {**data, "body": json.dumps(json.loads(body))}
    ).content.decode()
    assert "签名验证不通过" in tampered
    # The body was re-serialised with spaces: worded as WeChat Pay's signature, not a mistake of yours.
    assert "微信支付的签名不能按这里的内容验证通过，但按下面的差异可以" in tampered
    assert "你的签名能这样复现" not in tampered


def test_decrypt_a_notification_and_name_the_cause_of_a_failure(client):
    plaintext = '{"out_trade_no":"1217752501201407033233368018","trade_state":"SUCCESS"}'
    nonce = "fdasflkja484"
    ciphertext = AESGCM(APIV3_KEY.encode()).encrypt(
        nonce.encode(), plaintext.encode(), b"transaction"
    )
    notification = json.dumps(
        {
            "resource": {
                "algorithm": "AEAD_AES_256_GCM",
                "ciphertext": base64.b64encode(ciphertext).decode(),
                "associated_data": "transaction",
                "nonce": nonce,
            }
        }
    )
    response = client.post(
        "/wechat/v3/decrypt/run", {"notification": notification, "apiv3_key": APIV3_KEY}
    )
    page = response.content.decode()
    assert json.loads(pre_text(page, "plaintext")) == json.loads(plaintext)  # pretty-printed
    assert APIV3_KEY not in page
    short = client.post(
        "/wechat/v3/decrypt/run", {"notification": notification, "apiv3_key": APIV3_KEY[:-1]}
    )
    assert short.status_code == 400 and "31" in short.content.decode()
    assert APIV3_KEY[:-1] not in short.content.decode()


def test_jsapi_pay_sign_is_computed_over_the_four_lines(client):
    params = json.dumps(
        {
            "appId": "wx2421b1c4370ecxxx",
            "timeStamp": "1395712654",
            "nonceStr": "e61463f8efa94090b1f366cccfbbb444",
            "package": "prepay_id=up_wx21201855730335ac86f8c43d1889123400",
            "signType": "RSA",
        }
    )
    page = client.post(
        "/wechat/v3/pay-sign/run",
        {"scene": "jsapi", "params": params, "private_key": keys.private_pem()},
    ).content.decode()
    message = (
        "wx2421b1c4370ecxxx\n1395712654\ne61463f8efa94090b1f366cccfbbb444\n"
        "prepay_id=up_wx21201855730335ac86f8c43d1889123400\n"
    )
    assert keys.verify(message, pre_text(page, "pay-sign"))


def test_baidu_sign_and_verify(client):
    params = "appKey=MMMabc&dealId=470193086&tpOrderId=3028903626&totalAmount=11300"
    page = client.post(
        "/baidu/sign/run", {"params": params, "private_key": keys.private_pem()}
    ).content.decode()
    rsa_sign = pre_text(page, "rsa-sign")
    assert keys.verify(
        "appKey=MMMabc&dealId=470193086&totalAmount=11300&tpOrderId=3028903626",
        rsa_sign,
        hashes.SHA1(),
    )

    callback = "a=1&b=&orderId=800020&rsaSign=" + keys.sign_sha1("a=1&b=&orderId=800020")
    page = client.post(
        "/baidu/verify/run", {"params": callback, "public_key": keys.public_pem()}
    ).content.decode()
    assert "回调验签通过" in page


def test_lint_reports_a_bad_combine_out_trade_no_with_its_source(client):
    body = json.dumps({"combine_out_trade_no": "P#1", "combine_appid": "wx1", "combine_mchid": "1"})
    page = client.post("/lint/run", {"api": "combine-app", "body": body}).content.decode()
    assert "combine_out_trade_no" in page and "微信支付 APIv3《App 合单下单》" in page


def test_no_workbench_logs_a_secret(client, caplog):
    caplog.set_level("DEBUG")
    client.post(
        "/wechat/v3/sign/run", {"method": "POST", "url": "/v3/x", "private_key": keys.private_pem()}
    )
    client.post(
        "/wechat/v3/decrypt/run", {"ciphertext": "AAAA", "nonce": "n", "apiv3_key": APIV3_KEY}
    )
    assert "PRIVATE KEY" not in caplog.text and APIV3_KEY not in caplog.text


def test_baidu_order_info_signs_four_fields_and_checks_biz_info_and_amounts(client):
    order_info = json.dumps(
        {
            "appKey": "MMMabc",
            "dealId": "470193086",
            "tpOrderId": "3028903626",
            "totalAmount": "1.00",
            "dealTitle": "t",
            "signFieldsRange": "1",
            "bizInfo": {"tpData": {}},
        }
    )
    data = {"mode": "order_info", "params": order_info, "private_key": keys.private_pem()}
    page = client.post("/baidu/sign/run", data).content.decode()
    assert (
        pre_text(page, "string1")
        == "appKey=MMMabc&dealId=470193086&totalAmount=1.00&tpOrderId=3028903626"
    )
    assert 'data-code="biz_info_not_string"' in page
    assert 'data-code="amount_decimal"' in page
    everything = client.post("/baidu/sign/run", {**data, "mode": "all"}).content.decode()
    assert "dealTitle=t" in pre_text(everything, "string1")


def test_v3_sign_says_whether_key_and_certificate_are_a_pair_and_checks_the_serial(client):
    data = {
        "method": "GET",
        "url": "/v3/certificates",
        "private_key": keys.private_pem(),
        "certificate": keys.certificate_pem(),
        "serial_no": "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C",
    }
    page = client.post("/wechat/v3/sign/run", data).content.decode()
    assert 'data-code="key_pair"' in page
    assert 'data-code="serial_no_not_this_certificate"' in page
    other = keys.other_certificate_pem()
    page = client.post("/wechat/v3/sign/run", {**data, "certificate": other}).content.decode()
    assert 'data-code="key_pair_mismatch"' in page


def test_baidu_sign_gives_the_order_info_with_the_right_rsa_sign(client):
    params = {"appKey": "MMMabc", "dealId": "470193086", "totalAmount": "1", "tpOrderId": "2019"}
    page = client.post(
        "/baidu/sign/run",
        {"params": json.dumps(params), "private_key": keys.private_pem(), "expected_sign": "c2ln"},
    ).content.decode()
    corrected = json.loads(pre_text(page, "corrected"))
    string1 = "appKey=MMMabc&dealId=470193086&totalAmount=1&tpOrderId=2019"
    assert {k: v for k, v in corrected.items() if k != "rsaSign"} == params
    assert keys.verify(string1, corrected["rsaSign"], hashes.SHA1())


def test_an_apiv3_error_answer_pasted_as_the_body_is_named_with_its_diagnosis(client):
    answer = '{"code":"PARAM_ERROR","message":"参数错误"}'
    page = client.post(
        "/wechat/v3/sign/run",
        {"method": "POST", "url": "/v3/x", "body": answer, "private_key": keys.private_pem()},
    ).content.decode()
    assert "请求体里是微信支付的错误应答" in page
    assert "/diagnose?q=PARAM_ERROR" in page and "platform=wechat_v3" in page


def test_an_authorization_header_with_empty_mchid_and_serial_no_is_flagged(client):
    page = client.post(
        "/wechat/v3/sign/run",
        {"method": "POST", "url": "/v3/x", "body": "{}", "private_key": keys.private_pem()},
    ).content.decode()
    assert page.count('data-code="authorization_field_empty"') == 2
    assert 'mchid=""' in unescape(pre_text(page, "authorization"))


def test_an_authorization_that_verifies_over_a_refused_header_is_not_green(client):
    import time

    timestamp = str(int(time.time()))
    message = f"POST\n/v3/x\n{timestamp}\nNONCE123\n{{}}\n"
    signature = keys.sign_sha256(message)
    header = (
        f'WECHATPAY2-SHA256-RSA2048 mchid="",nonce_str="NONCE123",'
        f'signature="{signature}",timestamp="{timestamp}",serial_no="1234"'
    )
    page = client.post(
        "/wechat/v3/authorization/run",
        {
            "authorization": header,
            "method": "POST",
            "url": "/v3/x",
            "body": "{}",
            "public_key": keys.certificate_pem(),
        },
    ).content.decode()
    assert 'class="verdict good"' not in page and 'data-verdict="consistent_but_refused"' in page
