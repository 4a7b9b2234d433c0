"""Typed events of a run, as ``Agent.stream`` yields them: pydantic models a web app forwards as JSON.

Every event carries the run's id, its place in the run (``seq``, from 1) and a ``type`` that names it, so
``parse_event`` reads one back from JSON and ``to_sse`` writes one as a Server-Sent Event.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter

from seamline.compete_results import CompetitorReport
from seamline.results import Claim, DescribeResult, Evidence, Step


class _Event(BaseModel):
    run_id: str = Field(
        description="The run this event belongs to (Agent.resume and GET /runs/{id} take it)."
    )
    seq: int = Field(0, description="The event's place in its run, from 1.")
    at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class RunStarted(_Event):
    """A run began (or resumed) on a product."""

    type: Literal["run_started"] = "run_started"
    task: Literal["describe", "compete"]
    product: str
    resumed: bool = False


class NodeStarted(_Event):
    """A node of the graph began: plan, research, reflect, draft, revise, critic, market, ..."""

    type: Literal["node_started"] = "node_started"
    node: str


class StepPlanned(_Event):
    """The planner chose its next lookups: its thoughts, plan, self-criticism and actions."""

    type: Literal["step_planned"] = "step_planned"
    step: Step


class ToolCalled(_Event):
    """A tool ran: what it was asked and what came of it (a failure or error is said, not raised)."""

    type: Literal["tool_called"] = "tool_called"
    tool: str
    args: dict[str, Any] = Field(default_factory=dict)
    outcome: Literal["ok", "failed", "error"] = Field(
        "ok",
        description="failed: the source failed (a warning); error: the call was wrong, or a tool raised "
        "(shown to the planner).",
    )
    observation: str = ""


class EvidenceAdded(_Event):
    """A lookup added one item of evidence."""

    type: Literal["evidence_added"] = "evidence_added"
    evidence: Evidence


class DraftToken(_Event):
    """A piece of the model's text as it is generated."""

    type: Literal["draft_token"] = "draft_token"
    node: str = Field("draft", description="draft, revise, or summarise (the competitor summary).")
    text: str


class StepRecorded(_Event):
    """A node other than the planner recorded its step (research, reflect, draft, critic, ...)."""

    type: Literal["step_recorded"] = "step_recorded"
    step: Step


class ClaimJudged(_Event):
    """The critic kept a claim: evidence supports it."""

    type: Literal["claim_judged"] = "claim_judged"
    claim: Claim


class ClaimRemoved(_Event):
    """The critic removed a claim that no evidence supports, or that evidence contradicts."""

    type: Literal["claim_removed"] = "claim_removed"
    claim: Claim


class RunFinished(_Event):
    """The run ended with a result: ``result`` for describe, ``report`` for a competitor analysis."""

    type: Literal["run_finished"] = "run_finished"
    result: DescribeResult | None = None
    report: CompetitorReport | None = None


class RunFailed(_Event):
    """The run stopped on an error; ``resumable`` when its last checkpoint can be continued."""

    type: Literal["run_failed"] = "run_failed"
    error: str = Field(description="The error's type, e.g. ModelError or RunCancelled.")
    message: str
    resumable: bool = False


Event = Annotated[
    RunStarted
    | NodeStarted
    | StepPlanned
    | ToolCalled
    | EvidenceAdded
    | DraftToken
    | StepRecorded
    | ClaimJudged
    | ClaimRemoved
    | RunFinished
    | RunFailed,
    Field(discriminator="type"),
]
"""Any event of a run; ``type`` says which."""

_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)


def parse_event(data: str | bytes | dict[str, Any]) -> Event:
    """An event from its JSON text or dict (what ``event.model_dump_json()`` wrote)."""
    if isinstance(data, dict):
        return _ADAPTER.validate_python(data)
    return _ADAPTER.validate_json(data)


def to_sse(event: Event) -> str:
    """The event as one Server-Sent Event: its type as the event name, its seq as the id, JSON as data."""
    return f"event: {event.type}\nid: {event.seq}\ndata: {event.model_dump_json()}\n\n"


def event_schema() -> dict[str, Any]:
    """The JSON schema of every event, for a client in another language."""
    return _ADAPTER.json_schema()
