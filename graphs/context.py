"""The run context: what every node needs that is not state (settings, model, tools, hooks).

It travels as LangGraph's runtime context, so it is never checkpointed: a resumed run builds a new one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from seamline.config import Settings
from seamline.llm.base import GenerationParams

if TYPE_CHECKING:
    from seamline.llm.base import LLM
    from seamline.tools.toolbox import Toolbox

EventHook = Callable[[str, dict[str, Any]], None]
"""Called as hook(event, payload) when a node starts or records a step; the CLI narrates with it."""


@dataclass(kw_only=True)
class RunContext:
    """Injected into every node of a run."""

    settings: Settings
    run_id: str
    toolbox: Toolbox
    llm_factory: Callable[[], LLM]
    """Builds the drafter's model on first use, so a run that never drafts never loads it."""

    on_event: EventHook | None = None
    stream: bool = False
    """Emit each drafted piece as a 'token' event as it is generated."""

    approve: bool = False
    """Pause before each tool call and ask (LangGraph interrupt)."""

    started: float = field(default_factory=time.monotonic)
    _llm: LLM | None = field(default=None, repr=False)

    @property
    def llm(self) -> LLM:
        """The drafter's model, loaded once."""
        if self._llm is None:
            self._llm = self.llm_factory()
        return self._llm

    @property
    def llm_loaded(self) -> bool:
        """Whether the model has been loaded in this process."""
        return self._llm is not None

    def planner_llm(self) -> LLM | None:
        """The model when it can plan; the embedded default is not loaded just to learn that it cannot."""
        may_plan = self.llm_loaded or self.settings.backend == "openai" or self.settings.model != "default"
        if may_plan and self.llm.can_plan:
            return self.llm
        return None

    def params(self, **overrides: Any) -> GenerationParams:
        """Sampling parameters from the settings."""
        s = self.settings
        values: dict[str, Any] = {
            "temperature": s.temperature,
            "top_p": s.top_p,
            "max_new_tokens": s.max_new_tokens,
            "seed": s.seed,
            "repetition_penalty": s.repetition_penalty,
        }
        values.update(overrides)
        return GenerationParams(**values)

    def elapsed(self) -> float:
        """Seconds since this process started or resumed the run."""
        return time.monotonic() - self.started

    def emit(self, event: str, **payload: Any) -> None:
        """Tell the hook, if any, what is happening."""
        if self.on_event is not None:
            self.on_event(event, payload)
