"""Writes the inspect corpus (*.yaml beside this file) from the hand-written pastes below and the noise
wrappers: `python tests/diagnostics/core/inspect_corpus/build.py`. Keys are placeholders the test fills."""

# ruff: noqa: E501, E702, E731  (data: the pastes are long lines as merchants paste them)
import json
import pathlib

import yaml

OUT = pathlib.Path(__file__).parent

UO = (
    "<xml><appid>wx2421b1c4370ec43b</appid><attach>支付测试</attach><body>JSAPI支付测试</body>"
    "<mch_id>10000100</mch_id><nonce_str>1add1a30ac87aa2db72f57a2375d8fec</nonce_str>"
    "<notify_url>https://wxpay.example.com/pay/notify</notify_url><openid>oUpF8uMuAJO_M2pxb1Q9zNjWeS6o</openid>"
    "<out_trade_no>1415659990</out_trade_no><spbill_create_ip>14.23.150.211</spbill_create_ip>"
    "<total_fee>1</total_fee><trade_type>JSAPI</trade_type><sign>0CB01533B8C1EF103065174F50BCA001</sign></xml>"
)
UO_NOSIGN = UO.replace("<sign>0CB01533B8C1EF103065174F50BCA001</sign>", "")
UO_QUERY = (
    "appid=wx2421b1c4370ec43b&body=test&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA"
    "&notify_url=https://wxpay.example.com/notify&out_trade_no=20261128001&spbill_create_ip=127.0.0.1"
    "&total_fee=100&trade_type=NATIVE&product_id=12235413214070356458058&sign=9A0A8659F005D6984697E2CA0A9CF3B7"
)
UO_LINES = (
    "appid=wxd930ea5d5a258f4f\nmch_id=10000100\ndevice_info=1000\nbody=test\nnonce_str=ibuaiVcKdpRxkhJA\n"
    "out_trade_no=20261128002\ntotal_fee=1\nspbill_create_ip=127.0.0.1\nnotify_url=https://a.example.com/n\ntrade_type=APP"
)
UO_JSON = (
    '{"appid":"wx2421b1c4370ec43b","mch_id":"10000100","nonce_str":"5K8264ILTKCH16CQ2502SI8ZNMTM67VS",'
    '"body":"腾讯充值中心-QQ会员充值","out_trade_no":"20150806125346","total_fee":"888",'
    '"spbill_create_ip":"123.12.12.123","notify_url":"https://www.example.com/wxpay/notify","trade_type":"JSAPI",'
    '"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o","sign_type":"MD5","sign":"C380BEC2BFD727A4B6845133519F3AD6"}'
)
PARTNER_UO = (
    "<xml><appid>wx8888888888888888</appid><mch_id>1900000109</mch_id><sub_appid>wx1234567890abcdef</sub_appid>"
    "<sub_mch_id>1900000110</sub_mch_id><nonce_str>5K8264ILTKCH16CQ2502SI8ZNMTM67VS</nonce_str><body>服务商下单</body>"
    "<out_trade_no>P20261128</out_trade_no><total_fee>10</total_fee><spbill_create_ip>8.8.8.8</spbill_create_ip>"
    "<notify_url>https://sp.example.com/n</notify_url><trade_type>JSAPI</trade_type><sub_openid>oSub123</sub_openid>"
    "<sign>8E4F2A6B1C3D5E7F9A0B2C4D6E8F0A1B</sign></xml>"
)
REFUND = (
    "<xml><appid>wx2421b1c4370ec43b</appid><mch_id>10000100</mch_id><nonce_str>6cefdb308e1e2e8aabd48cf79e546a02</nonce_str>"
    "<out_refund_no>1415701182</out_refund_no><out_trade_no>1415757673</out_trade_no><refund_fee>1</refund_fee>"
    "<total_fee>1</total_fee><transaction_id>4006252001201705123297353072</transaction_id>"
    "<sign>FE56DD4AA85C0EECA82C35595A69E153</sign></xml>"
)
ORDERQUERY = (
    "<xml><appid>wx2421b1c4370ec43b</appid><mch_id>10000100</mch_id><nonce_str>ec2316275641faa3aacf3cc599e8730f</nonce_str>"
    "<transaction_id>1008450740201411110005820873</transaction_id><sign>FDD167FAA73459FD921B144BAF4F4CA2</sign></xml>"
)
DOWNLOADBILL = "appid=wx2421b1c4370ec43b&bill_date=20261127&bill_type=ALL&mch_id=10000100&nonce_str=21df7dc9cd8616b56919f20d9f679233"
REFUNDQUERY = (
    "<xml><appid>wx2421b1c4370ec43b</appid><mch_id>10000100</mch_id><nonce_str>0b9f35f484df17a732e537c37708d1d0</nonce_str>"
    "<out_refund_no></out_refund_no><out_trade_no>1415757673</out_trade_no></xml>"
)
REPLY_SIGNERROR = (
    "<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg>"
    "<appid><![CDATA[wx2421b1c4370ec43b]]></appid><mch_id><![CDATA[10000100]]></mch_id>"
    "<result_code><![CDATA[FAIL]]></result_code><err_code><![CDATA[SIGNERROR]]></err_code>"
    "<err_code_des><![CDATA[签名错误]]></err_code_des></xml>"
)
REPLY_FAIL = "<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[签名错误]]></return_msg></xml>"
REPLY_NOAUTH = (
    "<xml><return_code>SUCCESS</return_code><result_code>FAIL</result_code><err_code>NOAUTH</err_code>"
    "<err_code_des>商户无此接口权限</err_code_des></xml>"
)
REPLY_MCHID = (
    "<xml><return_code>FAIL</return_code><return_msg>appid和mch_id不匹配</return_msg></xml>"
)
REPLY_OK = (
    "<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg>"
    "<appid><![CDATA[wx2421b1c4370ec43b]]></appid><mch_id><![CDATA[10000100]]></mch_id>"
    "<nonce_str><![CDATA[IITRi8Iabbblz1Jc]]></nonce_str><sign><![CDATA[7921E432F65EB8ED0CE9755F0E86D72F]]></sign>"
    "<result_code><![CDATA[SUCCESS]]></result_code><prepay_id><![CDATA[wx201411101639507cbf6ffd8b0779950874]]></prepay_id>"
    "<trade_type><![CDATA[JSAPI]]></trade_type></xml>"
)
REPLY_LINES = "return_code=SUCCESS\nresult_code=FAIL\nerr_code=ORDERPAID\nerr_code_des=该订单已支付"
NOTIFY = (
    "<xml><appid><![CDATA[wx2421b1c4370ec43b]]></appid><attach><![CDATA[支付测试]]></attach><bank_type><![CDATA[CFT]]></bank_type>"
    "<fee_type><![CDATA[CNY]]></fee_type><is_subscribe><![CDATA[Y]]></is_subscribe><mch_id><![CDATA[10000100]]></mch_id>"
    "<nonce_str><![CDATA[5d2b6c2a8db53831f7eda20af46e531c]]></nonce_str><openid><![CDATA[oUpF8uMEb4qRXf22hE3X68TekukE]]></openid>"
    "<out_trade_no><![CDATA[1409811653]]></out_trade_no><result_code><![CDATA[SUCCESS]]></result_code>"
    "<return_code><![CDATA[SUCCESS]]></return_code><sign><![CDATA[B552ED6B279343CB493C5DD0D78AB241]]></sign>"
    "<time_end><![CDATA[20140903131540]]></time_end><total_fee>1</total_fee><trade_type><![CDATA[JSAPI]]></trade_type>"
    "<transaction_id><![CDATA[1004400740201409030005092168]]></transaction_id></xml>"
)
REFUND_NOTIFY = (
    "<xml><return_code>SUCCESS</return_code><appid><![CDATA[wx2421b1c4370ec43b]]></appid>"
    "<mch_id><![CDATA[10000100]]></mch_id><nonce_str><![CDATA[TeqClE3i0mvn3DrK]]></nonce_str>"
    "<req_info><![CDATA[T87GAHG17TGAHG1TGHAHAHA1Y1CIOA9UGJH1GAHV871HAGAGQYQQPOOJMXNBCXBVNMNMAJAA]]></req_info></xml>"
)
JSAPI_MD5 = (
    '{"appId":"wx2421b1c4370ec43b","timeStamp":"1395712654","nonceStr":"e61463f8efa94090b1f366cccfbbb444",'
    '"package":"prepay_id=u802345jgfjsdfgsdg888","signType":"MD5","paySign":"70EA570631E4BB79628FBCA90534C63FF7FADD89"}'
)
JSAPI_MD5 = JSAPI_MD5.replace(
    "70EA570631E4BB79628FBCA90534C63FF7FADD89", "70EA570631E4BB79628FBCA90534C63F"
)
LONG_SIGN = "oR9d8PuhnIc+YZ8cBHFCwfgpaK9gd7vaRvkYD7rthRAZ/X+QBhcCYL21N7cHCTUxbQ+EAt6Uy+lwSN22f5YZvI45MLko8Pfso0jm46v5hqcVwrk6uddkGuT+Cdvu4WBqDzaDjnNa5UK3GfE1Wfl2gHxIIY5lLdUgWFts17D4WuolLLkiFZV+JSHMvH7eaLdT9N5GBovBwu5yYKUR7skR8Fu+LozcSqQixnlEZUfyE55feLOQTUYzLmR9pNtPbPsu6WVhbNHMS3Ss2+AehHvz+n64GDmXxbX++IOBvm2olHu3PsOUGRwhudhVf7UcGcunXt8cqNjKNqZLhLw4jq/xDg=="
JSAPI_RSA_JS = (
    "wx.requestPayment({\n  timeStamp: '1414561699',\n  nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',\n"
    "  package: 'prepay_id=wx201410272009395522657a690389285100',\n  signType: 'RSA',\n"
    f"  paySign: '{LONG_SIGN}',\n}})"
)
JSAPI_RSA_BARE = (
    "{\n  appId: 'wx8888888888888888',\n  timeStamp: '1414561699',\n  nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',\n"
    "  package: 'prepay_id=wx201410272009395522657a690389285100',\n  signType: 'RSA',\n"
    f"  paySign: '{LONG_SIGN}'\n}}"
)
JSAPI_NOSIGN = (
    '{"appId":"wx8888888888888888","timeStamp":"1414561699","nonceStr":"5K8264ILTKCH16CQ2502SI8ZNMTM67VS",'
    '"package":"prepay_id=wx201410272009395522657a690389285100"}'
)
APP_V2 = (
    '{"appid":"wxb4ba3c02aa476ea1","partnerid":"1900006771","prepayid":"wx271552452361234567890",'
    '"package":"Sign=WXPay","noncestr":"5K8264ILTKCH16CQ2502SI8ZNMTM67VS","timestamp":"1412000000",'
    '"sign":"C380BEC2BFD727A4B6845133519F3AD6"}'
)
APP_V3 = (
    '{"appid":"wx8888888888888888","partnerid":"1900000109","prepayid":"WX1217752501201407033233368018",'
    '"package":"Sign=WXPay","noncestr":"5K8264ILTKCH16CQ2502SI8ZNMTM67VS","timestamp":"1412000000",'
    f'"sign":"{LONG_SIGN}"}}'
)
AUTH = (
    'WECHATPAY2-SHA256-RSA2048 mchid="1900009191",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",'
    f'signature="{LONG_SIGN}",timestamp="1554208460",serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"'
)
V3_BODY = (
    '{"appid":"wxd678efh567hg6787","mchid":"1230000109","description":"Image形象店-深圳腾大-QQ公仔",'
    '"out_trade_no":"1217752501201407033233368018","notify_url":"https://www.weixin.qq.com/wxpay/pay.php",'
    '"amount":{"total":100,"currency":"CNY"},"payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}'
)
RAW_V3 = (
    "POST /v3/pay/transactions/jsapi HTTP/1.1\nHost: api.mch.weixin.qq.com\nAccept: application/json\n"
    f"Content-Type: application/json\nAuthorization: {AUTH}\n\n{V3_BODY}"
)
CURL_V3 = (
    "curl -X POST \\\n  https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi \\\n"
    f"  -H 'Authorization: {AUTH}' \\\n  -H 'Accept: application/json' \\\n"
    f"  -H 'Content-Type: application/json' \\\n  -d '{V3_BODY}'"
)
CURL_GET = (
    "curl https://api.mch.weixin.qq.com/v3/certificates -H 'Accept: application/json' "
    f"-H 'Authorization: {AUTH}'"
)
SIGN_401 = (
    '{"code":"SIGN_ERROR","detail":{"detail":{"issue":"sign not match"},"field":"signature","location":"authorization",'
    '"sign_information":{"method":"POST","sign_message_length":274,"truncated_sign_message":"POST\\n/v3/pay/transactions/jsapi\\n1554208460\\n593BEC0C930BF1AFEB40B4A08C8FB242\\n{\\"appid\\"\\n",'
    '"url":"/v3/pay/transactions/jsapi"}},"message":"签名错误，请检查后再试"}'
)
RESP_401 = f"HTTP/1.1 401 Unauthorized\nServer: nginx\nContent-Type: application/json; charset=utf-8\nRequest-ID: 08F4D4F6D10610BE0118B7C8A8A6062082E702\n\n{SIGN_401}"
ERR_PARAM = '{"code":"PARAM_ERROR","message":"参数错误","detail":{"field":"/amount/total","value":"0","issue":"必须大于0","location":"body"}}'
ERR_MCH = '{"code":"APPID_MCHID_NOT_MATCH","message":"appid和mch_id不匹配"}'
ERR_NOTENOUGH = '{\n  "code": "NOT_ENOUGH",\n  "message": "用户账户余额不足"\n}'
RESP_400 = f"HTTP/1.1 400 Bad Request\nContent-Type: application/json\n\n{ERR_PARAM}"
V3_NOTIFY = (
    '{"id":"EV-2018022511223320873","create_time":"2015-05-20T13:29:35+08:00","resource_type":"encrypt-resource",'
    '"event_type":"TRANSACTION.SUCCESS","summary":"支付成功","resource":{"original_type":"transaction",'
    '"algorithm":"AEAD_AES_256_GCM","ciphertext":"5GFqkZsCC3hEnwJ0dDkWOQzRJXGGUcDCTTKvqGPzY9cr3yEbTjtj","associated_data":"transaction","nonce":"fdasflkja484w"}}'
)
V3_NOTIFY_PRETTY = (
    '{\n    "id": "EV-2018022511223320873",\n    "event_type": "REFUND.SUCCESS",\n    "resource_type": "encrypt-resource",\n'
    '    "resource": {\n        "algorithm": "AEAD_AES_256_GCM",\n        "ciphertext": "QWxsIHlvdXIgYmFzZSBhcmUgYmVsb25nIHRvIHVz",\n'
    '        "associated_data": "refund",\n        "nonce": "1a2b3c4d5e6f"\n    },\n    "summary": "退款成功"\n}'
)
WP_HEADERS = (
    "Wechatpay-Nonce: c5ac7061fccab6bf3e254dcf98995b8c\n"
    f"Wechatpay-Signature: {LONG_SIGN}\nWechatpay-Timestamp: 1554209980\n"
    "Wechatpay-Serial: 5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
)
RAW_NOTIFY = (
    "POST /wxpay/notify HTTP/1.1\nHost: shop.example.com\nContent-Type: application/json\n"
    f"{WP_HEADERS}\nWechatpay-Signature-Type: WECHATPAY2-SHA256-RSA2048\n\n{V3_NOTIFY}"
)
RESP_SIGNED = (
    "HTTP/1.1 200 OK\nContent-Type: application/json\nRequest-ID: 08F4D4F6D10610BE0118B7C8A8A6062082E702\n"
    f"{WP_HEADERS}\n\n" + '{"prepay_id":"wx26112221580621e9b071c00d9e093b0000"}'
)
CERTS = (
    '{"data":[{"serial_no":"5157F09EFDC096DE15EBE81A47057A7232F1B8E1","effective_time":"2018-06-08T10:34:56+08:00",'
    '"expire_time":"2028-12-08T10:34:56+08:00","encrypt_certificate":{"algorithm":"AEAD_AES_256_GCM",'
    '"nonce":"61f9c719728a","associated_data":"certificate","ciphertext":"sRvt4n8u3PlVGxI"}}]}'
)
PARTNER_V3 = (
    '{"sp_appid":"wx8888888888888888","sp_mchid":"1230000109","sub_mchid":"1900000109","description":"Image形象店",'
    '"out_trade_no":"1217752501201407033233368018","notify_url":"https://www.weixin.qq.com/wxpay/pay.php",'
    '"amount":{"total":100,"currency":"CNY"},"payer":{"sp_openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}'
)
COMBINE = (
    '{"combine_appid":"wxd678efh567hg6787","combine_mchid":"1230000109","combine_out_trade_no":"P20150806125346",'
    '"sub_orders":[{"mchid":"1900000109","attach":"深圳分店","amount":{"total_amount":10,"currency":"CNY"},'
    '"out_trade_no":"20150806125346","description":"腾讯充值中心-QQ会员充值"}],"notify_url":"https://yourapp.com/notify"}'
)
BAIDU_ORDER = (
    '{"dealId":"470193086","appKey":"MMMabc","totalAmount":"1","tpOrderId":"3028903626",'
    '"dealTitle":"百度小程序Demo","signFieldsRange":"1","rsaSign":"","bizInfo":""}'
)
BAIDU_ORDER_JS = (
    "swan.requestPolymerPayment({\n  orderInfo: {\n    dealId: '470193086',\n    appKey: 'MMMabc',\n"
    "    totalAmount: '1',\n    tpOrderId: '3028903626',\n    dealTitle: '小程序Demo',\n    signFieldsRange: 1,\n"
    "    rsaSign: 'abc'\n  }\n})"
)
BAIDU_CB = (
    "unitPrice=800&orderId=800020711&payTime=1573469065&dealId=470193086&tpOrderId=3028903626&count=1"
    "&totalMoney=1&hbBalanceMoney=0&userId=3897827&promoMoney=0&promoDetail=&hbMoney=0&giftCardMoney=0"
    "&payMoney=1&payType=1117&returnData=&partnerId=6000001&status=2&rsaSign=TmNfZlpRC0c2wIj4v8Cp5yzo"
)
BAIDU_CB_LINES = BAIDU_CB.replace("&", "\n")
ERR_BAIDU = "调起百度收银台报错 errCode:6 请求签名错误"
ERR_JSAPI = "get_brand_wcpay_request:fail 调用支付JSAPI缺少参数：total_fee"
ERR_V3 = "微信支付 APIv3 下单返回 401，message 是 签名错误，请检查后再试"
ERR_MINI = "requestPayment:fail 支付验证签名失败"
ERR_PAYSCORE = "支付分开启服务页提示：商户签名错误"
JAVA_TRACE = (
    "com.wechat.pay.java.core.exception.ServiceException: Wrong HttpStatusCode[401]\n"
    'httpResponseBody[{"code":"SIGN_ERROR","message":"签名错误"}]\n'
    "\tat com.wechat.pay.java.core.http.AbstractHttpClient.validateResponse(AbstractHttpClient.java:69)\n"
    "\tat com.wechat.pay.java.core.http.AbstractHttpClient.execute(AbstractHttpClient.java:47)\n"
    "\tat com.example.pay.OrderService.prepay(OrderService.java:88)"
)
PY_TRACE = (
    'Traceback (most recent call last):\n  File "/app/pay/views.py", line 42, in notify\n'
    '    data = pay.parse_payment_result(request.body)\n  File "/usr/lib/python3/site-packages/wechatpy/pay/__init__.py", line 210, in parse_payment_result\n'
    "    raise InvalidSignatureException()\nwechatpy.exceptions.InvalidSignatureException: Error code: -40001, message: Invalid signature"
)
PHP_TRACE = (
    "PHP Fatal error:  Uncaught UnexpectedValueException: 平台证书 serial 不存在 in /var/www/vendor/wechatpay/wechatpay/src/Crypto/Rsa.php:75\n"
    "Stack trace:\n#0 /var/www/vendor/wechatpay/wechatpay/src/ClientDecorator.php(180): WeChatPay\\Crypto\\Rsa::verify()\n"
    "#1 /var/www/app/Pay.php(31): WeChatPay\\ClientDecorator->request()\n#2 {main}"
)
NODE_TRACE = (
    "Error: 签名错误 SIGNERROR\n    at WxPay.unifiedOrder (/srv/app/node_modules/wxpay-sdk/index.js:120:11)\n"
    "    at processTicksAndRejections (node:internal/process/task_queues:95:5)"
)
PEM_CERT, PEM_KEY, PEM_PUB = "{CERTIFICATE}", "{PRIVATE_KEY}", "{PUBLIC_KEY}"

