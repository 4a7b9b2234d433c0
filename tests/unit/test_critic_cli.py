import json

import pytest
import typer
from typer.testing import CliRunner

from seamline.cli.check import check, eval_critic

app = typer.Typer()
app.command("check")(check)
app.command("eval-critic")(eval_critic)
runner = CliRunner()

RECORD = {
    "product": "Nike Men Navy Blue T-Shirt",
    "description": "A navy waterproof tee with short sleeves.",
    "evidence": [
        {"id": "E1", "source": "catalog", "text": "Sleeve Length: Short Sleeves", "about_product": True}
    ],
}


def test_check_json_prints_one_result_per_record(tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps(RECORD) + "\n" + json.dumps({**RECORD, "description": ""}) + "\n")
    result = runner.invoke(app, ["check", str(path), "--json"], catch_exceptions=False)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [d["description"] for d in data] == ["A navy tee with short sleeves.", ""]
    assert data[0]["product"] == "Nike Men Navy Blue T-Shirt"
    assert [(c["category"], c["value"], c["verdict"]) for c in data[0]["removed"]] == [
        ("feature", "waterproof", "unsupported")
    ]
    assert {c["value"] for c in data[0]["claims"]} == {"navy blue", "short sleeves"}
    assert data[0]["claims"][0]["evidence_ids"] == ["name"]


def test_check_text_output_lists_what_went(tmp_path):
    path = tmp_path / "records.json"
    path.write_text(json.dumps([RECORD]))
    result = runner.invoke(app, ["check", str(path)], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Nike Men Navy Blue T-Shirt",
        "A navy tee with short sleeves.",
        "2 claim(s) supported, 1 removed",
        "  - feature 'waterproof' (unsupported: no product evidence states waterproof)",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe not utf-8", "not UTF-8"),
        (b"", "is empty"),
        (b"{not json", "not JSON"),
        (b'[{"description": "a tee", "evidence": "oops"}]', "evidence must be a list"),
        (b'[{"description": 5}]', "'description' must be a string"),
    ],
)
def test_check_bad_input_is_one_line_and_exit_2(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())  # the error console wraps long lines
    assert result.stdout == ""


@pytest.mark.data
def test_eval_critic_json_on_a_few_dev_products(shared_data):
    result = runner.invoke(app, ["eval-critic", "--limit", "5", "--json"], catch_exceptions=False)
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["products"] == 5
    assert report["planted"] >= 5
    assert "no drafter" in report["drafts_message"]


def test_eval_critic_refuses_training_ids():
    result = runner.invoke(app, ["eval-critic", "--split", "myntra_train"])
    assert result.exit_code == 2
    assert "dev split" in " ".join(result.stderr.split())
