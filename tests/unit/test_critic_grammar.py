"""The surface checks the editor keeps true: what they flag, and what they must not."""

from __future__ import annotations

import pytest

from seamline.agents.critic.grammar import new_problems, problems


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("It's with a long sleeve collar.", "broken_phrase"),
        ("A shirt made of and cotton.", "broken_phrase"),
        ("A the shirt.", "broken_phrase"),
        ("It's.", "dangling_word"),
        ("Made of.", "dangling_word"),
    ],
)
def test_what_a_cut_can_break_is_flagged(text: str, problem: str) -> None:
    assert problems(text)[problem] == 1


@pytest.mark.parametrize(
    "text",
    ["It's cut from cotton with a long sleeve collar.", "It is made of the finest cotton, with a hood."],
)
def test_ordinary_prepositional_phrases_are_not_problems(text: str) -> None:
    assert problems(text) == {}


def test_a_cut_that_leaves_its_with_is_a_new_problem() -> None:
    before = "It's cut from cotton with a long sleeve collar."
    assert new_problems(before, "It's with a long sleeve collar.") == {"broken_phrase": 1}
