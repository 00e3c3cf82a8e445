"""The ``paydoctor`` command: the argparse tree, the language, the exit codes.

Exit codes: 0 the sign matches or verifies (or there was nothing to compare), 1 it does not (the
mistake that explains it is printed), 2 the input could not be used (a message, never a
traceback). ``--help`` speaks Chinese, or English with ``--lang en`` or an English locale.

``main`` installs the chosen language for the engines' sentences (diagnostics.core.text): it is
meant to own its process, as the console script and ``python -m diagnostics.cli`` do.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from diagnostics.cli import lang
from diagnostics.cli.inputs import InputError, Session
from diagnostics.cli.render import Outcome, Painter, dump_json, wants_colour
from diagnostics.core.findings import ParseError
from diagnostics.core.text import Message, _

OK, MISMATCH, BAD_INPUT, FAILED = 0, 1, 2, 3

Subparsers = argparse._SubParsersAction

# Options that would take a secret's value on the command line: refused by name, value unread.
SECRET_OPTIONS = (
    "--key",
    "--api-key",
    "--apiv3-key",
    "--mch-key",
    "--private-key",
    "--secret",
    "--password",
)


class Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, str(_("用法：")) if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse with its own words translated, and errors that never repeat a stray argument's
    value (it may be a key typed on the command line)."""

    def __init__(self, *args: Any, help_option: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        kwargs.setdefault("allow_abbrev", False)  # "--key" must never mean "--key-file"
        parents = kwargs.pop("parents", ())
        super().__init__(*args, add_help=False, **kwargs)
        # Titled before the parents' options join, so that theirs land in the same sections.
        self._positionals.title = str(_("参数"))
        self._optionals.title = str(_("选项"))
        if help_option:
            self.add_argument("-h", "--help", action="help", help=str(_("显示帮助并退出")))
        for parent in parents:  # what argparse does with parents=, after the titles
            self._add_container_actions(parent)
            self._defaults.update(parent._defaults)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(BAD_INPUT, f"{self.prog}: {_('错误：')}{argparse_message(message)}\n")


def argparse_message(message: str) -> str:
    """argparse's error (Python 3.11's sentences) in the chosen language, never repeating a stray
    argument's value: only option names are kept from "unrecognized arguments".

    >>> argparse_message("unrecognized arguments: --key=abc s3cret")
    '不认识的参数：--key；多了 1 个不认识的参数（它的值不显示：可能是密钥）'
    >>> argparse_message("argument --sign-type: invalid choice: 'x' (choose from 'MD5', 'HMAC-SHA256')")
    "--sign-type 只能是 'MD5', 'HMAC-SHA256'"
    """
    if message.startswith("unrecognized arguments: "):
        words = message.removeprefix("unrecognized arguments: ").split()
        names = [word.split("=")[0] for word in words if word.startswith("-")]
        others = len(words) - len(names)
        shown = str(_("不认识的参数：{names}", names=" ".join(names))) if names else ""
        hidden = (
            str(_("多了 {count} 个不认识的参数（它的值不显示：可能是密钥）", count=others))
            if others
            else ""
        )
        return str(_("；")).join(part for part in (shown, hidden) if part)
    if message.startswith("the following arguments are required: "):
        names = message.removeprefix("the following arguments are required: ")
        return str(_("缺少参数：{names}", names=names))
    head, colon, rest = message.partition(": ")
    option = head.removeprefix("argument ")
    if colon and rest.startswith("invalid choice: ") and "(choose from " in rest:
        choices = rest.rpartition("(choose from ")[2].removesuffix(")")
        return str(_("{option} 只能是 {choices}", option=option, choices=choices))
    if colon and rest == "expected one argument":
        return str(_("{option} 后面要跟一个值", option=option))
    return message


class RefuseSecret(argparse.Action):
    """An option that would put a key in the shell's history: refused, its value never read."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any, **_kwargs: Any) -> None:
        parser.error(
            str(
                _(
                    "{option}：密钥不能写在命令行上（会留在 shell 历史和进程列表里）。"
                    "请把它放在文件里用 --key-file FILE（私钥用 --private-key-file FILE），"
                    "或不给，运行时按提示输入。",
                    option=self.option_strings[0],
                )
            )
        )


def common_options() -> argparse.ArgumentParser:
    """Options every command takes, before or after its name."""
    common = Parser(help_option=False, prog="paydoctor")
    # SUPPRESS: a subcommand's default must not overwrite what was given before its name.
    common.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help=str(_("输出 JSON（给脚本用）")),
    )
    common.add_argument(
        "--lang",
        choices=lang.LANGUAGES,
        default=argparse.SUPPRESS,
        help=str(_("输出语言：zh（默认）或 en；不给时看 LANG 环境变量")),
    )
    common.add_argument(
        "--no-color",
        action="store_true",
        default=argparse.SUPPRESS,
        help=str(_("不用颜色（设置 NO_COLOR 环境变量也一样）")),
    )
    for option in SECRET_OPTIONS:
        common.add_argument(option, nargs="?", action=RefuseSecret, help=argparse.SUPPRESS)
    return common


@dataclass(frozen=True)
class Tree:
    """What every command module adds its commands with: the options all of them share."""

    common: argparse.ArgumentParser

    def group(self, groups: Subparsers, name: str, summary: Message) -> Subparsers:
        """A command group (``v2``, ``v3``, ``baidu``) whose commands follow its name."""
        parser = groups.add_parser(
            name, help=str(summary), description=str(summary), parents=[self.common]
        )
        return parser.add_subparsers(
            dest="command", title=str(_("命令")), metavar="COMMAND", required=True
        )

    def command(
        self, group: Subparsers, name: str, summary: Message, description: Message = ""
    ) -> argparse.ArgumentParser:
        """A leaf command: its help line, its description, the common options."""
        return group.add_parser(
            name,
            help=str(summary),
            description=str(description or summary),
            parents=[self.common],
        )


# The commands: the module that adds each (imported only when its command runs, since each brings
# its engines and their libraries: a command starts without loading the others') and its summary.
COMMANDS: dict[str, tuple[str, Message]] = {
    "v2": ("wechat_v2", _("微信支付 V2：MD5 / HMAC-SHA256 签名（002 §3.2）")),
    "v3": ("wechat_v3", _("微信支付 APIv3：请求签名、验签、回调解密、调起支付签名")),
    "baidu": ("baidu", _("百度收银台：rsaSign 签名和回调验签（SHA1withRSA）")),
    "alipay": ("alipay", _("支付宝：请求签名、异步通知和同步应答验签、证书 SN、密钥配对")),
    "keyring": (
        "keyring",
        _("密钥体检：给出你手上的密钥、证书、序列号，说出每一样是什么、是否配套、各用在哪"),
    ),
    "diagnose": (
        "diagnose",
        _("诊断报错：给出你看到的文字、错误码或整段应答，列出文档给的解决方法"),
    ),
    "inspect": ("inspect", _("识别粘贴的内容：逐段说出是什么，以及用哪个命令继续")),
}


def chosen_command(argv: Sequence[str]) -> str:
    """The command named on the command line (its first word that is one), or "".

    >>> chosen_command(["--json", "v2", "sign", "diagnose.txt"])
    'v2'
    """
    for word in argv:
        if word == "--":
            break
        if word in COMMANDS:
            return word
    return ""


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The tree: every command's summary, and the chosen command's options. Built after the
    language is installed: every help text is translated."""
    tree = Tree(common_options())
    parser = Parser(
        prog="paydoctor",
        description=str(
            _(
                "支付接入诊断台（Pay Doctor）命令行：在本机离线计算和核对微信支付 V2/APIv3、"
                "支付宝、百度收银台的签名，找出复现你签名的错误，诊断报错。密钥只从文件或提示输入读取，"
                "不会写在命令行上，也不会发送到任何地方。"
            )
        ),
        epilog=str(
            _("退出码：0 签名一致或验证通过；1 不一致或验证失败（会说明是哪个错误）；2 输入有误。")
        )
        + "\n\n"
        + EXAMPLES,
        parents=[tree.common],
    )
    parser.add_argument("--version", action="store_true", help=str(_("显示版本并退出")))
    groups = parser.add_subparsers(dest="group", title=str(_("命令")), metavar="COMMAND")
    chosen = chosen_command(argv)
    for name, (module_name, summary) in COMMANDS.items():
        if name == chosen:
            module = importlib.import_module(f"diagnostics.cli.{module_name}")
            module.add_commands(tree, groups, name, summary)
        else:
            groups.add_parser(name, help=str(summary))
    return parser


EXAMPLES = """\
  paydoctor v2 sign request.xml --key-file key.txt --expected 66e9f5e543a151379cfb4eac732bfa32
  paydoctor v3 verify --public-key-file pub_key.pem --headers-file headers.txt --body-file body.json
  paydoctor diagnose "系统繁忙"
  paydoctor inspect < paste.txt"""


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    language = lang.choose(argv, os.environ)
    lang.install(language)
    for stream in (sys.stdout, sys.stderr):
        # A terminal that cannot show Chinese gets "?" rather than a crash.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    parser = build_parser(argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    if args.version:
        print(f"paydoctor {_package_version()}")
        return OK
    run = getattr(args, "run", None)
    if run is None:
        parser.print_help()
        return BAD_INPUT
    session = Session()
    try:
        outcome: Outcome = run(args, session)
    except (InputError, ParseError) as error:
        return _refuse(error, session, getattr(args, "json", False))
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a fault of ours: said in one line, without the input's values
        if os.environ.get("PAYDOCTOR_DEBUG"):
            raise
        print(
            f"paydoctor: {_('内部错误')} ({type(error).__name__}); PAYDOCTOR_DEBUG=1",
            file=sys.stderr,
        )
        return FAILED
    data = cleared(outcome.data, session)
    try:
        if getattr(args, "json", False):
            dump_json(data, sys.stdout)
        else:
            colour = not getattr(args, "no_color", False) and wants_colour(sys.stdout, os.environ)
            outcome.show(Painter(sys.stdout, colour, language == lang.EN), data)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader left (``| head``): nothing more to say, and nothing at exit either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return MISMATCH if outcome.verdict is False else OK


def cleared(data: Any, session: Session) -> Any:
    """``data`` with every secret of the session removed, in any encoding. (Not Redactor.tree: its
    rule that a value under a secret name goes whole would remove the API's own ``refine.key``.)"""
    if isinstance(data, str):
        return session.redactor.known_values(data)
    if isinstance(data, dict):
        return {name: cleared(value, session) for name, value in data.items()}
    if isinstance(data, list | tuple):
        return [cleared(value, session) for value in data]
    return data


def _refuse(error: InputError | ParseError, session: Session, as_json: bool) -> int:
    """Bad input: one line on stderr, in the chosen language, with no secret in it; with --json
    also the API's error shape on stdout."""
    text = session.redactor.known_values(str(error.message))
    print(f"paydoctor: {_('错误：')}{text}", file=sys.stderr)
    if as_json:
        code = getattr(error, "code", "bad_input")
        dump_json({"error": {"code": code, "message": text}}, sys.stdout)
    return BAD_INPUT


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # only here: 30 ms to import

    try:
        return version("pay-doctor")
    except PackageNotFoundError:
        return "unknown"
