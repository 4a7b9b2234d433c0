"""The market: which candidate listings compete with the product, and why each kept one was kept.

A competitor is the same product type and audience, another brand, and (where both prices are known in
one currency) a price within a band around the product's. The eligible ones are ranked by the attribute
values they share with the product (read with the shared vocabulary), then by how close the name and
price are; the first ``top`` are kept. Every candidate left out is counted under its reason.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from seamline.agents.lexicon import (
    brand_names,
    details_from_evidence,
    mentions_of,
    norm,
    product_types,
    vocabulary,
)
from seamline.agents.prices import money, parse_price, price_in_text
from seamline.compete_results import MarketSearch, Price
from seamline.results import Evidence
from seamline.tools.catalog import Catalog, CatalogRow
from seamline.tools.matching import is_about_product, product_tokens

PRICE_BANDS = (2.0, 3.0, 4.0)
"""A competitor's price is similar when it is within this factor of the product's: half to double, or
where fewer than ``MIN_MARKET`` candidates are in that band, a third to triple, then a quarter to four
times (a sparse market: few girls' dresses near 299 INR); the report says when the band was widened."""
MIN_MARKET = 5

_LABEL = re.compile(r"^[ \t]*(?P<key>[A-Za-z][\w '&/().-]{0,40}?)[ \t]*:[ \t]*(?P<value>\S.*?)[ \t]*$")
_FREE_TEXT_KEYS = frozenset(
    norm(k) for k in ("description", "style note", "materials and care", "size and fit", "details", "text")
)
_NOT_SHARED = frozenset({"audience", "brand"})
"""Categories the market is chosen by (or that always differ): not counted as attributes in common."""


@dataclass(frozen=True, slots=True)
class Listing:
    """A candidate listing read with the vocabulary: what the market filters and ranks by."""

    key: str
    """Where it came from: FILE:LINE of a catalog row, an index record id, or a URL."""
    name: str
    brand: str | None
    product_type: str | None
    audience: str | None
    price: Price | None
    price_note: str
    text: str
    url: str | None
    source: str
    """catalog, index or web."""
    labels: frozenset[tuple[str, str]] = frozenset()
    """(category, value) pairs its ``Key: value`` lines state (the name's, for a web result)."""


@dataclass(frozen=True, slots=True)
class Facts:
    """What the product's own evidence says about it, for choosing its market."""

    product: str
    product_type: str | None
    audience: str | None
    brand: str | None
    price: Price | None
    price_ids: list[str]
    labels: frozenset[tuple[str, str]]


@dataclass(slots=True)
class Kept:
    """A listing kept as a competitor: why, and how many attribute values it shares with the product."""

    listing: Listing
    why: list[str]
    shared: list[str]


@dataclass(slots=True)
class Market:
    """The kept competitors, best first, and how they were found."""

    kept: list[Kept]
    search: MarketSearch


@dataclass(slots=True)
class LabelReader:
    """Reads ``Key: value`` lines with the vocabulary; one cache per catalog, since lines repeat a lot."""

    _lines: dict[str, frozenset[tuple[str, str]]] = field(default_factory=dict)

    def labels(self, text: str) -> tuple[dict[str, str], frozenset[tuple[str, str]]]:
        """(key -> value of each label line, the (category, value) pairs the lines state)."""
        keys: dict[str, str] = {}
        pairs: set[tuple[str, str]] = set()
        for line in text.splitlines():
            match = _LABEL.match(line)
            if match is None:
                continue
            key = norm(match.group("key"))
            if key in _FREE_TEXT_KEYS:
                break  # the descriptions follow: free text, read in full only for kept listings
            keys.setdefault(key, match.group("value"))
            if key in ("name", "brand", "brandname", "title"):
                continue
            found = self._lines.get(line)
            if found is None:
                found = frozenset(
                    (m.category, m.value)
                    for m in mentions_of(line)
                    if not m.negated and not m.styling and m.category not in _NOT_SHARED
                )
                self._lines[line] = found
            pairs.update(found)
        return keys, frozenset(pairs)


def _type_of(keys: dict[str, str], name: str) -> str | None:
    """The product type from a type line ("Article type: Tshirts"), else the name's head noun."""
    vocab = vocabulary()
    for key, value in keys.items():
        if vocab.key_category.get(key) == "garment":
            return vocab.garment(value) or " ".join(value.lower().split())
    types = product_types(name)
    return types[0] if types else None


def _audience_of(keys: dict[str, str], name: str) -> str | None:
    vocab = vocabulary()
    for key, value in keys.items():
        if vocab.key_category.get(key) == "audience":
            found = vocab.value_in_category("audience", value)
            if found:
                return found
    hits = [m.value for m in mentions_of(name) if m.category == "audience" and not m.negated]
    return hits[0] if hits else None


def listing_from_row(row: CatalogRow, reader: LabelReader, currency: str | None = None) -> Listing:
    """A catalog row as a candidate listing."""
    keys, labels = reader.labels(row.text)
    price, note = (
        parse_price(row.price, row.currency or currency) if row.price is not None else (None, "no price")
    )
    return Listing(
        key=row.where,
        name=row.name,
        brand=row.brand,
        product_type=_type_of(keys, row.name),
        audience=_audience_of(keys, row.name),
        price=price,
        price_note=note,
        text=row.text,
        url=row.url or (f"catalog:{row.record_id}" if row.record_id else row.where),
        source="catalog",
        labels=labels,
    )


def listing_from_evidence(item: Evidence, reader: LabelReader, currency: str | None = None) -> Listing:
    """A search hit (a local index record or a web result) as a candidate listing."""
    keys, labels = reader.labels(item.text)
    if not labels:
        labels = frozenset(
            (m.category, m.value) for m in mentions_of(item.title) if m.category not in _NOT_SHARED
        )
    brands = brand_names([item.model_copy(update={"about_product": True})])
    price = price_in_text(item.text, currency)
    return Listing(
        key=item.url or item.id,
        name=item.title,
        brand=brands[0] if brands else None,
        product_type=_type_of(keys, item.title),
        audience=_audience_of(keys, item.title),
        price=price,
        price_note="" if price is not None else "no price",
        text=item.text,
        url=item.url,
        source="web" if item.url and item.url.startswith("http") else "index",
        labels=labels,
    )


def split_brand(product: str, brands: Iterable[str]) -> str | None:
    """The known brand the product name starts with, if any (the longest that matches)."""
    lowered = product.lower()
    for brand in sorted(brands, key=len, reverse=True):
        if lowered.startswith(brand.lower() + " "):
            return brand
    return None


def product_facts(
    product: str, evidence: Sequence[Evidence], *, brands: Iterable[str] = (), currency: str | None = None
) -> Facts:
    """The product's type, audience, brand, price and attribute values, from its own evidence only."""
    own = [e for e in evidence if e.about_product]
    reader = LabelReader()
    keys: dict[str, str] = {}
    for item in own:
        if item.source != "name":
            for key, value in reader.labels(item.text)[0].items():
                keys.setdefault(key, value)
    details = details_from_evidence(product, own)
    labels = frozenset(
        (d.attribute, v.strip())
        for d in details
        if d.attribute not in _NOT_SHARED | {"composition"}
        for v in d.value.split(",")
        if v.strip() and not v.strip().startswith(("not ", "do not "))
    )
    types = product_types(product, own)
    found_brands = brand_names(own)
    price, price_ids = None, []
    for item in own:
        if item.source != "name" and (price := price_in_text(item.text, currency)) is not None:
            price_ids = [item.id]
            break
    return Facts(
        product=product,
        product_type=types[0] if types else _type_of(keys, product),
        audience=_audience_of(keys, product),
        brand=found_brands[0] if found_brands else split_brand(product, brands),
        price=price,
        price_ids=price_ids,
        labels=labels,
    )


def comparable(a: Price | None, b: Price | None) -> bool:
    """Two prices in the same currency (or both of unknown currency)."""
    return a is not None and b is not None and a.currency == b.currency


def _same_type(ours: str, theirs: str) -> bool:
    """The same product type, or one contains the other (polo t-shirt and t-shirt)."""
    return vocabulary().related("garment", ours, theirs)


def _shared(facts: Facts, listing: Listing) -> list[str]:
    vocab = vocabulary()
    out = []
    for cat, value in sorted(facts.labels):
        if any(c == cat and vocab.related(cat, value, v) for c, v in listing.labels):
            out.append(value)
    return out


def _exclusion(facts: Facts, listing: Listing) -> str | None:
    """Why a candidate is not a competitor whatever its price, or None."""
    if facts.product_type:
        if listing.product_type is None:
            return "product type not stated"
        if not _same_type(facts.product_type, listing.product_type):
            return "another product type"
    audience = vocabulary().related
    if facts.audience and listing.audience and not audience("audience", facts.audience, listing.audience):
        return "another audience"
    if is_about_product(facts.product, listing.name, listing.text):
        return "the product itself"
    if facts.brand and listing.brand and listing.brand.lower() == facts.brand.lower():
        return "the same brand"
    if facts.brand and not listing.brand and listing.name.lower().startswith(facts.brand.lower() + " "):
        return "the same brand"
    return None


def _in_band(facts: Facts, listing: Listing, band: tuple[float, float] | None) -> bool:
    """Within the band, or not comparable with the product's price (unknown, another currency)."""
    if band is None or not comparable(facts.price, listing.price):
        return True
    assert listing.price is not None
    return band[0] <= listing.price.amount <= band[1]


def _why(facts: Facts, kept: Listing, shared: list[str], band: tuple[float, float] | None) -> list[str]:
    why = []
    if facts.product_type and kept.product_type:
        why.append(f"same product type ({kept.product_type})")
    if facts.audience and kept.audience:
        why.append(f"same audience ({kept.audience})")
    why.append(f"another brand ({kept.brand})" if kept.brand else "brand not stated")
    if kept.price is None:
        why.append("no price stated" if kept.price_note == "no price" else kept.price_note)
    elif band is not None and comparable(facts.price, kept.price):
        cur = kept.price.currency
        lo, hi = money(band[0], cur), money(band[1], cur)
        why.append(f"price {money(kept.price.amount, cur)} within the band {lo} to {hi}")
    elif facts.price is not None:
        why.append(f"price {money(kept.price.amount, kept.price.currency)} in another currency: not compared")
    if shared:
        why.append(f"{len(shared)} attribute value(s) in common: {', '.join(shared)}")
    return why


def _band(price: Price | None, factor: float) -> tuple[float, float] | None:
    return None if price is None else (round(price.amount / factor, 2), round(price.amount * factor, 2))


def select_market(
    facts: Facts, listings: Sequence[Listing], *, top: int = 10, searched: Sequence[str] = ()
) -> Market:
    """Filter the candidates to the product's market and keep the ``top`` most similar."""
    excluded: Counter[str] = Counter()
    passing: list[Listing] = []
    for listing in listings:
        reason = _exclusion(facts, listing)
        if reason is None:
            passing.append(listing)
        else:
            excluded[reason] += 1
    wanted = min(top, MIN_MARKET)
    band = _band(facts.price, PRICE_BANDS[0])
    in_band = [ls for ls in passing if _in_band(facts, ls, band)]
    notes = []
    for factor in PRICE_BANDS[1:]:
        if len(in_band) >= wanted or band is None:
            break
        wider = _band(facts.price, factor)
        more = [ls for ls in passing if _in_band(facts, ls, wider)]
        notes.append(
            f"only {len(in_band)} candidate(s) within {_band_words(band, facts)}: the band was widened to "
            f"{_band_words(wider, facts)}"
        )
        band, in_band = wider, more
    if len(passing) > len(in_band):
        excluded["outside the price band"] = len(passing) - len(in_band)
    name_tokens = product_tokens(facts.product) - product_tokens(facts.brand or "")
    eligible: list[tuple[tuple[Any, ...], Listing, list[str]]] = []
    for listing in in_band:
        shared = _shared(facts, listing)
        overlap = len(name_tokens & product_tokens(listing.name))
        distance = 1.0
        if comparable(facts.price, listing.price):
            assert facts.price is not None and listing.price is not None
            distance = abs(math.log(listing.price.amount / facts.price.amount))
        eligible.append(((-len(shared), -overlap, distance, listing.key), listing, shared))
    eligible.sort(key=lambda item: item[0])
    kept = [
        Kept(listing, _why(facts, listing, shared, band), shared) for _, listing, shared in eligible[:top]
    ]
    if facts.product_type is None:
        notes.append("the product's type is unknown: candidates of every type were considered")
    if facts.audience is None:
        notes.append("the product's audience is unknown: candidates for every audience were considered")
    if facts.price is None:
        notes.append("the product's price is unknown: no price band was applied")
    search = MarketSearch(
        searched=list(searched),
        product_type=facts.product_type,
        audience=facts.audience,
        brand=facts.brand,
        price_band=list(band) if band else None,
        currency=facts.price.currency if facts.price else None,
        considered=len(listings),
        excluded=dict(excluded.most_common()),
        eligible=len(eligible),
        top=top,
        notes=notes,
    )
    return Market(kept=kept, search=search)


def _band_words(band: tuple[float, float] | None, facts: Facts) -> str:
    cur = facts.price.currency if facts.price else None
    return "no band" if band is None else f"{money(band[0], cur)} to {money(band[1], cur)}"


@dataclass(slots=True)
class Candidates:
    """Every candidate listing of one source, read once (a catalog serves a whole batch of products)."""

    listings: list[Listing]
    searched: str
    """What was searched, in words ("catalog rivals.csv: 1204 rows")."""
    skipped: list[str] = field(default_factory=list)
    """FILE:LINE: why, for each catalog row that could not be used."""
    brands: list[str] = field(default_factory=list)
    _by_name: dict[frozenset[str], list[int]] = field(default_factory=dict)

    @classmethod
    def from_catalog(cls, catalog: Catalog, currency: str | None = None) -> Candidates:
        """The rows of a competitor catalog as candidates."""
        reader = LabelReader()
        listings = [listing_from_row(row, reader, currency) for row in catalog.rows]
        searched = f"catalog {catalog.path}: {len(catalog.rows)} listings"
        if catalog.skipped:
            searched += f", {len(catalog.skipped)} rows skipped"
        out = cls(listings, searched, list(catalog.skipped), catalog.brands)
        for i, listing in enumerate(listings):
            out._by_name.setdefault(product_tokens(listing.name), []).append(i)
        return out

    @classmethod
    def from_evidence(
        cls, items: Sequence[Evidence], searched: str, currency: str | None = None
    ) -> Candidates:
        """Search hits (local index or web) as candidates."""
        reader = LabelReader()
        return cls([listing_from_evidence(e, reader, currency) for e in items], searched)

    def namesakes(self, product: str) -> list[Listing]:
        """The listings named exactly like the product (its own row, where the catalog holds it)."""
        found = [self.listings[i] for i in self._by_name.get(product_tokens(product), [])]
        return [ls for ls in found if is_about_product(product, ls.name, ls.text)]
