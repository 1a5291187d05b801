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
