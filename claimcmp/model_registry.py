"""Resolve the models named in ``models/registry.json`` to local files, offline only.

Nothing here contacts a model hub: a model is either an installed Python package that carries
its weights or a folder under ``models/``. Loaded models are cached once per process (keyed by
path and device) so that stages stay small, picklable parameter holders.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from claimcmp.errors import ModelNotFoundError, ParameterError

log = logging.getLogger(__name__)

#: Folder holding registry.json and the model folders; ``$CLAIMCMP_MODELS_DIR`` overrides it.
DEFAULT_MODELS_DIR = Path(__file__).resolve().parent.parent / "models"


def models_dir() -> Path:
    """The folder that holds ``registry.json`` and the model folders."""
    env = os.environ.get("CLAIMCMP_MODELS_DIR")
    return Path(env) if env else DEFAULT_MODELS_DIR


@dataclass(frozen=True)
class ModelEntry:
    """One registry entry: a model name and where its weights come from."""

    name: str
    stage: str
    kind: str
    source: str
    weights: str
    sha256: str | None
    license: str
    install: str
    package: str | None = None
    subdir: str | None = None
    path: str | None = None
    labels: tuple[str, ...] | None = None
    model_card: str | None = None


@cache
def _registry(folder: str) -> dict[str, Any]:
    path = Path(folder) / "registry.json"
    if not path.is_file():
        raise ModelNotFoundError(f"Model registry not found at {path}. Set CLAIMCMP_MODELS_DIR to claimcmp's models/.")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def registry() -> dict[str, ModelEntry]:
    """Every model the registry names, by name."""
    raw = _registry(str(models_dir()))["models"]
    out = {}
    for name, e in raw.items():
        fields = {k: v for k, v in e.items() if k in ModelEntry.__dataclass_fields__}
        if fields.get("labels") is not None:
            fields["labels"] = tuple(fields["labels"])
        out[name] = ModelEntry(name=name, **fields)
    return out


def default_model(stage: str) -> str:
    """Name of the registry's default model for a stage (``embed`` or ``nli``)."""
    defaults: dict[str, str] = _registry(str(models_dir()))["defaults"]
    if stage not in defaults:
        raise ParameterError(f"No default model for stage {stage!r}; known stages: {sorted(defaults)}.")
    return defaults[stage]


def entry(name: str) -> ModelEntry:
    """The registry entry for ``name``; a folder path is accepted as an unregistered local model."""
    reg = registry()
    if name in reg:
        return reg[name]
    raise ModelNotFoundError(
        f"Model {name!r} is not in the registry ({models_dir() / 'registry.json'}); "
        f"registered models: {sorted(reg)}. To use your own weights pass a local folder path."
    )


def resolve(name: str) -> Path:
    """Local folder of a model's files; raises :class:`ModelNotFoundError` saying where it looked."""
    as_path = Path(name)
    if as_path.is_dir():
        return as_path.resolve()
    e = entry(name)
    if e.source == "package":
        assert e.package is not None
        spec = importlib.util.find_spec(e.package)
        if spec is None or spec.origin is None:
            raise ModelNotFoundError(
                f"Model {name!r} comes from the Python package {e.package!r}, which is not installed in "
                f"this environment. Install it with: {e.install}"
            )
        folder = Path(spec.origin).parent / (e.subdir or "")
    elif e.source == "path":
        assert e.path is not None
        folder = models_dir() / e.path
    else:
        raise ModelNotFoundError(f"Model {name!r} has unknown source {e.source!r} in the registry.")
    weights = folder / e.weights
    if not weights.is_file():
        raise ModelNotFoundError(
            f"Weights of model {name!r} not found: looked for {weights}. Install them with: {e.install}"
        )
    return folder


@cache
def file_sha256(path: str) -> str:
    """sha256 of a file (cached per process)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify(name: str) -> str:
    """Check a registered model's weights against the registry checksum; returns the sha256."""
    e = entry(name)
    digest = file_sha256(str(resolve(name) / e.weights))
    if e.sha256 and digest != e.sha256:
        raise ModelNotFoundError(
            f"Weights of model {name!r} at {resolve(name) / e.weights} have sha256 {digest}, "
            f"but the registry expects {e.sha256}. Reinstall them with: {e.install}"
        )
    return digest


def load_sentence_transformer(name: str, device: str = "cpu") -> Any:
    """A ``SentenceTransformer`` for a registered (or local-folder) model, once per process."""
    return _load_sentence_transformer(name, device)


def load_sequence_classifier(name: str, device: str = "cpu") -> tuple[Any, Any]:
    """Tokenizer and float32 sequence-pair classifier (safetensors only), once per process."""
    return _load_sequence_classifier(name, device)


def loaded_models() -> int:
    """How many models (embedding and NLI) are loaded in this process."""
    return _load_sentence_transformer.cache_info().currsize + _load_sequence_classifier.cache_info().currsize


def clear_model_cache() -> None:
    """Forget the loaded models (the next use loads them again)."""
    _load_sentence_transformer.cache_clear()
    _load_sequence_classifier.cache_clear()


# The public loaders pass both arguments on, so f(name) and f(name, "cpu") share one cache entry
# (lru_cache keys them apart) and a model is never loaded twice.
@lru_cache(maxsize=8)
def _load_sentence_transformer(name: str, device: str) -> Any:
    from sentence_transformers import SentenceTransformer

    from claimcmp.runtime import ensure_configured

    ensure_configured()
    folder = resolve(name)
    log.info("loading embedding model %s from %s", name, folder)
    return SentenceTransformer(str(folder), device=device, local_files_only=True)


@lru_cache(maxsize=8)
def _load_sequence_classifier(name: str, device: str) -> tuple[Any, Any]:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from claimcmp.runtime import ensure_configured

    ensure_configured()
    folder = resolve(name)
    log.info("loading NLI model %s from %s", name, folder)
    tok = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(
        str(folder), local_files_only=True, use_safetensors=True, dtype=torch.float32
    )
    model.to(device)
    model.eval()
    return tok, model
