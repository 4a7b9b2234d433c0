"""The text measures of `agent finetune eval`: non-words, repeated phrases, the computed sentence."""

from __future__ import annotations

from seamline.finetune.evaluate import computed_sentence_added, nonwords, repeated_trigrams
from seamline.results import DescribeResult, Evidence

KNOWN = {"a", "navy", "shirt", "with", "long", "sleeves", "v", "neck", "maxi", "tail", "it", "is"}


def test_nonwords_are_tokens_in_no_dictionary() -> None:
    assert nonwords("A navy shirt with long sleeves.", KNOWN) == []
    assert nonwords("A maxi tailtail with a V-necker.", KNOWN) == ["tailtail", "v-necker"]
    assert nonwords("A V-neck shirt.", KNOWN) == []  # a hyphenated word of known parts is known


def test_repeated_trigrams_count_phrases_said_again() -> None:
    assert repeated_trigrams("a navy shirt with long sleeves") == (0, 4)
    repeats, grams = repeated_trigrams("a navy shirt, a navy shirt, a navy shirt")
    assert (repeats, grams) == (4, 7)


def _result(draft: str, description: str) -> DescribeResult:
    evidence = [
        Evidence(id="name", source="name", text="Harbour Men Navy Blue Shirt"),
        Evidence(id="E1", source="catalog", text="Fabric: Cotton\nSleeve Length: Long Sleeves"),
    ]
    return DescribeResult(
        run_id="r",
        product="Harbour Men Navy Blue Shirt",
        draft=draft,
        description=description,
        evidence=evidence,
    )


def test_computed_sentence_is_detected_against_the_cleaned_draft() -> None:
    draft = "This navy blue shirt for men is made of cotton and has long sleeves."
    assert not computed_sentence_added(_result(draft, draft))
    assert computed_sentence_added(_result(draft, f"{draft} It is a casual shirt."))
    assert computed_sentence_added(_result("", "A navy blue shirt for men."))