# (name, text, [(kind, platform, page)])
V2REQ = ("wechat_v2_request", "wechat_v2")


def e(kind, platform, page):
    return {"kind": kind, "platform": platform, "page": page}


uo = e(*V2REQ, "wechat_v2:unifiedorder")
uo_lint = e(*V2REQ, "lint")
reply_d = e("wechat_v2_reply", "wechat_v2", "diagnose")
notify = e("wechat_v2_notification", "wechat_v2", "wechat_v2:notify")
refund_n = e("wechat_v2_refund_notification", "wechat_v2", "wechat_v2:refund-notify")
pc_v2j = e("pay_call", "wechat_v2", "wechat_v2:jsapi")
pc_v3 = e("pay_call", "wechat_v3", "wechat_v3:pay-sign")
pc_v2a = e("pay_call", "wechat_v2", "wechat_v2:app")
v3req = e("wechat_v3_request", "wechat_v3", "wechat_v3:authorization")
v3_401 = e("wechat_v3_401", "wechat_v3", "wechat_v3:sign")
v3err = e("wechat_v3_error", "wechat_v3", "diagnose")
v3n_dec = e("wechat_v3_notification", "wechat_v3", "wechat_v3:decrypt")
v3n_ver = e("wechat_v3_notification", "wechat_v3", "wechat_v3:verify")
wph = e("wechatpay_headers", "wechat_v3", "wechat_v3:verify")
v3resp = e("wechat_v3_response", "wechat_v3", "wechat_v3:verify")
pem = e("pem", "wechat_v3", "wechat_v3:keyring")
certs = e("wechat_v3_certificates", "wechat_v3", "wechat_v3:keyring")
b_order = e("baidu_order_info", "baidu", "baidu:sign")
b_cb = e("baidu_callback", "baidu", "baidu:verify")


