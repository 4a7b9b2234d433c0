"""One Agent under concurrent calls: 8 ``adescribe`` at once against the same 8 one after another.

Both sides use one Agent with the real default model (llama.cpp) and the example shop as the local
index. Prints how many times the model was loaded, the wall-clock of each side, and whether the
concurrent drafts equal the sequential ones (generation is serialised in the one llama.cpp context, so
they should).

    python bench/api_concurrency.py [-n 8]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

import seamline.llm
from seamline import Agent, Settings

ROOT = Path(__file__).resolve().parents[1]
PRODUCTS = [
    "Turtle Check Men Navy Blue Shirt",
    "Turtle Men White Formal Shirt",
    "Harbour Men Navy Blue Check Shirt",
    "Lumen Women Black Printed Maxi Dress",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=8, help="concurrent calls (products repeat)")
    args = parser.parse_args()
    products = [PRODUCTS[i % len(PRODUCTS)] for i in range(args.n)]
    loads = 0
    real_load = seamline.llm.load_llm

    def counted(settings, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal loads
        loads += 1
        return real_load(settings, **kwargs)

    seamline.llm.load_llm = counted  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as data:
        settings = Settings(
            data_dir=Path(data), search=f"local:{ROOT / 'examples' / 'shop_pages.jsonl'}", knowledge="none"
        )
        with Agent(settings) as agent:
            _ = agent.llm  # load before timing either side
            t0 = time.monotonic()
            crowd = asyncio.run(_gather(agent, products))
            concurrent_s = time.monotonic() - t0
            t0 = time.monotonic()
            one_by_one = [agent.describe(p) for p in products]
            sequential_s = time.monotonic() - t0
    same = sum(a.draft == b.draft for a, b in zip(crowd, one_by_one, strict=True))
    complete = sum(r.status.state == "complete" for r in crowd)
    print(f"model loads: {loads}")
    print(f"{args.n} concurrent adescribe: {concurrent_s:.1f} s ({complete}/{args.n} complete)")
    print(f"{args.n} sequential describe:  {sequential_s:.1f} s")
    print(f"concurrent / sequential: {concurrent_s / sequential_s:.2f}")
    print(f"drafts equal to the sequential run's: {same}/{args.n}")


async def _gather(agent: Agent, products: list[str]) -> list:
    return list(await asyncio.gather(*(agent.adescribe(p) for p in products)))


if __name__ == "__main__":
    main()
