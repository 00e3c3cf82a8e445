"""``paydoctor v2 sign``: the V2 signing workbench (002 §3.2) — string1, stringSignTemp (key
masked), the digest, the sign, and with the sign you got, the mistake that reproduces it.

Runs what the web's V2 form and ``POST /api/v1/wechat/v2/sign`` run (diagnostics.wechat_v2.report)
and answers in the API's shape.
"""

from __future__ import annotations

import argparse
import shlex
from typing import TYPE_CHECKING

from diagnostics.cli.inputs import InputError, Session
from diagnostics.cli.render import Data, Outcome, Painter
from diagnostics.core.params import FORMAT_LABELS, parse_params
from diagnostics.core.text import Message, _, label
from diagnostics.core.textdiff import Segment, TextDiff
from diagnostics.wechat_v2 import PRESETS, SIGN_TYPES, build_report, recognise_reply
from diagnostics.wechat_v2.fields import ENTRY_POINTS
from diagnostics.wechat_v2.signing import Excluded

if TYPE_CHECKING:
    from diagnostics.cli.main import Subparsers, Tree

# The web form's check (diagnostics.forms.wechat_v2): a V2 API key has 32 characters.
MIN_KEY_LENGTH = 8


def add_commands(tree: Tree, groups: Subparsers, name: str, summary: Message) -> None:
    v2 = tree.group(groups, name, summary)
    sign = tree.command(
        v2,
        "sign",
        _("计算 V2 签名；给出你得到的签名时找出复现它的错误"),
        _(
            "按 002 §3.2 计算签名：剔除空值和 sign，按参数名 ASCII 排序拼成 string1，"
            "拼上 &key=密钥，MD5 或 HMAC-SHA256 后转大写。给出你得到的签名（--expected，"
            "或参数里的 sign / paySign）时，逐一尝试常见错误（及两两组合），说出是哪一个复现了它。"
        ),
    )
    sign.add_argument(
        "request",
        metavar="REQUEST",
        help=str(
            _(
                "你发送的参数：XML、query string、name=value 行、JSON 或代码字面量的文件；- 为标准输入"
            )
        ),
    )
    sign.add_argument(
        "--key-file",
        metavar="FILE",
        help=str(_("商户 API 密钥所在的文件；不给时提示输入（参数里带 key= 时用它）")),
    )
    sign.add_argument("--expected", metavar="SIGN", help=str(_("你得到的签名（可选）")))
    sign.add_argument(
        "--sign-type",
        choices=SIGN_TYPES,
        help=str(_("签名类型；不给时以参数里的 sign_type 为准")),
    )
    sign.add_argument(
        "--preset",
        choices=tuple(PRESETS),
        default="free",
        metavar="PRESET",
        help=str(
            _(
                "调用类型（决定字段检查和默认签名类型），默认 free；可选 {choices}",
                choices=", ".join(PRESETS),
            )
        ),
    )
    sign.add_argument(
        "--entry-point", choices=tuple(ENTRY_POINTS), help=str(_("入口：app、h5 或 miniprogram"))
    )
    sign.add_argument(
        "--their-string-file",
        metavar="FILE",
        help=str(_("你的程序拼出的 string1 或 stringSignTemp 所在的文件：逐字符对比")),
    )
    sign.add_argument(
        "--order-file",
        metavar="FILE",
        help=str(_("服务商模式：下单时发送的参数，核对调起支付的 appId")),
    )
    sign.set_defaults(run=run_sign)


def run_sign(args: argparse.Namespace, session: Session) -> Outcome:
    parsed = parse_params(session.text(args.request, _("请求参数")))
    reply = recognise_reply(parsed.pairs)
    if reply and not reply.signed:
        query = shlex.quote(reply.summary or "return_code=FAIL")
        raise InputError(
            _(
                "这是微信支付的应答，不是你发送的请求：失败的应答不带签名。"
                "诊断它：paydoctor diagnose {query}；或者给出你发送的请求。",
                query=query,
            )
        )
    if parsed.pasted_key:
        session.secret(parsed.pasted_key)
    key = (
        parsed.pasted_key
        if parsed.pasted_key and not args.key_file
        else session.key(args.key_file, _("商户 API 密钥"), "--key-file")
    )
    if len(key.strip()) < MIN_KEY_LENGTH:
        raise InputError(_("密钥太短：微信支付的 API 密钥是 32 个字符。"))
    order_text = session.optional_text(args.order_file, _("下单参数"))
    their_string = their_string_compared(session, args.their_string_file)
    preset = PRESETS[args.preset]
    report = build_report(
        parsed,
        key,
        preset,
        chosen_sign_type=args.sign_type,
        expected_sign=args.expected,
        entry_point=args.entry_point or "",
        order=parse_params(order_text) if order_text.strip() and preset.takes_order else None,
        their_string=their_string,
    )
    data: Data = report.as_data() | {"expected_sign": report.expected_sign}  # the API's answer
    if reply and not (reply.kind == "notification" and preset.slug == "notify"):
        # A signed answer or notification of WeChat Pay's: its sign is checked, and said so.
        data["reply"] = {"kind": reply.kind, "summary": reply.summary}
    if report.their_string1 is not None:
        data["their_string1"] = diff_data(report.their_string1)
    if report.their_key is not None:
        data["their_key"] = {
            "same": report.their_key.same,
            "message": str(report.their_key.message),
        }
    return Outcome(data, show_sign, report.match)


