"""The analyst: the product against its market, attribute by attribute and price by price, from evidence.

Every competitor's attributes are read from its listing with the shared vocabulary (the one the critic
judges with), so "full sleeves" and "long sleeves" are one value. The tables are computed, never
generated; the summary prose (agents/market_summary.py) is checked against them.

``compare`` and ``summary`` are the older one-line-per-listing comparison of the describe graph's
``analyse`` node.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence

from seamline.agents.lexicon import ATTRIBUTE_CATEGORIES, details_from_evidence, vocabulary
from seamline.agents.market import Kept, comparable
from seamline.agents.prices import percentile_rank, quartiles
from seamline.compete_results import (
    Cell,
    Competitor,
    DoNotCopy,
    Gap,
    LeftOut,
    MatrixRow,
    Price,
    PriceGroup,
    PricePosition,
    ValueCount,
)
from seamline.results import Comparison, Detail, Evidence

LABELS = {"material": "fabric", "care": "care instructions", "feature": "features", "origin": "origin"}
"""Attributes as a merchandiser says them, where the vocabulary's name differs."""
_FIRST = (
    "material",
    "composition",
    "colour",
    "pattern",
    "fit",
    "sleeve",
    "neck",
    "collar",
    "length",
    "closure",
)
ORDER = (*_FIRST, *(c for c in ATTRIBUTE_CATEGORIES if c not in _FIRST))
"""The matrix's row order: what a shopper reads first, then the rest of the vocabulary's categories."""
CORE = ("material", "fit", "pattern", "sleeve", "neck", "collar", "length", "closure")
"""Attributes whose values bundle into what a price buys (colour and season do not)."""
NOT_COPYABLE = frozenset({"brand", "colour", "audience", "number"})
"""Claim categories that identify a competitor's own listing rather than something a copywriter would
borrow; left out of "do not copy"."""


def label(attribute: str) -> str:
    """The attribute as people say it."""
    return LABELS.get(attribute, attribute)


