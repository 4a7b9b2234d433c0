"""How the Agent follows a run: the hooks a call passes, the typed events, and a run in its own thread.

A graph node reports with ``ctx.emit(kind, **payload)`` ("node", "step", "token", "finish"). ``Emitter``
passes each report to the caller's ``on_event`` hook as it is, and to an event sink as typed events
(``seamline.events``). ``Worker`` runs one call in a thread of its own, so a generator (``stream``) or a
coroutine (``adescribe``, ``astream``) can follow it; stopping early or cancelling sets the run's cancel
flag, and the run stops at its next node or drafted piece, resumable from its last checkpoint.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from seamline.compete_results import CompetitorReport
from seamline.errors import RunCancelled, SeamlineError
from seamline.events import (
    ClaimJudged,
    ClaimRemoved,
    DraftToken,
    Event,
    EvidenceAdded,
    NodeStarted,
    RunFailed,
    RunFinished,
    RunStarted,
    StepPlanned,
    StepRecorded,
    ToolCalled,
)
from seamline.graphs.context import EventHook
from seamline.results import DescribeResult, Step

T = TypeVar("T")
Sink = Callable[[Event], None]


@dataclass(frozen=True)
class Hooks:
    """How the caller follows a run: events, approval of tool calls, streaming of the draft."""

    on_event: EventHook | None = None
    approve: bool | Callable[[dict[str, Any]], bool] = False
    stream: bool = False
    sink: Sink | None = None
    """Receives the run's typed events (``Agent.stream``)."""
    cancel: threading.Event | None = None
    """Set to stop the run at its next node or drafted piece."""


class ApprovalRequired(SeamlineError):
    """A run paused before a tool call (``approve=True``); continue with ``Agent.resume(run_id, answers)``."""

    def __init__(self, run_id: str, requests: list[dict[str, Any]]) -> None:
        super().__init__(f"run {run_id} is waiting for approval of {len(requests)} tool call(s)")
        self.run_id = run_id
        self.requests = requests


class Emitter:
    """Turns a run's reports into the caller's hook calls and typed events, numbered in order."""

    def __init__(self, run_id: str, hooks: Hooks) -> None:
        self.run_id = run_id
        self.hooks = hooks
        self.seq = 0
        self.node = ""
        self.ended = False
        self._lock = threading.Lock()

    def _send(self, event: Event) -> None:
        if self.hooks.sink is None:
            return
        with self._lock:  # one order for every follower, whichever thread reports
            self.seq += 1
            event.seq = self.seq
            self.hooks.sink(event)

    def report(self, kind: str, payload: dict[str, Any]) -> None:
        """What a node reports (the RunContext's ``on_event``)."""
        if self.hooks.on_event is not None:
            self.hooks.on_event(kind, payload)
        if self.hooks.sink is None:
            return
        rid = self.run_id
        if kind == "node":
            self.node = str(payload.get("node", ""))
            self._send(NodeStarted(run_id=rid, node=self.node))
        elif kind == "token":
            self._send(DraftToken(run_id=rid, node=self.node or "draft", text=payload["text"]))
        elif kind == "step":
            self._step(payload)

    def _step(self, payload: dict[str, Any]) -> None:
        rid = self.run_id
        step: Step = payload["step"]
        if step.node == "plan":
            self._send(StepPlanned(run_id=rid, step=step))
            return
        for i, action in enumerate(step.actions):
            observation = step.observations[i] if i < len(step.observations) else ""
            # research words each call's observation as "tool(args) -> ...": error, failed or a count.
            outcome = (
                "error" if "-> error:" in observation else "failed" if "-> failed:" in observation else "ok"
            )
            self._send(
                ToolCalled(
                    run_id=rid, tool=action.tool, args=action.args, outcome=outcome, observation=observation
                )
            )
        for item in payload.get("evidence") or ():
            self._send(EvidenceAdded(run_id=rid, evidence=item))
        self._send(StepRecorded(run_id=rid, step=step))
        checked = payload.get("checked")
        if checked is not None:
            for claim in checked.claims:
                self._send(ClaimJudged(run_id=rid, claim=claim))
            for claim in checked.removed:
                self._send(ClaimRemoved(run_id=rid, claim=claim))

    def started(self, task: str, product: str, *, resumed: bool = False) -> None:
        """The run began or resumed."""
        self._send(RunStarted(run_id=self.run_id, task=task, product=product, resumed=resumed))  # type: ignore[arg-type]

    def finished(self, result: DescribeResult | CompetitorReport) -> None:
        """The run ended with its result."""
        self.ended = True
        if isinstance(result, CompetitorReport):
            self._send(RunFinished(run_id=self.run_id, report=result))
        else:
            self._send(RunFinished(run_id=self.run_id, result=result))

    def failed(self, exc: BaseException, *, resumable: bool) -> None:
        """The run stopped on an error."""
        if self.ended:
            return
        self.ended = True
        message = str(exc) if isinstance(exc, SeamlineError) else f"{type(exc).__name__}: {exc}"
        self._send(
            RunFailed(run_id=self.run_id, error=type(exc).__name__, message=message, resumable=resumable)
        )


