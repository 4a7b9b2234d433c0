"""The `agent` command: a thin layer over the Python API."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from seamline.cli.batch import batch as batch_command
from seamline.cli.check import check as check_command
from seamline.cli.common import JsonOpt, VerboseOpt, err, errors_to_exit, print_json, setup_logging
from seamline.cli.compete import CatalogOpt, CurrencyOpt, HtmlOpt, TopOpt, competitor_analysis
from seamline.cli.compete import compete as compete_command
from seamline.cli.evaluate import app as eval_app
from seamline.cli.finetune import app as finetune_app
from seamline.cli.knowledge import app as knowledge_app
from seamline.cli.options import (
    AdapterOpt,
    ApproveOpt,
    BackendOpt,
    EndpointOpt,
    KnowledgeOpt,
    MaxCallsOpt,
    MaxStepsOpt,
    MaxTokensOpt,
    ModelOpt,
    ReviseOpt,
    SearchOpt,
    SeedOpt,
    StreamOpt,
    TempOpt,
    TimeoutOpt,
    TopPOpt,
    setting_overrides,
)

app = typer.Typer(
    name="agent",
    help=(
        "Seamline: grounded fashion product descriptions. Every claim in the text is checked against "
        "evidence; the ones nothing supports are removed and listed."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
runs_app = typer.Typer(help="Past runs: list them, show one.", no_args_is_help=True)


def _version(value: bool) -> None:
    if value:
        from seamline import __version__
        from seamline.llm.adapters import shipped_adapter_line

        typer.echo(f"seamline {__version__}")
        typer.echo(shipped_adapter_line())
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Seamline's command line."""


def _describe(
    task: str | None,
    product: str | None,
    resume: str | None,
    json_out: bool,
    verbose: bool,
    approve: bool,
    stream: bool,
    overrides: dict[str, Any],
) -> None:
    from seamline.api import Agent, ApprovalRequired, parse_task
    from seamline.cli.render import Narrator, print_result

    setup_logging(verbose)
    with errors_to_exit(verbose):
        agent = Agent(**overrides)
        asker = _ask if approve else False
        kind, name = parse_task(task) if task is not None else ("describe", product or "")
        with agent, Narrator(verbose=verbose, enabled=not approve) as narrator:
            try:
                if resume:
                    result = agent.resume(resume, on_event=narrator, approve=asker, stream=stream)
                else:
                    result = agent.describe(name, on_event=narrator, approve=asker, stream=stream)
            except ApprovalRequired as exc:  # only when no terminal answers; keep the run resumable
                err.print(f"{exc}; resume with: agent run --resume {exc.run_id} --approve")
                raise typer.Exit(3) from None
        if json_out:
            print_json(result)
        else:
            print_result(result)
        if result.status.state == "failed":
            raise typer.Exit(1)


def _ask(request: dict[str, Any]) -> bool:
    args = ", ".join(f"{k}={v!r}" for k, v in request.get("args", {}).items())
    return typer.confirm(f"run {request.get('tool')}({args})?", default=True, err=True)


@app.command("run")
def run(
    task: Annotated[
        str | None, typer.Argument(help='The task, e.g. "describe Turtle Check Men Navy Blue Shirt".')
    ] = None,
    resume: Annotated[str | None, typer.Option(help="Continue an interrupted run by its id.")] = None,
    json_out: JsonOpt = False,
    search: SearchOpt = None,
    knowledge: KnowledgeOpt = None,
    model: ModelOpt = None,
    backend: BackendOpt = None,
    adapter: AdapterOpt = None,
    endpoint: EndpointOpt = None,
    temperature: TempOpt = None,
    top_p: TopPOpt = None,
    seed: SeedOpt = None,
    max_steps: MaxStepsOpt = None,
    max_tool_calls: MaxCallsOpt = None,
    timeout: TimeoutOpt = None,
    max_tokens: MaxTokensOpt = None,
    revise: ReviseOpt = False,
    approve: ApproveOpt = False,
    stream: StreamOpt = False,
    verbose: VerboseOpt = False,
    catalog: CatalogOpt = None,
    top: TopOpt = 10,
    currency: CurrencyOpt = None,
    html: HtmlOpt = None,
) -> None:
    """Run a task: "describe <product>" or "competitor analysis for <product>" (see agent compete)."""
    if task is None and resume is None:
        err.print(
            '[bold red]error:[/] give a task, e.g. agent run "describe Navy Blue Shirt", or --resume RUN_ID'
        )
        raise typer.Exit(2)
    overrides = setting_overrides(locals())
    if task is not None and resume is None:
        from seamline.api import parse_task

        with errors_to_exit(verbose):
            kind, name = parse_task(task)
        if kind == "compete":
            competitor_analysis(
                name,
                catalog=catalog,
                top=top,
                currency=currency,
                json_out=json_out,
                html=html,
                verbose=verbose,
                stream=stream,
                overrides=overrides,
            )
            return
    _describe(task, None, resume, json_out, verbose, approve, stream, overrides)


