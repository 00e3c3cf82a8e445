"""How fast ``paydoctor`` starts and answers (issue 17 §2: "well under a second, without Django").

Each command runs as a user runs it — a new process (``python -m diagnostics.cli``) — N times;
the figures are the wall-clock median and slowest run, and the median CPU time (user + system,
steadier on a shared machine), beside a bare ``python -c pass`` (the interpreter's own start-up).
Prints figures; asserts nothing. POSIX only (resource).

    .venv/bin/python bench/bench_cli.py [--runs N]
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEY = "8934e7d15453e97507ef794cf7b0519d"
# A 12-field unified order (002 §4.1), as a merchant pastes it.
REQUEST = {
    "appid": "wx930ea5d5a258f4f",
    "mch_id": "1900000109",
    "nonce_str": "960f228109051b9969f76c82bde183ac",
    "body": "test",
    "out_trade_no": "1400755861",
    "total_fee": "1",
    "spbill_create_ip": "127.0.0.1",
    "notify_url": "https://example.com/notify",
    "trade_type": "JSAPI",
    "openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
    "sign_type": "MD5",
    "attach": "a",
}


def timed(command: list[str], stdin: str = "") -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one run. CPU time moves less than the wall
    clock when other work shares the machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, input=stdin, capture_output=True, text=True, cwd=ROOT, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    folder = Path(tempfile.mkdtemp())
    request = folder / "request.txt"
    request.write_text("".join(f"{name}={value}\n" for name, value in REQUEST.items()))
    key = folder / "key.txt"
    key.write_text(KEY)
    # A sign nothing reproduces: the whole mistake search runs (~250 candidates).
    unrelated = hashlib.md5(b"unrelated").hexdigest().upper()
    cli = [sys.executable, "-m", "diagnostics.cli"]
    cases = [
        ("python -c pass (the interpreter alone)", [sys.executable, "-c", "pass"], ""),
        (
            "import diagnostics.cli.main (no command)",
            [sys.executable, "-c", "import diagnostics.cli.main"],
            "",
        ),
        ("paydoctor --version (whole argparse tree)", [*cli, "--version"], ""),
        ("paydoctor --help", [*cli, "--help"], ""),
        (
            "paydoctor v2 sign (sign only)",
            [*cli, "v2", "sign", str(request), "--key-file", str(key)],
            "",
        ),
        (
            "paydoctor v2 sign --expected (full mistake search, nothing reproduces)",
            [*cli, "v2", "sign", str(request), "--key-file", str(key), "--expected", unrelated],
            "",
        ),
        (
            'paydoctor diagnose "系统繁忙" (knowledge base compiled)',
            [*cli, "diagnose", "系统繁忙"],
            "",
        ),
        ("paydoctor inspect < request", [*cli, "inspect"], request.read_text()),
    ]
    print(f"paydoctor start-up, {runs} runs each (wall clock, new process each run)")
    print(f"{'command':<72} {'wall p50':>9} {'wall max':>9} {'cpu p50':>8}")
    for label, command, stdin in cases:
        timed(command, stdin)  # warm the file cache
        runs_done = [timed(command, stdin) for _run in range(runs)]
        wall = [run[0] * 1000 for run in runs_done]
        cpu = [run[1] * 1000 for run in runs_done]
        print(
            f"{label:<72} {statistics.median(wall):>7.0f}ms {max(wall):>7.0f}ms"
            f" {statistics.median(cpu):>6.0f}ms"
        )
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from diagnostics.cli.main import main; "
            f"main(['v2', 'sign', {str(request)!r}, '--key-file', {str(key)!r}, '--json']); "
            "print('django' in sys.modules, file=sys.stderr)",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    print(f"django imported by a command: {check.stderr.strip()}")


if __name__ == "__main__":
    main()
