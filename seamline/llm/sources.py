"""What a ``--model`` value names: the embedded default, a GGUF file, a Hugging Face directory, or a hub id.

Every check here reads only file headers (GGUF metadata, ``config.json``), so a bad model is reported in
one line before any backend spends time loading it.
"""

from __future__ import annotations

import json
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from seamline.errors import ModelError

# Architectures that run the LLaMA graph (llama.cpp writes Mistral and SmolLM as "llama").
LLAMA_FAMILY = frozenset({"llama", "mistral"})
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


@dataclass(frozen=True)
class Shape:
    """The dimensions an adapter must agree with; two models with equal shapes share adapters."""

    architecture: str
    hidden_size: int
    intermediate_size: int
    num_layers: int
    num_heads: int
    num_kv_heads: int
    vocab_size: int

    def as_dict(self) -> dict[str, int | str]:
        """A JSON-ready copy."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class ModelSource:
    """A resolved model: its kind, where it is, and a short display name."""

    kind: Literal["gguf", "hf_dir", "hf_id"]
    location: str
    display_name: str
    is_default: bool = False

    @property
    def path(self) -> Path:
        """The location as a path (for the kinds that live on disk)."""
        return Path(self.location)


def resolve_model(spec: str) -> ModelSource:
    """Resolve a ``--model`` value, or raise ModelError saying what was expected."""
    from seamline.llm.default_model import DEFAULT_DISPLAY_NAME, default_gguf_path

    if spec in ("", "default"):
        path = default_gguf_path()
        read_gguf_shape(path)
        return ModelSource("gguf", str(path), DEFAULT_DISPLAY_NAME, is_default=True)
    path = Path(spec).expanduser()
    if path.is_file():
        read_gguf_shape(path)  # raises unless it is a LLaMA-family GGUF
        return ModelSource("gguf", str(path), path.stem)
    if path.is_dir():
        read_hf_shape(path)
        return ModelSource("hf_dir", str(path), path.name)
    looks_like_path = spec.startswith((".", "/", "~")) or spec.endswith(".gguf") or "\\" in spec
    if looks_like_path or not _HUB_ID.match(spec):
        raise ModelError(
            f"model {spec!r} not found; expected 'default', a .gguf file, a Hugging Face model directory "
            "or a hub id such as HuggingFaceTB/SmolLM2-135M-Instruct"
        )
    return ModelSource("hf_id", spec, spec.split("/")[-1])


def read_gguf_shape(path: Path) -> Shape:
    """The shape of a GGUF model; ModelError unless it is a readable LLaMA-family model file."""
    try:
        fields = read_gguf_metadata(path)
    except (ValueError, OSError, struct.error) as exc:
        raise ModelError(
            f"{path} is not a readable GGUF file ({exc}); expected a LLaMA-family .gguf model"
        ) from exc
    arch = str(fields.get("general.architecture", "?"))
    if fields.get("general.type") == "adapter":
        raise ModelError(f"{path} is a LoRA adapter, not a model; pass it with --adapter and a base --model")
    if arch not in LLAMA_FAMILY:
        raise ModelError(
            f"{path} holds a {arch!r} model; expected a LLaMA-family GGUF (architecture 'llama')"
        )
    try:
        heads = int(fields[f"{arch}.attention.head_count"])
        vocab = fields.get(f"{arch}.vocab_size", fields.get("tokenizer.ggml.tokens"))
        return Shape(
            architecture="llama",
            hidden_size=int(fields[f"{arch}.embedding_length"]),
            intermediate_size=int(fields[f"{arch}.feed_forward_length"]),
            num_layers=int(fields[f"{arch}.block_count"]),
            num_heads=heads,
            num_kv_heads=int(fields.get(f"{arch}.attention.head_count_kv", heads)),
            vocab_size=int(vocab),  # type: ignore[arg-type]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(
            f"{path} lacks the LLaMA hyperparameter {exc}; the GGUF file looks incomplete"
        ) from exc


# GGUF value types: struct format of the fixed-size ones; 8 is a string, 9 an array.
_GGUF_SCALARS = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}


def read_gguf_metadata(path: Path) -> dict[str, Any]:
    """The key-value metadata of a GGUF file; arrays are given as their length.

    gguf.GGUFReader parses every tensor and token into Python objects (seconds for a small model);
    this reads only the header, skipping array contents, in milliseconds.
    """
    with open(path, "rb") as handle:

        def unpack(fmt: str) -> Any:
            size = struct.calcsize("<" + fmt)
            data = handle.read(size)
            if len(data) != size:
                raise ValueError("file ends inside the header")
            return struct.unpack("<" + fmt, data)[0]

        def string() -> str:
            return handle.read(unpack("Q")).decode("utf-8", errors="replace")

        def value(kind: int) -> object:
            if kind in _GGUF_SCALARS:
                return unpack(_GGUF_SCALARS[kind])
            if kind == 8:
                return string()
            if kind == 9:
                item, count = unpack("I"), unpack("Q")
                if item in _GGUF_SCALARS:
                    handle.seek(count * struct.calcsize("<" + _GGUF_SCALARS[item]), 1)
                else:
                    for _ in range(count):
                        value(item)
                return count
            raise ValueError(f"unknown metadata value type {kind}")

        if handle.read(4) != b"GGUF":
            raise ValueError("no GGUF magic number")
        if unpack("I") not in (2, 3):
            raise ValueError("unsupported GGUF version")
        unpack("Q")  # tensor count
        fields: dict[str, Any] = {}
        for _ in range(unpack("Q")):
            key = string()
            fields[key] = value(unpack("I"))
        return fields


def read_hf_shape(path: Path) -> Shape:
    """The shape of a Hugging Face model directory; ModelError unless it is a LLaMA-family model."""
    config_path = path / "config.json"
    if not config_path.is_file():
        raise ModelError(
            f"{path} has no config.json; expected a Hugging Face model directory or a .gguf file"
        )
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read {config_path}: {exc}") from exc
    return shape_from_config(config, where=str(config_path))


def shape_from_config(config: dict, *, where: str) -> Shape:
    """The shape from a transformers config dict; ModelError unless LLaMA-family."""
    model_type = config.get("model_type", "?")
    if model_type not in LLAMA_FAMILY:
        raise ModelError(
            f"{where} describes a {model_type!r} model; expected a LLaMA-family model (model_type 'llama')"
        )
    heads = int(config["num_attention_heads"])
    return Shape(
        architecture="llama",
        hidden_size=int(config["hidden_size"]),
        intermediate_size=int(config["intermediate_size"]),
        num_layers=int(config["num_hidden_layers"]),
        num_heads=heads,
        num_kv_heads=int(config.get("num_key_value_heads") or heads),
        vocab_size=int(config["vocab_size"]),
    )
