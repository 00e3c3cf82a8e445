"""Request-body linter: what is wrong with a request before it is signed and sent.

V2 calls (002 §4) take XML, a query string, ``name=value`` lines, JSON or a mapping; the field
tables and the generic checks come from :mod:`diagnostics.wechat_v2.checks`, and this module adds
each call's own rules (二选一, refund_fee ≤ total_fee, bill_date, time formats...). The APIv3 App
合单下单 (004, ``POST /v3/combine-transactions/app``) takes a JSON body checked against 004's body
table, nested objects and arrays included; findings name the path, e.g.
``sub_orders[1].amount.total_amount``.

Length limits count characters, as the documents' ``String(n)`` / ``string(n)`` do: neither 002 nor
004 says that a field is measured in UTF-8 bytes, so no field is.

>>> lint("orderquery", params={"appid": "wx1", "mch_id": "1", "nonce_str": "n"}).codes
['order_id_missing']
"""

from __future__ import annotations

import dataclasses
import difflib
import ipaddress
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import SplitResult

from diagnostics.core.params import (
    MAX_INPUT_CHARS,
    MAX_NESTING,
    Finding,
    ParseError,
    from_mapping,
    load_json,
    nesting_depth,
    parse_params,
    split_url,
    yuan_to_fen,
)
from diagnostics.core.text import Message, _, joined
from diagnostics.wechat_v2.checks import check_params
from diagnostics.wechat_v2.fields import V2_APIS


@dataclass(frozen=True)
class LintApi:
    slug: str
    title: str  # a label: forms.py marks it with gettext_noop, templates translate it
    source: str
    kind: str  # "v2": XML / params; "v3": JSON body
    notes: tuple[Message, ...] = ()  # what the document says that no linter can check


@dataclass(frozen=True)
class LintResult:
    api: LintApi
    format: str
    findings: tuple[Finding, ...]
    fields_checked: int

    @property
    def codes(self) -> list[str]:
        return [finding.code for finding in self.findings]


V2 = "v2"
V3 = "v3"

LINT_APIS: dict[str, LintApi] = {
    api.slug: api
    for api in (
        LintApi("unifiedorder", "统一下单 unifiedorder (V2)", "002 §4.1", V2),
        LintApi(
            "orderquery",
            "订单查询 orderquery (V2)",
            "002 §4.3",
            V2,
            (_("transaction_id、out_trade_no 二选一，同时存在时以 transaction_id 为准。"),),
        ),
        LintApi("closeorder", "关闭订单 closeorder (V2)", "002 §4.7", V2),
        LintApi(
            "refund",
            "退款申请 refund (V2)",
            "002 §4.8",
            V2,
            (
                _("请求需要双向证书，并先在商户后台添加操作员。"),
                _("交易时间超过 1 年的订单无法提交退款。"),
                _(
                    "部分退款：同一订单号、不同的 out_refund_no；"
                    "一笔退款失败后重新提交，要沿用原来的 out_refund_no。"
                ),
                _("总退款金额不能超过用户实际支付金额。"),
            ),
        ),
        LintApi(
            "refundquery",
            "退款查询 refundquery (V2)",
            "002 §4.9",
            V2,
            (_("零钱支付的退款 20 分钟内到账，银行卡支付的退款 3 个工作日后再查询。"),),
        ),
        LintApi(
            "downloadbill",
            "下载对账单 downloadbill (V2)",
            "002 §4.10",
            V2,
            (
                _("微信在次日 9 点启动生成前一天的对账单，建议 9 点半后再获取。"),
                _("对账单中涉及金额的字段单位为“元”（不是下单时的“分”）。"),
                _("bill_type 不传时为 ALL（表中写作“ALL，返回当日所有订单信息，默认值”）。"),
            ),
        ),
        LintApi(
            "combine-app",
            "App 合单下单 POST /v3/combine-transactions/app (APIv3)",
            "004",
            V3,
            (
                _(
                    "combine_appid 填移动应用类型的 APPID，并与 combine_mchid 有绑定关系"
                    "（否则 APPID_MCHID_NOT_MATCH）。"
                ),
                _(
                    "time_expire 只能在首次下单时设置，之后不允许修改；"
                    "早于下单后 1 分钟的会被自动调整为下单后 1 分钟。"
                ),
            ),
        ),
    )
}


