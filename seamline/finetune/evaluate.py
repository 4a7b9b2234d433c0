"""`agent finetune eval`: the base drafter and a tuned one side by side, on the same dev products, in one run.

Each side runs the whole agent (plan, research in a local index, draft, critic, writer) on the first ``n``
Myntra and H&M dev products. The evidence is the product's own record as a catalog export holds it:
Myntra's "Key: value" facts without its human copy (the copy is what the drafter should write), H&M's
facts with its short factual description. Scored as `agent eval e2e` scores (the own page, read with the
shared vocabulary), plus what the issue asks of a drafter: dev loss and perplexity on cleaned dev copy,
how often the writer had to add its computed sentence, non-words, repeated phrases, draft tokens and
drafting seconds.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from seamline.evaluation.e2e import Figures, ProductRow, summarise

if TYPE_CHECKING:
    from seamline.config import Settings
    from seamline.evaluation.pages import PageSet, Product
    from seamline.results import DescribeResult

EVIDENCE = (
    "the product's own record in a local index of dev and train-split pages: Myntra's Key: value facts "
    "without its human copy; H&M's facts with its factual description"
)
_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
Progress = Callable[[str, str, int, int], None]
"""(side, retailer, done, total)."""


class SideFigures(BaseModel):
    """One side's figures on one retailer's products."""

    retailer: str
    products: int
    raw_draft: Figures
    final: Figures
    computed_sentence: float = Field(description="Share of products whose text needed the computed sentence.")
    nonwords_draft: float = Field(description="Share of draft word tokens in no dictionary.")
    nonwords_final: float = Field(description="Share of final word tokens in no dictionary.")
    nonword_examples: list[str] = Field(default_factory=list)
    repeated_trigrams_draft: float = Field(description="Share of draft word 3-grams said before in the text.")
    draft_tokens: float = Field(description="Mean tokens the drafter wrote.")
    draft_seconds: float = Field(description="Median seconds of the draft step.")
    seconds: float = Field(description="Median seconds of a whole run.")
    failed: int = 0


class Side(BaseModel):
    """The base model or the tuned one."""

    label: str
    adapter: str | None
    prompt: str
    dev_loss: float | None = None
    perplexity: float | None = None
    retailers: list[SideFigures] = Field(default_factory=list)


class Sample(BaseModel):
    """One product's texts from both sides."""

    retailer: str
    id: str
    product: str
    base_draft: str
    base: str
    tuned_draft: str
    tuned: str


class TuneEval(BaseModel):
    """What `agent finetune eval` prints."""

    n: int
    evidence: str = EVIDENCE
    dev_examples: int = 0
    base: Side
    tuned: Side
    samples: list[Sample] = Field(default_factory=list)


# -- text measures ------------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """Lower-case word tokens."""
    return [w.lower() for w in _WORD.findall(text)]


def nonwords(text: str, known: set[str]) -> list[str]:
    """Tokens in no dictionary ("tailtail", "V-necker"); a hyphenated word is known when its parts are."""
    out = []
    for word in words(text):
        parts = [p for p in re.split(r"['’-]", word) if p]
        if word not in known and not all(p in known for p in parts):
            out.append(word)
    return out


def repeated_trigrams(text: str) -> tuple[int, int]:
    """(3-grams that repeat an earlier one in the text, all 3-grams)."""
    tokens = words(text)
    grams = [tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)]
    seen: set[tuple[str, ...]] = set()
    repeats = 0
    for gram in grams:
        repeats += gram in seen
        seen.add(gram)
    return repeats, len(grams)


def known_words(records: Iterable[dict[str, Any]], *, min_count: int = 2) -> set[str]:
    """A dictionary from catalog copy: words written at least ``min_count`` times, and the vocabulary."""
    from seamline.agents.lexicon import vocabulary

    counts: Counter[str] = Counter()
    for record in records:
        counts.update(words(str(record.get("description") or "")))
    known = {w for w, n in counts.items() if n >= min_count}
    vocab = vocabulary()
    for key in (*vocab.surface, *vocab.garment_surface):
        known.update(words(key))
    return known


