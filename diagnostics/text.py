"""What the engines say, in the reader's language.

The engines are Django-free and write Chinese. Each sentence is a Chinese template with named
values, made with ``_()`` so that ``manage.py makemessages`` extracts the template as a msgid:

>>> sentence = _("缺少参与签名的字段 {name}。", name="appid")
>>> str(sentence)
'缺少参与签名的字段 appid。'

The sentence is translated when it is shown (``str()``, which is what a template does), with the
translation function the web layer installs (``use_translation``, called from the app config).
Values are inserted after translating, so field names and the merchant's own text are never
translated. A value may itself be a sentence, or several joined with a translated separator:

>>> str(_("漏掉了 {names}", names=joined(_("、"), ["appid", "mch_id"])))
'漏掉了 appid、mch_id'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

_translate: Callable[[str], str] = str


def use_translation(translate: Callable[[str], str]) -> None:
    """Install the function that turns a Chinese template into the active language's."""
    global _translate
    _translate = translate


class Text:
    """A sentence: a Chinese template and the values to put in it, translated when shown."""

    __slots__ = ("template", "values")

    def __init__(self, template: str, values: dict[str, object]) -> None:
        self.template = template
        self.values = values

    def __str__(self) -> str:
        if not self.template:
            return ""  # gettext("") is the catalogue's header
        if not self.values:
            return _translate(self.template)
        return _translate(self.template).format_map(self.values)

    def __repr__(self) -> str:
        return f"Text({self.template!r}, {self.values!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Text):
            return NotImplemented
        return self.template == other.template and self.values == other.values

    def __hash__(self) -> int:
        return hash(self.template)


class Joined:
    """Several values shown with a (translated) separator between them."""

    __slots__ = ("items", "separator")

    def __init__(self, separator: Text | str, items: Iterable[object]) -> None:
        self.separator = separator
        self.items = tuple(items)

    def __str__(self) -> str:
        return str(self.separator).join(str(item) for item in self.items)

    def __repr__(self) -> str:
        return f"Joined({self.separator!r}, {self.items!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Joined):
            return NotImplemented
        return self.separator == other.separator and self.items == other.items

    def __hash__(self) -> int:
        return hash(self.items)


def _(template: str, /, **values: object) -> Text:
    """A sentence to show the merchant: ``template`` is Chinese, ``values`` fill its ``{names}``."""
    return Text(template, values)


def label(text: str) -> Text:
    """A label from a table of names (platforms, scenarios) shown translated inside a sentence.

    Its msgid is in the catalogue because the table's labels are translated elsewhere (the pages
    show them with {% translate %}); tests/web/test_i18n.py checks that every one of them is there.
    """
    return Text(text, {})


def joined(separator: Text | str, items: Iterable[object]) -> Joined:
    return Joined(separator, items)


Message = Text | Joined | str
