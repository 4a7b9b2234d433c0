"""The catalog's framing words: what copy says of any product, as against what it states about one.

Catalog copy mixes two kinds of content word. Framing words ("style", "wardrobe", "perfect", "look")
appear in copy for shirts, shoes, bags and watches alike; they carry no fact about the product in hand.
Specifics ("pocket", "swoosh", "strap", "chest") belong to some kinds of product, and a sentence that
uses one states something the evidence must hold. A word is framing when it is common in the copy of
nearly every large product group of the train split: a word whose use depends on what the product is
is a specific. The lexicon's own vocabulary (colours, materials, fits ...) is never framing: the critic
checks those against the evidence.

`python -m seamline.finetune.framing` writes ``agents/vocab/words/framing.json`` from the Myntra train
split; the file is data, reviewed like code. Only train ids are read.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

COUNTED_POS = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "X"})
"""Parts of speech counted for the list (adjectives too, so that the list can serve a stricter reader)."""


def content_words(doc: Any) -> set[tuple[str, str]]:
    """The (lower-case word, lemma) pairs of a parse's content words (letters only, two or more)."""
    return {
        (t.lower_, t.lemma_.lower())
        for t in doc
        if t.pos_ in COUNTED_POS and t.lower_.isalpha() and len(t.lower_) > 1
    }


def framing_words(
    groups: dict[str, list[set[str]]],
    *,
    min_groups: int = 8,
    min_share: float = 0.01,
    share_of_groups: float = 0.8,
) -> dict[str, float]:
    """Words used in at least ``min_share`` of the copy of at least ``share_of_groups`` of the groups.

    ``groups`` maps a product group to the content lemmas of each copy in it; the ``min_groups`` largest
    groups are counted. Returns word -> its lowest share among the groups that use it enough (for review).
    """
    large = sorted(groups, key=lambda g: -len(groups[g]))[: max(min_groups, 1)]
    shares: dict[str, list[float]] = defaultdict(list)
    for group in large:
        docs = groups[group]
        counts: Counter[str] = Counter()
        for lemmas in docs:
            counts.update(lemmas)
        for word, n in counts.items():
            shares[word].append(n / len(docs))
    needed = share_of_groups * len(large)
    out = {}
    for word, values in shares.items():
        enough = [v for v in values if v >= min_share]
        if len(enough) >= needed:
            out[word] = round(min(enough), 4)
    return dict(sorted(out.items()))


def lexicon_terms() -> frozenset[str]:
    """The lexicon's one-word values, aliases and brands (the critic's to check, never framing)."""
    from seamline.agents.lexicon import vocabulary

    vocab = vocabulary()
    phrases = [b.lower() for b in vocab.brands]
    for category in vocab.categories.values():
        for value, spec in category.values.items():
            for key in ("aliases", "key_aliases", "name_aliases"):
                phrases += spec.get(key, [])
            phrases.append(value)
    # One-word values only: "wear" in "casual wear" is not itself a claim, "cotton" is.
    words = (phrase.lower().strip() for phrase in phrases)
    terms = {w for w in words if w.isalpha() and len(w) > 1}
    return frozenset(terms)


def build(data_dir: Path, *, limit: int = 12000) -> dict[str, Any]:
    """The framing list from the first ``limit`` train-split copies, grouped by Myntra sub-category."""
    from seamline.agents.critic.parse import nlp
    from seamline.finetune.clean import prose_description
    from seamline.finetune.data import myntra_train_records

    records = []
    for record in myntra_train_records(data_dir):
        copy = prose_description(str(record.get("description") or ""))
        if copy:
            records.append((str(record.get("subCategory") or "other"), copy))
        if len(records) >= limit:
            break
    groups: dict[str, list[set[str]]] = defaultdict(list)
    docs = nlp().pipe((copy for _, copy in records), batch_size=64)
    terms = lexicon_terms()
    for (group, _), doc in zip(records, docs, strict=True):
        # A word the lexicon knows, as written or as its lemma ("adidas" -> "adida"), is never framing.
        groups[group].append({lemma for word, lemma in content_words(doc) if not {word, lemma} & terms})
    words = framing_words(groups)
    return {
        "about": (
            "Content words common in the copy of nearly every large product group of the Myntra train "
            "split: framing, not facts. Built by `python -m seamline.finetune.framing`."
        ),
        "copies": len(records),
        "groups": {g: len(groups[g]) for g in sorted(groups, key=lambda g: -len(groups[g]))[:8]},
        "words": words,
    }


def main(argv: list[str] | None = None) -> int:
    """Write agents/vocab/words/framing.json from the shared data's train split."""
    from seamline.agents.lexicon.words import WORDS_DIR
    from seamline.config import Settings
    from seamline.finetune.data import shared_data_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=12000, help="train copies to read")
    parser.add_argument("--out", type=Path, default=WORDS_DIR / "framing.json")
    args = parser.parse_args(argv)
    table = build(shared_data_dir(Settings()), limit=args.limit)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    print(f"{len(table['words'])} framing words from {table['copies']} copies -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
