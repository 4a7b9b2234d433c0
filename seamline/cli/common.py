"""What every command shares: options, JSON output, and mapping errors to one line and an exit code."""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections.abc import Iterator, Mapping
from typing import Annotated, Any

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape

from seamline.errors import SeamlineError

# stdout carries only results; progress, logs and errors go to stderr.
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as one JSON object on stdout.")]
VerboseOpt = Annotated[
    bool, typer.Option("--verbose", "-v", help="Narrate each step as it happens; show tracebacks on errors.")
]


def progress_bar(*columns: Any) -> Any:
    """A rich progress bar on stderr that vanishes when done, and stays silent when stderr is no terminal."""
    from rich.progress import Progress

    return Progress(*columns, console=err, transient=True, disable=not err.is_terminal)


def tally(counts: Mapping[str, int]) -> str:
    """Counts by reason as a line: "12 duplicate, 3 too short", or "none"."""
    return ", ".join(f"{n} {why}" for why, n in sorted(counts.items())) or "none"


def print_json(value: BaseModel | list[Any] | dict[str, Any]) -> None:
    """Print a result model (or a list of them) as JSON on stdout, and nothing else."""
    if isinstance(value, BaseModel):
        text = value.model_dump_json(indent=2)
    else:
        text = json.dumps(_plain(value), indent=2, ensure_ascii=False, default=str)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def setup_logging(verbose: bool) -> None:
    """Log to stderr: INFO with --verbose, warnings otherwise."""
    from rich.logging import RichHandler

    level = logging.INFO if verbose else logging.WARNING
    logging.basicConfig(
        level=level,
        format="%(message)s",
        handlers=[RichHandler(console=err, show_path=False, show_time=False)],
        force=True,
    )
    # Third-party chatter stays quiet unless it is a real problem.
    for noisy in ("httpx", "chromadb", "transformers", "sentence_transformers", "urllib3", "primp", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.ERROR)


@contextlib.contextmanager
def errors_to_exit(verbose: bool) -> Iterator[None]:
    """Turn a SeamlineError into one line on stderr and its exit code; tracebacks only with --verbose."""
    try:
        yield
    except SeamlineError as exc:
        if verbose:
            err.print_exception()
        # The message is plain text: brackets in it (a pip extra, a path) are not markup.
        err.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True, highlight=False)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        err.print("[bold red]interrupted[/]")
        raise typer.Exit(130) from None
