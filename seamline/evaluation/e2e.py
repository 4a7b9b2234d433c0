"""End-to-end evaluation: the agent describes dev products found in a local index of product pages.

For each product the agent gets only its name and searches a local BM25 index of product pages (the
products' own pages plus train-split distractors, ``pages.py``). Measured on the final description and,
for comparison, on the raw draft: the unsupported-attribute rate (attribute mentions the product's own
page does not state / all mentions), coverage of the labelled attributes (fabric, sleeve, neck, fit,
pattern, colour), how often the own page was found, and seconds per product.

Ground truth is the product's own page, read with the shared vocabulary (``extract_mentions``), not the
labels alone: labels sometimes contradict the description, and a text that repeats the description is
right to. A mention is supported when the page states the same category with a value that implies it
(navy blue supports blue, not the reverse) and the same polarity; styling suggestions ("pair it with
blue jeans") say nothing about the product and are not counted. A labelled attribute is covered when the
text states a related value (same category; one contains the other; "Fabric: Blended" by any fabric);
labels the vocabulary cannot read ("Pattern: Melange") are uncheckable and count neither way.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from seamline.agents.lexicon import Mention, extract_mentions, vocabulary
from seamline.config import Settings
from seamline.errors import SeamlineError
from seamline.evaluation.pages import PageSet, Product, Retailer, build_pages, select_products
from seamline.results import DescribeResult

TARGETS = {"unsupported_rate_max": 0.01, "coverage_min": 0.9, "own_page_found_min": 0.95}
GROUND_TRUTH = (
    "the product's own page (attribute lines + human description; H&M: every article page of the "
    "product code), read with the shared vocabulary"
)
_GENERIC = {("material", "blend")}
"""Labels naming no value of their own ("Fabric: Blended"): any stated value of the category covers them."""
Progress = Callable[[str, int, int], None]
OnRow = Callable[[str, "ProductRow"], None]

# --- counting ---------------------------------------------------------------------------------------


def facts(text: str) -> list[Mention]:
    """The attribute mentions a text makes about the product (styling suggestions left out)."""
    return [m for m in extract_mentions(text) if not m.styling]


def is_stated(mention: Mention, page: Sequence[Mention]) -> bool:
    """True when the page states this value (or a more specific one) with the same polarity."""
    vocab = vocabulary()
    return any(
        f.category == mention.category
        and f.negated == mention.negated
        and vocab.implies(mention.category, f.value, mention.value)
        for f in page
    )


def label_values(lines: Iterable[str]) -> list[tuple[str, str]]:
    """(category, value) pairs the vocabulary reads from "Key: value" label lines."""
    return list(dict.fromkeys((m.category, m.value) for line in lines for m in extract_mentions(line)))


def coverage(text: str, labels: Mapping[str, Sequence[str]]) -> tuple[list[str], list[str], list[str]]:
    """(stated, missed, uncheckable) labelled attributes of a text."""
    vocab = vocabulary()
    said = [m for m in facts(text) if not m.negated]
    stated: list[str] = []
    missed: list[str] = []
    unknown: list[str] = []
    for attribute, lines in labels.items():
        wanted = label_values(lines)
        if not wanted:
            unknown.append(attribute)
        elif any(
            m.category == c and (vocab.related(c, v, m.value) or (c, v) in _GENERIC)
            for c, v in wanted
            for m in said
        ):
            stated.append(attribute)
        else:
            missed.append(attribute)
    return stated, missed, unknown


# --- report models ----------------------------------------------------------------------------------


class TextScore(BaseModel):
    """One text of one product, scored."""

    mentions: int = 0
    unsupported: list[str] = Field(default_factory=list, description="'category=value (surface)' items.")
    stated: list[str] = Field(default_factory=list, description="Labelled attributes the text states.")
    missed: list[str] = Field(default_factory=list, description="Labelled attributes it does not.")


class ProductRow(BaseModel):
    """One product's outcome."""

    id: str
    name: str
    own_page_found: bool = Field(description="An own page is in the evidence, judged about the product.")
    own_page_retrieved: bool = Field(description="An own page is in the evidence at all.")
    seconds: float
    state: str
    description: str = ""
    draft: str = ""
    final: TextScore = Field(default_factory=TextScore)
    final_details: TextScore = Field(default_factory=TextScore, description="Description + details lines.")
    raw_draft: TextScore = Field(default_factory=TextScore)
    uncheckable: list[str] = Field(default_factory=list, description="Labels the vocabulary cannot read.")
    error: str | None = None


