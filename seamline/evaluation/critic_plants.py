"""Descriptions with planted false attributes, written from a catalog record for the critic evaluation.

Supported statements come from the record's labels (every label is a "Key: value" line of the evidence).
Planted statements are false for this product: each value is checked absent from the evidence text with
plain string search and synonym groups of its own, not with the critic's vocabulary, so the evaluation
does not grade the critic with the critic's own rules.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from seamline.agents.lexicon import indefinite_article

ERROR_TYPES = (
    "fabric_swap",
    "invented_feature",
    "wrong_sleeve",
    "wrong_neck",
    "wrong_colour",
    "wrong_fit",
    "wrong_pattern",
    "invented_percentage",
    "certification",
    "origin",
    "wrong_brand",
    "world_true_absent",
    "near_miss_number",
)

_GARMENTS = {
    "Tshirts": "t-shirt", "Shirts": "shirt", "Tops": "top", "Sweatshirts": "sweatshirt", "Dresses": "dress",
    "Trousers": "pair of trousers", "Jackets": "jacket", "Tunics": "tunic", "Sweaters": "sweater",
    "Shorts": "pair of shorts", "Kurtis": "kurti", "Kurtas": "kurta", "Tracksuits": "tracksuit",
    "Nightdress": "nightdress", "Innerwear Vests": "vest", "Lounge Shorts": "pair of lounge shorts",
}  # fmt: skip
_FABRICS = ["linen", "silk", "wool", "polyester", "nylon", "viscose", "denim", "cashmere", "leather", "satin",
            "velvet", "chiffon", "corduroy", "fleece", "cotton", "georgette"]  # fmt: skip
# Synonym groups: a planted value must differ from the truth in every member.
_SLEEVES = [["short sleeves", "half sleeves"], ["long sleeves", "full sleeves"],
            ["three-quarter sleeves", "3/4 sleeves"], ["sleeveless", "no sleeves"]]  # fmt: skip
_NECKS = [["round neck", "crew neck"], ["v-neck", "v neck"], ["boat neck"], ["scoop neck"], ["cowl neck"],
          ["square neck"], ["halter neck"], ["high neck", "turtleneck"], ["polo collar"],
          ["mandarin collar", "band collar"], ["spread collar"], ["shawl collar"]]  # fmt: skip
_COLOURS = [["red"], ["green", "olive"], ["yellow", "mustard"], ["purple", "lavender", "violet"], ["orange"],
            ["pink", "peach", "magenta"], ["brown", "beige", "tan", "khaki"], ["maroon", "burgundy"],
            ["grey", "charcoal", "silver"], ["white", "cream", "off white"], ["black"],
            ["blue", "navy blue", "navy", "teal", "turquoise"]]  # fmt: skip
_FITS = [["regular fit"], ["slim fit", "skinny fit"], ["relaxed fit", "loose fit", "oversized"]]
_PATTERNS = [["solid", "plain"], ["striped", "stripes"], ["checked", "checks", "plaid"],
             ["floral", "printed", "print", "graphic"], ["polka dots"]]  # fmt: skip
_FEATURES = ["waterproof", "water-resistant", "windproof", "wrinkle-free", "moisture-wicking", "quick-drying",
             "stretchable", "anti-microbial", "reversible", "UV-protective", "stain-resistant"]  # fmt: skip
_CERTS = [("organic", "adj"), ("OEKO-TEX certified", "pred"), ("GOTS-certified", "pred"),
          ("Fairtrade", "adj"), ("eco-friendly", "adj"), ("made from recycled fibres", "phrase"),
          ("sustainably sourced", "pred"), ("cruelty-free", "pred")]  # fmt: skip
_ORIGINS = [("Italy", "made in Italy"), ("Portugal", "crafted in Portugal"), ("Japan", "made in Japan"),
            ("Turkey", "imported from Turkey"), ("Egyptian", "Egyptian cotton"), ("France", "made in France"),
            ("Peruvian", "Peruvian cotton"), ("Bangladesh", "made in Bangladesh"),
            ("Vietnam", "made in Vietnam")]  # fmt: skip
_BRANDS = ["Adidas", "Puma", "Reebok", "Zara", "Levi's", "Tommy Hilfiger", "Calvin Klein", "Lacoste",
           "Uniqlo", "Van Heusen", "Allen Solly", "Wrangler", "Superdry"]  # fmt: skip
# True of many garments of this kind in the world, but absent from this record.
_WORLD_TRUE = {
    "cotton": ["breathable", "pre-shrunk", "sweat-absorbent"],
    "polyester": ["quick-drying", "wrinkle-resistant", "moisture-wicking"],
    "blended": ["wrinkle-resistant", "stretchable"],
    "": ["machine washable", "colourfast", "hand washable"],
    "Sweatshirts": ["fleece-lined", "ribbed cuffs"],
    "Shirts": ["a button-down collar", "a chest pocket"],
    "Jackets": ["water-resistant", "a detachable hood"],
}


@dataclass
class Planted:
    """One planted false statement: its type, where it is, and the key words that must go."""

    error_type: str
    start: int = -1
    end: int = -1
    key: str = ""
    text: str = ""


@dataclass
class Sample:
    """A description written for one product, with what is planted and what is supported."""

    product_id: str
    product: str
    text: str
    planted: list[Planted] = field(default_factory=list)
    supported: list[str] = field(default_factory=list)


def _absent(value: str, evidence: str) -> bool:
    return re.search(r"(?<![\w])" + re.escape(value.lower()) + r"(?![\w])", evidence) is None


def _pick_group(rng: random.Random, groups: list[list[str]], truth: str, evidence: str) -> str | None:
    truth = truth.lower()
    ok = [g for g in groups if truth not in g and all(_absent(v, evidence) for v in g)]
    if not ok:
        return None
    return rng.choice(rng.choice(ok))


class Writer:
    """Builds a text piece by piece, remembering where each planted statement lands."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.planted: list[Planted] = []

    def add(
        self, text: str, plant: Planted | None = None, key: str | None = None, span: str | None = None
    ) -> None:
        """Append ``text``; a planted statement's span is ``span`` (the false phrase) inside it."""
        offset = sum(len(p) for p in self.parts)
        if plant is not None:
            phrase = span or text
            i = max(text.lower().find(phrase.lower()), 0)
            plant.start, plant.end = offset + i, offset + i + len(phrase)
            plant.key, plant.text = key or phrase, phrase
            self.planted.append(plant)
        self.parts.append(text)

    def text(self) -> str:
        """The text written so far."""
        return "".join(self.parts)


