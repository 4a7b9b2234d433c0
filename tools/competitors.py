"""Competitor listings: similar products of other brands, from the local index or the web.

Competitor evidence never supports a claim about the product itself (about_product=False, source
"competitor"); the analyst compares against it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Protocol

from seamline.errors import SearchError, UsageError
from seamline.results import Evidence
from seamline.tools.matching import product_tokens

if TYPE_CHECKING:
    from seamline.tools.local_index import LocalIndex


class TextSearch(Protocol):
    """What competitor search needs of a search source: the web search, or a user's search."""

    def search(
        self, query: str, k: int = 5, *, product: str | None = None, fetch_top: int = 0
    ) -> list[Evidence]:
        """Up to k results for the query, each judged about the product or not."""
        ...


_BRAND_LINE = re.compile(r"^Brand: (.+)$", re.MULTILINE)


def _brand_of(text: str) -> str | None:
    match = _BRAND_LINE.search(text)
    return match.group(1).strip() if match else None


def known_brands(index: LocalIndex) -> list[str]:
    """Every brand named in the index's catalog records, longest first (so prefixes match greedily)."""
    cached: list[str] | None = getattr(index, "_brands", None)
    if cached is None:
        brands = {b for doc in index.docs if doc.kind == "catalog" for b in [_brand_of(doc.text)] if b}
        cached = sorted(brands, key=lambda b: (-len(b), b))
        index._brands = cached  # type: ignore[attr-defined]
    return cached


def split_brand(product: str, brands: list[str]) -> tuple[str | None, str]:
    """(brand, rest of the name) when the name starts with a known brand; else (None, name)."""
    lowered = product.lower()
    for brand in brands:
        if lowered.startswith(brand.lower() + " "):
            return brand, product[len(brand) :].strip()
    return None, product


def _competitor(hit: Evidence, rank: int) -> Evidence:
    return hit.model_copy(update={"id": f"comp{rank}", "source": "competitor", "about_product": False})


def _from_index(product: str, k: int, index: LocalIndex) -> list[Evidence]:
    brand, rest = split_brand(product, known_brands(index))
    for hit in index.search(product, k=5):
        if hit.about_product and brand is None:
            brand = _brand_of(hit.text)
            if brand and product.lower().startswith(brand.lower()):
                rest = product[len(brand) :].strip()
    found: list[Evidence] = []
    for hit in index.search(rest, k=k * 5 + 5, product=product):
        hit_brand = _brand_of(hit.text)
        if hit.about_product or (brand and hit_brand and hit_brand.lower() == brand.lower()):
            continue
        found.append(_competitor(hit, len(found) + 1))
        if len(found) >= k:
            break
    return found


def _from_web(product: str, k: int, web: TextSearch) -> list[Evidence]:
    # Without a catalog the brand is unknown; take the first word (most names start with the brand).
    words = product.split()
    brand = product_tokens(words[0])
    rest = " ".join(words[1:]) or product
    found: list[Evidence] = []
    for hit in web.search(rest, k=k * 2, product=product):
        if hit.about_product or (brand and brand <= product_tokens(hit.title)):
            continue
        found.append(_competitor(hit, len(found) + 1))
        if len(found) >= k:
            break
    return found


def find_competitors(
    product: str, k: int = 5, *, index: LocalIndex | None = None, web: TextSearch | None = None
) -> list[Evidence]:
    """Similar products of other brands: from the local index when there is one, else the web."""
    product = " ".join(product.split())
    if not product:
        raise UsageError("the product name is empty; pass the product to find competitors for")
    if index is not None:
        return _from_index(product, max(1, k), index)
    if web is not None:
        return _from_web(product, max(1, k), web)
    raise SearchError("no search source for competitors; use --search web or --search local:PATH")
