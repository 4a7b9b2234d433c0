from __future__ import annotations

from pathlib import Path

import pytest

from seamline.config import Settings
from seamline.errors import ConfigError, ModelError
from seamline.llm import FakeLLM, choose_backend, load_llm, model_cache_dir, params_from_settings
from seamline.llm.openai_backend import OpenAILLM


def test_fake_backend() -> None:
    assert isinstance(load_llm(Settings(backend="fake")), FakeLLM)


def test_openai_backend_needs_an_endpoint() -> None:
    with pytest.raises(ConfigError, match="needs --endpoint URL"):
        load_llm(Settings(backend="openai"))


def test_openai_backend_names_the_default_model() -> None:
    llm = load_llm(Settings(backend="openai", endpoint="http://127.0.0.1:9/v1"))
    assert isinstance(llm, OpenAILLM) and llm.name == "openai:SmolLM2-135M-Instruct"


def test_auto_picks_llamacpp_for_a_gguf_on_cpu() -> None:
    assert choose_backend(Settings(device="cpu"), "gguf") == "llamacpp"
    assert choose_backend(Settings(device="cpu"), "hf_dir") == "transformers"
    assert choose_backend(Settings(backend="transformers"), "gguf") == "transformers"


def test_missing_model_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="missing.gguf' not found"):
        load_llm(Settings(model=str(tmp_path / "missing.gguf")))


def test_llamacpp_needs_a_gguf(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(
        '{"model_type": "llama", "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 1,'
        ' "num_attention_heads": 2, "vocab_size": 10}'
    )
    with pytest.raises(ModelError, match="llamacpp backend needs a .gguf model file"):
        load_llm(Settings(model=str(tmp_path), backend="llamacpp"))


def test_missing_adapter(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="adapter .* not found"):
        load_llm(Settings(adapter=tmp_path / "no-adapter"))


def test_cache_dir_and_params_come_from_settings(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path, model_cache_dir=None, temperature=0.0, top_p=0.5, max_new_tokens=12, seed=3
    )
    assert model_cache_dir(settings) == tmp_path / "models"
    assert model_cache_dir(settings.model_copy(update={"model_cache_dir": tmp_path / "m"})) == tmp_path / "m"
    params = params_from_settings(settings)
    assert (params.temperature, params.top_p, params.max_new_tokens, params.seed) == (0.0, 0.5, 12, 3)


def test_a_broken_shipped_adapter_says_how_to_go_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import seamline.llm.adapters as adapters

    broken = tmp_path / "smollm2-catalog"
    broken.mkdir()
    (broken / "adapter_config.json").write_text("{not json")
    (broken / "adapter_model.safetensors").write_bytes(b"")
    monkeypatch.setattr(adapters, "SHIPPED_ADAPTER", broken)
    with pytest.raises(
        ModelError, match=r"shipped drafter adapter is missing or unreadable .*--adapter none"
    ):
        adapters.resolve_adapter("default", default_model=True)
    (broken / "adapter_config.json").unlink()
    with pytest.raises(ModelError, match="--adapter none"):
        load_llm(Settings(data_dir=tmp_path))


def test_model_info_of_a_model_load_llm_did_not_make() -> None:
    from seamline.llm import FakeLLM, ModelInfo, model_info

    assert model_info(FakeLLM()) == ModelInfo(name="fake", backend="fake")


def test_the_default_adapter_is_the_shipped_one_for_the_default_model_only() -> None:
    from seamline.llm.adapters import SHIPPED_ADAPTER, read_adapter, read_card, resolve_adapter

    assert resolve_adapter("default", default_model=True) == SHIPPED_ADAPTER
    assert resolve_adapter("default", default_model=False) is None
    assert resolve_adapter("none", default_model=True) is None
    card = read_card(SHIPPED_ADAPTER)
    assert card["base_model"] and card["steps"] > 0 and card["command"].startswith("agent finetune train")
    read_adapter(SHIPPED_ADAPTER)  # the peft files are there and readable
    size = sum(f.stat().st_size for f in SHIPPED_ADAPTER.iterdir())
    assert size <= 25 * 1024 * 1024, f"the shipped adapter is {size / 2**20:.1f} MB; the limit is 25 MB"