def err(platform):
    return e("error_text", platform, "diagnose")


def trace(platform):
    return e("stack_trace", platform, "diagnose")


BASE = {
    "wechat_v2": [
        ("unifiedorder XML with sign", UO, [uo]),
        ("unifiedorder XML without sign", UO_NOSIGN, [uo_lint]),
        ("unifiedorder query string", UO_QUERY, [uo]),
        ("unifiedorder name=value lines without sign", UO_LINES, [uo_lint]),
        ("unifiedorder JSON", UO_JSON, [uo]),
        (
            "service-provider unifiedorder",
            PARTNER_UO,
            [e(*V2REQ, "wechat_v2:partner-unifiedorder")],
        ),
        ("refund request (not a refund notification)", REFUND, [e(*V2REQ, "wechat_v2:free")]),
        ("orderquery request", ORDERQUERY, [e(*V2REQ, "wechat_v2:free")]),
        ("downloadbill query without sign", DOWNLOADBILL, [uo_lint]),
        ("refundquery without sign", REFUNDQUERY, [uo_lint]),
        ("reply SIGNERROR", REPLY_SIGNERROR, [reply_d]),
        ("reply return_code FAIL", REPLY_FAIL, [reply_d]),
        ("reply NOAUTH", REPLY_NOAUTH, [reply_d]),
        ("reply appid mch_id mismatch", REPLY_MCHID, [reply_d]),
        (
            "successful signed reply (near miss: not a notification)",
            REPLY_OK,
            [e("wechat_v2_reply", "wechat_v2", "wechat_v2:free")],
        ),
        ("reply as name=value lines", REPLY_LINES, [reply_d]),
        ("payment notification", NOTIFY, [notify]),
        ("refund notification", REFUND_NOTIFY, [refund_n]),
    ],
    "pay_call": [
        ("JSAPI pay call MD5", JSAPI_MD5, [pc_v2j]),
        ("JSAPI wx.requestPayment RSA as JS", JSAPI_RSA_JS, [pc_v3]),
        ("JSAPI object literal RSA", JSAPI_RSA_BARE, [pc_v3]),
        ("App pay call V2", APP_V2, [pc_v2a]),
        ("App pay call APIv3", APP_V3, [pc_v3]),
        ("JSAPI pay call without sign (unsure)", JSAPI_NOSIGN, [pc_v3]),
    ],
    "wechat_v3": [
        ("raw HTTP request with Authorization", RAW_V3, [v3req]),
        ("curl with -H Authorization and -d", CURL_V3, [v3req]),
        ("curl GET one line", CURL_GET, [v3req]),
        ("401 SIGN_ERROR body", SIGN_401, [v3_401]),
        ("raw 401 response", RESP_401, [v3_401]),
        ("PARAM_ERROR body", ERR_PARAM, [v3err]),
        ("APPID_MCHID_NOT_MATCH body", ERR_MCH, [v3err]),
        ("NOT_ENOUGH pretty body", ERR_NOTENOUGH, [v3err]),
        ("raw 400 response", RESP_400, [v3err]),
        ("notification JSON", V3_NOTIFY, [v3n_dec]),
        ("refund notification JSON pretty", V3_NOTIFY_PRETTY, [v3n_dec]),
        ("raw notification request with headers", RAW_NOTIFY, [v3n_ver]),
        ("Wechatpay header block alone", WP_HEADERS, [wph]),
        ("Wechatpay headers then notification JSON", WP_HEADERS + "\n\n" + V3_NOTIFY, [v3n_ver]),
        ("signed 200 response", RESP_SIGNED, [v3resp]),
        ("certificates answer", CERTS, [certs]),
        ("partner JSAPI body", PARTNER_V3, [e("wechat_v3_body", "wechat_v3", "lint")]),
        ("combine-app body", COMBINE, [e("wechat_v3_body", "wechat_v3", "lint")]),
        ("direct JSAPI body", V3_BODY, [e("wechat_v3_body", "wechat_v3", "wechat_v3:sign")]),
    ],
    "pem": [
        ("certificate", PEM_CERT, [pem]),
        ("private key", PEM_KEY, [pem]),
        ("public key", PEM_PUB, [pem]),
        ("key and certificate together", PEM_KEY + "\n" + PEM_CERT, [pem]),
    ],
    "baidu": [
        ("orderInfo JSON", BAIDU_ORDER, [b_order]),
        ("orderInfo in requestPolymerPayment", BAIDU_ORDER_JS, [b_order]),
        ("callback POST body", BAIDU_CB, [b_cb]),
        ("callback as lines", BAIDU_CB_LINES, [b_cb]),
    ],
    "errors": [
        ("Baidu errCode 6", ERR_BAIDU, [err("baidu")]),
        ("JSAPI missing total_fee", ERR_JSAPI, [err("wechat_v2")]),
        ("APIv3 401 in words", ERR_V3, [err("wechat_v3")]),
        ("mini-program verification failure", ERR_MINI, [err("wechat_v2")]),
        ("Pay Score signing error", ERR_PAYSCORE, [err("wechat_payscore")]),
        ("Java SDK trace", JAVA_TRACE, [trace("wechat_v3")]),
        ("wechatpy traceback", PY_TRACE, [trace("wechat_v2")]),
        ("wechatpay-php fatal error", PHP_TRACE, [trace("wechat_v3")]),
        ("Node trace", NODE_TRACE, [trace("wechat_v2")]),
    ],
}

