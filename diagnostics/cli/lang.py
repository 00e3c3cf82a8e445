"""The CLI's language: Chinese by default, English with ``--lang en`` or an English locale.

The engines write Chinese sentences (diagnostics.core.text); the web translates them with Django's
gettext from locale/en/LC_MESSAGES/django.mo. The CLI reads the same compiled catalogue with the
standard library's ``gettext`` module, so a finding reads the same in the terminal as on the page.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping, Sequence
from pathlib import Path

from diagnostics.core import text

ZH, EN = "zh", "en"
LANGUAGES = (ZH, EN)

# The project's catalogue, beside the packages (an editable install reads it in place).
CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.mo"

# The variables gettext itself reads, in its order of precedence.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def choose(argv: Sequence[str], environ: Mapping[str, str]) -> str:
    """``--lang`` wins (read before the parser is built: the help texts depend on it); then the
    locale; Chinese otherwise.

    >>> choose(["--lang", "en"], {}), choose([], {"LANG": "en_US.UTF-8"}), choose([], {"LANG": "C"})
    ('en', 'en', 'zh')
    """
    for index, word in enumerate(argv):
        if word == "--":
            break
        if word.startswith("--lang="):
            return _language(word.partition("=")[2])
        if word == "--lang" and index + 1 < len(argv):
            return _language(argv[index + 1])
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value:
            # LANGUAGE may list several (en:zh); the first decides.
            return EN if value.split(":")[0].lower().startswith("en") else ZH
    return ZH


def _language(value: str) -> str:
    return EN if value.lower().startswith("en") else ZH


def install(language: str) -> None:
    """Make every engine sentence and every CLI text shown from now on speak ``language``."""
    if language != EN:
        text.use_translation(str)
        return
    try:
        with CATALOGUE.open("rb") as catalogue:
            translations = gettext.GNUTranslations(catalogue)
    except OSError:
        # An install without the catalogue (not an editable one) speaks Chinese only.
        text.use_translation(str)
        return
    text.use_translation(translations.gettext)
