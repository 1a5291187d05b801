"""Shared fixtures. HF_HUB_OFFLINE is set before any model library loads, so a hub call fails loudly."""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import pytest

import claimcmp


@pytest.fixture(scope="package")
def seeds() -> list[claimcmp.Article]:
    """The five bundled seed articles."""
    return claimcmp.load_seeds()


@pytest.fixture(scope="package")
def seeds_comparison(seeds: list[claimcmp.Article]) -> claimcmp.Comparison:
    """The seeds compared once per test run with the real default models."""
    return claimcmp.compare(seeds, show_progress=False)


@pytest.fixture(scope="package")
def seed_texts(seeds: list[claimcmp.Article]) -> dict[str, str]:
    """article_id -> original text of each seed."""
    return {a.article_id: a.text for a in seeds}


# Hypothesis profiles of the fuzz suite (tests/test_fuzz.py, tests/test_fuzz_e2e.py): "quick" by default and in
# CI (derandomized, no example database, so every run tries the same examples), "long" with CLAIMCMP_FUZZ=long
# (at least 10,000 examples over all fuzz properties; the counts per property are in tests/fuzz_helpers.py).
from hypothesis import HealthCheck, settings  # noqa: E402

_FUZZ_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile("quick", deadline=None, derandomize=True, database=None,
                          suppress_health_check=_FUZZ_SLOW)
settings.register_profile("long", deadline=None, derandomize=True, database=None,
                          suppress_health_check=_FUZZ_SLOW)
settings.load_profile(os.environ.get("CLAIMCMP_FUZZ", "quick"))
