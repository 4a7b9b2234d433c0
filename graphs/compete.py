"""The competitor graph: research -> market (-> analyse -> summarise -> critic) -> finish.

research finds the product's own evidence; market chooses its competitors from a catalog, the local
index or the web; analyse computes the tables; summarise has the model draft prose from them, which
the critic checks against them; finish assembles the report. With no competitors the run goes straight
to finish, and the report says what was searched.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from seamline.agents import analyst, market_summary
from seamline.agents.lexicon import details_from_evidence
from seamline.agents.market import Candidates, product_facts, select_market
from seamline.agents.researcher import name_evidence, run_actions, without_orders
from seamline.compete_results import CompetitorReport
from seamline.errors import SearchError, UsageError
from seamline.graphs.compete_state import CompeteContext, CompeteInput, CompeteOutput, CompeteState
from seamline.llm.base import model_info
from seamline.results import Action, DraftModel, Evidence, RunStatus, Step

if TYPE_CHECKING:
    from seamline.api import Agent
    from seamline.graphs.context import EventHook

MAX_TOP = 100
POOL = 20
"""Search hits asked for when competitors come from the local index or the web (the tools' limit)."""


def _step(state: CompeteState, node: str, started: float, **fields: Any) -> Step:
    return Step(number=len(state.steps) + 1, node=node, duration_s=time.monotonic() - started, **fields)


# --- nodes ------------------------------------------------------------------------------------------


def research(state: CompeteState, runtime: Runtime[CompeteContext]) -> dict[str, Any]:
    """Find the product's own evidence: its record or page, and its row in the catalog if it has one."""
    ctx = runtime.context
    t0 = time.monotonic()
    ctx.emit("node", node="research")
    existing = [name_evidence(state.product)]
    actions = []
    if "search_product" in ctx.toolbox.names:
        args: dict[str, str | int | float | bool] = {"product": state.product, "k": 3}
        actions.append(Action(tool="search_product", args=args, why="the product's own record or page"))
    outcome = run_actions(
        state.product, actions, ctx.toolbox.call, existing=existing, tools=ctx.toolbox.names
    )
    own = [e for e in outcome.evidence if e.about_product]
    searched = [f"your product: {obs}" for obs in outcome.observations]
    if ctx.candidates is not None:
        rows = ctx.candidates.namesakes(state.product)
        catalog_rows, _orders = without_orders(
            [
                Evidence(id=f"own{i}", source="catalog", url=r.url or r.key, title=r.name, text=r.text)
                for i, r in enumerate(rows, start=1)
            ],
            ctx.toolbox.names,
        )
        own += catalog_rows
        if rows:
            searched.append(f"your product: {len(rows)} row(s) of the catalog name it ({rows[0].key})")
    if not actions and not own:
        searched.append("your product: no search source (--search local:PATH or web finds its record)")
    step = _step(
        state, "research", t0, actions=actions, observations=searched, error="; ".join(outcome.errors) or None
    )
    ctx.emit("step", step=step)
    return {
        "evidence": [*existing, *own],
        "steps": [step],
        "searched": searched,
        "warnings": outcome.warnings,
        "failed_sources": outcome.failed_sources,
        "timings": {"research": time.monotonic() - t0},
    }


def market(state: CompeteState, runtime: Runtime[CompeteContext]) -> dict[str, Any]:
    """Choose the competitors: same type and audience, other brands, a similar price; the top N kept."""
    ctx = runtime.context
    t0 = time.monotonic()
    ctx.emit("node", node="market")
    warnings: list[str] = []
    failed: list[str] = []
    candidates = ctx.candidates
    if candidates is None:
        if "find_competitors" in ctx.toolbox.names:
            source = f"find_competitors (search {ctx.settings.search})"
            try:
                hits = ctx.toolbox.call("find_competitors", product=state.product, k=POOL)
            except SearchError as exc:
                hits = []
                warnings.append(f"find_competitors failed: {exc}")
                failed.append("find_competitors")
                source += f": failed ({exc})"
            candidates = Candidates.from_evidence(hits, f"{source}: {len(hits)} listings", state.currency)
        else:
            candidates = Candidates(
                [], "no competitor source: pass --catalog PATH, or --search local:PATH or web"
            )
    facts = product_facts(state.product, state.evidence, brands=candidates.brands, currency=state.currency)
    chosen = select_market(
        facts, candidates.listings, top=state.top, searched=[*state.searched, candidates.searched]
    )
    chosen.search.skipped = list(candidates.skipped)
    chosen.search.skipped_rows = len(candidates.skipped)
    rivals = analyst.competitor_evidence(chosen.kept)
    competitors = analyst.competitors(chosen.kept, rivals)
    s = chosen.search
    thoughts = (
        f"{len(competitors)} competitor(s) kept of {s.considered} candidate(s) ({s.eligible} eligible)"
        + (f"; left out: {', '.join(f'{k} {why}' for why, k in s.excluded.items())}" if s.excluded else "")
    )
    step = _step(state, "market", t0, thoughts=thoughts, observations=[c.name for c in competitors])
    ctx.emit("step", step=step)
    return {
        "market": chosen.search,
        "rivals": rivals,
        "competitors": competitors,
        "product_details": details_from_evidence(state.product, state.evidence),
        "product_price": facts.price,
        "price_ids": facts.price_ids,
        "steps": [step],
        "warnings": warnings,
        "failed_sources": failed,
        "timings": {"market": time.monotonic() - t0},
    }


def analyse(state: CompeteState, runtime: Runtime[CompeteContext]) -> dict[str, Any]:
    """Compute the tables: the attribute matrix, the gaps, the price position, the claims not to copy."""
    ctx = runtime.context
    t0 = time.monotonic()
    ctx.emit("node", node="analyse")
    rows = analyst.matrix(state.product_details, state.competitors)
    gaps = analyst.gaps(rows)
    price = analyst.price_position(state.product_price, state.price_ids, state.competitors, rows)
    own = [e for e in state.evidence if e.about_product]
    avoid = analyst.do_not_copy(state.product, own, state.rivals)
    tables = market_summary.tables_evidence(state.product, state.market, state.competitors, rows, gaps, price)
    facts = market_summary.digest(state.competitors, rows, gaps, price, state.market.considered)
    thoughts = f"{len(rows)} attribute(s) compared, {len(gaps)} gap(s), {len(avoid)} claim(s) not to copy."
    step = _step(state, "analyse", t0, thoughts=thoughts)
    ctx.emit("step", step=step)
    return {
        "matrix": rows,
        "gaps": gaps,
        "price_position": price,
        "do_not_copy": avoid,
        "tables": tables,
        "digest": facts,
        "steps": [step],
        "timings": {"analyse": time.monotonic() - t0},
    }


def summarise(state: CompeteState, runtime: Runtime[CompeteContext]) -> dict[str, Any]:
    """The model drafts a short summary from the tables (skipped once a budget is used up)."""
    ctx = runtime.context
    t0 = time.monotonic()
    ctx.emit("node", node="summarise")
    if ctx.elapsed() >= ctx.settings.timeout or state.usage.total >= ctx.settings.max_tokens:
        budget = "timeout" if ctx.elapsed() >= ctx.settings.timeout else "max_tokens"
        step = _step(state, "summarise", t0, thoughts=f"Budget {budget} is used up; no model summary.")
        return {"steps": [step], "stopped_by": budget}
    on_token = (lambda piece: ctx.emit("token", text=piece)) if ctx.stream else None
    params = ctx.params(max_new_tokens=min(ctx.settings.max_new_tokens, 160))
    text, usage = market_summary.draft_summary(
        ctx.llm, params, state.product, state.digest, on_token=on_token
    )
    step = _step(state, "summarise", t0, thoughts="Summary drafted from the tables.", usage=usage)
    step.observations = [text]
    ctx.emit("step", step=step)
    return {"draft": text, "steps": [step], "usage": usage, "timings": {"summarise": time.monotonic() - t0}}


def critic(state: CompeteState, runtime: Runtime[CompeteContext]) -> dict[str, Any]:
    """Check the summary against the tables; where nothing of it survives, compute one from them."""
    ctx = runtime.context
    t0 = time.monotonic()
    ctx.emit("node", node="critic")
    tables, rows = state.tables, state.matrix
    checked = market_summary.check_summary(state.draft, tables, state.product, rows) if state.draft else None
    parts = (state.product, state.competitors, state.matrix, state.gaps, state.price_position)
    computed = market_summary.computed_sentences(*parts, state.market.considered)
    source = "model"
    if checked is None or not checked.description.strip():
        text = " ".join(sentence for _, sentence in computed)
        source = "computed"
    else:
        # The model's text, then the tables' sentence for each fact of the digest it leaves unsaid.
        missing = market_summary.uncovered(
            checked.description, state.matrix, state.gaps, state.price_position
        )
        added = [sentence for kind, sentence in computed if kind in missing]
        text = " ".join([checked.description, *added])
        source = "model+computed" if added else "model"
    if source != "model":
        final = market_summary.check_summary(text, tables, state.product, rows)
        removed = (checked.removed if checked else []) + final.removed
        checked = final.model_copy(update={"removed": removed, "original": state.draft})
    assert checked is not None
    step = _step(
        state,
        "critic",
        t0,
        thoughts=f"{len(checked.claims)} claim(s) supported by the tables, {len(checked.removed)} removed.",
        observations=[f"removed {c.category} '{c.text}': {c.reason}" for c in checked.removed],
    )
    ctx.emit("step", step=step)
    return {
        "checked": checked,
        "summary_source": source,
        "steps": [step],
        "timings": {"critic": time.monotonic() - t0},
    }


def finish(state: CompeteState, runtime: Runtime[CompeteContext]) -> dict[str, Any]:
    """Assemble the report."""
    ctx = runtime.context
    checked = state.checked
    summary, source = (checked.description, state.summary_source) if checked else ("", "none")
    if not state.competitors:
        summary = market_summary.computed_summary(
            state.product, [], [], [], state.price_position, state.market.considered
        )
        source = "computed"
    stopped = state.stopped_by
    report = CompetitorReport(
        run_id=ctx.run_id,
        product=state.product,
        summary=summary,
        summary_source=source,  # type: ignore[arg-type]
        draft=state.draft,
        claims=checked.claims if checked else [],
        removed=checked.removed if checked else [],
        product_details=state.product_details,
        product_price=state.product_price,
        market=state.market,
        competitors=state.competitors,
        matrix=state.matrix,
        gaps=state.gaps,
        price_position=state.price_position,
        do_not_copy=state.do_not_copy,
        evidence=[*state.evidence, *state.rivals, *state.tables],
        steps=state.steps,
        timings=dict(state.timings),
        usage=state.usage,
        warnings=state.warnings,
        status=RunStatus(
            state="stopped" if stopped else "complete",
            stopped_by=stopped,
            failed_sources=sorted(set(state.failed_sources)),
            message=f"stopped by budget {stopped}; the summary is computed from the tables"
            if stopped
            else "",
        ),
        model=_model(ctx),
    )
    ctx.emit("finish", result=report)
    return {"report": report}


def _model(ctx: CompeteContext) -> DraftModel | None:
    if not ctx.llm_loaded:
        return None
    info = model_info(ctx.llm)
    return DraftModel(
        name=info.name, backend=info.backend, adapter=info.adapter, prompt="market-summary (few-shot)"
    )


# --- routers ----------------------------------------------------------------------------------------


def after_market(state: CompeteState) -> Literal["analyse", "finish"]:
    """Analyse the competitors found; with none, the report says so."""
    return "analyse" if state.competitors else "finish"


# --- the graph --------------------------------------------------------------------------------------

builder = StateGraph(
    CompeteState, context_schema=CompeteContext, input_schema=CompeteInput, output_schema=CompeteOutput
)
builder.add_node(research)
builder.add_node(market)
builder.add_node(analyse)
builder.add_node(summarise)
builder.add_node(critic)
builder.add_node(finish)
builder.add_edge(START, "research")
builder.add_edge("research", "market")
builder.add_conditional_edges("market", after_market)
builder.add_edge("analyse", "summarise")
builder.add_edge("summarise", "critic")
builder.add_edge("critic", "finish")
builder.add_edge("finish", END)
graph = builder.compile(name="compete")


# --- running it -------------------------------------------------------------------------------------


def candidates_for(agent: Agent, catalog: str | Path, currency: str | None) -> Candidates:
    """The catalog's candidates, read once per agent (a batch compares many products with one catalog)."""
    from seamline.tools.catalog import read_catalog

    path = Path(catalog).expanduser()
    try:
        stat = path.stat()
    except OSError:
        stat = None
    key = (str(path.resolve()), stat.st_size if stat else -1, stat.st_mtime_ns if stat else -1, currency)
    cache = agent._catalogs
    if key not in cache:
        cache.clear()  # one catalog at a time: a 40k-row catalog holds its text in memory
        cache[key] = Candidates.from_catalog(read_catalog(path), currency)
    return cache[key]


def run_compete(
    agent: Agent,
    product: str,
    *,
    catalog: str | Path | None = None,
    top: int = 10,
    currency: str | None = None,
    on_event: EventHook | None = None,
    stream: bool = False,
    run_id: str | None = None,
    cancel: threading.Event | None = None,
) -> CompetitorReport:
    """Run the competitor graph for one product with the agent's settings, tools and model.

    ``cancel``, when set, stops the run as its next node starts (``Agent.stream`` left early).
    """
    from seamline.api import clean_product
    from seamline.memory.runs import new_run_id

    name = clean_product(product)
    if not isinstance(top, int) or not 1 <= top <= MAX_TOP:
        raise UsageError(f"--top must be a whole number from 1 to {MAX_TOP}, not {top!r}")
    t0 = time.monotonic()
    candidates = candidates_for(agent, catalog, currency) if catalog is not None else None
    ctx = CompeteContext(
        settings=agent.settings,
        run_id=run_id or new_run_id(),
        toolbox=agent.toolbox,
        llm_factory=lambda: agent.llm,
        _llm=agent._llm,
        on_event=on_event,
        stream=stream,
        cancel=cancel,
        candidates=candidates,
    )
    out = graph.invoke(
        {"product": name, "top": top, "currency": currency}, context=ctx, config={"recursion_limit": 20}
    )
    report: CompetitorReport = out["report"]
    report.timings["total"] = time.monotonic() - t0
    return report
