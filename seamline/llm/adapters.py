"""LoRA adapters: checking one fits a base model, and converting a peft adapter to GGUF for llama.cpp.

llama.cpp's ``convert_lora_to_gguf.py`` is not in the llama-cpp-python wheel, so the conversion is written
here with the ``gguf`` package. A GGUF LoRA stores, per adapted weight ``W`` of shape (out, in), the
tensors ``<gguf name>.lora_a`` (rank, in) and ``<gguf name>.lora_b`` (out, rank), plus the metadata
``general.type = adapter``, ``adapter.type = lora`` and ``adapter.lora.alpha``. llama.cpp computes
``W x + (alpha / rank) * B A x``, the same as peft's ``lora_alpha / r`` scaling.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seamline.errors import ModelError
from seamline.llm.sources import Shape

log = logging.getLogger(__name__)

ADAPTER_META = "seamline_adapter.json"
"""The model card `agent finetune train` writes next to the peft files: the base model, data, steps,
losses, dev figures and the command that reproduces the adapter."""

SHIPPED_ADAPTER = Path(__file__).resolve().parents[1] / "adapters" / "smollm2-catalog"
"""The drafter adapter that ships inside the package, tuned for the default model on cleaned copy."""


def resolve_adapter(setting: str | Path | None, *, default_model: bool) -> Path | None:
    """The adapter directory a setting names: 'default' is the shipped one (for the default model only).

    'none' (or nothing) is the bare model. The shipped adapter missing or unreadable is a ModelError in one
    line that says how to go on without it.
    """
    if setting is None or str(setting).strip().lower() in ("", "none"):
        return None
    if str(setting) != "default":
        return Path(setting).expanduser()
    if not default_model:
        return None  # the shipped adapter fits only the model it was trained on
    try:
        read_adapter(SHIPPED_ADAPTER)
        read_card(SHIPPED_ADAPTER)
    except ModelError as exc:
        raise ModelError(
            f"the shipped drafter adapter is missing or unreadable ({exc}); reinstall seamline, "
            "or pass --adapter none to draft with the bare model"
        ) from exc
    return SHIPPED_ADAPTER


def shipped_adapter_line() -> str:
    """One line naming the shipped drafter adapter and what it was trained on, for `agent --version`."""
    try:
        card = read_card(SHIPPED_ADAPTER)
    except ModelError as exc:
        return f"drafter adapter: unreadable ({exc})"
    if not card:
        return "drafter adapter: none shipped"
    return (
        f"drafter adapter: {SHIPPED_ADAPTER.name} (LoRA r={card.get('rank')} on {card.get('base_model')}, "
        f"{card.get('steps')} steps on {card.get('examples')} cleaned examples)"
    )


def read_card(path: Path) -> dict[str, Any]:
    """An adapter's model card (empty for adapters made elsewhere); ModelError when it is not JSON."""
    card = Path(path) / ADAPTER_META
    if not card.is_file():
        return {}
    try:
        data = json.loads(card.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read the model card {card}: {exc}") from exc
    if not isinstance(data, dict):
        raise ModelError(f"the model card {card} is not a JSON object")
    return data


# Hugging Face LLaMA module -> GGUF tensor name inside block N.
_GGUF_NAMES = {
    "self_attn.q_proj": "attn_q",
    "self_attn.k_proj": "attn_k",
    "self_attn.v_proj": "attn_v",
    "self_attn.o_proj": "attn_output",
    "mlp.gate_proj": "ffn_gate",
    "mlp.up_proj": "ffn_up",
    "mlp.down_proj": "ffn_down",
}
_LORA_KEY = re.compile(r"(?:^|\.)layers\.(\d+)\.(\w+\.\w+)\.lora_([AB])(?:\.\w+)?\.weight$")


@dataclass
class AdapterInfo:
    """A peft LoRA adapter directory and what is known about its base model."""

    path: Path
    rank: int
    alpha: float
    use_rslora: bool
    target_modules: list[str]
    base_name: str | None = None
    base_shape: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def weights(self) -> Path:
        """The adapter's safetensors file."""
        return self.path / "adapter_model.safetensors"


def read_adapter(path: Path) -> AdapterInfo:
    """Read a peft LoRA adapter directory, or raise ModelError saying what is missing."""
    path = Path(path).expanduser()
    config_path = path / "adapter_config.json"
    if not path.is_dir():
        raise ModelError(f"adapter {path} not found; expected a LoRA adapter directory from `agent finetune`")
    if not config_path.is_file() or not (path / "adapter_model.safetensors").is_file():
        raise ModelError(
            f"adapter {path} lacks adapter_config.json or adapter_model.safetensors; "
            "expected a peft LoRA adapter directory"
        )
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
        meta_path = path / ADAPTER_META
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read adapter {path}: {exc}") from exc
    if config.get("peft_type", "LORA") != "LORA":
        raise ModelError(
            f"adapter {path} is a {config.get('peft_type')} adapter; only LoRA adapters are supported"
        )
    targets = config.get("target_modules") or []
    return AdapterInfo(
        path=path,
        rank=int(config.get("r", 8)),
        alpha=float(config.get("lora_alpha", 8)),
        use_rslora=bool(config.get("use_rslora", False)),
        target_modules=sorted(targets) if isinstance(targets, list) else [str(targets)],
        base_name=meta.get("base_model"),
        base_shape=meta.get("base_shape"),
        extra={
            "rank_pattern": config.get("rank_pattern") or {},
            "alpha_pattern": config.get("alpha_pattern") or {},
        },
    )


def check_adapter(path: Path, shape: Shape, model_name: str) -> AdapterInfo:
    """Check that an adapter was made for a model of this shape; ModelError naming both otherwise."""
    info = read_adapter(path)
    if info.base_shape is not None and info.base_shape != shape.as_dict():
        raise ModelError(
            f"adapter {info.path} was trained on {info.base_name or 'another model'} "
            f"({_describe(info.base_shape)}), which does not match the model {model_name} "
            f"({_describe(shape.as_dict())}); pass the base model it was trained on with --model"
        )
    # Adapters from elsewhere carry no record, so check every tensor against the model's dimensions.
    for layer, module, which, rows, cols in _lora_tensors(info).values():
        expected = _expected_dims(shape, module)
        problem = None
        if layer >= shape.num_layers:
            problem = f"layer {layer} but the model has {shape.num_layers}"
        elif expected is None:
            problem = f"module {module}, which is not a LLaMA projection"
        elif which == "A" and cols != expected[1]:
            problem = f"{module} input size {cols} but the model's is {expected[1]}"
        elif which == "B" and rows != expected[0]:
            problem = f"{module} output size {rows} but the model's is {expected[0]}"
        if problem:
            raise ModelError(
                f"adapter {info.path} does not fit the model {model_name}: it adapts {problem}; "
                "pass the base model it was trained on with --model"
            )
    if info.base_name and info.base_name != model_name:
        log.warning("adapter %s was trained on %s; applying it to %s", info.path, info.base_name, model_name)
    return info


def ensure_adapter_gguf(info: AdapterInfo, shape: Shape, cache_root: Path) -> Path:
    """The adapter as a GGUF LoRA file, converted once and cached by content hash."""
    digest = hashlib.sha256()
    digest.update((info.path / "adapter_config.json").read_bytes())
    with info.weights.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    target = cache_root / "adapters" / f"{info.path.name}-{digest.hexdigest()[:16]}.gguf"
    if not target.is_file():
        convert_adapter_to_gguf(info, shape, target)
    return target


def convert_adapter_to_gguf(info: AdapterInfo, shape: Shape, out_path: Path) -> Path:
    """Write a peft LoRA adapter as a GGUF LoRA for llama.cpp (temp file, then rename)."""
    import gguf
    import numpy as np
    from safetensors.numpy import load_file

    if info.extra.get("rank_pattern") or info.extra.get("alpha_pattern"):
        raise ModelError(
            f"adapter {info.path} uses per-module ranks or alphas, which llama.cpp cannot express; "
            "use --backend transformers"
        )
    # rsLoRA scales by alpha / sqrt(r); llama.cpp by alpha / r: give llama.cpp the alpha with that effect.
    alpha = info.alpha * info.rank**0.5 if info.use_rslora else info.alpha
    tensors = load_file(str(info.weights))
    pairs: dict[str, dict[str, Any]] = {}
    for key, (layer, module, which, _, _) in _lora_tensors(info, tensors).items():
        name = f"blk.{layer}.{_GGUF_NAMES[module]}.weight"
        data = tensors[key].astype(np.float32)
        if which == "B" and module in ("self_attn.q_proj", "self_attn.k_proj"):
            # llama.cpp stores Q and K with rows permuted for its RoPE layout; B's rows follow them.
            heads = shape.num_heads if module == "self_attn.q_proj" else shape.num_kv_heads
            data = _permute_rows(data, heads)
        pairs.setdefault(name, {})[which] = data
    if not pairs:
        raise ModelError(f"adapter {info.path} holds no LoRA tensors for attention or MLP projections")

    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", dir=out_path.parent)
    os.close(fd)
    try:
        writer = gguf.GGUFWriter(tmp_name, arch="llama")
        writer.add_type(gguf.GGUFType.ADAPTER)
        writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
        writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(alpha))
        if info.base_name:
            writer.add_string("general.base_model.0.name", info.base_name)
        for name in sorted(pairs):
            pair = pairs[name]
            if set(pair) != {"A", "B"}:
                raise ModelError(f"adapter {info.path} has an unpaired LoRA tensor for {name}")
            writer.add_tensor(f"{name}.lora_a", np.ascontiguousarray(pair["A"]))
            writer.add_tensor(f"{name}.lora_b", np.ascontiguousarray(pair["B"]))
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        os.replace(tmp_name, out_path)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return out_path


