"""The Python API: ``Agent().describe(product)`` and friends. The CLI is a thin layer over this."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seamline.config import Settings
from seamline.errors import RunCancelled, SeamlineError, UsageError
from seamline.graphs.context import EventHook, RunContext
from seamline.llm.base import LLM
from seamline.results import CheckResult, DescribeResult, Evidence
from seamline.running import ApprovalRequired, Emitter, Hooks, Sink, Worker, drive
from seamline.tasks import MAX_PRODUCT_CHARS, Task, clean_product, parse_task

if TYPE_CHECKING:
    from seamline.batch import BatchReport
    from seamline.compete_results import CompetitorReport
    from seamline.events import Event
    from seamline.llm.batching import BatchingLLM

__all__ = ["MAX_PRODUCT_CHARS", "Agent", "ApprovalRequired", "Hooks", "check", "clean_product", "parse_task"]

log = logging.getLogger(__name__)


class Agent:
    """Seamline's agent: grounded product descriptions and competitor analysis.

    Every part can be swapped for the application's own, at construction:

    Args:
        settings: a Settings (or a dict of its fields); by default read from the environment and the
            config file.
        llm: the drafter (and planner): a Seamline model backend (``seamline.llm.LLM``) or any LangChain
            ``BaseChatModel``, adapted at the boundary; by default the configured model, loaded on first use.
        search: where product evidence comes from: a setting ('auto', 'web', 'local:PATH', 'none'), a path
            to a local index, a ``LocalIndex``, a LangChain retriever, or a function ``(query, k)`` that
            returns documents (LangChain Documents, dicts, Evidence or text).
        knowledge: general fashion knowledge: a setting ('local', 'none', 'chroma+http://...'), a
            ``KnowledgeStore``, a LangChain ``VectorStore`` or retriever, or a function ``(query, k)``.
        tools: extra LangChain tools, offered to a planner that can plan (the embedded default model
            cannot: the run then says so in its warnings). An exception inside one is recorded on the step
            and shown to the planner; Seamline's own errors stop the run.
        **overrides: any Settings field, e.g. ``Agent(temperature=0, max_steps=3)``.

    A part of the wrong kind is a TypeError that names what was expected.

    One Agent serves concurrent calls (threads, or ``adescribe`` and ``astream`` in an event loop).
    Shared by all calls: the settings, the model (loaded once, under a lock; the llama.cpp and
    transformers backends serialise generation, since one model context is not thread-safe), the tools
    and their backends (each opened once), the run store (one SQLite connection behind one lock) and the
    compiled graph. Each call has its own: run id, checkpoints, state, hooks and budgets (its wall-clock
    starts with it). ``resume`` adopts the options a run started with on this Agent: resume on an Agent
    whose other calls use the same options.
    """

    def __init__(
        self,
        settings: Settings | Mapping[str, Any] | None = None,
        *,
        llm: Any = None,
        search: Any = None,
        knowledge: Any = None,
        tools: Iterable[Any] | None = None,
        **overrides: Any,
    ) -> None:
        from pydantic import ValidationError

        from seamline.parts import adapt, settings_of

        parts = adapt(llm=llm, search=search, knowledge=knowledge, tools=tools)
        overrides = {**overrides, **parts.overrides}
        try:
            base = settings_of(settings) or Settings()
            self.settings = Settings.model_validate({**base.model_dump(), **overrides}) if overrides else base
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "option"
            raise UsageError(f"invalid value for {where}: {first['msg']}") from exc
        self._explicit = set(overrides) | set(parts.labels)
        self._parts = parts
        self._llm: LLM | None = parts.llm
        self._toolbox: Any = None
        self._runs: Any = None
        self._graph: Any = None
        self._lock = threading.RLock()
        self._workers: set[Worker[Any]] = set()
        self._catalogs: dict[tuple[Any, ...], Any] = {}
        """Competitor catalogs read by ``compete``, kept so a batch reads its catalog once."""

    # --- parts, built on first use, once ---------------------------------------------------------------

    @property
    def llm(self) -> LLM:
        """The drafter's model backend, loaded once (concurrent first calls wait for one load)."""
        if self._llm is None:
            with self._lock:
                if self._llm is None:
                    from seamline.llm import load_llm

                    self._llm = load_llm(self.settings)
        return self._llm

    @property
    def toolbox(self) -> Any:
        """The research tools: the configured or injected search and knowledge, then the extra tools."""
        if self._toolbox is None:
            with self._lock:
                if self._toolbox is None:
                    from seamline.tools.toolbox import build_toolbox

                    p = self._parts
                    self._toolbox = build_toolbox(
                        self.settings, index=p.index, knowledge=p.knowledge, search=p.search, extra=p.tools
                    )
        return self._toolbox

    @property
    def runs(self) -> Any:
        """The run store (SQLite checkpointer and run index)."""
        if self._runs is None:
            with self._lock:
                if self._runs is None:
                    from seamline.memory.runs import RunStore

                    self.settings.ensure_data_dir()
                    self._runs = RunStore(self.settings.runs_db)
        return self._runs

    def _describe_graph(self) -> Any:
        if self._graph is None:
            with self._lock:
                if self._graph is None:
                    from seamline.graphs.describe import builder

                    self._graph = builder.compile(checkpointer=self.runs.checkpointer, name="describe")
        return self._graph

    def close(self) -> None:
        """Cancel the runs still streaming, wait for them to stop, and release the run store and tools."""
        for worker in list(self._workers):
            worker.cancel.set()
        for worker in list(self._workers):
            worker.thread.join()
        with self._lock:
            if self._runs is not None:
                self._runs.close()
                self._runs = None
            if self._toolbox is not None:
                self._toolbox.close()
                self._toolbox = None
            self._graph = None

    def __enter__(self) -> Agent:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- runs --------------------------------------------------------------------------------------

    def describe(
        self,
        product: str,
        *,
        on_event: EventHook | None = None,
        approve: bool | Callable[[dict[str, Any]], bool] = False,
        stream: bool = False,
        run_id: str | None = None,
    ) -> DescribeResult:
        """Describe a product with every claim grounded in evidence.

        ``on_event(event, payload)`` hears each node start ("node"), each step ("step") and, with
        ``stream``, each drafted piece ("token"). ``approve`` True pauses before each tool call by
        raising ApprovalRequired; a function is asked instead and the run continues in-process.
        """
        hooks = Hooks(on_event, approve, stream)
        return self._start("describe", product, hooks, run_id=run_id)

    async def adescribe(
        self,
        product: str,
        *,
        on_event: EventHook | None = None,
        stream: bool = False,
        run_id: str | None = None,
    ) -> DescribeResult:
        """``describe`` for an event loop: the run goes on in its own thread while the loop serves others.

        Cancelling the awaiting task stops the run at its next node (or drafted piece) and leaves it
        resumable from its last checkpoint: pass ``run_id`` to know which id to ``resume``. ``on_event`` is
        called from the run's thread.
        """
        name = clean_product(product)

        def call(cancel: threading.Event, sink: Sink) -> DescribeResult:
            return self._start("describe", name, Hooks(on_event, False, stream, sink, cancel), run_id=run_id)

        return await Worker(call, self._workers).wait()

    def stream(self, task: str, *, run_id: str | None = None, **options: Any) -> Iterator[Event]:
        """Run a task in words ('describe <product>', ...), yielding typed events as they happen.

        The events (``seamline.events``): run started, nodes, steps planned, tools called, evidence
        added, draft tokens, claims judged or removed, then finished (with the result) or failed.

        Each event is a pydantic model (``event.model_dump_json()``; ``seamline.events.to_sse``). Leaving
        the loop early cancels the run, resumable by its id. A failure arrives as the last event
        (``RunFailed``) rather than raised; a bad task or product name is raised at once. ``options`` are
        ``compete``'s for a competitor analysis (catalog, top, currency).
        """
        return self._worker(task, run_id, options).events()

    def astream(self, task: str, *, run_id: str | None = None, **options: Any) -> AsyncIterator[Event]:
        """``stream`` for an event loop: ``async for event in agent.astream(...)``."""
        return self._worker(task, run_id, options).aevents()

    def _worker(self, task: str, run_id: str | None, options: dict[str, Any]) -> Worker[Any]:
        kind, product = parse_task(task)
        name = clean_product(product)
        unknown = set(options) - ({"catalog", "top", "currency"} if kind == "compete" else set())
        if unknown:
            raise UsageError(f"{kind} takes no option {', '.join(sorted(unknown))}")

        def call(cancel: threading.Event, sink: Sink) -> Any:
            hooks = Hooks(stream=True, sink=sink, cancel=cancel)
            if kind == "compete":
                return self._compete(name, hooks, run_id=run_id, **options)
            return self._start("describe", name, hooks, run_id=run_id)

        return Worker(call, self._workers)

    def compete(
        self,
        product: str,
        *,
        catalog: str | Path | None = None,
        top: int = 10,
        currency: str | None = None,
        on_event: EventHook | None = None,
        stream: bool = False,
    ) -> CompetitorReport:
        """A competitor analysis of a product against its market.

        The report holds the market (and why each competitor was kept), an attribute matrix, the gaps
        in the product's listing, its price position, claims not to copy, and a summary checked against
        those tables.

        Competitors come from ``catalog`` (a CSV or JSONL of rival listings) when given, else from the
        local index or the web (``search``). ``top`` competitors are kept; ``currency`` is the currency
        of catalog prices that name none. See ``seamline.graphs.compete``.
        """
        hooks = Hooks(on_event, False, stream)
        return self._compete(product, hooks, catalog=catalog, top=top, currency=currency)

    async def acompete(self, product: str, **options: Any) -> CompetitorReport:
        """``compete`` for an event loop (the same options), in a thread of its own."""

        def call(cancel: threading.Event, sink: Sink) -> CompetitorReport:
            return self._compete(product, Hooks(cancel=cancel), **options)

        return await Worker(call, self._workers).wait()

    def _compete(
        self, product: str, hooks: Hooks, *, run_id: str | None = None, **options: Any
    ) -> CompetitorReport:
        from seamline.graphs.compete import run_compete
        from seamline.memory.runs import new_run_id

        name = clean_product(product)
        run_id = run_id or new_run_id()
        events = Emitter(run_id, hooks)
        events.started("compete", name)
        try:
            report = run_compete(
                self,
                name,
                on_event=events.report,
                stream=hooks.stream,
                run_id=run_id,
                cancel=hooks.cancel,
                **options,
            )
        except BaseException as exc:
            events.failed(exc, resumable=False)
            raise
        events.finished(report)
        return report

    def run(self, task: str, **kwargs: Any) -> DescribeResult | CompetitorReport:
        """Run a task in words: 'describe <product>' or 'competitor analysis for <product>'.

        A competitor analysis takes ``compete``'s keyword arguments (catalog, top, currency).
        """
        kind, product = parse_task(task)
        if kind == "compete":
            keys = ("catalog", "top", "currency", "on_event", "stream")
            return self.compete(product, **{k: v for k, v in kwargs.items() if k in keys})
        return self.describe(product, **kwargs)

    def batch(
        self, source: str | Path, output: str | Path, *, html: str | Path | None = None, **options: Any
    ) -> BatchReport:
        """Describe every product of a file into JSONL, skipping the ones ``output`` already holds.

        ``source`` is a text file of product names or a CSV/JSONL catalog; ``options`` are those of
        ``seamline.batch.run_batch`` (shard, skip_invalid, restart, limit, batch_size, on_start,
        on_done). With ``html``, a report per product and an index page go into that directory
        (``seamline.report_batch.write_batch_reports``). Ray: ``seamline.batch_ray.run_ray``.
        """
        from seamline.batch import run_batch

        report = run_batch(self, Path(source), Path(output), **options)
        if html is not None:
            from seamline.report_batch import write_batch_reports

            write_batch_reports(Path(output), Path(html))
        return report

    @contextlib.contextmanager
    def batching(self, max_batch: int) -> Iterator[BatchingLLM]:
        """Draft through a ``BatchingLLM`` meanwhile: concurrent runs registered with it share batches."""
        from seamline.llm.batching import BatchingLLM

        inner = self.llm
        drafter = BatchingLLM(inner, max_batch=max_batch)
        with self._lock:
            self._llm = drafter
        try:
            yield drafter
        finally:
            with self._lock:
                self._llm = inner
            drafter.close()

    def run_result(self, run_id: str) -> DescribeResult:
        """A finished run's result from the run store; a run an older version recorded gives what it has."""
        import json

        from pydantic import ValidationError

        from seamline.errors import RunStoreError

        summary, _options, result_json = self.runs.get(run_id)
        if result_json is None:
            raise RunStoreError(
                f"run {run_id} has not finished ({summary.state}); continue it with: "
                f"agent run --resume {run_id}"
            )
        data = json.loads(result_json)
        for key, value in (("run_id", summary.run_id), ("product", summary.product), ("description", "")):
            data.setdefault(key, value)
        try:
            return DescribeResult.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise RunStoreError(
                f"run {run_id} was recorded in a form this version cannot read ({where}: {first['msg']})"
            ) from exc

    def graph(self, name: str = "describe", *, fmt: str = "mermaid", run_id: str | None = None) -> str:
        """Draw a graph (mermaid, ascii, dot, svg or html); with ``run_id``, that finished run drawn on it."""
        from seamline.graphs.visualize import check_choice, draw

        check_choice(name, fmt)
        return draw(name, fmt, self.run_result(run_id) if run_id else None)

    def resume(
        self,
        run_id: str,
        answers: bool | list[bool] | None = None,
        *,
        on_event: EventHook | None = None,
        approve: bool | Callable[[dict[str, Any]], bool] = False,
        stream: bool = False,
    ) -> DescribeResult:
        """Continue an interrupted, cancelled or paused run from its last checkpoint."""
        summary, options, result_json = self.runs.get(run_id)
        if result_json is not None and summary.state in ("complete", "stopped"):
            return DescribeResult.model_validate_json(result_json)
        from langgraph.types import Command

        # A resumed run uses the options it started with (model, sources, budgets), except those given
        # explicitly to this Agent, and a part that was injected (the Agent's own part serves instead).
        kept = {
            k: v
            for k, v in options.items()
            if k not in self._explicit and not (isinstance(v, str) and v.startswith("injected "))
        }
        self.settings = Settings.model_validate({**self.settings.model_dump(), **kept})
        resume_value: Any = None
        if answers is not None:
            resume_value = Command(resume=answers)
        hooks = Hooks(on_event, approve, stream)
        return self._invoke(run_id, summary.product, summary.task, resume_value, options, hooks, resumed=True)

    def _start(self, task: Task, product: str, hooks: Hooks, *, run_id: str | None) -> DescribeResult:
        from seamline.memory.runs import new_run_id

        name = clean_product(product)
        run_id = run_id or new_run_id()
        options = self._options()
        self.runs.record(run_id, product=name, task=task, state="running", options=options)
        inputs = {"product": name, "task": task, "options": options}
        return self._invoke(run_id, name, task, inputs, options, hooks)

    def _options(self) -> dict[str, Any]:
        keys = (
            "model",
            "backend",
            "search",
            "knowledge",
            "max_steps",
            "max_tool_calls",
            "timeout",
            "max_tokens",
        )
        options = {k: getattr(self.settings, k) for k in keys}
        options.update(self._parts.labels)  # an injected part is named, not its unused setting
        if self._parts.llm is not None:
            options["model"] = f"injected {self._parts.llm.name}"
        return options

    def _invoke(
        self,
        run_id: str,
        product: str,
        task: str,
        inputs: Any,
        options: Mapping[str, Any],
        hooks: Hooks,
        *,
        resumed: bool = False,
    ) -> DescribeResult:
        events = Emitter(run_id, hooks)
        events.started(task, product, resumed=resumed)
        ctx = RunContext(
            settings=self.settings,
            run_id=run_id,
            toolbox=self.toolbox,
            llm_factory=lambda: self.llm,
            _llm=self._llm,
            on_event=events.report,
            approve=bool(hooks.approve),
            stream=hooks.stream,
            cancel=hooks.cancel,
        )
        t0 = time.monotonic()
        try:
            result = self._drive(ctx, inputs, hooks, product, task, options)
        except ApprovalRequired:
            raise
        except RunCancelled as exc:
            self.runs.record(run_id, product=product, task=task, state="interrupted", options=dict(options))
            events.failed(exc, resumable=True)
            raise
        except BaseException as exc:
            # The checkpoints stay: the run continues from its last node with ``resume``.
            self.runs.record(run_id, product=product, task=task, state="failed", options=dict(options))
            events.failed(exc, resumable=True)
            raise
        result.timings["total"] = time.monotonic() - t0
        self.runs.finish(run_id, result.status.state, result.model_dump_json())
        events.finished(result)
        return result

    def _drive(
        self, ctx: RunContext, inputs: Any, hooks: Hooks, product: str, task: str, options: Mapping[str, Any]
    ) -> DescribeResult:
        from langgraph.errors import GraphRecursionError

        from seamline.graphs.budget import recursion_limit

        def paused(requests: list[dict[str, Any]]) -> None:
            self.runs.record(
                ctx.run_id, product=product, task=task, state="interrupted", options=dict(options)
            )
            raise ApprovalRequired(ctx.run_id, requests)

        config = {
            "configurable": {"thread_id": ctx.run_id},
            "recursion_limit": recursion_limit(self.settings.max_steps),
        }
        try:
            return drive(self._describe_graph(), ctx, inputs, config, hooks, paused=paused)
        except GraphRecursionError:
            # Unreachable while the budgets hold; kept so a user never sees LangGraph's error.
            raise SeamlineError(
                f"run {ctx.run_id} hit the step limit; rerun with a larger --max-steps"
            ) from None


def check(
    description: str, evidence: Sequence[Evidence | Mapping[str, Any]], *, product: str | None = None
) -> CheckResult:
    """The critic alone: judge a description against evidence and strip unsupported claims."""
    from seamline.agents.critic import check as critic_check

    return critic_check(description, evidence, product=product)
