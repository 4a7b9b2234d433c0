"""Training data for the drafter: catalog copy cleaned by the critic against its own record.

`agent finetune build-data` reads product records (the Myntra train split by default, or a user's CSV or
JSONL catalog), renders each record's facts exactly as the drafter sees a catalog record at run time, and
cleans the human-written description against those facts with the critic: unsupported and contradicted
claims are cut, sentences a cut left broken or empty of facts are dropped, and an example that keeps too
little is dropped. The output is Alpaca-style JSONL (``instruction``, ``input``, ``output``).

Only ids listed in ``splits/myntra_train_ids.txt`` are ever read into training data from the shared data;
the dev ids and every other id are reserved for measuring.
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from seamline.errors import DataMissingError, UsageError
from seamline.finetune.clean import WORD, Target, clean_target, prose_description

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from seamline.config import Settings
    from seamline.results import Evidence


DESCRIPTION_KEYS = ("description", "detail_desc", "copy", "product_description")
"""Columns that hold the human-written copy: the target, never part of the input."""
_NOTE_KEYS = ("style_note",)
"""Marketing prose beside the copy: never input either (it is copy, not fact)."""
_FACT_TEXT_KEYS = ("materials_care_desc", "size_fit_desc")
"""Free-text fact columns: in the input of some examples, so the model meets both kinds of record."""


class BuildReport(BaseModel):
    """What `agent finetune build-data` read, kept and dropped, and how clean the targets are."""

    source: str
    output: str
    rows_read: int = 0
    kept: int = 0
    dropped: dict[str, int] = Field(default_factory=dict, description="Rows dropped, by reason.")
    name_only: int = Field(0, description="Kept examples whose input is the product name alone.")
    with_copy: int = Field(0, description="Kept examples whose input is the record with its copy (a page).")
    mentions_before: int = Field(0, description="Checkable claims in the human copy before cleaning.")
    unsupported_before: int = Field(0, description="Of those, unsupported or contradicted.")
    mentions_after: int = Field(0, description="Checkable claims in the targets.")
    unsupported_after: int = Field(0, description="Of those, unsupported or contradicted (re-checked).")
    human_chars: int = Field(0, description="Target characters that are the human copy (cleaned).")
    composed_chars: int = Field(0, description="Target characters composed from the record.")

    @property
    def unsupported_rate_before(self) -> float:
        """Share of the human copy's claims that its own record does not support."""
        return self.unsupported_before / self.mentions_before if self.mentions_before else 0.0

    @property
    def unsupported_rate_after(self) -> float:
        """Share of the targets' claims that the record does not support."""
        return self.unsupported_after / self.mentions_after if self.mentions_after else 0.0

    @property
    def human_share(self) -> float:
        """Share of the target text that is human prose rather than composed from the record."""
        total = self.human_chars + self.composed_chars
        return self.human_chars / total if total else 0.0


# -- reading records ----------------------------------------------------------------------------------


def shared_data_dir(settings: Settings) -> Path:
    """``settings.shared_data`` (SEAMLINE_SHARED_DATA) when set, else ``../shared/data`` beside the repo."""
    configured = getattr(settings, "shared_data", None)
    return Path(configured) if configured else Path(__file__).resolve().parents[3] / "shared" / "data"


def myntra_train_records(data_dir: Path) -> Iterator[dict[str, Any]]:
    """The Myntra records whose id is in the train split, in file order."""
    from seamline.memory.ingest import iter_records

    products = data_dir / "myntra_products.jsonl.gz"
    ids_file = data_dir / "splits" / "myntra_train_ids.txt"
    if not products.is_file() or not ids_file.is_file():
        raise DataMissingError(
            f"Myntra data not found in {data_dir}; pass a catalog (CSV or JSONL) or put the shared data there"
        )
    train_ids = set(ids_file.read_text(encoding="utf-8").split())
    for _line, record in iter_records(products, []):
        if str(record.get("id")) in train_ids:
            yield record


def catalog_records(path: Path) -> Iterator[dict[str, Any]]:
    """A user's catalog (CSV or JSONL rows with a name and a description); bad rows are skipped."""
    from seamline.memory.ingest import RECORD_SUFFIXES, iter_records

    if not path.is_file():
        raise UsageError(f"catalog {path} not found; give a CSV or JSONL file of product records")
    if not path.name.lower().endswith(RECORD_SUFFIXES):
        raise UsageError(f"catalog {path}: expected a .csv, .jsonl or .jsonl.gz file of product records")
    for _line, record in iter_records(path, []):
        yield record


