"""``python -m diagnostics.cli``: the same as the ``paydoctor`` console script."""

from __future__ import annotations

import sys

from diagnostics.cli.main import main

if __name__ == "__main__":  # not when a test runner imports the module to collect doctests
    sys.exit(main())
