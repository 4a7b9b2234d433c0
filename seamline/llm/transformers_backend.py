"""Hugging Face transformers: any LLaMA-family model, LoRA adapters through peft, CUDA bf16 when present."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from seamline.errors import BackendError, ModelError, first_line
from seamline.llm.base import Generation, GenerationParams, Message, ModelInfo


def pick_device(device: str) -> str:
    """'auto' becomes 'cuda' when a GPU is visible, else 'cpu'."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ModelError(f"device {device!r} was asked for but no CUDA GPU is visible; use --device cpu")
    return device


class TransformersLLM:
    """A causal LM and its tokenizer; the model's own chat template turns messages into a prompt.

    Sampling uses only temperature and top-p (top-k is off), so options mean the same on every backend.
    """

    info: ModelInfo | None = None
    """What `load_llm` recorded: model, backend, adapter and its prompt (see ``model_info``)."""

    def __init__(
        self,
        model: str | Path,
        *,
        adapter: Path | None = None,
        device: str = "auto",
        dtype: str | None = None,
        merge_adapter: bool = False,
        load_in_4bit: bool = False,
        display_name: str | None = None,
        can_plan: bool = False,
    ) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.device = pick_device(device)
        # bf16 by default: on CUDA as asked, and on CPU it decodes about twice as fast as fp32 here.
        torch_dtype = getattr(torch, dtype) if dtype else torch.bfloat16
        kwargs: dict[str, Any] = {"dtype": torch_dtype}
        if load_in_4bit:
            kwargs["quantization_config"] = four_bit_config(self.device, torch_dtype)
            kwargs["device_map"] = {"": self.device}
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(model))
            self.model = AutoModelForCausalLM.from_pretrained(str(model), **kwargs)
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(
                f"transformers cannot load {model}: {first_line(exc)}; expected a LLaMA-family model "
                "directory or a hub id available offline"
            ) from exc
        if not load_in_4bit:
            self.model.to(self.device)  # type: ignore[arg-type]
        if adapter is not None:
            self.model = _attach_adapter(self.model, adapter, merge_adapter)
        self.model.eval()
        if self.tokenizer.pad_token_id is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.tokenizer.padding_side = "left"
        if not getattr(self.tokenizer, "chat_template", None):
            raise ModelError(f"{model} has no chat template; expected an instruction-tuned (chat) model")
        self.name = f"transformers:{display_name or Path(str(model)).name}" + ("+lora" if adapter else "")
        self.can_plan = can_plan
        self._lock = threading.Lock()

    # --- prompt and decoding helpers ----------------------------------------------------------------

    def _prompt_ids(self, batch: Sequence[Sequence[Message]]) -> Any:
        texts = [
            self.tokenizer.apply_chat_template(list(m), tokenize=False, add_generation_prompt=True)  # type: ignore[arg-type]
            for m in batch
        ]
        # The template already wrote any BOS token; do not add special tokens twice.
        return self.tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False).to(
            self.device
        )

    def _generate_kwargs(self, params: GenerationParams) -> dict[str, Any]:
        sample = params.temperature > 0
        kwargs: dict[str, Any] = {
            "max_new_tokens": params.max_new_tokens,
            "do_sample": sample,
            "repetition_penalty": params.repetition_penalty,
            "pad_token_id": self.tokenizer.pad_token_id,
        }
        if sample:
            kwargs.update(temperature=params.temperature, top_p=params.top_p, top_k=0)
        else:
            kwargs.update(temperature=None, top_p=None, top_k=None)
        if params.stop:
            kwargs.update(stop_strings=list(params.stop), tokenizer=self.tokenizer)
        return kwargs

    def _run(self, batch: Sequence[Sequence[Message]], params: GenerationParams, streamer: Any = None) -> Any:
        import torch

        inputs = self._prompt_ids(batch)
        if params.seed is not None:
            torch.manual_seed(params.seed)
        try:
            with torch.inference_mode():
                out = self.model.generate(**inputs, **self._generate_kwargs(params), streamer=streamer)
        except (RuntimeError, ValueError) as exc:
            raise BackendError(
                f"transformers failed to generate with {self.name}: {first_line(exc)}"
            ) from exc
        return inputs, out

    def _decode(self, inputs: Any, out: Any, params: GenerationParams) -> list[Generation]:
        prompt_len = inputs["input_ids"].shape[1]
        eos = _as_set(self.model.generation_config.eos_token_id) | {self.tokenizer.eos_token_id}
        results = []
        for row, mask in zip(out, inputs["attention_mask"], strict=True):
            new = row[prompt_len:].tolist()
            ended = next((i for i, tok in enumerate(new) if tok in eos), None)
            tokens = new if ended is None else new[:ended]
            text = _cut_at_stop(self.tokenizer.decode(tokens, skip_special_tokens=True), params.stop)  # type: ignore[arg-type]
            stopped = ended is not None or text != self.tokenizer.decode(tokens, skip_special_tokens=True)
            results.append(
                Generation(
                    text=text,
                    prompt_tokens=int(mask.sum()),
                    completion_tokens=len(tokens),
                    finish_reason="stop" if stopped or len(tokens) < params.max_new_tokens else "length",
                )
            )
        return results

    # --- the LLM protocol ---------------------------------------------------------------------------

    def generate(self, messages: Sequence[Message], params: GenerationParams) -> Generation:
        """One reply."""
        return self.generate_batch([messages], params)[0]

    def generate_batch(
        self, batch: Sequence[Sequence[Message]], params: GenerationParams
    ) -> list[Generation]:
        """All conversations in one left-padded batch (the GPU path for catalogs)."""
        if not batch:
            return []
        with self._lock:
            inputs, out = self._run(batch, params)
            return self._decode(inputs, out, params)

    def stream(self, messages: Sequence[Message], params: GenerationParams) -> Iterator[str]:
        """Yield text pieces while generate() runs in a worker thread."""
        from transformers import TextIteratorStreamer

        streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True)
        failure: list[BaseException] = []

        def work() -> None:
            try:
                self._run([messages], params, streamer=streamer)
            except BaseException as exc:  # handed to the caller below
                failure.append(exc)
                streamer.on_finalized_text("", stream_end=True)

        with self._lock:
            worker = threading.Thread(target=work, daemon=True)
            worker.start()
            emitted = ""
            for piece in streamer:
                emitted += piece
                cut = _cut_at_stop(emitted, params.stop)
                if cut != emitted:
                    yield piece[: len(piece) - (len(emitted) - len(cut))]
                    break
                if piece:
                    yield piece
            worker.join()
        if failure:
            raise failure[0]


