"""``python -m diagnostics.cli``: the same as the ``paydoctor`` console script."""

from __future__ import annotations

import sys

from diagnostics.cli.main import main

sys.exit(main())
