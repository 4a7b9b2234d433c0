"""`agent compete PRODUCT`: a competitor analysis as Markdown, JSON or a self-contained HTML page."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from seamline.cli.common import JsonOpt, VerboseOpt, err, errors_to_exit, print_json, setup_logging
from seamline.cli.options import (
    AdapterOpt,
    BackendOpt,
    EndpointOpt,
    KnowledgeOpt,
    MaxTokensOpt,
    ModelOpt,
    SearchOpt,
    SeedOpt,
    StreamOpt,
    TempOpt,
    TimeoutOpt,
    TopPOpt,
    setting_overrides,
)
from seamline.errors import OutputError, UsageError

CatalogOpt = Annotated[
    Path | None,
    typer.Option(
        "--catalog",
        help="Competitor listings as CSV or JSONL (gzip allowed), e.g. an export of rival listings; without "
        "it competitors come from --search (a local index or the web).",
    ),
]
TopOpt = Annotated[int, typer.Option("--top", help="How many competitors to keep.")]
CurrencyOpt = Annotated[
    str | None,
    typer.Option(help="The currency of catalog prices that name none (e.g. INR); never converted."),
]
HtmlOpt = Annotated[
    Path | None,
    typer.Option("--html", help="Also write the report as one self-contained HTML file (table and chart)."),
]


def writable(path: Path) -> None:
    """Refuse, before any work is done, an output path that cannot be written (OutputError: exit 1)."""
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a directory; give a file name")
    parent = path.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {path}: {parent} is not a writable directory")


def write_report(path: Path, text: str) -> None:
    """Write atomically: a failure leaves no half-written file and is one line, exit 1."""
    from seamline.graphs.visualize import write_atomic

    try:
        write_atomic(path, text)
    except UsageError as exc:
        raise OutputError(str(exc)) from None


def competitor_analysis(
    product: str,
    *,
    catalog: Path | None,
    top: int,
    currency: str | None,
    json_out: bool,
    html: Path | None,
    verbose: bool,
    stream: bool,
    overrides: dict[str, Any],
) -> None:
    """Run one competitor analysis and print it (the `compete` and `run` commands share this)."""
    from seamline.api import Agent
    from seamline.cli.render import Narrator

    setup_logging(verbose)
    with errors_to_exit(verbose):
        if html is not None:
            writable(html)
        with Agent(**overrides) as agent, Narrator(verbose=verbose) as narrator:
            report = agent.compete(
                product, catalog=catalog, top=top, currency=currency, on_event=narrator, stream=stream
            )
        if html is not None:
            write_report(html, report.to_html())
        if json_out:
            print_json(report)
        else:
            sys.stdout.write(report.to_markdown())
            sys.stdout.flush()
        if html is not None:
            err.print(f"wrote {html}")
        for warning in report.warnings:
            err.print(f"[yellow]warning:[/] {warning}", highlight=False)


def compete(
    product: Annotated[str, typer.Argument(help="The product, e.g. 'Nike Men Navy Blue T-Shirts'.")],
    catalog: CatalogOpt = None,
    top: TopOpt = 10,
    currency: CurrencyOpt = None,
    json_out: JsonOpt = False,
    html: HtmlOpt = None,
    search: SearchOpt = None,
    knowledge: KnowledgeOpt = None,
    model: ModelOpt = None,
    backend: BackendOpt = None,
    adapter: AdapterOpt = None,
    endpoint: EndpointOpt = None,
    temperature: TempOpt = None,
    top_p: TopPOpt = None,
    seed: SeedOpt = None,
    timeout: TimeoutOpt = None,
    max_tokens: MaxTokensOpt = None,
    stream: StreamOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Analyse a product's competitors, with a short summary checked against the computed tables.

    The report: the market, an attribute matrix, gaps in your listing, price position and claims not to
    copy. The same as agent run "competitor analysis for PRODUCT". Exit codes: 0 a report (also when no
    competitors are found), 1 an output file cannot be written or a run failed, 2 bad input.
    """
    options = {**locals(), "max_steps": None, "max_tool_calls": None, "revise": None}
    competitor_analysis(
        product,
        catalog=catalog,
        top=top,
        currency=currency,
        json_out=json_out,
        html=html,
        verbose=verbose,
        stream=stream,
        overrides=setting_overrides(options),
    )
