"""Realistic merchant phrasings against the real knowledge base (faq/data/*.yaml).

Each row is something a merchant types or pastes — typos, extra words, full-width punctuation,
whole V2 XML and APIv3 JSON payloads, JS bridge err_msg strings, Chinese and some English — with
the slug of the entry that documents it. The slug must be among the top three matches.
"""

from __future__ import annotations

import pytest

from faq.engine import RuleEngine
from faq.knowledge import DATA_DIR, load_all

if not DATA_DIR.is_dir() or not any(DATA_DIR.glob("*.yaml")):
    pytest.skip(f"no knowledge base data files in {DATA_DIR}", allow_module_level=True)

V2_SYSTEMERROR = (
    "<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg>"
    "<result_code><![CDATA[FAIL]]></result_code><err_code><![CDATA[SYSTEMERROR]]></err_code>"
    "<err_code_des><![CDATA[系统错误]]></err_code_des></xml>"
)
V2_ORDERPAID = (
    "<xml><return_code><![CDATA[SUCCESS]]></return_code><result_code><![CDATA[FAIL]]></result_code>"
    "<err_code><![CDATA[ORDERPAID]]></err_code><err_code_des><![CDATA[订单已支付]]></err_code_des>"
    "</xml>"
)
V2_ESCAPED_SIGN_FAILED = (
    "&lt;xml&gt;&lt;return_code&gt;FAIL&lt;/return_code&gt;"
    "&lt;return_msg&gt;签名失败&lt;/return_msg&gt;&lt;/xml&gt;"
)
V3_SIGN_ERROR = (
    "HTTP/1.1 401 Unauthorized\nContent-Type: application/json\n\n"
    '{"code":"SIGN_ERROR","message":"签名错误"}'
)
PAYSCORE_OFFLINE = '｛“err_msg":"openBusinessView:fail_the permission value is offline verifying"｝'

