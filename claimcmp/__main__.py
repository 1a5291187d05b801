"""``python -m claimcmp``: the command line (see :mod:`claimcmp.cli`)."""

if __name__ == "__main__":
    try:
        from claimcmp.cli import run
    except KeyboardInterrupt:  # Ctrl-C while the libraries are still importing: nothing was written yet
        import os
        import sys

        sys.stderr.write("claimcmp: error: interrupted\n")
        sys.stderr.flush()
        # an import cut by Ctrl-C leaves the interpreter flagged to die by SIGINT whatever SystemExit says
        os._exit(130)
    run()