def facts_record(
    record: dict[str, Any], *, with_fact_text: bool = False, with_copy: bool = False
) -> dict[str, Any]:
    """The record as the drafter may be given it: without its copy, or (``with_copy``) with it.

    A run may have the bare record (a catalog export) or the product's own page, copy included; the
    training data holds both, so the tuned model uses prose facts as well as ``Key: value`` lines.
    """
    drop = set(_NOTE_KEYS)
    if not with_copy:
        drop |= set(DESCRIPTION_KEYS)
    if not with_fact_text:
        drop |= set(_FACT_TEXT_KEYS)
    return {k: v for k, v in record.items() if k not in drop}


def record_evidence(
    record: dict[str, Any], *, with_fact_text: bool = False, with_copy: bool = False
) -> list[Evidence]:
    """The evidence a run has for a catalog record: its name and the record, rendered as at run time."""
    from seamline.agents.lexicon import coerce_evidence
    from seamline.memory.records import record_id, record_title, render_catalog
    from seamline.results import Evidence

    name = record_title(record)
    facts = render_catalog(facts_record(record, with_fact_text=with_fact_text, with_copy=with_copy))
    catalog = Evidence(
        id="E1",
        source="catalog",
        url=f"catalog:{record_id(record) or name}",
        title=name,
        text=facts,
        about_product=True,
    )
    return coerce_evidence([catalog], product=name)


# -- building the data --------------------------------------------------------------------------------


def alpaca_row(product: str, evidence: list[Evidence], output: str) -> dict[str, str]:
    """One Alpaca-style row: the compact prompt's instruction and input, and the target."""
    from seamline.agents.prompts import tuned_parts

    instruction, facts = tuned_parts(product, evidence)
    return {"instruction": instruction, "input": facts, "output": output}


@dataclass(frozen=True)
class _Job:
    """One record to clean, with the input kind drawn for it (drawn up front: the same for any workers)."""

    record: dict[str, Any]
    name: str
    copy: str
    name_only: bool
    with_copy: bool
    fact_text: bool
    compose: bool
    min_words: int
    min_coverage: float


@dataclass(frozen=True)
class _Outcome:
    """A cleaned row, or why the record gave none; and the claim counts for the report."""

    row: dict[str, Any] | None
    dropped: str | None
    target: Target | None = None
    mentions_after: int = 0
    unsupported_after: int = 0


def _clean_job(job: _Job) -> _Outcome:
    """Clean one record's copy into a row (run in a worker process when there are several).

    A record the critic fails on is dropped and counted ("critic failed"), with its id in the log, so that
    one bad record does not end a build of thousands; the count is in the report for a reader to see.
    """
    try:
        return _clean(job)
    except Exception:  # noqa: BLE001 - counted in the report and logged with the record's id
        from seamline.memory.records import record_id

        logger.exception("critic failed on record %s", record_id(job.record))
        return _Outcome(None, "critic failed")


def _clean(job: _Job) -> _Outcome:
    from seamline.agents.critic import check
    from seamline.agents.lexicon import coerce_evidence
    from seamline.memory.records import record_id

    name = job.name
    # The target is always cleaned against the record without its copy: copy may contradict its own
    # record ("100% cotton" under "Fabric: Blended"), and a target must never follow it there.
    facts = (
        coerce_evidence([], product=name)
        if job.name_only
        else record_evidence(job.record, with_fact_text=job.fact_text)
    )
    evidence = (
        record_evidence(job.record, with_fact_text=job.fact_text, with_copy=True) if job.with_copy else facts
    )
    target = clean_target(name, job.copy, facts, compose=job.compose)
    # The composed sentence is checked too: the target is what the critic leaves of the whole.
    after = check(target.text, facts, product=name)
    # With composing, the copywriter's words must still make the bulk of a target: the composed
    # sentence fills the facts they omit, never the whole.
    kept = target.human if job.compose and not job.name_only else after.description
    if len(WORD.findall(kept)) < (3 if job.name_only else job.min_words):
        return _Outcome(None, "too little kept")
    if not job.name_only and target.coverage < job.min_coverage:
        return _Outcome(None, "states too few of the record's facts")
    row: dict[str, Any] = alpaca_row(name, evidence, after.description)
    kind = "name" if job.name_only else "page" if job.with_copy else "record"
    row["meta"] = {"id": record_id(job.record), "input": kind, "coverage": round(target.coverage, 3)}
    return _Outcome(row, None, target, len(after.claims) + len(after.removed), len(after.removed))