@app.command("describe")
def describe(
    product: Annotated[
        str, typer.Argument(help="The product name, e.g. 'Turtle Check Men Navy Blue Shirt'.")
    ],
    json_out: JsonOpt = False,
    search: SearchOpt = None,
    knowledge: KnowledgeOpt = None,
    model: ModelOpt = None,
    backend: BackendOpt = None,
    adapter: AdapterOpt = None,
    endpoint: EndpointOpt = None,
    temperature: TempOpt = None,
    top_p: TopPOpt = None,
    seed: SeedOpt = None,
    max_steps: MaxStepsOpt = None,
    max_tool_calls: MaxCallsOpt = None,
    timeout: TimeoutOpt = None,
    max_tokens: MaxTokensOpt = None,
    revise: ReviseOpt = False,
    approve: ApproveOpt = False,
    stream: StreamOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Describe one product; the same as agent run "describe PRODUCT"."""
    overrides = setting_overrides(locals())
    _describe(None, product, None, json_out, verbose, approve, stream, overrides)


@runs_app.command("list")
def runs_list(
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many runs, newest first.")] = 20,
    json_out: JsonOpt = False,
) -> None:
    """List past runs, newest first."""
    from seamline.api import Agent
    from seamline.cli.common import out

    with errors_to_exit(False), Agent() as agent:
        rows = agent.runs.list(limit)
        if json_out:
            print_json(rows)
            return
        for r in rows:
            out.print(f"{r.run_id}  {r.state:<11} {r.task:<8} {r.product}")
        if not rows:
            err.print("no runs yet")


@runs_app.command("show")
def runs_show(
    run_id: Annotated[str, typer.Argument(help="The run id, from `agent runs list`.")],
    json_out: JsonOpt = False,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html", help="Write the run's report (graph, steps, claim ledger) to this HTML file instead."
        ),
    ] = None,
) -> None:
    """Show a past run's result (or its state, if it did not finish); --html writes its report."""
    from seamline.api import Agent
    from seamline.cli.common import out
    from seamline.cli.render import print_result
    from seamline.graphs.visualize import write_atomic
    from seamline.results import DescribeResult

    with errors_to_exit(False), Agent() as agent:
        if html is not None:
            write_atomic(html, agent.run_result(run_id).to_html())
            out.print(f"wrote {html}")
            return
        summary, _options, result_json = agent.runs.get(run_id)
        if result_json:
            result = DescribeResult.model_validate_json(result_json)
            print_json(result) if json_out else print_result(result)
        elif json_out:
            print_json(summary)
        else:
            out.print(
                f"{summary.run_id}: {summary.state}, {summary.task} {summary.product!r}; "
                f"resume with: agent run --resume {summary.run_id}"
            )


@app.command("graph")
def graph(
    name: Annotated[
        str, typer.Argument(help="describe or compete (the compete task runs on the describe graph).")
    ] = "describe",
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="mermaid, ascii, dot, svg or html; html with --run (a run report)."),
    ] = None,
    run_id: Annotated[
        str | None, typer.Option("--run", help="Draw this finished run on the graph (`agent runs list`).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Draw the agent's graph, offline; with --run, what a recorded run did on it."""
    import sys

    from seamline.api import Agent
    from seamline.cli.common import out
    from seamline.graphs.visualize import write_atomic

    chosen = fmt or ("html" if run_id else "mermaid")
    with errors_to_exit(False), Agent() as agent:
        text = agent.graph(name, fmt=chosen, run_id=run_id)
        if output is not None:
            write_atomic(output, text)
        if json_out:
            shown = None if output is not None else text
            print_json({"graph": name, "format": chosen, "run_id": run_id, "output": output, "text": shown})
        elif output is not None:
            out.print(f"wrote {output}")
        else:
            sys.stdout.write(text)


app.command(
    "compete",
    help="Competitor analysis: the market, attribute matrix, gaps, price position, claims not to copy.",
)(compete_command)


# --- the other areas' commands, after run and describe so --help lists those first -------------------
app.command("batch", help="Describe every product of a file (names, CSV or JSONL) into JSONL, resumably.")(
    batch_command
)
app.add_typer(runs_app, name="runs")
app.add_typer(knowledge_app, name="knowledge", help="The fashion knowledge store: add, search, list, remove.")
app.command("check", help="Audit descriptions a catalog already has: the critic alone, on JSON or JSONL.")(
    check_command
)
app.add_typer(eval_app, name="eval", help="Measure the critic and the whole agent on the dev splits.")
app.add_typer(finetune_app, name="finetune")


def main() -> None:
    """Entry point of the `agent` command."""
    app()
