"""The mistakes the Alipay searches name (diagnostics.alipay.mistakes): each one's short title, the
fix in one sentence, and the public page that says how it should be done."""

from __future__ import annotations

from diagnostics.alipay.checks import SRC_SIGN, SRC_VERIFY
from diagnostics.core.mistakes import MistakeInfo, catalogue
from diagnostics.core.text import _

CATALOGUE = catalogue(
    MistakeInfo(
        "values_urlencoded",
        _("参数值 URL 编码后才参与签名"),
        _("签名用参数的原值；URL 编码只在发送时做。"),
        SRC_SIGN,
    ),
    MistakeInfo(
        "sign_type_left_out",
        _("sign_type 没有参与签名"),
        _("请求签名时 sign_type 也参与（只有 sign 不参与）。"),
        SRC_SIGN,
    ),
    MistakeInfo(
        "empty_values_kept",
        _("空值参数参与了签名"),
        _("值为空的参数不参与签名，也不必发送。"),
        SRC_SIGN,
    ),
    MistakeInfo(
        "biz_content_spaces",
        _("签名时的 biz_content 带空格（重新序列化过）"),
        _("签名和发送用同一个 biz_content 字符串：序列化一次，原样签名、原样发送。"),
        SRC_SIGN,
    ),
    MistakeInfo(
        "biz_content_compacted",
        _("签名时的 biz_content 是去掉空格的版本（重新序列化过）"),
        _("签名和发送用同一个 biz_content 字符串：序列化一次，原样签名、原样发送。"),
        SRC_SIGN,
    ),
    MistakeInfo(
        "biz_content_escaped",
        _("签名时 biz_content 的中文被转义成了 \\uXXXX"),
        _("签名和发送用同一个 biz_content 字符串：序列化一次，原样签名、原样发送。"),
        SRC_SIGN,
    ),
    MistakeInfo(
        "biz_content_key_order",
        _("签名时 biz_content 的字段顺序不同（被排序过）"),
        _("签名和发送用同一个 biz_content 字符串：序列化一次，原样签名、原样发送。"),
        SRC_SIGN,
    ),
    # Whole serialisers, each with its defaults together (diagnostics.alipay.mistakes).
    MistakeInfo(
        "biz_content_python_json",
        _(
            "签名时的 biz_content 是 Python json.dumps 的默认写法（“, ”“: ” 带空格，中文转成 \\uXXXX）"
        ),
        _(
            "只序列化一次，签名和发送用同一个字符串，例如 "
            'json.dumps(biz, ensure_ascii=False, separators=(",", ":"))。'
        ),
        SRC_SIGN,
    ),
    MistakeInfo(
        "biz_content_python_json_sorted",
        _(
            "签名时的 biz_content 是 Python json.dumps(…, sort_keys=True) 的写法"
            "（字段排序、带空格、中文转成 \\uXXXX）"
        ),
        _(
            "只序列化一次，签名和发送用同一个字符串，例如 "
            'json.dumps(biz, ensure_ascii=False, separators=(",", ":"))。'
        ),
        SRC_SIGN,
    ),
    MistakeInfo(
        "biz_content_php_json_encode",
        _("签名时的 biz_content 是 PHP json_encode 的默认写法（中文转成 \\uXXXX，“/” 写成 “\\/”）"),
        _(
            "只序列化一次，签名和发送用同一个字符串，例如 "
            "json_encode($biz, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES)。"
        ),
        SRC_SIGN,
    ),
    MistakeInfo(
        "biz_content_php_unescaped_unicode",
        _(
            "签名时的 biz_content 是 PHP json_encode(…, JSON_UNESCAPED_UNICODE) 的写法（“/” 写成 “\\/”）"
        ),
        _(
            "只序列化一次，签名和发送用同一个字符串，例如 "
            "json_encode($biz, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES)。"
        ),
        SRC_SIGN,
    ),
    MistakeInfo(
        "biz_content_gson",
        _("签名时的 biz_content 是 Gson 的默认写法（= & < > ' 转成 \\u003d、\\u0026 等）"),
        _(
            "只序列化一次，签名和发送用同一个字符串；要 Gson 原样写出 = 和 &，"
            "用 new GsonBuilder().disableHtmlEscaping().create()。"
        ),
        SRC_SIGN,
    ),
    MistakeInfo(
        "charset_swapped",
        _("签名时用的字符集与 charset 参数不同（GBK 与 UTF-8）"),
        _("把待签名字符串按 charset 参数指定的字符集转成字节再签名。"),
        SRC_SIGN,
    ),
    MistakeInfo(
        "digest_swapped",
        _("签名算法与 sign_type 不一致（RSA 与 RSA2 混用）"),
        _("sign_type=RSA2 用 SHA256withRSA，sign_type=RSA 用 SHA1withRSA。"),
        SRC_SIGN,
    ),
    MistakeInfo(
        "cert_sns_left_out",
        _("app_cert_sn、alipay_root_cert_sn 没有参与签名"),
        _("公钥证书模式下这两个参数先放进参数里，再签名；公钥模式下两个都不要发送。"),
        SRC_SIGN,
    ),
    MistakeInfo(
        "not_sorted",
        _("参数没有按名称排序"),
        _("参数按名称的 ASCII 码升序排序后再拼接。"),
        SRC_SIGN,
    ),
    MistakeInfo(
        "sign_type_signed",
        _("sign_type 参与了验签"),
        _(
            "通知验签时去掉 sign 和 sign_type；服务市场等少数通知例外，"
            "它们的签名包含 sign_type（官方 SDK 两种都试）。"
        ),
        SRC_VERIFY,
    ),
    MistakeInfo(
        "decoded_twice",
        _("参数值被 URL 解码了两次"),
        _("收到的参数只解码一次（多数框架已经解过了，不要再解）。"),
        SRC_VERIFY,
    ),
    MistakeInfo(
        "not_decoded",
        _("参数值没有 URL 解码"),
        _("验签用解码一次后的原值（读取表单参数的接口已经解码）。"),
        SRC_VERIFY,
    ),
    MistakeInfo(
        "plus_as_space",
        _("值里的 “+” 变成了空格"),
        _("只解码一次：%2B 解出的 “+” 不要再当作空格。"),
        SRC_VERIFY,
    ),
    MistakeInfo(
        "values_html_escaped",
        _("值被 HTML 转义了（如 fund_bill_list 里的 &quot;）"),
        _("验签用收到的原始值：关掉框架对请求参数的 HTML/XSS 转义，或先反转义。"),
        SRC_VERIFY,
    ),
    MistakeInfo(
        "param_dropped",
        _("少了一个参数"),
        _("通知里除 sign、sign_type 外的每个参数都要参与验签，包括你不认识的新参数。"),
        SRC_VERIFY,
    ),
    MistakeInfo(
        "param_added",
        _("多了一个支付宝没有签的参数"),
        _("只用支付宝 POST 过来的参数验签：不要混入 URL 里的参数或自己加的字段。"),
        SRC_VERIFY,
    ),
    MistakeInfo(
        "empty_values_signed",
        _("空值参数参与了验签"),
        _("值为空的参数不参与验签。"),
        SRC_VERIFY,
    ),
    MistakeInfo(
        "response_reserialised",
        _("应答被解析后重新序列化了"),
        _("验签用应答原文里 xxx_response 的值，逐字节截取，不要解析后再转回 JSON。"),
        SRC_VERIFY,
    ),
)