def _permute_rows(data: Any, n_head: int) -> Any:
    """The row permutation llama.cpp's converter applies to LLaMA q_proj/k_proj weights."""
    rows = data.shape[0]
    return data.reshape(n_head, 2, rows // n_head // 2, *data.shape[1:]).swapaxes(1, 2).reshape(data.shape)


def _lora_tensors(
    info: AdapterInfo, tensors: dict[str, Any] | None = None
) -> dict[str, tuple[int, str, str, int, int]]:
    """Map each LoRA tensor key to (layer, module, 'A'|'B', rows, cols); ModelError for keys we cannot map."""
    if tensors is None:
        from safetensors import safe_open

        with safe_open(str(info.weights), framework="np") as handle:
            shapes = {key: tuple(handle.get_slice(key).get_shape()) for key in handle.keys()}  # noqa: SIM118
    else:
        shapes = {key: tuple(value.shape) for key, value in tensors.items()}
    result: dict[str, tuple[int, str, str, int, int]] = {}
    for key, dims in shapes.items():
        match = _LORA_KEY.search(key)
        if match is None or match.group(2) not in _GGUF_NAMES or len(dims) != 2:
            raise ModelError(
                f"adapter {info.path} has tensor {key!r}, which is not a LoRA weight of a LLaMA "
                "attention or MLP projection; llama.cpp cannot use it (try --backend transformers)"
            )
        result[key] = (int(match.group(1)), match.group(2), match.group(3), int(dims[0]), int(dims[1]))
    return result


def _expected_dims(shape: Shape, module: str) -> tuple[int, int] | None:
    """(out, in) of a LLaMA projection for this shape."""
    head_dim = shape.hidden_size // shape.num_heads
    kv = shape.num_kv_heads * head_dim
    return {
        "self_attn.q_proj": (shape.hidden_size, shape.hidden_size),
        "self_attn.k_proj": (kv, shape.hidden_size),
        "self_attn.v_proj": (kv, shape.hidden_size),
        "self_attn.o_proj": (shape.hidden_size, shape.hidden_size),
        "mlp.gate_proj": (shape.intermediate_size, shape.hidden_size),
        "mlp.up_proj": (shape.intermediate_size, shape.hidden_size),
        "mlp.down_proj": (shape.hidden_size, shape.intermediate_size),
    }.get(module)


def _describe(shape: dict[str, Any]) -> str:
    hidden, layers, vocab = shape.get("hidden_size"), shape.get("num_layers"), shape.get("vocab_size")
    return f"hidden {hidden}, {layers} layers, vocab {vocab}"
