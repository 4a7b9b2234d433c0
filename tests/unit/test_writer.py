"""The writer drops sentences the critic emptied, and keeps what the draft said as written."""

from __future__ import annotations

from seamline.agents.writer import compose, drop_emptied

DRAFT = (
    "This navy blue shirt is made of cotton. It falls to a midi length and closes with a tie-up "
    "fastening. It is a great pick."
)


def test_a_cut_sentence_that_states_nothing_is_dropped() -> None:
    cleaned = "This navy blue shirt is made of cotton. It falls to a fastening. It is a great pick."
    assert drop_emptied(cleaned, DRAFT) == "This navy blue shirt is made of cotton. It is a great pick."


def test_a_cut_sentence_that_still_states_an_attribute_stays() -> None:
    cleaned = "This navy blue shirt is made of cotton. It closes with a fastening and has long sleeves."
    draft = "This navy blue shirt is made of cotton. It closes with a zip fastening and has long sleeves."
    assert drop_emptied(cleaned, draft) == cleaned


def test_compose_without_the_draft_changes_nothing() -> None:
    cleaned = "This navy blue shirt is made of cotton. It falls to a fastening."
    assert compose("Navy Blue Shirt", cleaned, []) == cleaned
    assert compose("Navy Blue Shirt", cleaned, [], draft=DRAFT) == "This navy blue shirt is made of cotton."
