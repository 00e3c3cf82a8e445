"""Printing a result: the same steps and verdict as the web page, in the terminal or as JSON.

Every command answers an ``Outcome``: ``data`` in the JSON API's shape (where the API has the same
endpoint), and ``show`` to print that data for a person. ``data`` is cleared of the session's
secrets before either sees it (diagnostics.cli.main), so neither can print one.

Colour only on a terminal, and never when ``NO_COLOR`` is set (https://no-color.org/).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from diagnostics.core.findings import BLOCKING, NOTE
from diagnostics.core.text import Message, _

Data = dict[str, Any]

# ANSI SGR codes: bold, red, green, yellow, dim.
_STYLES = {"bold": "1", "bad": "31", "good": "32", "warn": "33", "dim": "2"}


@dataclass
class Outcome:
    """What a command found. ``verdict``: True when the sign matches or verifies (exit 0), False
    when it does not (exit 1), None when there was nothing to compare (exit 0)."""

    data: Data
    show: Callable[[Painter, Data], None]
    verdict: bool | None = None


def wants_colour(stream: TextIO, environ: Mapping[str, str]) -> bool:
    if environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    return stream.isatty()


class Painter:
    """Lines for a person: labelled values, verdicts, findings, mistakes."""

    def __init__(self, stream: TextIO, colour: bool, english: bool) -> None:
        self.stream = stream
        self.colour = colour
        self.english = english  # English shows each engine sentence's code, as the web does

    def style(self, text: str, name: str) -> str:
        return f"\033[{_STYLES[name]}m{text}\033[0m" if self.colour and text else text

    def line(self, text: object = "") -> None:
        print(text, file=self.stream)

    def heading(self, text: Message) -> None:
        self.line()
        self.line(self.style(str(text), "bold"))

    def field(self, label: Message, value: object) -> None:
        """``label: value``; a value of several lines goes below its label, indented."""
        text = str(value)
        label = str(label).rstrip(":：")
        if "\n" in text:
            self.line(self.style(f"{label}:", "dim"))
            for row in text.split("\n"):
                self.line(f"  {row}")
        else:
            self.line(f"{self.style(f'{label}:', 'dim')} {text}")

    def verdict(self, ok: bool, text: Message) -> None:
        mark = "✓" if ok else "✗"
        self.line(self.style(f"{mark} {text}", "good" if ok else "bad"))

    def judged(
        self,
        ok: bool,
        good: Message,
        bad: Message,
        mistakes: Iterable[Mapping[str, Any]] = (),
        signed: tuple[Message, str] = ("", ""),
    ) -> None:
        """The verdict after a blank line; when it is bad, what explains it (each mistake with
        what was signed instead: ``signed`` is its label and its key in the mistake)."""
        self.line()
        self.verdict(ok, good if ok else bad)
        if not ok:
            self.mistakes(mistakes, *signed)

    def warning(self, text: Message) -> None:
        self.line(self.style(f"! {text}", "warn"))

    def code(self, code: str) -> str:
        return self.style(f" [{code}]", "dim") if self.english and code else ""

    def findings(self, findings: Iterable[Mapping[str, Any]], title: Message | None = None) -> None:
        """Findings with their weight, as the page's 检查发现 block."""
        findings = list(findings)
        if not findings:
            return
        self.heading(title or _("检查发现"))
        for finding in findings:
            severity = finding.get("severity", "")
            if severity == BLOCKING:
                mark = self.style(f"✗ {_('会被拒绝')}", "bad")
            elif severity == NOTE:
                mark = self.style(f"· {_('说明')}", "dim")
            else:
                mark = self.style("!", "warn")
            source = finding.get("source", "")
            cited = self.style(f" ({source})", "dim") if source else ""
            self.line(f"{mark} {finding['message']}{self.code(finding.get('code', ''))}{cited}")

    def mistakes(
        self, mistakes: Iterable[Mapping[str, Any]], signed_label: Message, signed_key: str
    ) -> None:
        """Each explanation found: what it is, what was signed instead, the fix, the source."""
        for mistake in mistakes:
            self.line(self.style(f"→ {mistake['detail']}", "bad") + self.code(mistake["code"]))
            if mistake.get(signed_key):
                signed = mistake[signed_key]
                shown = signed_lines(signed) if signed_key == "message" else signed
                self.field(f"  {signed_label}", shown)
            for fix in mistake.get("fixes", ()):
                self.line(f"  {_('改正：')}{fix}")
            if mistake.get("source"):
                self.line(self.style(f"  {_('来源')} {mistake['source']}", "dim"))


def signed_lines(message: str) -> str:
    """An RSA-signed message (APIv3: each part ends with \\n) one part a line, its line ends shown
    as the two characters \\n, as the pages show them."""
    parts = message.split("\n")
    if parts and parts[-1] == "":
        return "\n".join(f"{part}\\n" for part in parts[:-1])
    return message


def dump_json(data: Data, stream: TextIO) -> None:
    json.dump(data, stream, ensure_ascii=False, indent=2)
    stream.write("\n")
