"""Worst case: every endpoint fed adversarial input at the documented size limits (issue 10 F3).

Run from the repository root: `python bench/bench_worst_case.py` (or `make bench`). Prints figures;
it is not a test. Every page's form and prefill link, every POST action and every /api/v1/ endpoint
gets, one field at a time, inputs shaped to make a backtracking pattern or a careless loop work hard
(long runs of spaces, nested brackets, ``<!DOCTYPE`` with many ``[``, ``key=`` repeated, CDATA
openers never closed, ``&`` runs, spaces between keywords, JSON nested to the limit, base64 runs…)
at the largest size the endpoint accepts: API body 256 KiB, pasted field 256 KiB (or the field's
own ``maxlength``), diagnosis query 16 KiB. The other fields hold valid values, so the input
reaches the engines instead of stopping at "required"; key fields also get 8192/16384-bit keys
and a 2^3070+1 exponent. Each request's CPU time (``time.process_time``) is measured through
Django's test client, on a throwaway test database, with rate limits off. The target is under
250 ms of CPU for every request; slower ones are flagged.

A full run is about 7,600 requests and takes about six minutes; ``--quick`` runs each input at a
tenth of the size (about three minutes, a smoke run).
"""

from __future__ import annotations

import base64
import datetime
import io
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from contextlib import redirect_stdout
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402
from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402

from diagnostics.platforms import TASKS  # noqa: E402
from diagnostics.wechat_v2.fields import PRESETS  # noqa: E402
from tests.diagnostics.huge_keys import oversize_keys  # noqa: E402

LIMIT_SECONDS = 0.250
KIB = 1024
API_BODY = 256 * KIB
FIELD = 256 * KIB
QUERY = 16 * KIB
SCALE = 10 if "--quick" in sys.argv else 1
# --only=TEXT: measure only endpoints whose label contains TEXT and inputs whose name contains
# the part after a second "=", e.g. --only=authorization or --only=/v3/sign=newlines.
_ONLY = next((arg.split("=", 1)[1] for arg in sys.argv if arg.startswith("--only=")), "")
ONLY_ENDPOINT, _sep, ONLY_CASE = _ONLY.partition("=")
# Key fields also get 8192/16384-bit keys and a 2^3070+1 exponent (issue 10 F4), built from numbers.
KEY_FIELDS = ("private_key", "public_key", "certificate")


# --- adversarial inputs ---------------------------------------------------------------------------


