"""Writes the cases Alipay's key page's local mode is checked against
(tests/js/fixtures/alipay_keys.json, not committed): tests/js/alipay_keys.test.js runs this first,
then holds static/js/local/alipay-keys.js to it.

Each case is a generated 应用私钥 pasted as merchants paste it (PKCS#1 and PKCS#8, PEM and bare
base64, each body under the other's header, with a BOM, in quotes, with literal \\n); the facts
expected are what the server reads from the key itself (keys.examine_keys: the header label and
the content's format), and the public half is the key's SubjectPublicKeyInfo.

    python tests/js/write_alipay_keys_fixtures.py
"""

from __future__ import annotations

import base64
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
FIXTURES = Path(__file__).resolve().parent / "fixtures"

from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402

from diagnostics.alipay.keys import PKCS1, examine_keys  # noqa: E402

FORMATS = {
    "PKCS#1": serialization.PrivateFormat.TraditionalOpenSSL,
    "PKCS#8": serialization.PrivateFormat.PKCS8,
}


def armoured(label: str, der: bytes) -> str:
    body = base64.b64encode(der).decode()
    lines = [body[at : at + 64] for at in range(0, len(body), 64)]
    return "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----"]) + "\n"


def pastes(key: rsa.RSAPrivateKey) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, fmt in FORMATS.items():
        der = key.private_bytes(serialization.Encoding.DER, fmt, serialization.NoEncryption())
        for label in ("RSA PRIVATE KEY", "PRIVATE KEY"):
            found[f"{name} under BEGIN {label}"] = armoured(label, der)
        found[f"{name} bare base64"] = base64.b64encode(der).decode()
        pem = armoured("RSA PRIVATE KEY" if name == "PKCS#1" else "PRIVATE KEY", der)
        found[f"{name} PEM with a BOM"] = "\ufeff" + pem
        found[f"{name} PEM in quotes, literal \\n"] = '"' + pem.replace("\n", "\\n") + '"'
    return found


def main() -> None:
    cases = []
    for bits in (2048, 1024):
        key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        for name, paste in pastes(key).items():
            report = examine_keys(private_key=paste)
            own = report.private_key
            assert own is not None
            cases.append(
                {
                    "name": f"{bits} bits, {name}",
                    "paste": paste,
                    "label": own.pem_label,
                    "content": "PKCS#1" if own.format == PKCS1 else "PKCS#8",
                    "public": report.derived_public_key_pem,
                    "findings": [finding.code for finding in report.findings],
                }
            )
    FIXTURES.mkdir(exist_ok=True)
    (FIXTURES / "alipay_keys.json").write_text(json.dumps({"cases": cases}, ensure_ascii=False))


if __name__ == "__main__":
    main()
