"""The Alipay certificate and key endpoints: ``POST /api/v1/alipay/cert-sn`` (a certificate's SN,
or the root file's) and ``POST /api/v1/alipay/keys`` (formats, the derived 应用公钥, the pair
check). A private key is used for the request that carries it, counts against
RATE_LIMIT_PRIVATE_KEY, and is never returned, re-encoded or otherwise."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema

from config.errors import ApiError
from config.ratelimits import check as check_rate
from diagnostics.alipay.certs import CertificateSn, examine_certificates
from diagnostics.alipay.keys import KeyDescription, examine_keys
from diagnostics.api.common import FindingOut, findings_out

router = Router(tags=["alipay"])


class CertSnIn(Schema):
    certificate: str | None = Field(
        None, description="One certificate file (PEM; a chain file's SN is its first certificate's)"
    )
    root_certificates: str | None = Field(
        None, description="The whole alipayRootCert.crt, every certificate in it"
    )
    private_key: str | None = Field(
        None, description="Optional: the 应用私钥, only to check it pairs with the certificate"
    )


class CertificateOut(Schema):
    position: int
    role: str
    role_label: str
    sn: str
    issuer: str = Field(..., description="The issuer as the Java SDK writes it: what the SN hashes")
    serial: str = Field(..., description="Decimal")
    subject: str
    signature_algorithm: str
    rsa_signed: bool
    app_id: str
    not_after: str | None
    skipped: str | None = Field(None, description="Why this certificate could not be read")


class CertSnOut(Schema):
    sn: str | None = Field(None, description="The certificate's SN (app_cert_sn / alipay_cert_sn)")
    role: str | None = None
    root_sn: str | None = Field(None, description="alipay_root_cert_sn; empty when unknowable")
    certificates: list[CertificateOut]
    root_certificates: list[CertificateOut]
    findings: list[FindingOut]


def _certificate_out(cert: CertificateSn) -> dict[str, Any]:
    return {
        "position": cert.position,
        "role": cert.role,
        "role_label": str(cert.role_label),
        "sn": cert.sn,
        "issuer": cert.issuer,
        "serial": cert.serial,
        "subject": cert.subject,
        "signature_algorithm": cert.signature_algorithm,
        "rsa_signed": cert.rsa_signed,
        "app_id": cert.app_id,
        "not_after": cert.not_after.isoformat() if cert.not_after else None,
        "skipped": str(cert.skipped) if cert.skipped else None,
    }


@router.post(
    "/alipay/cert-sn",
    response=CertSnOut,
    summary="An Alipay certificate's SN (app_cert_sn) or the root file's (alipay_root_cert_sn)",
)
def alipay_cert_sn(request: HttpRequest, payload: CertSnIn) -> dict[str, Any]:
    certificate = payload.certificate or ""
    root = payload.root_certificates or ""
    if not (certificate.strip() or root.strip()):
        raise ApiError(
            "invalid_request",
            gettext("请给出 certificate（证书）或 root_certificates（支付宝根证书文件）。"),
        )
    if payload.private_key and payload.private_key.strip():
        check_rate(request, "private_key")
    report = examine_certificates(certificate, root, private_key=payload.private_key or "")
    leaf = report.certificates[0] if report.certificates else None
    return {
        "sn": leaf.sn if leaf else None,
        "role": leaf.role if leaf else None,
        "root_sn": report.root.root_sn if report.root else None,
        "certificates": [_certificate_out(cert) for cert in report.certificates],
        "root_certificates": [
            _certificate_out(cert) for cert in (report.root.certificates if report.root else ())
        ],
        "findings": findings_out(report.all_findings),
    }


class KeysIn(Schema):
    private_key: str | None = Field(None, description="The 应用私钥 (PEM or bare base64)")
    public_key: str | None = Field(None, description="A public key to check it against (应用公钥)")
    certificate: str | None = Field(None, description="The 应用公钥证书")
    alipay_public_key: str | None = Field(
        None, description="The key your code verifies Alipay with: checked it is not your own"
    )


class KeyOut(Schema):
    field: str = Field(..., description="private_key, public_key, certificate or alipay_public_key")
    format: str = Field(..., description="pkcs1_pem, pkcs8_base64, spki_pem, x509_pem…")
    format_label: str
    pem_label: str
    key_type: str
    key_size: int | None
    fingerprint: str


class PairOut(Schema):
    left: str
    right: str
    matches: bool


class CommandOut(Schema):
    title: str
    command: str


class KeysOut(Schema):
    private_key_format: str | None
    public_key_format: str | None
    certificate_format: str | None
    alipay_public_key_format: str | None
    pair: str | None = Field(
        None, description="match / mismatch: the private key against the public key or certificate"
    )
    public_key: str | None = Field(None, description="Derived from the private key, PEM")
    public_key_base64: str | None = Field(
        None, description="The same on one line: what the open platform wants pasted"
    )
    keys: list[KeyOut] = Field(..., description="Each pasted key, never its value")
    pairs: list[PairOut]
    commands: list[CommandOut]
    findings: list[FindingOut]


def _key_out(key: KeyDescription) -> dict[str, Any]:
    return {
        "field": key.field,
        "format": key.format_code,
        "format_label": key.format_label,
        "pem_label": key.pem_label,
        "key_type": key.key_type,
        "key_size": key.key_size,
        "fingerprint": key.fingerprint,
    }


@router.post(
    "/alipay/keys",
    response=KeysOut,
    summary="Alipay key formats, the 应用公钥 derived from the 应用私钥, and the pair check",
)
def alipay_keys(request: HttpRequest, payload: KeysIn) -> dict[str, Any]:
    if payload.private_key and payload.private_key.strip():
        check_rate(request, "private_key")
    report = examine_keys(
        private_key=payload.private_key or "",
        public_key=payload.public_key or "",
        certificate=payload.certificate or "",
        alipay_public_key=payload.alipay_public_key or "",
    )
    described = {
        "private_key": report.private_key,
        "public_key": report.public_key,
        "certificate": report.certificate,
        "alipay_public_key": report.alipay_public_key,
    }
    return {
        **{f"{name}_format": key.format_code if key else None for name, key in described.items()},
        "pair": report.pair or None,
        "public_key": report.derived_public_key_pem or None,
        "public_key_base64": report.derived_public_key_base64 or None,
        "keys": [_key_out(key) for key in described.values() if key],
        "pairs": [
            {"left": check.left, "right": check.right, "matches": check.matches}
            for check in report.pairs
        ],
        "commands": [
            {"title": str(command.title), "command": command.command} for command in report.commands
        ],
        "findings": findings_out(report.findings),
    }
