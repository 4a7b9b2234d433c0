"""`agent batch`: describe a catalog, one JSON line per product, resumable."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from seamline.cli.common import (
    JsonOpt,
    VerboseOpt,
    err,
    errors_to_exit,
    out,
    print_json,
    progress_bar,
    setup_logging,
)
from seamline.cli.compete import CatalogOpt, CurrencyOpt, TopOpt
from seamline.cli.options import (
    AdapterOpt,
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
    TempOpt,
    TimeoutOpt,
    TopPOpt,
    setting_overrides,
)
from seamline.errors import UsageError


def batch(
    products: Annotated[
        Path,
        typer.Argument(
            help="A text file with one product name a line, or a CSV/JSONL catalog (a name column such as "
            "productDisplayName or name, and an optional id column).",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="JSONL results, one line per product; rerunning skips the ones it holds."
        ),
    ],
    shard: Annotated[
        str | None,
        typer.Option(help="K/N: take every N-th product from the K-th, to split across processes."),
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N products (of the shard).")] = None,
    batch_size: Annotated[
        int | None,
        typer.Option(
            "--batch-size",
            help="Drafts decoded together (default: measured per backend; 1 decodes one at a time).",
            show_default=False,
        ),
    ] = None,
    ray: Annotated[
        str | None,
        typer.Option(
            "--ray",
            help="Run the shards as Ray tasks: 'local' starts Ray here, else a cluster address "
            "(auto, ray://HOST:10001). Needs the ray extra.",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            help="With --ray: shards, one task each (default: the cluster's CPUs).", show_default=False
        ),
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Skip rows without a usable name instead of stopping.")
    ] = False,
    restart: Annotated[
        bool, typer.Option("--restart", help="Delete the results in --out and describe everything again.")
    ] = False,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html",
            help="Also write a report per product into this directory, and index.html listing them, "
            "most claims removed first.",
        ),
    ] = None,
    task_kind: Annotated[
        str, typer.Option("--task", help="describe, or compete: a competitor report per product.")
    ] = "describe",
    catalog: CatalogOpt = None,
    top: TopOpt = 10,
    currency: CurrencyOpt = None,
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
    verbose: VerboseOpt = False,
) -> None:
    """Describe every product of a file: results as JSONL, resumable after a crash or Ctrl-C.

    Exit codes: 0 every product described, 1 some runs failed (rerun to retry them) or the batch
    stopped on an error, 2 bad input (nothing is run), 130 interrupted (rerun to continue).
    """
    from seamline.api import Agent
    from seamline.batch import failed_lines, parse_shard

    setup_logging(verbose)
    with errors_to_exit(verbose):
        parts = parse_shard(shard)
        if task_kind == "compete" and html is not None:
            raise UsageError(
                "--html writes describe reports; for competitor reports use agent compete --html"
            )
        if html is not None and html.exists() and not html.is_dir():
            raise UsageError(f"--html {html} is a file; give a directory for the reports")
        if workers is not None and ray is None:
            raise UsageError("--workers is for --ray; without Ray, split a catalog with --shard K/N")
        if ray is not None and (parts is not None or limit is not None):
            raise UsageError("--ray splits the catalog into shards itself; drop --shard and --limit")
        agent = Agent(**setting_overrides(locals()))
        options: dict[str, Any] = {
            "skip_invalid": skip_invalid,
            "restart": restart,
            "task": task_kind,
            "compete": {"catalog": catalog, "top": top, "currency": currency},
            "batch_size": batch_size,
        }
        if ray is not None:
            from seamline.batch_ray import run_ray

            report = run_ray(agent.settings, products, output, address=ray, workers=workers, **options)
            for line in failed_lines(output)[:3]:
                err.print(f"[yellow]failed:[/] {line}")
        else:
            report = _run_here(agent, products, output, shard=parts, limit=limit, **options)
        for problem in report.invalid:
            err.print(f"[yellow]skipped:[/] {problem}")
        if json_out:
            print_json(report)
        else:
            done = "analysed" if task_kind == "compete" else "described"
            out.print(
                f"{report.described} {done}, {report.failed} failed, {report.already_done} already in "
                f"{report.output}, {len(report.invalid)} rows skipped; {report.seconds:.1f}s"
            )
        if html is not None:
            from seamline.report_batch import write_batch_reports

            pages = write_batch_reports(output, html)
            for note in pages.skipped:
                err.print(f"[yellow]no report:[/] {note}")
            (err if json_out else out).print(f"{pages.reports} reports; open {pages.index}")
        if report.failed:
            raise typer.Exit(1)


def _run_here(agent: Any, products: Path, output: Path, **options: Any) -> Any:
    """The batch in this process, with a progress bar; Ctrl-C keeps what is written."""
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn

    from seamline.batch import DONE_STATES, run_batch

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with agent, progress_bar(*columns) as bar:
        task = bar.add_task("loading", total=None)

        def started(item: Any, i: int, total: int) -> None:
            bar.update(task, completed=i, total=total, description=item.product[:40])

        def finished(item: Any, result: Any) -> None:
            bar.advance(task)
            if result.status.state not in DONE_STATES:
                err.print(f"[yellow]failed:[/] {item.product} ({item.key}): {result.status.message}")

        try:
            return run_batch(agent, products, output, on_start=started, on_done=finished, **options)
        except KeyboardInterrupt:
            err.print(f"[bold red]interrupted[/]; what is written to {output} is kept: rerun to continue")
            raise typer.Exit(130) from None
