"""Measuring the competitor analysis: dev products against a catalog of every train-split record.

For each of the first N Myntra dev products the agent gets its name, finds its own page in a local
index of the dev products' pages (record text with its price) and its competitors in a JSONL catalog
of the whole train split (40,906 records, every article type; prices in INR). Measured, as issue 13
asks: the share of products with at least 5 competitors of the same article type and gender (by the
records' own labels, not by the vocabulary the market is chosen with), seconds per report, and the
figures in the summaries that the tables do not state (target 0), next to the same count in the
model's raw drafts. The catalog is read and the model loaded once, before the clock starts.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from seamline.config import Settings
from seamline.errors import SeamlineError, UsageError
from seamline.evaluation.data import load_myntra, load_split, record_text

MIN_COMPETITORS = 5
CURRENCY = "INR"
"""Myntra's prices (../shared/data/README.md)."""

OnRow = Callable[["CompeteRow"], None]
Progress = Callable[[int, int], None]


class CompeteRow(BaseModel):
    """One dev product's report, scored."""

    id: str
    product: str
    article_type: str
    gender: str
    competitors: int = 0
    same_type_and_gender: int = Field(0, description="Competitors whose record has the product's labels.")
    gaps: int = 0
    do_not_copy: int = 0
    percentile: int | None = None
    summary: str = ""
    summary_source: str = "none"
    foreign_figures: list[str] = Field(default_factory=list, description="Summary figures no table states.")
    draft_foreign_figures: list[str] = Field(default_factory=list, description="The same in the raw draft.")
    seconds: float = 0.0
    error: str | None = None


class CompeteEvalReport(BaseModel):
    """The measures over all products."""

    products: int
    catalog: str
    catalog_rows: int
    catalog_seconds: float = Field(description="Reading the catalog once (before the clock starts).")
    model: str = ""
    backend: str = ""
    with_enough: int = Field(
        0, description=f"Products with >= {MIN_COMPETITORS} competitors of their type and gender."
    )
    share_with_enough: float = 0.0
    seconds: dict[str, float] = Field(default_factory=dict, description="Per report: median, mean, p90, max.")
    foreign_figures: int = Field(0, description="Figures in the summaries that no table states (target 0).")
    draft_foreign_figures: int = Field(0, description="The same in the model's raw drafts.")
    summary_sources: dict[str, int] = Field(default_factory=dict)
    failed: int = 0
    rows: list[CompeteRow] = Field(default_factory=list)


def _write_jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_inputs(
    folder: Path, n: int, root: Path | str | None = None
) -> tuple[list[dict[str, Any]], Path, Path]:
    """The first ``n`` dev records, a page index of them, and the train-split catalog (written once)."""
    dev = load_myntra(load_split("myntra_dev", root)[:n], root)
    pages = folder / f"dev-pages-{n}.jsonl"
    _write_jsonl(
        pages,
        [{"url": f"myntra:{r['id']}", "title": r["productDisplayName"], "text": record_text(r)} for r in dev],
    )
    catalog = folder / "train-catalog.jsonl"
    if not catalog.exists():
        _write_jsonl(catalog, load_myntra(load_split("myntra_train", root), root))
    return dev, pages, catalog


def _seconds(values: Sequence[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)
    return {
        "median": round(statistics.median(ordered), 3),
        "mean": round(statistics.fmean(ordered), 3),
        "p90": round(ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))], 3),
        "max": round(ordered[-1], 3),
    }


def score(
    record: dict[str, Any], report: Any, train: dict[str, dict[str, Any]], seconds: float
) -> CompeteRow:
    """One product's row: its competitors checked against the train records' own labels."""
    from seamline.agents.market_summary import foreign_figures

    same = 0
    for c in report.competitors:
        rival = train.get((c.url or "").removeprefix("catalog:"))
        if (
            rival
            and rival.get("articleType") == record["articleType"]
            and rival.get("gender") == record["gender"]
        ):
            same += 1
    tables = [e for e in report.evidence if e.source == "table"]
    return CompeteRow(
        id=str(record["id"]),
        product=record["productDisplayName"],
        article_type=record["articleType"],
        gender=record["gender"],
        competitors=len(report.competitors),
        same_type_and_gender=same,
        gaps=len(report.gaps),
        do_not_copy=len(report.do_not_copy),
        percentile=report.price_position.percentile,
        summary=report.summary,
        summary_source=report.summary_source,
        foreign_figures=foreign_figures(report.summary, tables),
        draft_foreign_figures=foreign_figures(report.draft, tables) if report.draft else [],
        seconds=round(seconds, 3),
    )


def run_compete_eval(
    settings: Settings,
    *,
    n: int = 50,
    top: int = 10,
    split: str = "dev",
    llm: Any = None,
    root: Path | str | None = None,
    progress: Progress | None = None,
    on_row: OnRow | None = None,
) -> CompeteEvalReport:
    """Competitor reports for the first ``n`` dev products, scored; one agent, one model, one catalog."""
    from seamline.api import Agent
    from seamline.graphs.compete import candidates_for
    from seamline.llm.base import model_info

    if split != "dev":
        raise UsageError(f"measure on the dev split, not {split!r}: the other ids are reserved")
    folder = settings.cache_dir / "eval-compete"
    dev, pages, catalog = build_inputs(folder, n, root)
    train = {str(r["id"]): r for r in load_myntra(load_split("myntra_train", root), root)}
    overrides = {**settings.model_dump(), "search": f"local:{pages}", "knowledge": "none"}
    with Agent(Settings.model_validate(overrides), llm=llm) as agent:
        t0 = time.perf_counter()
        candidates = candidates_for(agent, catalog, CURRENCY)
        catalog_seconds = time.perf_counter() - t0
        info = model_info(agent.llm)  # loaded before the clock starts, like the catalog
        if dev:  # and the page index
            agent.toolbox.call("search_product", product=dev[0]["productDisplayName"], k=1)
        rows: list[CompeteRow] = []
        for i, record in enumerate(dev):
            t0 = time.perf_counter()
            try:
                report = agent.compete(
                    record["productDisplayName"], catalog=catalog, top=top, currency=CURRENCY
                )
                rows.append(score(record, report, train, time.perf_counter() - t0))
            except SeamlineError as exc:
                rows.append(
                    CompeteRow(
                        id=str(record["id"]),
                        product=record["productDisplayName"],
                        article_type=record["articleType"],
                        gender=record["gender"],
                        seconds=round(time.perf_counter() - t0, 3),
                        error=str(exc),
                    )
                )
            if on_row is not None:
                on_row(rows[-1])
            if progress is not None:
                progress(i + 1, len(dev))
    ok = [r for r in rows if r.error is None]
    enough = sum(1 for r in ok if r.same_type_and_gender >= MIN_COMPETITORS)
    return CompeteEvalReport(
        products=len(rows),
        catalog=str(catalog),
        catalog_rows=len(candidates.listings),
        catalog_seconds=round(catalog_seconds, 3),
        model=info.name,
        backend=info.backend,
        with_enough=enough,
        share_with_enough=round(enough / len(rows), 4) if rows else 0.0,
        seconds=_seconds([r.seconds for r in ok]),
        foreign_figures=sum(len(r.foreign_figures) for r in ok),
        draft_foreign_figures=sum(len(r.draft_foreign_figures) for r in ok),
        summary_sources=dict(Counter(r.summary_source for r in ok)),
        failed=len(rows) - len(ok),
        rows=rows,
    )
