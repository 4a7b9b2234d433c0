import pytest

from seamline.agents.lexicon import extract_mentions
from seamline.errors import DataMissingError, UsageError
from seamline.evaluation.critic_eval import draft_rates, run_critic_eval
from seamline.evaluation.critic_plants import write_sample
from seamline.evaluation.data import load_hm, load_myntra, load_split, record_evidence, shared_data_dir

RECORD = {
    "id": 1,
    "productDisplayName": "Acme Men Navy Blue T-Shirt",
    "brandName": "Acme",
    "gender": "Men",
    "articleType": "Tshirts",
    "baseColour": "Navy Blue",
    "colour1": "NA",
    "season": "Summer",
    "usage": "Casual",
    "price": 999,
    "articleAttributes": {
        "Fabric": "Cotton",
        "Sleeve Length": "Short Sleeves",
        "Neck": "Round Neck",
        "Fit": "Slim Fit",
    },
    "description": "Navy blue t-shirt made of 100% cotton.",
}


def test_missing_data_is_a_clear_error(tmp_path):
    with pytest.raises(DataMissingError, match="not found"):
        shared_data_dir(tmp_path)
    with pytest.raises(DataMissingError):
        load_split("myntra_dev", root=tmp_path)


def test_record_evidence_renders_key_lines_and_text():
    ev = record_evidence(RECORD)
    assert ev.source == "catalog" and ev.about_product and ev.url == "myntra:1"
    assert ev.text.splitlines()[:3] == ["Product: Acme Men Navy Blue T-Shirt", "Brand: Acme", "Gender: Men"]
    assert "Price: 999 INR" in ev.text and "Sleeve Length: Short Sleeves" in ev.text
    assert ev.text.endswith("made of 100% cotton.")
    hm = record_evidence({"article_id": "7", "prod_name": "Strap top", "colour_group_name": "Black"})
    assert hm.text == "Product: Strap top\nColour: Black" and hm.url == "hm:7"


def test_planted_sample_is_reproducible_and_its_plants_are_absent_from_evidence():
    ev = record_evidence(RECORD).text.lower()
    a, b = write_sample(RECORD, ev, seed=3), write_sample(RECORD, ev, seed=3)
    assert a.text == b.text and a.planted
    for plant in a.planted:
        assert a.text[plant.start : plant.end].lower() == plant.text.lower()
        assert plant.key.lower() not in ev
    assert extract_mentions(a.text)


def test_draft_rates_fall_after_the_critic():
    rates = draft_rates([RECORD], {"1": "A navy silk tee with long sleeves and a round neck."})
    assert rates.drafts == 1
    assert rates.rate_before == pytest.approx(2 / 4)
    assert rates.rate_after == 0.0


@pytest.mark.data
def test_splits_and_records_load(shared_data):
    dev = load_split("myntra_dev")
    assert len(dev) == 600
    records = load_myntra(dev[:3])
    assert [str(r["id"]) for r in records] == dev[:3]
    codes = load_split("hm_dev")[:2]
    assert {r["product_code"].lstrip("0") for r in load_hm(codes)} <= {c.lstrip("0") for c in codes}
    with pytest.raises(UsageError):
        load_split("everything")


@pytest.mark.data
def test_critic_eval_meets_its_targets_on_dev(shared_data):
    report = run_critic_eval(limit=60)
    assert report.recall >= 0.97
    assert report.precision >= 0.95
    assert report.retention >= 0.97
    assert report.grammatical >= 0.97