def lint(
    api: str, *, params: Mapping[str, object] | None = None, body: str | None = None
) -> LintResult:
    """Lint one request for ``api`` (a LINT_APIS key), given as ``params`` or a pasted ``body``.

    ``params`` wins when both are given. Raises :class:`ParseError` for an unknown api, for no
    input, and for a body that cannot be read at all.
    """
    lint_api = LINT_APIS.get(api)
    if lint_api is None:
        raise ParseError(
            "unknown_api",
            _(
                "不认识的接口 {api}；可选：{choices}。",
                api=repr(api[:40]),
                choices=joined(_("、"), LINT_APIS),
            ),
        )
    if not params:
        params = None  # an empty form counts as not given; the body is read instead
        if body is None or not body.strip():
            raise ParseError("no_input", _("没有要检查的内容：请粘贴请求报文，或给出参数。"))
    if lint_api.kind == V2:
        return _lint_v2(lint_api, params, body)
    return _lint_v3(lint_api, params, body)


# --- V2 (002 §4) -----------------------------------------------------------------------------

# sign_type is not in 002's tables but selects HMAC-SHA256 (the signing workbench reads it).
_V2_EXTRA_NAMES = frozenset({"sign_type"})


def _lint_v2(
    lint_api: LintApi, params: Mapping[str, object] | None, body: str | None
) -> LintResult:
    parsed = from_mapping(params) if params is not None else parse_params(body or "")
    values = dict(parsed.pairs)
    call_findings = _V2_RULES[lint_api.slug](values, lint_api.source)
    # A format finding (bill_date="2014-06-03") already explains why the value is too long.
    explained = {finding.field for finding in call_findings}
    findings = list(parsed.findings)
    findings += [
        _v2_enrich(finding, lint_api.slug)
        for finding in check_params(parsed.pairs, lint_api.slug)
        if not (finding.code == "too_long" and finding.field in explained)
    ]
    findings += _v2_fields_not_in_table(values, lint_api)
    findings += call_findings
    return LintResult(lint_api, parsed.format, tuple(findings), len(parsed.pairs))


def _v2_enrich(finding: Finding, api: str) -> Finding:
    if api == "refund" and finding.code == "required_missing" and finding.field == "op_user_id":
        # 002 §4.8: 操作员帐号, 默认为商户号 — the table still marks it 必填.
        return dataclasses.replace(
            finding,
            message=_(
                "缺少 op_user_id：002 §4.8 的表中它是必填，说明写“默认为商户号”，"
                "没有单独的操作员时填 mch_id 的值。"
            ),
        )
    return finding


def _v2_fields_not_in_table(values: dict[str, str], lint_api: LintApi) -> list[Finding]:
    known = {spec.name.lower() for spec in V2_APIS[lint_api.slug]} | _V2_EXTRA_NAMES
    # Names that differ only in case are already reported by check_params as name_case.
    return [
        Finding(
            "field_not_in_table",
            _(
                "{name} 不在 {source} 的请求参数表里：检查拼写（参数名区分大小写）{suggestion}；"
                "多出的参数同样参与签名。",
                name=name,
                source=lint_api.source,
                suggestion=_did_you_mean(name, known),
            ),
            lint_api.source,
            name,
        )
        for name in values
        if name.lower() not in known
    ]


def _present(values: dict[str, str], name: str) -> bool:
    return bool(values.get(name, "").strip())


def _order_id_rules(values: dict[str, str], source: str) -> list[Finding]:
    """002 §4.3 / §4.8: transaction_id、out_trade_no 二选一; both → transaction_id 优先."""
    has_transaction_id = _present(values, "transaction_id")
    if not has_transaction_id and not _present(values, "out_trade_no"):
        return [
            Finding(
                "order_id_missing",
                _(
                    "transaction_id 和 out_trade_no 至少要传一个（二选一）：填微信订单号 transaction_id，"
                    "或下单时的商户订单号 out_trade_no。"
                ),
                source,
                "out_trade_no",
            )
        ]
    if has_transaction_id and _present(values, "out_trade_no"):
        return [
            Finding(
                "order_id_priority",
                _(
                    "transaction_id 和 out_trade_no 同时存在时以 transaction_id 为准"
                    "（优先级 transaction_id > out_trade_no）；两者须指向同一笔订单。"
                ),
                source,
                "transaction_id",
            )
        ]
    return []


