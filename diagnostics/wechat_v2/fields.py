"""The WeChat Pay V2 field tables (002 §4) and the workbench presets built on them.

A preset is one call a merchant signs: its exact field set, which field carries the sign type,
where a jump sign travels (entry points), and a sample in the shape the merchant pastes. Field tables are copied from
the document's request tables (变量名 / 必填 / 类型).
"""

from __future__ import annotations

from dataclasses import dataclass

from diagnostics.wechat_v2.signing import HMAC_SHA256, MD5


def _(text: str) -> str:
    """Marks a text for translation (makemessages extracts _() calls); templates translate it."""
    return text


@dataclass(frozen=True)
class FieldSpec:
    name: str
    required: bool
    max_length: int | None = None  # String(n)
    integer: bool = False  # Int: fen, no decimal point


def _fields(*specs: tuple) -> tuple[FieldSpec, ...]:
    return tuple(FieldSpec(*spec) for spec in specs)


# name, required, String(n) length, Int
V2_APIS: dict[str, tuple[FieldSpec, ...]] = {
    # 002 §4.1 统一支付接口
    "unifiedorder": _fields(
        ("appid", True, 32),
        ("mch_id", True, 32),
        ("device_info", False, 32),
        ("nonce_str", True, 32),
        ("sign", True, 32),
        ("body", True, 127),
        ("attach", False, 127),
        ("out_trade_no", True, 32),
        ("total_fee", True, None, True),
        ("spbill_create_ip", True, 16),
        ("time_start", False, 14),
        ("time_expire", False, 14),
        ("goods_tag", False, 32),
        ("notify_url", True, 256),
        ("trade_type", True, 16),
        ("openid", False, 128),
        ("product_id", False, 32),
    ),
    # 服务商模式 统一下单: 002 §4.1's fields (as the unifiedorder row above) plus the service
    # provider's, as the public V2 partner reference lists them — appid/mch_id are the service
    # provider's, sub_mch_id (必填) the sub-merchant's, sub_appid and sub_openid (openid 和 sub_openid
    # 可以选传其中之一，如果选择传 sub_openid，则必须传 sub_appid):
    # https://pay.weixin.qq.com/wiki/doc/api/jsapi_sl.php?chapter=9_1 ,
    # https://pay.weixin.qq.com/doc/v2/partner/4011939925
    "partner-unifiedorder": _fields(
        ("appid", True, 32),
        ("mch_id", True, 32),
        ("sub_appid", False, 32),
        ("sub_mch_id", True, 32),
        ("device_info", False, 32),
        ("nonce_str", True, 32),
        ("sign", True, 32),
        ("body", True, 127),
        ("attach", False, 127),
        ("out_trade_no", True, 32),
        ("total_fee", True, None, True),
        ("spbill_create_ip", True, 16),
        ("time_start", False, 14),
        ("time_expire", False, 14),
        ("goods_tag", False, 32),
        ("notify_url", True, 256),
        ("trade_type", True, 16),
        ("openid", False, 128),
        ("sub_openid", False, 128),
        ("product_id", False, 32),
    ),
    # 002 §4.2 通用通知接口 (what WeChat Pay posts to notify_url)
    "notify": _fields(
        ("return_code", True, 16),
        ("return_msg", False, 128),
        ("appid", True, 32),
        ("mch_id", True, 32),
        ("device_info", False, 32),
        ("nonce_str", True, 32),
        ("sign", True, 32),
        ("result_code", True, 16),
        ("err_code", False, 32),
        ("err_code_des", False, 128),
        ("openid", True, 128),
        ("is_subscribe", True, 1),
        ("trade_type", True, 16),
        ("bank_type", True, 16),
        ("total_fee", True, None, True),
        ("coupon_fee", False, None, True),
        ("fee_type", False, 8),
        ("transaction_id", True, 32),
        ("out_trade_no", True, 32),
        ("attach", False, 128),
        ("time_end", True, 14),
    ),
    # 002 §4.3 订单查询接口 (transaction_id or out_trade_no)
    "orderquery": _fields(
        ("appid", True, 32),
        ("mch_id", True, 32),
        ("transaction_id", False, 32),
        ("out_trade_no", False, 32),
        ("nonce_str", True, 32),
        ("sign", True, 32),
    ),
    # 002 §4.7 关闭订单接口
    "closeorder": _fields(
        ("appid", True, 32),
        ("mch_id", True, 32),
        ("out_trade_no", False, 32),
        ("nonce_str", True, 32),
        ("sign", True, 32),
    ),
    # 002 §4.8 退款申请接口
    "refund": _fields(
        ("appid", True, 32),
        ("mch_id", True, 32),
        ("device_info", False, 32),
        ("nonce_str", True, 32),
        ("sign", True, 32),
        ("transaction_id", False, 28),
        ("out_trade_no", False, 32),
        ("out_refund_no", True, 32),
        ("total_fee", True, None, True),
        ("refund_fee", True, None, True),
        ("op_user_id", True, 32),
    ),
    # 002 §4.9 退款查询接口 (one of the four ids)
    "refundquery": _fields(
        ("appid", True, 32),
        ("mch_id", True, 32),
        ("device_info", False, 32),
        ("nonce_str", True, 32),
        ("sign", True, 32),
        ("transaction_id", False, 28),
        ("out_trade_no", False, 32),
        ("out_refund_no", False, 32),
        ("refund_id", False, 28),
    ),
    # 002 §4.10 对账单接口
    "downloadbill": _fields(
        ("appid", True, 32),
        ("mch_id", True, 32),
        ("device_info", False, 32),
        ("nonce_str", True, 32),
        ("sign", True, 32),
        ("bill_date", True, 8),
        ("bill_type", False, 8),
    ),
    # 002 §4.4 getBrandWCPayRequest: names are case-sensitive. Its table prints appId as
    # String(16), but its own example (wx2421b1c4370ec43b) and every real appId have 18
    # characters: reality wins, and the page says so (the preset's note).
    "jsapi": _fields(
        ("appId", True, 32),
        ("timeStamp", True, 32),
        ("nonceStr", True, 32),
        ("package", True, 128),
        ("signType", True, 32),
        ("paySign", True, 64),
    ),
    # App pay call (OpenSDK PayReq): all lower case, unlike JSAPI
    "app": _fields(
        ("appid", True, 32),
        ("partnerid", True, 32),
        ("prepayid", True, 64),
        ("package", True, 128),
        ("noncestr", True, 32),
        ("timestamp", True, 10),
        ("sign", True, 64),
    ),
    # 002 §4.5 Native 模式一 bizpayurl
    "native": _fields(
        ("appid", True, 32),
        ("mch_id", True, 32),
        ("time_stamp", True, 10),
        ("nonce_str", True, 32),
        ("product_id", True, 32),
        ("sign", True, 32),
    ),
    # 000 #2: jump to the Pay Score 开启服务页 (query / queryString / extraData)
    "payscore-enable": _fields(
        ("mch_id", True, 32),
        ("service_id", True, 32),
        ("out_request_no", True, 32),
        ("timestamp", True, 10),
        ("nonce_str", True, 32),
        ("sign_type", True, 32),
        ("sign", True, 64),
    ),
    # 000 #3: jump to the Pay Score 订单确认页
    "payscore-confirm": _fields(
        ("mch_id", True, 32),
        ("package", True, 128),
        ("timestamp", True, 10),
        ("nonce_str", True, 32),
        ("sign_type", True, 32),
        ("sign", True, 64),
    ),
}

