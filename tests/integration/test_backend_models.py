"""The default model on the transformers and llama.cpp backends, with and without a tiny LoRA adapter."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from seamline.config import Settings
from seamline.errors import ModelError
from seamline.llm import load_llm
from seamline.llm.base import GenerationParams

pytestmark = pytest.mark.integration

MESSAGES = [{"role": "user", "content": "Describe: navy cotton shirt"}]
GREEDY = GenerationParams(temperature=0.0, max_new_tokens=12, repetition_penalty=1.0)
SECRET = "Zebra pineapple galaxy."


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One converted bf16 copy of the default model for the whole session."""
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture
def settings(model_cache: Path, isolated_dirs: Path) -> Settings:
    """Settings on the per-test data dir whose models/ is the session's shared cache."""
    isolated_dirs.mkdir(parents=True, exist_ok=True)
    (isolated_dirs / "models").symlink_to(model_cache, target_is_directory=True)
    return Settings(data_dir=isolated_dirs, device="cpu", adapter="none")


@pytest.fixture(scope="session")
def tiny_adapter(tmp_path_factory: pytest.TempPathFactory, model_cache: Path) -> Path:
    """A LoRA (r=4) taught in a few steps to answer every 'Describe:' prompt with the same sentence."""
    from seamline.finetune import TrainConfig, finetune

    root = tmp_path_factory.mktemp("tiny-lora")
    data = root / "data.jsonl"
    items = ["red dress", "black jeans", "white sneakers", "green jacket"]
    data.write_text(
        "".join(json.dumps({"prompt": f"Describe: {i}", "completion": SECRET}) + "\n" for i in items)
    )
    (root / "data-dir").mkdir()
    (root / "data-dir" / "models").symlink_to(model_cache, target_is_directory=True)
    result = finetune(
        Settings(data_dir=root / "data-dir", device="cpu"),
        data,
        root / "adapter",
        TrainConfig(
            steps=10,
            batch_size=4,
            learning_rate=1e-2,
            rank=4,
            alpha=8,
            target_modules=("q_proj", "k_proj", "v_proj", "o_proj"),
            max_length=64,
        ),
    )
    assert result.final_loss < result.first_loss
    return Path(result.adapter_dir)


@pytest.mark.parametrize("backend", ["llamacpp", "transformers"])
def test_default_model_generates_streams_and_batches(settings: Settings, backend: str) -> None:
    llm = load_llm(settings.model_copy(update={"backend": backend}))
    assert llm.name == f"{backend}:SmolLM2-135M-Instruct"
    one = llm.generate(MESSAGES, GREEDY)
    assert one.text.strip() and one.completion_tokens == 12 and one.finish_reason == "length"
    assert one.prompt_tokens > 5
    assert "".join(llm.stream(MESSAGES, GREEDY)) == one.text
    batch = llm.generate_batch([MESSAGES, [{"role": "user", "content": "Describe: red dress"}]], GREEDY)
    assert batch[0].text == one.text and batch[1].text and batch[1].text != one.text


def test_auto_backend_on_cpu_is_llamacpp(settings: Settings) -> None:
    assert load_llm(settings).name.startswith("llamacpp:")


@pytest.mark.parametrize("backend", ["llamacpp", "transformers"])
def test_tiny_lora_changes_the_output_on_each_backend(
    settings: Settings, tiny_adapter: Path, backend: str
) -> None:
    base = load_llm(settings.model_copy(update={"backend": backend})).generate(MESSAGES, GREEDY)
    tuned = load_llm(settings.model_copy(update={"backend": backend, "adapter": tiny_adapter}))
    assert tuned.name.endswith("+lora")
    assert base.text != SECRET
    assert tuned.generate(MESSAGES, GREEDY).text == SECRET
    # Decoded together (llama.cpp: a second context on the same weights), the adapter still applies.
    other = [{"role": "user", "content": "Describe: black jeans"}]
    assert [g.text for g in tuned.generate_batch([MESSAGES, other], GREEDY)] == [SECRET, SECRET]


