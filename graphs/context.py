"""The run context: what every node needs that is not state (settings, model, tools, hooks).

It travels as LangGraph's runtime context, so it is never checkpointed: a resumed run builds a new one.
Every field has a default, so LangGraph's own tooling (``langgraph dev``, Studio) can run a graph with an
empty context (``{}``): the settings then come from the environment and the config file, and the tools
and the model are built from them. ``settings`` may be given as a dict of Settings fields.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from seamline.config import Settings
from seamline.errors import RunCancelled
from seamline.llm.base import GenerationParams
from seamline.tools import BACKEND_LOCK

if TYPE_CHECKING:
    from seamline.llm.base import LLM
    from seamline.tools.toolbox import Toolbox


def _new_run_id() -> str:
    from seamline.memory.runs import new_run_id

    return new_run_id()


EventHook = Callable[[str, dict[str, Any]], None]
"""Called as hook(event, payload) when a node starts or records a step; the CLI narrates with it."""


@dataclass(kw_only=True)
class RunContext:
    """Injected into every node of a run."""

    settings: Settings = field(default_factory=Settings)
    run_id: str = field(default_factory=_new_run_id)
    toolbox: Toolbox = field(default=cast("Toolbox", None))
    """The research tools; by default built from the settings."""

    llm_factory: Callable[[], LLM] | None = None
    """Builds the drafter's model on first use, so a run that never drafts never loads it; by default
    ``load_llm(settings)``."""

    on_event: EventHook | None = None
    stream: bool = False
    """Emit each drafted piece as a 'token' event as it is generated."""

    approve: bool = False
    """Pause before each tool call and ask (LangGraph interrupt)."""

    cancel: threading.Event | None = field(default=None, repr=False)
    """Set by the caller to stop the run at the next node or drafted piece (it stays resumable)."""

    started: float = field(default_factory=time.monotonic)
    _llm: LLM | None = field(default=None, repr=False)
    _loading: threading.Thread | None = field(default=None, repr=False)
    _loaded: list[Any] = field(default_factory=list, repr=False)
    """What the background load left: the model, or the error it raised."""

    def __post_init__(self) -> None:
        if isinstance(self.settings, Mapping):  # a context given as JSON, as LangGraph's server passes it
            self.settings = Settings.model_validate(dict(self.settings))
        if self.toolbox is None:
            from seamline.tools.toolbox import build_toolbox

            self.toolbox = build_toolbox(self.settings)

    def _load(self) -> LLM:
        if self.llm_factory is not None:
            return self.llm_factory()
        from seamline.llm import load_llm

        return load_llm(self.settings)

    def preload(self) -> None:
        """Start loading the drafter's model in the background, so it loads while research runs.

        The knowledge store, its embedder and the model then load side by side; an error the load
        raises is raised where the model is first needed, as it would be without this.
        """
        if self._llm is not None or self._loading is not None:
            return

        def load() -> None:
            try:
                with BACKEND_LOCK:  # heavy imports one thread at a time, as every backend's (tools/__init__)
                    import numpy  # noqa: F401

                    with contextlib.suppress(ImportError):
                        import llama_cpp  # noqa: F401
                self._loaded.append(self._load())
            except BaseException as exc:  # handed to the thread that needs the model
                self._loaded.append(exc)

        self._loading = threading.Thread(target=load, name="seamline-model-load", daemon=True)
        self._loading.start()

    @property
    def llm(self) -> LLM:
        """The drafter's model, loaded once (waiting for ``preload`` if it started)."""
        if self._llm is None:
            if self._loading is not None:
                self._loading.join()
                loaded = self._loaded[0]
                self._loading, self._loaded = None, []
                if isinstance(loaded, BaseException):
                    raise loaded
                self._llm = loaded
            else:
                self._llm = self._load()
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
        """Tell the hook, if any, what is happening; stop here if the caller cancelled the run.

        A cancelled run stops as a node starts or as the model drafts a piece, never in the middle of a
        node's bookkeeping: the node is run again when the run is resumed.
        """
        if self.cancel is not None and self.cancel.is_set() and event in ("node", "token"):
            raise RunCancelled(self.run_id)
        if self.on_event is not None:
            self.on_event(event, payload)
