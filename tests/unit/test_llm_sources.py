from __future__ import annotations

import json
from pathlib import Path

import gguf
import numpy as np
import pytest

from seamline.errors import ModelError
from seamline.llm.sources import read_gguf_metadata, read_gguf_shape, resolve_model


def write_gguf(path: Path, arch: str = "llama", kind: str | None = None) -> Path:
    writer = gguf.GGUFWriter(str(path), arch=arch)
    if kind:
        writer.add_type(kind)
    writer.add_uint32(f"{arch}.block_count", 2)
    writer.add_uint32(f"{arch}.embedding_length", 8)
    writer.add_uint32(f"{arch}.feed_forward_length", 16)
    writer.add_uint32(f"{arch}.attention.head_count", 2)
    writer.add_uint32(f"{arch}.attention.head_count_kv", 1)
    writer.add_token_list(["a", "bb", "ccc"])
    writer.add_array("test.floats", [1.0, 2.0])
    writer.add_tensor("token_embd.weight", np.zeros((3, 8), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def test_metadata_reader_agrees_with_gguf_reader(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / "tiny.gguf")
    ours = read_gguf_metadata(path)
    reference = gguf.GGUFReader(str(path))
    for name, field in reference.fields.items():
        if name.startswith("GGUF."):
            continue
        value = field.contents()
        assert ours[name] == (len(value) if isinstance(value, list) else value), name


def test_llama_gguf_shape(tmp_path: Path) -> None:
    shape = read_gguf_shape(write_gguf(tmp_path / "tiny.gguf"))
    assert (shape.hidden_size, shape.num_layers, shape.num_heads, shape.num_kv_heads) == (8, 2, 2, 1)
    assert shape.vocab_size == 3  # from the token list when no vocab_size key is present


def test_non_llama_gguf_is_refused(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / "gpt.gguf", arch="gpt2")
    with pytest.raises(ModelError, match=r"gpt\.gguf holds a 'gpt2' model; expected a LLaMA-family GGUF"):
        resolve_model(str(path))


def test_adapter_gguf_is_not_a_model(tmp_path: Path) -> None:
    path = write_gguf(tmp_path / "lora.gguf", kind="adapter")
    with pytest.raises(ModelError, match="is a LoRA adapter, not a model"):
        resolve_model(str(path))


def test_garbage_file_is_not_gguf(tmp_path: Path) -> None:
    path = tmp_path / "model.gguf"
    path.write_bytes(b"not a model at all")
    with pytest.raises(ModelError, match="is not a readable GGUF file"):
        resolve_model(str(path))


@pytest.mark.parametrize("spec", ["./missing.gguf", "/nope/model", "~/nothing-here.gguf", "bad name!"])
def test_missing_model_path(spec: str) -> None:
    with pytest.raises(ModelError, match="not found; expected 'default', a .gguf file"):
        resolve_model(spec)


def test_hub_id_is_passed_on() -> None:
    source = resolve_model("HuggingFaceTB/SmolLM2-360M-Instruct")
    assert (source.kind, source.display_name) == ("hf_id", "SmolLM2-360M-Instruct")


def test_hf_directory_checks_model_type(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "gpt2"}))
    with pytest.raises(ModelError, match="describes a 'gpt2' model; expected a LLaMA-family model"):
        resolve_model(str(tmp_path))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ModelError, match="has no config.json"):
        resolve_model(str(empty))


def test_default_model_resolves_to_the_bundled_gguf() -> None:
    source = resolve_model("default")
    assert source.kind == "gguf" and source.is_default
    assert source.path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert read_gguf_shape(source.path).num_layers == 30
