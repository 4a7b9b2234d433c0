"""The critic on real wording: one claim planted in each supported sentence of real copy, and an audit."""

from __future__ import annotations

from pathlib import Path

from seamline.evaluation.critic_human import human_samples, run_audit, run_human_eval
from seamline.evaluation.data import record_evidence

RECORD = {
    "id": 7,
    "productDisplayName": "Acme Men Navy Blue Checked Shirt",
    "brandName": "Acme",
    "gender": "Men",
    "articleType": "Shirts",
    "baseColour": "Navy Blue",
    "season": "Summer",
    "usage": "Casual",
    "articleAttributes": {"Fabric": "Cotton", "Sleeve Length": "Long Sleeves", "Pattern": "Checked"},
    "description": (
        "Navy blue checked shirt made of cotton, has long sleeves. "
        "Team this shirt with chinos for a casual look. It has a curved hem and a swoosh."
    ),
}


def test_each_plant_is_one_false_claim_in_a_sentence_the_record_supports() -> None:
    samples = human_samples(RECORD, seed=1)
    assert samples and samples == human_samples(RECORD, seed=1)
    evidence = record_evidence(RECORD).text.lower()
    for s in samples:
        assert s.original in RECORD["description"] and "swoosh" not in s.original
        assert s.key.lower() not in evidence
        assert s.key.lower() in s.text[s.start : s.end].lower()
        assert s.text != s.original and all(v.lower() in s.text.lower() for v in s.supported)


def test_human_style_removes_the_plant_and_keeps_the_rest(shared_data: Path) -> None:
    report = run_human_eval(limit=30, seed=0)
    assert report.sentences >= 20
    assert report.recall >= 0.95 and report.precision >= 0.95
    assert report.grammatical >= 0.95 and report.words_removed["median"] <= 3


def test_audit_of_real_copy_counts_removals_and_leaves_few_broken_sentences(shared_data: Path) -> None:
    report = run_audit(limit=20)
    assert report.descriptions >= 15 and 0 < report.removed < report.mentions
    assert report.supported_kept <= report.supported and report.edited > 0
    assert report.broken_rate <= 0.05