def build_data(
    records: Iterable[dict[str, Any]],
    output: Path,
    *,
    source: str,
    limit: int | None = None,
    name_only_share: float = 0.1,
    copy_share: float = 0.25,
    fact_text_share: float = 0.5,
    min_words: int = 8,
    min_coverage: float = 0.0,
    compose: bool = False,
    seed: int = 0,
    workers: int = 1,
    progress: Any = None,
) -> BuildReport:
    """Clean each record's copy into a training row; write the rows to ``output`` atomically.

    ``name_only_share`` of the examples get the product name alone as input (and a target cleaned
    against the name alone), so the model learns to say little when little is known; ``copy_share`` get
    the record with its copy (a product page), so it learns to use facts stated in prose.

    A row whose cleaned copy states less than ``min_coverage`` of the record's colour, material, pattern,
    fit, sleeve, neck and collar is dropped: the model should learn to state the facts it is given, in
    the copywriter's words. With ``compose`` the writer's computed sentence adds what the cleaned copy
    leaves out, and ``min_words`` counts the copy's own words alone, so the template never makes a
    target on its own. Each row carries a ``meta`` object: the record id, the input kind and the
    target's coverage. ``workers`` processes clean in parallel; the rows are the same.
    """
    report = BuildReport(source=source, output=str(output))
    dropped: Counter[str] = Counter()
    rows: list[dict[str, Any]] = []
    jobs = _jobs(
        records,
        report,
        dropped,
        name_only_share,
        copy_share,
        fact_text_share,
        compose,
        min_words,
        min_coverage,
        seed,
    )
    with _mapper(workers) as mapper:
        for chunk in _chunks(jobs, 64 * max(1, workers)):
            for job, outcome in zip(chunk, mapper(_clean_job, chunk), strict=True):
                if limit is not None and report.kept >= limit:
                    break
                if outcome.row is None or outcome.target is None:
                    dropped[outcome.dropped or "dropped"] += 1
                    continue
                target = outcome.target
                report.kept += 1
                report.name_only += int(job.name_only)
                report.with_copy += int(job.with_copy)
                report.mentions_before += target.mentions_before
                report.unsupported_before += target.unsupported_before
                report.mentions_after += outcome.mentions_after
                report.unsupported_after += outcome.unsupported_after
                report.human_chars += len(target.human)
                report.composed_chars += len(target.composed)
                rows.append(outcome.row)
            if progress is not None:
                progress(report)
            if limit is not None and report.kept >= limit:
                break
    report.dropped = dict(dropped)
    if not rows:
        raise UsageError(f"no training rows could be built from {source}: {report.dropped or 'no rows'}")
    _write_jsonl(output, rows)
    return report


def _jobs(
    records: Iterable[dict[str, Any]],
    report: BuildReport,
    dropped: Counter[str],
    name_only_share: float,
    copy_share: float,
    fact_text_share: float,
    compose: bool,
    min_words: int,
    min_coverage: float,
    seed: int,
) -> Iterator[_Job]:
    """The records worth cleaning, each with its input kind drawn; the others counted as dropped."""
    from seamline.memory.records import record_title

    rng = random.Random(seed)
    seen: set[tuple[str, str]] = set()
    for record in records:
        report.rows_read += 1
        name = record_title(record)
        copy = prose_description(next((str(record[k]) for k in DESCRIPTION_KEYS if record.get(k)), ""))
        if not name:
            dropped["no product name"] += 1
            continue
        if not copy:
            dropped["no usable description"] += 1
            continue
        if (name.lower(), copy.lower()) in seen:
            dropped["duplicate"] += 1
            continue
        seen.add((name.lower(), copy.lower()))
        draw = rng.random()
        name_only = draw < name_only_share
        with_copy = name_only_share <= draw < name_only_share + copy_share
        fact_text = rng.random() < fact_text_share
        yield _Job(record, name, copy, name_only, with_copy, fact_text, compose, min_words, min_coverage)


def _chunks(jobs: Iterator[_Job], size: int) -> Iterator[list[_Job]]:
    chunk: list[_Job] = []
    for job in jobs:
        chunk.append(job)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@contextlib.contextmanager
def _mapper(workers: int) -> Iterator[Callable[..., Iterable[_Outcome]]]:
    """``map`` here, or over a pool of ``workers`` processes for the whole build."""
    if workers <= 1:
        yield map
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield pool.map


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    """Write rows to a temporary file beside ``path`` and rename it, so no half file is left."""
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
