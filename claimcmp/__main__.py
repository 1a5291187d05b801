"""``python -m claimcmp``: the command line (see :mod:`claimcmp.cli`)."""

from claimcmp.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
