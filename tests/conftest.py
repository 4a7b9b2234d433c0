"""Shared fixtures: every test gets its own data and config directories."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One converted-model cache for the whole session: converting the default model takes seconds."""
    return tmp_path_factory.mktemp("seamline-models")


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model_cache: Path) -> Path:
    """Point the data and config directories at tmp_path so no test touches the user's real ones."""
    data = tmp_path / "seamline-data"
    monkeypatch.setenv("SEAMLINE_DATA_DIR", str(data))
    monkeypatch.setenv("SEAMLINE_CONFIG_DIR", str(tmp_path / "seamline-config"))
    monkeypatch.setenv("SEAMLINE_MODEL_CACHE_DIR", str(model_cache))
    return data


@pytest.fixture
def shared_data() -> Path:
    """The shared evaluation data; tests that need it skip with a message where it is absent."""
    if not (SHARED_DATA / "myntra_products.jsonl.gz").exists():
        pytest.skip(f"shared data not found at {SHARED_DATA}; these tests need ../shared/data")
    return SHARED_DATA