# 000 #2 / #3: the jump to the Pay Score 开启服务页 / 订单确认页, as each entry point passes it
# (App query, H5 queryString, mini-program extraData), signed HMAC-SHA256 with the API key.
PS_SIGN = "6A1F5B6C4E2D8F0A9B3C7D1E5F2A4B6C8D0E1F3A5B7C9D2E4F6A8B0C1D3E5F7A"
PS_ENABLE = (
    "mch_id=1230000109&service_id=88888888000011&out_request_no=1234323JKHDFE1243252"
    f"&timestamp=1530097563&nonce_str=zyx53Nkey8o4bHpxTQvd8m7e92nG5mG2&sign_type=HMAC-SHA256&sign={PS_SIGN}"
)
PS_ENABLE_MINI = (
    "wx.navigateToMiniProgram({\n  appId: 'wxd8f3793ea3b935b8',\n  path: 'pages/use/enable',\n  extraData: {\n"
    "    mch_id: '1230000109',\n    service_id: '88888888000011',\n    out_request_no: '1234323JKHDFE1243252',\n"
    "    timestamp: '1530097563',\n    nonce_str: 'zyx53Nkey8o4bHpxTQvd8m7e92nG5mG2',\n    sign_type: 'HMAC-SHA256',\n"
    f"    sign: '{PS_SIGN}'\n  }},\n  success(res) {{ console.log(res) }}\n}})"
)
PS_CONFIRM_H5 = (
    "let queryString = 'mch_id=1230000109&package=AAQTYwAAAAEAAAAAAAAAAAAAqHIfZ0pqd5xSW3RSsVE'"
    f" + '&timestamp=1530097563&nonce_str=zyx53Nkey8o4bHpxTQvd8m7e92nG5mG2&sign_type=HMAC-SHA256&sign={PS_SIGN}'"
)
PS_CONFIRM_H5 = PS_CONFIRM_H5.replace("' + '", "")
PS_CONFIRM_APP = (
    'WXOpenBusinessView.Req req = new WXOpenBusinessView.Req();\nreq.businessType = "wxpayScoreUse";\n'
    'req.query = "mch_id=1230000109&package=AAQTYwAAAAEAAAAAAAAAAAAAqHIfZ0pqd5xSW3RSsVE&timestamp=1530097563'
    f'&nonce_str=zyx53Nkey8o4bHpxTQvd8m7e92nG5mG2&sign_type=HMAC-SHA256&sign={PS_SIGN}";'
)
PS_NO_MCH = PS_ENABLE.replace("mch_id=1230000109&", "")
JSAPI_BAD_PACKAGE = JSAPI_MD5.replace("prepay_id=u802345jgfjsdfgsdg888", "u802345jgfjsdfgsdg888")
PS_CREATE_V3 = (
    '{"out_order_no":"1234323JKHDFE1243252","appid":"wxd678efh567hg6787","service_id":"500001",'
    '"service_introduction":"某某酒店","time_range":{"start_time":"OnAccept"},"risk_fund":{"name":"ESTIMATE_ORDER_COST","amount":10000},'
    '"notify_url":"https://api.test.com","need_user_confirm":true}'
)
# The V2 仿真测试系统 (sandbox): getsignkey's answer carries a key (the corpus's V2 key stands in,
# so the secret test covers it), its failures are replies, and getsignkey's own request is an
# ordinary V2 request signed with the live key.
SANDBOX_KEY = (
    "<xml>\n  <return_code><![CDATA[SUCCESS]]></return_code>\n  <return_msg><![CDATA[ok]]></return_msg>\n"
    "  <mch_id><![CDATA[1230000109]]></mch_id>\n  <sandbox_signkey><![CDATA[192006250b4c09247ec02edce69f6a2d]]></sandbox_signkey>\n</xml>"
)
SANDBOX_FAIL = (
    "<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[沙箱验证签名失败，"
    "请确认沙箱签名key是否正确（通过getsignkey调用生成）]]></return_msg></xml>"
)
SANDBOX_REQUEST = (
    "POST https://api.mch.weixin.qq.com/sandboxnew/pay/getsignkey\n"
    "<xml><mch_id>1230000109</mch_id><nonce_str>5K8264ILTKCH16CQ2502SI8ZNMTM67VS</nonce_str>"
    "<sign>2F0A1E7B3C5D8E9F1A2B3C4D5E6F7A8B</sign></xml>"
)
SANDBOX_AMOUNT = "沙箱测试下单报错：沙箱支付金额(1)无效，请检查需要验收的case"
ps_enable = e("payscore_jump", "wechat_payscore", "wechat_v2:payscore-enable")
ps_confirm = e("payscore_jump", "wechat_payscore", "wechat_v2:payscore-confirm")
BASE["payscore"] = [
    ("enable-service jump as the App query", PS_ENABLE, [ps_enable]),
    ("enable-service jump in navigateToMiniProgram extraData", PS_ENABLE_MINI, [ps_enable]),
    ("order-confirm jump as the H5 queryString", PS_CONFIRM_H5, [ps_confirm]),
    ("order-confirm jump in openBusinessView's query", PS_CONFIRM_APP, [ps_confirm]),
    ("enable-service jump missing mch_id (000 #8)", PS_NO_MCH, [ps_enable]),
    (
        "near miss: a JSAPI pay call whose package lacks prepay_id= is a pay call",
        JSAPI_BAD_PACKAGE,
        [pc_v2j],
    ),
    (
        "near miss: the APIv3 Pay Score create-order body is no jump",
        PS_CREATE_V3 + "\n报错 PARAM_ERROR",
        [e("wechat_v3_body", "wechat_v3", "wechat_v3:sign"), err("")],
    ),
]
BASE["sandbox"] = [
    ("getsignkey answer", SANDBOX_KEY, [reply_d]),
    ("sandbox signature failure reply", SANDBOX_FAIL, [reply_d]),
    (
        "near miss: getsignkey's own request is a V2 request",
        SANDBOX_REQUEST,
        [e(*V2REQ, "wechat_v2:free")],
    ),
    ("sandbox amount error text", SANDBOX_AMOUNT, [err("wechat_v2")]),
]

