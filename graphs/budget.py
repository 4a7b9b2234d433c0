"""Budgets: every loop is bounded by steps, tool calls, wall-clock time and tokens."""

from __future__ import annotations

from seamline.graphs.context import RunContext
from seamline.graphs.state import State


def exceeded(state: State, ctx: RunContext) -> str | None:
    """The name of the first budget the run has used up, or None."""
    s = ctx.settings
    if ctx.elapsed() >= s.timeout:
        return "timeout"
    if state.usage.total >= s.max_tokens:
        return "max_tokens"
    if state.turns >= s.max_steps:
        return "max_steps"
    if state.tool_calls >= s.max_tool_calls:
        return "max_tool_calls"
    return None


def recursion_limit(max_steps: int) -> int:
    """A LangGraph recursion limit that the bounded loop can never reach.

    Each planning turn visits plan, research and reflect; drafting, the critic, one revision and finish
    add a handful. The limit is passed explicitly because LangGraph's default is 10,000.
    """
    return 3 * max_steps + 12
