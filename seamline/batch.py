"""Describing a catalog: many products through one agent, written as JSONL, resumable after a crash.

Input is a text file (one product name a line, ``#`` comments) or catalog records (CSV or JSONL, the name
in ``productDisplayName``, ``prod_name``, ``product_name`` or ``name``, an optional id column). Every row
is checked before anything runs. Each result is one JSON line, flushed and synced as it is written, so a
crash or Ctrl-C loses at most the product in flight; running the same command again skips every product
the output already holds and drops a line a crash cut short. ``shard=(k, n)`` takes every n-th product
from the k-th, so n processes or machines can split one catalog, each with its own output file
(``seamline.batch_ray`` runs the shards as Ray tasks). With ``batch_size`` above 1, that many products
run at once and their drafts are decoded together (``seamline.llm.batching``); lines are still written
in input order, and a product whose generation fails gets a failed line with the reason.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Generator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from seamline.errors import BackendError, SeamlineError, UsageError

DONE_STATES = frozenset({"complete", "stopped"})
"""Results a rerun keeps; failed and interrupted products are described again."""

Outcome = tuple[Any, SeamlineError | None]
"""A product's result, or the error that stopped its run."""


def is_kept(line: dict[str, Any]) -> bool:
    """Whether an output line holds a result a rerun keeps (complete, or stopped at a budget)."""
    return (line.get("status") or {}).get("state") in DONE_STATES


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
                if is_kept(row):
                    keys.add(str(row["key"]))
        if torn:
            with output.open("r+b") as fh:
                fh.truncate(good)
    except OSError as exc:
        raise UsageError(f"cannot read {output} to resume ({exc.strerror or exc})") from exc
    return keys


def failed_lines(output: Path) -> list[str]:
    """One line, product (key): why, for each product whose line in ``output`` is not kept."""
    lines = []
    with output.open(encoding="utf-8") as fh:
        for raw in fh:
            row = json.loads(raw)
            if not is_kept(row):
                why = (row.get("status") or {}).get("message", "")
                lines.append(f"{row.get('product')} ({row['key']}): {why}")
    return lines


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
    batch_size: int | None = None,
) -> BatchReport:
    """Describe every product of ``source`` not already in ``output``; see the module docstring.

    With ``task="compete"`` each line is a competitor report instead (``Agent.compete`` with the
    ``compete`` options: catalog, top, currency), all from one agent and one model load. With
    ``batch_size`` above 1, that many drafts are decoded together (``_pipelined``); None takes the
    model's default (``seamline.llm.default_batch_size``).
    """
    if batch_size is not None and batch_size < 1:
        raise UsageError(f"--batch-size {batch_size}: give 1 or more")
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

    def run(item: BatchItem) -> Outcome:
        """A product's result, or the error that stopped it (raised here it would end the iterator)."""
        try:
            if task == "compete":
                return agent.compete(item.product, **(compete or {})), None
            return agent.describe(item.product), None
        except SeamlineError as exc:
            return None, exc

    if batch_size is None and todo and hasattr(agent, "llm"):
        from seamline.llm import default_batch_size

        batch_size = default_batch_size(agent.llm)
    if batch_size is None or batch_size == 1:
        results = _sequential(todo, run)
    else:
        results = _pipelined(agent, todo, run, batch_size)
    try:
        for i, item in enumerate(todo):
            if on_start is not None:
                on_start(item, i, len(todo))
            result, error = next(results)
            if isinstance(error, BackendError):  # this product's generation failed: it fails alone
                result = failed_result(item, f"{error}; rerun to retry")
            elif error is not None:
                stopped = SeamlineError(
                    f"{item.product!r} ({item.key}): {error}; {report.described + report.failed} product(s) "
                    f"written to {output}, rerun to continue"
                )
                stopped.exit_code = error.exit_code
                raise stopped from error
            writer.write(row(item, result))
            if result.status.state in DONE_STATES:
                report.described += 1
            else:
                report.failed += 1
            if on_done is not None:
                on_done(item, result)
    finally:
        results.close()
        writer.close()
        report.seconds = round(time.perf_counter() - start, 3)
    return report


def row(item: BatchItem, result: Any) -> dict[str, Any]:
    """A result's line in the output: its key and input line, then the result."""
    return {"key": item.key, "line": item.line, **result.model_dump(mode="json")}


def failed_result(item: BatchItem, message: str) -> Any:
    """The result of a product that failed before it had one; a rerun describes it again."""
    from seamline.results import DescribeResult, RunStatus

    status = RunStatus(state="failed", message=message)
    return DescribeResult(run_id="", product=item.product, description="", status=status)


def _sequential(todo: list[BatchItem], run: Callable[[BatchItem], Outcome]) -> Generator[Outcome, None, None]:
    for item in todo:
        yield run(item)


def _pipelined(
    agent: Any, todo: list[BatchItem], run: Callable[[BatchItem], Outcome], batch_size: int
) -> Generator[Outcome, None, None]:
    """The results in input order, from ``2 * batch_size`` runs at a time whose drafts are batched.

    While one batch decodes, the other runs research or criticise, so those stages overlap decoding.
    Closing the iterator (an error, Ctrl-C) cancels the products not started and waits for the ones
    running; their results are not written, so a rerun describes them.
    """
    with agent.batching(batch_size) as drafter:

        def registered(item: BatchItem) -> Outcome:
            with drafter.caller():
                return run(item)

        pool = ThreadPoolExecutor(max_workers=2 * batch_size, thread_name_prefix="seamline-batch")
        try:
            futures = [pool.submit(registered, item) for item in todo]
            for future in futures:
                yield future.result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
