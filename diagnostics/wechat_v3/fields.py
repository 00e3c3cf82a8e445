"""APIv3 JSON bodies checked against a field table: the field types, the value checks the tables
share (out_trade_no, amounts, currency, time_expire, notify_url, client IP), and the walker that
goes through nested objects and arrays naming each path (``sub_orders[1].amount.total_amount``)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.lint import did_you_mean, is_ip, parse_time, url_parts
from diagnostics.core.params import (
    MAX_INPUT_CHARS,
    load_json,
    yuan_to_fen,
)
from diagnostics.core.text import Message, _

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


def json_type(value: object) -> Message:
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


def check_out_trade_no(path: str, value: object) -> list[Finding]:
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


def check_payer_client_ip(path: str, value: object) -> list[Finding]:
    # 004: 用户端实际IP, 支持IPv4和IPv6两种格式的IP地址
    assert isinstance(value, str)
    if is_ip(value):
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


def check_total_amount(path: str, value: object) -> list[Finding]:
    # Called for every JSON type: the amount has messages of its own for floats and strings.
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return [wrong_type(path, INTEGER, value, "004")]
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
        return [wrong_type(path, INTEGER, value, "004")]
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


def check_currency(path: str, value: object) -> list[Finding]:
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


def check_time_expire(path: str, value: object) -> list[Finding]:
    assert isinstance(value, str)
    match = RFC3339.fullmatch(value)
    if match and not match.group(7):
        real = parse_time(value[:19], "%Y-%m-%dT%H:%M:%S")
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


def check_notify_url(path: str, value: object) -> list[Finding]:
    assert isinstance(value, str)
    parts = url_parts(value)
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


class Walk:
    """Checks a decoded JSON value against a field table, collecting findings and a field count."""

    def __init__(self, document: str = "004") -> None:
        self.document = document  # the body table's source, cited by unknown_field
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
                            "{path} 不在 {document} 的参数表里{suggestion}；"
                            "多半是拼写错误，平台会当作参数错误或忽略它。",
                            path=where,
                            document=self.document,
                            suggestion=did_you_mean(str(name), known),
                        ),
                        self.document,
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
        if not has_kind(value, field.kind):
            self.findings.append(wrong_type(path, field.kind, value, field.source))
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
                self.findings.append(wrong_type(where, OBJECT, item, field.source))


def has_kind(value: object, kind: str) -> bool:
    if kind == STRING:
        return isinstance(value, str)
    if kind == OBJECT:
        return isinstance(value, Mapping)
    if kind == ARRAY:
        return isinstance(value, list | tuple)
    if kind == BOOLEAN:
        return isinstance(value, bool)
    return isinstance(value, int) and not isinstance(value, bool)


def wrong_type(path: str, kind: str, value: object, source: str) -> Finding:
    shown = json.dumps(value, ensure_ascii=False, default=str)
    return Finding(
        "wrong_type",
        _(
            "{path} 应为{kind}，这里是{actual} {value}。",
            path=path,
            kind=TYPE_NAMES[kind],
            actual=json_type(value),
            value=shown[:40],
        ),
        source,
        path,
    )


def load_json_body(body: str, findings: list[Finding]) -> object:
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
