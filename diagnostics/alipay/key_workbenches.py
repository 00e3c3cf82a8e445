"""The Alipay certificate and key workbenches: certificate SNs (app_cert_sn, alipay_root_cert_sn)
and which certificate is which; key formats, the public key derived from the private key, and
whether the halves belong together. The private key is used for this one request and never put
into a result."""

from __future__ import annotations

from diagnostics.alipay.certs import examine_certificates
from diagnostics.alipay.keys import PKCS1, PKCS8, BrowserReadKey, examine_keys, examine_keys_local
from diagnostics.core.workbench import Task, Values, gettext_noop


def run_alipay_certs(values: Values) -> Values:
    return {
        "report": examine_certificates(
            values.get("certificates", ""),
            values.get("root_certificates", ""),
            private_key=values.get("private_key", ""),
        )
    }


def run_alipay_keys(values: Values) -> Values:
    return {
        "report": examine_keys(
            private_key=values.get("private_key", ""),
            public_key=values.get("public_key", ""),
            certificate=values.get("certificate", ""),
            alipay_public_key=values.get("alipay_public_key", ""),
        )
    }


def run_alipay_certs_local(values: Values) -> Values:
    """Local mode (本地计算): the 应用私钥 stays in the browser; its public half (``local_key``)
    is paired with the certificates as the key would be."""
    return {
        "report": examine_certificates(
            values.get("certificates", ""),
            values.get("root_certificates", ""),
            private_key=values["local_key"] or "",
        ),
        "local": {"key_check": values["local_key"] is not None},
    }


def run_alipay_keys_local(values: Values) -> Values:
    """Local mode (本地计算): the browser posts the 应用私钥's public half, the header label pasted
    and the content's format (read from the DER), from which the formats, the pairs and the
    derived 应用公钥 come out as from the key."""
    public = values["local_key"]
    private = None
    if public is not None:
        private = BrowserReadKey(
            public_half=public,
            notes=tuple(values["local_key_info"].findings),
            pem_label=values.get("local_key_label", ""),
            format=LOCAL_CONTENT_FORMATS[values.get("local_key_content") or "PKCS#8"],
        )
    return {
        "report": examine_keys_local(
            private,
            public_key=values.get("public_key", ""),
            certificate=values.get("certificate", ""),
            alipay_public_key=values.get("alipay_public_key", ""),
        ),
        "local": {"key_check": public is not None},
    }


# The content formats as the browser names them (static/js/local/pkcs8.js readPrivateKey).
LOCAL_CONTENT_FORMATS = {"PKCS#1": PKCS1, "PKCS#8": PKCS8}


KEY_TASKS: tuple[Task, ...] = (
    Task(
        "alipay:certs",
        gettext_noop("支付宝证书 SN"),
        "Alipay certificate SNs",
        "支付宝《公钥证书模式》",
        gettext_noop(
            "app_cert_sn 是应用公钥证书颁发者（RDN 倒序，key=value 用逗号连接）加十进制序列号的 MD5；"
            "alipay_root_cert_sn 用 _ 连接根证书文件里 RSA 签名的证书的 SN。贴上证书，看 SN、"
            "哪个是应用公钥证书、支付宝公钥证书、支付宝根证书，以及私钥和证书是否配对。"
        ),
        run_alipay_certs,
    ),
    Task(
        "alipay:keys",
        gettext_noop("支付宝密钥格式与配对"),
        "Alipay key formats and pair check",
        "支付宝《生成及配置密钥》",
        gettext_noop(
            "识别私钥格式（PKCS#1、PKCS#8、不带头尾行的 base64）和公钥格式，从私钥导出应用公钥，"
            "检查私钥和应用公钥或证书是否配对——验签失败时第一件要查的事。"
        ),
        run_alipay_keys,
    ),
)

# workbench -> its local-mode run (本地计算): the 应用私钥 read in the browser, its public half here.
KEY_LOCAL_RUNS = {"alipay:certs": run_alipay_certs_local, "alipay:keys": run_alipay_keys_local}
