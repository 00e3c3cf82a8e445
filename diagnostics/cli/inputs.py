"""Reading what a command works on: files (or standard input) and secrets.

Secrets come from a file (``--key-file``, ``--private-key-file``) or, for a one-line key, a prompt
that does not echo (``getpass``); never from an argument, which would stay in the shell's history.
Every secret read, and every secret found by name or shape in a pasted file, is remembered by the
session's ``Redactor`` (diagnostics.core.redaction), which clears the result before it is shown.
"""

from __future__ import annotations

import getpass
import sys
from dataclasses import dataclass, field
from typing import BinaryIO

from diagnostics.core.redaction import Redactor
from diagnostics.core.text import Message, _

STDIN = "-"

# The engines' own limits (diagnostics.core.params.MAX_INPUT_CHARS for a paste,
# diagnostics.core.keys.MAX_KEY_CHARS for a key), applied before a file is read whole. Written
# out here because importing those modules brings in cryptography and the XML parser, which a
# command like ``diagnose`` never needs; tests/cli checks that they stay equal.
MAX_INPUT_CHARS = 256 * 1024
MAX_KEY_CHARS = 64 * 1024


class InputError(Exception):
    """Input the CLI cannot use; ``message`` is for the user (exit code 2)."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass
class Session:
    """One run's inputs, and the secrets it must never print."""

    redactor: Redactor = field(default_factory=Redactor)
    stdin_used: bool = False

    def text(self, path: str, what: Message, limit: int = MAX_INPUT_CHARS) -> str:
        """A pasted file's text; its secrets (found by name or shape) are remembered."""
        content = self._read(path, what, limit)
        self.redactor.learn(content)
        return content

    def optional_text(self, path: str | None, what: Message, limit: int = MAX_INPUT_CHARS) -> str:
        return self.text(path, what, limit) if path else ""

    def secret(self, value: str) -> str:
        """Remember a secret that came another way (a key pasted inside the params)."""
        self.redactor.add(value, anywhere=True)
        return value

    def secret_file(self, path: str, what: Message) -> str:
        """A key file's content, without the line end an editor adds."""
        content = self._read(path, what, MAX_KEY_CHARS, secret=True)
        if content.endswith("\n"):
            content = content[:-1].removesuffix("\r")
        self.redactor.add(content, anywhere=True)
        self.redactor.learn(content)
        return content

    def key(self, path: str | None, what: Message, option: str) -> str:
        """A one-line key: from ``path``, else typed at a prompt that does not echo."""
        if path:
            return self.secret_file(path, what)
        if not _interactive():
            raise InputError(
                _(
                    "需要{what}：用 {option} FILE 从文件读取，或在终端里运行，按提示输入"
                    "（密钥不能写在命令行上）。",
                    what=what,
                    option=option,
                )
            )
        typed = getpass.getpass(str(_("{what}（输入时不显示）：", what=what)))
        return self.secret(typed)

    def private_key(self, path: str | None, what: Message, option: str) -> str:
        """A PEM private key: from a file only (a prompt takes one line, a PEM key has many)."""
        if not path:
            raise InputError(
                _("需要{what}：用 {option} FILE 给出它所在的文件。", what=what, option=option)
            )
        return self.secret_file(path, what)

    def _read(self, path: str, what: Message, limit: int, secret: bool = False) -> str:
        if path == STDIN:
            if self.stdin_used:
                raise InputError(_("标准输入（-）只能用于一个输入。"))
            self.stdin_used = True
            data = _read_at_most(sys.stdin.buffer, limit)
        else:
            try:
                with open(path, "rb") as handle:
                    data = _read_at_most(handle, limit)
            except OSError as error:
                # A secret file's name is not repeated: a key typed where its file was expected
                # must not be printed back.
                reason = error.strerror or type(error).__name__
                raise InputError(
                    _("读不了{what}的文件：{reason}", what=what, reason=reason)
                    if secret
                    else _(
                        "读不了{what}的文件 {path}：{reason}", what=what, path=path, reason=reason
                    )
                ) from None
        if len(data) > limit:
            raise InputError(_("{what}超过 {size} KiB。", what=what, size=limit // 1024))
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(
                _(
                    "{what}不是 UTF-8 文本：请先转成 UTF-8（例如 iconv -f GBK -t UTF-8）。",
                    what=what,
                )
            ) from None


def _read_at_most(stream: BinaryIO, limit: int) -> bytes:
    """At most ``limit + 1`` bytes: enough to tell an oversized input without reading all of it."""
    return stream.read(limit + 1)


def _interactive() -> bool:
    """Whether a prompt can be answered: the process has a terminal (getpass reads /dev/tty, so
    the request may still come through a pipe)."""
    try:
        with open("/dev/tty", "rb"):
            return True
    except OSError:
        return False
