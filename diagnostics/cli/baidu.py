"""``paydoctor baidu sign|verify``: the Baidu cashier's rsaSign (001 调起收银台错误 2) and callback
verification (001 支付回调 2), through the web workbenches' ``run_*`` functions
(diagnostics.baidu.workbenches); answers in the JSON API's shapes.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from diagnostics.baidu.mistakes import BaiduMistake
from diagnostics.baidu.workbenches import run_baidu_sign, run_baidu_verify
from diagnostics.cli.inputs import Session
from diagnostics.cli.render import Data, Outcome, Painter
from diagnostics.core.findings import findings_data
from diagnostics.core.text import Message, _

if TYPE_CHECKING:
    from diagnostics.cli.main import Subparsers, Tree


def add_commands(tree: Tree, groups: Subparsers, name: str, summary: Message) -> None:
    baidu = tree.group(groups, name, summary)
    params_help = str(_("参数所在的文件：JSON、query string 或 name=value 行；- 为标准输入"))
    sign = tree.command(
        baidu,
        "sign",
        _("计算 rsaSign；给出你得到的签名时找出差别"),
        _(
            "参数按名称排序拼成 k=v&…（不含 sign、sign_type、rsaSign），SHA1withRSA 后 base64"
            "（001 调起收银台错误 2）。orderInfo 只签 appKey、dealId、totalAmount、tpOrderId。"
        ),
    )
    sign.add_argument("params", metavar="PARAMS", help=params_help)
    sign.add_argument(
        "--private-key-file",
        metavar="FILE",
        required=True,
        help=str(_("开发者私钥所在的文件（PEM 或不带头尾行的 base64）")),
    )
    sign.add_argument(
        "--mode",
        choices=("order_info", "all"),
        default="order_info",
        help=str(_("order_info（默认）：只签 orderInfo 的四个字段；all：签全部参数")),
    )
    sign.add_argument(
        "--expected", metavar="SIGN", default="", help=str(_("你得到的 rsaSign（可选）"))
    )
    sign.set_defaults(run=run_sign)

    verify = tree.command(
        baidu,
        "verify",
        _("验证百度回调的 rsaSign"),
        _("回调的所有 POST 参数（rsaSign 除外，空值也算）都参与签名；URL 里的 GET 参数不参与。"),
    )
    verify.add_argument("params", metavar="PARAMS", help=params_help)
    verify.add_argument(
        "--public-key-file", metavar="FILE", required=True, help=str(_("平台公钥所在的文件"))
    )
    verify.add_argument("--url", default="", help=str(_("回调的 URL（带 GET 参数时）")))
    verify.set_defaults(run=run_verify)


def _mistakes(mistakes: tuple[BaiduMistake, ...]) -> list[Data]:
    return [{"code": m.code, "detail": str(m.detail), "string1": m.string1} for m in mistakes]


def run_sign(args: argparse.Namespace, session: Session) -> Outcome:
    private_key = session.private_key(args.private_key_file, _("开发者私钥"), "--private-key-file")
    result = run_baidu_sign(
        {
            "params": session.text(args.params, _("参数")),
            "private_key": private_key,
            "mode": args.mode,
            "expected_sign": args.expected,
        }
    )
    if "comparison" in result:
        comparison = result["comparison"]
        data: Data = {
            "string1": comparison.string1,
            "sign": comparison.sign,
            "match": comparison.matches,
            "mistakes": _mistakes(comparison.mistakes),
            "findings": [],
            "corrected": result["corrected"],
        }
        return Outcome(data, show_sign, comparison.matches)
    signed = result["signed"]
    data = {
        "string1": signed.string1,
        "sign": signed.sign,
        "findings": findings_data(signed.findings),
        "corrected": result["corrected"],
    }
    return Outcome(data, show_sign)


def show_sign(out: Painter, data: Data) -> None:
    out.field("string1", data["string1"])
    out.field("rsaSign", out.style(data["sign"], "bold"))
    if "match" in data:
        out.judged(
            data["match"],
            _("签名一致"),
            _("签名不一致"),
            data["mistakes"],
            (_("你实际签的 string1："), "string1"),
        )
        if not data["match"] and not data["mistakes"]:
            out.line(
                _(
                    "常见的差异都复现不了你的签名：多半是签名用的私钥与这里的不同，"
                    "或签名的参数与这里的不完全一样。"
                )
            )
    out.findings(data["findings"])
    if data["corrected"]:
        out.heading(_("带上正确签名的参数"))
        out.line(data["corrected"])


def run_verify(args: argparse.Namespace, session: Session) -> Outcome:
    result = run_baidu_verify(
        {
            "params": session.text(args.params, _("参数")),
            "public_key": session.text(args.public_key_file, _("平台公钥")),
            "url": args.url,
        }
    )
    verification = result["verification"]
    data: Data = {
        "string1": verification.string1,
        "valid": verification.valid,
        "mistakes": _mistakes(verification.mistakes),
        "findings": findings_data(verification.findings),
    }
    return Outcome(data, show_verify, verification.valid)


def show_verify(out: Painter, data: Data) -> None:
    out.field("string1", data["string1"])
    out.judged(
        data["valid"],
        _("签名验证通过。"),
        _("签名验证不通过。"),
        data["mistakes"],
        (_("平台实际签的 string1："), "string1"),
    )
    out.findings(data["findings"])
