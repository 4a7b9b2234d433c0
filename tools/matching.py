"""Whether a search hit is about exactly this product, or about a similar one.

Precision matters more than recall: a page about "Nike Men Navy Blue T-Shirts" must not support claims
about "Nike Men Town Navy Blue T-Shirts". A hit is about the product when some segment of its title (or
a "Name:" line of its text) has the same normalised tokens as the product name, ignoring shop
boilerplate ("Buy", "online", "| Myntra").
"""

from __future__ import annotations

import re

# Words shops add around a product name; they never distinguish one product from another.
_FILLER = frozenset(
    "buy online india price prices best shop shopping official store sale offer offers free shipping "
    "delivery new at in on the a an and of from by".split()
)
# Spellings of one thing, mapped to one token (applied to the joined text before tokenising).
_PHRASES = (
    (re.compile(r"\bt[\s-]?shirts?\b"), "tshirt"),
    (re.compile(r"\btees?\b"), "tshirt"),
    (re.compile(r"\bpolo[\s-]?shirts?\b"), "polo"),
    (re.compile(r"\bflip[\s-]?flops?\b"), "flipflop"),
    (re.compile(r"\bsweat[\s-]?shirts?\b"), "sweatshirt"),
    (re.compile(r"\bgrey\b"), "gray"),
    (re.compile(r"\bcolour\b"), "color"),
)
_SEGMENT_SPLIT = re.compile(r"\s+[|\-\u2013\u2014:]\s+|\s*\|\s*")
_NAME_LINE = re.compile(r"^\s*(?:name|product(?: name)?|title)\s*:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
_TOKEN = re.compile(r"[a-z0-9]+")


def _stem(token: str) -> str:
    """Fold simple plurals so 'shirts' and 'shirt' compare equal."""
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def normalised_tokens(text: str) -> list[str]:
    """Lower-cased word tokens with spellings unified (t-shirt -> tshirt) and plurals folded."""
    lowered = re.sub(r"['\u2019]s\b", "", text.lower().replace("&", " and "))
    for pattern, replacement in _PHRASES:
        lowered = pattern.sub(replacement, lowered)
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
