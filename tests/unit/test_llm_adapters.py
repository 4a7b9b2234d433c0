from __future__ import annotations

import json
from pathlib import Path

import gguf
import numpy as np
import pytest
from safetensors.numpy import save_file

from seamline.errors import ModelError
from seamline.llm.adapters import (
    ADAPTER_META,
    _permute_rows,
    check_adapter,
    convert_adapter_to_gguf,
    ensure_adapter_gguf,
    read_adapter,
)
from seamline.llm.sources import Shape

SHAPE = Shape(
    "llama", hidden_size=8, intermediate_size=16, num_layers=2, num_heads=2, num_kv_heads=1, vocab_size=10
)


def reference_permute(weights: np.ndarray, n_head: int) -> np.ndarray:
    """llama.cpp convert_hf_to_gguf.py LlamaModel.permute, for a full weight matrix."""
    return (
        weights.reshape(n_head, 2, weights.shape[0] // n_head // 2, *weights.shape[1:])
        .swapaxes(1, 2)
        .reshape(weights.shape)
    )


def make_adapter(path: Path, *, rank: int = 2, hidden: int = 8, meta: dict | None = None) -> Path:
    path.mkdir(parents=True)
    rng = np.random.default_rng(0)
    kv = hidden // 2  # one KV head of size hidden / 2
    tensors = {}
    for layer in range(2):
        for module, out in (("q_proj", hidden), ("k_proj", kv), ("v_proj", kv)):
            prefix = f"base_model.model.model.layers.{layer}.self_attn.{module}"
            tensors[f"{prefix}.lora_A.weight"] = rng.normal(size=(rank, hidden)).astype(np.float32)
            tensors[f"{prefix}.lora_B.weight"] = rng.normal(size=(out, rank)).astype(np.float32)
    save_file(tensors, str(path / "adapter_model.safetensors"))
    config = {
        "peft_type": "LORA",
        "r": rank,
        "lora_alpha": 4,
        "target_modules": ["q_proj", "k_proj", "v_proj"],
    }
    (path / "adapter_config.json").write_text(json.dumps(config))
    if meta is not None:
        (path / ADAPTER_META).write_text(json.dumps(meta))
    return path


def test_lora_b_permutation_matches_permuting_the_merged_weight() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(4, 12)), rng.normal(size=(12, 4))
    # Permuting B's rows is the same as permuting the rows of the full update B @ A.
    assert np.allclose(_permute_rows(b, 3) @ a, reference_permute(b @ a, 3))


def test_conversion_writes_a_gguf_lora(tmp_path: Path) -> None:
    info = read_adapter(make_adapter(tmp_path / "ad"))
    out = convert_adapter_to_gguf(info, SHAPE, tmp_path / "ad.gguf")
    reader = gguf.GGUFReader(str(out))
    assert reader.fields["general.type"].contents() == "adapter"
    assert reader.fields["adapter.type"].contents() == "lora"
    assert reader.fields["adapter.lora.alpha"].contents() == pytest.approx(4.0)
    tensors = {t.name: t for t in reader.tensors}
    assert set(tensors) == {
        f"blk.{i}.attn_{m}.weight.lora_{ab}" for i in range(2) for m in "qkv" for ab in "ab"
    }
    # GGUF shapes are (columns, rows): lora_a is (in, rank), lora_b is (rank, out).
    assert tensors["blk.0.attn_q.weight.lora_a"].shape.tolist() == [8, 2]
    assert tensors["blk.0.attn_k.weight.lora_b"].shape.tolist() == [2, 4]
    raw = read_adapter(tmp_path / "ad")
    from safetensors.numpy import load_file

    b = load_file(str(raw.weights))["base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight"]
    stored = np.asarray(tensors["blk.1.attn_q.weight.lora_b"].data).reshape(8, 2)
    assert np.allclose(stored, reference_permute(b, 2))
    v = load_file(str(raw.weights))["base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight"]
    assert np.allclose(np.asarray(tensors["blk.1.attn_v.weight.lora_b"].data).reshape(4, 2), v)


def test_conversion_is_cached_by_content(tmp_path: Path) -> None:
    info = read_adapter(make_adapter(tmp_path / "ad"))
    first = ensure_adapter_gguf(info, SHAPE, tmp_path / "cache")
    assert ensure_adapter_gguf(info, SHAPE, tmp_path / "cache") == first
    assert [p.name for p in (tmp_path / "cache" / "adapters").iterdir()] == [first.name]


def test_failed_conversion_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    info = read_adapter(make_adapter(tmp_path / "ad"))

    def boom(self: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(gguf.GGUFWriter, "write_tensors_to_file", boom)
    with pytest.raises(OSError, match="disk full"):
        convert_adapter_to_gguf(info, SHAPE, tmp_path / "out" / "ad.gguf")
    assert list((tmp_path / "out").iterdir()) == []


def test_adapter_for_another_base_is_refused(tmp_path: Path) -> None:
    other = SHAPE.as_dict() | {"hidden_size": 64}
    path = make_adapter(tmp_path / "ad", meta={"base_model": "Other-1B", "base_shape": other})
    with pytest.raises(
        ModelError, match=r"was trained on Other-1B \(hidden 64.*does not match the model Tiny"
    ):
        check_adapter(path, SHAPE, "Tiny")


def test_foreign_adapter_shapes_are_checked(tmp_path: Path) -> None:
    path = make_adapter(tmp_path / "ad", hidden=12)  # no record; tensors for a wider model
    with pytest.raises(
        ModelError, match="does not fit the model Tiny: it adapts self_attn.[qkv]_proj input size 12"
    ):
        check_adapter(path, SHAPE, "Tiny")


def test_missing_adapter_and_incomplete_adapter(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="adapter .*nothing not found"):
        read_adapter(tmp_path / "nothing")
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "adapter_config.json").write_text("{}")
    with pytest.raises(ModelError, match="lacks adapter_config.json or adapter_model.safetensors"):
        read_adapter(tmp_path / "half")
