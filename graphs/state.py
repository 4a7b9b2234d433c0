"""State schemas of the describe and competitor graphs: input, working state, output."""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from seamline.results import (
    Action,
    CheckResult,
    Comparison,
    DescribeResult,
    DroppedOrder,
    Evidence,
    Step,
    Usage,
)


def merge_evidence(left: list[Evidence], right: list[Evidence]) -> list[Evidence]:
    """Append new evidence, dropping items whose source, url and text are already present."""
    seen = {(e.source, e.url, e.text) for e in left}
    merged = list(left)
    for item in right:
        key = (item.source, item.url, item.text)
        if key not in seen:
            seen.add(key)
            merged.append(item)
    return merged


def merge_timings(left: dict[str, float], right: dict[str, float]) -> dict[str, float]:
    """Add up seconds per phase."""
    out = dict(left)
    for key, value in right.items():
        out[key] = out.get(key, 0.0) + value
    return out


def add_usage(left: Usage, right: Usage) -> Usage:
    """Add up token usage."""
    return left + right


@dataclass(kw_only=True)
class InputState:
    """What a run starts from."""

    product: str
    """The product name, as the user gave it (trimmed)."""

    task: Literal["describe", "compete"] = "describe"
    """Describe the product, or also compare it with competitor listings."""

    options: dict[str, Any] = field(default_factory=dict)
    """The run's options (model, search, budgets), kept so a resumed run uses the same ones."""


@dataclass(kw_only=True)
class State(InputState):
    """The working state, checkpointed after every node."""

    evidence: Annotated[list[Evidence], merge_evidence] = field(default_factory=list)
    """Every evidence item found so far, with stable ids."""

    steps: Annotated[list[Step], operator.add] = field(default_factory=list)
    """The step log: one entry per plan, research, reflect, draft and critic turn."""

    pending: list[Action] = field(default_factory=list)
    """Actions the planner chose that research has not run yet."""

    dropped_instructions: Annotated[list[DroppedOrder], operator.add] = field(default_factory=list)
    """Evidence sentences dropped as orders (never read as facts), for the result's status."""

    done_actions: Annotated[list[str], operator.add] = field(default_factory=list)
    """Signatures (tool + arguments) of actions already run; a repeat is refused."""

    turns: int = 0
    """Planning turns taken."""

    tool_calls: int = 0
    """Tool calls made."""

    gaps: list[str] = field(default_factory=list)
    """Attribute categories the product type needs that product evidence does not state yet."""

    draft: str = ""
    """The drafter's latest text."""

    first_draft: str = ""
    """The first draft, before any revision."""

    checked: CheckResult | None = None
    """The critic's verdict on the latest draft."""

    revisions: int = 0
    """How many times the draft went back to the drafter."""

    comparisons: list[Comparison] = field(default_factory=list)
    """The product against each competitor listing (compete task only)."""

    analysis: str = ""
    """The competitor analysis (compete task only)."""

    usage: Annotated[Usage, add_usage] = field(default_factory=Usage)
    """LLM tokens used."""

    warnings: Annotated[list[str], operator.add] = field(default_factory=list)
    """Things that went wrong without stopping the run (a failed source, a refused action)."""

    failed_sources: Annotated[list[str], operator.add] = field(default_factory=list)
    """Sources that failed during research."""

    stopped_by: str | None = None
    """The budget that stopped the run, if one did."""

    timings: Annotated[dict[str, float], merge_timings] = field(default_factory=dict)
    """Seconds per phase."""


@dataclass(kw_only=True)
class OutputState:
    """What a finished run returns."""

    result: DescribeResult | None = None
    """The final result."""
