"""Sentence embeddings: a sentence-transformers model resolved through the model registry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from claimcmp._checks import check_bool, check_device, check_int, check_optional_str
from claimcmp.errors import ParameterError
from claimcmp.model_registry import default_model, load_sentence_transformer


class SentenceEmbedder:
    """Embeds sentences with a sentence-transformers model (default: all-MiniLM-L6-v2).

    Vectors are L2-normalised float32, so a dot product is the cosine similarity. The model is
    loaded on first use and cached once per process; the object itself holds only parameters.
    """

    def __init__(self, model: str | None = None, batch_size: int = 64, device: str = "cpu",
                 show_progress: bool = False) -> None:
        self.model = model
        self.batch_size = batch_size
        self.device = device
        self.show_progress = show_progress

    def get_params(self) -> dict[str, object]:
        return {"model": self.model, "batch_size": self.batch_size, "device": self.device,
                "show_progress": self.show_progress}

    @property
    def model_name(self) -> str:
        """The registry name (or folder) of the model in use."""
        return self.model or default_model("embed")

    def check(self) -> None:
        """Raise ParameterError if a parameter is unusable (the device must exist here); loads nothing."""
        check_optional_str(self.model, "model")
        check_int(self.batch_size, "batch_size")
        check_device(self.device)
        check_bool(self.show_progress, "show_progress")

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """An ``(n, dim)`` float32 array of unit vectors, one row per text, in input order."""
        self.check()
        st = load_sentence_transformer(self.model_name, self.device)
        if len(texts) == 0:
            return np.zeros((0, st.get_sentence_embedding_dimension()), dtype=np.float32)
        # a text repeated (the same sentence in several articles) is encoded once
        first: dict[str, int] = {}
        where = np.array([first.setdefault(t, len(first)) for t in texts])
        vecs = st.encode(list(first), batch_size=self.batch_size, convert_to_numpy=True,
                         normalize_embeddings=True, show_progress_bar=self.show_progress)
        return np.asarray(vecs, dtype=np.float32)[where]


class PrecomputedEmbeddings:
    """Use embeddings computed elsewhere: looks each text up in a ``{text: vector}`` mapping."""

    def __init__(self, vectors: dict[str, np.ndarray]) -> None:
        self.vectors = vectors

    def get_params(self) -> dict[str, object]:
        return {"vectors": self.vectors}

    @property
    def model_name(self) -> str:
        return "precomputed"

    def check(self) -> None:
        """Raise ParameterError unless ``vectors`` is a mapping."""
        if not isinstance(self.vectors, Mapping):
            raise ParameterError(f"vectors must be a mapping of text to vector, got {type(self.vectors).__name__}.")

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """The stored vectors of ``texts``, normalised; a missing text raises ParameterError."""
        missing = [t for t in texts if t not in self.vectors]
        if missing:
            raise ParameterError(f"{len(missing)} sentence(s) have no precomputed vector, e.g. {missing[0][:60]!r}.")
        arr = np.stack([np.asarray(self.vectors[t], dtype=np.float32) for t in texts]) if texts else \
            np.zeros((0, 1), dtype=np.float32)
        norms = np.linalg.norm(arr, axis=1, keepdims=True)
        return arr / np.where(norms == 0, 1, norms)