def _closeorder_rules(values: dict[str, str], source: str) -> list[Finding]:
    # 002 §4.7: the table marks out_trade_no 否, yet it is the only way to name the order to close.
    if _present(values, "out_trade_no"):
        return []
    return [
        Finding(
            "out_trade_no_missing",
            _(
                "关闭订单要用 out_trade_no 指明要关的订单（下单时的商户订单号）；"
                "关单后用新订单号重新下单。"
            ),
            source,
            "out_trade_no",
        )
    ]


def _refund_rules(values: dict[str, str], source: str) -> list[Finding]:
    findings = _order_id_rules(values, source)
    total_fee = values.get("total_fee", "").strip()
    refund_fee = values.get("refund_fee", "").strip()
    digits = re.compile(r"[0-9]{1,18}")
    if (
        digits.fullmatch(total_fee)
        and digits.fullmatch(refund_fee)
        and int(refund_fee) > int(total_fee)
    ):
        findings.append(
            Finding(
                "refund_fee_invalid",
                _(
                    "refund_fee={refund_fee} 大于 total_fee={total_fee}：平台会返回 REFUND_FEE_INVALID"
                    "（退款金额大于支付金额）。退款金额不能超过订单总金额，单位都是分。",
                    refund_fee=refund_fee,
                    total_fee=total_fee,
                ),
                f"{source}; 002 §6",
                "refund_fee",
            )
        )
    return findings


# 002 §4.9: 如果同时存在优先级为 refund_id > out_refund_no > transaction_id > out_trade_no
REFUND_QUERY_IDS = ("refund_id", "out_refund_no", "transaction_id", "out_trade_no")


def _refundquery_rules(values: dict[str, str], source: str) -> list[Finding]:
    given = [name for name in REFUND_QUERY_IDS if _present(values, name)]
    if not given:
        return [
            Finding(
                "refund_query_id_missing",
                _("refund_id、out_refund_no、transaction_id、out_trade_no 四个参数必填一个。"),
                source,
                "refund_id",
            )
        ]
    if len(given) > 1:
        return [
            Finding(
                "refund_query_id_priority",
                _(
                    "同时传了 {given}：按优先级 refund_id > out_refund_no > transaction_id > "
                    "out_trade_no，以 {winner} 为准，其余不起作用。",
                    given=joined(_("、"), given),
                    winner=given[0],
                ),
                source,
                given[0],
            )
        ]
    return []


# 002 §4.10: ALL，返回当日所有订单信息，默认值 / SUCCESS，返回当日成功支付的订单 / REFUND，返回当日退款订单
BILL_TYPES = ("ALL", "SUCCESS", "REFUND")


def _downloadbill_rules(values: dict[str, str], source: str) -> list[Finding]:
    findings = []
    bill_date = values.get("bill_date", "")
    if bill_date.strip():
        if not re.fullmatch(r"\d{8}", bill_date):
            findings.append(
                Finding(
                    "bill_date_format",
                    _(
                        "bill_date={value} 不是 yyyyMMdd 的 8 位数字（例如 20140603），"
                        "不要带 - 或 /。",
                        value=repr(bill_date[:40]),
                    ),
                    source,
                    "bill_date",
                )
            )
        elif _parse_time(bill_date, "%Y%m%d") is None:
            findings.append(
                Finding(
                    "bill_date_format",
                    _("bill_date={value} 不是一个真实的日期（yyyyMMdd）。", value=bill_date),
                    source,
                    "bill_date",
                )
            )
    bill_type = values.get("bill_type", "")
    if bill_type.strip() and bill_type not in BILL_TYPES:
        if bill_type.upper() in BILL_TYPES:
            hint = _("要大写：{value}。", value=bill_type.upper())
        elif bill_type.upper() == "REVOKED":
            hint = _("REVOKED 是对账单里撤销交易的类型，不是请求参数；撤销的交易在 ALL 账单里。")
        else:
            hint = _("不传则为 ALL。")
        findings.append(
            Finding(
                "bill_type_invalid",
                _(
                    "bill_type={value} 不是 ALL、SUCCESS、REFUND 之一；{hint}",
                    value=repr(bill_type[:40]),
                    hint=hint,
                ),
                source,
                "bill_type",
            )
        )
    return findings


