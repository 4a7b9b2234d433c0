"""``agent batch --ray``: a catalog's shards as Ray tasks, each writing its own resumable part file.

The driver checks the input, starts (``local``) or joins a Ray cluster, and runs one task per shard.
Each task builds one Agent from the driver's settings (one model load, or the shared server that
``--endpoint`` names) and runs ``run_batch`` on its shard into ``OUT.parts/part-K-of-N.jsonl``: the same
synced lines, resumed the same way. A task whose worker dies is retried by Ray; past the retries its
products are written as failed, not lost. The merge then writes ``OUT`` in input order, one line per
product, the last kept line of each key winning, through a temporary file renamed over ``OUT``.

Killing a worker or the driver and running the same command again describes what no part holds yet and
merges again, so every product appears exactly once. A part is locked while a task writes it, so a
worker that outlives a killed driver finishes before a new task resumes that part.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from seamline.batch import BatchItem, BatchReport, failed_result, is_kept, read_products, row, run_batch
from seamline.errors import UsageError

RETRIES = 2
"""Times Ray runs a shard's task again after its worker died or it raised (a shard resumes its part
file, so a rerun of it is safe: a worker killed mid-write can leave the shared run store busy a moment)."""


def import_ray() -> Any:
    """Ray, or one line naming the extra that installs it."""
    try:
        import ray
    except ImportError:
        raise UsageError(
            "--ray needs Ray, an optional extra: pip install 'seamline[ray]' (or -e \".[ray]\" in a checkout)"
        ) from None
    return ray


def parts_dir(output: Path) -> Path:
    """Where the shards' part files of ``output`` go."""
    return output.with_name(output.name + ".parts")


def run_ray(
    settings: Any,
    source: Path,
    output: Path,
    *,
    address: str = "local",
    workers: int | None = None,
    skip_invalid: bool = False,
    restart: bool = False,
    task: str = "describe",
    compete: dict[str, Any] | None = None,
    batch_size: int | None = None,
) -> BatchReport:
    """Describe ``source`` into ``output`` with ``workers`` Ray tasks; see the module docstring."""
    if output.resolve() == source.resolve():
        raise UsageError("--out is the input file; write the results to another file")
    if not output.parent.is_dir():
        raise UsageError(f"{output.parent} does not exist; create it or pass another --out")
    if workers is not None and workers < 1:
        raise UsageError(f"--workers {workers}: give 1 or more")
    items, invalid = read_products(source, skip_invalid=skip_invalid)
    ray = import_ray()
    parts = parts_dir(output)
    if restart:
        shutil.rmtree(parts, ignore_errors=True)
        output.unlink(missing_ok=True)
    parts.mkdir(exist_ok=True)
    start = time.perf_counter()
    started = ray.is_initialized()
    local = address == "local"
    if not started:
        ray.init(
            address=None if local else address,
            num_cpus=(workers or os.cpu_count() or 1) if local else None,
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
        )
    try:
        n = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        n = min(n, len(items))
        before = {key for key, line in _rows(parts, n).items() if is_kept(line)}
        if local and settings.threads is None:  # the cores shared out: no worker's threads wait on another's
            settings = settings.model_copy(update={"threads": max(1, (os.cpu_count() or 1) // n)})
        shard = ray.remote(num_cpus=1, max_retries=RETRIES, retry_exceptions=True)(_shard)
        options = {"skip_invalid": skip_invalid, "batch_size": batch_size, "task": task, "compete": compete}
        config = settings.model_dump(mode="json")
        refs = {
            k: shard.remote(config, str(source), str(_part(parts, k, n)), k, n, options) for k in range(n)
        }
        failures: dict[int, str] = {}
        for k, ref in refs.items():
            try:
                ray.get(ref)
            except ray.exceptions.RayError as exc:
                failures[k] = str(exc).strip().splitlines()[-1][:300]
    finally:
        if not started:
            ray.shutdown()
    report = merge(items, parts, n, output, failures)
    report.already_done = len(before & {item.key for item in items})
    report.described -= report.already_done
    report.invalid = invalid
    report.input = str(source)
    report.seconds = round(time.perf_counter() - start, 3)
    return report


def _part(parts: Path, k: int, n: int) -> Path:
    return parts / f"part-{k}-of-{n}.jsonl"


def _shard(
    config: dict[str, Any], source: str, part: str, k: int, n: int, options: dict[str, Any]
) -> dict[str, Any]:
    """One Ray task: shard ``k`` of ``n`` into its part file, with an Agent of its own."""
    from seamline.api import Agent

    with _locked(Path(part)), Agent(config) as agent:
        return run_batch(agent, Path(source), Path(part), shard=(k, n), **options).model_dump()


@contextlib.contextmanager
def _locked(part: Path) -> Iterator[None]:
    """Hold ``part``'s lock file while a task writes it (a worker of a killed driver may still run)."""
    with part.with_suffix(".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _rows(parts: Path, n: int) -> dict[str, dict[str, Any]]:
    """The last line of each key over the part files, a kept one over a failed one."""
    rows: dict[str, dict[str, Any]] = {}
    for k in range(n):
        path = _part(parts, k, n)
        if not path.exists():
            continue
        with path.open("rb") as fh:
            for raw in fh:
                if not raw.endswith(b"\n"):
                    break  # cut short by a kill: described again by the next run
                line = json.loads(raw)
                key = str(line["key"])
                if is_kept(line) or not is_kept(rows.get(key, {})):
                    rows[key] = line
    return rows


def merge(items: list[BatchItem], parts: Path, n: int, output: Path, failures: dict[int, str]) -> BatchReport:
    """Write ``output`` from the parts in input order; a product no part holds is a failed line."""
    rows = _rows(parts, n)
    report = BatchReport(input="", output=str(output), products=len(items))
    tmp = output.with_name(output.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for i, item in enumerate(items):
            line = rows.get(item.key) or _failed(item, i % n, n, failures.get(i % n))
            if is_kept(line):
                report.described += 1
            else:
                report.failed += 1
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(output)
    return report


def _failed(item: BatchItem, k: int, n: int, why: str | None) -> dict[str, Any]:
    """The line of a product whose shard's worker failed past its retries; a rerun describes it."""
    why = why or "its worker stopped"
    return row(item, failed_result(item, f"shard {k}/{n} failed after {RETRIES} retries: {why}; rerun"))
