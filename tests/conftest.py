from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database holds the knowledge base, loaded the way `make run` loads it."""
    with django_db_blocker.unblock():
        call_command("load_faq", verbosity=0)
