"""The engines (signing, searching, the FAQ rule engine) are plain Python: importing them must not
import Django (STYLE.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ENGINES = [
    "diagnostics.core.text",
    "diagnostics.core.mistakes",
    "diagnostics.core.params",
    "diagnostics.core.textdiff",
    "diagnostics.wechat_v2",
    "diagnostics.wechat_v2.fields",
    "diagnostics.wechat_v2.checks",
    "diagnostics.wechat_v2.mistakes",
    "diagnostics.wechat_v2.report",
    "diagnostics.core.keys",
    "diagnostics.wechat_v3",
    "diagnostics.wechat_v3_mistakes",
    "diagnostics.baidu",
    "diagnostics.lint",
    "diagnostics.tasks",
    "faq.knowledge",
    "faq.normalize",
    "faq.engine",
]


def test_importing_the_engines_does_not_import_django():
    code = (
        "import importlib, sys\n"
        f"for name in {ENGINES!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
