"""Prices: reading them as listings write them ("Rs. 1,299", "$25.00", "649 INR"), and their statistics.

A price keeps the currency its text names, or the one the caller says the catalog uses; where neither
says, the currency is unknown (None) and such a price is compared only with other prices of unknown
currency. Prices in different currencies are never compared.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence

from seamline.compete_results import Price

_SYMBOLS = {
    "₹": "INR",
    "rs": "INR",
    "rs.": "INR",
    "inr": "INR",
    "rupees": "INR",
    "rupee": "INR",
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollars": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
}
_CODE = r"(?-i:[A-Z]{3})"
"""An ISO currency code, written in capitals ("INR", "AUD"): lower-case words are not codes."""
_CUR = r"(?:₹|rs\.?|inr|rupees?|us\$|\$|usd|dollars|€|eur|euros|£|gbp)"
_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+,\d{1,2}(?!\d)|\d+(?:\.\d+)?"
_PRICE = re.compile(
    rf"^\s*(?:(?P<pre>{_CUR}|{_CODE})\s*)?(?P<amount>{_AMOUNT})\s*(?:(?P<post>{_CUR}|{_CODE})\.?)?\s*$",
    re.IGNORECASE,
)
_PRICE_LINE = re.compile(
    rf"\b(?:price|mrp|sale price|selling price|list price)\b[ \t]*(?:is|:|=|-)?[ \t]*"
    rf"(?P<value>(?:(?:{_CUR}|{_CODE})[ \t]*)?(?:{_AMOUNT})(?:[ \t]*(?:{_CUR}|{_CODE})(?![A-Za-z]))?)",
    re.IGNORECASE,
)
_INLINE = re.compile(
    rf"(?P<text>(?:{_CUR})\s?(?:{_AMOUNT})|(?:{_AMOUNT})\s?(?:inr|usd|eur|gbp|rupees)\b)", re.I
)


def currency_code(text: str | None) -> str | None:
    """INR, USD, EUR, GBP ... for a symbol, word or ISO code; None for nothing or something unknown."""
    if not text or not text.strip():
        return None
    token = text.strip().lower()
    if token in _SYMBOLS:
        return _SYMBOLS[token]
    return token.upper() if re.fullmatch(r"[a-z]{3}", token) else None


def parse_price(value: object, currency: str | None = None) -> tuple[Price | None, str]:
    """(price, "") for a value that reads as one price, else (None, why); ``currency`` where none is named.

    >>> parse_price("Rs. 1,299")[0]
    Price(amount=1299.0, currency='INR', text='Rs. 1,299')
    >>> parse_price("call us")
    (None, "price 'call us' does not parse")
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "no price"
    if isinstance(value, bool):
        return None, f"price {value!r} does not parse"
    if isinstance(value, int | float):
        amount, named, text = float(value), None, f"{value:g}" if isinstance(value, float) else str(value)
    else:
        text = " ".join(str(value).split())
        match = _PRICE.match(text)
        if match is None:
            return None, f"price {text[:40]!r} does not parse"
        pre, post = match.group("pre"), match.group("post")
        codes = {c for c in (currency_code(pre), currency_code(post)) if c}
        if (pre and not currency_code(pre)) or (post and not currency_code(post)) or len(codes) > 1:
            return None, f"price {text[:40]!r} does not parse"
        raw = match.group("amount")
        if re.fullmatch(r"\d+,\d{1,2}", raw):
            raw = raw.replace(",", ".")  # a decimal comma ("24,99")
        amount, named = float(raw.replace(",", "")), next(iter(codes), None)
    if not amount > 0:
        return None, f"price {text[:40]!r} is not a positive amount"
    return Price(amount=amount, currency=named or currency_code(currency), text=text), ""


def price_in_text(text: str, currency: str | None = None) -> Price | None:
    """The price a listing's text states: after "Price" (or MRP) first, else a number with a currency."""
    for match in _PRICE_LINE.finditer(text):
        price, _ = parse_price(match.group("value"), currency)
        if price is not None:
            return price
    inline = _INLINE.search(text)
    return parse_price(inline.group("text"), currency)[0] if inline else None


def quartiles(values: Sequence[float]) -> tuple[float, float, float]:
    """(q1, median, q3) with linear interpolation between order statistics (numpy's default method)."""
    if not values:
        raise ValueError("no values")
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def percentile_rank(value: float, values: Sequence[float]) -> int:
    """Share of ``values`` below ``value``, ties counting half, as a whole percentage (0-100)."""
    if not values:
        raise ValueError("no values")
    below = sum(1 for v in values if v < value)
    equal = sum(1 for v in values if v == value)
    return round(100 * (below + equal / 2) / len(values))


def money(amount: float | None, currency: str | None = None) -> str:
    """An amount as the tables write it: "1299 INR", "24.99 USD" (the critic reads these as prices)."""
    if amount is None:
        return "unknown"
    text = f"{amount:.2f}".rstrip("0").rstrip(".") if amount != int(amount) else str(int(amount))
    return f"{text} {currency}" if currency else text
