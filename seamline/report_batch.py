"""HTML reports of a batch: one report per product of its JSONL output, and an index page.

The index puts the products whose drafts lost the most claims first: the ones a copywriter reads first.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import escape as h
from pathlib import Path

from pydantic import ValidationError

from seamline.errors import UsageError
from seamline.report import page, run_report
from seamline.results import DescribeResult

INDEX = "index.html"


@dataclass(frozen=True)
class BatchPages:
    """What ``write_batch_reports`` wrote."""

    index: Path
    reports: int
    skipped: list[str]
    """Lines of the output that hold no result, one note each."""


def read_batch_output(path: Path) -> tuple[list[tuple[str, DescribeResult]], list[str]]:
    """The (key, result) rows of a batch's JSONL output, and a note for each line that is not one."""
    rows: list[tuple[str, DescribeResult]] = []
    skipped: list[str] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the batch output {path} ({exc})") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            result = DescribeResult.model_validate(data)
        except (ValueError, ValidationError):
            skipped.append(f"{path}:{number}: not a result")
            continue
        rows.append((str(data.get("key", f"line {number}")), result))
    return rows, skipped


def batch_index(rows: list[tuple[str, DescribeResult, str]], *, title: str) -> str:
    """The index page: one row per product (key, result, report file), most claims removed first."""
    ordered = sorted(rows, key=lambda r: (-len(r[1].removed), r[1].product.lower(), r[0]))
    removed_total = sum(len(r.removed) for _, r, _ in rows)
    body_rows = []
    for key, result, file in ordered:
        cut = ", ".join(c.text for c in result.removed[:6]) + ("…" if len(result.removed) > 6 else "")
        state = result.status.state + (f" ({result.status.stopped_by})" if result.status.stopped_by else "")
        body_rows.append(
            f'<tr><td><a href="{h(file)}">{h(result.product)}</a></td><td class="mono">{h(key)}</td>'
            f"<td><b>{len(result.removed)}</b></td><td>{len(result.claims)}</td>"
            f'<td><span class="pill {h(result.status.state)}">{h(state)}</span></td>'
            f'<td class="meta">{h(cut)}</td></tr>'
        )
    body = (
        f'<header class="run"><h1>{h(title)}</h1><ul class="figures"><li><b>{len(rows)}</b> products</li>'
        f"<li><b>{removed_total}</b> claims removed in all</li></ul></header>"
        "<section><h2>Products, most claims removed first</h2><table><tr><th>product</th><th>key</th>"
        "<th>removed</th><th>kept</th><th>status</th><th>what was removed</th></tr>"
        f"{''.join(body_rows)}</table></section>"
    )
    return page(title, body)


def write_batch_reports(output: Path, directory: Path) -> BatchPages:
    """Write a report per result of a batch's JSONL ``output`` into ``directory``, and the index page."""
    from seamline.graphs.visualize import write_atomic

    rows, skipped = read_batch_output(output)
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"--html {directory} is a file; give a directory for the reports")
    used: set[str] = {INDEX}
    listed: list[tuple[str, DescribeResult, str]] = []
    for key, result in rows:
        file = _file_name(key, result.product, used)
        write_atomic(directory / file, run_report(result))
        listed.append((key, result, file))
    index = directory / INDEX
    write_atomic(index, batch_index(listed, title=f"Seamline batch: {output.name}"))
    return BatchPages(index=index, reports=len(listed), skipped=skipped)


def _file_name(key: str, product: str, used: set[str]) -> str:
    """A file name that says which product it is, unique in the directory."""
    stem = re.sub(r"[^a-z0-9]+", "-", f"{key} {product}".lower()).strip("-")[:80] or "product"
    name, n = f"{stem}.html", 2
    while name in used:
        name, n = f"{stem}-{n}.html", n + 1
    used.add(name)
    return name
