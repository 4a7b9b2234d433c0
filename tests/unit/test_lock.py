"""requirements.lock must install on any checkout: exact versions only, no local path."""

from pathlib import Path

LOCK = Path(__file__).resolve().parents[2] / "requirements.lock"


def test_lock_pins_exact_versions_and_no_path():
    pins = [line.split("#")[0].strip() for line in LOCK.read_text().splitlines()]
    pins = [pin for pin in pins if pin]
    assert pins, "requirements.lock holds no pins"
    not_exact = [pin for pin in pins if "==" not in pin or "@" in pin or "file:" in pin]
    assert not not_exact, f"pins that name a path or no exact version (rerun .ci/lock): {not_exact}"


def test_lock_leaves_torch_and_the_project_out():
    names = {line.split("==")[0].lower() for line in LOCK.read_text().splitlines() if "==" in line}
    assert "torch" not in names and "seamline" not in names