def _attach_adapter(model: Any, adapter: Path, merge: bool) -> Any:
    from peft import PeftModel

    try:
        peft_model = PeftModel.from_pretrained(model, str(adapter))
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise ModelError(f"peft cannot load adapter {adapter}: {first_line(exc)}") from exc
    # Merging folds B·A into the base weights: same outputs, no per-token adapter cost.
    return peft_model.merge_and_unload() if merge else peft_model


def four_bit_config(device: str, compute_dtype: Any) -> Any:
    """The NF4 (bitsandbytes) loading config for CUDA, or a ModelError that says what is missing."""
    if not device.startswith("cuda"):
        raise ModelError("4-bit loading needs a CUDA GPU (bitsandbytes); on CPU use the llamacpp backend")
    try:
        import bitsandbytes  # noqa: F401
        from transformers import BitsAndBytesConfig
    except ImportError as exc:
        raise ModelError(
            "4-bit loading needs bitsandbytes; install it with `pip install bitsandbytes`"
        ) from exc
    return BitsAndBytesConfig(
        load_in_4bit=True, bnb_4bit_compute_dtype=compute_dtype, bnb_4bit_quant_type="nf4"
    )


def _cut_at_stop(text: str, stop: Sequence[str]) -> str:
    """Text up to (not including) the first stop string, as OpenAI-style APIs return it."""
    cut = len(text)
    for s in stop:
        i = text.find(s)
        if s and i != -1:
            cut = min(cut, i)
    return text[:cut]


def _as_set(value: Any) -> set[int]:
    if value is None:
        return set()
    return set(value) if isinstance(value, list | tuple) else {int(value)}
