from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from diagnostics import text


@pytest.fixture
def translator() -> Iterator[Callable[[dict[str, str]], None]]:
    """Show the engines' sentences through a test's own catalogue; the previous one is put back."""
    previous = text._translate
    yield lambda catalogue: text.use_translation(lambda template: catalogue.get(template, template))
    text.use_translation(previous)
