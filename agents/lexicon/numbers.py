"""Numbers in text: percentages, compositions, temperatures, sizes, prices and counts, normalised."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from seamline.agents.lexicon.words import words

_WORD_NUMBERS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
}
_NUM = r"\d+(?:[.,]\d+)*"
_COUNT_NOUNS = (
    r"pockets?|buttons?|pieces?|pcs|layers?|straps?|panels?|colou?rs?|zips?|zippers?|pleats?|tiers?|"
    r"components?|loops?|hooks?|snaps?|belts?|eyelets?|compartments?|slits?|vents?"
)
_NUMBER_RE = re.compile(
    rf"(?P<cur>(?<![A-Za-z])(?:rs\.?|inr|₹|\$|€|£|usd|eur|gbp)\s?(?P<cur_n>{_NUM}))"
    rf"|(?P<feet>(?P<ft>\d)\s?['’′]\s?(?P<inch>\d{{1,2}}(?:\.\d)?)(?:\s?(?:\"|”|″|''|’’))?)"
    rf"|(?P<pack>(?:pack|set)\s+of\s+(?P<pack_n>{_NUM}|one|two|three|four|five|six|seven|eight|nine|ten))"
    rf"|(?P<count>(?<![A-Za-z])(?P<count_n>{_NUM}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    rf"(?:[\s-]+[a-z]+){{0,2}}?[\s-]+(?P<noun>{_COUNT_NOUNS})\b)"
    rf"|(?P<plain>(?P<plain_n>{_NUM})\s?(?P<unit>%|per\s?cent\b|°\s?[cf]?\b|°|degrees?(?:\s?(?:c|f|celsius|fahrenheit)\b)?"
    rf"|cm\b|mm\b|inches\b|inch\b|\"|”|″|ft\b|feet\b|gsm\b|g\b|grams?\b|kg\b|oz\b|ml\b"
    rf"|(?:rs|inr|rupees|usd|dollars|euros)\b)?(?![A-Za-z0-9]))",
    re.IGNORECASE,
)
_UNIT_CLASS = {
    "%": "percent",
    "percent": "percent",
    "per cent": "percent",
    "percent ": "percent",
    "cm": "length",
    "mm": "length",
    "inches": "length",
    "inch": "length",
    '"': "length",
    "”": "length",
    "″": "length",
    "ft": "length",
    "feet": "length",
    "gsm": "weight",
    "g": "weight",
    "gram": "weight",
    "grams": "weight",
    "kg": "weight",
    "oz": "weight",
    "ml": "volume",
}


@dataclass(frozen=True, slots=True)
class Number:
    """One number and what it measures; ``unit`` is a class (percent, currency, count:pocket ...)."""

    value: str
    unit: str
    start: int
    end: int
    num_start: int
    num_end: int


def _norm_number(raw: str) -> str:
    raw = _WORD_NUMBERS.get(raw.lower(), raw)
    if "," in raw and re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
        raw = raw.replace(",", "")
    raw = raw.replace(",", ".")
    try:
        f = float(raw)
    except ValueError:
        return raw
    return str(int(f)) if f == int(f) else repr(f)


def _unit_class(unit: str | None) -> str:
    if not unit:
        return ""
    u = re.sub(r"\s+", " ", unit.lower()).strip()
    if u.startswith("°") or u.startswith("degree"):
        return "temperature"
    if u in ("rs", "inr", "rupees", "usd", "dollars", "euros"):
        return "currency"
    return _UNIT_CLASS.get(u, _UNIT_CLASS.get(u.replace(" ", ""), ""))


def _singular(noun: str) -> str:
    noun = noun.lower()
    if noun in ("pcs",):
        return "piece"
    if noun.endswith("es") and noun[:-2] in ("zipper", "box"):
        return noun[:-2]
    return noun[:-1] if noun.endswith("s") else noun


@functools.lru_cache(maxsize=1024)
def find_numbers(text: str) -> tuple[Number, ...]:
    """Every number in ``text`` with its unit class; cached, since evidence is read again on revisions."""
    out = []
    for m in _NUMBER_RE.finditer(text):
        if m.group("cur"):
            out.append(
                Number(_norm_number(m.group("cur_n")), "currency", m.start(), m.end(), m.start(), m.end())
            )
        elif m.group("feet"):
            value = f"{m.group('ft')}'{_norm_number(m.group('inch'))}"
            out.append(Number(value, "height", m.start(), m.end(), m.start(), m.end()))
        elif m.group("pack"):
            n = m.group("pack_n")
            out.append(
                Number(_norm_number(n), "count:pack", m.start(), m.end(), m.start("pack_n"), m.end("pack_n"))
            )
        elif m.group("count"):
            n = m.group("count_n")
            unit = "count:" + _singular(m.group("noun"))
            out.append(
                Number(_norm_number(n), unit, m.start(), m.end(), m.start("count_n"), m.end("count_n"))
            )
        elif m.group("plain"):
            start = m.start()
            if start > 0 and (text[start - 1].isalpha() or text[start - 1] in "/-"):
                continue  # part of a code ("SS24", "3/4", "t-20"): read by the vocabulary or left alone
            end = m.end()
            while end > start and text[end - 1] == " ":
                end -= 1
            out.append(
                Number(_norm_number(m.group("plain_n")), _unit_class(m.group("unit")), start, end, start, end)
            )
    return tuple(out)


class _Span(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=_Span)


def only_glue(between: str) -> bool:
    """Only glue words ('of', 'pure', 'premium': composition_glue) between a percentage and its material."""
    return all(w in words("composition_glue") for w in between.lower().split())


def percent_material(text: str, number: Number, materials: Sequence[S]) -> S | None:
    """The material a percentage is the share of: "60% cotton" (glue words between), else "cotton 60%".

    ``materials`` are the material mentions of ``text`` in order; the one pairing rule for descriptions
    and evidence alike.
    """
    for mat in materials:
        if mat.start >= number.end and only_glue(text[number.end : mat.start]):
            return mat
    for mat in materials:
        if 0 <= number.start - mat.end <= 3 and not text[mat.end : number.start].strip(" :-"):
            return mat
    return None
