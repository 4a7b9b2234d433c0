"""What a run is asked to do: a product name, checked, and a task in words ('describe <product>')."""

from __future__ import annotations

import re
from typing import Literal

from seamline.errors import UsageError

MAX_PRODUCT_CHARS = 500

Task = Literal["describe", "compete"]


def clean_product(product: str) -> str:
    """Validate a product name: non-empty, at most 500 characters, one line."""
    if not isinstance(product, str):
        raise UsageError("the product name must be text")
    name = " ".join(product.split())
    if not name:
        raise UsageError(
            'the product name is empty; give one, e.g. agent describe "Turtle Check Men Navy Shirt"'
        )
    if len(name) > MAX_PRODUCT_CHARS:
        raise UsageError(
            f"the product name is {len(name)} characters; the limit is {MAX_PRODUCT_CHARS}: give the name, "
            "not the whole listing"
        )
    return name


_COMPETE_PHRASE = re.compile(
    r"^\s*(?:competitor|competitors|competition|market)\s+analysis\s+(?:for|of)\s+(?P<product>\S.*)$", re.I
)


def parse_task(task: str) -> tuple[Task, str]:
    """Map 'describe <product>', 'competitor analysis for <product>' or 'compare <product>' to a task."""
    phrase = _COMPETE_PHRASE.match(task)
    if phrase:
        return "compete", phrase.group("product")
    words = task.strip().split(maxsplit=1)
    verbs: dict[str, Task] = {
        "describe": "describe",
        "compare": "compete",
        "compete": "compete",
        "analyse": "compete",
    }
    if len(words) == 2 and words[0].lower() in verbs:
        return verbs[words[0].lower()], words[1]
    if len(words) == 1 and words[0].lower() in verbs:
        raise UsageError(f"'{words[0]}' needs a product name, e.g. agent run \"describe Navy Blue Shirt\"")
    raise UsageError(
        f"cannot understand the task {task.strip()[:60]!r}; tasks are 'describe <product>' and "
        "'competitor analysis for <product>' (or 'compare <product>')"
    )