def _unifiedorder_rules(values: dict[str, str], source: str) -> list[Finding]:
    findings = []
    times = {}
    for name in ("time_start", "time_expire"):
        value = values.get(name, "")
        if not value.strip():
            continue
        moment = _parse_time(value, "%Y%m%d%H%M%S") if re.fullmatch(r"\d{14}", value) else None
        if moment is None:
            findings.append(Finding("time_format", _v2_time_message(name, value), source, name))
        else:
            times[name] = moment
    if len(times) == 2 and times["time_expire"] <= times["time_start"]:
        findings.append(
            Finding(
                "time_expire_before_start",
                _("time_expire（订单失效时间）不晚于 time_start（订单生成时间）。"),
                source,
                "time_expire",
            )
        )
    notify_url = values.get("notify_url", "")
    if notify_url.strip():
        parts = _split_url(notify_url)
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            findings.append(
                Finding(
                    "notify_url_invalid",
                    _(
                        "notify_url={value} 不是完整的 http(s) 地址：要以 http:// 或 https:// "
                        "开头并带域名，微信支付从外网 POST 通知到这里。",
                        value=repr(notify_url[:60]),
                    ),
                    source,
                    "notify_url",
                )
            )
    ip = values.get("spbill_create_ip", "")
    if ip.strip() and not _is_ip(ip):
        findings.append(
            Finding(
                "spbill_create_ip_invalid",
                _(
                    "spbill_create_ip={value} 不是 IP 地址：填订单生成的机器 IP（如 127.0.0.1），"
                    "不是域名或端口。",
                    value=repr(ip[:40]),
                ),
                source,
                "spbill_create_ip",
            )
        )
    return findings


def _v2_time_message(name: str, value: str) -> Message:
    # 002 §4.1: yyyyMMddHHmmss, 如 2009 年 12 月 25 日 9 点 10 分 10 秒表示为 20091225091010, GMT+8
    if re.fullmatch(r"\d{10}|\d{13}", value):
        why = _("像 Unix 时间戳")
    elif re.fullmatch(r"\d{14}", value):
        why = _("不是一个真实的时间")
    elif re.search(r"[-/: T]", value):
        why = _("带了分隔符")
    else:
        why = _("格式不对")
    return _(
        "{name}={value} {why}：格式为 yyyyMMddHHmmss 的 14 位数字，北京时间，"
        "如 2009 年 12 月 25 日 9 点 10 分 10 秒写作 20091225091010。",
        name=name,
        value=repr(value[:40]),
        why=why,
    )


_V2_RULES: dict[str, Callable[[dict[str, str], str], list[Finding]]] = {
    "unifiedorder": _unifiedorder_rules,
    "orderquery": _order_id_rules,
    "closeorder": _closeorder_rules,
    "refund": _refund_rules,
    "refundquery": _refundquery_rules,
    "downloadbill": _downloadbill_rules,
}


# --- V3 App 合单下单 (004) ----------------------------------------------------------------------

STRING = "string"
OBJECT = "object"
ARRAY = "array"
INTEGER = "integer"
BOOLEAN = "boolean"

TYPE_NAMES = {
    STRING: _("字符串"),
    OBJECT: _("对象 {…}"),
    ARRAY: _("数组 […]"),
    INTEGER: _("整数"),
    BOOLEAN: _("布尔值"),
}

# A check on one present, well-typed value: (path, value) -> findings.
ValueCheck = Callable[[str, object], list[Finding]]


@dataclass(frozen=True)
class JsonField:
    """One row of 004's body table; ``fields`` are an object's (or each array item's) fields."""

    name: str
    kind: str
    required: bool = False
    max_length: int | None = None  # string(n), counted in characters
    fields: tuple[JsonField, ...] = ()
    min_items: int | None = None
    max_items: int | None = None
    check: ValueCheck | None = None
    source: str = "004"


def _json_type(value: object) -> Message:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _("布尔值")
    if isinstance(value, int):
        return _("整数")
    if isinstance(value, float):
        return _("小数")
    if isinstance(value, str):
        return _("字符串")
    if isinstance(value, Mapping):
        return _("对象")
    if isinstance(value, list | tuple):
        return _("数组")
    return type(value).__name__


