"""Describing a catalog: many products through one agent, written as JSONL, resumable after a crash.

Input is a text file (one product name a line, ``#`` comments) or catalog records (CSV or JSONL, the name
in ``productDisplayName``, ``prod_name``, ``product_name`` or ``name``, an optional id column). Every row
is checked before anything runs. Each result is one JSON line, flushed and synced as it is written, so a
crash or Ctrl-C loses at most the product in flight; running the same command again skips every product
the output already holds and drops a line a crash cut short. ``shard=(k, n)`` takes every n-th product
from the k-th, so n processes or machines can split one catalog, each with its own output file.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from seamline.errors import SeamlineError, UsageError

DONE_STATES = frozenset({"complete", "stopped"})
"""Results a rerun keeps; failed and interrupted products are described again."""


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One product of the input: its key in the output (the row's id, else its line), line and name."""

    key: str
    line: int
    product: str


class BatchReport(BaseModel):
    """What a batch did."""

    input: str
    output: str
    shard: str | None = None
    products: int = Field(description="Products in the input (in this shard).")
    already_done: int = Field(0, description="Products the output held already, skipped.")
    described: int = Field(0, description="Products described now that completed or stopped at a budget.")
    failed: int = Field(0, description="Products described now whose run failed; a rerun tries them again.")
    invalid: list[str] = Field(default_factory=list, description="Input rows skipped, one line each.")
    seconds: float = 0.0


def parse_shard(text: str | None) -> tuple[int, int] | None:
    """A shard "K/N" as (K, N), with 0 <= K < N."""
    if text is None:
        return None
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise UsageError(f"--shard {text!r} is not K/N, e.g. 0/4 for the first of four shards") from None
    if n < 1 or not 0 <= k < n:
        raise UsageError(f"--shard {text}: need 0 <= K < N, e.g. 0/4 ... 3/4")
    return k, n


def read_products(path: Path, *, skip_invalid: bool = False) -> tuple[list[BatchItem], list[str]]:
    """The products of a text or catalog file, and the rows skipped (an error unless ``skip_invalid``)."""
    from seamline.api import clean_product

    if not path.is_file():
        raise UsageError(f"{path} is not a file; give a text file of product names, or a CSV/JSONL catalog")
    rows: list[tuple[int, str | None, Any]] = []
    problems: list[str] = []
    from seamline.memory.ingest import RECORD_SUFFIXES, iter_records

    if path.name.lower().endswith(RECORD_SUFFIXES):
        from seamline.memory.records import NAME_KEYS, record_id

        warnings: list[str] = []
        for line, record in iter_records(path, warnings):
            name = next((record[k] for k in NAME_KEYS[:4] if record.get(k) not in (None, "")), None)
            rows.append((line, record_id(record), name))
        problems.extend(w.removesuffix("; skipped") for w in warnings)
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(
                f"cannot read {path} as UTF-8 text ({exc}); give one product name a line"
            ) from exc
        for line, raw in enumerate(text.splitlines(), start=1):
            if raw.strip() and not raw.lstrip().startswith("#"):
                rows.append((line, None, raw))
    items: list[BatchItem] = []
    keys: set[str] = set()
    for line, rid, name in rows:
        try:
            product = clean_product(name if isinstance(name, str) else "")
        except UsageError as exc:
            problems.append(f"{path}:{line}: {exc}" if name else f"{path}:{line}: no product name")
            continue
        key = rid or f"line {line}"
        if key in keys:
            key = f"{key} (line {line})"
        keys.add(key)
        items.append(BatchItem(key, line, product))
    if problems and not skip_invalid:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise UsageError(f"{problems[0].split(';')[0]}{more}; fix the rows or pass --skip-invalid")
    if not items:
        raise UsageError(f"{path} holds no product names")
    return items, problems