ENTRY_POINTS = {
    "app": _("App（query）"),
    "h5": _("H5（queryString）"),
    "miniprogram": _("小程序（extraData）"),
}


@dataclass(frozen=True)
class Preset:
    """One V2 call. title and notes are lazy translations (Chinese msgids, English in locale/)."""

    slug: str
    title: str
    title_en: str
    source: str
    api: str  # key into V2_APIS, "" for free form
    sample: str
    default_sign_type: str = MD5
    sign_type_field: str = "sign_type"
    fixed_fields: bool = False  # a jump sign: exactly these fields, nothing else
    entry_points: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    takes_order: bool = False  # a pay call checked against the order it pays (服务商 sub_appid)

    @property
    def fields(self) -> tuple[FieldSpec, ...]:
        return V2_APIS.get(self.api, ())


_UNIFIEDORDER_SAMPLE = """<xml>
<appid>wx2421b1c4370ec43b</appid>
<attach><![CDATA[att1]]></attach>
<body><![CDATA[JSAPI 支付测试]]></body>
<device_info>1000</device_info>
<mch_id>10000100</mch_id>
<nonce_str>b927722419c52622651a871d1d9ed8b2</nonce_str>
<notify_url>http://wxpay.weixin.qq.com/pub_v2/pay/notify.php</notify_url>
<openid>oUpF8uN95-Ptaags6E_roPHg7AG0</openid>
<out_trade_no>1405713376</out_trade_no>
<spbill_create_ip>127.0.0.1</spbill_create_ip>
<total_fee>1</total_fee>
<trade_type>JSAPI</trade_type>
<sign><![CDATA[3CA89B5870F944736C657979192E1CF4]]></sign>
</xml>"""