def raise_if_cancelled(hooks: Hooks, run_id: str) -> None:
    """Between two nodes: stop here when the caller cancelled (the last node's checkpoint is saved)."""
    if hooks.cancel is not None and hooks.cancel.is_set():
        raise RunCancelled(run_id)


def drive(
    graph: Any,
    ctx: Any,
    inputs: Any,
    config: dict[str, Any],
    hooks: Hooks,
    *,
    paused: Callable[[list[dict[str, Any]]], None],
) -> DescribeResult:
    """Run the describe graph node by node: stop between nodes when cancelled, ask for approvals.

    A pause for approval goes to ``approve`` when it is a function, else to ``paused`` (which raises).
    """
    from langgraph.types import Command

    payload = inputs
    while True:
        result: DescribeResult | None = None
        pending: Any = None
        for update in graph.stream(
            payload, config=config, context=ctx, durability="sync", stream_mode="updates"
        ):
            pending = update.get("__interrupt__") or pending
            if "finish" in update:
                result = update["finish"]["result"]
            elif result is None:
                raise_if_cancelled(hooks, ctx.run_id)
        if not pending:
            break
        requests = [i.value for i in pending]
        if not callable(hooks.approve):
            paused(requests)
            raise AssertionError("paused() must raise")  # pragma: no cover
        answers = [bool(hooks.approve(r)) for r in requests]
        payload = Command(resume=answers[0] if len(answers) == 1 else answers)
    if result is None:
        raise SeamlineError(f"run {ctx.run_id} ended without a result")
    return result


class Worker(Generic[T]):
    """One call of the Agent in a thread of its own, followed from sync or async code.

    ``call(cancel, sink)`` runs in the thread; ``sink`` receives its typed events.
    """

    def __init__(self, call: Callable[[threading.Event, Sink], T], registry: set[Worker[Any]]) -> None:
        self._call = call
        self.cancel = threading.Event()
        self._registry = registry
        self.result: T | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="seamline-run", daemon=True)
        self._sinks: list[Sink] = []
        self._done: list[Callable[[], None]] = []
        self._ended = False

    def _run(self) -> None:
        try:
            self.result = self._call(self.cancel, self._sink)
        except BaseException as exc:  # handed to whoever follows the call; the thread must not die loudly
            self.error = exc
            if not self._ended:  # it failed before its run began (the run store could not open ...)
                message = str(exc) if isinstance(exc, SeamlineError) else f"{type(exc).__name__}: {exc}"
                self._sink(RunFailed(run_id="", error=type(exc).__name__, message=message))
        finally:
            self._registry.discard(self)
            for done in self._done:
                done()

    def _sink(self, event: Event) -> None:
        self._ended = self._ended or event.type in ("run_finished", "run_failed")
        for sink in self._sinks:
            sink(event)

    def start(self) -> None:
        """Start the thread (the Agent waits for it on close)."""
        self._registry.add(self)
        self.thread.start()

    def events(self) -> Iterator[Event]:
        """The call's events as they happen; leaving early cancels the run."""
        inbox: queue.Queue[Event | None] = queue.Queue()
        self._sinks.append(inbox.put)
        self._done.append(lambda: inbox.put(None))
        self.start()
        try:
            while (event := inbox.get()) is not None:
                yield event
        finally:
            self.cancel.set()

    async def aevents(self) -> AsyncIterator[Event]:
        """The call's events in an event loop; leaving early, or being cancelled, cancels the run."""
        loop = asyncio.get_running_loop()
        inbox: asyncio.Queue[Event | None] = asyncio.Queue()

        def put(item: Event | None) -> None:
            with contextlib.suppress(RuntimeError):  # the loop closed while the thread ran on
                loop.call_soon_threadsafe(inbox.put_nowait, item)

        self._sinks.append(put)
        self._done.append(lambda: put(None))
        self.start()
        try:
            while (event := await inbox.get()) is not None:
                yield event
        finally:
            self.cancel.set()

    async def wait(self) -> T:
        """The call's result; cancelling the awaiting task cancels the run and waits for it to stop."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()

        def settle() -> None:
            if not done.done():
                done.set_result(None)

        def finish() -> None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(settle)

        self._done.append(finish)
        self.start()
        try:
            await asyncio.shield(done)
        except asyncio.CancelledError:
            self.cancel.set()
            with contextlib.suppress(BaseException):
                await done  # the thread stops at the run's next node, leaving the run resumable
            raise
        if self.error is not None:
            raise self.error
        return self.result  # type: ignore[return-value]