def done_keys(output: Path) -> set[str]:
    """Keys the output already holds a kept result for; a last line cut short by a crash is dropped."""
    if not output.exists():
        return set()
    keys: set[str] = set()
    good = 0  # bytes of whole, parseable lines
    torn = False
    try:
        with output.open("rb") as fh:
            for number, raw in enumerate(fh, start=1):  # line by line: outputs can be large
                if not raw.endswith(b"\n"):
                    torn = True  # the last line of a crash, whole or not: it is written again
                    break
                try:
                    row = json.loads(raw)
                except ValueError:
                    row = None
                if not isinstance(row, dict) or "key" not in row:
                    raise UsageError(
                        f"{output} is not a batch output (line {number} is no result); pass another --out"
                    )
                good += len(raw)
                if (row.get("status") or {}).get("state") in DONE_STATES:
                    keys.add(str(row["key"]))
        if torn:
            with output.open("r+b") as fh:
                fh.truncate(good)
    except OSError as exc:
        raise UsageError(f"cannot read {output} to resume ({exc.strerror or exc})") from exc
    return keys


class _Writer:
    """Appends one JSON line per result, synced; the file is created with the first result, not before."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: Any = None

    def write(self, row: dict[str, Any]) -> None:
        if self._fh is None:
            try:
                self._fh = self.path.open("a", encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"cannot write {self.path} ({exc.strerror or exc})") from exc
        self._fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()


def run_batch(
    agent: Any,
    source: Path,
    output: Path,
    *,
    shard: tuple[int, int] | None = None,
    skip_invalid: bool = False,
    restart: bool = False,
    limit: int | None = None,
    on_start: Callable[[BatchItem, int, int], None] | None = None,
    on_done: Callable[[BatchItem, Any], None] | None = None,
    task: str = "describe",
    compete: dict[str, Any] | None = None,
) -> BatchReport:
    """Describe every product of ``source`` not already in ``output``; see the module docstring.

    With ``task="compete"`` each line is a competitor report instead (``Agent.compete`` with the
    ``compete`` options: catalog, top, currency), all from one agent and one model load.
    """
    if task not in ("describe", "compete"):
        raise UsageError(f"unknown --task {task!r}; use describe or compete")
    catalog = (compete or {}).get("catalog")
    if task == "compete" and catalog is not None and not Path(catalog).is_file():
        raise UsageError(f"competitor catalog {catalog} is not a file; pass --catalog a CSV or JSONL file")
    if output.resolve() == source.resolve():
        raise UsageError("--out is the input file; write the results to another file")
    if not output.parent.is_dir():
        raise UsageError(f"{output.parent} does not exist; create it or pass another --out")
    items, invalid = read_products(source, skip_invalid=skip_invalid)
    if shard is not None:
        k, n = shard
        items = items[k::n]
    if limit is not None:
        items = items[: max(0, limit)]
    if restart and output.exists():
        output.unlink()
    done = done_keys(output)
    todo = [item for item in items if item.key not in done]
    report = BatchReport(
        input=str(source),
        output=str(output),
        shard=f"{shard[0]}/{shard[1]}" if shard else None,
        products=len(items),
        already_done=len(items) - len(todo),
        invalid=invalid,
    )
    writer = _Writer(output)
    start = time.perf_counter()
    try:
        for i, item in enumerate(todo):
            if on_start is not None:
                on_start(item, i, len(todo))
            try:
                if task == "compete":
                    result = agent.compete(item.product, **(compete or {}))
                else:
                    result = agent.describe(item.product)
            except SeamlineError as exc:
                stopped = SeamlineError(
                    f"{item.product!r} ({item.key}): {exc}; {report.described + report.failed} product(s) "
                    f"written to {output}, rerun to continue"
                )
                stopped.exit_code = exc.exit_code
                raise stopped from exc
            writer.write({"key": item.key, "line": item.line, **result.model_dump(mode="json")})
            if result.status.state in DONE_STATES:
                report.described += 1
            else:
                report.failed += 1
            if on_done is not None:
                on_done(item, result)
    finally:
        writer.close()
        report.seconds = round(time.perf_counter() - start, 3)
    return report
