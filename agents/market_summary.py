"""The report's prose: drafted by the model from the computed tables, then checked against those tables.

The tables become evidence (ids ``T-market``, ``T-prices``, ``T-matrix``, ``T-gaps``, ``T-competitors``)
and the critic judges the draft against them exactly as it judges a description against a product's
evidence. Then every figure left in the prose must be a figure of the tables: a sentence with any other
figure ("the 45th percentile" where the tables say 40) is dropped. Where nothing of the draft survives,
the summary is computed from the tables alone, and says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from seamline.agents import prompts
from seamline.agents.analyst import label
from seamline.agents.lexicon import extract_mentions, split_sentences, vocabulary
from seamline.agents.prices import money
from seamline.compete_results import Competitor, Gap, MarketSearch, MatrixRow, PricePosition
from seamline.llm.base import LLM, GenerationParams
from seamline.results import CheckResult, Claim, Evidence, Usage

_NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
_FIGURE = re.compile(
    r"(?<![A-Za-z0-9])(?:(?P<n>\d+(?:[.,]\d+)*)(?:st|nd|rd|th)?|(?P<w>"
    + "|".join(_NUMBER_WORDS)
    + r"))(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_AFTER = re.compile(r"\s+(?:of\s+(?P<of>\S+)\s+)?(?P<noun>competitors?|candidates?|listings?)\b", re.I)
_PERCENTILE = re.compile(r"percentile\s*(?:of\s*)?$", re.I)


def _norm_figure(raw: str) -> str:
    if raw.lower() in _NUMBER_WORDS:
        return _NUMBER_WORDS[raw.lower()]
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
        raw = raw.replace(",", "")
    raw = raw.replace(",", ".")
    try:
        value = float(raw)
    except ValueError:
        return raw
    return str(int(value)) if value == int(value) else repr(value)


def figures(text: str) -> list[str]:
    """Every figure of a text, normalised: "1,299" -> "1299", "45th" -> "45", "six" -> "6"; not "T20"."""
    return [_norm_figure(m.group("n") or m.group("w")) for m in _FIGURE.finditer(text)]


def _facts(text: str) -> set[tuple[str, str]]:
    """Each figure of a text, bare and with what it counts.

    ("competitor", "8"), ("competitor", "10") and ("of", "8 of 10") for "8 of 10 competitors";
    ("percentile", "45") for "percentile 45" or "45th percentile"; ("", "1299") for every figure.
    """
    out: set[tuple[str, str]] = set()
    for m in _FIGURE.finditer(text):
        value = _norm_figure(m.group("n") or m.group("w"))
        out.add(("", value))
        after = _AFTER.match(text, m.end())
        if after is not None:
            noun = after.group("noun").lower().rstrip("s")
            out.add((noun, value))
            if after.group("of"):
                whole = _norm_figure(after.group("of"))
                out.add((noun, whole))
                out.add(("of", f"{value} of {whole}"))
        if _PERCENTILE.search(text[max(0, m.start() - 20) : m.start()]) or re.match(
            r"\s+percentile", text[m.end() :], re.I
        ):
            out.add(("percentile", value))
    return out


def foreign_figures(text: str, tables: Sequence[Evidence]) -> list[str]:
    """The figures of ``text`` that no table states with the same meaning (the issue's target: none).

    A bare figure must be a figure of the tables; one that counts competitors or candidates must count
    them in the tables too, and a percentile must be the tables' percentile.
    """
    known: set[tuple[str, str]] = set()
    for t in tables:
        known |= _facts(f"{t.title}\n{t.text}")
    foreign = []
    for kind, value in sorted(_facts(text), key=lambda f: (f[0] == "of", f)):
        if (kind, value) not in known and value not in foreign:
            foreign.append(value)
    return foreign


def _join(values: Sequence[str]) -> str:
    values = list(values)
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " and " + values[-1]


def tables_evidence(
    product: str,
    market: MarketSearch,
    rivals: Sequence[Competitor],
    rows: Sequence[MatrixRow],
    gap_list: Sequence[Gap],
    price: PricePosition,
) -> list[Evidence]:
    """The computed tables as evidence text, one item per table, for the critic to judge the prose by."""
    n = len(rivals)
    lines = [
        f"Product: {product}",
        f"Competitors: {n} competitors kept of {market.considered} candidates considered.",
    ]
    if market.product_type:
        lines.append(f"Product type: {market.product_type}.")
    if market.audience:
        lines.append(f"Audience: {market.audience}.")
    tables = [("T-market", "Market", lines)]
    cur = price.currency
    lines = []
    if price.prices:
        lines += [
            f"Competitor prices: {price.prices} in {cur or 'one unstated currency'}; median "
            f"{money(price.median, cur)}; interquartile range {money(price.q1, cur)} to "
            f"{money(price.q3, cur)}; "
            f"lowest {money(price.min, cur)}; highest {money(price.max, cur)}."
        ]
    if price.product_price is not None:
        at = f", at percentile {price.percentile}" if price.percentile is not None else ""
        lines.append(f"Your price: {money(price.product_price, cur)}{at}.")
    for group in price.by_attribute:
        what = "your bundle" if group.attribute == "bundle" else label(group.attribute)
        lines.append(
            f"Price by {what} ({group.value}): {group.same} competitors share it, median "
            f"{money(group.same_median, cur)}; {group.other} do not, median {money(group.other_median, cur)}."
        )
    if price.left_out:
        lines.append(f"Prices left out: {len(price.left_out)}.")
    tables.append(("T-prices", "Price position", lines))
    lines = []
    for row in rows:
        common = ", ".join(f"{c.value} ({c.count})" for c in row.common)
        ours = f"yours {row.product}" if row.product else "yours not stated"
        lines.append(
            f"{row.label.capitalize()}: {ours}; {row.stated} of {row.of} competitors state it"
            + (f", commonest {common}" if common else "")
            + f"; {row.verdict}."
        )
    tables.append(("T-matrix", "Attribute matrix", lines))
    tables.append(("T-gaps", "Gaps in your listing", [f"Gap: {g.note}." for g in gap_list]))
    lines = []
    for c in rivals:
        where = f"; price {money(c.price.amount, c.price.currency)}" if c.price else ""
        lines.append(
            f"{c.evidence_id}: {c.name}; brand {c.brand or 'not stated'}{where}; {c.shared} values in common."
        )
    tables.append(("T-competitors", "Competitors", lines))
    return [
        Evidence(id=tid, source="table", title=title, text="\n".join(text), about_product=True)
        for tid, title, text in tables
        if text
    ]


def digest(
    rivals: Sequence[Competitor],
    rows: Sequence[MatrixRow],
    gap_list: Sequence[Gap],
    price: PricePosition,
    considered: int,
) -> str:
    """The few facts the model is asked to summarise, one a line.

    A 135M model loses its way in a long table; the critic still checks its text against all of them.
    """
    cur = price.currency
    lines = [f"Competitors: {len(rivals)} competitors kept of {considered} candidates considered."]
    if price.prices:
        lines.append(
            f"Competitor prices: median {money(price.median, cur)}; lowest {money(price.min, cur)}; "
            f"highest {money(price.max, cur)}."
        )
    if price.product_price is not None:
        at = f", at percentile {price.percentile}" if price.percentile is not None else ""
        lines.append(f"Your price: {money(price.product_price, cur)}{at}.")
    like = [f"{r.label} ({r.product})" for r in rows if r.verdict == "like the market"][:3]
    if like:
        lines.append("Like the market: " + "; ".join(like) + ".")
    differs = [
        f"{r.label} (yours {r.product}; commonest other {r.others[0].value})"
        for r in rows
        if r.verdict == "differs" and r.others
    ][:2]
    if differs:
        lines.append("Differs: " + "; ".join(differs) + ".")
    lines += [
        f"Gap: {g.stated} of {g.of} competitors state the {g.label}; your listing does not."
        for g in gap_list[:2]
    ]
    return "\n".join(lines)


def computed_sentences(
    product: str,
    rivals: Sequence[Competitor],
    rows: Sequence[MatrixRow],
    gap_list: Sequence[Gap],
    price: PricePosition,
    considered: int,
) -> list[tuple[str, str]]:
    """(what it covers, sentence) for each fact of the tables' digest, written from the tables alone."""
    n = len(rivals)
    if n == 0:
        return [("count", f"No competitors were found for {product} among {considered} candidates.")]
    out = [("count", f"{n} competitors were kept of {considered} candidates.")]
    cur = price.currency
    if price.prices and price.product_price is not None and price.percentile is not None:
        out.append(
            (
                "price",
                f"At {money(price.product_price, cur)} your price is at percentile {price.percentile}, "
                f"against a median of {money(price.median, cur)}.",
            )
        )
    elif price.prices:
        out.append(("price", f"The median competitor price is {money(price.median, cur)}."))
    like = [f"{r.label} ({r.product})" for r in rows if r.verdict == "like the market"]
    differs = [
        f"{r.label} (yours {r.product}, where most state another, commonest {r.others[0].value})"
        for r in rows
        if r.verdict == "differs" and r.others
    ]
    if like:
        out.append(("like", f"Your listing is like most of the market on {_join(like[:3])}."))
    if differs:
        out.append(("differs", f"It differs on {_join(differs[:2])}."))
    if gap_list:
        g = gap_list[0]
        out.append(("gap", f"{g.stated} of {g.of} competitors state the {g.label}; your listing does not."))
    return out


def computed_summary(
    product: str,
    rivals: Sequence[Competitor],
    rows: Sequence[MatrixRow],
    gap_list: Sequence[Gap],
    price: PricePosition,
    considered: int,
) -> str:
    """A summary built from the tables alone: what the report says when the model's draft keeps nothing."""
    return " ".join(s for _, s in computed_sentences(product, rivals, rows, gap_list, price, considered))


def uncovered(
    text: str, rows: Sequence[MatrixRow], gap_list: Sequence[Gap], price: PricePosition
) -> set[str]:
    """Which facts of the digest (count, price, like, differs, gap) a checked summary leaves unsaid."""
    said = set(figures(text))
    lowered = text.lower()
    out = set()
    if not said:
        out.add("count")
    price_figures = {_norm_figure(str(v)) for v in (price.product_price, price.median, price.percentile) if v}
    if not said & price_figures:
        out.add("price")
    for kind, labels in (
        ("like", [r.label for r in rows if r.verdict == "like the market"]),
        ("differs", [r.label for r in rows if r.verdict == "differs"]),
        ("gap", [g.label for g in gap_list[:1]]),
    ):
        if labels and not any(lb in lowered for lb in labels):
            out.add(kind)
    return out


def draft_summary(
    llm: LLM,
    params: GenerationParams,
    product: str,
    facts: str,
    *,
    on_token: Callable[[str], None] | None = None,
) -> tuple[str, Usage]:
    """The model's summary of the tables' digest, tidied like a description draft."""
    from seamline.agents.drafter import tidy

    messages = prompts.market_messages(product, facts)
    if on_token is None:
        reply = llm.generate(messages, params)
        usage = Usage(prompt_tokens=reply.prompt_tokens, completion_tokens=reply.completion_tokens)
        return tidy(reply.text, product), usage
    pieces = []
    for piece in llm.stream(messages, params):
        pieces.append(piece)
        on_token(piece)
    return tidy("".join(pieces), product), Usage(completion_tokens=len(pieces))


_DIGIT_START = re.compile(r"(?<=[.!?])\s+(?=\d)")
_ABBREVIATION = re.compile(r"\b(?:rs|no|nos|approx|vs|inr|usd|eur|gbp)\.$", re.IGNORECASE)


def summary_sentences(text: str) -> list[str]:
    """The lexicon's sentences, also split where a sentence starts with a figure ("... fit. 5 of 9 ...")."""
    out: list[str] = []
    for sentence in split_sentences(text):
        start = 0
        for m in _DIGIT_START.finditer(sentence):
            if not _ABBREVIATION.search(sentence[start : m.start()]):
                out.append(sentence[start : m.start()].strip())
                start = m.end()
        out.append(sentence[start:].strip())
    return [s for s in out if s]


def _says_something(sentence: str) -> bool:
    """A sentence that states a figure or an attribute value (what the tables are about)."""
    return bool(figures(sentence) or extract_mentions(sentence))


_CLAUSE = re.compile(r"\s*(?:[;,:]\s*(?:while|but|whereas|and)?|\s(?:while|but|whereas))\s+", re.IGNORECASE)
_SAYS_DIFFERS = re.compile(r"\bdiffer", re.IGNORECASE)
_SAYS_LIKE = re.compile(r"\blike (?:the|most of the) market\b", re.IGNORECASE)


def wrong_relations(sentence: str, rows: Sequence[MatrixRow]) -> list[str]:
    """What a sentence gets wrong about where the product stands, by the matrix.

    A clause that says the product's value differs where the matrix says it is like the market, or
    the reverse ("the checked pattern differs" when most competitors are checked too).
    """
    vocab = vocabulary()
    by_attribute = {r.attribute: r for r in rows}
    wrong = []
    for clause in _CLAUSE.split(sentence):
        says = (
            "differs"
            if _SAYS_DIFFERS.search(clause)
            else "like the market"
            if _SAYS_LIKE.search(clause)
            else None
        )
        if says is None:
            continue
        verdicts = {}
        for m in extract_mentions(clause):
            row = by_attribute.get(m.category)
            ours = [v.strip() for v in (row.product or "").split(",")] if row else []
            if row is not None and any(vocab.related(m.category, m.value, o) for o in ours if o):
                verdicts[row.label] = row.verdict
        if verdicts and says not in verdicts.values():
            claim = "differs" if says == "differs" else "is like the market"
            wrong += [f"the tables say the {lb} is {v}, not that it {claim}" for lb, v in verdicts.items()]
    return wrong


def check_summary(
    text: str, tables: Sequence[Evidence], product: str, rows: Sequence[MatrixRow] = ()
) -> CheckResult:
    """The critic against the tables, sentence by sentence.

    A sentence that loses a claim to the critic goes whole: a sentence built on a wrong figure or value
    is wrong in what it says about it, so the critic's smallest cut, right for a description, would
    leave a wrong argument. So does a sentence that keeps a figure no table states with the same
    meaning, one that says the product differs where the matrix (``rows``) says it is like the market
    (or the reverse), and one that states nothing the tables do (no figure, no attribute value).
    """
    from seamline.agents.critic import check

    items = list(tables)
    sentences = summary_sentences(text)
    removed: list[Claim] = []
    result = CheckResult(description="", original=text)
    for _ in range(3):  # a sentence dropped never changes another, so this settles at once
        joined = " ".join(sentences)
        result = (
            check(joined, items, product=product, specifics=False) if joined else CheckResult(description="")
        )
        if not result.removed:
            break
        starts = []
        pos = 0
        for sentence in sentences:
            starts.append(pos)
            pos += len(sentence) + 1
        drop: set[int] = set()
        for claim in result.removed:
            if claim.start >= 0:
                index = max(i for i, start in enumerate(starts) if start <= claim.start)
            else:
                index = next((i for i, s in enumerate(sentences) if claim.text in s), -1)
            if index >= 0:
                drop.add(index)
                removed.append(
                    claim.model_copy(update={"removed_text": sentences[index], "start": -1, "end": -1})
                )
        if not drop:
            break  # nothing placed: keep the critic's own cut
        sentences = [s for i, s in enumerate(sentences) if i not in drop]
    if result.removed:  # a claim the critic removed but no sentence could be found for: its cut stands
        sentences = summary_sentences(result.description)
    kept = []
    for sentence in sentences:
        foreign = foreign_figures(sentence, tables)
        relations = wrong_relations(sentence, rows)
        if foreign:
            reason = f"no table states {', '.join(foreign)} in this sense"
            removed.append(_dropped(sentence, "number", ", ".join(foreign), reason))
        elif relations:
            removed.append(_dropped(sentence, "relation", sentence, "; ".join(relations)))
        elif not _says_something(sentence):
            removed.append(
                _dropped(sentence, "sentence", sentence, "states no figure or value of the tables")
            )
        else:
            kept.append(sentence)
    final = " ".join(kept)
    claims = (
        check(final, items, product=product, specifics=False).claims
        if final and len(kept) < len(sentences)
        else result.claims
    )
    return CheckResult(
        description=final, original=text, claims=claims, removed=removed, warnings=result.warnings
    )


def _dropped(sentence: str, category: str, value: str, reason: str) -> Claim:
    return Claim(
        text=sentence,
        category=category,
        value=value,
        verdict="unsupported",
        reason=reason,
        removed_text=sentence,
    )
