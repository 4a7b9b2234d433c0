"""The describe graph: plan -> research -> reflect (loop) -> draft -> critic (-> revise) -> finish."""

from __future__ import annotations

import logging
import time
from typing import Any, Literal

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from seamline.agents import analyst, drafter, planner
from seamline.agents.critic import EMPTY_WARNING, check, details_from_evidence, missing_categories
from seamline.agents.lexicon import disputed_details
from seamline.agents.researcher import name_evidence, run_actions
from seamline.agents.writer import compose
from seamline.graphs.budget import exceeded
from seamline.graphs.context import RunContext
from seamline.graphs.state import InputState, OutputState, State
from seamline.llm.base import model_info
from seamline.results import Action, CheckResult, DescribeResult, DraftModel, RunStatus, Step, Usage

log = logging.getLogger(__name__)


def _step(state: State, node: str, started: float, **fields: Any) -> Step:
    return Step(number=len(state.steps) + 1, node=node, duration_s=time.monotonic() - started, **fields)


# --- nodes ------------------------------------------------------------------------------------------


def plan(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Decide the next lookups: the LLM when it can plan, else (or when its reply fails) the fixed policy."""
    ctx = runtime.context
    t0 = time.monotonic()
    ctx.emit("node", node="plan", turn=state.turns + 1)
    update: dict[str, Any] = {"turns": state.turns + 1}
    if state.turns == 0 and not any(e.source == "name" for e in state.evidence):
        update["evidence"] = [name_evidence(state.product)]
    ctx.preload()  # the drafter's model loads while research runs
    budget = exceeded(state, ctx)
    if budget is not None:
        step = _step(state, "plan", t0, thoughts=f"Budget {budget} is used up; drafting with what I have.")
        return {"stopped_by": budget, "pending": [], "steps": [step]}

    tools = ctx.toolbox.names
    evidence = state.evidence or [name_evidence(state.product)]
    gaps = state.gaps if state.turns else missing_categories(state.product, evidence)
    last_errors = [s.error for s in state.steps[-2:] if s.error]
    error: str | None = None
    usage = Usage()
    result: planner.PlanOutput | None = None
    planner_llm = ctx.planner_llm()
    if planner_llm is None and state.turns == 0 and getattr(ctx.toolbox, "extra_names", None):
        unused = ", ".join(ctx.toolbox.extra_names)
        update["warnings"] = [
            f"the tools you added ({unused}) are offered only to a planner that can plan; this model "
            "cannot, so the fixed policy planned and did not call them"
        ]
    if planner_llm is not None:
        user = _plan_user(state, ctx, gaps, last_errors)
        result, usage, errors = planner.llm_plan(
            ctx.llm,
            ctx.params(temperature=0.0, max_new_tokens=400),
            tool_descriptions=ctx.toolbox.describe(),
            tools=tools,
            user=user,
        )
        error = "; ".join(errors) or None
    done = set(state.done_actions)
    warnings: list[str] = []
    if result is not None:
        repeats = [a for a in result.actions if planner.signature(a) in done]
        warnings = [f"refused repeated action {planner.signature(a)}" for a in repeats]
        if repeats and len(repeats) == len(result.actions):
            result = None  # every proposed action is a repeat: replan with the policy, as a watchdog would
    if result is None:
        result = planner.deterministic_plan(
            product=state.product,
            task=state.task,
            turn=state.turns,
            tools=tools,
            evidence=evidence,
            gaps=gaps,
            done=state.done_actions,
            failed=state.failed_sources,
        )
    fresh = [a for a in result.actions if planner.signature(a) not in done]
    if planner_llm is not None:
        # The fixed policy plans them itself; a model's plan gets the lookups of the values the evidence
        # states too, which the writer's general sentence needs.
        planned = {planner.signature(a) for a in fresh}
        fresh += [
            a
            for a in planner.knowledge_actions(state.product, evidence, tools, state.done_actions)
            if planner.signature(a) not in planned
        ]
    step = planner.plan_step(len(state.steps) + 1, result, error=error, usage=usage)
    step.duration_s = time.monotonic() - t0
    ctx.emit("step", step=step)
    warnings = update.pop("warnings", []) + warnings
    return {**update, "pending": fresh, "steps": [step], "usage": usage, "warnings": warnings}


def _plan_user(state: State, ctx: RunContext, gaps: list[str], errors: list[str]) -> str:
    from seamline.agents import prompts

    return prompts.render(
        prompts.PLAN_USER,
        task=state.task,
        product=state.product,
        turn=state.turns + 1,
        max_turns=ctx.settings.max_steps,
        calls_left=max(0, ctx.settings.max_tool_calls - state.tool_calls),
        evidence=prompts.format_evidence(state.evidence, max_chars=1200, per_item=200),
        gaps=", ".join(gaps) or "none",
        done=", ".join(state.done_actions) or "none",
        feedback=("Errors last turn: " + "; ".join(errors)) if errors else "",
    )


def research(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Run the planned lookups within the tool-call budget, asking first when --approve is on."""
    ctx = runtime.context
    t0 = time.monotonic()
    ctx.emit("node", node="research", actions=len(state.pending))
    room = max(0, ctx.settings.max_tool_calls - state.tool_calls)
    actions: list[Action] = list(state.pending[:room])
    stopped_by = "max_tool_calls" if len(state.pending) > room else None
    asked = list(actions)  # a refused call is done too: the user is not asked it again
    if ctx.approve:
        # interrupt() re-runs this node on resume; answers are matched to the calls in order.
        approved = []
        for action in actions:
            answer = interrupt({"tool": action.tool, "args": action.args, "why": action.why})
            if answer in (True, "y", "yes"):
                approved.append(action)
        actions = approved
    outcome = run_actions(
        state.product, actions, ctx.toolbox.call, existing=state.evidence, tools=ctx.toolbox.names
    )
    step = _step(
        state,
        "research",
        t0,
        actions=actions,
        observations=outcome.observations,
        error="; ".join(outcome.errors) or None,
    )
    ctx.emit("step", step=step, evidence=outcome.evidence)
    update: dict[str, Any] = {
        "evidence": outcome.evidence,
        "steps": [step],
        "pending": [],
        "tool_calls": state.tool_calls + outcome.calls,
        "done_actions": [planner.signature(a) for a in asked],
        "warnings": outcome.warnings,
        "failed_sources": outcome.failed_sources,
        "dropped_instructions": outcome.dropped,
        "timings": {"research": time.monotonic() - t0},
    }
    if stopped_by:
        update["stopped_by"] = stopped_by
    return update


def reflect(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Find the attribute categories the product type needs that the evidence still lacks."""
    ctx = runtime.context
    t0 = time.monotonic()
    gaps = missing_categories(state.product, state.evidence)
    budget = exceeded(state, ctx)
    if not gaps:
        verdict = "Every category the product type needs has product evidence."
    elif budget:
        verdict = f"Gaps remain ({', '.join(gaps)}) but budget {budget} is used up."
    else:
        verdict = f"Gaps remain: {', '.join(gaps)}; planning targeted lookups."
    step = _step(state, "reflect", t0, thoughts=verdict, observations=[f"gaps: {', '.join(gaps) or 'none'}"])
    ctx.emit("step", step=step)
    update: dict[str, Any] = {"gaps": gaps, "steps": [step]}
    if gaps and budget and not state.stopped_by:
        update["stopped_by"] = budget
    return update


def draft(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Write the description from the evidence (or revise it once, told what the critic removed)."""
    ctx = runtime.context
    t0 = time.monotonic()
    revising = state.checked is not None
    ctx.emit("node", node="revise" if revising else "draft")
    if ctx.elapsed() >= ctx.settings.timeout or state.usage.total >= ctx.settings.max_tokens:
        budget = "timeout" if ctx.elapsed() >= ctx.settings.timeout else "max_tokens"
        step = _step(state, "draft", t0, thoughts=f"Budget {budget} is used up; no LLM draft.")
        return {"steps": [step], "stopped_by": state.stopped_by or budget}
    load_started = time.monotonic()
    llm = ctx.llm
    load_s = time.monotonic() - load_started
    gen_started = time.monotonic()
    on_token = (lambda piece: ctx.emit("token", text=piece)) if ctx.stream else None
    if revising and state.checked is not None:
        removed = [c.text for c in state.checked.removed]
        text, usage = drafter.revise(
            llm,
            ctx.params(),
            state.product,
            state.evidence,
            state.checked.description,
            removed,
            on_token=on_token,
        )
    else:
        text, usage = drafter.draft(llm, ctx.params(), state.product, state.evidence, on_token=on_token)
    gen_s = time.monotonic() - gen_started
    step = _step(state, "draft", t0, thoughts="Revised draft." if revising else "First draft.", usage=usage)
    step.observations = [text]
    ctx.emit("step", step=step)
    update: dict[str, Any] = {
        "draft": text,
        "steps": [step],
        "usage": usage,
        "timings": {"model_load": load_s, "generate": gen_s},
    }
    if revising:
        update["revisions"] = state.revisions + 1
    else:
        update["first_draft"] = text
    return update


def critic(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Judge every claim in the draft against the evidence and strip the unsupported ones."""
    ctx = runtime.context
    t0 = time.monotonic()
    ctx.emit("node", node="critic")
    result = check(state.draft, state.evidence, product=state.product)
    step = _step(
        state,
        "critic",
        t0,
        thoughts=f"{len(result.claims)} claim(s) supported, {len(result.removed)} removed.",
        observations=[f"removed {c.category} '{c.text}': {c.verdict}" for c in result.removed],
    )
    ctx.emit("step", step=step, checked=result)
    return {"checked": result, "steps": [step], "timings": {"critic": time.monotonic() - t0}}


def analyse(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Compare the product with the competitor listings found (compare task)."""
    ctx = runtime.context
    t0 = time.monotonic()
    ctx.emit("node", node="analyse")
    details = details_from_evidence(state.product, state.evidence)
    comparisons = analyst.compare(state.product, details, state.evidence)
    text = analyst.summary(state.product, comparisons)
    step = _step(state, "analyse", t0, thoughts=text)
    ctx.emit("step", step=step)
    return {"steps": [step], "comparisons": comparisons, "analysis": text}


def finish(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Assemble the result: final prose, details from evidence, the claim ledger, the step log."""
    ctx = runtime.context
    t0 = time.monotonic()
    details = details_from_evidence(state.product, state.evidence)
    checked = state.checked
    cleaned = checked.description if checked else ""
    composed = compose(state.product, cleaned, details, state.evidence, draft=state.draft)
    # The lead sentence is computed from details, so it should pass; the critic checks it all the same.
    final = check(composed, state.evidence, product=state.product) if composed != cleaned else checked
    description = final.description if final else composed
    stopped = state.stopped_by
    status = RunStatus(
        state="stopped" if stopped else "complete",
        stopped_by=stopped,
        failed_sources=sorted(set(state.failed_sources)),
        message=f"stopped by budget {stopped}; this is the best result so far" if stopped else "",
        dropped_instructions=state.dropped_instructions,
    )
    result = DescribeResult(
        run_id=ctx.run_id,
        product=state.product,
        description=description,
        draft=state.first_draft,
        details=details,
        disputed=disputed_details(state.product, state.evidence),
        claims=final.claims if final else [],
        removed=checked.removed if checked else [],
        evidence=state.evidence,
        competitors=state.comparisons,
        analysis=state.analysis,
        steps=state.steps,
        timings={**state.timings, "finish": time.monotonic() - t0},
        usage=state.usage,
        warnings=state.warnings + _draft_warnings(checked, description),
        status=status,
        model=_draft_model(ctx),
    )
    ctx.emit("finish", result=result)
    return {"result": result}


def _draft_model(ctx: RunContext) -> DraftModel | None:
    """Which model drafted, when one was loaded."""
    if not ctx.llm_loaded:
        return None
    info = model_info(ctx.llm)
    return DraftModel(
        name=info.name, backend=info.backend, adapter=info.adapter, prompt=info.prompt_format or "few-shot"
    )


def _draft_warnings(checked: CheckResult | None, description: str) -> list[str]:
    """The critic's warnings about the draft, worded for the result (whose text is the final one)."""
    if checked is None:
        return []
    out = []
    for warning in checked.warnings:
        if warning == EMPTY_WARNING:
            warning = (
                "the model's draft was empty; the description comes from the evidence alone"
                if description
                else "the model's draft was empty and the evidence states nothing to describe"
            )
        out.append(warning)
    return out


# --- routers ----------------------------------------------------------------------------------------


def after_plan(state: State) -> Literal["research", "draft"]:
    """Research when there is something to look up; otherwise draft."""
    return "research" if state.pending else "draft"


def after_reflect(state: State, runtime: Runtime[RunContext]) -> Literal["plan", "draft"]:
    """Loop back to planning while gaps remain, or values the evidence states are still to be looked up."""
    if state.stopped_by or exceeded(state, runtime.context):
        return "draft"
    if not state.gaps:
        tools = runtime.context.toolbox.names
        unlooked = planner.knowledge_actions(state.product, state.evidence, tools, state.done_actions)
        return "plan" if unlooked else "draft"
    # No new lookups would be planned: the deterministic policy has nothing left that is not a repeat.
    return "plan"


def after_critic(state: State, runtime: Runtime[RunContext]) -> Literal["draft", "analyse", "finish"]:
    """Revise once when --revise is on and the critic removed something; then analyse or finish."""
    ctx = runtime.context
    if ctx.settings.revise and state.revisions == 0 and state.checked and state.checked.removed:
        if exceeded(state, ctx) not in ("timeout", "max_tokens"):
            return "draft"
    return "analyse" if state.task == "compete" else "finish"


# --- the graph --------------------------------------------------------------------------------------

builder = StateGraph(State, context_schema=RunContext, input_schema=InputState, output_schema=OutputState)
builder.add_node(plan)
builder.add_node(research)
builder.add_node(reflect)
builder.add_node(draft)
builder.add_node(critic)
builder.add_node(analyse)
builder.add_node(finish)
builder.add_edge(START, "plan")
builder.add_conditional_edges("plan", after_plan)
builder.add_edge("research", "reflect")
builder.add_conditional_edges("reflect", after_reflect)
builder.add_edge("draft", "critic")
builder.add_conditional_edges("critic", after_critic)
builder.add_edge("analyse", "finish")
builder.add_edge("finish", END)
graph = builder.compile(name="describe")
"""The describe graph for LangGraph's tooling (``langgraph.json``); ``Agent`` compiles its own with the run
store as checkpointer. Invoke it with a ``RunContext`` or a dict of its fields (``{}`` builds one from the
settings): ``graph.invoke({"product": "..."}, context={})``."""