class Figures(BaseModel):
    """Totals for one kind of text over all products."""

    mentions: int = 0
    unsupported: int = 0
    unsupported_rate: float = 0.0
    labelled: int = 0
    covered: int = 0
    coverage: float = 0.0


class RetailerReport(BaseModel):
    """The figures for one retailer's dev products."""

    retailer: Retailer
    split: str
    products: int
    index_pages: int
    distractors: int
    namesakes_left_out: int = Field(description="Train pages named exactly like an evaluated product.")
    final: Figures = Field(description="The final description.")
    final_details: Figures = Field(description="The final description plus the details lines.")
    raw_draft: Figures = Field(description="The drafter's text before the critic.")
    own_page_found: float
    own_page_retrieved: float
    seconds: dict[str, float] = Field(description="Seconds per product: median, mean, p90, max.")
    failed: int = 0
    uncheckable_labels: int = 0
    rows: list[ProductRow] = Field(default_factory=list)

    def meets_targets(self) -> bool:
        """True when the final text meets the issue's targets."""
        return (
            self.final.unsupported_rate <= TARGETS["unsupported_rate_max"]
            and self.final.coverage >= TARGETS["coverage_min"]
            and self.own_page_found >= TARGETS["own_page_found_min"]
        )


class E2EReport(BaseModel):
    """What `agent eval e2e` prints."""

    backend: str
    model: str
    ground_truth: str = GROUND_TRUTH
    targets: dict[str, float] = Field(default_factory=lambda: dict(TARGETS))
    retailers: list[RetailerReport] = Field(default_factory=list)


# --- scoring ----------------------------------------------------------------------------------------


def score_text(text: str, product: Product, page: Sequence[Mention]) -> TextScore:
    """Mentions, unsupported mentions and labelled attributes of one text."""
    mentions = facts(text)
    unsupported = [
        f"{m.category}={'not ' if m.negated else ''}{m.value} ({m.surface})"
        for m in mentions
        if not is_stated(m, page)
    ]
    stated, missed, _ = coverage(text, product.labels)
    return TextScore(mentions=len(mentions), unsupported=unsupported, stated=stated, missed=missed)


def details_text(result: DescribeResult) -> str:
    """The details as "attribute: value" lines."""
    return "\n".join(f"{d.attribute}: {d.value}" for d in result.details)


def score_product(product: Product, result: DescribeResult, seconds: float) -> ProductRow:
    """Score one describe result against the product's own pages and labels."""
    page = facts(product.text)
    own = [e for e in result.evidence if e.url in product.urls]
    final_details = "\n".join(t for t in (result.description, details_text(result)) if t)
    return ProductRow(
        id=product.id,
        name=product.name,
        own_page_found=any(e.about_product for e in own),
        own_page_retrieved=bool(own),
        seconds=round(seconds, 3),
        state=result.status.state,
        description=result.description,
        draft=result.draft,
        final=score_text(result.description, product, page),
        final_details=score_text(final_details, product, page),
        raw_draft=score_text(result.draft, product, page),
        uncheckable=coverage("", product.labels)[2],
    )


def _figures(scores: Sequence[TextScore]) -> Figures:
    mentions = sum(s.mentions for s in scores)
    unsupported = sum(len(s.unsupported) for s in scores)
    labelled = sum(len(s.stated) + len(s.missed) for s in scores)
    covered = sum(len(s.stated) for s in scores)
    return Figures(
        mentions=mentions,
        unsupported=unsupported,
        unsupported_rate=round(unsupported / mentions, 4) if mentions else 0.0,
        labelled=labelled,
        covered=covered,
        coverage=round(covered / labelled, 4) if labelled else 0.0,
    )


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