def _truth(record: dict[str, Any]) -> dict[str, str]:
    attrs = record.get("articleAttributes") or {}
    return {
        "colour": str(record.get("baseColour") or "").lower(),
        "fabric": str(attrs.get("Fabric") or "").lower(),
        "sleeve": str(attrs.get("Sleeve Length") or "").lower(),
        "neck": str(attrs.get("Neck") or attrs.get("Collar") or "").lower(),
        "fit": str(attrs.get("Fit") or "").lower(),
        "pattern": str(attrs.get("Pattern") or "").lower(),
        "usage": str(record.get("usage") or "").lower(),
    }


def write_sample(record: dict[str, Any], evidence_text: str, seed: int) -> Sample:
    """A description of supported statements and one to three planted false ones."""
    rng = random.Random(f"{seed}:{record.get('id')}")
    ev = evidence_text.lower()
    truth = _truth(record)
    garment = _GARMENTS.get(str(record.get("articleType")), "piece")
    fabric = truth["fabric"] if truth["fabric"] not in ("blended", "other", "synthetic", "") else ""
    # Planted statements, each rendered in one of several syntactic positions.
    plans = []
    for error_type in rng.sample(ERROR_TYPES, k=len(ERROR_TYPES)):
        plant = _plan(error_type, rng, record, truth, ev, fabric, garment)
        if plant is not None:
            plans.append(plant)
        if len(plans) >= rng.choice((1, 2, 3)):
            break
    style = rng.choice(("catalog", "marketing", "bullets"))
    if style != "catalog":
        from seamline.evaluation.critic_styles import write_styled

        styled, said = write_styled(
            style, rng, truth, plans, garment, fabric, str(record.get("brandName") or "")
        )
        return Sample(
            str(record.get("id")), str(record.get("productDisplayName")), styled.text(), styled.planted, said
        )
    w = Writer()
    supported: list[str] = []

    # Opening sentence: adjectives, the garment, a with-phrase.
    adjs = [a for a in (truth["colour"], fabric) if a]
    supported += adjs
    adj_plant = next((p for p in plans if p[1] == "adj"), None)
    w.add("This ")
    if truth["colour"]:
        w.add(truth["colour"] + " ")
    if adj_plant is not None:
        plans.remove(adj_plant)
        w.add(adj_plant[2] + " ", Planted(adj_plant[0]), key=adj_plant[3], span=adj_plant[2])
    if fabric:
        w.add(fabric + " ")
    w.add(garment)
    withs = [v for v in (truth["sleeve"], truth["neck"]) if v and v not in ("no sleeves",)]
    with_plant = next((p for p in plans if p[1] == "with"), None)
    if withs or with_plant:
        w.add(" comes with ")
        items: list[tuple[str, Planted | None, str | None]] = [(v, None, None) for v in withs]
        supported += withs
        if with_plant is not None:
            plans.remove(with_plant)
            items.insert(
                rng.randrange(len(items) + 1), (with_plant[2], Planted(with_plant[0]), with_plant[3])
            )
        for i, (item, planted, item_key) in enumerate(items):
            if i:
                w.add(" and " if i == len(items) - 1 else ", ")
            bare = item.endswith("s") or item == "sleeveless" or (planted is not None and item_key != item)
            article = "" if bare else indefinite_article(item) + " "
            w.add(article)
            w.add(item, planted, item_key, span=item)
    w.add(". ")
    # Middle: fit and pattern, the occasion, and the rest of the planted statements as sentences.
    if truth["fit"]:
        w.add(f"It has a {truth['fit']}")
        supported.append(truth["fit"])
        if truth["pattern"] in ("solid", "printed", "striped", "checked"):
            w.add(f" and a {truth['pattern']} design")
            supported.append(truth["pattern"])
        w.add(". ")
    for error_type, _pos, text, key in plans:
        w.add(_sentence(rng, text, key, garment), Planted(error_type), key=key, span=text)
    w.add("A timeless, versatile choice")
    if truth["usage"] in ("casual", "formal", "sports"):
        w.add(f" for {truth['usage']} wear")
        supported.append(truth["usage"])
    w.add(".")
    return Sample(
        str(record.get("id")), str(record.get("productDisplayName")), w.text(), w.planted, supported
    )