NOISE = [
    (
        "log prefix",
        lambda t: (
            "2026-11-28 02:13:07.412 [http-nio-8080-exec-3] INFO  c.e.pay.WxPayService - " + t
        ),
    ),
    ("markdown fence", lambda t: "这是我收到的：\n```\n" + t + "\n```\n求助，搞了一晚上了"),
    (
        "chat before and after",
        lambda t: "hi, here is what I have:\n\n" + t + "\n\nthanks in advance",
    ),
]
MIXED = [
    (
        "V2 request and its SIGNERROR reply in a log",
        "2026-11-28 02:01:01 INFO  pay - request: "
        + UO
        + "\n2026-11-28 02:01:02 ERROR pay - response: "
        + REPLY_SIGNERROR,
        [uo, reply_d],
    ),
    ("whole HTTP exchange: APIv3 request and 401", RAW_V3 + "\n\n" + RESP_401, [v3req, v3_401]),
    ("curl then its 401 body", CURL_V3 + "\n\n返回：\n" + SIGN_401, [v3req, v3_401]),
    (
        "notification request then decrypt failure trace",
        RAW_NOTIFY + "\n\n" + PHP_TRACE,
        [v3n_ver, trace("wechat_v3")],
    ),
    (
        "pay call and the error it gave",
        JSAPI_MD5 + "\n调起后报错：\n" + ERR_MINI,
        [pc_v2j, err("wechat_v2")],
    ),
    ("baidu orderInfo and errCode", BAIDU_ORDER + "\n" + ERR_BAIDU, [b_order, err("baidu")]),
    ("certificate and signed response", PEM_CERT + "\n" + RESP_SIGNED, [pem, v3resp]),
    ("private key, then 401 body", PEM_KEY + "\n\n" + SIGN_401, [pem, v3_401]),
    ("V2 notification and the key", NOTIFY + "\nkey=192006250b4c09247ec02edce69f6a2d", [notify]),
    (
        "refund notification and mch_key",
        "mch_key: 192006250b4c09247ec02edce69f6a2d\n" + REFUND_NOTIFY,
        [refund_n],
    ),
    (
        "APIv3 notification and apiv3_key",
        V3_NOTIFY + "\napiv3_key=0123456789abcdef0123456789abcdef",
        [v3n_dec],
    ),
    (
        "V2 unifiedorder, reply, then JS error",
        UO + "\n" + REPLY_OK + "\n" + ERR_JSAPI,
        [uo, e("wechat_v2_reply", "wechat_v2", "wechat_v2:free"), err("wechat_v2")],
    ),
    (
        "Java trace with the request above it",
        RAW_V3 + "\n\n" + JAVA_TRACE,
        [v3req, trace("wechat_v3")],
    ),
    ("quoted chat with a 400", "> " + RESP_400.replace("\n", "\n> "), [v3err]),
    (
        "two error bodies in a log",
        "[pay] 02:00 " + ERR_MCH + "\n[pay] 02:05 " + ERR_PARAM,
        [v3err, v3err],
    ),
    ("baidu callback and its certificate", BAIDU_CB + "\n" + PEM_PUB, [b_cb, pem]),
    (
        "headers, body and the platform certificate",
        WP_HEADERS
        + "\n\n"
        + '{"prepay_id":"wx26112221580621e9b071c00d9e093b0000"}'
        + "\n\n"
        + PEM_CERT,
        [wph, pem],
    ),
    (
        "APIv3 configuration lines",
        "mchid=1900009191\nserial_no=1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C\napiv3_key=0123456789abcdef0123456789abcdef\nprivate_key_path=/etc/pay/apiclient_key.pem",
        [e("merchant_config", "wechat_v3", "wechat_v3:keyring")],
    ),
    (
        "Java SDK config in a chat",
        "我的配置：\n```\nmerchantId: 1900009191\nmerchantSerialNumber: 1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C\napiV3Key: 0123456789abcdef0123456789abcdef\n```\n报错 "
        + ERR_V3,
        [e("merchant_config", "wechat_v3", "wechat_v3:keyring"), err("wechat_v3")],
    ),
    (
        "APIv3 notification logged as an escaped JSON string",
        "2026-11-28 02:13:07 INFO NotifyController - received body="
        + json.dumps(V3_NOTIFY, ensure_ascii=False),
        [v3n_dec],
    ),
    (
        "error body logged as an escaped string, then the Node trace",
        'WARN pay failed {"status":401,"body":'
        + json.dumps(ERR_MCH, ensure_ascii=False)
        + "}\n"
        + NODE_TRACE,
        [v3err, trace("wechat_v2")],
    ),
    (
        "Pay Score jump with the API key beside it",
        "api_key=192006250b4c09247ec02edce69f6a2d\n" + PS_ENABLE,
        [ps_enable],
    ),
    (
        "a chat line ending in a colon introduces the trace",
        "线上报错了：\n" + JAVA_TRACE,
        [trace("wechat_v3")],
    ),
    (
        "getsignkey answer in a log, then the sandbox failure",
        "INFO getsignkey -> " + SANDBOX_KEY + "\nERROR " + SANDBOX_FAIL,
        [reply_d, reply_d],
    ),
    (
        "nothing recognisable falls back to the diagnosis",
        "付款后一直没有收到回调，订单状态还是未支付",
        [e("error_text", "", "diagnose")],
    ),
]


