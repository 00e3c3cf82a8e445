"""Load benchmark of the production stack on loopback: gunicorn (2 workers) + WhiteNoise + the
database and cache given by DATABASE_URL / REDIS_URL, driven by wrk.

Run it with `make bench-load` (a throwaway PostgreSQL and Redis around it), or directly with your
own DATABASE_URL and REDIS_URL. It prints, per endpoint, requests per second, p50 and p99 latency,
errors and throughput as a ratio of /healthz measured in the same run (the mean of a run before the
endpoints and one after them; each endpoint is warmed up for 2 s first), then the page weight of the
home page and a workbench page. It is a script that prints figures, not a test.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DURATION = int(os.environ.get("LOAD_SECONDS", "10"))
HEALTHZ_P99_TARGET_MS = 10.0


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",  # plain HTTP on loopback; TLS terminates in front in production
        RATELIMIT_ENABLE="0",  # the benchmark is one client IP sending thousands of requests
    )
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"sqlite:///{tempfile.gettempdir()}/paydoctor-load.sqlite3"
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def start_gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    gunicorn = str(Path(PYTHON).with_name("gunicorn"))
    command = [gunicorn, "--config", "config/gunicorn.py", "config.wsgi"]
    command += ["--workers", "2", "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"gunicorn did not answer /healthz; see {log}")


def v3_verify_body() -> str:
    """A notification signed with a key made here, and the certificate that verifies it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tenpay.com Root CA")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(0x5157F09EFDC096DE15EBE81A47057A7232F1B8E1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    body = '{"id":"EV-2018022511223320873","event_type":"TRANSACTION.SUCCESS"}'
    message = f"1554208460\nNONCE123\n{body}\n".encode()
    signature = base64.b64encode(key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()
    return json.dumps(
        {
            "timestamp": "1554208460",
            "nonce": "NONCE123",
            "body": body,
            "signature": signature,
            "public_key": certificate.public_bytes(serialization.Encoding.PEM).decode(),
            "serial": "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
        }
    )


def v2_sign_body() -> str:
    """A 12-field unifiedorder with a sign nothing reproduces: the full mistake search runs."""
    params = {
        "appid": "wx2421b1c4370ec43b",
        "mch_id": "10000100",
        "nonce_str": "b927722419c52622651a871d1d9ed8b2",
        "body": "JSAPI 支付测试",
        "attach": "",
        "out_trade_no": "1405713376",
        "total_fee": "1",
        "spbill_create_ip": "127.0.0.1",
        "notify_url": "https://example.com/notify",
        "trade_type": "JSAPI",
        "openid": "oUpF8uN95-Ptaags6E_roPHg7AG0",
        "sign": "0" * 32,
    }
    return json.dumps({"params": params, "key": "192006250b4c09247ec02edce69f6a2d"})


LUA_POST = """
local f = io.open("{path}", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
"""


def parse_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(
    name: str,
    url: str,
    connections: int,
    body: str | None,
    workdir: Path,
    seconds: int = DURATION,
) -> Result:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if body is not None:
        payload = workdir / f"{name}.json"
        payload.write_text(body)
        script = workdir / f"{name}.lua"
        script.write_text(LUA_POST.format(path=payload))
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Result(
        name=name,
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=parse_ms(re.search(r"\s50%\s+(\S+)", output).group(1)),
        p99_ms=parse_ms(re.search(r"\s99%\s+(\S+)", output).group(1)),
        errors=errors,
    )


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("src"):
            self.urls.append(values["src"] or "")
        if tag == "link" and values.get("rel") == "stylesheet" and values.get("href"):
            self.urls.append(values["href"] or "")


def transferred(url: str) -> tuple[int, str]:
    """Bytes on the wire for ``url`` fetched with gzip, and the body as text."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        raw = answer.read()
        text = gzip.decompress(raw) if answer.headers.get("Content-Encoding") == "gzip" else raw
    return len(raw), text.decode("utf-8", errors="replace")


def page_weight(base: str, path: str) -> tuple[int, list[str], list[str]]:
    size, html = transferred(base + path)
    parser = _Assets()
    parser.feed(html)
    foreign = [url for url in parser.urls if re.match(r"^(https?:)?//", url)]
    sizes = [size]
    for url in parser.urls:
        if url not in foreign:
            sizes.append(transferred(base + url)[0])
    return sum(sizes), parser.urls, foreign


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found: apt-get install wrk")
    port = free_port()
    env = production_env()
    database = env["DATABASE_URL"].split("://", 1)[0]
    cache = "redis" if env.get("REDIS_URL") else "local memory"
    print(f"Pay Doctor load benchmark · {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    cpu = platform.processor() or platform.machine()
    print(f"machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}")
    print(
        f"stack: gunicorn 2 workers, WhiteNoise, {database}, cache {cache}; "
        f"wrk -t1, {DURATION} s each"
    )
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "migrate", "--noinput")
    manage(env, "load_faq")
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        process = start_gunicorn(env, port, workdir / "gunicorn.log")
        try:
            base = f"http://127.0.0.1:{port}"
            connections = 8
            healthz = run_wrk("healthz", base + "/healthz", connections, None, workdir)
            while healthz.p99_ms >= HEALTHZ_P99_TARGET_MS and connections > 1:
                connections //= 2
                healthz = run_wrk("healthz", base + "/healthz", connections, None, workdir)
            query = "/api/v1/diagnose?q=" + urllib.request.quote(
                "调起后提示 errCode:6 请求签名错误"
            )
            endpoints = [
                ("home page", base + "/", None),
                ("diagnosis query", base + query, None),
                ("V2 sign + mistake search", base + "/api/v1/wechat/v2/sign", v2_sign_body()),
                ("APIv3 verify", base + "/api/v1/wechat/v3/verify", v3_verify_body()),
            ]
            results = [healthz]
            for name, url, body in endpoints:
                # A short unreported run first: both workers have served this endpoint before
                # it is measured, as they would have in production.
                run_wrk(name, url, connections, body, workdir, seconds=2)
                results.append(run_wrk(name, url, connections, body, workdir))
            # /healthz again at the end: the reference is the mean of the two, so a machine
            # that slows down or speeds up during the run does not skew the ratios one way.
            healthz_after = run_wrk(
                "healthz (again)", base + "/healthz", connections, None, workdir
            )
            results.append(healthz_after)
            reference = (healthz.rps + healthz_after.rps) / 2
            print(
                f"\nload: {connections} connections "
                f"(the most that keeps /healthz p99 under {HEALTHZ_P99_TARGET_MS:g} ms)"
            )
            print(
                f"{'endpoint':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'vs healthz':>12}"
            )
            for result in results:
                ratio = result.rps / reference
                print(
                    f"{result.name:<28}{result.rps:>9.0f}{result.p50_ms:>9.2f}{result.p99_ms:>9.2f}"
                    f"{result.errors:>8}{ratio:>11.0%}"
                )
            print()
            for path in ("/", "/wechat/v2/"):
                weight, assets, foreign = page_weight(base, path)
                verdict = "ok" if weight < 100 * 1024 and not foreign else "OVER TARGET"
                print(
                    f"page weight {path:<12} {weight / 1024:6.1f} KB gzip, {len(assets)} assets, "
                    f"other hosts: {foreign or 'none'} [{verdict}]"
                )
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
