"""Competitor analysis with the fake model: prices, the catalog, the market, the tables, the summary."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from seamline import Agent
from seamline.agents.market_summary import figures, foreign_figures
from seamline.agents.prices import parse_price, percentile_rank, price_in_text, quartiles
from seamline.compete_results import CompetitorReport
from seamline.errors import UsageError
from seamline.llm.fake import FakeLLM
from seamline.results import Evidence
from seamline.tools.catalog import read_catalog

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CATALOG = EXAMPLES / "rival_shirts.csv"
SHOP = EXAMPLES / "shop_pages.jsonl"
PRODUCT = "Turtle Check Men Navy Blue Shirt"


def analyse(reply: str = "", **options: object) -> CompetitorReport:
    with Agent(llm=FakeLLM(default=reply), search=f"local:{SHOP}", knowledge="none") as agent:
        return agent.compete(PRODUCT, catalog=options.pop("catalog", CATALOG), **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def report() -> CompetitorReport:
    """One analysis of the example catalog, shared by the tests that only read it."""
    with Agent(llm=FakeLLM(), search=f"local:{SHOP}", knowledge="none") as agent:
        return agent.compete(PRODUCT, catalog=CATALOG)


# --- prices -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("1,299", 1299.0, None),
        ("Rs. 1,299", 1299.0, "INR"),
        ("₹999", 999.0, "INR"),
        ("649 INR", 649.0, "INR"),
        ("$25.00", 25.0, "USD"),
        ("24,99 EUR", 24.99, "EUR"),
        ("USD 10", 10.0, "USD"),
        (1499, 1499.0, None),
    ],
)
def test_prices_are_read_as_listings_write_them(text: object, amount: float, currency: str | None) -> None:
    price, why = parse_price(text)
    assert why == "" and price is not None
    assert (price.amount, price.currency) == (amount, currency)


def test_a_price_that_does_not_parse_says_why_and_a_catalog_currency_fills_in() -> None:
    assert parse_price("call us") == (None, "price 'call us' does not parse")
    assert parse_price("0")[1] == "price '0' is not a positive amount"
    assert parse_price("1299 for") == (None, "price '1299 for' does not parse")  # "for" is no currency
    price, _ = parse_price("1499", "INR")
    assert price is not None and price.currency == "INR"
    found = price_in_text("Navy blue shirt. Fabric: Linen. Price: 1299 for two")
    assert found is not None and found.amount == 1299.0


def test_quartiles_match_numpy() -> None:
    np = pytest.importorskip("numpy")
    rng = random.Random(7)
    for n in (1, 2, 3, 4, 5, 10, 31):
        values = sorted(rng.uniform(100, 5000) for _ in range(n))
        assert quartiles(values) == pytest.approx(tuple(np.percentile(values, [25, 50, 75])))


def test_percentile_counts_ties_as_half() -> None:
    assert percentile_rank(1299, [899, 999, 1199, 1399, 1499, 1599, 1799]) == 43
    assert percentile_rank(500, [500, 500]) == 50
    assert percentile_rank(100, [200, 300]) == 0


# --- the catalog ------------------------------------------------------------------------------------


def test_catalog_names_every_skipped_row_by_file_and_line(tmp_path: Path) -> None:
    catalog = read_catalog(CATALOG)
    assert len(catalog.rows) == 14
    assert catalog.skipped == [
        f"{CATALOG}:16: 5 columns where the header has 13",
        f"{CATALOG}:17: no product name",
    ]
    lines = tmp_path / "rivals.jsonl"
    lines.write_text(
        '{"name": "Harbour Men Navy Shirt", "price": "1499"}\n{not json\n[1, 2]\n\n{"brand": "Nameless"}\n',
        encoding="utf-8",
    )
    catalog = read_catalog(lines)
    assert [r.name for r in catalog.rows] == ["Harbour Men Navy Shirt"]
    assert catalog.skipped == [
        f"{lines}:2: not valid JSON",
        f"{lines}:3: not a JSON object",
        f"{lines}:5: no product name",
    ]


def test_a_catalog_that_cannot_be_used_is_one_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is not a file"):
        read_catalog(tmp_path / "missing.csv")
    (tmp_path / "rivals.xlsx").write_text("x")
    with pytest.raises(UsageError, match="use a .csv, .jsonl or .jsonl.gz file"):
        read_catalog(tmp_path / "rivals.xlsx")


# --- the market, the tables -------------------------------------------------------------------------


def test_the_market_is_the_same_type_and_audience_of_other_brands_in_the_price_band(
    report: CompetitorReport,
) -> None:
    m = report.market
    assert (m.product_type, m.audience, m.brand, m.currency) == ("shirt", "men", "Turtle", "INR")
    assert m.price_band == [649.5, 2598.0]
    assert m.considered == 14 and m.eligible == 9 and len(report.competitors) == 9
    assert m.excluded == {
        "the product itself": 1,
        "another audience": 1,
        "the same brand": 1,
        "another product type": 1,
        "outside the price band": 1,
    }
    assert m.skipped_rows == 2 and m.skipped[0].endswith(
        "rival_shirts.csv:16: 5 columns where the header has 13"
    )
    names = [c.name for c in report.competitors]
    assert "Tamsin Women Navy Check Shirt" not in names and "Turtle Men White Formal Shirt" not in names
    assert "Vantage Men Navy Check Silk Shirt" not in names and "Denholm Men Navy Slim Jeans" not in names
    norwood = next(c for c in report.competitors if c.brand == "Norwood")
    assert norwood.why[:3] == ["same product type (shirt)", "same audience (men)", "another brand (Norwood)"]
    assert "price 1599 INR within the band 649.5 INR to 2598 INR" in norwood.why
    # The catalog's row for the product itself is its own evidence, with its price.
    own = next(e for e in report.evidence if e.id == "own1")
    assert own.about_product and own.url == f"{CATALOG}:2"
    assert report.product_price is not None and report.product_price.amount == 1299.0


def test_every_cell_carries_the_evidence_behind_it(report: CompetitorReport) -> None:
    ids = {e.id for e in report.evidence}
    for c in report.competitors:
        assert c.evidence_ids == [c.evidence_id] and c.attributes
        assert all(d.evidence_ids == [c.evidence_id] for d in c.attributes)
    for row in report.matrix:
        assert len(row.cells) == len(report.competitors)
        for cell in row.cells:
            assert cell.evidence_ids == ([cell.evidence_id] if cell.value else [])
        assert set(row.evidence_ids) <= ids and set(row.product_evidence_ids) <= ids
    for table in (report.gaps, report.do_not_copy, [report.price_position]):
        for item in table:
            assert item.evidence_ids and set(item.evidence_ids) <= ids


def test_the_matrix_says_where_the_product_is_like_the_market_differs_and_what_it_lacks(
    report: CompetitorReport,
) -> None:
    rows = {r.attribute: r for r in report.matrix}
    assert rows["material"].product == "cotton" and rows["material"].verdict == "like the market"
    assert (rows["material"].same, rows["material"].stated) == (7, 9)
    assert rows["closure"].verdict == "only yours"
    assert rows["feature"].verdict == "gap" and rows["feature"].product is None
    assert [(g.attribute, g.stated, g.of) for g in report.gaps] == [("feature", 5, 9)]
    assert report.gaps[0].note.startswith("5 of 9 competitors state the features; your listing does not")
    linen = next(c for c in rows["material"].cells if c.value == "linen")
    assert linen.relation == "differs"


def test_price_position_leaves_out_other_currencies_and_unparsed_prices(report: CompetitorReport) -> None:
    p = report.price_position
    assert (p.currency, p.prices, p.product_price) == ("INR", 7, 1299.0)
    assert (p.min, p.q1, p.median, p.q3, p.max, p.percentile) == (899, 1099, 1399, 1549, 1799, 43)
    by_id = {c.evidence_id: c for c in report.competitors}
    reasons = sorted((by_id[x.evidence_id].brand, x.reason) for x in p.left_out)
    assert reasons == [("Ferro", "in USD, not INR"), ("Pellar", "price 'call us' does not parse")]
    assert p.note == "2 competitor price(s) left out: 1 another currency, 1 unparsed"
    cotton = next(g for g in p.by_attribute if g.attribute == "material")
    assert (cotton.value, cotton.same, cotton.same_median, cotton.other, cotton.other_median) == (
        "cotton",
        5,
        1199,
        2,
        1649,
    )


def test_claims_not_to_copy_are_what_the_critic_finds_unsupported_by_the_products_evidence(
    report: CompetitorReport,
) -> None:
    found = {(d.category, d.value): d for d in report.do_not_copy}
    by_id = {c.evidence_id: c.brand for c in report.competitors}
    cotton = found[("composition", "100% cotton")]
    assert cotton.verdict == "unsupported" and sorted(by_id[i] for i in cotton.competitors) == [
        "Linea",
        "Norwood",
    ]
    assert found[("certification", "organic")].reason == "no product evidence states organic"
    assert found[("material", "linen")].verdict == "contradicted"
    assert not any(d.category in ("brand", "colour", "audience") for d in report.do_not_copy)


# --- the summary ------------------------------------------------------------------------------------


def test_the_models_summary_keeps_only_figures_the_tables_state() -> None:
    draft = (
        "9 competitors were kept of 14 candidates. Your price sits at the 45th percentile. "
        "At 1299 INR your price is at percentile 43, below the median of 1399 INR. "
        "Twelve competitors state the features."
    )
    report = analyse(draft)
    assert report.summary_source == "model+computed" and report.draft == draft
    # The model's two sentences that hold, then the tables' own for the facts it left unsaid.
    assert report.summary == (
        "9 competitors were kept of 14 candidates. At 1299 INR your price is at percentile 43, below the "
        "median of 1399 INR. Your listing is like most of the market on fabric (cotton), colour (navy blue) "
        "and pattern (checked). 5 of 9 competitors state the features; your listing does not."
    )
    reasons = {c.text: c.reason for c in report.removed}
    assert reasons["Your price sits at the 45th percentile."] == "no table states 45 in this sense"
    assert reasons["Twelve competitors state the features."] == "no table states 12 in this sense"
    tables = [e for e in report.evidence if e.source == "table"]
    assert foreign_figures(report.summary, tables) == []


def test_a_summary_sentence_that_loses_a_claim_goes_whole() -> None:
    draft = (
        "9 competitors were kept of 14 candidates. The cotton twill fabric is like the market, while the "
        "tapered fit differs from the commonest slim fit. 5 of 9 competitors state the features; your "
        "listing does not."
    )
    report = analyse(draft)
    assert report.summary.startswith(
        "9 competitors were kept of 14 candidates. 5 of 9 competitors state the features; your listing "
        "does not. At 1299 INR"
    )
    assert "tapered" not in report.summary and "twill" not in report.summary
    cut = {c.text: c.removed_text for c in report.removed}
    assert cut["cotton twill"] == cut["tapered fit"]
    assert cut["tapered fit"] is not None and cut["tapered fit"].startswith("The cotton twill fabric")


def test_a_summary_sentence_that_gets_the_products_standing_wrong_goes() -> None:
    wrong = "The checked pattern differs from the commonest slim fit."
    report = analyse(f"9 competitors were kept of 14 candidates. {wrong} The slim fit is like the market.")
    assert wrong not in report.summary and "The slim fit is like the market." in report.summary
    (cut,) = [c for c in report.removed if c.category == "relation"]
    assert cut.text == wrong
    assert cut.reason == (
        "the tables say the pattern is like the market, not that it differs; "
        "the tables say the fit is like the market, not that it differs"
    )


def test_a_summary_with_nothing_left_is_computed_from_the_tables() -> None:
    report = analyse("We sold 77 shirts last year and everyone loved them.")
    assert report.summary_source == "computed"
    said = "We sold 77 shirts last year and everyone loved them."
    assert [(c.text, c.removed_text) for c in report.removed] == [("77", said)]
    assert report.summary.startswith("9 competitors were kept of 14 candidates. At 1299 INR your price")
    tables = [e for e in report.evidence if e.source == "table"]
    assert figures(report.summary) and foreign_figures(report.summary, tables) == []


def test_figures_are_read_with_what_they_count() -> None:
    tables = [Evidence(id="T", text="10 competitors kept of 40 candidates. 8 of 10 competitors state it.")]
    assert foreign_figures("Eight of ten competitors state it; 40 candidates.", tables) == []
    assert foreign_figures("8 competitors state it.", tables) == []
    assert foreign_figures("Six competitors were kept.", tables) == ["6"]
    assert foreign_figures("40 competitors were kept.", tables) == ["40"]
    assert foreign_figures("8 of 40 competitors state it.", tables) == ["40", "8 of 40"]
    assert figures("The T20 jersey costs 1,299.50 at the 2nd store") == ["1299.5", "2"]


# --- bad input --------------------------------------------------------------------------------------


def test_no_competitors_is_a_report_that_says_what_was_searched(tmp_path: Path) -> None:
    rivals = tmp_path / "rivals.csv"
    rivals.write_text("name,brand,gender,article_type,price\nDenholm Men Navy Jeans,Denholm,Men,Jeans,1999\n")
    report = analyse(catalog=rivals)
    assert report.competitors == [] and report.status.state == "complete"
    assert report.summary == f"No competitors were found for {PRODUCT} among 1 candidates."
    assert f"catalog {rivals}: 1 listings" in report.market.searched
    assert report.market.excluded == {"another product type": 1}
    text = report.to_markdown()
    assert "No competitors were found: nothing in what was searched" in text


def test_a_sparse_market_widens_the_price_band_and_says_so(tmp_path: Path) -> None:
    rows = [
        "name,brand,gender,article_type,price,currency",
        "Kiddo Girls White Dress,Kiddo,Girls,Dresses,299,INR",
    ]
    prices = {"Aster": 99, "Bryn": 119, "Cove": 700, "Dune": 800, "Elm": 850, "Fern": 1100, "Gale": 1300}
    rows += [f"{b} Girls Dress,{b},Girls,Dresses,{p},INR" for b, p in prices.items()]
    rivals = tmp_path / "rivals.csv"
    rivals.write_text("\n".join(rows) + "\n")
    with Agent(llm=FakeLLM(), search="none", knowledge="none") as agent:
        report = agent.compete("Kiddo Girls White Dress", catalog=rivals)
    assert report.market.price_band == [74.75, 1196.0]
    assert report.market.notes == [
        "only 0 candidate(s) within 149.5 INR to 598 INR: the band was widened to 99.67 INR to 897 INR",
        "only 4 candidate(s) within 99.67 INR to 897 INR: the band was widened to 74.75 INR to 1196 INR",
    ]
    assert sorted(c.brand or "" for c in report.competitors) == [
        "Aster",
        "Bryn",
        "Cove",
        "Dune",
        "Elm",
        "Fern",
    ]
    assert report.market.excluded == {"the product itself": 1, "outside the price band": 1}


def test_top_must_be_a_small_whole_number() -> None:
    with pytest.raises(UsageError, match="--top must be a whole number from 1 to 100"):
        analyse(top=0)


def test_fewer_kept_with_top() -> None:
    report = analyse(top=3)
    assert [c.rank for c in report.competitors] == [1, 2, 3] and report.market.eligible == 9


def test_a_differing_attribute_names_the_commonest_value_other_than_yours() -> None:
    from seamline.agents.analyst import matrix
    from seamline.compete_results import Competitor
    from seamline.results import Detail

    colours = ["pink, white", "white", "white", "black"]
    rivals = [
        Competitor(
            rank=i,
            evidence_id=f"comp{i}",
            name=f"Rival {i}",
            attributes=[Detail(attribute="colour", value=v, evidence_ids=[f"comp{i}"])],
        )
        for i, v in enumerate(colours, start=1)
    ]
    (row,) = matrix([Detail(attribute="colour", value="pink", evidence_ids=["E1"])], rivals)
    assert (row.verdict, row.same, row.stated) == ("differs", 1, 4)
    note = (
        "yours is pink, like 1 of the 4 competitors that state the colour; the commonest other is white (3)"
    )
    assert row.note == note
    assert [(v.value, v.count) for v in row.others] == [("white", 3), ("black", 1)]
    assert [c.relation for c in row.cells] == ["same", "differs", "differs", "differs"]
