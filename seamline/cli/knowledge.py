"""``agent knowledge``: add documents to the fashion knowledge store, search it, list and remove sources."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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
from seamline.config import Settings

app = typer.Typer(
    help="The fashion knowledge store: general fashion knowledge the agent looks terms up in.",
    no_args_is_help=True,
)

KnowledgeOpt = Annotated[
    str | None,
    typer.Option("--knowledge", help="'local' (Chroma in the data directory) or chroma+http://HOST:PORT."),
]


def _open(ctx: typer.Context, knowledge: str | None):  # type: ignore[no-untyped-def]
    """Open the store named by the settings (from the parent command, if it passed them) or --knowledge."""
    from seamline.memory.knowledge import KnowledgeStore

    settings = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
    if knowledge:
        settings = settings.model_copy(update={"knowledge": knowledge})
    return KnowledgeStore.open(settings)


@app.command()
def add(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders: Markdown, text, PDF, HTML, JSONL, CSV.")
    ],
    source: Annotated[
        str | None, typer.Option("--source", help="Name of the source (default: the file or folder name).")
    ] = None,
    knowledge: KnowledgeOpt = None,
    json_out: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Add documents; chunks already in the store (same content) are skipped, so re-adding is safe."""
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn

    setup_logging(verbose)
    with errors_to_exit(verbose):
        store = _open(ctx, knowledge)
        with progress_bar(
            TextColumn("embedding"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
        ) as bar:
            task = bar.add_task("embedding", total=None)
            report = store.add(
                paths,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                source=source,
            )
        for line in report.errors:
            err.print(f"[yellow]skipped:[/] {line}", markup=True, highlight=False)
        if json_out:
            print_json(report)
        else:
            out.print(
                f"{report.files} files, {report.chunks_added} chunks added, "
                f"{report.chunks_skipped} already present, {len(report.errors)} skipped"
            )
        if report.files == 0 and report.errors:
            raise typer.Exit(1)


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="A fashion term or question, e.g. 'raglan sleeve'.")],
    k: Annotated[int, typer.Option("-k", min=1, max=50, help="How many entries to return.")] = 4,
    knowledge: KnowledgeOpt = None,
    json_out: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Search the store by meaning; the shipped fashion glossary is loaded on first use."""
    setup_logging(verbose)
    with errors_to_exit(verbose):
        found = _open(ctx, knowledge).search(query, k=k)
        if json_out:
            print_json(found)
            return
        if not found:
            out.print("no results")
        for e in found:
            out.print(f"{e.id}  {e.score:.3f}  {e.title}  [{e.url}]", markup=False)
            out.print(f"    {e.text}", markup=False)


@app.command("list")
def list_sources(
    ctx: typer.Context, knowledge: KnowledgeOpt = None, json_out: JsonOpt = False, verbose: VerboseOpt = False
) -> None:
    """List the sources in the store, with their chunk counts."""
    setup_logging(verbose)
    with errors_to_exit(verbose):
        sources = _open(ctx, knowledge).list_sources()
        if json_out:
            print_json(sources)
            return
        if not sources:
            out.print("the knowledge store is empty (the fashion glossary loads at the first search)")
        for info in sources:
            out.print(f"{info.source}\t{info.chunks} chunks\t{info.path}", markup=False)


@app.command()
def remove(
    ctx: typer.Context,
    source: Annotated[
        str, typer.Argument(help="Source name (from `agent knowledge list`) or the path added.")
    ],
    knowledge: KnowledgeOpt = None,
    json_out: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Remove one source and all its chunks."""
    setup_logging(verbose)
    with errors_to_exit(verbose):
        removed = _open(ctx, knowledge).remove(source)
        if json_out:
            print_json({"source": source, "chunks_removed": removed})
        else:
            out.print(f"removed {source} ({removed} chunks)")
