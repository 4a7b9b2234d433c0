"""The writer: the final prose is the critic's cleaned draft, led by one sentence computed from details.

The lead sentence states only the attributes the details (computed from product evidence) give and the
cleaned draft leaves out, so every labelled attribute the evidence states reaches the reader even when a
small model forgets it, and nothing is said twice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from seamline.agents.general import general_sentence
from seamline.agents.lexicon import (
    extract_mentions,
    indefinite_article,
    product_types,
    split_sentences,
    vocabulary,
)
from seamline.results import Detail, Evidence

_LIST_ITEM = re.compile(r"\b[A-Z][A-Za-z]*(?: [A-Za-z]+)?:\s")
"""A "Key: value" item copied from the prompt's fact list."""
_VERBATIM = ("composition", "brand")

_NOUN_ATTRIBUTES = ("colour", "pattern")
"""Attributes said before the product type: 'navy blue checked shirt'."""

_WITH_ATTRIBUTES = ("sleeve", "neck", "collar", "closure", "feature")
"""Attributes said after 'with': 'with long sleeves and a spread collar'."""


def _adjectives() -> frozenset[str]:
    """Sleeve and neck values that describe the product rather than name a part: 'a sleeveless dress'."""
    vocab = vocabulary()
    return vocab.values_of_form("sleeve", "adjective") | vocab.values_of_form("neck", "adjective")


def _noun_features() -> frozenset[str]:
    """Feature values that are things the product has; the others describe it ('padded', 'waterproof')."""
    return vocabulary().values_of_form("feature", "noun")


def _values(value: str) -> list[str]:
    return [v.strip() for v in value.split(", ") if v.strip()]


def _with_phrase(attribute: str, value: str) -> str:
    countable = attribute in ("neck", "collar", "closure") or value == "hood"
    plural = value.endswith("s") and not value.endswith("ss")
    if countable and not plural:
        return f"{indefinite_article(value)} {value}"
    return value