def fill(unit: str, size: int, head: str = "", tail: str = "") -> str:
    """``head`` + ``unit`` repeated + ``tail``, about ``size`` UTF-8 bytes in all."""
    room = max(0, size - len(head.encode()) - len(tail.encode()))
    return head + unit * (room // len(unit.encode())) + tail


def nested_json(size: int) -> str:
    depth = max(1, (size - 1) // 6)
    return '{"a":' * depth + "1" + "}" * depth


ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "spaces": lambda n: fill(" ", n, "a", "x"),
    "keyword + spaces": lambda n: fill(" ", n, "errcode", "x"),
    "spaces between keywords": lambda n: fill("error" + " " * 40 + ":", n, tail="x"),
    "http + spaces": lambda n: fill(" ", n, "HTTP/1.1 status", "x"),
    "letters": lambda n: fill("a", n, tail="!"),
    "keyword_ run": lambda n: fill("error_", n, tail="_"),
    "e-mail-like run": lambda n: fill("a.", n, tail="@"),
    "digits": lambda n: fill("1", n, tail="x"),
    "[ run": lambda n: fill("[", n),
    "{ run": lambda n: fill("{", n),
    "< run": lambda n: fill("<", n),
    "nested JSON objects": nested_json,
    "nested JSON arrays": lambda n: "[" * (n // 2) + "]" * (n // 2),
    "DOCTYPE with []": lambda n: fill("[]", n, "<!DOCTYPE"),
    "DOCTYPE openers": lambda n: fill("<!DOCTYPE x [", n),
    "ENTITY openers": lambda n: fill("<!ENTITY a ", n),
    "CDATA openers": lambda n: fill("<xml><![CDATA[", n),
    "nested XML": lambda n: fill("<a>", n, "<xml>"),
    "key= repeated": lambda n: fill("key=", n),
    "key=value&": lambda n: fill("key=a&", n),
    "& run": lambda n: fill("&", n, "a=1", "b=2"),
    "spaces around &": lambda n: fill(" & ", n, "https://example.com/pay?a=1", "&b=2"),
    "= run": lambda n: fill("=", n),
    "newlines": lambda n: fill("\n", n, "a", "x"),
    "name=value lines": lambda n: fill("a=b\n", n),
    "quotes": lambda n: fill('"', n),
    "backslash-quotes": lambda n: fill('\\"', n),
    "Authorization fields": lambda n: fill('a="', n, "WECHATPAY2-SHA256-RSA2048 "),
    "base64 run": lambda n: fill("QUJD", n),
    "base64 with = runs": lambda n: fill("QUJD===", n),
    "PEM label + spaces": lambda n: fill(" ", n, "-----BEGIN A", "x"),
    "PEM openers": lambda n: fill("-----BEGIN PRIVATE KEY-----\n", n),
    "PEM body": lambda n: fill(
        "A", n, "-----BEGIN PRIVATE KEY-----\n", "\n-----END PRIVATE KEY-----"
    ),
    "percent escapes": lambda n: fill("%2", n),
    "\\u escapes": lambda n: fill("\\ud800", n),
    "NFKC expansion": lambda n: fill("\ufdfa", n),
}


# --- valid values for the other fields ----------------------------------------------------------


def _valid_values() -> dict[str, str]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bench")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(0x5157F09EFDC096DE15EBE81A47057A7232F9B8C5)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(private, hashes.SHA256())
        .public_bytes(serialization.Encoding.PEM)
        .decode()
    )
    apiv3_key = "a7Kx9QmP2vT5wLzR8nB3cY6dF1gH4jS0"
    nonce = "fdasflkja484"
    plaintext = json.dumps({"mchid": "1900000001", "out_trade_no": "1217752501201407033233368018"})
    ciphertext = AESGCM(apiv3_key.encode()).encrypt(
        nonce.encode(), plaintext.encode(), b"transaction"
    )
    timestamp = str(int(time.time()))
    body = '{"appid":"wxd678efh567hg6787","mchid":"1230000109","description":"Image"}'
    return {
        "private_key": private_pem,
        "public_key": public_pem,
        "certificate": certificate,
        "apiv3_key": apiv3_key,
        "key": "192006250b4c09247ec02edce69f6a2d",
        "associated_data": "transaction",
        "ciphertext": base64.b64encode(ciphertext).decode(),
        "nonce": nonce,
        "timestamp": timestamp,
        "url": "https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi",
        "body": body,
        "mchid": "1230000109",
        "serial_no": "5157F09EFDC096DE15EBE81A47057A7232F9B8C5",
        "serial": "5157F09EFDC096DE15EBE81A47057A7232F9B8C5",
        "signature": base64.b64encode(b"\1" * 256).decode(),
        "their_signature": base64.b64encode(b"\1" * 256).decode(),
        "expected_sign": "3CA89B5870F944736C657979192E1CF4",
        "raw": "appid=wx2421b1c4370ec43b&mch_id=10000100&nonce_str=b927722419c52622651a871d1d9ed8b2"
        "&body=JSAPI&out_trade_no=1405713376&total_fee=1&trade_type=JSAPI"
        "&sign=3CA89B5870F944736C657979192E1CF4",
        "params": "appKey=MMMabc&dealId=470193086&tpOrderId=3028903626&totalAmount=11300",
        "q": "签名错误 SIGN_ERROR",
        "authorization": (
            'WECHATPAY2-SHA256-RSA2048 mchid="1230000109",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",'
            'signature="AAAA",timestamp="1554208460",serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"'
        ),
    }


# --- endpoints ----------------------------------------------------------------------------------


class _Forms(HTMLParser):
    """The forms of a page: action, method and fields (name, kind, maxlength, first option)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"action": a.get("action") or "", "method": a.get("method"), "fields": []}
            )
        elif tag in ("input", "textarea", "select") and self.forms and a.get("name"):
            field = {
                "name": a["name"],
                "tag": tag,
                "type": a.get("type") or "",
                "maxlength": int(a["maxlength"]) if a.get("maxlength") else None,
                "value": a.get("value") or "",
            }
            self.forms[-1]["fields"].append(field)
            self._select = field if tag == "select" else None
        elif tag == "option" and self._select is not None and not self._select["value"]:
            self._select["value"] = a.get("value") or ""


def pages() -> list[str]:
    found = ["/", "/faq/", "/diagnose", "/wechat/v2/", "/wechat/v2/demo/"]
    found += [f"/wechat/v2/{slug}/" for slug in PRESETS]
    for task in TASKS:
        group, _, name = task.partition(":")
        found.append(
            {
                "wechat_v3": f"/wechat/v3/{name}/",
                "wechat_v2": f"/wechat/v2/{name}/",  # refund-notify, simulate (issue 15)
                "baidu": f"/baidu/{name}/",
                "alipay": f"/alipay/{name}/",  # issue 18
            }.get(group, "/lint/")
        )
    return found


API_PAYLOADS: dict[str, dict] = {
    "/api/v1/wechat/v2/sign": {"raw": "raw", "key": "key", "expected_sign": "expected_sign"},
    "/api/v1/wechat/v3/sign": {
        "url": "url",
        "timestamp": "timestamp",
        "nonce": "nonce",
        "body": "body",
        "private_key": "private_key",
        "mchid": "mchid",
        "serial_no": "serial_no",
    },
    "/api/v1/wechat/v3/verify": {
        "timestamp": "timestamp",
        "nonce": "nonce",
        "body": "body",
        "signature": "signature",
        "public_key": "public_key",
        "serial": "serial",
    },
    "/api/v1/wechat/v3/decrypt": {
        "apiv3_key": "apiv3_key",
        "associated_data": "associated_data",
        "nonce": "nonce",
        "ciphertext": "ciphertext",
    },
    "/api/v1/baidu/sign": {"params": "params", "private_key": "private_key"},
    "/api/v1/baidu/verify": {"params": "params", "public_key": "public_key"},
    "/api/v1/lint": {"api": "wechat_v3:jsapi", "body": "body"},
    # Issue 15 (the key ring's "items" is a list: measured by its page's form instead).
    "/api/v1/wechat/v3/sensitive/check": {"body": "body", "certificate": "certificate"},
    "/api/v1/wechat/v3/sensitive/encrypt": {"plaintext": "张三", "public_key": "public_key"},
    "/api/v1/wechat/v3/sensitive/decrypt": {
        "ciphertext": "ciphertext",
        "private_key": "private_key",
    },
    "/api/v1/wechat/v2/refund-notify/decrypt": {"req_info": "ciphertext", "key": "key"},
    "/api/v1/wechat/v3/simulate": {
        "kind": "payment",
        "mode": "public_key",
        "apiv3_key": "apiv3_key",
        "url": "url",
        "resource": "",
    },
    "/api/v1/wechat/v2/simulate": {"kind": "refund", "key": "key", "url": "url", "resource": ""},
    # Issue 18: Alipay.
    "/api/v1/alipay/sign": {
        "raw": "params",
        "private_key": "private_key",
        "expected_sign": "signature",
        "gateway_answer": "q",
    },
    "/api/v1/alipay/verify-notify": {"raw": "params", "public_key": "public_key"},
    "/api/v1/alipay/verify-response": {"body": "body", "certificate": "certificate"},
    "/api/v1/alipay/cert-sn": {"root_certificates": "certificate"},
    "/api/v1/alipay/keys": {"private_key": "private_key", "certificate": "certificate"},
}


# --- measuring ----------------------------------------------------------------------------------


class Results:
    def __init__(self) -> None:
        self.worst: dict[str, tuple[float, str, int]] = {}
        self.count = 0
        self.slow: list[tuple[float, str, str]] = []
        self._current = ""

    def line(self, endpoint: str) -> str:
        spent, case, status = self.worst[endpoint]
        flag = "  SLOW" if spent > LIMIT_SECONDS else ""
        return f"  {spent * 1e3:8.1f} ms  {endpoint:<52} {case} ({status}){flag}"

    def measure(self, endpoint: str, case: str, request: Callable[[], object]) -> None:
        if ONLY_ENDPOINT not in endpoint or ONLY_CASE not in case:
            return
        if (
            endpoint != self._current
        ):  # one line per endpoint as it finishes: a long run shows progress
            if self._current in self.worst:
                print(self.line(self._current), flush=True)
            self._current = endpoint
        started = time.process_time()
        response = request()
        spent = time.process_time() - started
        self.count += 1
        status = getattr(response, "status_code", 0)
        if status >= 500:
            print(f"  {endpoint} [{case}] answered {status}")
        if spent > self.worst.get(endpoint, (-1.0, "", 0))[0]:
            self.worst[endpoint] = (spent, case, status)
        if spent > LIMIT_SECONDS:
            self.slow.append((spent, endpoint, case))


def run_forms(
    client: Client, valid: dict[str, str], huge_keys: dict[str, str], results: Results
) -> None:
    done: set[tuple[str, str]] = set()  # /wechat/v2/, /demo/ and /free/ post to the same action
    for page in pages():
        parser = _Forms()
        parser.feed(client.get(page).content.decode())  # also warms the templates up
        results.measure(f"GET {page}", "plain", lambda page=page: client.get(page))
        for form in parser.forms:
            action, method = form["action"] or page, (form["method"] or "get").lower()
            if action.startswith("/i18n/") or (method, action) in done:
                continue
            done.add((method, action))
            baseline = {
                f["name"]: valid.get(f["name"], f["value"])
                for f in form["fields"]
                if f["type"] not in ("file", "checkbox", "submit")
            }
            text_fields = [
                f
                for f in form["fields"]
                if f["tag"] == "textarea" or f["type"] in ("text", "password", "")
            ]
            for field in text_fields:
                size = min(field["maxlength"] or FIELD, QUERY if field["name"] == "q" else FIELD)
                values = {case: make(size // SCALE)[:size] for case, make in ADVERSARIAL.items()}
                if field["name"] in KEY_FIELDS:
                    values.update(huge_keys)
                label = f"{method.upper()} {action} {field['name']}"
                for case, value in values.items():
                    data = {**baseline, field["name"]: value}
                    if method == "post":
                        data["share"] = "1"  # sharing redacts and stores too: the most work
                        results.measure(label, case, lambda a=action, d=data: client.post(a, d))
                    else:
                        results.measure(label, case, lambda a=action, d=data: client.get(a, d))
                if method != "post":
                    continue
                for case, value in values.items():  # the page pre-filled from a link
                    url = f"{page}?{urlencode({field['name']: value})}"
                    results.measure(
                        f"GET {page}?{field['name']}=", case, lambda u=url: client.get(u)
                    )


def run_get_endpoints(client: Client, results: Results) -> None:
    for case, make in ADVERSARIAL.items():
        query = make(QUERY // SCALE)
        encoded = query.encode()[:QUERY].decode(errors="ignore")
        results.measure(
            "GET /api/v1/diagnose?q=",
            case,
            lambda q=encoded: client.get("/api/v1/diagnose", {"q": q}),
        )
        results.measure("GET /faq/?q=", case, lambda q=query: client.get("/faq/", {"q": q}))
        slug = fill("a-", 200)
        results.measure("GET /faq/<slug>", case, lambda s=slug: client.get(f"/faq/{s}"))
        results.measure(
            "GET /api/v1/faq/<slug>", case, lambda s=slug: client.get(f"/api/v1/faq/{s}")
        )
        results.measure("GET /d/<token>", case, lambda s=slug: client.get(f"/d/{s}"))
        results.measure("GET /healthz", case, lambda: client.get("/healthz"))
        results.measure(
            "POST /i18n/setlang/ next",
            case,
            lambda q=query: client.post("/i18n/setlang/", {"language": "en", "next": q}),
        )


def run_api(
    client: Client, valid: dict[str, str], huge_keys: dict[str, str], results: Results
) -> None:
    for endpoint, fields in API_PAYLOADS.items():
        baseline = {name: valid.get(source, source) for name, source in fields.items()}
        for name in fields:
            room = API_BODY - len(json.dumps({**baseline, name: ""}, ensure_ascii=False).encode())
            values = {case: make(room // SCALE) for case, make in ADVERSARIAL.items()}
            if name in KEY_FIELDS:
                values.update(huge_keys)
            for case, value in values.items():
                body = json.dumps({**baseline, name: value}, ensure_ascii=False).encode()
                while len(body) > API_BODY:  # JSON escapes ("\n", "\\") made it longer
                    value = value[: len(value) * API_BODY // len(body) - 16]
                    body = json.dumps({**baseline, name: value}, ensure_ascii=False).encode()
                results.measure(
                    f"POST {endpoint} {name}",
                    case,
                    lambda e=endpoint, b=body: client.post(e, b, content_type="application/json"),
                )
        # The body itself: JSON nested to the limit, and params as a mapping with many keys.
        results.measure(
            f"POST {endpoint} (body)",
            "nested JSON at 256 KiB",
            lambda e=endpoint: client.post(
                e, nested_json(API_BODY // SCALE), content_type="application/json"
            ),
        )
        if "params" in fields or endpoint.endswith("/v2/sign"):
            many = {f"k{i}": "key=" * 8 for i in range(API_BODY // SCALE // 48)}
            body = json.dumps({**baseline, "params": many, "raw": None}).encode()[:API_BODY]
            results.measure(
                f"POST {endpoint} (body)",
                "params with thousands of keys",
                lambda e=endpoint, b=body: client.post(e, b, content_type="application/json"),
            )


def main() -> None:
    setup_test_environment()
    logging.disable(logging.CRITICAL)  # the request log would print a line per request
    database = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, serialize=False)
    with redirect_stdout(io.StringIO()):
        call_command("load_faq", verbosity=0)
    valid = _valid_values()
    huge_keys = oversize_keys()
    client = Client(
        raise_request_exception=False
    )  # a view that fails counts as a 500, the run goes on
    results = Results()
    started = time.perf_counter()
    with override_settings(RATE_LIMITS={}, RATELIMIT_ENABLE=False):
        run_forms(client, valid, huge_keys, results)
        run_get_endpoints(client, results)
        run_api(client, valid, huge_keys, results)
    connection.creation.destroy_test_db(database, verbosity=0)
    elapsed = time.perf_counter() - started
    print("== summary, slowest first")
    print(
        f"{results.count} requests, {len(ADVERSARIAL)} adversarial inputs at the size limits"
        f" and {len(huge_keys)} oversize keys in every key field"
        f"{' / 10 (--quick)' if SCALE > 1 else ''}, {elapsed:.0f} s; CPU per request, slowest input:"
    )
    for endpoint in sorted(results.worst, key=lambda endpoint: -results.worst[endpoint][0]):
        print(results.line(endpoint))
    if not results.worst:
        print("nothing measured (--only matched no endpoint)")
        return
    spent, endpoint, case = max((v[0], k, v[1]) for k, v in results.worst.items())
    print(f"slowest overall: {spent * 1e3:.1f} ms CPU, {endpoint} [{case}]")
    print(f"over {LIMIT_SECONDS * 1e3:.0f} ms: {len(results.slow)} request(s)")
    for spent, endpoint, case in sorted(results.slow, reverse=True)[:20]:
        print(f"  SLOW {spent * 1e3:8.1f} ms  {endpoint} [{case}]")


if __name__ == "__main__":
    main()