def test_merged_adapter_gives_the_same_text(settings: Settings, tiny_adapter: Path) -> None:
    merged = load_llm(
        settings.model_copy(update={"backend": "transformers", "adapter": tiny_adapter}), merge_adapter=True
    )
    assert merged.generate(MESSAGES, GREEDY).text == SECRET


def test_gguf_lora_matches_peft_logits(settings: Settings, tmp_path: Path) -> None:
    """Reference check of the conversion: the adapter's effect on the logits agrees across backends.

    A random LoRA on q_proj and k_proj exercises llama.cpp's Q/K row permutation; without it the two
    effects are uncorrelated (measured: -0.01), with it they agree up to the Q4_1 quantization noise (0.72).
    """
    import torch
    from llama_cpp import Llama
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from seamline.llm.adapters import ensure_adapter_gguf, read_adapter
    from seamline.llm.default_model import default_gguf_path, ensure_converted
    from seamline.llm.sources import read_gguf_shape

    gguf_path = default_gguf_path()
    hf_dir = ensure_converted(gguf_path, settings.models_dir)
    tokenizer = AutoTokenizer.from_pretrained(hf_dir)
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_pretrained(hf_dir, dtype=torch.float32)
    lora = LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "k_proj"], init_lora_weights=False)
    peft_model = get_peft_model(model, lora)
    for name, param in peft_model.named_parameters():
        if "lora_B" in name:
            param.data.normal_(0, 0.05)
    peft_model.save_pretrained(str(tmp_path / "random-lora"))
    ids = tokenizer("<|im_start|>user\nDescribe a navy cotton shirt.<|im_end|>\n<|im_start|>assistant\n")[
        "input_ids"
    ]
    with torch.no_grad():
        tuned = peft_model(torch.tensor([ids])).logits[0].numpy()
        with peft_model.disable_adapter():
            plain = peft_model(torch.tensor([ids])).logits[0].numpy()
    adapter = ensure_adapter_gguf(
        read_adapter(tmp_path / "random-lora"), read_gguf_shape(gguf_path), tmp_path
    )

    def llama_logits(lora_path: Path | None) -> np.ndarray:
        kwargs = {"lora_path": str(lora_path)} if lora_path else {}
        llm = Llama(model_path=str(gguf_path), n_ctx=256, logits_all=True, verbose=False, **kwargs)
        llm.eval(ids)
        return np.array(llm.scores[: len(ids)])

    effect_cpp = (llama_logits(adapter) - llama_logits(None)).ravel()
    effect_hf = (tuned - plain).ravel()
    assert np.corrcoef(effect_cpp, effect_hf)[0, 1] > 0.5


@pytest.mark.parametrize("backend", ["llamacpp", "transformers"])
def test_adapter_for_another_base_is_a_clear_error(
    settings: Settings, tiny_adapter: Path, tmp_path: Path, backend: str
) -> None:
    import shutil

    other = tmp_path / "other-adapter"
    shutil.copytree(tiny_adapter, other)
    meta = json.loads((other / "seamline_adapter.json").read_text())
    meta["base_model"], meta["base_shape"]["hidden_size"] = "SmolLM2-360M-Instruct", 960
    (other / "seamline_adapter.json").write_text(json.dumps(meta))
    with pytest.raises(
        ModelError, match="was trained on SmolLM2-360M-Instruct .* does not match the model SmolLM2-135M"
    ):
        load_llm(settings.model_copy(update={"backend": backend, "adapter": other}))


def test_interrupted_conversion_leaves_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from transformers import PreTrainedModel

    from seamline.llm.default_model import default_gguf_path, ensure_converted

    def boom(self: object, *args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(PreTrainedModel, "save_pretrained", boom)
    with pytest.raises(OSError, match="disk full"):
        ensure_converted(default_gguf_path(), tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []
