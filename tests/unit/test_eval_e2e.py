"""End-to-end evaluation: the scoring rules, the page index, and a small run with a fake model.

Products come from the train split (fixtures may use only train ids); the index is built in tmp_path.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from seamline.cli.evaluate import app
from seamline.config import Settings
from seamline.errors import UsageError
from seamline.evaluation.data import load_myntra
from seamline.evaluation.e2e import coverage, evaluate_pages, facts, is_stated
from seamline.evaluation.pages import Page, build_pages, check_allowed, myntra_product
from seamline.llm.fake import FakeLLM

TRAIN_IDS = ["1529", "1531", "1536"]  # Ferrari Tee, Puma Men Grey Solid Round Neck T-Shirt, Puma Net Jersey


# --- scoring rules (no data) ------------------------------------------------------------------------


def test_a_shade_on_the_page_supports_its_family_not_the_reverse() -> None:
    page = facts("Colour: Navy Blue\nFabric: Cotton")
    blue, navy = facts("a blue tee"), facts("a navy blue tee")
    assert is_stated(blue[0], page)
    assert is_stated(navy[0], facts("Colour: Navy Blue"))
    assert not is_stated(facts("a navy blue tee")[0], facts("Colour: Blue"))


def test_styling_suggestions_are_not_counted() -> None:
    assert [m.value for m in facts("A white shirt. Pair it with blue jeans.")] == ["white"]


def test_coverage_states_missed_and_uncheckable_labels() -> None:
    labels = {"fabric": ("Fabric: Cotton",), "sleeve": ("Sleeve Length: Short Sleeves",)}
    labels["pattern"] = ("Pattern: Melange",)
    stated, missed, unknown = coverage("A cotton t-shirt.", labels)
    assert (stated, missed, unknown) == (["fabric"], ["sleeve"], ["pattern"])


# --- pages and the run (shared data) -----------------------------------------------------------------


@pytest.fixture
def train_products(shared_data: Path) -> list:
    return [myntra_product(r) for r in load_myntra(TRAIN_IDS, shared_data)]


def test_a_product_page_is_its_record_with_labels(train_products: list) -> None:
    tee = train_products[1]
    assert tee.name == "Puma Men Grey Solid Round Neck T-Shirt"
    assert tee.urls == {"myntra:1531"}
    assert "Fabric: Cotton" in tee.text
    assert tee.labels["colour"] == ("Colour: Grey",)
    assert set(tee.labels) == {"fabric", "sleeve", "neck", "fit", "pattern", "colour"}


def test_the_index_holds_own_pages_and_distractors_without_namesakes(
    train_products: list, shared_data: Path, tmp_path: Path
) -> None:
    pages = build_pages("myntra", train_products, tmp_path, distractors=60, seed=1, root=shared_data)
    lines = pages.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 + pages.distractors
    assert all(f'"myntra:{i}"' in pages.path.read_text() for i in TRAIN_IDS)
    again = build_pages("myntra", train_products, tmp_path, distractors=60, seed=1, root=shared_data)
    assert again.path == pages.path  # same content, same file: the BM25 cache stays valid


def test_reserved_ids_are_refused(shared_data: Path) -> None:
    with pytest.raises(UsageError, match="reserved"):
        check_allowed([Page("myntra:999999999", "x", "y")], shared_data)
    with pytest.raises(UsageError, match="reserved"):
        check_allowed([Page("hm:1", "x", "y")], shared_data)


def test_a_run_scores_final_text_and_raw_draft(
    train_products: list, shared_data: Path, tmp_path: Path
) -> None:
    pages = build_pages("myntra", train_products, tmp_path / "cache", distractors=40, root=shared_data)
    llm = FakeLLM(default="A stylish leather t-shirt in purple with a round neck.")
    settings = Settings(backend="fake", data_dir=tmp_path / "data")
    seen: list[tuple[str, int, int]] = []
    report = evaluate_pages(pages, settings, llm, progress=lambda *a: seen.append(a))
    assert report.products == 3 and report.failed == 0
    assert seen[-1] == ("myntra", 3, 3)
    assert report.own_page_found == 1.0
    # The draft invents leather and purple; the critic removes them from the final text.
    assert report.raw_draft.unsupported >= 6
    assert report.final.unsupported == 0
    assert report.final.coverage > report.raw_draft.coverage
    row = report.rows[1]
    assert any("leather" in u for u in row.raw_draft.unsupported)
    assert "leather" not in row.description
    assert report.seconds["median"] > 0


def test_cli_refuses_a_split_other_than_dev() -> None:
    result = CliRunner().invoke(app, ["e2e", "--split", "train", "--backend", "fake"])
    assert result.exit_code == 2
    assert "dev split" in result.output
