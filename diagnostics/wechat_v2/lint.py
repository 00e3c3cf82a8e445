"""Each 002 §4 call's own rules for the request-body linter (二选一, refund_fee ≤ total_fee,
bill_date, time formats…), on top of the field tables and generic checks of ``checks``.

V2 calls take XML, a query string, ``name=value`` lines, JSON or a mapping.

>>> from diagnostics.core.lint import lint
>>> lint(LINT_APIS, {"wechat_v2": lint_request}, "orderquery",
...      params={"appid": "wx1", "mch_id": "1", "nonce_str": "n"}).codes
['order_id_missing']
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping

from diagnostics.core.findings import Finding
from diagnostics.core.lint import LintApi, LintResult, did_you_mean, is_ip, parse_time, url_parts
from diagnostics.core.params import from_mapping, parse_params
from diagnostics.core.text import Message, _, joined
from diagnostics.wechat_v2.checks import check_params
from diagnostics.wechat_v2.fields import V2_APIS

V2 = "wechat_v2"

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
    )
}


# --- V2 (002 §4) -----------------------------------------------------------------------------

# sign_type is not in 002's tables but selects HMAC-SHA256 (the signing workbench reads it).
_V2_EXTRA_NAMES = frozenset({"sign_type"})


def lint_request(
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
                suggestion=did_you_mean(name, known),
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
        elif parse_time(bill_date, "%Y%m%d") is None:
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
        moment = parse_time(value, "%Y%m%d%H%M%S") if re.fullmatch(r"\d{14}", value) else None
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
        parts = url_parts(notify_url)
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
    if ip.strip() and not is_ip(ip):
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
