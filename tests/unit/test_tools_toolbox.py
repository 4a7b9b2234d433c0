"""The toolbox: which tools exist under which settings, argument checking, LangChain tools, competitors."""

import json
from pathlib import Path
from typing import Any

import pytest
from ddgs.exceptions import DDGSException

from seamline.config import Settings
from seamline.errors import ConfigError, KnowledgeStoreError, SearchError, UsageError
from seamline.results import Evidence
from seamline.tools.knowledge import KnowledgeLookup, lookup_knowledge_tool
from seamline.tools.toolbox import build_toolbox
from seamline.tools.web import WebSearch

PRODUCTS = [
    {
        "id": 1,
        "productDisplayName": "Nike Men Navy Blue T-Shirts",
        "brandName": "Nike",
        "articleType": "Tshirts",
        "baseColour": "Navy Blue",
        "gender": "Men",
    },
    {
        "id": 2,
        "productDisplayName": "Nike Men Town Navy Blue T-Shirts",
        "brandName": "Nike",
        "articleType": "Tshirts",
        "baseColour": "Navy Blue",
        "gender": "Men",
    },
    {
        "id": 3,
        "productDisplayName": "Puma Men Navy Blue T-Shirts",
        "brandName": "Puma",
        "articleType": "Tshirts",
        "baseColour": "Navy Blue",
        "gender": "Men",
    },
    {
        "id": 4,
        "productDisplayName": "United Colors of Benetton Men Navy Blue T-Shirts",
        "brandName": "United Colors of Benetton",
        "articleType": "Tshirts",
        "baseColour": "Navy Blue",
        "gender": "Men",
    },
    {
        "id": 5,
        "productDisplayName": "Puma Women Red Track Pants",
        "brandName": "Puma",
        "articleType": "Track Pants",
        "baseColour": "Red",
        "gender": "Women",
    },
]


class FakeStore:
    def __init__(self) -> None:
        self.closed = False

    def search(self, query: str, k: int = 4) -> list[Evidence]:
        return [
            Evidence(id="kb1", source="knowledge", title="Pique", text=f"about {query}", about_product=False)
        ]

    def close(self) -> None:
        self.closed = True


class FakeDDGS:
    def __init__(self, result: Any) -> None:
        self.result = result

    def text(self, query: str, *, max_results: int) -> list[dict[str, Any]]:
        if isinstance(self.result, Exception):
            raise self.result
        return self.result


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    path = tmp_path / "catalog.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in PRODUCTS) + "\n")
    return path


def local_settings(catalog: Path, **extra: Any) -> Settings:
    return Settings(search=f"local:{catalog}", **extra)


def test_tools_per_setting(catalog: Path) -> None:
    assert build_toolbox(Settings(search="none", knowledge="none")).names == []
    assert build_toolbox(Settings(search="none")).names == ["lookup_knowledge"]
    assert build_toolbox(local_settings(catalog)).names == [
        "search_product",
        "lookup_knowledge",
        "find_competitors",
    ]
    assert build_toolbox(Settings(search="web", knowledge="none")).names == [
        "search_product",
        "search_web",
        "fetch_page",
        "find_competitors",
    ]
    assert build_toolbox(Settings(search="auto", knowledge="none")).names[0] == "search_product"
    with pytest.raises(ConfigError, match="unknown search setting"):
        build_toolbox(Settings(search="bing"))


def test_search_product_from_local_index(catalog: Path) -> None:
    box = build_toolbox(local_settings(catalog, knowledge="none"))
    hits = box.call("search_product", product="Nike Men Town Navy Blue T-Shirts", k=2)
    assert hits[0].url == "catalog:2" and hits[0].about_product
    assert all(h.url != "catalog:2" or h.about_product for h in hits)


def test_competitors_exclude_own_brand_and_product(catalog: Path) -> None:
    box = build_toolbox(local_settings(catalog, knowledge="none"))
    found = box.call("find_competitors", product="Nike Men Navy Blue T-Shirts", k=3)
    assert {e.url for e in found[:2]} == {"catalog:3", "catalog:4"}
    assert all(e.source == "competitor" and not e.about_product for e in found)
    assert not any("Nike" in e.title for e in found)


