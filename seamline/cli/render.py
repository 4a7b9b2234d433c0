"""Human-readable output of results and live narration of steps (stdout: results; stderr: progress)."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.status import Status

from seamline.cli.common import err, out
from seamline.results import DescribeResult, Step

_NODE_WORDS = {
    "plan": "planning lookups",
    "research": "running lookups",
    "reflect": "checking what is still missing",
    "draft": "drafting with the model (the first run loads it)",
    "revise": "revising the draft",
    "critic": "checking every claim against the evidence",
    "market": "choosing the competitors",
    "analyse": "comparing attributes and prices",
    "summarise": "summarising the tables with the model (the first run loads it)",
}


class Narrator:
    """Shows a spinner while the agent works; with verbose, narrates every step as it is recorded."""

    def __init__(self, *, verbose: bool, enabled: bool = True) -> None:
        self.verbose = verbose
        self.status: Status | None = Status("starting", console=err) if enabled else None

    def __enter__(self) -> Narrator:
        if self.status is not None:
            self.status.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.status is not None:
            self.status.stop()

    def __call__(self, event: str, payload: dict[str, Any]) -> None:
        """Receive an event from the running graph."""
        if event == "node" and self.status is not None:
            node = payload.get("node", "")
            self.status.update(f"{node}: {_NODE_WORDS.get(node, node)}")
        elif event == "token":
            if self.status is not None:
                self.status.stop()  # the spinner and the streamed text would share one line
                self.status = None
            err.out(payload["text"], end="", highlight=False)
        elif event == "step":
            if payload["step"].node == "draft" and self.status is None:
                err.print()  # end the streamed draft's line
            if self.verbose:
                narrate_step(payload["step"])


def narrate_step(step: Step) -> None:
    """One step as a few lines on stderr."""
    err.print(f"[bold cyan]step {step.number} · {step.node}[/] [dim]({step.duration_s:.2f}s)[/]")
    if step.thoughts:
        err.print(f"  thoughts: {escape(step.thoughts)}")
    if step.criticism:
        err.print(f"  criticism: {escape(step.criticism)}")
    for action in step.actions:
        args = ", ".join(f"{k}={v!r}" for k, v in action.args.items())
        why = f" [dim]- {escape(action.why)}[/]" if action.why else ""
        err.print(f"  action: {action.tool}({escape(args)}){why}")
    for obs in step.observations:
        err.print(f"  observed: {escape(obs[:300])}")
    if step.error:
        err.print(f"  [yellow]error shown to the planner:[/] {escape(step.error)}")


def print_result(result: DescribeResult) -> None:
    """The description, details, kept and removed claims, and status, for a person."""
    out.print(f"[bold]{escape(result.product)}[/]\n")
    out.print(escape(result.description) + "\n")
    if result.details:
        out.print("[bold]Details[/] (from evidence)")
        for d in result.details:
            ids = escape(f"[{', '.join(d.evidence_ids)}]")
            out.print(f"  {escape(d.attribute)}: {escape(d.value)}  [dim]{ids}[/]")
        out.print()
    out.print(f"[bold]Claims kept[/] ({len(result.claims)})")
    for c in result.claims:
        kind = ", general" if c.kind == "general" else ""
        out.print(f"  [green]✓[/] {escape(c.text)} [dim]({c.category}{kind}; {', '.join(c.evidence_ids)})[/]")
    out.print(f"[bold]Claims removed[/] ({len(result.removed)})")
    for c in result.removed:
        why = f" - {escape(c.reason)}" if c.reason else ""
        out.print(f"  [red]✗[/] {escape(c.text)} [dim]({c.category}; {c.verdict}{why})[/]")
    if result.analysis:
        out.print(f"\n[bold]Competitors[/]\n{escape(result.analysis)}")
    out.print(f"\n[bold]Evidence[/] ({len(result.evidence)})")
    for e in result.evidence:
        tag = "product" if e.about_product else "general"
        where = f" {e.url}" if e.url else ""
        out.print(f"  {escape(f'[{e.id}]')} {e.source}/{tag}: {escape(e.title[:70])}[dim]{escape(where)}[/]")
    status = result.status
    line = f"status: {status.state}"
    if status.stopped_by:
        line += f" (stopped by {status.stopped_by})"
    if status.failed_sources:
        line += f"; failed sources: {', '.join(status.failed_sources)}"
    total = result.timings.get("total")
    out.print(f"\n[dim]{line}; run {result.run_id}" + (f"; {total:.1f}s" if total else "") + "[/]")
    for w in result.warnings:
        err.print(f"[yellow]warning:[/] {escape(w)}")
