"""The product's own page wins over near-namesakes, in the index and in the researcher."""

from __future__ import annotations

import json
from pathlib import Path

from seamline.agents.researcher import run_actions
from seamline.results import Action, Evidence
from seamline.tools.local_index import LocalIndex

OWN = "Scullers Men Check White Shirts"


def test_exact_title_ranks_first(tmp_path: Path) -> None:
    pages = tmp_path / "pages.jsonl"
    rows = [
        {"url": "p:near", "title": "Scullers Men Check White Shirt", "text": "Scullers check white shirt."},
        {
            "url": "p:own",
            "title": OWN,
            "text": "Fabric: Cotton. " + "A long description of this shirt. " * 30,
        },
        {"url": "p:other", "title": "Scullers Men Check Blue Shirts", "text": "Scullers men check shirts."},
    ]
    pages.write_text("".join(json.dumps(r) + "\n" for r in rows))
    index = LocalIndex.from_path(pages, cache_dir=tmp_path / "cache")
    assert [e.url for e in index.search(OWN, k=1, product=OWN)] == ["p:own"]


def test_near_namesake_is_not_about_the_product_once_the_exact_page_is_found() -> None:
    hits = [
        Evidence(id="a", source="page", url="p:near", title="Scullers Men Check White Shirt", text="Linen."),
        Evidence(id="b", source="page", url="p:own", title=OWN, text="Fabric: Cotton"),
    ]
    outcome = run_actions(
        OWN, [Action(tool="search_product", args={"product": OWN})], lambda *a, **k: hits, existing=[]
    )
    about = {e.url: e.about_product for e in outcome.evidence}
    assert about == {"p:near": False, "p:own": True}