# 004: 要求6~32个字符内，只能是数字、大小写字母_-|*
OUT_TRADE_NO = re.compile(r"[0-9A-Za-z_\-|*]{6,32}")
OUT_TRADE_NO_CHAR = re.compile(r"[0-9A-Za-z_\-|*]")


def _check_out_trade_no(path: str, value: object) -> list[Finding]:
    assert isinstance(value, str)
    if len(value) > 32 or OUT_TRADE_NO.fullmatch(value):
        return []  # over 32 is reported as too_long
    if len(value) < 6:
        why = _("只有 {count} 个字符，至少 6 个", count=len(value))
    else:
        bad = "".join(sorted({char for char in value if not OUT_TRADE_NO_CHAR.fullmatch(char)}))
        why = _("含有不允许的字符 {chars}", chars=repr(bad[:20]))
    return [
        Finding(
            "out_trade_no_format",
            _(
                "{path}={value} {why}：要求 6~32 个字符，只能是数字、大小写字母和 _ - | *。",
                path=path,
                value=repr(value[:40]),
                why=why,
            ),
            "004",
            path,
        )
    ]


def _check_payer_client_ip(path: str, value: object) -> list[Finding]:
    # 004: 用户端实际IP, 支持IPv4和IPv6两种格式的IP地址
    assert isinstance(value, str)
    if _is_ip(value):
        return []
    return [
        Finding(
            "payer_client_ip_invalid",
            _(
                "{path}={value} 不是 IPv4 或 IPv6 地址：填用户端的实际 IP（如 14.17.22.32），"
                "不带端口、不是服务器域名。",
                path=path,
                value=repr(value[:50]),
            ),
            "004",
            path,
        )
    ]


def _check_total_amount(path: str, value: object) -> list[Finding]:
    # Called for every JSON type: the amount has messages of its own for floats and strings.
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return [_wrong_type(path, INTEGER, value, "004")]
    if isinstance(value, float) or (isinstance(value, str) and value.strip()):
        text = str(value).strip()
        if isinstance(value, float) and value.is_integer():
            fix = _("写成整数 {fen}", fen=int(value))
        elif re.fullmatch(r"\d+", text):
            fix = _("去掉引号写成 JSON 整数 {fen}", fen=text)
        elif "." in text and yuan_to_fen(text) is not None:
            fix = _("单位是分：{yuan} 元应写作整数 {fen}", yuan=text, fen=yuan_to_fen(text))
        else:
            fix = _("只能是整数")
        return [
            Finding(
                "amount_not_integer_fen",
                _(
                    "{path}={value} 不是整数：金额单位为分，"
                    '是 JSON 整数（004 请求示例 "total_amount" : 10），{fix}。',
                    path=path,
                    value=json.dumps(value, ensure_ascii=False)[:40],
                    fix=fix,
                ),
                "004",
                path,
            )
        ]
    if isinstance(value, str):
        return [_wrong_type(path, INTEGER, value, "004")]
    if value <= 0:
        return [
            Finding(
                "amount_not_positive",
                _("{path}={value}：子单金额（分）必须大于 0。", path=path, value=value),
                "004",
                path,
            )
        ]
    return []


def _check_currency(path: str, value: object) -> list[Finding]:
    assert isinstance(value, str)
    if value == "CNY":
        return []
    hint = _("要大写") if value.strip().upper() == "CNY" else _("人民币写作 CNY")
    return [
        Finding(
            "currency_invalid",
            _(
                '{path}={value} 不对：{hint}（004 请求示例 "currency" : "CNY"）。',
                path=path,
                value=repr(value[:20]),
                hint=hint,
            ),
            "004",
            path,
        )
    ]


# 004 time_expire: rfc3339 yyyy-MM-DDTHH:mm:ss+TIMEZONE, 示例 2015-05-20T13:29:35+08:00
RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))"
)


