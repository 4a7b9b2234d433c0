"""The one protocol every model backend speaks: ``generate(messages, params) -> Generation``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypedDict, runtime_checkable


class Message(TypedDict):
    """A chat message in the OpenAI shape."""

    role: str
    content: str


@dataclass(frozen=True, kw_only=True)
class GenerationParams:
    """Sampling options; temperature 0 means greedy decoding."""

    temperature: float = 0.3
    top_p: float = 0.9
    max_new_tokens: int = 160
    seed: int | None = 0
    repetition_penalty: float = 1.1
    """Penalty on tokens already generated (1.0 is none); small models loop without it."""
    stop: tuple[str, ...] = ()
    json_schema: dict | None = field(default=None, compare=False)
    """When set, ask the backend for output that follows this JSON schema (where it can)."""


@dataclass(frozen=True, kw_only=True)
class Generation:
    """The text a backend produced and what it cost."""

    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    finish_reason: str = "stop"


@dataclass(frozen=True, kw_only=True)
class ModelInfo:
    """Which model drafts: its name, the backend, the LoRA adapter, and the prompt it was tuned on."""

    name: str
    backend: str
    adapter: str | None = None
    """The adapter's name ('smollm2-catalog' for the shipped one), or None for the bare model."""
    adapter_path: str | None = None
    prompt_format: str | None = None
    """The prompt an adapter was trained on (its model card says); None: an untuned model."""


def model_info(llm: LLM) -> ModelInfo:
    """What ``load_llm`` recorded about a model, or what its name says (fakes, models made by hand)."""
    info = getattr(llm, "info", None)
    if isinstance(info, ModelInfo):
        return info
    backend, _, name = llm.name.partition(":")
    return ModelInfo(name=name or backend, backend=backend)


@runtime_checkable
class LLM(Protocol):
    """A chat model backend."""

    name: str
    """A short label for logs and results (e.g. 'llamacpp:SmolLM2-135M-Instruct')."""

    can_plan: bool
    """True when the model reliably follows a JSON schema, so the planner may ask it for actions."""

    def generate(self, messages: Sequence[Message], params: GenerationParams) -> Generation:
        """Generate one reply to the messages."""
        ...

    def generate_batch(
        self, batch: Sequence[Sequence[Message]], params: GenerationParams
    ) -> list[Generation]:
        """Generate one reply per conversation; backends batch where they can."""
        ...

    def stream(self, messages: Sequence[Message], params: GenerationParams) -> Iterator[str]:
        """Yield the reply piece by piece as it is generated."""
        ...
