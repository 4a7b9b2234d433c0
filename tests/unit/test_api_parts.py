"""Every part of an Agent is injectable through its constructor: a model, search, knowledge, extra tools."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import DeterministicFakeEmbedding
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.retrievers import BaseRetriever
from langchain_core.tools import tool
from langchain_core.vectorstores import InMemoryVectorStore

from seamline import Agent, Settings
from seamline.errors import ModelError
from seamline.llm.base import Generation, GenerationParams, Message
from seamline.llm.fake import FakeLLM
from seamline.tools.local_index import LocalIndex
from tests.fakes import SHIRT, FakeSearch, tool_calls

PRODUCT = "Turtle Check Men Navy Blue Shirt"
DRAFT = "A navy blue checked shirt for men in cotton, with long sleeves. It is waterproof."
PIM = {"name": PRODUCT, "brand": "Turtle", "Fit": "Slim Fit", "Sleeve Length": "Long Sleeves"}


def plan(*actions: tuple[str, dict]) -> str:
    return json.dumps(
        {"thoughts": "look it up", "actions": [{"tool": t, "args": a, "why": "evidence"} for t, a in actions]}
    )


class ShopChat(BaseChatModel):
    """A LangChain chat model that plans from a script and drafts DRAFT (an endpoint stands here in CI)."""

    plans: list[str] = []
    content: object = None

    @property
    def _llm_type(self) -> str:
        return "shop-chat"

    def _generate(self, messages: list[BaseMessage], stop=None, run_manager=None, **kwargs) -> ChatResult:
        if self.content is not None:
            message = AIMessage(content=self.content)
        elif "research planner" in str(messages[0].content):
            message = AIMessage(self.plans.pop(0) if self.plans else plan())
        else:
            message = AIMessage(DRAFT)
        return ChatResult(generations=[ChatGeneration(message=message)])


class ShopRetriever(BaseRetriever):
    """A LangChain retriever over the shop's pages (what an application's search already is)."""

    pages: list[Document]
    queries: list[str] = []

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        self.queries.append(query)
        words = set(query.lower().split())
        return [d for d in self.pages if words & set(d.metadata["title"].lower().split())]


def shop() -> ShopRetriever:
    return ShopRetriever(pages=[Document(SHIRT.text, metadata={"title": SHIRT.title, "url": SHIRT.url})])


PIM_CALLS: list[str] = []


@tool
def pim_lookup(product: str) -> dict:
    """Look a product up in the PIM: its labelled attributes as the merchandising team entered them."""
    PIM_CALLS.append(product)
    return PIM


def test_a_langchain_chat_model_retriever_and_tool_are_each_used_in_one_run() -> None:
    """The Done-when test: a BaseChatModel plans and drafts, a retriever searches, the extra tool runs."""
    PIM_CALLS.clear()
    chat = ShopChat(
        plans=[plan(("search_product", {"product": PRODUCT}), ("pim_lookup", {"product": PRODUCT}))]
    )
    retriever = shop()
    with Agent(llm=chat, search=retriever, knowledge="none", tools=[pim_lookup]) as agent:
        result = agent.describe(PRODUCT)
    assert result.model is not None and (result.model.name, result.model.backend) == ("ShopChat", "langchain")
    assert result.draft.startswith("A navy blue checked shirt")  # the chat model drafted
    assert retriever.queries == [PRODUCT]
    assert PIM_CALLS == [PRODUCT]
    assert [name for name, _ in tool_calls(result)] == ["search_product", "pim_lookup"]
    pim = next(e for e in result.evidence if e.source == "catalog")
    assert pim.about_product and "Fit: Slim Fit" in pim.text
    page = next(e for e in result.evidence if e.url == SHIRT.url)
    assert page.about_product
    # The PIM's brand line (which the page does not state) reaches the details, citing the PIM record.
    assert any(d.attribute == "brand" and d.evidence_ids == [pim.id] for d in result.details)
    assert "waterproof" not in result.description.lower()


def test_an_extra_tool_that_raises_is_recorded_on_the_step_and_shown_to_the_planner() -> None:
    @tool
    def broken_pim(product: str) -> dict:
        """Look a product up in the PIM."""
        raise ConnectionError("PIM is down for maintenance")

    prompts: list[str] = []

    def reply(messages: Sequence[Message]) -> str:
        if "research planner" in messages[0]["content"]:
            prompts.append(messages[-1]["content"])
            return plan(("broken_pim", {"product": PRODUCT})) if len(prompts) == 1 else plan()
        return DRAFT

    llm = FakeLLM(default=reply, can_plan=True)
    with Agent(llm=llm, search="none", knowledge="none", tools=[broken_pim]) as agent:
        result = agent.describe(PRODUCT)
    research = next(s for s in result.steps if s.node == "research")
    assert research.error and "broken_pim raised ConnectionError: PIM is down" in research.error
    assert "PIM is down" in prompts[1]  # the next turn's prompt shows the error to the planner
    assert result.status.state == "complete"


def test_extra_tools_with_a_model_that_cannot_plan_are_said_to_be_unused() -> None:
    PIM_CALLS.clear()
    with Agent(llm=FakeLLM([DRAFT]), search="none", knowledge="none", tools=[pim_lookup]) as agent:
        result = agent.describe(PRODUCT)
    assert PIM_CALLS == []
    assert any("pim_lookup" in w and "only to a planner that can plan" in w for w in result.warnings)


def test_knowledge_from_a_langchain_vectorstore_is_general_knowledge() -> None:
    store = InMemoryVectorStore(DeterministicFakeEmbedding(size=16))
    store.add_texts(["Check is a pattern of crossed stripes."], metadatas=[{"title": "check"}])
    with Agent(llm=FakeLLM([DRAFT]), search=FakeSearch(pages=[SHIRT]), knowledge=store) as agent:
        result = agent.describe(PRODUCT)
    general = [e for e in result.evidence if e.source == "knowledge"]
    assert [e.text for e in general] == ["Check is a pattern of crossed stripes."]
    assert not general[0].about_product


def test_search_as_a_local_index_or_a_path(tmp_path) -> None:
    pages = tmp_path / "pages.jsonl"
    pages.write_text(json.dumps({"url": SHIRT.url, "title": SHIRT.title, "text": SHIRT.text}) + "\n")
    for search in (LocalIndex.from_path(pages), pages):
        with Agent(llm=FakeLLM([DRAFT]), search=search, knowledge="none") as agent:
            result = agent.describe(PRODUCT)
        assert any(e.url == SHIRT.url and e.about_product for e in result.evidence)


def test_settings_as_an_object_or_a_dict_and_overrides_on_top() -> None:
    agent = Agent({"max_steps": 2, "search": "none"}, temperature=0)
    assert (agent.settings.max_steps, agent.settings.search, agent.settings.temperature) == (2, "none", 0)
    assert Agent(Settings(max_steps=3)).settings.max_steps == 3


@pytest.mark.parametrize(
    ("part", "value", "expected"),
    [
        ("llm", "gpt-4", "llm must be a Seamline model backend"),
        ("llm", object(), "or a LangChain BaseChatModel, not object"),
        ("search", 42, "search must be 'auto', 'web', 'local:PATH' or 'none', a path"),
        ("knowledge", 3.5, "knowledge must be 'local', 'none'"),
        ("tools", [print], "each of tools must be a LangChain tool"),
        ("tools", "pim_lookup", "tools must be a list of LangChain tools, not str"),
        ("settings", 7, "settings must be a seamline Settings or a dict"),
    ],
)
def test_a_part_of_the_wrong_kind_is_a_type_error_naming_what_was_expected(
    part: str, value: object, expected: str
) -> None:
    with pytest.raises(TypeError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        Agent(**{part: value})


class TextlessLLM:
    """A user's own backend that returns a number instead of text."""

    name = "textless"
    can_plan = False

    def generate(self, messages: Sequence[Message], params: GenerationParams) -> Generation:
        return Generation(text=42)  # type: ignore[arg-type]

    def generate_batch(
        self, batch: Sequence[Sequence[Message]], params: GenerationParams
    ) -> list[Generation]:
        return [self.generate(m, params) for m in batch]

    def stream(self, messages: Sequence[Message], params: GenerationParams):
        yield 42


def test_a_users_llm_that_returns_non_text_is_a_model_error_naming_it() -> None:
    with (
        Agent(llm=TextlessLLM(), search="none", knowledge="none") as agent,
        pytest.raises(ModelError) as info,
    ):
        agent.describe(PRODUCT)
    assert "TextlessLLM returned int, not text" in str(info.value)


def test_a_chat_model_that_returns_non_text_is_a_model_error_naming_it() -> None:
    chat = ShopChat(content=[{"type": "image", "url": "x"}])
    with Agent(llm=chat, search="none", knowledge="none") as agent, pytest.raises(ModelError) as info:
        agent.describe(PRODUCT)
    assert "the chat model ShopChat returned AIMessage, not a message with text" in str(info.value)
