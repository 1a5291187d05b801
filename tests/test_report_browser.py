"""The report rendered by headless Chromium: a real, non-blank page, and injected script never runs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread
from report_helpers import PWNED, hostile_comparison

import claimcmp

pytestmark = pytest.mark.browser

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium() -> str:
    """Path of the chromium binary, or skip the test."""
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if path is None:
        pytest.skip("chromium not installed: apt-get install -y chromium (.ci/run does this in CI)")
    return path


def run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=180, check=False)


def test_screenshot_is_not_blank(seeds_comparison: claimcmp.Comparison, tmp_path: Path) -> None:
    report = claimcmp.write_report(seeds_comparison, tmp_path / "report.html")
    png = tmp_path / "shot.png"
    res = run_chromium(tmp_path, f"--screenshot={png}", "--window-size=1400,2000", report.resolve().as_uri())
    assert png.is_file(), res.stderr[-2000:]
    assert png.stat().st_size > 50_000
    img = imread(png)
    assert img.shape[:2] == (2000, 1400)
    grey = img[..., :3].mean(axis=2)
    assert grey.std() > 0.05, "screenshot is (nearly) one flat colour"
    colours = np.unique((img[..., :3] * 255).astype(np.uint8).reshape(-1, 3), axis=0)
    assert len(colours) > 200, "too few distinct colours for a rendered report"
    # the dark header band is drawn at the top, the light page below it
    assert grey[:40].mean() < 0.35 < 0.8 < grey[300:].mean()


def test_injected_script_does_not_run(tmp_path: Path) -> None:
    report = claimcmp.write_report(hostile_comparison(), tmp_path / "hostile.html", plots=False)
    res = run_chromium(tmp_path, "--dump-dom", report.resolve().as_uri())
    dom = res.stdout
    assert "<title>claimcmp report:" in dom, res.stderr[-2000:]
    assert f"<title>{PWNED}" not in dom
    assert "<script" not in dom.lower()
    assert "<img" not in dom.lower()
    assert "&lt;script&gt;document.title=" in dom  # shown as text
    assert "&lt;b&gt;markup&lt;/b&gt;" in dom