def summarise(pages: PageSet, split: str, rows: Sequence[ProductRow]) -> RetailerReport:
    """Totals over the products of one retailer."""
    n = len(rows) or 1
    return RetailerReport(
        retailer=pages.retailer,
        split=split,
        products=len(rows),
        index_pages=pages.distractors + sum(len(p.pages) for p in pages.products),
        distractors=pages.distractors,
        namesakes_left_out=pages.namesakes_left_out,
        final=_figures([r.final for r in rows]),
        final_details=_figures([r.final_details for r in rows]),
        raw_draft=_figures([r.raw_draft for r in rows]),
        own_page_found=round(sum(r.own_page_found for r in rows) / n, 4),
        own_page_retrieved=round(sum(r.own_page_retrieved for r in rows) / n, 4),
        seconds=_seconds([r.seconds for r in rows if r.error is None]),
        failed=sum(r.error is not None for r in rows),
        uncheckable_labels=sum(len(r.uncheckable) for r in rows),
        rows=list(rows),
    )


# --- running ----------------------------------------------------------------------------------------


def eval_settings(settings: Settings, pages: PageSet) -> Settings:
    """The agent's settings for an evaluation: the page index, no knowledge store, runs kept apart."""
    update: dict[str, Any] = {
        "search": f"local:{pages.path}",
        "knowledge": "none",
        "data_dir": settings.data_dir / "eval",
    }
    return Settings.model_validate({**settings.model_dump(), **update})


def evaluate_retailer(
    retailer: Retailer,
    settings: Settings,
    llm: Any,
    *,
    n: int | None = 100,
    split: str = "dev",
    distractors: int | None = None,
    seed: int = 0,
    namesakes: bool = False,
    root: Path | str | None = None,
    progress: Progress | None = None,
    on_row: OnRow | None = None,
) -> RetailerReport:
    """Build the page index for one retailer's dev products, run the agent on each name, score it."""
    products = select_products(retailer, n, split=split, root=root)
    pages = build_pages(
        retailer,
        products,
        settings.cache_dir,
        distractors=distractors,
        seed=seed,
        namesakes=namesakes,
        root=root,
    )
    return evaluate_pages(pages, settings, llm, split=split, progress=progress, on_row=on_row)


def evaluate_pages(
    pages: PageSet,
    settings: Settings,
    llm: Any,
    *,
    split: str = "dev",
    progress: Progress | None = None,
    on_row: OnRow | None = None,
    on_result: Callable[[Product, DescribeResult], None] | None = None,
) -> RetailerReport:
    """Run the agent (one, model loaded once) on each product of a page set and score the results.

    ``on_result`` hears each product's whole result, for measures the rows do not keep.
    """
    from seamline.api import Agent

    retailer, products = pages.retailer, pages.products
    rows: list[ProductRow] = []
    with Agent(eval_settings(settings, pages), llm=llm) as agent:
        if progress is not None:
            progress(retailer, 0, len(products))
        if products:  # load the index before the clock starts: it is built once per evaluation
            agent.toolbox.call("search_product", product=products[0].name, k=1)
        for i, product in enumerate(products):
            t0 = time.perf_counter()
            try:
                result = agent.describe(product.name)
                rows.append(score_product(product, result, time.perf_counter() - t0))
                if on_result is not None:
                    on_result(product, result)
            except SeamlineError as exc:
                rows.append(
                    ProductRow(
                        id=product.id,
                        name=product.name,
                        own_page_found=False,
                        own_page_retrieved=False,
                        seconds=round(time.perf_counter() - t0, 3),
                        state="failed",
                        error=str(exc),
                    )
                )
            if on_row is not None:
                on_row(retailer, rows[-1])
            if progress is not None:
                progress(retailer, i + 1, len(products))
    return summarise(pages, split, rows)


def run_e2e(
    settings: Settings,
    *,
    retailers: Sequence[Retailer] = ("myntra", "hm"),
    n: int | None = 100,
    split: str = "dev",
    distractors: int | None = None,
    seed: int = 0,
    namesakes: bool = False,
    llm: Any = None,
    root: Path | str | None = None,
    progress: Progress | None = None,
    on_row: OnRow | None = None,
) -> E2EReport:
    """The end-to-end evaluation on each retailer's dev products, with one model loaded once."""
    if llm is None:
        from seamline.llm import load_llm

        llm = load_llm(settings)
    report = E2EReport(backend=settings.backend, model=getattr(llm, "name", settings.model))
    for retailer in retailers:
        report.retailers.append(
            evaluate_retailer(
                retailer,
                settings,
                llm,
                n=n,
                split=split,
                distractors=distractors,
                seed=seed,
                namesakes=namesakes,
                root=root,
                progress=progress,
                on_row=on_row,
            )
        )
    return report
