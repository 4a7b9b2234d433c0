"""State schemas and run context of the competitor graph (graphs/compete.py)."""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from typing import Annotated

from seamline.agents.market import Candidates
from seamline.compete_results import (
    Competitor,
    CompetitorReport,
    DoNotCopy,
    Gap,
    MarketSearch,
    MatrixRow,
    Price,
    PricePosition,
)
from seamline.graphs.context import RunContext
from seamline.graphs.state import add_usage, merge_evidence, merge_timings
from seamline.results import CheckResult, Detail, Evidence, Step, Usage


@dataclass(kw_only=True)
class CompeteContext(RunContext):
    """The run context, with the candidates a competitor catalog gives (read once per catalog)."""

    candidates: Candidates | None = None
    """Listings of ``--catalog``; None: competitors come from the local index or the web."""


@dataclass(kw_only=True)
class CompeteInput:
    """What a competitor analysis starts from."""

    product: str
    """The product name, trimmed."""

    top: int = 10
    """How many competitors to keep."""

    currency: str | None = None
    """The currency of catalog prices that name none (e.g. INR for a Myntra export)."""


@dataclass(kw_only=True)
class CompeteState(CompeteInput):
    """The working state of a competitor analysis."""

    evidence: Annotated[list[Evidence], merge_evidence] = field(default_factory=list)
    """The product's own evidence: its name, its record or page."""

    steps: Annotated[list[Step], operator.add] = field(default_factory=list)
    """The step log."""

    searched: Annotated[list[str], operator.add] = field(default_factory=list)
    """What was searched, in words, for the report."""

    rivals: list[Evidence] = field(default_factory=list)
    """The kept competitor listings as evidence (comp1, comp2 ...)."""

    market: MarketSearch = field(default_factory=MarketSearch)
    """How the market was found."""

    product_details: list[Detail] = field(default_factory=list)
    """The product's attributes, from its own evidence."""

    product_price: Price | None = None
    """The product's price, where its evidence states one."""

    price_ids: list[str] = field(default_factory=list)
    """The evidence that states the product's price."""

    competitors: list[Competitor] = field(default_factory=list)
    """The kept competitors with their attributes."""

    matrix: list[MatrixRow] = field(default_factory=list)
    """The product against the competitors, attribute by attribute."""

    gaps: list[Gap] = field(default_factory=list)
    """What most competitors state and the product's listing does not."""

    price_position: PricePosition = field(default_factory=PricePosition)
    """Where the product's price sits."""

    do_not_copy: list[DoNotCopy] = field(default_factory=list)
    """Competitor claims the product's evidence cannot support."""

    tables: list[Evidence] = field(default_factory=list)
    """The tables as evidence, for checking the prose."""

    digest: str = ""
    """The tables' main facts, one a line: what the model is asked to summarise."""

    draft: str = ""
    """The model's summary before the critic."""

    checked: CheckResult | None = None
    """The critic's verdict on the summary."""

    summary_source: str = "none"
    """model, computed or none."""

    usage: Annotated[Usage, add_usage] = field(default_factory=Usage)
    """LLM tokens used."""

    warnings: Annotated[list[str], operator.add] = field(default_factory=list)
    """What went wrong without stopping the run."""

    failed_sources: Annotated[list[str], operator.add] = field(default_factory=list)
    """Sources that failed."""

    stopped_by: str | None = None
    """The budget that stopped the model, if one did."""

    timings: Annotated[dict[str, float], merge_timings] = field(default_factory=dict)
    """Seconds per phase."""


@dataclass(kw_only=True)
class CompeteOutput:
    """What a finished competitor analysis returns."""

    report: CompetitorReport | None = None
    """The report."""
