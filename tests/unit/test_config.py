"""One typed config: defaults, a TOML file in the config directory, SEAMLINE_* environment overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from seamline import Agent, Settings
from seamline.errors import ConfigError, UsageError


def test_environment_overrides_file_overrides_defaults(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config_dir = tmp_path / "seamline-config"
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "config.toml").write_text('temperature = 0.7\nsearch = "none"\nmax_steps = 3\n')
    monkeypatch.setenv("SEAMLINE_MAX_STEPS", "5")
    s = Settings()
    assert s.temperature == 0.7 and s.search == "none"  # from the file
    assert s.max_steps == 5  # the environment wins over the file
    assert Settings(max_steps=2).max_steps == 2  # keyword arguments win over both


def test_data_dir_follows_the_environment(isolated_dirs: Path) -> None:
    s = Settings()
    assert s.data_dir == isolated_dirs
    assert s.runs_db.parent == isolated_dirs


def test_broken_config_file_is_a_clear_error(tmp_path: Path) -> None:
    config_dir = tmp_path / "seamline-config"
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "config.toml").write_text("temperature = = 1")
    with pytest.raises(ConfigError, match="cannot read config file"):
        Settings()


def test_agent_overrides_are_validated() -> None:
    assert Agent(temperature=0.0).settings.temperature == 0.0
    with pytest.raises(UsageError, match="invalid value for temperature"):
        Agent(temperature=9.0)
