"""The planner: AutoGPT-style turns (thoughts, plan, self-criticism, actions) within budgets.

With a model that can plan, the LLM proposes actions as structured output validated by pydantic; output
that does not parse is shown to the model once with the error, then the deterministic policy plans that
turn. With the embedded default model the deterministic policy always plans.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence

from pydantic import BaseModel, Field, ValidationError

from seamline.agents import prompts
from seamline.llm.base import LLM, GenerationParams, Message
from seamline.results import Action, Evidence, Step, Usage

log = logging.getLogger(__name__)

MAX_GAP_LOOKUPS = 3
"""Targeted lookups per turn for attribute categories still without evidence."""


class PlanOutput(BaseModel):
    """What the LLM planner must return."""

    thoughts: str = Field(description="What you know so far and what is missing.")
    reasoning: str = Field("", description="Why the next actions fill the gaps.")
    plan: list[str] = Field(default_factory=list, description="Short bullet plan.")
    criticism: str = Field("", description="Self-criticism of the plan.")
    actions: list[Action] = Field(default_factory=list, description="Tool calls to make now; empty to stop.")


GAP_QUERIES = {"material": "fabric composition", "neck": "neckline", "care": "wash care"}
"""How a targeted lookup words each attribute category."""


def knowledge_actions(
    product: str, evidence: Sequence[Evidence], tools: Sequence[str], done: Sequence[str] = ()
) -> list[Action]:
    """Knowledge lookups for the fabric and construction values the product evidence states, not yet made.

    The query is the value itself ("cotton", "mandarin collar"), never the raw name: an entry about a
    value the evidence states is what a general sentence may explain (``agents.general``).
    """
    from seamline.agents.general import lookup_values

    if "lookup_knowledge" not in tools:
        return []
    actions = [
        Action(tool="lookup_knowledge", args={"query": value, "k": 3}, why=f"what the {category} {value} is")
        for category, value in lookup_values(product, evidence)
    ]
    return [a for a in actions if signature(a) not in set(done)]


def signature(action: Action) -> str:
    """Tool plus sorted arguments: two actions with one signature are the same action."""
    return action.tool + json.dumps(action.args, sort_keys=True, default=str)


def deterministic_plan(
    *,
    product: str,
    task: str,
    turn: int,
    tools: Sequence[str],
    evidence: Sequence[Evidence],
    gaps: Sequence[str],
    done: Sequence[str],
    failed: Sequence[str] = (),
) -> PlanOutput:
    """The fixed policy: the product's own page first, then targeted lookups; knowledge for what it states.

    A tool that failed earlier in the run (the web with no network) is not tried again.
    """
    tools = [
        t for t in tools if t not in set(failed) and not (t == "search_web" and "search_product" in failed)
    ]
    actions: list[Action] = []
    if turn == 0:
        if "search_product" in tools:
            actions.append(
                Action(tool="search_product", args={"product": product, "k": 5}, why="the product's own page")
            )
        if task == "compete" and "find_competitors" in tools:
            actions.append(
                Action(tool="find_competitors", args={"product": product, "k": 5}, why="competitor listings")
            )
        thoughts = "First turn: look for the product's own page or record; look up what its name states."
    else:
        # A product page known only as a search snippet is worth fetching in full.
        if "fetch_page" in tools:
            for item in evidence:
                if item.about_product and item.source == "web" and item.url:
                    actions.append(
                        Action(tool="fetch_page", args={"url": item.url}, why="full text of the product page")
                    )
        # Targeted lookups need a search that can find new pages; a local index holds one record per
        # product, which the first turn already found.
        if "search_web" in tools:
            for gap in gaps[:MAX_GAP_LOOKUPS]:
                actions.append(
                    Action(
                        tool="search_web",
                        args={"query": f"{product} {GAP_QUERIES.get(gap, gap)}", "k": 3},
                        why=f"no product evidence states the {gap} yet",
                    )
                )
        thoughts = (
            f"Still without product evidence: {', '.join(gaps)}." if gaps else "No gaps are left to fill."
        )
    # Knowledge for what the evidence states so far: the name's values now, a record's once it is found.
    actions += knowledge_actions(product, evidence, tools, done)
    fresh = [a for a in actions if signature(a) not in set(done)]
    return PlanOutput(
        thoughts=thoughts,
        reasoning="Deterministic policy: product evidence first, then targeted lookups for the gaps.",
        plan=[f"{a.tool}({', '.join(f'{k}={v!r}' for k, v in a.args.items())})" for a in fresh],
        criticism="" if fresh else "Nothing new to look up; further lookups would repeat earlier ones.",
        actions=fresh,
    )


def _extract_json(text: str) -> str:
    """The first {...} block of a reply; models often wrap JSON in prose or code fences."""
    match = re.search(r"\{.*\}", text, re.DOTALL)
    if match is None:
        raise ValueError("the reply contains no JSON object")
    return match.group(0)


def validate_plan(text: str, tools: Sequence[str]) -> PlanOutput:
    """Parse and check an LLM plan; raise ValueError with a message meant for the model."""
    try:
        plan = PlanOutput.model_validate_json(_extract_json(text))
    except (ValidationError, ValueError) as exc:
        raise ValueError(f"the reply is not valid JSON for the schema ({str(exc).splitlines()[0]})") from exc
    unknown = [a.tool for a in plan.actions if a.tool not in tools]
    if unknown:
        raise ValueError(f"unknown tool(s) {', '.join(unknown)}; valid tools are: {', '.join(tools)}")
    return plan


def llm_plan(
    llm: LLM,
    params: GenerationParams,
    *,
    tool_descriptions: str,
    tools: Sequence[str],
    user: str,
) -> tuple[PlanOutput | None, Usage, list[str]]:
    """Ask the LLM for a plan, showing it the error once on a bad reply; returns (plan, usage, errors)."""
    system = prompts.render(
        prompts.PLAN_SYSTEM,
        tools=tool_descriptions,
        schema=json.dumps(PlanOutput.model_json_schema()),
    )
    messages: list[Message] = [{"role": "system", "content": system}, {"role": "user", "content": user}]
    usage = Usage()
    errors: list[str] = []
    for _attempt in range(2):
        reply = llm.generate(messages, params)
        usage = usage + Usage(prompt_tokens=reply.prompt_tokens, completion_tokens=reply.completion_tokens)
        try:
            return validate_plan(reply.text, tools), usage, errors
        except ValueError as exc:
            errors.append(str(exc))
            log.info("plan reply rejected: %s", exc)
            messages = [
                *messages,
                {"role": "assistant", "content": reply.text},
                {"role": "user", "content": prompts.render(prompts.PLAN_FEEDBACK, error=str(exc))},
            ]
    return None, usage, errors


def plan_step(number: int, plan: PlanOutput, *, error: str | None, usage: Usage) -> Step:
    """Record a planning turn."""
    return Step(
        number=number,
        node="plan",
        thoughts=plan.thoughts,
        reasoning=plan.reasoning,
        plan=plan.plan,
        criticism=plan.criticism,
        actions=plan.actions,
        error=error,
        usage=usage,
    )