def test_multi_word_brand_is_recognised(catalog: Path) -> None:
    box = build_toolbox(local_settings(catalog, knowledge="none"))
    found = box.call("find_competitors", product="United Colors of Benetton Men Navy Blue T-Shirts", k=5)
    assert "catalog:4" not in {e.url for e in found}
    assert {"catalog:1", "catalog:3"} <= {e.url for e in found}


def test_lookup_knowledge_is_injected(catalog: Path) -> None:
    store = FakeStore()
    box = build_toolbox(local_settings(catalog), knowledge=KnowledgeLookup(Settings(), store=store))
    [hit] = box.call("lookup_knowledge", query="pique")
    assert hit.source == "knowledge" and hit.text == "about pique"
    box.close()
    assert store.closed


def test_bad_calls_are_usage_errors(catalog: Path) -> None:
    box = build_toolbox(local_settings(catalog, knowledge="none"))
    with pytest.raises(UsageError, match="unknown tool 'search_web'"):
        box.call("search_web", query="x")
    with pytest.raises(UsageError, match="product"):
        box.call("search_product")
    with pytest.raises(UsageError, match="k"):
        box.call("search_product", product="x", k=0)
    with pytest.raises(UsageError, match="unknown color"):
        box.call("search_product", product="x", color="red")


def test_web_failure_is_search_error() -> None:
    settings = Settings(search="web", knowledge="none")
    web = WebSearch(settings, client_factory=lambda t: FakeDDGS(DDGSException("refused")))
    box = build_toolbox(settings, web=web)
    with pytest.raises(SearchError):
        box.call("search_web", query="linen shirt")
    with pytest.raises(SearchError):
        box.call("find_competitors", product="Nike Men Navy Blue T-Shirts")


def test_web_competitors_skip_the_brand() -> None:
    settings = Settings(search="web", knowledge="none")
    hits = [
        {"title": "Nike Men Navy Blue T-Shirts", "href": "https://a.example/1", "body": "own"},
        {"title": "Nike Dri-FIT navy tee", "href": "https://a.example/2", "body": "same brand"},
        {"title": "Adidas navy tee", "href": "https://b.example/3", "body": "other brand"},
    ]
    box = build_toolbox(settings, web=WebSearch(settings, client_factory=lambda t: FakeDDGS(hits)))
    found = box.call("find_competitors", product="Nike Men Navy Blue T-Shirts")
    assert [e.url for e in found] == ["https://b.example/3"]


def test_describe_lists_signatures(catalog: Path) -> None:
    lines = build_toolbox(local_settings(catalog)).describe().splitlines()
    assert lines[0].startswith("search_product(product: str, k: int = 5): Find this product's own")
    assert lines[1].startswith("lookup_knowledge(query: str, k: int = 4): Look up general fashion knowledge")


def test_langchain_tools(catalog: Path) -> None:
    box = build_toolbox(local_settings(catalog), knowledge=KnowledgeLookup(Settings(), store=FakeStore()))
    tools = {t.name: t for t in box.as_langchain_tools()}
    assert set(tools) == set(box.names)
    product_tool = tools["search_product"]
    assert set(product_tool.args) == {"product", "k"}
    assert "catalog record" in product_tool.description
    message = product_tool.invoke(
        {
            "type": "tool_call",
            "id": "call1",
            "name": "search_product",
            "args": {"product": "Puma Women Red Track Pants"},
        }
    )
    assert "Puma Women Red Track Pants" in message.content
    assert message.artifact[0].url == "catalog:5"


def test_standalone_knowledge_tool() -> None:
    tool = lookup_knowledge_tool(KnowledgeLookup(Settings(), store=FakeStore()))
    assert tool.name == "lookup_knowledge" and set(tool.args) == {"query", "k"}
    assert "Pique: about twill" in tool.invoke({"query": "twill"})


def test_unusable_sources_become_search_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    box = build_toolbox(Settings(search=f"local:{bad}", knowledge="none"))
    with pytest.raises(SearchError, match="search_product: .*bad.jsonl:1"):
        box.call("search_product", product="anything")

    class BrokenStore(FakeStore):
        def search(self, query: str, k: int = 4) -> list[Evidence]:
            raise KnowledgeStoreError("knowledge store at /x failed; rm -r /x")

    box = build_toolbox(Settings(search="none"), knowledge=KnowledgeLookup(Settings(), store=BrokenStore()))
    with pytest.raises(SearchError, match="lookup_knowledge: knowledge store at /x"):
        box.call("lookup_knowledge", query="twill")
