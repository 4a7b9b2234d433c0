"""Model backends behind one protocol, and ``load_llm`` which picks and builds one from the settings."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from seamline.errors import ConfigError, ModelError
from seamline.llm.base import LLM, Generation, GenerationParams, Message, ModelInfo, model_info
from seamline.llm.fake import FakeLLM
from seamline.llm.injected import ChatModelLLM

if TYPE_CHECKING:
    from seamline.config import Settings

__all__ = [
    "LLM",
    "ChatModelLLM",
    "FakeLLM",
    "Generation",
    "GenerationParams",
    "Message",
    "choose_backend",
    "default_batch_size",
    "load_llm",
    "ModelInfo",
    "model_cache_dir",
    "model_info",
    "params_from_settings",
]

log = logging.getLogger(__name__)


def model_cache_dir(settings: Settings) -> Path:
    """Where converted models and adapters are cached (``model_cache_dir`` when set, else models_dir)."""
    override = getattr(settings, "model_cache_dir", None)
    return Path(override) if override else settings.models_dir


def params_from_settings(settings: Settings) -> GenerationParams:
    """The sampling options the settings ask for."""
    return GenerationParams(
        temperature=settings.temperature,
        top_p=settings.top_p,
        max_new_tokens=settings.max_new_tokens,
        seed=settings.seed,
        repetition_penalty=getattr(settings, "repetition_penalty", 1.0),
    )


BATCH_SIZES = {"openai": 8}
"""Drafts ``agent batch`` decodes together per backend when ``--batch-size`` is not given. A server
batches concurrent requests itself; transformers takes 32 on a CUDA GPU (``bench/gpu_drafter.py``).
llama.cpp on CPU takes 1: on 2 cores ``bench/batch.py`` measured 0.96x, 0.92x and 0.86x of sequential
at 2, 4 and 8, since reading the prompt already keeps both cores busy and the stages that run beside
a batch take cores from it."""


def default_batch_size(llm: LLM) -> int:
    """How many drafts ``agent batch`` decodes together on this model when ``--batch-size`` is not given."""
    backend = model_info(llm).backend
    if backend == "transformers":
        return 32 if str(getattr(llm, "device", "cpu")).startswith("cuda") else 1
    return BATCH_SIZES.get(backend, 1)


def choose_backend(settings: Settings, model_kind: str) -> str:
    """The backend 'auto' means for this model here: transformers on CUDA, llama.cpp for a GGUF on CPU."""
    if settings.backend != "auto":
        return settings.backend
    if settings.device != "cpu" and _cuda_available():
        return "transformers"
    if model_kind == "gguf" and importlib.util.find_spec("llama_cpp") is not None:
        return "llamacpp"
    return "transformers"


def load_llm(
    settings: Settings,
    *,
    merge_adapter: bool = False,
    load_in_4bit: bool = False,
    n_threads: int | None = None,
    request_timeout: float = 60.0,
) -> LLM:
    """Build the drafter's model from the settings; ModelError/ConfigError in one line when it cannot."""
    from seamline.llm.default_model import DEFAULT_DISPLAY_NAME

    if settings.backend == "fake":
        return FakeLLM()
    from seamline.llm.adapters import read_card, resolve_adapter

    if settings.backend == "openai":
        from seamline.llm.openai_backend import OpenAILLM

        if not settings.endpoint:
            raise ConfigError("the openai backend needs --endpoint URL (e.g. http://127.0.0.1:8000/v1)")
        model = DEFAULT_DISPLAY_NAME if settings.model in ("", "default") else settings.model
        # A served model is expected to follow a JSON schema well enough to plan, unless it is the
        # embedded default behind a server.
        can_plan = model != DEFAULT_DISPLAY_NAME
        served = OpenAILLM(
            settings.endpoint, model, api_key=settings.api_key, timeout=request_timeout, can_plan=can_plan
        )
        # The server applies its own adapter; a directory given here only says which (its card: the prompt).
        named = resolve_adapter(settings.adapter, default_model=False)
        served.info = _info(served.name, model, named, read_card(named) if named else {})
        return served

    from seamline.llm.adapters import check_adapter, ensure_adapter_gguf
    from seamline.llm.sources import read_gguf_shape, read_hf_shape, resolve_model

    source = resolve_model(settings.model)
    adapter_dir = resolve_adapter(settings.adapter, default_model=source.is_default)
    card = read_card(adapter_dir) if adapter_dir else {}
    cache = model_cache_dir(settings)
    shape = None
    if source.kind == "gguf":
        shape = read_gguf_shape(source.path)
    elif source.kind == "hf_dir":
        shape = read_hf_shape(source.path)
    adapter = check_adapter(adapter_dir, shape, source.display_name) if adapter_dir and shape else None
    backend = choose_backend(settings, source.kind)

    llm: LlamaCppLLM | TransformersLLM
    if backend == "llamacpp":
        if source.kind != "gguf":
            raise ModelError(f"the llamacpp backend needs a .gguf model file, not {source.location}")
        adapter_gguf = None
        if adapter is not None and shape is not None:
            try:
                adapter_gguf = ensure_adapter_gguf(adapter, shape, cache)
            except ModelError as exc:
                if settings.backend != "auto":
                    raise
                log.info("adapter cannot run on llama.cpp (%s); using transformers", exc)
                backend = "transformers"
    if backend == "llamacpp":
        from seamline.llm.llamacpp_backend import LlamaCppLLM

        llm = LlamaCppLLM(
            source.path,
            adapter_path=adapter_gguf,
            display_name=source.display_name,
            n_threads=n_threads or settings.threads,
            n_gpu_layers=-1 if settings.device.startswith("cuda") else 0,
            seed=settings.seed,
        )
    else:
        from seamline.llm.default_model import ensure_converted
        from seamline.llm.transformers_backend import TransformersLLM

        location: str | Path = source.location
        if source.kind == "gguf":
            location = ensure_converted(source.path, cache)
        if adapter_dir and adapter is None:  # a hub model: shapes unknown until loaded; peft checks them
            from seamline.llm.adapters import read_adapter

            read_adapter(adapter_dir)
        llm = TransformersLLM(
            location,
            adapter=adapter_dir,
            device=settings.device,
            merge_adapter=merge_adapter,
            load_in_4bit=load_in_4bit,
            display_name=source.display_name,
        )
    llm.info = _info(llm.name, source.display_name, adapter_dir, card)
    return llm


def _info(name: str, model: str, adapter: Path | None, card: dict) -> ModelInfo:
    """What drafts: the model, the backend (from the backend's name), and the adapter and its prompt."""
    from seamline.llm.adapters import SHIPPED_ADAPTER

    shipped = adapter is not None and adapter.resolve() == SHIPPED_ADAPTER.resolve()
    return ModelInfo(
        name=model,
        backend=name.partition(":")[0],
        adapter=(SHIPPED_ADAPTER.name if shipped else adapter.name) if adapter else None,
        adapter_path=str(adapter) if adapter else None,
        prompt_format=card.get("prompt_format") if adapter else None,
    )


def _cuda_available() -> bool:
    # Importing torch takes seconds; without an NVIDIA driver there is no point.
    if not (Path("/proc/driver/nvidia").exists() or Path("/dev/nvidiactl").exists()):
        return False
    if importlib.util.find_spec("torch") is None:
        return False
    import torch

    return bool(torch.cuda.is_available())
