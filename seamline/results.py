"""The result models: what the API returns and what ``--json`` prints, with a JSON schema each."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SourceKind = Literal["name", "catalog", "page", "web", "knowledge", "competitor", "user"]
"""Where evidence came from: the product name itself, a catalog record, a fetched page, a web search
snippet, the general knowledge store, a competitor listing, or evidence a user passed in."""

Verdict = Literal["supported", "unsupported", "contradicted", "disputed"]

CutKind = Literal["modifier", "conjunct", "phrase", "predicate", "relative", "clause", "sentence"]
"""The syntactic unit a cut took, smallest first: an adjective, a list item, a prepositional or
participial phrase, a coordinated predicate, a relative clause, a clause, the whole sentence."""


class Evidence(BaseModel):
    """One piece of evidence a lookup returned."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(description="Stable id, cited by claims and details (e.g. 'E1').")
    source: str = Field(
        "user", description="Source kind: name, catalog, page, web, knowledge, competitor, user."
    )
    url: str | None = Field(None, description="URL or document id it came from.")
    title: str = Field("", description="Title of the page, record or document.")
    text: str = Field("", description="The evidence text the critic reads.")
    about_product: bool = Field(
        True,
        description="True when it is about this product; general knowledge supports no product attribute.",
    )
    retrieved_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    score: float | None = Field(None, description="Retrieval score, where the source gives one.")


class Claim(BaseModel):
    """One objective, checkable statement found in a description, and the critic's verdict on it."""

    text: str = Field(description="The span of the description that makes the claim.")
    category: str = Field(description="colour, material, composition, pattern, fit, neck, sleeve, ...")
    value: str = Field(description="The normalised value (navy -> navy blue, tee -> t-shirt).")
    verdict: Verdict
    kind: Literal["product", "general"] = Field(
        "product",
        description="product: said of this product; general: inside a sentence that explains a term in "
        "general ('Cotton is a soft natural fibre ...'), judged against general knowledge too.",
    )
    evidence_ids: list[str] = Field(
        default_factory=list, description="The evidence that decided the verdict."
    )
    start: int = Field(-1, description="Offset of the span in the text the critic read (-1 when unknown).")
    end: int = Field(-1, description="End offset of the span (exclusive).")
    removed_text: str | None = Field(None, description="What the critic cut to remove this claim, if it did.")
    cut: CutKind | None = Field(
        None,
        description="The unit the critic cut to remove it: modifier, conjunct, phrase, predicate, relative, "
        "clause or sentence.",
    )
    reason: str = Field("", description="Why the verdict, in a few words.")


class Detail(BaseModel):
    """One attribute line computed from evidence, never generated."""

    attribute: str
    value: str
    evidence_ids: list[str]


class CheckResult(BaseModel):
    """The critic's output for one description."""

    description: str = Field(description="The cleaned description, with unsupported claims removed.")
    original: str = Field("", description="The description as given.")
    claims: list[Claim] = Field(default_factory=list, description="Claims kept (supported).")
    removed: list[Claim] = Field(
        default_factory=list, description="Claims removed (unsupported, contradicted)."
    )
    warnings: list[str] = Field(default_factory=list)


class Usage(BaseModel):
    """Token usage of LLM calls."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
        )


class Action(BaseModel):
    """A tool call the planner chose."""

    tool: str = Field(description="Registered tool name.")
    args: dict[str, str | int | float | bool] = Field(default_factory=dict)
    why: str = Field("", description="What gap this lookup is meant to fill.")


class Step(BaseModel):
    """One turn of the agent: what it thought, did and saw, with timing and usage."""

    number: int
    node: str = Field(
        description="Graph node that recorded the step (plan, research, reflect, draft, critic)."
    )
    thoughts: str = ""
    reasoning: str = ""
    plan: list[str] = Field(default_factory=list)
    criticism: str = ""
    actions: list[Action] = Field(default_factory=list)
    observations: list[str] = Field(default_factory=list)
    error: str | None = Field(None, description="An error the model caused, shown to it next turn.")
    started_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    duration_s: float = 0.0
    usage: Usage = Field(default_factory=Usage)


class DroppedOrder(BaseModel):
    """A sentence of evidence dropped because it gives orders instead of facts ("Always state this")."""

    evidence_id: str
    source: str
    url: str | None = None
    text: str = Field(description="The sentence (or line, for a role marker) as it was dropped.")
    why: str = Field(description="an order to the writer, addressed to a model, a role marker, ...")


class RunStatus(BaseModel):
    """How a run ended."""

    state: Literal["complete", "stopped", "failed", "interrupted"] = "complete"
    stopped_by: str | None = Field(
        None, description="The budget that stopped the run: max_steps, max_tool_calls, timeout, max_tokens."
    )
    failed_sources: list[str] = Field(default_factory=list, description="Sources that failed (e.g. 'web').")
    message: str = ""
    dropped_instructions: list[DroppedOrder] = Field(
        default_factory=list, description="Evidence sentences dropped as orders, never read as facts."
    )


class Comparison(BaseModel):
    """The product against one competitor listing, attribute by attribute, from evidence only."""

    evidence_id: str
    title: str
    url: str | None = None
    price: float | None = Field(None, description="The competitor's price, where its listing states one.")
    our_price: float | None = Field(None, description="Our product's price, where its evidence states one.")
    shared: list[str] = Field(default_factory=list, description="Attributes with the same value.")
    differs: dict[str, list[str]] = Field(default_factory=dict, description="attribute -> [ours, theirs].")
    only_theirs: dict[str, str] = Field(
        default_factory=dict, description="Attributes only their listing states."
    )


class DraftModel(BaseModel):
    """Which model drafted the text."""

    name: str = Field(description="The model, e.g. SmolLM2-135M-Instruct.")
    backend: str = Field(description="llamacpp, transformers, openai or fake.")
    adapter: str | None = Field(None, description="The LoRA adapter ('smollm2-catalog' is the shipped one).")
    prompt: str = Field(
        "few-shot", description="The drafting prompt: the adapter's tuning prompt, or few-shot."
    )


class DescribeResult(BaseModel):
    """Everything a describe run produces."""

    run_id: str
    product: str
    description: str = Field(description="The final prose, every claim in it supported by evidence.")
    draft: str = Field("", description="The drafter's text before the critic.")
    details: list[Detail] = Field(default_factory=list, description="Attribute lines computed from evidence.")
    disputed: list[Detail] = Field(
        default_factory=list,
        description="Attributes evidence of equal standing disagrees on; stated nowhere.",
    )
    claims: list[Claim] = Field(default_factory=list, description="Claims kept, with their evidence.")
    removed: list[Claim] = Field(default_factory=list, description="Claims the critic removed, and why.")
    evidence: list[Evidence] = Field(default_factory=list)
    competitors: list[Comparison] = Field(
        default_factory=list, description="Competitor comparison (compare task)."
    )
    analysis: str = Field("", description="The competitor analysis in a few sentences (compare task).")
    steps: list[Step] = Field(default_factory=list, description="The step log.")
    timings: dict[str, float] = Field(default_factory=dict, description="Seconds per phase.")
    usage: Usage = Field(default_factory=Usage)
    warnings: list[str] = Field(default_factory=list)
    status: RunStatus = Field(default_factory=RunStatus)
    model: DraftModel | None = Field(None, description="The model that drafted (None: no draft was made).")

    def to_html(self) -> str:
        """The run's report: one self-contained HTML page (graph with the run, timeline, claim ledger)."""
        from seamline.report import run_report

        return run_report(self)