def _join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _split_features(by_attr: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """Noun features stay for 'with ...'; descriptive ones ('padded', 'not lined') are returned apart."""
    if "feature" not in by_attr:
        return by_attr, []
    values = _values(by_attr["feature"])
    noun_features = _noun_features()
    nouns = [v for v in values if v in noun_features]
    rest = dict(by_attr)
    rest.pop("feature")
    if nouns:
        rest["feature"] = ", ".join(nouns)
    return rest, [v for v in values if v not in noun_features]


def _clauses(by_attr: dict[str, str], noun: str, *, always_noun: bool) -> list[str]:
    """The noun phrase ('navy blue checked shirt for men'), then 'made of', 'in', 'with', 'in a ... fit'."""
    clauses: list[str] = []
    single = {a: by_attr[a] for a in _NOUN_ATTRIBUTES if a in by_attr and len(_values(by_attr[a])) == 1}
    adjective_values = _adjectives()
    adjectives = [
        v for a in ("sleeve", "neck") if a in by_attr for v in _values(by_attr[a]) if v in adjective_values
    ]
    head = " ".join([*single.values(), *(a.replace("one shoulder", "one-shoulder") for a in adjectives)])
    if always_noun or head or "audience" in by_attr:
        phrase = f"{head} {noun}".strip()
        if "audience" in by_attr:
            phrase += f" for {_join(_values(by_attr['audience']))}"
        clauses.append(phrase)
    if "composition" in by_attr:
        clauses.append(f"made of {_join(_values(by_attr['composition']))}")
    elif "material" in by_attr:
        clauses.append(f"made of {_material(_values(by_attr['material']))}")
    if "colour" in by_attr and "colour" not in single:
        clauses.append(f"in {_join(_values(by_attr['colour']))}")
    if "pattern" in by_attr and "pattern" not in single:
        clauses.append(f"in {_join(_values(by_attr['pattern']))} designs")
    withs = [
        _with_phrase(a, v)
        for a in _WITH_ATTRIBUTES
        if a in by_attr
        for v in _values(by_attr[a])
        if v not in adjective_values
    ]
    if withs:
        clauses.append(f"with {_join(withs)}")
    if "fit" in by_attr:
        clauses.append(f"in a {_join(_values(by_attr['fit']))}")
    if "length" in by_attr:
        length = _join(_values(by_attr["length"]))
        clauses.append(length if length.endswith("length") else f"{length} in length")
    return clauses


def _material(values: Sequence[str]) -> str:
    """Fibres are named, constructions describe them: 'knitted cotton', 'woven and blended fabric'."""
    spec = vocabulary().categories["material"].values
    adjectives = [spec[v]["adjective"] for v in values if spec.get(v, {}).get("form") == "adjective"]
    nouns = [v for v in values if spec.get(v, {}).get("form") != "adjective"]
    return " ".join(p for p in (_join(adjectives), _join(nouns) or "fabric") if p)


def _plural(noun: str) -> bool:
    """'trousers', 'jeans', 'sunglasses' take 'they'; 'dress' and 'shirt' take 'it'."""
    return noun.endswith("s") and not noun.endswith("ss")


def _extras(by_attr: dict[str, str], descriptive: Sequence[str] = (), *, plural: bool = False) -> str:
    """What the product is for and how to care for it, said as catalog copy says it ('For casual wear.')."""
    sentences = [f"{'They are' if plural else 'It is'} {_join(list(descriptive))}."] if descriptive else []
    occasions, seasons = _values(by_attr.get("occasion", "")), _values(by_attr.get("season", ""))
    if occasions:
        use = f"For {_join(occasions)} wear" + (f" in {_join(seasons)}" if seasons else "")
        sentences.append(use + ".")
    elif seasons:
        sentences.append(f"Made for {_join(seasons)}.")
    if "care" in by_attr:
        care = _join(_values(by_attr["care"]))
        sentences.append(care[:1].upper() + care[1:] + ".")
    return " ".join(sentences)


def _noun(product: str, evidence: Sequence[Evidence]) -> str:
    types = product_types(product, evidence)
    return types[0] if types else "piece"


def lead_sentence(product: str, details: Sequence[Detail], evidence: Sequence[Evidence] = ()) -> str:
    """A factual opening from the details: 'Navy blue checked shirt for men, made of cotton, ...'."""
    by_attr, descriptive = _split_features({d.attribute: d.value for d in details})
    if not by_attr and not descriptive:
        return ""
    noun = _noun(product, evidence)
    sentence = ", ".join(_clauses(by_attr, noun, always_noun=True))
    extras = _extras(by_attr, descriptive, plural=_plural(noun))
    return " ".join(p for p in (sentence[:1].upper() + sentence[1:] + ".", extras) if p)


def follow_up(product: str, details: Sequence[Detail], evidence: Sequence[Evidence] = ()) -> str:
    """A factual sentence to follow a draft, for the details it left out: 'It is made of cotton, ...'."""
    by_attr, descriptive = _split_features({d.attribute: d.value for d in details})
    noun = _noun(product, evidence)
    plural = _plural(noun)
    clauses = _clauses(by_attr, noun, always_noun=False)
    if not clauses:
        return _extras(by_attr, descriptive, plural=plural)
    first = clauses[0]
    if not first.startswith(("made of", "with", "in ")) and not first.endswith("length"):
        # A plural garment takes no article: 'They are charcoal trousers', never 'a charcoal trousers'.
        clauses[0] = first if plural else f"{indefinite_article(first)} {first}"
    if first.startswith("with"):
        verb = "They come" if plural else "It comes"
    else:
        verb = "They are" if plural else "It is"
    return " ".join(
        p for p in (f"{verb} {', '.join(clauses)}.", _extras(by_attr, descriptive, plural=plural)) if p
    )


def prose(cleaned: str) -> str:
    """The draft without sentences that copy the fact list ("Product: ... Brand: Nike Gender: Men").

    An article the draft put before a plural noun goes: "has a full sleeves" reads "has full sleeves".
    """
    kept = [
        _articles_agree(sentence)
        for sentence in split_sentences(cleaned)
        if len(_LIST_ITEM.findall(sentence)) < 2 and "[" not in sentence
    ]
    return " ".join(k for k in kept if k)


_ARTICLE = re.compile(r"\b(?:a|an)\b", re.IGNORECASE)


def _articles_agree(sentence: str) -> str:
    """``sentence`` without "a" or "an" before a plural noun, unless a quantity word lets it ("a few").

    The article is found as the critic's grammar check finds it (``verify.plural_after``).
    """
    if not _ARTICLE.search(sentence):
        return sentence
    from seamline.agents.critic.parse import parse
    from seamline.agents.critic.verify import plural_after

    doc = parse(sentence)
    wrong = [t for t in doc if t.lower_ in ("a", "an") and plural_after(doc, t.i)]
    for t in reversed(wrong):
        rest = sentence[t.idx + len(t.text) :].lstrip()
        if t.i == 0:
            rest = rest[:1].upper() + rest[1:]
        sentence = sentence[: t.idx] + rest
    return sentence


def unsaid(details: Sequence[Detail], text: str) -> list[Detail]:
    """The details, each cut to the values ``text`` does not state (nor a related value of)."""
    vocab = vocabulary()
    said = [m for m in extract_mentions(text) if not m.negated]
    missing: list[Detail] = []
    for detail in details:
        if detail.attribute in _VERBATIM:  # numbers and names: compared as written
            if detail.value.lower() not in text.lower():
                missing.append(detail)
            continue
        values = [
            v
            for v in _values(detail.value)
            if not any(m.category == detail.attribute and vocab.related(m.category, v, m.value) for m in said)
        ]
        if values and detail.attribute in _NOUN_ATTRIBUTES and len(values) < len(_values(detail.value)):
            # A colour said in part is said again whole: "a white shirt" for the rest of a red-and-white
            # shirt would name the secondary colour as its colour; "in red and white" states both.
            values = _values(detail.value)
        if values:
            missing.append(detail.model_copy(update={"value": ", ".join(values)}))
    return missing


def drop_emptied(cleaned: str, draft: str) -> str:
    """Drop sentences the critic cut that no longer state any attribute.

    Cutting "midi length" and "tie-up" from "It falls to a midi length and closes with a tie-up fastening."
    leaves "It falls to a fastening.": grammatical, claiming nothing, meaning nothing. A sentence that
    stands in the draft as written, or that still states an attribute, stays.
    """
    if not draft:
        return cleaned
    original = " ".join(draft.split())
    kept = [
        sentence
        for sentence in split_sentences(cleaned)
        if " ".join(sentence.split()) in original or extract_mentions(sentence)
    ]
    return " ".join(kept)


def compose(
    product: str,
    cleaned: str,
    details: Sequence[Detail],
    evidence: Sequence[Evidence] = (),
    *,
    draft: str = "",
) -> str:
    """The final prose: the cleaned draft and a sentence for the details it leaves out, or a lead alone.

    ``draft`` is the text before the critic, so that sentences it emptied can be dropped. Where the
    evidence holds knowledge about a fabric or construction the product evidence states, one general
    sentence about it follows the facts (``agents.general``). Advice to the reader in the draft ("Team
    this with jeans.") goes last: the copy says what the product is first.
    """
    from seamline.agents.critic.specifics import addresses_the_reader

    cleaned = prose(drop_emptied(cleaned.strip(), draft))
    # Advice to the reader ("Team this with jeans.") follows what the product is, never leads it.
    told: list[str] = []
    advised: list[str] = []
    for sentence in split_sentences(cleaned):
        (advised if addresses_the_reader(sentence) else told).append(sentence)
    cleaned, advice = " ".join(told), " ".join(advised)
    general = general_sentence(product, evidence)
    aside = general[0] if general and general[0] not in cleaned else ""
    if not cleaned:
        lead = lead_sentence(product, details, evidence) or f"{product}."
        return " ".join(p for p in (lead, aside, advice) if p)
    missing = unsaid(details, cleaned)
    if any(d.attribute == "composition" for d in details) and not any(
        d.attribute == "composition" for d in missing
    ):
        missing = [d for d in missing if d.attribute != "material"]  # the composition names the materials
    extra = follow_up(product, missing, evidence) if missing else ""
    return " ".join(p for p in (cleaned, extra, aside, advice) if p)