# Written after the recogniser was tuned on the files above, and first run unchanged: 9 of 12 read
# right (a PHP array pay call, a Go panic's blank line, and a bare HTTP 200 were not); kept here.
HELDOUT = [
    (
        "V2 refund NOTENOUGH reply",
        "<xml><return_code>SUCCESS</return_code><result_code>FAIL</result_code><err_code>NOTENOUGH</err_code><err_code_des>余额不足</err_code_des></xml>",
        [reply_d],
    ),
    (
        "V2 orderquery as a query string",
        "appid=wx1&mch_id=10000100&nonce_str=abc&out_trade_no=123&sign=ABCDEF0123456789ABCDEF0123456789",
        [e(*V2REQ, "wechat_v2:free")],
    ),
    (
        "PHP array pay call",
        "array(\n  'appId' => 'wx1',\n  'timeStamp' => '1414561699',\n  'nonceStr' => 'abc',\n  'package' => 'prepay_id=wx20',\n  'signType' => 'MD5',\n  'paySign' => '70EA570631E4BB79628FBCA90534C63F',\n)",
        [pc_v2j],
    ),
    (
        "a bare HTTP 200 falls back to the diagnosis",
        'HTTP/1.1 200 OK\nContent-Type: application/json\n\n{"prepay_id":"wx26"}',
        [e("error_text", "", "diagnose")],
    ),
    (
        "APIv3 error inside a chat sentence",
        '客服你好，调用退款接口返回 {"code":"NOT_ENOUGH","message":"基本账户余额不足，请充值后重新发起"} 怎么办',
        [v3err],
    ),
    (
        "APIv3 request, Authorization before Host",
        'POST /v3/pay/transactions/app HTTP/1.1\nAuthorization: WECHATPAY2-SHA256-RSA2048 mchid="1",nonce_str="n",signature="s",timestamp="1",serial_no="S"\nHost: api.mch.weixin.qq.com\n\n{"appid":"wx1"}',
        [v3req],
    ),
    ("certificate between chat lines", "这是平台证书\n" + PEM_CERT + "\n对吗", [pem]),
    (
        "Baidu callback as JSON with numbers",
        '{"dealId":470193086,"tpOrderId":"3028903626","orderId":800020711,"userId":3897827,"totalMoney":1,"payMoney":1,"status":2,"rsaSign":"abc"}',
        [b_cb],
    ),
    (
        "Go panic",
        "panic: wechatpay: verify signature failed\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:42 +0x1d",
        [trace("")],
    ),
    ("JS errMsg object", '{errMsg: "requestPayment:fail cancel"}', [err("wechat_v2")]),
    (
        "V2 notification as lines",
        "appid=wx1\nmch_id=10000100\nreturn_code=SUCCESS\nresult_code=SUCCESS\ntransaction_id=4200001\ntime_end=20261128\ntotal_fee=1\nsign=ABCDEF0123456789ABCDEF0123456789",
        [notify],
    ),
    (
        "curl -i output with lower-case Wechatpay headers",
        'HTTP/2 200\nserver: nginx\nwechatpay-nonce: abc\nwechatpay-signature: AAAA\nwechatpay-timestamp: 1\nwechatpay-serial: 5157\n\n{"prepay_id":"wx26"}',
        [v3resp],
    ),
]


