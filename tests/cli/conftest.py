"""Running ``paydoctor`` as a user does: a separate process (``python -m diagnostics.cli``, or the
installed console script), its exit code, its stdout and stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).parent / "paydoctor"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)

    def shows(self, *secrets: str) -> bool:
        """Whether any of ``secrets`` is in what the user sees (stdout or stderr)."""
        return any(secret and (secret in self.out or secret in self.err) for secret in secrets)


def paydoctor(
    *args: str | Path,
    stdin: str | None = None,
    lang: str = "",
    script: bool = False,
    env: dict[str, str] | None = None,
) -> Run:
    """Run the CLI in a new process, without a terminal (no prompt, no colour)."""
    command: Sequence[str | Path] = (
        [SCRIPT, *args] if script else [sys.executable, "-m", "diagnostics.cli", *args]
    )
    environ = {
        key: value
        for key, value in os.environ.items()
        if key
        not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "NO_COLOR", "DJANGO_SETTINGS_MODULE")
    }
    environ |= {"PYTHONUTF8": "1", **({"LANG": lang} if lang else {}), **(env or {})}
    done = subprocess.run(
        [str(part) for part in command],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=environ,
        timeout=60,
        # No controlling terminal: a prompt must be refused, not waited for.
        start_new_session=True,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write a file for the CLI to read; returns its path."""

    def write_file(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write_file
