"""What a recorded run did on the graph: node visits, time and tokens, tool calls, removals, the stop.

Computed from a result's step log alone, so a run recorded by an older version (fewer fields, no steps)
still yields an overlay: it shows what the result holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from seamline.graphs.shape import END, START
from seamline.results import Claim, DescribeResult, Step

_NEW_ITEMS = re.compile(r" -> (\d+) new item")


@dataclass
class NodeRun:
    """One node over a run: how often it ran, for how long, with how many tokens."""

    visits: int = 0
    seconds: float = 0.0
    tokens: int = 0
    steps: list[int] = field(default_factory=list)
    """The numbers of the steps it recorded."""

    notes: list[str] = field(default_factory=list)
    """Short facts for the node's box: tool calls and evidence added, claims removed."""


@dataclass
class ToolCall:
    """One lookup a research step ran, and the evidence it added."""

    step: int
    tool: str
    args: dict[str, str | int | float | bool]
    why: str
    outcome: str
    """The observation research recorded for it (items found, or the failure)."""

    evidence_ids: list[str] = field(default_factory=list)
    failed: bool = False


@dataclass
class Overlay:
    """A run drawn on the graph."""

    nodes: dict[str, NodeRun]
    edges: dict[tuple[str, str], int]
    """How often the run took each edge."""

    tool_calls: list[ToolCall]
    removed: list[Claim]
    stopped_by: str | None = None
    """The budget that stopped the run, if one did."""

    stopped_at: str | None = None
    """The node where that budget ended the loop."""

    stopped_step: int | None = None
    """The step at which it did."""

    def ran(self, node: str) -> bool:
        """Whether the run visited the node."""
        run = self.nodes.get(node)
        return run is not None and run.visits > 0


def overlay(result: DescribeResult) -> Overlay:
    """The overlay of one finished run."""
    nodes: dict[str, NodeRun] = {}
    for step in result.steps:
        run = nodes.setdefault(step.node, NodeRun())
        run.visits += 1
        run.seconds += step.duration_s
        run.tokens += step.usage.total
        run.steps.append(step.number)
    # finish records no step of its own; a result exists only because it ran.
    finish = nodes.setdefault("finish", NodeRun())
    finish.visits += 1
    finish.seconds += result.timings.get("finish", 0.0)
    path = [START, *(s.node for s in result.steps), "finish", END]
    edges: dict[tuple[str, str], int] = {}
    for pair in zip(path, path[1:], strict=False):
        edges[pair] = edges.get(pair, 0) + 1
    calls = _tool_calls(result)
    if "research" in nodes:
        added = sum(len(c.evidence_ids) for c in calls)
        failed = sum(c.failed for c in calls)
        note = f"{len(calls)} call{'s' if len(calls) != 1 else ''}, +{added} evidence"
        nodes["research"].notes.append(note + (f", {failed} failed" if failed else ""))
    if "critic" in nodes:
        nodes["critic"].notes.append(
            f"{len(result.removed)} claim{'s' if len(result.removed) != 1 else ''} removed"
        )
    stopped_at, stopped_step = _stop(result.steps, result.status.stopped_by)
    return Overlay(
        nodes=nodes,
        edges=edges,
        tool_calls=calls,
        removed=list(result.removed),
        stopped_by=result.status.stopped_by,
        stopped_at=stopped_at,
        stopped_step=stopped_step,
    )


def _tool_calls(result: DescribeResult) -> list[ToolCall]:
    """Each research action with the evidence ids it added.

    Research numbers new evidence E1, E2, ... in the order of its actions and records one observation per
    action ("tool(args) -> 2 new item(s), ..."), so the ids follow from the counts.
    """
    known = {e.id for e in result.evidence}
    number = 1
    calls: list[ToolCall] = []
    for step in result.steps:
        if step.node != "research":
            continue
        observations = list(step.observations)
        for action in step.actions:
            label = f"{action.tool}({', '.join(f'{k}={v!r}' for k, v in action.args.items())})"
            outcome = next((o for o in observations if o.startswith(label + " -> ")), "")
            if outcome:
                observations.remove(outcome)
            found = _NEW_ITEMS.search(outcome)
            ids = []
            if found:
                count = int(found.group(1))
                ids = [f"E{i}" for i in range(number, number + count) if f"E{i}" in known]
                number += count
            failed = " -> failed:" in outcome or " -> error:" in outcome
            calls.append(
                ToolCall(
                    step=step.number,
                    tool=action.tool,
                    args=dict(action.args),
                    why=action.why,
                    outcome=outcome.removeprefix(label + " -> "),
                    evidence_ids=ids,
                    failed=failed,
                )
            )
    return calls


def _stop(steps: list[Step], budget: str | None) -> tuple[str | None, int | None]:
    """Where a budget ended the run: the last step that names it, else the last step before drafting."""
    if not budget or not steps:
        return None, None
    for step in reversed(steps):
        if budget in step.thoughts:
            return step.node, step.number
    drafts = [i for i, s in enumerate(steps) if s.node == "draft"]
    last = steps[drafts[0] - 1] if drafts and drafts[0] > 0 else steps[-1]
    return last.node, last.number