def dump(name, cases):
    OUT.joinpath(f"{name}.yaml").write_text(
        yaml.safe_dump(cases, allow_unicode=True, sort_keys=False, width=100000), encoding="utf-8"
    )


total = 0
for group, items in BASE.items():
    cases = [{"name": n, "text": t, "expect": x} for n, t, x in items]
    total += len(cases)
    dump(group, cases)
noisy = []
picks = [
    BASE["wechat_v2"][0],
    BASE["wechat_v2"][10],
    BASE["wechat_v2"][16],
    BASE["wechat_v2"][17],
    BASE["pay_call"][0],
    BASE["wechat_v3"][3],
    BASE["wechat_v3"][5],
    BASE["wechat_v3"][9],
    BASE["wechat_v3"][1],
    BASE["baidu"][0],
    BASE["baidu"][2],
    BASE["errors"][5],
    BASE["errors"][6],
    BASE["pem"][0],
]
for i, (n, t, x) in enumerate(picks):
    for label, wrap in NOISE[i % 3 : i % 3 + 2]:
        if (
            "log prefix" in label
            and "\n" in t
            and x[0]["kind"] in ("stack_trace", "pem", "wechat_v3_request")
        ):
            continue
        noisy.append({"name": f"{n} ({label})", "text": wrap(t), "expect": x})
total += len(noisy)
dump("noise", noisy)
mixed = [{"name": n, "text": t, "expect": x} for n, t, x in MIXED]
total += len(mixed)
dump("mixed", mixed)
heldout = [{"name": n, "text": t, "expect": x} for n, t, x in HELDOUT]
total += len(heldout)
dump("heldout", heldout)
print(total)
