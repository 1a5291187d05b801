"""Project layout rules: small modules, a public API that matches its docs, no hub ids, no pickled weights."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import claimcmp

ROOT = Path(__file__).resolve().parent.parent


def test_no_module_over_limit() -> None:
    for path in (ROOT / "claimcmp").rglob("*.py"):
        n = len(path.read_text(encoding="utf-8").splitlines())
        assert n <= 450, f"{path.relative_to(ROOT)} has {n} lines; split it"


def test_public_names_exist() -> None:
    for name in claimcmp.__all__:
        assert hasattr(claimcmp, name), name



def test_table_reference_is_generated_from_schema() -> None:
    spec = importlib.util.spec_from_file_location("gen_reference", ROOT / "docs" / "gen_reference.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["gen_reference"] = mod
    spec.loader.exec_module(mod)
    current = (ROOT / "docs" / "reference" / "tables.md").read_text(encoding="utf-8")
    assert current == mod.render(), "docs/reference/tables.md is stale: run python docs/gen_reference.py"


def test_no_hub_model_ids_or_pickles_in_package() -> None:
    hub = re.compile(r"[\"'](sentence-transformers|cross-encoder|facebook|microsoft)/[\w.-]+[\"']")
    for path in (ROOT / "claimcmp").rglob("*.py"):
        src = path.read_text(encoding="utf-8")
        assert not hub.search(src), f"hub model id in {path}"
        assert "torch.load(" not in src and "pickle.load" not in src, f"unpickling in {path}"
    assert not list((ROOT / "models").rglob("*.bin")) and not list((ROOT / "models").glob("*/*.pt"))