def computed_sentence_added(result: DescribeResult) -> bool:
    """Whether the writer had to add its computed sentence to the critic's cleaned draft."""
    from seamline.agents import writer
    from seamline.agents.critic import check

    if not result.draft.strip():
        return bool(result.description.strip())
    cleaned = check(result.draft, result.evidence, product=result.product).description
    kept = writer.prose(writer.drop_emptied(cleaned, result.draft))
    return " ".join(result.description.split()) != " ".join(kept.split())


# -- running ------------------------------------------------------------------------------------------


def dev_examples(n: int, root: Path | str | None = None) -> list[Any]:
    """Cleaned dev copy as examples in the compact prompt (for dev loss): the record without its copy."""
    from seamline.evaluation.data import load_myntra, load_split
    from seamline.finetune.data import (
        DESCRIPTION_KEYS,
        alpaca_row,
        clean_target,
        prose_description,
        record_evidence,
    )
    from seamline.finetune.examples import example_from_json
    from seamline.memory.records import record_title

    out = []
    for record in load_myntra(load_split("myntra_dev", root)[:n], root):
        copy = prose_description(next((str(record[k]) for k in DESCRIPTION_KEYS if record.get(k)), ""))
        name = record_title(record)
        if not copy or not name:
            continue
        evidence = record_evidence(record)
        target = clean_target(name, copy, evidence)
        if target.text:
            out.append(example_from_json(alpaca_row(name, evidence, target.text)))
    return out


def _side_figures(
    pages: PageSet, rows: Sequence[ProductRow], results: dict[str, DescribeResult], known: set[str]
) -> SideFigures:
    report = summarise(pages, "dev", rows)
    done = [results[r.id] for r in rows if r.id in results]
    draft_words = final_words = draft_odd = final_odd = 0
    repeats = grams = 0
    odd_examples: list[str] = []
    for result in done:
        evidence_words = {w for e in result.evidence for w in words(f"{e.title} {e.text}")}
        vocabulary = known | evidence_words
        odd = nonwords(result.draft, vocabulary)
        draft_odd += len(odd)
        draft_words += len(words(result.draft))
        final_bad = nonwords(result.description, vocabulary)
        final_odd += len(final_bad)
        final_words += len(words(result.description))
        odd_examples.extend(final_bad)
        r, g = repeated_trigrams(result.draft)
        repeats, grams = repeats + r, grams + g
    n = len(done) or 1
    return SideFigures(
        retailer=pages.retailer,
        products=len(rows),
        raw_draft=report.raw_draft,
        final=report.final,
        computed_sentence=round(sum(computed_sentence_added(r) for r in done) / n, 4),
        nonwords_draft=round(draft_odd / draft_words, 4) if draft_words else 0.0,
        nonwords_final=round(final_odd / final_words, 4) if final_words else 0.0,
        nonword_examples=list(dict.fromkeys(odd_examples))[:20],
        repeated_trigrams_draft=round(repeats / grams, 4) if grams else 0.0,
        draft_tokens=round(statistics.fmean(r.usage.completion_tokens for r in done), 1) if done else 0.0,
        draft_seconds=round(statistics.median(r.timings.get("generate", 0.0) for r in done), 3)
        if done
        else 0.0,
        seconds=report.seconds.get("median", 0.0),
        failed=report.failed,
    )


def run_side(
    label: str,
    settings: Settings,
    page_sets: Sequence[PageSet],
    known: set[str],
    *,
    progress: Progress | None = None,
) -> tuple[Side, dict[str, dict[str, DescribeResult]]]:
    """Run the agent with one model (loaded once) over every page set; the side's figures and results."""
    from seamline.evaluation.e2e import evaluate_pages
    from seamline.llm import load_llm, model_info

    llm = load_llm(settings)
    info = model_info(llm)
    side = Side(label=label, adapter=info.adapter, prompt=info.prompt_format or "few-shot")
    results: dict[str, dict[str, DescribeResult]] = {}
    for pages in page_sets:
        found: dict[str, DescribeResult] = {}

        def keep(product: Product, result: DescribeResult, found: dict[str, DescribeResult] = found) -> None:
            found[product.id] = result

        def step(retailer: str, done: int, total: int) -> None:
            if progress is not None:
                progress(label, retailer, done, total)

        report = evaluate_pages(pages, settings, llm, progress=step, on_result=keep)
        results[pages.retailer] = found
        side.retailers.append(_side_figures(pages, report.rows, found, known))
    return side, results