def _check_time_expire(path: str, value: object) -> list[Finding]:
    assert isinstance(value, str)
    match = RFC3339.fullmatch(value)
    if match and not match.group(7):
        real = _parse_time(value[:19], "%Y-%m-%dT%H:%M:%S")
        offset_ok = match.group(8) == "Z" or (
            int(match.group(9)) <= 23 and int(match.group(10)) <= 59
        )
        if real is not None and offset_ok:
            return []
        why = _("不是一个真实的时间")
    elif re.fullmatch(r"\d{13}", value):
        why = _("是毫秒时间戳")
    elif re.fullmatch(r"\d{10}", value):
        why = _("是 Unix 时间戳")
    elif match:
        why = _("带了毫秒（秒的小数部分）")
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}.*", value):
        why = _("日期和时间之间要用字母 T 分隔，不是空格")
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", value):
        why = _("缺少时区（北京时间是 +08:00）")
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}", value):
        why = _("时区要写成 +08:00（带冒号）")
    else:
        why = _("格式不对")
    return [
        Finding(
            "time_expire_format",
            _(
                "{path}={value} {why}：要求 RFC 3339 格式 yyyy-MM-DDTHH:mm:ss+TIMEZONE，"
                "如 2015-05-20T13:29:35+08:00（北京时间 2015 年 5 月 20 日 13 点 29 分 35 秒）。",
                path=path,
                value=repr(value[:40]),
                why=why,
            ),
            "004",
            path,
        )
    ]


def _check_notify_url(path: str, value: object) -> list[Finding]:
    assert isinstance(value, str)
    parts = _split_url(value)
    if parts is None or not parts.hostname or parts.scheme not in ("http", "https"):
        return [
            Finding(
                "notify_url_invalid",
                _(
                    "{path}={value} 不是完整的 URL：要写成 https://域名/路径，"
                    "是微信支付能从外网直接访问的地址。",
                    path=path,
                    value=repr(value[:60]),
                ),
                "004",
                path,
            )
        ]
    findings = []
    if parts.scheme != "https":
        # 004 refers to its "notify_url填写注意事项" (not among the seeds); APIv3 callbacks are
        # https, as is 004's example https://yourapp.com/notify.
        findings.append(
            Finding(
                "notify_url_not_https",
                _(
                    "{path} 用的是 {scheme}://：APIv3 的回调地址要用 https://"
                    "（如 004 示例 https://yourapp.com/notify）。",
                    path=path,
                    scheme=parts.scheme,
                ),
                "004",
                path,
            )
        )
    if parts.query or "?" in value or parts.fragment:
        findings.append(
            Finding(
                "notify_url_query",
                _(
                    "{path} 带了查询串或 # 片段：回调地址必须是可直接访问的 URL，不允许携带查询串；"
                    "需要区分订单时用路径，或在通知内容里取 out_trade_no。",
                    path=path,
                ),
                "003 §3.2.1; 004",
                path,
            )
        )
    return findings


# 004 body 包体参数. sub_orders' amount attributes are not expanded in 004's table; total_amount
# (Long) and currency come from its request example and SDK classes, as does settle_info's
# profit_sharing (Boolean) and the top-level trade_scenario (String, not in the table).
COMBINE_APP_BODY = (
    JsonField("combine_appid", STRING, True, 32),
    JsonField("combine_out_trade_no", STRING, True, 32, check=_check_out_trade_no),
    JsonField("combine_mchid", STRING, True, 32),
    JsonField(
        "scene_info",
        OBJECT,
        fields=(
            JsonField("device_id", STRING, False, 16),
            JsonField("payer_client_ip", STRING, True, 45, check=_check_payer_client_ip),
        ),
    ),
    JsonField(
        "sub_orders",
        ARRAY,
        True,
        min_items=2,  # 004: 一笔合单支付订单可支持2-10笔子单交易
        max_items=10,
        fields=(
            JsonField("mchid", STRING, True, 32),
            JsonField("attach", STRING, True, 128),
            JsonField(
                "amount",
                OBJECT,
                True,
                fields=(
                    JsonField("total_amount", INTEGER, True, check=_check_total_amount),
                    JsonField(
                        "currency", STRING, True, 8, check=_check_currency, source="004 请求示例"
                    ),
                ),
            ),
            JsonField("out_trade_no", STRING, True, 32, check=_check_out_trade_no),
            JsonField("detail", STRING, False, 6000),
            JsonField("description", STRING, True, 127),
            JsonField(
                "settle_info",
                OBJECT,
                fields=(JsonField("profit_sharing", BOOLEAN, source="004 请求示例"),),
            ),
            JsonField("goods_tag", STRING, False, 32),
        ),
    ),
    JsonField("combine_payer_info", OBJECT, fields=(JsonField("openid", STRING, False, 128),)),
    JsonField("time_expire", STRING, check=_check_time_expire),
    JsonField("notify_url", STRING, True, 255, check=_check_notify_url),
    JsonField("trade_scenario", STRING, source="004 示例代码"),
)


