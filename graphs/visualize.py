"""Draw the agent's graphs offline: Mermaid text, ASCII (grandalf), or PNG (pygraphviz, if installed)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from seamline.errors import UsageError


def compiled_graph(name: str = "describe"):  # type: ignore[no-untyped-def]
    """The describe graph compiled without a checkpointer, for drawing."""
    from seamline.graphs.describe import builder

    return builder.compile(name=name)


def draw(fmt: str = "mermaid", output: Path | None = None) -> str | None:
    """Draw the describe graph; return the text (mermaid, ascii) or write the PNG to ``output``."""
    g = compiled_graph().get_graph()
    if fmt == "mermaid":
        text = g.draw_mermaid()
    elif fmt == "ascii":
        text = g.draw_ascii()
    elif fmt == "png":
        if output is None:
            raise UsageError("--format png needs --output FILE.png")
        try:
            data = g.draw_png()
        except ImportError as exc:
            raise UsageError(
                "PNG drawing needs pygraphviz (pip install pygraphviz); or use --format mermaid / ascii"
            ) from exc
        _write_atomic(output, data)
        return None
    else:
        raise UsageError(f"unknown format {fmt!r}; use mermaid, ascii or png")
    if output is not None:
        _write_atomic(output, text.encode())
    return text


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
