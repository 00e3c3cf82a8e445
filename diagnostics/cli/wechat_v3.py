"""``paydoctor v3 sign|authorization|verify|decrypt|pay-sign``: the APIv3 workbenches (003 §2.1,
§3.2.2–3.2.6; 004 Header Authorization), through the same ``run_*`` functions as the web pages
(diagnostics.wechat_v3.workbenches). Answers ``sign`` and ``verify`` in the JSON API's shapes.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from diagnostics.cli.inputs import Session
from diagnostics.cli.render import Data, Outcome, Painter, signed_lines
from diagnostics.core.findings import Finding, ParseError, findings_data
from diagnostics.core.text import Message, _
from diagnostics.wechat_v3.pay_sign import APP, JSAPI
from diagnostics.wechat_v3.workbenches import (
    run_v3_authorization,
    run_v3_decrypt,
    run_v3_pay_sign,
    run_v3_sign,
    run_v3_verify,
)

if TYPE_CHECKING:
    from diagnostics.cli.main import Subparsers, Tree

# A notification that does not open with this APIv3 key (not input that cannot be read): exit 1.
DOES_NOT_OPEN = frozenset(
    {"apiv3_key_wrong", "associated_data_mismatch", "decrypt_failed", "nonce_whitespace"}
)


def add_commands(tree: Tree, groups: Subparsers, name: str, summary: Message) -> None:
    v3 = tree.group(groups, name, summary)
    key_help = str(_("商户私钥 apiclient_key.pem 所在的文件"))
    body_help = str(_("请求体文件（原样读取，不加不减）；- 为标准输入"))

    sign = tree.command(
        v3,
        "sign",
        _("APIv3 请求签名和 Authorization 头；给出你的签名或 401 应答时找出差异"),
        _(
            "按 METHOD\\nURL\\nTIMESTAMP\\nNONCE\\nBODY\\n 构造签名串，用商户私钥做 SHA256withRSA，"
            "拼出 Authorization 头（004 Header Authorization）。给出 401 SIGN_ERROR 应答体时逐字对比"
            "微信支付收到的签名串（不需要私钥）。"
        ),
    )
    sign.add_argument("--private-key-file", metavar="FILE", help=key_help)
    sign.add_argument("--method", default="", help=str(_("HTTP 方法，默认 POST")))
    sign.add_argument("--url", default="", help=str(_("请求的 URL（可只写路径和查询串）")))
    sign.add_argument("--body-file", metavar="FILE", help=body_help)
    sign.add_argument("--timestamp", default="", help=str(_("时间戳；不给时用当前时间")))
    sign.add_argument("--nonce", default="", help=str(_("随机串；不给时生成一个")))
    sign.add_argument("--mchid", default="", help=str(_("商户号")))
    sign.add_argument("--serial-no", default="", help=str(_("商户 API 证书序列号")))
    sign.add_argument(
        "--certificate-file", metavar="FILE", help=str(_("商户 API 证书：核对私钥与它是否一对"))
    )
    sign.add_argument(
        "--signature", default="", help=str(_("你的程序算出的签名：找出它签的是什么"))
    )
    sign.add_argument(
        "--sign-error-file", metavar="FILE", help=str(_("401 SIGN_ERROR 应答体所在的文件"))
    )
    sign.set_defaults(run=run_sign)

    authorization = tree.command(
        v3,
        "authorization",
        _("检查 Authorization 头"),
        _("拆开你发送的 Authorization 头，检查每个字段；给出请求和证书时重新验签。"),
    )
    authorization.add_argument(
        "header", metavar="HEADER", help=str(_("Authorization 头所在的文件；- 为标准输入"))
    )
    authorization.add_argument("--method", default="", help=str(_("HTTP 方法")))
    authorization.add_argument("--url", default="", help=str(_("请求的 URL")))
    authorization.add_argument("--body-file", metavar="FILE", help=body_help)
    authorization.add_argument(
        "--public-key-file", metavar="FILE", help=str(_("商户 API 证书或公钥所在的文件"))
    )
    authorization.set_defaults(run=run_authorization)

    verify = tree.command(
        v3,
        "verify",
        _("验证应答或回调签名"),
        _(
            "按 TIMESTAMP\\nNONCE\\nBODY\\n 用平台证书或微信支付公钥验签（003 §3.2.6）；"
            "验不过时找出微信支付签的是什么。"
        ),
    )
    verify.add_argument(
        "--public-key-file",
        metavar="FILE",
        required=True,
        help=str(_("平台证书或微信支付公钥（pub_key.pem）所在的文件")),
    )
    verify.add_argument("--body-file", metavar="FILE", required=True, help=body_help)
    verify.add_argument(
        "--headers-file", metavar="FILE", help=str(_("收到的 Wechatpay-* 应答头所在的文件"))
    )
    verify.add_argument("--timestamp", default="", help="Wechatpay-Timestamp")
    verify.add_argument("--nonce", default="", help="Wechatpay-Nonce")
    verify.add_argument("--signature", default="", help="Wechatpay-Signature")
    verify.add_argument("--serial", default="", help="Wechatpay-Serial")
    verify.add_argument("--mchid", default="", help=str(_("商户号")))
    verify.set_defaults(run=run_verify)

    decrypt = tree.command(
        v3,
        "decrypt",
        _("解密回调通知（AEAD_AES_256_GCM）"),
        _("用 APIv3 密钥解密 resource.ciphertext；失败时说出最可能的原因。"),
    )
    decrypt.add_argument(
        "notification",
        metavar="NOTIFICATION",
        nargs="?",
        help=str(_("整段通知 JSON 所在的文件；- 为标准输入")),
    )
    decrypt.add_argument(
        "--key-file", metavar="FILE", help=str(_("APIv3 密钥所在的文件；不给时提示输入"))
    )
    decrypt.add_argument("--associated-data", default="", help="resource.associated_data")
    decrypt.add_argument("--nonce", default="", help="resource.nonce")
    decrypt.add_argument(
        "--ciphertext-file", metavar="FILE", help=str(_("resource.ciphertext 所在的文件"))
    )
    decrypt.set_defaults(run=run_decrypt)

    pay = tree.command(
        v3,
        "pay-sign",
        _("APIv3 调起支付签名（JSAPI paySign、App sign）"),
        _(
            "JSAPI/小程序：appId\\ntimeStamp\\nnonceStr\\npackage\\n；"
            "App：appid\\ntimestamp\\nnoncestr\\nprepayid\\n；signType 为 RSA（003 §3.2.2、§3.2.3）。"
        ),
    )
    pay.add_argument(
        "params", metavar="PARAMS", help=str(_("调起支付的参数所在的文件；- 为标准输入"))
    )
    pay.add_argument(
        "--scene", choices=(JSAPI, APP), default=JSAPI, help=str(_("场景，默认 jsapi"))
    )
    pay.add_argument("--private-key-file", metavar="FILE", help=key_help)
    pay.add_argument(
        "--certificate-file", metavar="FILE", help=str(_("商户 API 证书：核对参数里已有的签名"))
    )
    pay.add_argument(
        "--order-file", metavar="FILE", help=str(_("服务商模式：下单请求体，核对调起支付的 appId"))
    )
    pay.set_defaults(run=run_pay_sign)


def run_sign(args: argparse.Namespace, session: Session) -> Outcome:
    sign_error = session.optional_text(args.sign_error_file, _("401 应答"))
    body = session.optional_text(args.body_file, _("请求体"))
    private_key = (
        session.private_key(args.private_key_file, _("商户私钥"), "--private-key-file")
        if args.private_key_file or not sign_error.strip()
        else ""
    )
    result = run_v3_sign(
        {
            "method": args.method,
            "url": args.url,
            "timestamp": args.timestamp,
            "nonce": args.nonce,
            "body": body,
            "private_key": private_key,
            "mchid": args.mchid,
            "serial_no": args.serial_no,
            "sign_error": sign_error,
            "certificate": session.optional_text(args.certificate_file, _("商户 API 证书")),
            "their_signature": args.signature,
        }
    )
    data: Data = {"message": "", "findings": []}
    if "signed" in result:
        signed = result["signed"]
        data |= {
            "message": signed.message,
            "signature": signed.signature,
            "authorization": signed.authorization,
            "findings": findings_data(
                (*signed.findings, *result.get("pair", ()), *final_newline(body))
            ),
            "generated": result["generated"],
        }
    if "comparison" in result:
        data["sign_error"] = result["comparison"].as_data()  # the API's answer
        data["message"] = data["message"] or result["comparison"].message
    search = result.get("search")
    if search is not None:
        data["search"] = search_data(search)
    return Outcome(data, show_sign, search.correct if search is not None else None)


def final_newline(body: str) -> list[Finding]:
    """A body file an editor or ``echo`` ended with a line end: that line end is signed too."""
    if not body.endswith("\n"):
        return []
    message = _(
        "请求体文件以换行结尾，这个换行也参与了签名。如果你的程序发送的请求体没有它，"
        "请去掉（例如用 printf 而不是 echo 写文件）。"
    )
    return [Finding("body_file_final_newline", message, "004 Header Authorization", "body")]


def search_data(search: Any) -> Data:
    """What the signature signed, when it does not verify over the message built here."""
    return {
        "correct": search.correct,
        "candidates_tried": search.candidates_tried,
        "mistakes": [
            {"code": m.code, "detail": str(m.detail), "message": m.message, "fixes": []}
            for m in search.found
        ],
        "findings": findings_data(search.findings),
    }


def show_message(out: Painter, message: str) -> None:
    """The signed message, one line per part, its line ends shown as \\n."""
    out.field(_("签名串"), signed_lines(message))


def show_sign(out: Painter, data: Data) -> None:
    if data.get("sign_error"):
        comparison = data["sign_error"]
        out.verdict(comparison["consistent"], comparison["verdict"])
        difference = comparison["first_difference"]
        if difference:
            out.field(
                _("第一个不同"),
                _(
                    "第 {line} 行第 {column} 列（{part}）：微信支付收到 {wechat}，你的是 {yours}",
                    **difference,
                ),
            )
        out.findings(comparison["explanations"], _("为什么不同"))
        out.findings(comparison["findings"])
    if data.get("signature"):
        show_message(out, data["message"])
        out.field(_("签名"), out.style(data["signature"], "bold"))
        out.field("Authorization", data["authorization"])
        if data.get("generated"):
            out.line(_("没有给出时间戳和随机串：上面用的是现在的时间和新生成的随机串。"))
    search = data.get("search")
    if search:
        show_search(out, search, _("你实际签的是："))
    out.findings(data["findings"])


def show_search(out: Painter, search: Data, signed_label: Any) -> None:
    out.line()
    if search["correct"]:
        out.verdict(True, _("签名验证通过。"))
    elif search["mistakes"]:
        out.verdict(False, _("签名验证不通过；下面的差异能复现它"))
        out.mistakes(search["mistakes"], signed_label, "message")
    else:
        out.verdict(
            False,
            _(
                "常见的差异（共试了 {tried} 种）都不能让签名验证通过：多半是密钥不是一对，"
                "或者签名串的内容（body、URL）与这里的不同。",
                tried=search["candidates_tried"],
            ),
        )
    out.findings(search["findings"])


def run_authorization(args: argparse.Namespace, session: Session) -> Outcome:
    result = run_v3_authorization(
        {
            "authorization": session.text(args.header, "Authorization"),
            "method": args.method,
            "url": args.url,
            "body": session.optional_text(args.body_file, _("请求体")),
            "public_key": session.optional_text(args.public_key_file, _("证书或公钥")),
        }
    )
    check = result["check"]
    data: Data = {
        "scheme": check.header.scheme,
        "fields": dict(check.header.fields),
        "message": check.message,
        "valid": check.valid,
        "findings": findings_data(check.findings),
    }
    return Outcome(data, show_authorization, check.valid)


def show_authorization(out: Painter, data: Data) -> None:
    out.field(_("认证类型"), data["scheme"])
    for name, value in data["fields"].items():
        out.field(f"  {name}", value)
    if data["message"]:
        show_message(out, data["message"])
    if data["valid"] is not None:
        out.judged(data["valid"], _("签名验证通过。"), _("签名验证不通过。"))
    out.findings(data["findings"])


def run_verify(args: argparse.Namespace, session: Session) -> Outcome:
    result = run_v3_verify(
        {
            "public_key": session.text(args.public_key_file, _("证书或公钥")),
            "body": session.text(args.body_file, _("应答体")),
            "headers": session.optional_text(args.headers_file, _("应答头")),
            "timestamp": args.timestamp,
            "nonce": args.nonce,
            "signature": args.signature,
            "serial": args.serial,
            "mchid": args.mchid,
        }
    )
    verification = result["verification"]
    found = result["search"].found if "search" in result else ()
    data: Data = {
        "message": verification.message,
        "valid": verification.valid,
        "mode": verification.mode,
        "mistakes": [
            {"code": m.code, "detail": str(m.detail), "message": m.message} for m in found
        ],
        "findings": findings_data(verification.findings),
    }
    return Outcome(data, show_verify, verification.valid)


def show_verify(out: Painter, data: Data) -> None:
    show_message(out, data["message"])
    if data["mode"]:
        out.field(_("验签方式"), data["mode"])
    out.judged(data["valid"], _("签名验证通过。"), _("签名验证不通过。"))
    if not data["valid"] and data["mistakes"]:
        out.heading(_("微信支付的签名不能按这里的内容验证通过，但按下面的差异可以"))
        out.mistakes(data["mistakes"], _("微信支付签的是："), "message")
    out.findings(data["findings"])


def run_decrypt(args: argparse.Namespace, session: Session) -> Outcome:
    notification = session.optional_text(args.notification, _("通知"))
    ciphertext = session.optional_text(args.ciphertext_file, "ciphertext").strip()
    apiv3_key = session.key(args.key_file, _("APIv3 密钥"), "--key-file")
    try:
        result = run_v3_decrypt(
            {
                "notification": notification,
                "apiv3_key": apiv3_key,
                "associated_data": args.associated_data,
                "nonce": args.nonce,
                "ciphertext": ciphertext,
            }
        )
    except ParseError as error:
        if error.code not in DOES_NOT_OPEN:
            raise
        failed = {"error": {"code": error.code, "message": str(error.message)}}
        return Outcome(failed, show_decrypt, False)
    decrypted = result["decrypted"]
    data: Data = {
        "plaintext": decrypted.plaintext,
        "pretty": result["pretty"],
        "summary": dict(result["summary"]),
        "findings": findings_data(decrypted.findings),
    }
    return Outcome(data, show_decrypt, True)


def show_decrypt(out: Painter, data: Data) -> None:
    if "error" in data:
        out.verdict(False, data["error"]["message"])
        return
    out.verdict(True, _("解密成功"))
    for name, value in data["summary"].items():
        out.field(f"  {name}", value)
    out.heading(_("明文"))
    out.line(data["pretty"])
    out.findings(data["findings"])


def run_pay_sign(args: argparse.Namespace, session: Session) -> Outcome:
    private_key = (
        session.private_key(args.private_key_file, _("商户私钥"), "--private-key-file")
        if args.private_key_file
        else ""
    )
    result = run_v3_pay_sign(
        {
            "scene": args.scene,
            "params": session.text(args.params, _("调起支付参数")),
            "private_key": private_key,
            "public_key": session.optional_text(args.certificate_file, _("商户 API 证书")),
            "order": session.optional_text(args.order_file, _("下单请求体")),
        }
    )
    pay = result["pay"]
    data: Data = {
        "scene": pay.scene,
        "message": pay.message,
        "pay_sign": pay.pay_sign,
        "params": dict(pay.params),
        "valid": pay.valid,
        "findings": findings_data((*pay.findings, *result["pair"])),
    }
    return Outcome(data, show_pay_sign, pay.valid)


def show_pay_sign(out: Painter, data: Data) -> None:
    show_message(out, data["message"])
    if data["pay_sign"]:
        out.field(_("签名"), out.style(data["pay_sign"], "bold"))
        out.heading(_("调起支付的参数"))
        for name, value in data["params"].items():
            out.field(f"  {name}", value)
    if data["valid"] is not None:
        out.judged(data["valid"], _("参数里的签名验证通过。"), _("参数里的签名验证不通过。"))
    out.findings(data["findings"])