class _Walk:
    """Checks a decoded JSON value against a field table, collecting findings and a field count."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.fields_checked = 0

    def object(self, value: Mapping[str, object], fields: Sequence[JsonField], path: str) -> None:
        known = {field.name: field for field in fields}
        for name in value:
            self.fields_checked += 1
            if name not in known:
                where = f"{path}.{name}" if path else str(name)
                self.findings.append(
                    Finding(
                        "unknown_field",
                        _(
                            "{path} 不在 004 的参数表里{suggestion}；"
                            "多半是拼写错误，平台会当作参数错误或忽略它。",
                            path=where,
                            suggestion=_did_you_mean(str(name), known),
                        ),
                        "004",
                        where,
                    )
                )
        for field in fields:
            where = f"{path}.{field.name}" if path else field.name
            if field.name not in value:
                if field.required:
                    self.findings.append(
                        Finding(
                            "required_missing",
                            _("缺少必填字段 {path}。", path=where),
                            field.source,
                            where,
                        )
                    )
                continue
            self.value(value[field.name], field, where)

    def value(self, value: object, field: JsonField, path: str) -> None:
        if value is None:
            self.findings.append(
                Finding(
                    "null_value",
                    _(
                        "{path} 是 null：{fix}（应为{kind}）。",
                        path=path,
                        fix=_("必填字段要给出值") if field.required else _("不传就省略这个字段"),
                        kind=TYPE_NAMES[field.kind],
                    ),
                    field.source,
                    path,
                )
            )
            return
        if field.kind == INTEGER and field.check:
            self.findings += field.check(path, value)
            return
        if not _has_kind(value, field.kind):
            self.findings.append(_wrong_type(path, field.kind, value, field.source))
            return
        if field.kind == STRING:
            assert isinstance(value, str)
            self._string(value, field, path)
        elif field.kind == OBJECT:
            assert isinstance(value, Mapping)
            self.object(value, field.fields, path)
        elif field.kind == ARRAY:
            assert isinstance(value, list | tuple)
            self._array(value, field, path)

    def _string(self, value: str, field: JsonField, path: str) -> None:
        if field.required and not value.strip():
            self.findings.append(
                Finding(
                    "required_missing",
                    _("{path} 是空字符串，它是必填字段。", path=path),
                    field.source,
                    path,
                )
            )
            return
        # Characters, not bytes: 004's string(n) — "不能超过127个字符", "128字符以内".
        if field.max_length and len(value) > field.max_length:
            self.findings.append(
                Finding(
                    "too_long",
                    _(
                        "{path} 有 {count} 个字符，超过 string({limit})。",
                        path=path,
                        count=len(value),
                        limit=field.max_length,
                    ),
                    field.source,
                    path,
                )
            )
        elif field.check:
            self.findings += field.check(path, value)

    def _array(self, items: Sequence[object], field: JsonField, path: str) -> None:
        count = len(items)
        if (field.min_items and count < field.min_items) or (
            field.max_items and count > field.max_items
        ):
            self.findings.append(
                Finding(
                    f"{field.name}_count",
                    _(
                        "{path} 有 {count} 笔：一笔合单支付订单可支持 {min}-{max} 笔子单交易；"
                        "只有一笔时用普通 App 下单。",
                        path=path,
                        count=count,
                        min=field.min_items,
                        max=field.max_items,
                    ),
                    field.source,
                    path,
                )
            )
        for index, item in enumerate(items):
            where = f"{path}[{index}]"
            if isinstance(item, Mapping):
                self.object(item, field.fields, where)
            else:
                self.findings.append(_wrong_type(where, OBJECT, item, field.source))


def _has_kind(value: object, kind: str) -> bool:
    if kind == STRING:
        return isinstance(value, str)
    if kind == OBJECT:
        return isinstance(value, Mapping)
    if kind == ARRAY:
        return isinstance(value, list | tuple)
    if kind == BOOLEAN:
        return isinstance(value, bool)
    return isinstance(value, int) and not isinstance(value, bool)


def _wrong_type(path: str, kind: str, value: object, source: str) -> Finding:
    shown = json.dumps(value, ensure_ascii=False, default=str)
    return Finding(
        "wrong_type",
        _(
            "{path} 应为{kind}，这里是{actual} {value}。",
            path=path,
            kind=TYPE_NAMES[kind],
            actual=_json_type(value),
            value=shown[:40],
        ),
        source,
        path,
    )


def _sub_order_findings(body: Mapping[str, object]) -> list[Finding]:
    """004: each 子单商户订单号 is unique under the combine merchant — no repeats in one request."""
    sub_orders = body.get("sub_orders")
    if not isinstance(sub_orders, list | tuple):
        return []
    first_seen: dict[str, int] = {}
    findings = []
    for index, sub_order in enumerate(sub_orders):
        if not isinstance(sub_order, Mapping):
            continue
        number = sub_order.get("out_trade_no")
        if not isinstance(number, str) or not number:
            continue
        if number in first_seen:
            path = f"sub_orders[{index}].out_trade_no"
            findings.append(
                Finding(
                    "duplicate_out_trade_no",
                    _(
                        "{path}={value} 与 sub_orders[{index}] 重复：每笔子单要有自己的商户订单号，"
                        "且在同一个合单商户号下唯一（否则 OUT_TRADE_NO_USED）。",
                        path=path,
                        value=repr(number[:40]),
                        index=first_seen[number],
                    ),
                    "004",
                    path,
                )
            )
        else:
            first_seen[number] = index
    return findings


def _lint_v3(
    lint_api: LintApi, params: Mapping[str, object] | None, body: str | None
) -> LintResult:
    findings: list[Finding] = []
    if params is not None:
        decoded: object = params
    else:
        decoded = _load_json_body(body or "", findings)
    if not isinstance(decoded, Mapping):
        raise ParseError("json_not_object", _("请求体必须是一个 JSON 对象 {…}。"))
    if nesting_depth(decoded) > MAX_NESTING:
        raise ParseError("json_too_deep", _("JSON 嵌套超过 {depth} 层。", depth=MAX_NESTING))
    walk = _Walk()
    walk.object(decoded, COMBINE_APP_BODY, "")
    findings += walk.findings
    findings += _sub_order_findings(decoded)
    return LintResult(lint_api, "json", tuple(findings), walk.fields_checked)


def _load_json_body(body: str, findings: list[Finding]) -> object:
    if len(body) > MAX_INPUT_CHARS or len(body.encode("utf-8", "surrogatepass")) > MAX_INPUT_CHARS:
        raise ParseError("too_large", _("请求体超过 {size} KiB。", size=MAX_INPUT_CHARS // 1024))
    text = body.lstrip("\ufeff").strip()
    if not text.startswith("{"):
        raise ParseError(
            "json_not_object", _("APIv3 的请求体是一个 JSON 对象 {…}；请粘贴 -d 后面的 JSON。")
        )
    duplicates: list[str] = []

    def pairs_hook(pairs: list[tuple[str, object]]) -> dict[str, object]:
        result: dict[str, object] = {}
        for name, value in pairs:
            if name in result:
                duplicates.append(name)
            result[name] = value
        return result

    decoded = load_json(text, object_pairs_hook=pairs_hook)
    for name in dict.fromkeys(duplicates):
        findings.append(
            Finding(
                "duplicate_name",
                _(
                    "字段 {name} 在同一个 JSON 对象里出现了不止一次；"
                    "只有最后一个值有效，签名时是整个原文。",
                    name=name,
                ),
                "004",
                name,
            )
        )
    return decoded


# --- shared helpers ------------------------------------------------------------------------------


def _did_you_mean(name: str, known: Mapping[str, object] | set[str] | frozenset[str]) -> Message:
    close = difflib.get_close_matches(name.lower(), list(known), n=1, cutoff=0.75)
    return _("（是不是 {name}？）", name=close[0]) if close else ""


def _parse_time(value: str, pattern: str) -> datetime | None:
    try:
        return datetime.strptime(value, pattern)
    except ValueError:
        return None


def _split_url(value: str) -> SplitResult | None:
    if value != value.strip() or re.search(r"\s", value):
        return None
    try:
        return split_url(value)
    except ParseError:
        return None


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