_NOTIFY_SAMPLE = """<xml>
<appid><![CDATA[wx2421b1c4370ec43b]]></appid>
<attach><![CDATA[支付测试]]></attach>
<bank_type><![CDATA[CFT]]></bank_type>
<fee_type><![CDATA[CNY]]></fee_type>
<is_subscribe><![CDATA[Y]]></is_subscribe>
<mch_id><![CDATA[10000100]]></mch_id>
<nonce_str><![CDATA[5d2b6c2a8db53831f7eda20af46e531c]]></nonce_str>
<openid><![CDATA[oUpF8uMEb4qRXf22hE3X68TekukE]]></openid>
<out_trade_no><![CDATA[1409811653]]></out_trade_no>
<result_code><![CDATA[SUCCESS]]></result_code>
<return_code><![CDATA[SUCCESS]]></return_code>
<sign><![CDATA[B552ED6B279343CB493C5DD0D78AB241]]></sign>
<sign_type><![CDATA[MD5]]></sign_type>
<time_end><![CDATA[20140903131540]]></time_end>
<total_fee>1</total_fee>
<trade_type><![CDATA[JSAPI]]></trade_type>
<transaction_id><![CDATA[1004400740201409030005092168]]></transaction_id>
</xml>"""

_PARTNER_UNIFIEDORDER_SAMPLE = """<xml>
<appid>wxd678efh567hg6787</appid>
<mch_id>1230000109</mch_id>
<sub_appid>wxd678efh567hg6999</sub_appid>
<sub_mch_id>1900000109</sub_mch_id>
<body><![CDATA[JSAPI 支付测试]]></body>
<nonce_str>5K8264ILTKCH16CQ2502SI8ZNMTM67VS</nonce_str>
<notify_url>https://www.weixin.qq.com/wxpay/pay.php</notify_url>
<out_trade_no>20150806125346</out_trade_no>
<spbill_create_ip>123.12.12.123</spbill_create_ip>
<sub_openid>oUpF8uMuAJO_M2pxb1Q9zNjWeS6o</sub_openid>
<total_fee>1</total_fee>
<trade_type>JSAPI</trade_type>
</xml>"""