# (what the merchant typed or pasted, platform=, scenario=, expected slug)
PHRASINGS: list[tuple[str, str | None, str | None, str]] = [
    # 000 支付分 · 支付常见问题
    (
        "用户开通不了支付分，提示暂无法开通微信支付分",
        None,
        None,
        "payscore-cannot-enable-gradual-rollout",
    ),
    ("微信支付分逐步开放中 是什么意思", None, None, "payscore-cannot-enable-gradual-rollout"),
    ("app 跳转支付分开启服务页 提示 系统繁忙", None, None, "payscore-apply-rejected-enable-app"),
    ("H5跳转支付分开启服务页，提示“申请未通过”", None, None, "payscore-apply-rejected-enable-h5"),
    (
        "小程序跳转支付分开启服务页报系统繁忙",
        None,
        None,
        "payscore-apply-rejected-enable-miniprogram",
    ),
    (
        "系统繁忙",
        "wechat_payscore",
        "miniprogram,enable_page",
        "payscore-apply-rejected-enable-miniprogram",
    ),
    ("系统繁忙", "wechat_payscore", "app,confirm_page", "payscore-no-benefit-confirm-app"),
    ("订单未获得权益，系统繁忙", None, "h5", "payscore-no-benefit-confirm-h5"),
    (
        "package 重复使用报错 未获得权益 小程序",
        None,
        None,
        "payscore-no-benefit-confirm-miniprogram",
    ),
    ("支付分 暂无法使用此服务", None, None, "payscore-service-unavailable-risk-control"),
    ("未获得权益 当前订单金额过高", None, None, "payscore-no-benefit-amount-too-high"),
    ("请在合法渠道打开页面", None, "detail_page", "payscore-illegal-channel-detail"),
    (
        "跳转支付分确认订单页 提示请在合法渠道打开页面",
        None,
        None,
        "payscore-illegal-channel-confirm",
    ),
    ("一直显示正在从押金中扣费，请稍后", None, None, "payscore-deposit-deduction-pending"),
    ("非法的参数 请返回商户重新发起", None, "app", "payscore-invalid-params-enable-app"),
    ("当前行业进行中订单过多", None, None, "payscore-no-benefit-too-many-open-orders"),
    ("暂无法使用此服务 当前服务未上线", None, None, "payscore-service-not-online"),
    (
        "已超出单笔支付限额，请降低支付金额后再试",
        None,
        None,
        "payscore-single-payment-limit-exceeded",
    ),
    ("商户暂无权限使用此服务", None, None, "payscore-merchant-no-permission"),
    ("支付分解约失败", None, None, "payscore-terminate-failed-open-orders"),
    (PAYSCORE_OFFLINE, None, None, "payscore-openbusinessview-offline-verifying"),
    (
        "openBusinessView:fail the permission value is offline verifying",
        None,
        None,
        "payscore-openbusinessview-offline-verifying",
    ),
    ("支付分扣款失败 用户余额不足？", None, None, "payscore-deduction-failed"),
    (
        "你在该服务下有未完成的订单，暂无法停用",
        None,
        None,
        "payscore-cannot-stop-unfinished-orders",
    ),
    # 001 百度收银台 · 支付常见问题
    ("百度收银台接口调不通", None, None, "baidu-service-not-approved-before-integration"),
    ("资质审核未通过提示：“未查询到执照信息“", None, None, "baidu-qualification-license-not-found"),
    ("审核被驳回提示“银行划付失败”怎么办？", None, None, "baidu-service-bank-transfer-failed"),
    ("调起收银台后提示商品不存在", None, None, "baidu-cashier-product-not-found"),
    ("调起后提示“errCode:6”、“请求签名错误”", None, None, "baidu-cashier-errcode-6-sign-error"),
    ("errCode 6", None, None, "baidu-cashier-errcode-6-sign-error"),
    ("百度小程序调起收银台 errcode=6", None, None, "baidu-cashier-errcode-6-sign-error"),
    ("baidu cashier request signature error", None, None, "baidu-cashier-errcode-6-sign-error"),
    ("订单显示已付款但是企业资产没有变化", None, None, "baidu-order-paid-assets-unchanged"),
    ("为什么订单一直是“已付款”状态？无法核销", None, None, "baidu-order-stuck-paid"),
    ("财务列表订单全部都不显示", None, None, "baidu-finance-list-empty"),
    ("支付成功了但是没有收到支付回调", "baidu", None, "baidu-callback-not-received"),
    ("回调 rsaSign 验签不通过", None, None, "baidu-callback-rsasign-verify-failed"),
    ("取消核销返回10003", None, None, "baidu-cancel-verify-10003-insufficient-assets"),
    ("10003", "baidu", None, "baidu-cancel-verify-10003-insufficient-assets"),
    (
        "企业资产大于退款金额为什么取消核销返回10002错误",
        None,
        None,
        "baidu-cancel-verify-10002-wrong-params",
    ),
    ("退款审核失败 refundPayMoney", None, None, "baidu-refund-audit-failed-refundpaymoney"),
    ("百度 申请退款报错", None, None, "baidu-refund-apply-error"),
    # 002 微信支付 V2 公众号支付
    (V2_SYSTEMERROR, None, None, "wechat-v2-systemerror"),
    (
        "<xml>\n<return_code>FAIL</return_code>\n<return_msg>SYSERR</return_msg>\n</xml>",
        None,
        None,
        "wechat-v2-protocol-error-syserr",
    ),
    (V2_ORDERPAID, None, None, "wechat-v2-orderpaid"),
    (
        "统一下单 err_code=OUT_TRADE_NO_USED 商户订单号重复",
        "wechat_v2",
        None,
        "wechat-v2-out-trade-no-used",
    ),
    ("err_code: NOTENOUGH 余额不足", None, None, "wechat-v2-notenough"),
    ("退款报 REFUND_FEE_INVALID", None, None, "wechat-v2-refund-fee-invalid"),
    ("查单返回ORDERNOTEXIST", None, None, "wechat-v2-ordernotexist"),
    ("点击支付按钮，提示“access_not_allow”", None, None, "wechat-v2-access-not-allow"),
    ("点击支付按钮 提示 access_denied", None, None, "wechat-v2-access-denied"),
    ("点击支付按钮，调用 JS API 没反应", None, None, "wechat-v2-jsapi-no-response"),
    (
        "点击支付按钮，提示 “当前公众号没有权限支付本次交易”",
        None,
        None,
        "wechat-v2-mp-no-pay-permission",
    ),
    ("提示 众账号支付使用了无效的商户号，无法发起该笔交易", None, None, "wechat-v2-invalid-mch-id"),
    ("该公众号支付签名无效，无法发起该笔交易", None, None, "wechat-v2-jsapi-pay-sign-invalid"),
    (
        "用户支付成功后又跳到输入密码页面，二次扣费了",
        None,
        None,
        "wechat-v2-double-charge-double-click",
    ),
    ("notify url 收不到支付通知", "wechat_v2", None, "wechat-v2-notify-url-unreachable"),
    (
        "<xml><return_code>FAIL</return_code><return_msg>签名失败</return_msg></xml>",
        None,
        None,
        "wechat-v2-return-msg-sign-failed",
    ),
    ("return_msg 参数格式校验错误", None, None, "wechat-v2-return-msg-param-format-error"),
    (
        "res.err_msg == get_brand_wcpay_request:fail",
        "wechat_v2",
        None,
        "wechat-v2-brand-wcpay-request-fail",
    ),
    (
        "get_brand_wcpay_request：cancel 用户取消支付",
        None,
        None,
        "wechat-v2-brand-wcpay-request-cancel",
    ),
    ("支付授权目录怎么填", None, None, "wechat-v2-pay-auth-directory-usage"),
    ("MD5 签名不对，sign 与微信计算的不一致", None, None, "wechat-v2-sign-mismatch"),
    (
        "退款状态 refund_status_0=PROCESSING 一直处理中",
        None,
        None,
        "wechat-v2-refund-status-processing",
    ),
    # 003 APIv3 平台收付通 开发指引
    (
        "获取OpenID接口报“此公众号并没有这些scope的权限,错误码10005”",
        None,
        None,
        "wechat-v3-openid-scope-10005",
    ),
    ("error 10005", None, None, "wechat-v3-openid-scope-10005"),
    (
        "获取openid报 redirect_url域名与后台配置不一致，错误码：10003",
        None,
        None,
        "wechat-v3-openid-redirect-domain-10003",
    ),
    ("10003", "wechat_v3", None, "wechat-v3-openid-redirect-domain-10003"),
    ("JSAPI调起支付接口报“当前页面的URL未注册”", None, None, "wechat-v3-jsapi-url-not-registered"),
    ("商家暂时没有此类交易权限，请联系商家客服", None, None, "wechat-v3-jsapi-no-trade-permission"),
    ("该商户暂不支持通过外部拉起微信完成支付", None, None, "wechat-v3-jsapi-external-browser"),
    ("Android 调起支付 onResp errCode=-1", None, None, "wechat-v3-app-errcode-minus-1"),
    ("errCode -2", None, None, "wechat-v3-app-errcode-minus-2"),
    ("WeixinJSBridge is not defined", None, None, "wechat-v3-jsbridge-only-in-wechat"),
    (
        "小程序 request:fail url not in domain list",
        None,
        None,
        "wechat-v3-miniprogram-server-domain",
    ),
    ("H5 支付 h5_url 过期了", None, None, "wechat-v3-h5-url-expired"),
    (
        "Android 支付结果回调不到，WXPayEntryActivity 没执行",
        None,
        None,
        "wechat-v3-android-wxpayentryactivity",
    ),
    # 004 APIv3 App 合单下单 错误码
    (V3_SIGN_ERROR, None, None, "wechat-v3-combine-app-sign-error"),
    (
        '{"code":"PARAM_ERROR","message":"参数错误"}',
        None,
        None,
        "wechat-v3-combine-app-param-error",
    ),
    (
        'HTTP 400 {"code": "APPID_MCHID_NOT_MATCH", "message": "AppID和mch_id不匹配"}',
        None,
        None,
        "wechat-v3-combine-app-appid-mchid-not-match",
    ),
    ("合单下单返回 403 OUT_TRADE_NO_USED", None, None, "wechat-v3-combine-app-out-trade-no-used"),
    (
        "HTTP/1.1 429 Too Many Requests FREQUENCY_LIMITED",
        None,
        None,
        "wechat-v3-combine-app-frequency-limited",
    ),
    ("ＳＩＧＮ＿ＥＲＲＯＲ", None, None, "wechat-v3-combine-app-sign-error"),
    (
        "combine-transactions/app 返回 MCH_NOT_EXISTS 商户号不存在",
        None,
        None,
        "wechat-v3-combine-app-mch-not-exists",
    ),
    (
        '{"code":"OPENID_MISMATCH","message":"OpenID和AppID不匹配"}',
        None,
        None,
        "wechat-v3-combine-app-openid-mismatch",
    ),
    ("SYSTEMERROR", "wechat_v3", None, "wechat-v3-combine-app-systemerror"),
    ("500 SYSTEM_ERROR 系统异常,请稍后重试", None, None, "wechat-v3-combine-app-system-error"),
    ("合单 sub_orders 子单数量不对", None, None, "wechat-v3-combine-app-sub-orders-count"),
    # Typos, extra words, English
    ("系统反忙 app 开启服务页", None, None, "payscore-apply-rejected-enable-app"),
    ("当前页面的url没注册", None, None, "wechat-v3-jsapi-url-not-registered"),
    ("取消核消 10003 企业资产不够", None, None, "baidu-cancel-verify-10003-insufficient-assets"),
    # More: English, full-width, HTML-escaped XML, answered refine questions
    ("sign error when calling app pay, errCode -1", None, None, "wechat-v3-app-errcode-minus-1"),
    ("baidu callback not received", None, None, "baidu-callback-not-received"),
    ("page URL not registered", None, None, "wechat-v3-jsapi-url-not-registered"),
    ("Pay Score cannot be enabled", None, None, "payscore-cannot-enable-gradual-rollout"),
    ("非法的参数", None, "h5,enable_page", "payscore-invalid-params-enable-h5"),
    (
        "已超出单笔支付限额,请降低支付金额后再试",
        None,
        None,
        "payscore-single-payment-limit-exceeded",
    ),
    ("签名错误", "baidu", None, "baidu-cashier-errcode-6-sign-error"),
    ("ｅｒｒＣｏｄｅ：６ 百度", None, None, "baidu-cashier-errcode-6-sign-error"),
    (V2_ESCAPED_SIGN_FAILED, None, None, "wechat-v2-return-msg-sign-failed"),
    ("HTTP状态码 500 SYSTEMERROR", None, None, "wechat-v3-combine-app-systemerror"),
    ("当前页面URL为注册", None, None, "wechat-v3-jsapi-url-not-registered"),
    ("prepay_id 过期了 App 调不起支付", None, None, "wechat-v3-combine-app-prepay-id-expired"),
    ("服务审核要多久", None, None, "baidu-service-review-duration"),
    ("资质审核要多久？", None, None, "baidu-qualification-review-duration"),
    ("对账单下载失败 该日期订单未生成", None, None, "wechat-v2-downloadbill-not-generated"),
    ("时间戳 13 位 不对", None, None, "wechat-v2-timestamp-format"),
    ("err_code=PARAM_ERROR", "wechat_v2", None, "wechat-v2-param-error"),
    ("退款一直处理中 PROCESSING", None, None, "wechat-v2-refund-status-processing"),
    ("iOS 调起支付失败 universal link", None, None, "wechat-v3-ios-opensdk-upgrade"),
    ("H5 支付域名不生效", None, None, "wechat-v3-h5-domain-config"),
]


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return RuleEngine(load_all())


def test_the_table_is_big_enough():
    assert len(PHRASINGS) >= 60


def test_every_expected_slug_exists(engine):
    missing = {slug for *_rest, slug in PHRASINGS if engine.get(slug) is None}
    assert not missing


@pytest.mark.parametrize(
    ("text", "platform", "scenario", "slug"),
    PHRASINGS,
    ids=[f"{i:03d}-{row[3]}" for i, row in enumerate(PHRASINGS)],
)
def test_the_documented_entry_is_in_the_top_three(engine, text, platform, scenario, slug):
    diagnosis = engine.diagnose(text, platform, scenario)
    top = [match.entry.slug for match in diagnosis.matches[:3]]
    assert diagnosis.matched
    assert slug in top, f"{text!r} -> {top}"
