"""The critic evaluation: planted false attributes on dev products, and real drafts before and after.

For each product the evidence is its catalog record (plus its name); the description mixes statements
the record supports with planted false ones (critic_plants). Reported per error type: recall of planted
claims removed; overall: precision of removals, retention of supported statements, grammar of the
output, and the critic's time per description.
"""

from __future__ import annotations

import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from pydantic import BaseModel, Field

from seamline.agents.critic import check
from seamline.agents.critic.grammar import new_problems
from seamline.evaluation.critic_plants import ERROR_TYPES, Sample, write_sample
from seamline.evaluation.data import load_myntra, load_split, product_name, record_evidence


class ErrorTypeReport(BaseModel):
    """Recall on one kind of planted error."""

    error_type: str
    planted: int = 0
    removed: int = 0
    recall: float = 0.0


class DraftReport(BaseModel):
    """Unsupported attribute claims in real drafts, before and after the critic."""

    drafts: int = 0
    attribute_claims_before: int = 0
    unsupported_before: int = 0
    rate_before: float = 0.0
    attribute_claims_after: int = 0
    unsupported_after: int = 0
    rate_after: float = 0.0


class Miss(BaseModel):
    """A failure kept for reading: a planted claim left in, or a supported one taken out."""

    product_id: str
    kind: str
    what: str
    text: str
    output: str


class CriticEvalReport(BaseModel):
    """What `agent eval critic` prints."""

    split: str
    products: int
    seed: int
    planted: int = 0
    recall: float = Field(0.0, description="Planted false claims removed / planted.")
    removals: int = 0
    precision: float = Field(0.0, description="Removals that hit a planted claim / all removals.")
    supported: int = 0
    retention: float = Field(
        0.0, description="Supported statements still in the output / supported statements."
    )
    grammatical: float = Field(0.0, description="Outputs with no grammar problem the edit introduced.")
    grammar_problems: dict[str, int] = Field(default_factory=dict, description="New problems by check.")
    per_type: list[ErrorTypeReport] = Field(default_factory=list)
    ms_per_description: dict[str, float] = Field(
        default_factory=dict, description="Critic ms per description with new evidence: mean, p50, p95, max."
    )
    ms_recheck: dict[str, float] = Field(
        default_factory=dict,
        description="Critic ms when the evidence was read before (a revision): mean, p50, p95.",
    )
    drafts: DraftReport | None = None
    drafts_message: str = ""
    misses: list[Miss] = Field(default_factory=list, description="Up to 40 failures, to read.")


def _present(key: str, text: str) -> bool:
    return re.search(r"(?<![\w])" + re.escape(key.lower()) + r"(?![\w])", text.lower()) is not None


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 1.0


def run_critic_eval(
    *,
    split: str = "myntra_dev",
    limit: int | None = None,
    seed: int = 0,
    drafts: Mapping[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CriticEvalReport:
    """Run the planted-claims evaluation on a split's products; ``drafts`` maps product id to draft."""
    ids = load_split(split)[:limit] if limit else load_split(split)
    records = load_myntra(ids)
    report = CriticEvalReport(split=split, products=len(records), seed=seed)
    per_type = {t: ErrorTypeReport(error_type=t) for t in ERROR_TYPES}
    times: list[float] = []
    retimes: list[float] = []
    hits = removals = kept = supported = clean = 0
    grammar: Counter[str] = Counter()
    for n, record in enumerate(records):
        evidence = [record_evidence(record)]
        sample = write_sample(record, evidence[0].text.lower(), seed)
        t0 = time.perf_counter()
        result = check(sample.text, evidence, product=product_name(record))
        times.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        check(sample.text, evidence, product=product_name(record))
        retimes.append((time.perf_counter() - t0) * 1000)
        out = result.description
        for plant in sample.planted:
            stats = per_type[plant.error_type]
            stats.planted += 1
            if _present(plant.key, out):
                _miss(report, sample, "planted kept", f"{plant.error_type}: {plant.key}", out)
            else:
                stats.removed += 1
        for claim in result.removed:
            removals += 1
            if any(claim.start < p.end and p.start < claim.end for p in sample.planted):
                hits += 1
            else:
                _miss(
                    report, sample, "wrong removal", f"{claim.category}={claim.value} ({claim.reason})", out
                )
        for value in sample.supported:
            supported += 1
            if _present(value, out):
                kept += 1
            else:
                _miss(report, sample, "supported lost", value, out)
        extra = new_problems(sample.text, out)
        grammar.update(extra)
        clean += not extra
        if extra:
            _miss(report, sample, "grammar", ", ".join(extra), out)
        if progress is not None:
            progress(n + 1, len(records))
    planted = sum(s.planted for s in per_type.values())
    for stats in per_type.values():
        stats.recall = _ratio(stats.removed, stats.planted)
    report.planted = planted
    report.recall = _ratio(sum(s.removed for s in per_type.values()), planted)
    report.removals = removals
    report.precision = _ratio(hits, removals)
    report.supported = supported
    report.retention = _ratio(kept, supported)
    report.grammatical = _ratio(clean, len(records))
    report.grammar_problems = dict(grammar)
    report.per_type = [s for s in per_type.values() if s.planted]
    report.ms_per_description = _summary(times)
    report.ms_recheck = _summary(retimes)
    if drafts:
        report.drafts = draft_rates(records, drafts)
    else:
        report.drafts_message = (
            "real drafts skipped: no drafter available (pass drafts, a file of id -> draft)"
        )
    return report


def _summary(times: list[float]) -> dict[str, float]:
    if not times:
        return {}
    ordered = sorted(times)
    return {
        "mean": round(statistics.fmean(times), 3),
        "p50": round(ordered[len(ordered) // 2], 3),
        "p95": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 3),
        "max": round(ordered[-1], 3),
    }


def draft_rates(records: Sequence[Mapping], drafts: Mapping[str, str]) -> DraftReport:
    """The share of attribute claims in drafts the critic finds unsupported, before and after it edits."""
    rep = DraftReport()
    for record in records:
        draft = drafts.get(str(record.get("id")))
        if not draft:
            continue
        evidence = [record_evidence(record)]
        name = product_name(record)
        before = check(draft, evidence, product=name)
        after = check(before.description, evidence, product=name)
        rep.drafts += 1
        for res, which in ((before, "before"), (after, "after")):
            attrs = [c for c in res.claims + res.removed if c.category not in ("number", "brand")]
            bad = sum(1 for c in attrs if c.verdict != "supported")
            setattr(rep, f"attribute_claims_{which}", getattr(rep, f"attribute_claims_{which}") + len(attrs))
            setattr(rep, f"unsupported_{which}", getattr(rep, f"unsupported_{which}") + bad)
    rep.rate_before = (
        round(rep.unsupported_before / rep.attribute_claims_before, 4) if rep.attribute_claims_before else 0.0
    )
    rep.rate_after = (
        round(rep.unsupported_after / rep.attribute_claims_after, 4) if rep.attribute_claims_after else 0.0
    )
    return rep


def _miss(report: CriticEvalReport, sample: Sample, kind: str, what: str, out: str) -> None:
    if len(report.misses) < 40:
        report.misses.append(
            Miss(product_id=sample.product_id, kind=kind, what=what, text=sample.text, output=out)
        )
