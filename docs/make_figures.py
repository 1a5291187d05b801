"""Regenerate the pictures in docs/img/ from the bundled seeds.

    HF_HUB_OFFLINE=1 .venv/bin/python docs/make_figures.py            # runs the comparison (~30 s)
    HF_HUB_OFFLINE=1 .venv/bin/python docs/make_figures.py --from out/seeds   # reuse a saved one

Writes agreement.png, coverage.png and stance.png (the three plots) and, when headless Chromium
is installed, report.png (top of report.html) and report-claims.png (the claim grid).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import claimcmp
from claimcmp.report.plots import save_plots

HERE = Path(__file__).resolve().parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def screenshot(html: Path, png: Path, size: str) -> bool:
    """Screenshot ``html`` with headless Chromium; False if Chromium is not installed."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if exe is None:
        return False
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([exe, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={png}", f"--window-size={size}",
                        html.resolve().as_uri()], capture_output=True, timeout=180, check=False)
    return png.is_file()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from", dest="source", help="folder written by Comparison.to_parquet / claimcmp compare")
    parser.add_argument("--out", default=str(HERE / "img"), help="where to write the PNGs (default: docs/img)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.source:
        result = claimcmp.read_comparison(args.source)
    else:
        result = claimcmp.compare(claimcmp.load_seeds(), show_progress=False)
    for path in save_plots(result, out, dpi=100):
        print(f"wrote {path}")
    with tempfile.TemporaryDirectory() as tmp:
        full = claimcmp.write_report(result, Path(tmp) / "report.html")
        grid = claimcmp.write_report(result, Path(tmp) / "claims.html", plots=False)
        for html, name, size in ((full, "report.png", "1400,2000"), (grid, "report-claims.png", "1400,2400")):
            if screenshot(html, out / name, size):
                print(f"wrote {out / name}")
            else:
                print(f"skipped {name}: headless chromium not installed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