def their_string_compared(session: Session, path: str | None) -> str:
    """The merchant's string1 or stringSignTemp as the web compares it: secrets removed from it,
    except the key after ``&key=``, which the report compares with the key given without
    showing either (diagnostics.views.v2_sign). An editor's final line end is not part of it."""
    if not path:
        return ""
    text = session.text(path, _("你的 string1 或 stringSignTemp"))
    text = text[:-1].removesuffix("\r") if text.endswith("\n") else text
    head, marker, tail = text.rpartition("&key=")
    redact = session.redactor.text
    return redact(head) + marker + tail if marker else redact(tail)


def diff_data(diff: TextDiff) -> Data:
    """A character diff as data: each side's segments, the changed ones marked."""

    def segments(side: tuple[Segment, ...]) -> list[Data]:
        return [{"text": str(segment.text), "changed": segment.changed} for segment in side]

    return {
        "equal": diff.equal,
        "first_difference": diff.first_difference,
        "theirs": segments(diff.theirs),
        "ours": segments(diff.ours),
        "notes": [str(note) for note in diff.notes],
    }


def show_sign(out: Painter, data: Data) -> None:
    if "reply" in data:
        out.warning(
            _("这是微信支付推送的支付结果通知，不是你发送的请求")
            if data["reply"]["kind"] == "notification"
            else _("这是微信支付的应答，不是你发送的请求")
        )
        out.line(
            _("它带有 sign：下面核对的是微信支付这份应答的签名。要查你发送的请求，请粘贴请求本身。")
        )
    out.field(_("识别的格式"), label(FORMAT_LABELS.get(data["format"], data["format"])))
    out.field(_("签名类型"), data["sign_type"])
    excluded = [
        f"{item['name']}（{label(Excluded(item['name'], item['reason']).message)}）"
        for item in data["excluded"]
    ]
    out.field(
        _("不参与签名的字段"), "\n".join(excluded) if excluded else _("没有：所有参数都参与签名。")
    )
    out.field("string1", data["string1"])
    out.field("stringSignTemp", data["string_sign_temp"])
    out.field(_("摘要"), data["digest"])
    out.field("sign", out.style(data["sign"], "bold"))
    blocking = [f for f in data["findings"] if f["severity"] == "blocking"]
    out.line()
    if data["match"] is None:
        out.line(
            _(
                "没有给出你得到的签名：上面是平台会算出的签名。用 --expected 给出它即可比较并查找错误。"
            )
        )
    elif data["match"]:
        if blocking:
            out.warning(_("签名自洽，但微信会拒绝"))
        else:
            out.verdict(True, _("你的签名与平台按 002 §3.2 计算的结果一致。"))
    else:
        out.verdict(False, _("签名不一致"))
        out.field(_("你的签名"), data["expected_sign"])
        out.field(_("平台的签名"), data["sign"])
        out.heading(_("找到的原因"))
        out.mistakes(data["mistakes"], _("你实际签的 string1："), "string1")
    if "their_string1" in data:
        show_diff(out, data["their_string1"], data.get("their_key"))
    out.findings(data["findings"])
    if data["corrected"]:
        out.heading(_("改正后的请求"))
        out.line(data["corrected"])


def show_diff(out: Painter, diff: Data, their_key: Data | None) -> None:
    """Their string against the platform's string1, what differs marked (red and green on a
    terminal, ⟦…⟧ without colour)."""
    out.heading(_("你的字符串 vs 平台的 string1"))
    if diff["equal"]:
        out.verdict(True, _("string1 部分完全一致。"))
    else:
        out.line(_("第一个不同出现在第 {position} 个字符。", position=diff["first_difference"] + 1))
        for label_text, side, style in (
            (_("你的："), diff["theirs"], "bad"),
            (_("平台的："), diff["ours"], "good"),
        ):
            marked = "".join(
                (out.style(s["text"], style) if out.colour else f"⟦{s['text']}⟧")
                if s["changed"]
                else s["text"]
                for s in side
            )
            out.field(label_text, marked)
    for note in diff["notes"]:
        out.line(note)
    if their_key:
        out.verdict(their_key["same"], their_key["message"])
