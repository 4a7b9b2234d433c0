"""One typed configuration object: defaults, a TOML file in the user's config directory, environment.

Precedence, highest first: explicit keyword arguments, ``SEAMLINE_*`` environment variables, the config
file (``$SEAMLINE_CONFIG_DIR/config.toml``), the defaults below. This module is the only place that reads
the environment.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from seamline.errors import ConfigError

APP_NAME = "seamline"

Backend = Literal["auto", "transformers", "llamacpp", "openai", "fake"]


def default_config_dir() -> Path:
    """The directory holding ``config.toml``; ``SEAMLINE_CONFIG_DIR`` moves it."""
    return Path(os.environ.get("SEAMLINE_CONFIG_DIR") or platformdirs.user_config_dir(APP_NAME))


class _TomlSource(PydanticBaseSettingsSource):
    """Reads ``config.toml`` from the config directory when it exists."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:  # pragma: no cover
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        path = default_config_dir() / "config.toml"
        if not path.exists():
            return {}
        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read config file {path}: {exc}; fix or remove it") from exc


class Settings(BaseSettings):
    """Every option Seamline has, each overridable as ``SEAMLINE_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="SEAMLINE_", extra="ignore", validate_assignment=True)

    data_dir: Path = Field(
        default_factory=lambda: Path(platformdirs.user_data_dir(APP_NAME)),
        description="Where the model cache, knowledge store and run store live.",
    )
    # --- drafter -----------------------------------------------------------------------------------
    model: str = Field(
        "default", description="'default' (SmolLM2-135M-Instruct), a HF id or path, or a GGUF."
    )
    backend: Backend = Field("auto", description="Model backend; 'auto' picks the fastest for the model.")
    adapter: str | Path | None = Field(
        "default",
        description="'default' (the LoRA adapter shipped for the default model), 'none', or a directory.",
    )
    endpoint: str | None = Field(None, description="OpenAI-compatible base URL for the 'openai' backend.")
    api_key: str | None = Field(
        None, description="API key for the OpenAI-compatible endpoint, if it needs one."
    )
    temperature: float = Field(0.3, ge=0.0, le=2.0, description="Sampling temperature; 0 is greedy.")
    top_p: float = Field(0.9, gt=0.0, le=1.0, description="Nucleus sampling threshold.")
    max_new_tokens: int = Field(160, ge=1, le=4096, description="Most tokens the drafter writes per draft.")
    repetition_penalty: float = Field(1.1, ge=1.0, le=2.0, description="Repeated-token penalty (1: none).")
    seed: int | None = Field(0, description="Sampling seed; the same seed and inputs give the same draft.")
    model_cache_dir: Path | None = Field(
        None, description="Where converted model weights are cached (default: DATA_DIR/models)."
    )
    device: str = Field("auto", description="'auto', 'cpu' or 'cuda' for the transformers backend.")
    threads: int | None = Field(
        None,
        ge=1,
        description="CPU threads llama.cpp decodes and reads prompts with (default: llama.cpp's, half the "
        "cores to decode and all of them to read); `agent batch --ray local` gives each worker its share.",
    )
    shared_data: Path | None = Field(
        None, description="The shared evaluation data (default: ../shared/data beside the repository)."
    )
    # --- research ----------------------------------------------------------------------------------
    search: str = Field("auto", description="'auto', 'web', 'local:PATH' or 'none'.")
    knowledge: str = Field(
        "local", description="'local' (Chroma in data_dir), 'none', or chroma+http://HOST:PORT."
    )
    search_timeout: float = Field(
        8.0, gt=0, description="Seconds a web search may take before it is abandoned."
    )
    cache_ttl: float = Field(86400.0, ge=0, description="Seconds web results and pages stay cached.")
    # --- budgets -----------------------------------------------------------------------------------
    max_steps: int = Field(6, ge=1, le=100, description="Most planning turns in one run.")
    max_tool_calls: int = Field(16, ge=0, le=500, description="Most tool calls in one run.")
    timeout: float = Field(300.0, gt=0, description="Wall-clock seconds one run may take.")
    max_tokens: int = Field(4000, ge=1, description="Most LLM tokens (prompt + completion) one run may use.")
    revise: bool = Field(False, description="Send the draft back once with the removed claims.")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Keyword arguments first, then the environment, then the config file."""
        return init_settings, env_settings, _TomlSource(settings_cls)

    # Paths under the data directory, in one place.
    @property
    def models_dir(self) -> Path:
        """Converted model weights and caches."""
        return self.data_dir / "models"

    @property
    def knowledge_dir(self) -> Path:
        """The Chroma persistent directory."""
        return self.data_dir / "knowledge"

    @property
    def runs_db(self) -> Path:
        """The SQLite checkpointer database."""
        return self.data_dir / "runs.sqlite"

    @property
    def cache_dir(self) -> Path:
        """Web result and page cache."""
        return self.data_dir / "cache"

    def ensure_data_dir(self) -> Path:
        """Create the data directory, or say in one line why it cannot be used."""
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            probe = self.data_dir / ".write-probe"
            probe.write_text("ok")
            probe.unlink()
        except OSError as exc:
            raise ConfigError(
                f"data directory {self.data_dir} is not writable ({exc.strerror or exc}); "
                "set SEAMLINE_DATA_DIR to a writable directory"
            ) from exc
        return self.data_dir