PRESETS: dict[str, Preset] = {
    preset.slug: preset
    for preset in (
        Preset(
            "free",
            _("自由格式"),
            "Free form",
            "002 §3.2",
            "",
            "",
            notes=(_("粘贴任意一次 V2 请求、通知或调起支付的参数，按 002 §3.2 计算签名。"),),
        ),
        Preset(
            "unifiedorder",
            _("统一下单 unifiedorder"),
            "Unified order request",
            "002 §4.1",
            "unifiedorder",
            _UNIFIEDORDER_SAMPLE,
            notes=(
                _(
                    "示例取自 002 §3.3（另加了 JSAPI 必传的 openid）；文档没有给出它的密钥，"
                    "所以示例里的 sign 无法核对，请换成你自己的参数和密钥。"
                ),
            ),
        ),
        Preset(
            "notify",
            _("支付结果通知 notify"),
            "Payment notification",
            "002 §4.2",
            "notify",
            _NOTIFY_SAMPLE,
            notes=(
                _(
                    "验证通知签名时，除 sign 外收到的所有字段都参与签名——包括 sign_type 和你不认识的新字段。"
                ),
            ),
        ),
        Preset(
            "jsapi",
            _("JSAPI 调起支付 paySign"),
            "JSAPI getBrandWCPayRequest paySign",
            "002 §4.4",
            "jsapi",
            '{"appId": "wx2421b1c4370ec43b", "timeStamp": "1395712654",'
            ' "nonceStr": "e61463f8efa94090b1f366cccfbbb444",'
            ' "package": "prepay_id=u802345jgfjsdfgsdg888", "signType": "MD5"}',
            sign_type_field="signType",
            fixed_fields=True,
            notes=(
                _("参数名区分大小写：appId、timeStamp、nonceStr、package、signType（002 §4.4）。"),
                _("signType 要与下单时的 sign_type 一致。"),
                _(
                    "002 §4.4 的表格把 appId 写成 String(16)，但它自己的示例 wx2421b1c4370ec43b "
                    "和所有真实的 appId 都是 18 个字符：这里不按 16 个字符检查。"
                ),
            ),
        ),
        Preset(
            "partner-unifiedorder",
            _("服务商统一下单 unifiedorder"),
            "Service provider unified order",
            "服务商统一下单（公开文档）",
            "partner-unifiedorder",
            _PARTNER_UNIFIEDORDER_SAMPLE,
            notes=(
                _(
                    "服务商模式：appid、mch_id 填服务商的，sub_mch_id 填特约商户号（必填），"
                    "用服务商商户号的 API 密钥签名。"
                ),
                _(
                    "用户在特约商户的公众号/小程序（sub_appid）下的 openid 放在 sub_openid，并同时传 sub_appid；"
                    "openid 只放服务商 appid 下的 openid。"
                ),
            ),
        ),
        Preset(
            "partner-jsapi",
            _("服务商 JSAPI 调起支付 paySign"),
            "Service provider JSAPI paySign",
            "服务商 JSAPI 调起支付（公开文档）",
            "jsapi",
            '{"appId": "wxd678efh567hg6999", "timeStamp": "1395712654",'
            ' "nonceStr": "e61463f8efa94090b1f366cccfbbb444",'
            ' "package": "prepay_id=u802345jgfjsdfgsdg888", "signType": "MD5"}',
            sign_type_field="signType",
            fixed_fields=True,
            takes_order=True,
            notes=(
                _(
                    "下单传了 sub_appid 和 sub_openid 时，调起支付的 appId 填 sub_appid，"
                    "paySign 仍用服务商的 API 密钥计算。"
                ),
                _("贴上下单时发送的参数，检查 appId 是否与订单一致。"),
            ),
        ),
        Preset(
            "app",
            _("App 调起支付 sign"),
            "App pay call (OpenSDK PayReq)",
            "003 §3.2.3",
            "app",
            "appid=wxd930ea5d5a258f4f\npartnerid=1900000109\n"
            "prepayid=1101000000140415649af9fc314aa427\npackage=Sign=WXPay\n"
            "noncestr=1101000000140429eb40476f8896f4c9\ntimestamp=1398746574",
            fixed_fields=True,
            notes=(
                _(
                    "App 调起支付的参数名全部小写（appid、partnerid、prepayid、package、noncestr、timestamp），"
                    "和 JSAPI 的驼峰写法不同；package 固定为 Sign=WXPay。"
                ),
            ),
        ),
        Preset(
            "native",
            _("Native 模式一 bizpayurl"),
            "Native mode 1 bizpayurl",
            "002 §4.5",
            "native",
            "weixin://wxpay/bizpayurl?appid=wx2421b1c4370ec43b&mch_id=10000100"
            "&product_id=88888&time_stamp=1415949957&nonce_str=5K8264ILTKCH16CQ2502SI8ZNMTM67VS"
            "&sign=XXXXXX",
            fixed_fields=True,
        ),
        Preset(
            "payscore-enable",
            _("支付分 开启服务页 跳转签名"),
            "Pay Score: jump to the enable-service page",
            "000 #2",
            "payscore-enable",
            "mch_id=1230000109&service_id=88888888000011&out_request_no=1234323JKHDFE1243252"
            "&timestamp=1530097563&nonce_str=zyx53Nkey8o4bHpxTQvd8m7e92nG5mG2&sign_type=HMAC-SHA256",
            default_sign_type=HMAC_SHA256,
            fixed_fields=True,
            entry_points=tuple(ENTRY_POINTS),
            notes=(
                _(
                    "签名是前端跳转用的，不能拿后台接口返回的 sign；"
                    "用 HMAC-SHA256，密钥是 API 密钥，不是 APIv3 密钥（000 #2）。"
                ),
                _(
                    "timestamp 必须是字符串；App 的 query、H5 的 queryString 里的值要 urlencode（000 #2）。"
                ),
            ),
        ),
        Preset(
            "payscore-confirm",
            _("支付分 订单确认页 跳转签名"),
            "Pay Score: jump to the order-confirmation page",
            "000 #3",
            "payscore-confirm",
            "mch_id=1230000109&package=XXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
            "&timestamp=1530097563&nonce_str=zyx53Nkey8o4bHpxTQvd8m7e92nG5mG2&sign_type=HMAC-SHA256",
            default_sign_type=HMAC_SHA256,
            fixed_fields=True,
            entry_points=tuple(ENTRY_POINTS),
            notes=(
                _(
                    "package 用创建订单接口原样返回的值，且只能用一次；"
                    "再次使用会报“订单未获得权益，系统繁忙”（000 #3）。"
                ),
                _("签名用 HMAC-SHA256，密钥是 API 密钥，不是 APIv3 密钥（000 #3）。"),
            ),
        ),
    )
}

# 002 §3.2 worked example, exactly as printed (the key line included, as the document shows it).
DEMO_3_2_PARAMS = (
    ("appid", "wx930ea5d5a258f4f"),
    ("auth_code", "123456"),
    ("body", "test"),
    ("device_info", "123"),
    ("mch_id", "1900000109"),
    ("nonce_str", "960f228109051b9969f76c82bde183ac"),
    ("out_trade_no", "1400755861"),
    ("spbill_create_ip", "127.0.0.1"),
    ("total_fee", "1"),
)
DEMO_3_2_KEY = "8934e7d15453e97507ef794cf7b0519d"
DEMO_3_2_PRINTED_SIGN = "C380BEC2BFD727A4B6845133519F3AD6"