def _sentence(rng: random.Random, text: str, key: str, garment: str) -> str:
    if text.startswith(("made ", "crafted ", "imported ")):
        return rng.choice(
            [f"It is {text}. ", f"{text[0].upper()}{text[1:]}, this {garment} is easy to love. "]
        )
    if text.startswith(("priced", "washable at", "the model")):
        return f"{text[0].upper()}{text[1:]}. "
    if text.startswith("from "):
        return f"This piece comes {text}. "
    if text.startswith("a ") or text.endswith("s"):
        return rng.choice([f"It features {text}. ", f"Look out for {text}. "])
    return rng.choice([f"The fabric is {text}. ", f"It is {text} and easy to wear. ", f"It is {text}. "])


def _plan(
    error_type: str,
    rng: random.Random,
    record: dict[str, Any],
    t: dict[str, str],
    ev: str,
    fabric: str,
    garment: str,
) -> tuple[str, str, str, str] | None:
    """(type, position, text, key) of one planted statement, or None when it cannot be planted here."""
    if error_type == "fabric_swap":
        options = [f for f in _FABRICS if _absent(f, ev) and f != fabric]
        f = rng.choice(options)
        return (error_type, "adj", f, f) if rng.random() < 0.5 else (error_type, "sent", f"made of {f}", f)
    if error_type == "invented_feature":
        f = rng.choice([f for f in _FEATURES if _absent(f, ev)])
        return (error_type, rng.choice(["adj", "sent"]), f, f)
    if error_type == "wrong_sleeve" and t["sleeve"]:
        v = _pick_group(rng, _SLEEVES, t["sleeve"], ev)
        return (error_type, "with", v, v) if v else None
    if error_type == "wrong_neck" and t["neck"]:
        v = _pick_group(rng, _NECKS, t["neck"], ev)
        return (error_type, "with", v, v) if v else None
    if error_type == "wrong_colour":
        family = next((g for g in _COLOURS if t["colour"] in g or any(c in t["colour"] for c in g)), [])
        groups = [g for g in _COLOURS if g is not family]
        v = _pick_group(rng, groups, t["colour"], ev)
        return (error_type, "adj", v, v) if v else None
    if error_type == "wrong_fit" and t["fit"]:
        v = _pick_group(rng, _FITS, t["fit"], ev)
        return (error_type, "sent", f"cut in a {v}", v) if v else None
    if error_type == "wrong_pattern" and t["pattern"]:
        v = _pick_group(rng, _PATTERNS, t["pattern"], ev)
        return (error_type, "adj", v, v) if v else None
    if error_type == "invented_percentage" and fabric:
        n = rng.choice([n for n in ("100", "95", "80", "70", "65", "60") if f"{n}%" not in ev])
        return (error_type, "sent", f"made of {n}% {fabric}", f"{n}%")
    if error_type == "certification":
        text, pos = rng.choice([c for c in _CERTS if _absent(c[0].split()[0], ev)])
        key = text.split()[2] if text.startswith("made from") else text.split()[0]
        return (error_type, {"adj": "adj", "pred": "sent", "phrase": "sent"}[pos], text, key)
    if error_type == "origin":
        key, text = rng.choice([o for o in _ORIGINS if _absent(o[0], ev)])
        return (error_type, "with" if text.endswith("cotton") else "sent", text, key)
    if error_type == "wrong_brand":
        b = rng.choice([b for b in _BRANDS if _absent(b, ev)])
        return (error_type, "sent", f"from {b}", b)
    if error_type == "world_true_absent":
        pool = _WORLD_TRUE.get(str(record.get("articleType")), []) + _WORLD_TRUE.get(t["fabric"], [])
        pool += _WORLD_TRUE[""]
        ok = [p for p in pool if _absent(p.removeprefix("a ").split()[0].split("-")[0], ev)]
        if not ok:
            return None
        v = rng.choice(ok)
        key = v.removeprefix("a ")
        return (error_type, "with" if v.startswith("a ") or v.endswith("s") else "sent", v, key)
    if error_type == "near_miss_number":
        return _near_miss(rng, record, ev)
    return None


def _near_miss(rng: random.Random, record: dict[str, Any], ev: str) -> tuple[str, str, str, str] | None:
    options: list[tuple[str, str, str]] = []
    for m in re.finditer(r"(\d{2,3})%\s+([a-z]+)", ev):
        n = int(m.group(1))
        pct = str(n - 5 if n == 100 else n + 5)
        options.append(("with", f"{pct}% {m.group(2)}", f"{pct}%"))
    for m in re.finditer(r"(\d{2})\s*(?:degrees|°)", ev):
        degrees = str(int(m.group(1)) + 10)
        if degrees not in ev:
            options.append(("sent", f"washable at {degrees} degrees", degrees))
    price = record.get("price")
    if price:
        amount = str(int(price) + rng.choice((1, 4, 50, -1, -9)))
        options.append(("sent", f"priced at Rs. {amount}", amount))
    if not options:
        return None
    pos, text, key = rng.choice(options)
    return ("near_miss_number", pos, text, key)
