"""The lexicon: the shared fashion vocabulary and everything that reads text or evidence with it.

The critic, the writer, the planner, the analyst and the evaluations all import it; it imports none of
them. It holds the vocabulary (agents/vocab/*.json), the mention finder (negation, styling and catalog
key lines), numbers, the word lists (agents/vocab/words), the one sentence splitter and a/an rule, and
what evidence states (the evidence index and the details computed from it).

>>> from seamline.agents.lexicon import extract_mentions
>>> [(m.category, m.value) for m in extract_mentions("A navy tee with full sleeves")]
[('colour', 'navy blue'), ('sleeve', 'long sleeves')]
"""

from seamline.agents.lexicon.details import (
    details_from_evidence,
    disputed_details,
    missing_categories,
    product_types,
)
from seamline.agents.lexicon.evidence import (
    EvidenceIndex,
    Stated,
    brand_names,
    build_index,
    clean_text,
    coerce_evidence,
    mentions_of,
)
from seamline.agents.lexicon.mentions import extract_mentions, find_mentions
from seamline.agents.lexicon.numbers import Number, find_numbers, only_glue, percent_material
from seamline.agents.lexicon.text import indefinite_article, sentence_spans, split_sentences
from seamline.agents.lexicon.vocabulary import ATTRIBUTE_CATEGORIES, Mention, Vocabulary, norm, vocabulary
from seamline.agents.lexicon.words import words

__all__ = [
    "ATTRIBUTE_CATEGORIES",
    "EvidenceIndex",
    "Mention",
    "Number",
    "Stated",
    "Vocabulary",
    "brand_names",
    "disputed_details",
    "build_index",
    "clean_text",
    "coerce_evidence",
    "details_from_evidence",
    "extract_mentions",
    "find_mentions",
    "find_numbers",
    "indefinite_article",
    "mentions_of",
    "missing_categories",
    "norm",
    "only_glue",
    "percent_material",
    "product_types",
    "sentence_spans",
    "split_sentences",
    "vocabulary",
    "words",
]
