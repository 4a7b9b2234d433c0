"""The Python API: ``Agent().describe(product)`` and friends. The CLI is a thin layer over this."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from seamline.config import Settings
from seamline.errors import SeamlineError, UsageError
from seamline.graphs.context import EventHook, RunContext
from seamline.llm.base import LLM
from seamline.results import CheckResult, DescribeResult, Evidence

if TYPE_CHECKING:
    from seamline.batch import BatchReport
    from seamline.compete_results import CompetitorReport

log = logging.getLogger(__name__)

MAX_PRODUCT_CHARS = 500

Task = Literal["describe", "compete"]


def clean_product(product: str) -> str:
    """Validate a product name: non-empty, at most 500 characters, one line."""
    if not isinstance(product, str):
        raise UsageError("the product name must be text")
    name = " ".join(product.split())
    if not name:
        raise UsageError(
            'the product name is empty; give one, e.g. agent describe "Turtle Check Men Navy Shirt"'
        )
    if len(name) > MAX_PRODUCT_CHARS:
        raise UsageError(
            f"the product name is {len(name)} characters; the limit is {MAX_PRODUCT_CHARS}: give the name, "
            "not the whole listing"
        )
    return name


@dataclass(frozen=True)
class Hooks:
    """How the caller follows a run: events, approval of tool calls, streaming of the draft."""

    on_event: EventHook | None = None
    approve: bool | Callable[[dict[str, Any]], bool] = False
    stream: bool = False


class ApprovalRequired(SeamlineError):
    """A run paused before a tool call (``approve=True``); continue with ``Agent.resume(run_id, answers)``."""

    def __init__(self, run_id: str, requests: list[dict[str, Any]]) -> None:
        super().__init__(f"run {run_id} is waiting for approval of {len(requests)} tool call(s)")
        self.run_id = run_id
        self.requests = requests


class Agent:
    """Seamline's agent: grounded product descriptions and competitor analysis.

    Args:
        settings: the configuration; by default read from the environment and the config file.
        llm: a model backend to use instead of the configured one (tests pass a fake here).
        **overrides: any Settings field, e.g. ``Agent(search="none", temperature=0)``.
    """

    def __init__(self, settings: Settings | None = None, *, llm: LLM | None = None, **overrides: Any) -> None:
        from pydantic import ValidationError

        try:
            base = settings or Settings()
            self.settings = Settings.model_validate({**base.model_dump(), **overrides}) if overrides else base
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "option"
            raise UsageError(f"invalid value for {where}: {first['msg']}") from exc
        self._explicit = set(overrides)
        self._llm = llm
        self._toolbox: Any = None
        self._runs: Any = None
        self._catalogs: dict[tuple[Any, ...], Any] = {}
        """Competitor catalogs read by ``compete``, kept so a batch reads its catalog once."""

    # --- parts, built on first use -------------------------------------------------------------------

    @property
    def llm(self) -> LLM:
        """The drafter's model backend, loaded once."""
        if self._llm is None:
            from seamline.llm import load_llm

            self._llm = load_llm(self.settings)
        return self._llm

    @property
    def toolbox(self) -> Any:
        """The research tools for the configured sources."""
        if self._toolbox is None:
            from seamline.tools.toolbox import build_toolbox

            self._toolbox = build_toolbox(self.settings)
        return self._toolbox

    @property
    def runs(self) -> Any:
        """The run store (SQLite checkpointer and run index)."""
        if self._runs is None:
            from seamline.memory.runs import RunStore

            self.settings.ensure_data_dir()
            self._runs = RunStore(self.settings.runs_db)
        return self._runs

    def close(self) -> None:
        """Release the run store and tools."""
        if self._runs is not None:
            self._runs.close()
            self._runs = None
        if self._toolbox is not None:
            self._toolbox.close()
            self._toolbox = None

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
        from seamline.graphs.compete import run_compete

        return run_compete(
            self, product, catalog=catalog, top=top, currency=currency, on_event=on_event, stream=stream
        )

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
        ``seamline.batch.run_batch`` (shard, skip_invalid, restart, limit, on_start, on_done). With
        ``html``, a report per product and an index page go into that directory
        (``seamline.report_batch.write_batch_reports``).
        """
        from seamline.batch import run_batch

        report = run_batch(self, Path(source), Path(output), **options)
        if html is not None:
            from seamline.report_batch import write_batch_reports

            write_batch_reports(Path(output), Path(html))
        return report

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
        """Continue an interrupted or paused run from its last checkpoint."""
        summary, options, result_json = self.runs.get(run_id)
        if result_json is not None and summary.state in ("complete", "stopped"):
            return DescribeResult.model_validate_json(result_json)
        from langgraph.types import Command

        # A resumed run uses the options it started with (model, sources, budgets), except those given
        # explicitly to this Agent.
        kept = {k: v for k, v in options.items() if k not in self._explicit}
        self.settings = Settings.model_validate({**self.settings.model_dump(), **kept})
        resume_value: Any = None
        if answers is not None:
            resume_value = Command(resume=answers)
        hooks = Hooks(on_event, approve, stream)
        return self._invoke(run_id, summary.product, summary.task, resume_value, options, hooks)

    def _start(
        self,
        task: Task,
        product: str,
        hooks: Hooks,
        *,
        run_id: str | None,
    ) -> DescribeResult:
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
        return {k: getattr(self.settings, k) for k in keys}

    def _invoke(
        self,
        run_id: str,
        product: str,
        task: str,
        inputs: Any,
        options: Mapping[str, Any],
        hooks: Hooks,
    ) -> DescribeResult:
        from langgraph.errors import GraphRecursionError
        from langgraph.types import Command

        from seamline.graphs.budget import recursion_limit
        from seamline.graphs.describe import builder

        graph = builder.compile(checkpointer=self.runs.checkpointer, name="describe")
        ctx = RunContext(
            settings=self.settings,
            run_id=run_id,
            toolbox=self.toolbox,
            llm_factory=lambda: self.llm,
            _llm=self._llm,
            on_event=hooks.on_event,
            approve=bool(hooks.approve),
            stream=hooks.stream,
        )
        config = {
            "configurable": {"thread_id": run_id},
            "recursion_limit": recursion_limit(self.settings.max_steps),
        }
        t0 = time.monotonic()
        payload = inputs
        while True:
            try:
                out = graph.invoke(payload, config=config, context=ctx, durability="sync")
            except GraphRecursionError:
                # Unreachable while the budgets hold; kept so a user never sees LangGraph's error.
                self.runs.finish(run_id, "stopped", "")
                raise SeamlineError(
                    f"run {run_id} hit the step limit; rerun with a larger --max-steps"
                ) from None
            pending = out.get("__interrupt__") if isinstance(out, dict) else None
            if not pending:
                break
            requests = [i.value for i in pending]
            if not callable(hooks.approve):
                self.runs.record(
                    run_id, product=product, task=task, state="interrupted", options=dict(options)
                )
                raise ApprovalRequired(run_id, requests)
            answers = [bool(hooks.approve(r)) for r in requests]
            payload = Command(resume=answers[0] if len(answers) == 1 else answers)
        result: DescribeResult = out["result"]
        result.timings["total"] = time.monotonic() - t0
        self.runs.finish(run_id, result.status.state, result.model_dump_json())
        return result


_COMPETE_PHRASE = re.compile(
    r"^\s*(?:competitor|competitors|competition|market)\s+analysis\s+(?:for|of)\s+(?P<product>\S.*)$", re.I
)


def parse_task(task: str) -> tuple[Task, str]:
    """Map 'describe <product>', 'competitor analysis for <product>' or 'compare <product>' to a task."""
    phrase = _COMPETE_PHRASE.match(task)
    if phrase:
        return "compete", phrase.group("product")
    words = task.strip().split(maxsplit=1)
    verbs: dict[str, Task] = {
        "describe": "describe",
        "compare": "compete",
        "compete": "compete",
        "analyse": "compete",
    }
    if len(words) == 2 and words[0].lower() in verbs:
        return verbs[words[0].lower()], words[1]
    if len(words) == 1 and words[0].lower() in verbs:
        raise UsageError(f"'{words[0]}' needs a product name, e.g. agent run \"describe Navy Blue Shirt\"")
    raise UsageError(
        f"cannot understand the task {task.strip()[:60]!r}; tasks are 'describe <product>' and "
        "'competitor analysis for <product>' (or 'compare <product>')"
    )


def check(
    description: str, evidence: Sequence[Evidence | Mapping[str, Any]], *, product: str | None = None
) -> CheckResult:
    """The critic alone: judge a description against evidence and strip unsupported claims."""
    from seamline.agents.critic import check as critic_check

    return critic_check(description, evidence, product=product)
