"""The competitor report's models: what ``Agent.compete`` returns and what ``agent compete --json`` prints.

Every table row carries the evidence ids behind it: ``compN`` is a competitor listing, the product's
own evidence keeps its ids (``name``, ``E1`` ...), and ``T-...`` ids are the computed tables that the
summary prose is checked against.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from seamline.results import Claim, Detail, DraftModel, Evidence, RunStatus, Step, Usage

Verdict = Literal["like the market", "differs", "only yours", "gap", "rarely stated"]
"""Where the product stands on one attribute: like most competitors that state it, unlike them, the only
one stating it, silent where most competitors state it (a gap in its listing), or silent like them."""


class Price(BaseModel):
    """A price as a listing states it."""

    amount: float
    currency: str | None = Field(None, description="INR, USD, EUR, GBP ...; None where nothing says which.")
    text: str = Field("", description="The price as written.")


class ValueCount(BaseModel):
    """One value of an attribute and how many competitors state it."""

    value: str
    count: int
    evidence_ids: list[str] = Field(default_factory=list)


class Competitor(BaseModel):
    """One listing kept as a competitor, with its attributes as its evidence states them."""

    rank: int
    evidence_id: str = Field(description="The id of its listing in the report's evidence (compN).")
    name: str
    brand: str | None = None
    price: Price | None = None
    price_note: str = Field("", description="Why its price is left out of the price position, if it is.")
    url: str | None = Field(None, description="Where it came from: a catalog row (FILE:LINE), record or URL.")
    why: list[str] = Field(default_factory=list, description="Why it was kept.")
    shared: int = Field(0, description="Attribute values it has in common with the product.")
    attributes: list[Detail] = Field(default_factory=list, description="Read with the shared vocabulary.")
    evidence_ids: list[str] = Field(default_factory=list)


class Cell(BaseModel):
    """One competitor's value for one attribute, and how it compares with the product's."""

    evidence_id: str
    value: str | None = None
    relation: Literal["same", "differs", "only theirs", "not stated"] = Field(
        "not stated", description="only theirs: the competitor states it and the product does not."
    )
    evidence_ids: list[str] = Field(default_factory=list)


class MatrixRow(BaseModel):
    """One attribute: the product against every competitor."""

    attribute: str
    label: str = Field(description="The attribute as people say it (material -> fabric).")
    product: str | None = Field(None, description="The product's value, where its evidence states one.")
    product_evidence_ids: list[str] = Field(default_factory=list)
    cells: list[Cell] = Field(default_factory=list, description="One per competitor, in rank order.")
    stated: int = Field(0, description="Competitors that state the attribute.")
    same: int = Field(0, description="Competitors whose value is the product's (or contains it).")
    of: int = Field(0, description="Competitors in all.")
    common: list[ValueCount] = Field(
        default_factory=list, description="The market's values, commonest first."
    )
    others: list[ValueCount] = Field(
        default_factory=list, description="The market's values the product's do not contain, commonest first."
    )
    verdict: Verdict
    note: str = ""
    evidence_ids: list[str] = Field(default_factory=list)


class Gap(BaseModel):
    """An attribute most competitors state and the product's listing does not."""

    attribute: str
    label: str
    stated: int
    of: int
    common: list[ValueCount] = Field(default_factory=list)
    note: str = ""
    evidence_ids: list[str] = Field(default_factory=list)


class LeftOut(BaseModel):
    """A competitor price left out of the price position, and why."""

    evidence_id: str
    reason: str


class PriceGroup(BaseModel):
    """The prices of the competitors that share one attribute value (or a bundle) with the product."""

    attribute: str = Field(description="The attribute, or 'bundle' for all of the product's core ones.")
    value: str
    same: int = Field(description="Priced competitors that share it.")
    same_median: float | None = None
    other: int = Field(0, description="Priced competitors that do not.")
    other_median: float | None = None
    evidence_ids: list[str] = Field(default_factory=list)


class PricePosition(BaseModel):
    """Where the product's price sits among the competitors' prices, in one currency."""

    currency: str | None = None
    product_price: float | None = None
    product_evidence_ids: list[str] = Field(default_factory=list)
    prices: int = Field(0, description="Competitor prices compared.")
    median: float | None = None
    q1: float | None = Field(None, description="Lower quartile (the interquartile range is q1 to q3).")
    q3: float | None = None
    min: float | None = None
    max: float | None = None
    percentile: int | None = Field(
        None, description="Share of competitor prices below the product's (ties count half), 0-100."
    )
    left_out: list[LeftOut] = Field(default_factory=list)
    by_attribute: list[PriceGroup] = Field(default_factory=list)
    note: str = ""
    evidence_ids: list[str] = Field(default_factory=list)


class DoNotCopy(BaseModel):
    """A claim competitors make that the product's evidence cannot support (found by the critic)."""

    category: str
    value: str
    text: str = Field(description="How a competitor worded it.")
    verdict: Literal["unsupported", "contradicted", "disputed"]
    reason: str = ""
    competitors: list[str] = Field(default_factory=list, description="The listings that make it.")
    evidence_ids: list[str] = Field(default_factory=list)


class MarketSearch(BaseModel):
    """How the market was found: what was searched, how many candidates, what was left out and why."""

    searched: list[str] = Field(default_factory=list)
    product_type: str | None = None
    audience: str | None = None
    brand: str | None = None
    price_band: list[float] | None = Field(None, description="[low, high] in the product's currency.")
    currency: str | None = None
    considered: int = 0
    excluded: dict[str, int] = Field(default_factory=dict, description="reason -> candidates left out.")
    eligible: int = 0
    top: int = 10
    skipped_rows: int = Field(0, description="Catalog rows that could not be read.")
    skipped: list[str] = Field(default_factory=list, description="FILE:LINE: why, for each skipped row.")
    notes: list[str] = Field(default_factory=list)


class CompetitorReport(BaseModel):
    """A competitor analysis of one product: the market, the tables, a checked summary, the evidence."""

    run_id: str
    product: str
    summary: str = Field("", description="The prose, checked by the critic against the tables.")
    summary_source: Literal["model", "model+computed", "computed", "none"] = Field(
        "none",
        description="model: the model's draft after the critic; model+computed: that, then a sentence from "
        "the tables for each main fact it left unsaid; computed: from the tables alone.",
    )
    draft: str = Field("", description="The model's draft of the summary, before the critic.")
    claims: list[Claim] = Field(default_factory=list, description="Summary claims kept, with table ids.")
    removed: list[Claim] = Field(default_factory=list, description="Summary claims the critic removed.")
    product_details: list[Detail] = Field(default_factory=list, description="The product's own attributes.")
    product_price: Price | None = None
    market: MarketSearch = Field(default_factory=MarketSearch)
    competitors: list[Competitor] = Field(default_factory=list)
    matrix: list[MatrixRow] = Field(default_factory=list)
    gaps: list[Gap] = Field(default_factory=list)
    price_position: PricePosition = Field(default_factory=PricePosition)
    do_not_copy: list[DoNotCopy] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)
    usage: Usage = Field(default_factory=Usage)
    warnings: list[str] = Field(default_factory=list)
    status: RunStatus = Field(default_factory=RunStatus)
    model: DraftModel | None = None

    def to_markdown(self) -> str:
        """The report as Markdown (what ``agent compete`` prints)."""
        from seamline.report_compete import markdown

        return markdown(self)

    def to_html(self) -> str:
        """The report as one self-contained HTML page: the matrix as a table, the prices as inline SVG."""
        from seamline.report_compete import html_report

        return html_report(self)
