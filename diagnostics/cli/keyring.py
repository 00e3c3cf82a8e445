"""``paydoctor keyring FILE…``: 密钥体检 — every key, certificate, serial and ID in the files named
and labelled, checked against each other, and for each job which to use (issue 15 §1), through the
engine the web page runs (diagnostics.wechat_v3.keyring). Answers in the JSON API's shape; a secret
is shown only as its kind and size.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from diagnostics.cli.inputs import Session
from diagnostics.cli.render import Data, Outcome, Painter
from diagnostics.core.text import Message, _
from diagnostics.wechat_v3.keyring import examine
from diagnostics.wechat_v3.keyring_jobs import JOB_TITLES

if TYPE_CHECKING:
    from diagnostics.cli.main import Subparsers, Tree


def add_commands(tree: Tree, groups: Subparsers, name: str, summary: Message) -> None:
    keyring = tree.command(
        groups,
        name,
        summary,
        _(
            "apiclient_key.pem、apiclient_cert.pem、平台证书、/v3/certificates 应答、pub_key.pem 和 "
            "PUB_KEY_ID_…、APIv3 密钥、API 密钥、序列号、商户号或配置行，任意顺序，每个文件可放多样。"
            "密钥只显示种类和长度。"
        ),
    )
    keyring.add_argument(
        "files", metavar="FILE", nargs="+", help=str(_("要体检的文件；- 为标准输入"))
    )
    keyring.add_argument("--mchid", default="", help=str(_("商户号")))
    keyring.add_argument(
        "--wechatpay-serial", default="", help=str(_("收到的 Wechatpay-Serial 应答头的值"))
    )
    keyring.set_defaults(run=run_keyring)


def run_keyring(args: argparse.Namespace, session: Session) -> Outcome:
    texts = [session.text(path, _("体检的文件")) for path in args.files]
    ring = examine(texts, mchid=args.mchid, wechatpay_serial=args.wechatpay_serial)
    data = ring.as_data()  # the API's answer
    # A failed check (a key that is not the certificate's, a wrong serial) is a mismatch.
    return Outcome(data, show_keyring, all(r.ok for r in ring.relations))


def show_keyring(out: Painter, data: Data) -> None:
    out.heading(_("你给出的"))
    for number, item in enumerate(data["items"], start=1):
        out.line(f"{number}. {item['label']}")
        for name in ("serial", "public_key_id", "subject", "not_before", "not_after"):
            if item.get(name):
                out.field(f"   {name}", item[name])
    if data["relations"]:
        out.heading(_("相互核对"))
        for relation in data["relations"]:
            out.verdict(relation["ok"], relation["message"])
    out.heading(_("各项用途"))
    for job in data["jobs"]:
        used = ", ".join(str(index + 1) for index in job["use"])
        title = JOB_TITLES[job["job"]]
        out.verdict(job["ready"], f"{title}{f' ({used})' if used else ''}: {job['message']}")
    out.findings(data["findings"])
