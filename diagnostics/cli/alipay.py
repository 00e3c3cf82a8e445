"""``paydoctor alipay sign|verify-notify|verify-response|cert-sn|keys``: the Alipay workbenches
(issue 18) through the web's ``run_*`` functions (diagnostics.alipay.workbenches and
key_workbenches), answering in the shapes of ``POST /api/v1/alipay/…``.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from diagnostics.alipay.key_workbenches import run_alipay_certs, run_alipay_keys
from diagnostics.alipay.workbenches import run_alipay_notify, run_alipay_response, run_alipay_sign
from diagnostics.cli.inputs import Session
from diagnostics.cli.render import Data, Outcome, Painter
from diagnostics.core.snapshot import freeze, plain
from diagnostics.core.text import Message, _

if TYPE_CHECKING:
    from diagnostics.cli.main import Subparsers, Tree


def add_commands(tree: Tree, groups: Subparsers, name: str, summary: Message) -> None:
    alipay = tree.group(groups, name, summary)
    params_help = str(_("参数所在的文件：query string、name=value 行或 JSON；- 为标准输入"))
    alipay_key_help = str(_("支付宝公钥或支付宝公钥证书所在的文件"))

    sign = tree.command(
        alipay,
        "sign",
        _("支付宝请求签名；给出你的 sign 或网关的回答时找出差别"),
        _(
            "除 sign 外的全部参数（sign_type 也算，空值不算）按名称排序拼成 k=v&…，值不做 URL 编码，"
            "RSA2 即 SHA256withRSA。贴上你的 sign 或网关的 isv.invalid-signature 回答，找出差别。"
        ),
    )
    sign.add_argument("params", metavar="PARAMS", help=params_help)
    sign.add_argument(
        "--private-key-file", metavar="FILE", help=str(_("应用私钥所在的文件")), required=True
    )
    sign.add_argument("--sign-type", choices=("RSA2", "RSA"), help=str(_("签名类型，默认 RSA2")))
    sign.add_argument(
        "--mode",
        choices=("auto", "key", "cert"),
        default="auto",
        help=str(_("公钥模式 key 或公钥证书模式 cert；默认按参数判断")),
    )
    sign.add_argument(
        "--expected", metavar="SIGN", default="", help=str(_("你发送的 sign（可选）"))
    )
    sign.add_argument(
        "--gateway-answer-file",
        metavar="FILE",
        help=str(_("网关的 isv.invalid-signature 回答所在的文件（可选）")),
    )
    sign.set_defaults(run=run_sign)

    notify = tree.command(
        alipay,
        "verify-notify",
        _("支付宝异步通知验签"),
        _(
            "除 sign、sign_type 外收到的全部参数，URL 解码一次后排序拼接，用支付宝公钥（不是应用公钥）"
            "或支付宝公钥证书里的公钥验签。"
        ),
    )
    notify.add_argument("params", metavar="NOTIFICATION", help=params_help)
    notify.add_argument("--public-key-file", metavar="FILE", required=True, help=alipay_key_help)
    notify.add_argument(
        "--app-public-key-file",
        metavar="FILE",
        help=str(_("应用公钥所在的文件：看验签用的是不是它（可选）")),
    )
    notify.add_argument(
        "--their-string-file",
        metavar="FILE",
        help=str(_("你的程序验签用的字符串所在的文件（可选）")),
    )
    notify.set_defaults(run=run_notify)

    response = tree.command(
        alipay,
        "verify-response",
        _("支付宝同步应答验签"),
        _(
            "签名的内容是应答原文里 xxx_response 的值，逐字节截取；sign 在它旁边。"
            "解析后再序列化的 JSON 验不过。"
        ),
    )
    response.add_argument(
        "body", metavar="BODY", help=str(_("应答原文所在的文件（原样读取）；- 为标准输入"))
    )
    response.add_argument("--public-key-file", metavar="FILE", required=True, help=alipay_key_help)
    response.add_argument("--method", default="", help=str(_("接口名，例如 alipay.trade.query")))
    response.add_argument("--sign-type", choices=("RSA2", "RSA"), default="RSA2")
    response.add_argument("--charset", choices=("UTF-8", "GBK"), default="UTF-8")
    response.set_defaults(run=run_response)

    certs = tree.command(
        alipay,
        "cert-sn",
        _("支付宝证书 SN：app_cert_sn、alipay_root_cert_sn，以及哪个证书是哪个"),
    )
    certs.add_argument("certificates", metavar="FILE", help=str(_("证书所在的文件")))
    certs.add_argument("--root-file", metavar="FILE", help=str(_("支付宝根证书所在的文件")))
    certs.add_argument(
        "--private-key-file", metavar="FILE", help=str(_("应用私钥：核对它与证书是否配对"))
    )
    certs.set_defaults(run=run_certs)

    keys = tree.command(alipay, "keys", _("支付宝密钥格式与配对"))
    keys.add_argument("--private-key-file", metavar="FILE", help=str(_("应用私钥所在的文件")))
    keys.add_argument("--public-key-file", metavar="FILE", help=str(_("应用公钥所在的文件")))
    keys.add_argument("--certificate-file", metavar="FILE", help=str(_("应用公钥证书所在的文件")))
    keys.add_argument(
        "--alipay-public-key-file", metavar="FILE", help=str(_("支付宝公钥所在的文件"))
    )
    keys.set_defaults(run=run_keys)


def run_sign(args: argparse.Namespace, session: Session) -> Outcome:
    private_key = session.private_key(args.private_key_file, _("应用私钥"), "--private-key-file")
    result = run_alipay_sign(
        {
            "params": session.text(args.params, _("参数")),
            "private_key": private_key,
            "sign_type": args.sign_type or "",
            "mode": args.mode,
            "expected_sign": args.expected,
            "gateway_answer": session.optional_text(args.gateway_answer_file, _("网关的回答")),
        }
    )
    comparison = result["comparison"]
    gateway = comparison.gateway
    data: Data = comparison.as_data() | {"corrected": result["corrected"]}  # the API's answer
    verdict = comparison.matches
    if verdict is None and gateway is not None:
        verdict = gateway.equal
    return Outcome(data, show_sign, verdict)


def show_sign(out: Painter, data: Data) -> None:
    out.field(_("待签名字符串"), data["string_to_sign"])
    out.field(_("签名类型"), f"{data['sign_type']} · {data['charset']}")
    out.field("sign", out.style(data["sign"], "bold"))
    gateway = data["gateway"]
    if gateway is not None:
        out.judged(
            gateway["equal"],
            _("网关收到的待签名字符串与这里的一致。"),
            _("网关收到的待签名字符串与这里的不同。"),
        )
        out.field(_("网关的"), gateway["string"])
    if data["match"] is not None:
        out.judged(
            data["match"],
            _("签名一致"),
            _("签名不一致"),
            data["mistakes"],
            (_("你实际签的是："), "string_to_sign"),
        )
    out.findings(data["findings"])
    if data["corrected"]:
        out.heading(_("带上正确签名的参数"))
        out.line(data["corrected"])


def run_notify(args: argparse.Namespace, session: Session) -> Outcome:
    result = run_alipay_notify(
        {
            "params": session.text(args.params, _("通知")),
            "public_key": session.text(args.public_key_file, _("支付宝公钥")),
            "app_public_key": session.optional_text(args.app_public_key_file, _("应用公钥")),
            "their_string": session.optional_text(args.their_string_file, _("你的字符串")),
        }
    )
    verification = result["verification"]
    data: Data = verification.as_data()  # the API's answer
    return Outcome(data, show_notify, verification.valid)


def show_notify(out: Painter, data: Data) -> None:
    out.field(_("待签名字符串"), data["string_to_sign"])
    out.judged(data["valid"], _("签名验证通过。"), _("签名验证不通过。"))
    out.mistakes(data["mistakes"], _("你的程序验签用的是："), "string_to_sign")
    out.findings(data["findings"])


def run_response(args: argparse.Namespace, session: Session) -> Outcome:
    result = run_alipay_response(
        {
            "body": session.text(args.body, _("应答原文")),
            "public_key": session.text(args.public_key_file, _("支付宝公钥")),
            "method": args.method,
            "sign_type": args.sign_type,
            "charset": args.charset,
        }
    )
    verification = result["verification"]
    data: Data = verification.as_data()  # the API's answer
    return Outcome(data, show_response, verification.valid)


def show_response(out: Painter, data: Data) -> None:
    out.field(_("签名的内容"), f"{data['response_name']}: {data['signed_content']}")
    out.judged(
        data["valid"],
        _("签名验证通过。"),
        _("签名验证不通过。"),
        data["mistakes"],
        (_("支付宝签的是："), "string_to_sign"),
    )
    out.findings(data["findings"])


def run_certs(args: argparse.Namespace, session: Session) -> Outcome:
    private_key = (
        session.private_key(args.private_key_file, _("应用私钥"), "--private-key-file")
        if args.private_key_file
        else ""
    )
    result = run_alipay_certs(
        {
            "certificates": session.text(args.certificates, _("证书")),
            "root_certificates": session.optional_text(args.root_file, _("根证书")),
            "private_key": private_key,
        }
    )
    # The shape of POST /api/v1/workbenches/alipay.certs's "result".
    return Outcome(plain(freeze(result)), show_certs)


def run_keys(args: argparse.Namespace, session: Session) -> Outcome:
    private_key = (
        session.private_key(args.private_key_file, _("应用私钥"), "--private-key-file")
        if args.private_key_file
        else ""
    )
    result = run_alipay_keys(
        {
            "private_key": private_key,
            "public_key": session.optional_text(args.public_key_file, _("应用公钥")),
            "certificate": session.optional_text(args.certificate_file, _("应用公钥证书")),
            "alipay_public_key": session.optional_text(
                args.alipay_public_key_file, _("支付宝公钥")
            ),
        }
    )
    pairs = result["report"].pairs
    verdict = all(pair.matches for pair in pairs) if pairs else None
    # The shape of POST /api/v1/workbenches/alipay.keys's "result".
    return Outcome(plain(freeze(result)), show_keys, verdict)


def show_certs(out: Painter, data: Data) -> None:
    """Each certificate with its role and SN, then the two SNs a request in certificate mode
    sends (app_cert_sn, alipay_root_cert_sn) and the one a response carries (alipay_cert_sn)."""
    report = data["report"]
    for certificate in report["certificates"]:
        out.heading(f"{certificate['position']}. {certificate['role_label']}")
        for name in ("sn", "issuer", "serial", "subject", "app_id", "not_after"):
            if certificate.get(name):
                out.field(f"   {name}", certificate[name])
        if certificate.get("skipped"):
            out.warning(certificate["skipped"])
    root = report["root"] or {}
    sns = {
        "app_cert_sn": report["app_cert_sn"],
        "alipay_root_cert_sn": root.get("root_sn", ""),
        "alipay_cert_sn": report["alipay_cert_sn"],
    }
    if any(sns.values()):
        out.line()
    for name, value in sns.items():
        if value:
            out.field(name, out.style(value, "bold"))
    out.findings([*report["findings"], *root.get("findings", ())])


def show_keys(out: Painter, data: Data) -> None:
    """What each key is, the 应用公钥 derived from the private key, which halves belong
    together, and the commands that convert a key to the format an SDK wants."""
    report = data["report"]
    described = {key["field"]: key for key in report["keys"]}
    for key in report["keys"]:
        size = f" {key['key_size']}" if key.get("key_size") else ""
        out.field(
            key["label"], f"{key['format_label']} · {key['key_type']}{size} · {key['fingerprint']}"
        )
    if report["derived_public_key_base64"]:
        out.field(_("由私钥导出的应用公钥"), report["derived_public_key_base64"])
    for pair in report["pairs"]:
        left, right = described[pair["left"]]["label"], described[pair["right"]]["label"]
        out.verdict(
            pair["matches"],
            _("{left}和{right}是一对", left=left, right=right)
            if pair["matches"]
            else _("{left}和{right}不是一对", left=left, right=right),
        )
    for command in report["commands"]:
        out.line()
        out.line(command["title"])
        out.line(f"  {command['command']}")
    out.findings(report["findings"])
