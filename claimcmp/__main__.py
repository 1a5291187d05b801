"""``python -m claimcmp ...``: the ``claimcmp`` command line (see :mod:`claimcmp.cli`)."""

from claimcmp.cli import main

raise SystemExit(main())
