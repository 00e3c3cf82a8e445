"""``paydoctor`` on a terminal (a pseudo-terminal here): the key typed at a prompt that does not
echo, and colour — unless NO_COLOR is set."""

from __future__ import annotations

import hashlib
import os
import pty
import select
import sys
import time

import pytest

from tests.cli.conftest import ROOT

KEY = "8934e7d15453e97507ef794cf7b0519d"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


def on_terminal(
    args: list[str], typed: str = "", env: dict[str, str] | None = None
) -> tuple[int, str]:
    """Run the CLI with a terminal as its controlling tty; type ``typed`` at the first prompt."""
    try:
        pid, fd = pty.fork()
    except OSError as error:  # a container without /dev/ptmx
        pytest.skip(f"no pseudo-terminal here: {error}")
    if pid == 0:  # the child: its stdin, stdout, stderr and /dev/tty are the terminal
        os.chdir(ROOT)
        environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "LANG", "LC_ALL")}
        os.execve(
            sys.executable,
            [sys.executable, "-m", "diagnostics.cli", *args],
            {**environ, **(env or {})},
        )
    output = b""
    deadline = time.monotonic() + 30
    sent = not typed
    while time.monotonic() < deadline:
        ready, _w, _x = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
        if not sent and "：".encode() in output:
            os.write(fd, typed.encode() + b"\n")
            sent = True
    _pid, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode("utf-8", "replace")


def test_the_key_is_typed_at_a_prompt_and_never_echoed(tmp_path):
    request = tmp_path / "r.txt"
    request.write_text("appid=wx1\nmch_id=1900000109\n")
    expected = hashlib.md5(f"appid=wx1&mch_id=1900000109&key={KEY}".encode()).hexdigest().upper()
    code, output = on_terminal(["v2", "sign", str(request), "--expected", expected], typed=KEY)
    assert code == 0, output
    assert "商户 API 密钥（输入时不显示）" in output
    assert expected in output
    assert KEY not in output  # not echoed as typed, not printed after


def test_a_terminal_gets_colour_and_no_color_turns_it_off(tmp_path):
    request = tmp_path / "r.txt"
    request.write_text("appid=wx1\n")
    key = tmp_path / "key.txt"
    key.write_text(KEY)
    args = ["v2", "sign", str(request), "--key-file", str(key), "--expected", "X"]
    code, coloured = on_terminal(args)
    assert code == 1
    assert "\033[31m" in coloured  # the red verdict
    _code, plain = on_terminal(args, env={"NO_COLOR": "1"})
    assert "\033[" not in plain