def _values(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


# --- competitors ---------------------------------------------------------------------------------------


def competitor_evidence(kept: Sequence[Kept]) -> list[Evidence]:
    """Each kept listing as evidence comp1, comp2 ...; never evidence about the product itself."""
    return [
        Evidence(
            id=f"comp{rank}",
            source="competitor",
            url=k.listing.url or k.listing.key,
            title=k.listing.name,
            text=k.listing.text,
            about_product=False,
        )
        for rank, k in enumerate(kept, start=1)
    ]


def competitors(kept: Sequence[Kept], evidence: Sequence[Evidence]) -> list[Competitor]:
    """The kept listings with their attributes as their own evidence states them, each with its id."""
    out = []
    for rank, (k, item) in enumerate(zip(kept, evidence, strict=True), start=1):
        as_listing = item.model_copy(update={"about_product": True})
        details = [d for d in details_from_evidence("", [as_listing]) if d.attribute != "brand"]
        out.append(
            Competitor(
                rank=rank,
                evidence_id=item.id,
                name=k.listing.name,
                brand=k.listing.brand,
                price=k.listing.price,
                price_note=k.listing.price_note if k.listing.price is None else "",
                url=k.listing.url or k.listing.key,
                why=k.why,
                shared=len(k.shared),
                attributes=details,
                evidence_ids=[item.id],
            )
        )
    return out


# --- the attribute matrix and the gaps ---------------------------------------------------------------


def _relation(attribute: str, ours: list[str], theirs: list[str]) -> str:
    if not theirs:
        return "not stated"
    if not ours:
        return "only theirs"
    vocab = vocabulary()
    same = any(vocab.related(attribute, a, b) for a in ours for b in theirs)
    return "same" if same else "differs"


def matrix(product: Sequence[Detail], rivals: Sequence[Competitor]) -> list[MatrixRow]:
    """One row per attribute the product or any competitor states, with where the product stands."""
    mine = {d.attribute: d for d in product if d.attribute != "brand"}
    theirs = [{d.attribute: d for d in c.attributes} for c in rivals]
    stated_anywhere = set(mine) | {a for t in theirs for a in t}
    rows = []
    n = len(rivals)
    for attribute in sorted(stated_anywhere, key=lambda a: ORDER.index(a) if a in ORDER else len(ORDER)):
        ours = mine.get(attribute)
        our_values = _values(ours.value if ours else None)
        cells = []
        counts: Counter[str] = Counter()
        ids_of: dict[str, list[str]] = {}
        for c, t in zip(rivals, theirs, strict=True):
            detail = t.get(attribute)
            values = _values(detail.value if detail else None)
            for v in values:
                counts[v] += 1
                ids_of.setdefault(v, []).append(c.evidence_id)
            cells.append(
                Cell(
                    evidence_id=c.evidence_id,
                    value=detail.value if detail else None,
                    relation=_relation(attribute, our_values, values),  # type: ignore[arg-type]
                    evidence_ids=[c.evidence_id] if detail else [],
                )
            )
        stated = sum(1 for cell in cells if cell.value is not None)
        same = sum(1 for cell in cells if cell.relation == "same")
        common = [ValueCount(value=v, count=k, evidence_ids=ids_of[v]) for v, k in counts.most_common(3)]
        vocab = vocabulary()
        others = [
            ValueCount(value=v, count=k, evidence_ids=ids_of[v])
            for v, k in counts.most_common()
            if not any(vocab.related(attribute, v, o) for o in our_values)
        ][:3]
        verdict, note = _verdict(attribute, ours.value if ours else None, stated, same, n, others)
        rows.append(
            MatrixRow(
                attribute=attribute,
                label=label(attribute),
                product=ours.value if ours else None,
                product_evidence_ids=list(ours.evidence_ids) if ours else [],
                cells=cells,
                stated=stated,
                same=same,
                of=n,
                common=common,
                others=others,
                verdict=verdict,  # type: ignore[arg-type]
                note=note,
                evidence_ids=list(
                    dict.fromkeys(
                        [*(ours.evidence_ids if ours else []), *(e for c in cells for e in c.evidence_ids)]
                    )
                ),
            )
        )
    return rows


def _verdict(
    attribute: str, ours: str | None, stated: int, same: int, n: int, others: list[ValueCount]
) -> tuple[str, str]:
    name = label(attribute)
    if ours is not None:
        if stated == 0:
            return "only yours", f"no competitor states the {name}"
        if 2 * same > stated:
            return "like the market", f"like {same} of the {stated} competitors that state the {name}"
        other = f"; the commonest other is {others[0].value} ({others[0].count})" if others else ""
        return (
            "differs",
            f"yours is {ours}, like {same} of the {stated} competitors that state the {name}{other}",
        )
    if 2 * stated > n:
        return "gap", f"{stated} of {n} competitors state the {name}; your listing does not"
    return "rarely stated", f"{stated} of {n} competitors state the {name}; your listing does not either"


def gaps(rows: Sequence[MatrixRow]) -> list[Gap]:
    """Attributes most competitors state and the product's listing does not, most stated first."""
    found = [
        Gap(
            attribute=r.attribute,
            label=r.label,
            stated=r.stated,
            of=r.of,
            common=r.common,
            note=r.note + (f" (commonest: {r.common[0].value}, {r.common[0].count})" if r.common else ""),
            evidence_ids=r.evidence_ids,
        )
        for r in rows
        if r.verdict == "gap"
    ]
    return sorted(found, key=lambda g: -g.stated)


# --- the price position --------------------------------------------------------------------------------


def _median(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def price_position(
    ours: Price | None, our_ids: Sequence[str], rivals: Sequence[Competitor], rows: Sequence[MatrixRow]
) -> PricePosition:
    """Median, quartiles, range and the product's percentile among competitor prices of one currency."""
    currencies = Counter(c.price.currency for c in rivals if c.price is not None)
    if ours is not None:
        currency = ours.currency
    elif currencies:
        currency = currencies.most_common(1)[0][0]
    else:
        currency = None
    priced: list[Competitor] = []
    left_out: list[LeftOut] = []
    anchor = ours or Price(amount=1.0, currency=currency)
    for c in rivals:
        if c.price is None:
            left_out.append(LeftOut(evidence_id=c.evidence_id, reason=c.price_note or "no price"))
        elif not comparable(anchor, c.price):
            theirs = c.price.currency or "an unstated currency"
            left_out.append(
                LeftOut(
                    evidence_id=c.evidence_id, reason=f"in {theirs}, not {currency or 'an unstated currency'}"
                )
            )
        else:
            priced.append(c)
    amounts = sorted(c.price.amount for c in priced if c.price is not None)
    position = PricePosition(
        currency=currency,
        product_price=ours.amount if ours else None,
        product_evidence_ids=list(our_ids),
        prices=len(amounts),
        left_out=left_out,
        evidence_ids=list(dict.fromkeys([*our_ids, *(c.evidence_id for c in priced)])),
    )
    if amounts:
        q1, q2, q3 = quartiles(amounts)
        position.q1, position.median, position.q3 = round(q1, 2), round(q2, 2), round(q3, 2)
        position.min, position.max = amounts[0], amounts[-1]
        if ours is not None:
            position.percentile = percentile_rank(ours.amount, amounts)
        position.by_attribute = _by_attribute(priced, rows)
    notes = []
    if ours is None:
        notes.append("your price is not in your evidence, so it has no percentile")
    if left_out:
        notes.append(f"{len(left_out)} competitor price(s) left out: " + _reasons(left_out))
    position.note = "; ".join(notes)
    return position


def _reasons(left_out: Sequence[LeftOut]) -> str:
    counts = Counter(
        "no price"
        if item.reason == "no price"
        else "another currency"
        if item.reason.startswith("in ")
        else "unparsed"
        for item in left_out
    )
    return ", ".join(f"{k} {why}" for why, k in counts.most_common())


def _by_attribute(priced: Sequence[Competitor], rows: Sequence[MatrixRow]) -> list[PriceGroup]:
    """Median prices of the competitors sharing each of the product's core values, and the whole bundle."""
    price = {c.evidence_id: c.price.amount for c in priced if c.price is not None}
    groups = []
    bundle_ids = set(price)
    bundle_values = []
    for row in rows:
        if row.attribute not in CORE or row.product is None or row.stated < 2:
            continue
        same = [
            cell.evidence_id for cell in row.cells if cell.relation == "same" and cell.evidence_id in price
        ]
        other = [
            cell.evidence_id for cell in row.cells if cell.relation == "differs" and cell.evidence_id in price
        ]
        bundle_ids &= set(same)
        bundle_values.append(row.product)
        if len(same) >= 2 and len(other) >= 2:
            groups.append(
                PriceGroup(
                    attribute=row.attribute,
                    value=row.product,
                    same=len(same),
                    same_median=_median([price[i] for i in same]),
                    other=len(other),
                    other_median=_median([price[i] for i in other]),
                    evidence_ids=[*same, *other],
                )
            )
    rest = [i for i in price if i not in bundle_ids]
    if len(bundle_values) >= 2 and len(bundle_ids) >= 2 and len(rest) >= 2:
        groups.append(
            PriceGroup(
                attribute="bundle",
                value=", ".join(bundle_values),
                same=len(bundle_ids),
                same_median=_median([price[i] for i in sorted(bundle_ids)]),
                other=len(rest),
                other_median=_median([price[i] for i in rest]),
                evidence_ids=[i for i in price if i in bundle_ids] + rest,
            )
        )
    return groups


# --- claims not to copy --------------------------------------------------------------------------------


def do_not_copy(product: str, own: Sequence[Evidence], listings: Sequence[Evidence]) -> list[DoNotCopy]:
    """Claims competitors make that the product's evidence cannot support.

    The critic (what ``agent check`` runs) judges each competitor's listing against the product's own
    evidence; what it would remove is what a copywriter must not borrow.
    """
    from seamline.agents.critic import check

    found: dict[tuple[str, str], DoNotCopy] = {}
    for item in listings:
        result = check(item.text, list(own), product=product, specifics=False)
        for claim in result.removed:
            if claim.category in NOT_COPYABLE or claim.verdict == "supported":
                continue
            entry = found.setdefault(
                (claim.category, claim.value),
                DoNotCopy(
                    category=claim.category,
                    value=claim.value,
                    text=claim.text,
                    verdict=claim.verdict,
                    reason=claim.reason,
                ),
            )
            if item.id not in entry.competitors:
                entry.competitors.append(item.id)
            entry.evidence_ids = list(dict.fromkeys([*entry.evidence_ids, item.id, *claim.evidence_ids]))
    rank = {"unsupported": 0, "disputed": 1, "contradicted": 2}
    return sorted(found.values(), key=lambda d: (-len(d.competitors), rank[d.verdict], d.category, d.value))


# --- the older comparison (describe graph, compete task) ---------------------------------------------

_PRICE = re.compile(r"\b(?:price|mrp)\s*[:=]?\s*(?:rs\.?|inr|₹|\$|€|£)?\s*([0-9][0-9,]*(?:\.[0-9]+)?)", re.I)


def price_of(text: str) -> float | None:
    """The price a listing states ("Price: 1299"), if any."""
    match = _PRICE.search(text)
    return float(match.group(1).replace(",", "")) if match else None


def compare(product: str, ours: Sequence[Detail], evidence: Sequence[Evidence]) -> list[Comparison]:
    """One comparison per competitor listing in the evidence."""
    mine = {d.attribute: d.value for d in ours}
    own_price = next((p for e in evidence if e.about_product and (p := price_of(e.text)) is not None), None)
    out: list[Comparison] = []
    for item in evidence:
        if item.source != "competitor":
            continue
        as_product = item.model_copy(update={"about_product": True})
        theirs = {d.attribute: d.value for d in details_from_evidence(item.title, [as_product])}
        shared = sorted(a for a in theirs if mine.get(a) == theirs[a])
        differs = {a: [mine[a], theirs[a]] for a in sorted(theirs) if a in mine and mine[a] != theirs[a]}
        only = {a: theirs[a] for a in sorted(theirs) if a not in mine}
        out.append(
            Comparison(
                evidence_id=item.id,
                title=item.title,
                url=item.url,
                price=price_of(item.text),
                our_price=own_price,
                shared=shared,
                differs=differs,
                only_theirs=only,
            )
        )
    return out


def summary(product: str, comparisons: Sequence[Comparison]) -> str:
    """A few plain sentences over the comparisons; every figure in them comes from evidence."""
    if not comparisons:
        return f"No competitor listings were found for {product}."
    lines = [f"Compared with {len(comparisons)} competitor listing(s)."]
    for c in comparisons:
        parts = []
        if c.shared:
            parts.append("same " + ", ".join(c.shared))
        if c.differs:
            parts.append("; ".join(f"{a}: {o} vs {t}" for a, (o, t) in c.differs.items()))
        if c.price is not None:
            parts.append(
                f"price {c.price:g}" + (f" vs ours {c.our_price:g}" if c.our_price is not None else "")
            )
        lines.append(
            f"[{c.evidence_id}] {c.title}: " + ("; ".join(parts) or "no comparable attributes") + "."
        )
    return " ".join(lines)
