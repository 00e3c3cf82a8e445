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
from dataclasses import dataclass, field

_translate: Callable[[str], str] = str


def use_translation(translate: Callable[[str], str]) -> None:
    """Install the function that turns a Chinese template into the active language's."""
    global _translate
    _translate = translate


@dataclass(frozen=True, slots=True)
class Text:
    """A sentence: a Chinese template and the values to put in it, translated when shown."""

    template: str
    values: dict[str, object] = field(hash=False)

    def __str__(self) -> str:
        if not self.template:
            return ""  # gettext("") is the catalogue's header
        if not self.values:
            return _translate(self.template)
        return _translate(self.template).format_map(self.values)


@dataclass(frozen=True, slots=True)
class Joined:
    """Several values shown with a (translated) separator between them."""

    separator: Text | str = field(hash=False)
    items: tuple[object, ...]

    def __str__(self) -> str:
        return str(self.separator).join(str(item) for item in self.items)


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
    return Joined(separator, tuple(items))


Message = Text | Joined | str
