"""Whether a search hit is about exactly this product, or about a similar one.

Precision matters more than recall: a page about "Nike Men Navy Blue T-Shirts" must not support claims
about "Nike Men Town Navy Blue T-Shirts". A hit is about the product when some segment of its title (or
a "Name:" line of its text) has the same normalised tokens as the product name, ignoring shop
boilerplate ("Buy", "online", "| Myntra").
"""

from __future__ import annotations

import functools
import re

# Words shops add around a product name; they never distinguish one product from another.
_FILLER = frozenset(
    "buy online india price prices best shop shopping official store sale offer offers free shipping "
    "delivery new at in on the a an and of from by".split()
)
# Spellings of one thing, each mapped to one token (one pass of one regex over the lower-cased text).
_PHRASES = {
    r"t[\s-]?shirts?|tees?": "tshirt",
    r"polo[\s-]?shirts?": "polo",
    r"flip[\s-]?flops?": "flipflop",
    r"sweat[\s-]?shirts?": "sweatshirt",
    r"grey": "gray",
    r"colour": "color",
}
_PHRASE = re.compile("|".join(f"\\b(?P<p{i}>{p})\\b" for i, p in enumerate(_PHRASES)))
_REPLACEMENTS = list(_PHRASES.values())
_POSSESSIVE = re.compile(r"['\u2019]s\b")
_SEGMENT_SPLIT = re.compile(r"\s+[|\-\u2013\u2014:]\s+|\s*\|\s*")
_NAME_LINE = re.compile(r"^\s*(?:name|product(?: name)?|title)\s*:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
_TOKEN = re.compile(r"[a-z0-9]+")


@functools.lru_cache(maxsize=65536)
def _stem(token: str) -> str:
    """Fold simple plurals so 'shirts' and 'shirt' compare equal."""
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def normalised_tokens(text: str) -> list[str]:
    """Lower-cased word tokens with spellings unified (t-shirt -> tshirt) and plurals folded."""
    lowered = _POSSESSIVE.sub("", text.lower().replace("&", " and "))
    lowered = _PHRASE.sub(lambda m: _REPLACEMENTS[int(m.lastgroup[1:])], lowered)  # type: ignore[index]
    return [_stem(t) for t in _TOKEN.findall(lowered)]


def product_tokens(text: str) -> frozenset[str]:
    """The normalised, distinguishing tokens of a product name or title segment."""
    return frozenset(t for t in normalised_tokens(text) if t not in _FILLER)


def _candidates(title: str, text: str) -> list[str]:
    segments = [title, *_SEGMENT_SPLIT.split(title)]
    segments.extend(match.group(1) for match in _NAME_LINE.finditer(text or ""))
    return [s for s in segments if s and s.strip()]


def is_about_product(product: str, title: str, text: str = "") -> bool:
    """True when the hit's title (or a ``Name:`` line of its text) names exactly this product."""
    wanted = product_tokens(product)
    if not wanted:
        return False
    return any(product_tokens(candidate) == wanted for candidate in _candidates(title, text))