def evaluate_tuned(
    settings: Settings,
    adapter: Path | str,
    *,
    n: int = 100,
    retailers: Sequence[str] = ("myntra", "hm"),
    samples: int = 5,
    dev_loss_examples: int = 100,
    root: Path | str | None = None,
    progress: Progress | None = None,
) -> TuneEval:
    """Base (no adapter, few-shot prompt) against ``adapter`` (its tuning prompt), in one run."""
    from seamline.evaluation.data import load_myntra, load_split
    from seamline.evaluation.pages import build_pages, select_products
    from seamline.finetune.train import dev_loss

    page_sets = [
        build_pages(r, select_products(r, n, root=root, copy=False), settings.cache_dir, root=root)  # type: ignore[arg-type]
        for r in retailers
    ]
    known = known_words(load_myntra(load_split("myntra_train", root), root))
    base_settings = settings.model_copy(update={"adapter": "none"})
    tuned_settings = settings.model_copy(update={"adapter": str(adapter)})
    base, base_results = run_side("base", base_settings, page_sets, known, progress=progress)
    tuned, tuned_results = run_side("tuned", tuned_settings, page_sets, known, progress=progress)
    examples = dev_examples(dev_loss_examples, root) if dev_loss_examples else []
    if examples:
        from seamline.llm.adapters import resolve_adapter

        for side, path in ((base, None), (tuned, resolve_adapter(str(adapter), default_model=True))):
            side.dev_loss = dev_loss(settings, path, examples)
            side.perplexity = round(math.exp(side.dev_loss), 3) if math.isfinite(side.dev_loss) else None
    report = TuneEval(n=n, dev_examples=len(examples), base=base, tuned=tuned)
    for pages in page_sets:
        for product in pages.products[:samples]:
            b = base_results[pages.retailer].get(product.id)
            t = tuned_results[pages.retailer].get(product.id)
            if b is not None and t is not None:
                report.samples.append(
                    Sample(
                        retailer=pages.retailer,
                        id=product.id,
                        product=product.name,
                        base_draft=b.draft,
                        base=b.description,
                        tuned_draft=t.draft,
                        tuned=t.description,
                    )
                )
    return report


def dev_summary(report: TuneEval) -> dict[str, str]:
    """The figures of an evaluation as card lines: base -> tuned, per retailer."""
    lines: dict[str, str] = {
        "products": f"{report.n} per retailer; evidence: {report.evidence}",
        "dev loss (perplexity)": f"{report.base.dev_loss} ({report.base.perplexity}) -> "
        f"{report.tuned.dev_loss} ({report.tuned.perplexity}) on {report.dev_examples} cleaned dev examples",
    }
    for base, tuned in zip(report.base.retailers, report.tuned.retailers, strict=True):
        r = base.retailer
        lines[f"{r} raw-draft unsupported rate"] = (
            f"{base.raw_draft.unsupported_rate:.1%} -> {tuned.raw_draft.unsupported_rate:.1%}"
        )
        lines[f"{r} raw-draft coverage"] = f"{base.raw_draft.coverage:.2f} -> {tuned.raw_draft.coverage:.2f}"
        lines[f"{r} final unsupported rate"] = (
            f"{base.final.unsupported_rate:.1%} -> {tuned.final.unsupported_rate:.1%}"
        )
        lines[f"{r} final coverage"] = f"{base.final.coverage:.2f} -> {tuned.final.coverage:.2f}"
        lines[f"{r} computed sentence added"] = (
            f"{base.computed_sentence:.0%} -> {tuned.computed_sentence:.0%}"
        )
        lines[f"{r} non-words in the final text"] = f"{base.nonwords_final:.2%} -> {tuned.nonwords_final:.2%}"
        lines[f"{r} drafting seconds (median)"] = f"{base.draft_seconds} -> {tuned.draft_seconds}"
    return lines
