"""A dev product against a train-split catalog of its article type, end to end with the fake model."""

from __future__ import annotations

import json
from pathlib import Path

from seamline import Agent
from seamline.agents.market_summary import foreign_figures
from seamline.llm.fake import FakeLLM
from tests.compete_fixtures import dev_market


def test_a_dev_product_against_train_listings_of_its_article_type(shared_data: Path, tmp_path: Path) -> None:
    market = dev_market(shared_data, tmp_path)
    product = market.product
    llm = FakeLLM(default="The market has 10 competitors; at the 99th percentile your price is the highest.")
    with Agent(llm=llm, search=f"local:{market.pages}", knowledge="none") as agent:
        report = agent.compete(product["productDisplayName"], catalog=market.catalog, currency="INR")

    assert report.status.state == "complete" and report.market.considered == len(market.train)
    assert len(report.competitors) >= 5
    for c in report.competitors:
        rid = (c.url or "").removeprefix("catalog:")
        rival = market.train[rid]  # a train record of the catalog, never a dev or reserved one
        assert rival["articleType"] == product["articleType"] and rival["gender"] == product["gender"]
        assert rival["brandName"] != product["brandName"]
        assert c.attributes and all(d.evidence_ids == [c.evidence_id] for d in c.attributes)
        assert c.why and c.price is not None and c.price.currency == "INR"

    p = report.price_position
    assert p.product_price == float(product["price"]) and p.currency == "INR"
    assert p.prices >= 5 and None not in (p.median, p.q1, p.q3, p.min, p.max, p.percentile)
    assert report.gaps and all(g.evidence_ids and 2 * g.stated > g.of for g in report.gaps)
    ids = {c.evidence_id for c in report.competitors}
    assert all(set(g.evidence_ids) <= ids for g in report.gaps)

    # The fake model's figures are not the tables': that sentence goes, and what is left is theirs.
    tables = [e for e in report.evidence if e.source == "table"]
    assert foreign_figures(report.summary, tables) == [] and report.removed
    data = json.loads(report.model_dump_json())
    assert all(data[k] for k in ("competitors", "matrix", "price_position", "gaps"))


def test_eval_compete_measures_what_the_issue_asks(shared_data: Path, tmp_path: Path) -> None:
    from seamline.config import Settings
    from seamline.evaluation.compete import run_compete_eval

    seen: list[str] = []
    settings = Settings(data_dir=tmp_path / "data")
    report = run_compete_eval(
        settings, n=3, llm=FakeLLM(), root=shared_data, on_row=lambda r: seen.append(r.id)
    )
    assert report.products == 3 and len(seen) == 3 and report.failed == 0
    assert report.catalog_rows == 40906  # every train record, all article types
    assert report.with_enough == sum(1 for r in report.rows if r.same_type_and_gender >= 5)
    assert report.share_with_enough == round(report.with_enough / 3, 4)
    assert set(report.seconds) == {"median", "mean", "p90", "max"}
    assert report.foreign_figures == 0 and report.summary_sources == {"computed": 3}
