from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from diagnostics.core import text


@pytest.fixture
def translator() -> Iterator[Callable[[dict[str, str]], None]]:
    """Show the engines' sentences through a test's own catalogue; the previous one is put back."""
    previous = text._translate
    yield lambda catalogue: text.use_translation(lambda template: catalogue.get(template, template))
    text.use_translation(previous)


# Keys are generated once for the engine tests (2048-bit generation is the slow part); none is
# committed. ``other_key`` is never the pair of ``key``.
@pytest.fixture(scope="session")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def other_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)
