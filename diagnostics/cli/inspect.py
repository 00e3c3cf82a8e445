"""``paydoctor inspect < paste.txt``: what a paste holds, part by part (a V2 request, an APIv3
request or 401, a notification, PEM blocks, configuration lines, an error text…), and the command
that takes each part further — the reading of the web's paste box (diagnostics.core.inspect), in
the shape of ``POST /api/v1/inspect``. A part's fields never carry a secret's value.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from diagnostics.cli.inputs import STDIN, Session
from diagnostics.cli.render import Data, Outcome, Painter
from diagnostics.core.findings import findings_data
from diagnostics.core.inspect import inspect
from diagnostics.core.text import Message, _, label
from faq.knowledge import PLATFORMS

if TYPE_CHECKING:
    from diagnostics.cli.main import Subparsers, Tree

# The workbench a part is routed to (diagnostics.core.inspect), as the command that runs it here.
COMMANDS = {
    "wechat_v3:sign": "paydoctor v3 sign",
    "wechat_v3:authorization": "paydoctor v3 authorization",
    "wechat_v3:verify": "paydoctor v3 verify",
    "wechat_v3:decrypt": "paydoctor v3 decrypt",
    "wechat_v3:pay-sign": "paydoctor v3 pay-sign",
    "wechat_v3:keyring": "paydoctor keyring",
    "baidu:sign": "paydoctor baidu sign",
    "baidu:verify": "paydoctor baidu verify",
    "diagnose": "paydoctor diagnose",
}
CONFIDENCE_LABELS = {"certain": "确定", "likely": "可能", "unsure": "不确定"}


def add_commands(tree: Tree, groups: Subparsers, name: str, summary: Message) -> None:
    command = tree.command(
        groups,
        name,
        summary,
        _(
            "V2 请求、应答或通知，调起支付参数，APIv3 请求（原始 HTTP 或 curl）、401 应答、回调通知和"
            " Wechatpay-* 头，PEM，配置行，百度 orderInfo 或回调，报错文字和堆栈，可以一次贴多段。"
        ),
    )
    command.add_argument(
        "paste",
        metavar="FILE",
        nargs="?",
        default=STDIN,
        help=str(_("粘贴内容所在的文件；默认读标准输入")),
    )
    command.set_defaults(run=run_inspect)


def command_for(page: str) -> str:
    """``paydoctor v2 sign --preset notify`` for ``wechat_v2:notify``; "" where none runs it."""
    group, _colon, task = page.partition(":")
    if group == "wechat_v2" and task != "refund-notify":
        return "paydoctor v2 sign" + (f" --preset {task}" if task and task != "free" else "")
    return COMMANDS.get(page, "")


def run_inspect(args: argparse.Namespace, session: Session) -> Outcome:
    result = inspect(session.text(args.paste, _("粘贴内容")))
    parts = [part.to_dict() for part in result.parts]
    for part in parts:
        for alternative in part["alternatives"]:
            # The API's schema (RouteOut) gives every route this list, empty by default.
            alternative["route"].setdefault("secret_fields", [])
    data: Data = {
        "parts": parts,
        "findings": findings_data(result.findings),
    }
    return Outcome(data, show_inspection)


def show_inspection(out: Painter, data: Data) -> None:
    if not data["parts"]:
        out.line(_("没有认出任何内容。"))
    for number, part in enumerate(data["parts"], start=1):
        platform = label(PLATFORMS[part["platform"]]) if part["platform"] in PLATFORMS else ""
        confidence = label(CONFIDENCE_LABELS.get(part["confidence"], part["confidence"]))
        out.heading(f"{number}. {part['summary']}")
        out.line(
            out.style(
                f"   {part['kind']} · {platform} · {confidence}".replace(" ·  ·", " ·"), "dim"
            )
        )
        _show_route(out, part["route"])
        for alternative in part["alternatives"]:
            out.line(f"   {_('也可能是：')}{alternative['summary']}")
            _show_route(out, alternative["route"], indent="     ")
    out.findings(data["findings"])


def _show_route(out: Painter, route: Data, indent: str = "   ") -> None:
    command = command_for(route["page"])
    if command:
        out.line(f"{indent}→ {out.style(command, 'bold')}")
    for name, value in route["fields"].items():
        shown = value if len(value) <= 120 else value[:117] + "…"
        out.line(f"{indent}  {name}: {shown}".replace("\n", "⏎"))
    if route.get("secret_fields"):
        out.line(
            out.style(
                f"{indent}  {_('粘贴里有这些密钥（不显示）：')}{', '.join(route['secret_fields'])}",
                "dim",
            )
        )
