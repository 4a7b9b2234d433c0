"""Several conversations decoded together in one llama.cpp context, one sequence id each.

``Llama.create_chat_completion`` decodes one sequence, one token per forward pass. Here each step decodes
the next token of every unfinished conversation in one ``llama_decode`` call (a ``llama_batch`` with one
sequence id per conversation), which reads the weights once for all of them. That pays where a pass is
bound by memory (a GPU, many cores); on 2 cores the passes are bound by arithmetic and reading the
prompt dominates a draft, so ``bench/batch.py`` measured no gain there.

Everything a reply depends on mirrors ``create_chat_completion``, so a conversation decoded here gets the
text it would get alone: the prompt from the GGUF's chat template, the sampler chain from
``Llama._init_sampler`` itself (repetition penalty over the last 64 generated tokens, then greedy at
temperature 0, else top-p, temperature and a seeded draw), end-of-generation tokens and stop strings
ending a reply, ``max_new_tokens`` its length. What can still differ is arithmetic: a step of two or
more tokens goes through llama.cpp's matrix-matrix kernels, a step of one through its matrix-vector
ones, and they round differently, which can tip a near-tie between two tokens. Measured on 60 Myntra dev
drafts at temperature 0: 55 identical, at a batch of 2 and of 8 alike (the same five products diverging
at the same word), so it is the kernel, not which conversations share a batch.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from typing import Any

from seamline.errors import BackendError
from seamline.llm.base import Generation, GenerationParams, Message


def chat_formatter(llama: Any) -> Any:
    """The formatter behind the model's chat handler, or None where it is not the GGUF's own template.

    llama-cpp-python renders the template stored in the GGUF (``chat_template.default``) with these
    arguments; a model with another chat format is decoded one conversation at a time.
    """
    from llama_cpp import llama_chat_format

    template = llama.metadata.get("tokenizer.chat_template")
    if llama.chat_format != "chat_template.default" or not template:
        return None
    eos, bos = llama.token_eos(), llama.token_bos()
    model = llama._model
    return llama_chat_format.Jinja2ChatFormatter(
        template=template,
        eos_token=model.token_get_text(eos) if eos != -1 else "",
        bos_token=model.token_get_text(bos) if bos != -1 else "",
        stop_token_ids=[eos],
    )


class MultiSequence:
    """A second llama.cpp context on the same loaded weights (and LoRA adapter), with ``n_seq`` sequences.

    Each sequence has ``n_ctx_seq`` cells of the KV cache for its prompt and reply. Not thread-safe: the
    backend calls it under its lock.
    """

    def __init__(self, llama: Any, formatter: Any, *, n_seq: int, n_ctx_seq: int = 1280) -> None:
        import llama_cpp
        from llama_cpp import _internals

        self._llama = llama
        self._formatter = formatter
        self.n_seq = n_seq
        self.n_ctx_seq = n_ctx_seq
        params = type(llama.context_params).from_buffer_copy(llama.context_params)
        params.n_ctx = n_seq * n_ctx_seq
        params.n_seq_max = n_seq
        params.kv_unified = False
        self._n_batch = int(params.n_batch)
        self._ctx = _internals.LlamaContext(model=llama._model, params=params, verbose=False)
        if llama._lora_adapter is not None:
            adapters = (llama_cpp.llama_adapter_lora_p_ctypes * 1)(llama._lora_adapter)
            scales = (ctypes.c_float * 1)(llama.lora_scale)
            if llama_cpp.llama_set_adapters_lora(self._ctx.ctx, adapters, 1, scales):
                raise BackendError(f"llama.cpp cannot apply the LoRA adapter {llama.lora_path} for batching")
        self._batch = _internals.LlamaBatch(
            n_tokens=max(self._n_batch, n_seq), embd=0, n_seq_max=1, verbose=False
        )

    def close(self) -> None:
        """Free the context and the batch (the weights belong to the ``Llama``)."""
        self._batch.close()
        self._ctx.close()

    def prompt_tokens(self, messages: Sequence[Message]) -> tuple[list[int], list[str]]:
        """The prompt's tokens and the stop strings, as the chat handler makes them."""
        result = self._formatter(messages=list(messages))
        tokens = self._llama.tokenize(
            result.prompt.encode("utf-8"), add_bos=not result.added_special, special=True
        )
        stop = result.stop if isinstance(result.stop, list) else [result.stop] if result.stop else []
        return tokens, stop

    def fits(self, prompt: Sequence[int], params: GenerationParams) -> bool:
        """Whether a prompt and its longest reply fit in one sequence's share of the cache."""
        return len(prompt) + params.max_new_tokens <= self.n_ctx_seq

    def generate(
        self, prompts: Sequence[tuple[list[int], list[str]]], params: GenerationParams
    ) -> list[Generation]:
        """Decode up to ``n_seq`` prompts together; each must ``fit``."""
        import llama_cpp

        if len(prompts) > self.n_seq:
            raise ValueError(f"{len(prompts)} prompts for {self.n_seq} sequences")
        llama_cpp.llama_memory_clear(self._ctx.memory, True)
        vocab = self._llama._model.vocab
        seqs = [_Sequence(self._sampler(params), tokens, stop) for tokens, stop in prompts]
        try:
            for s, seq in enumerate(seqs):
                self._prefill(s, seq.prompt)
                seq.take(seq.sampler.sample(self._ctx, self._batch.n_tokens() - 1), self, vocab, params)
            while active := [(s, seq) for s, seq in enumerate(seqs) if seq.finish is None]:
                batch = self._batch.batch
                batch.n_tokens = len(active)
                for i, (s, seq) in enumerate(active):
                    batch.token[i] = seq.completion[-1]
                    batch.pos[i] = len(seq.prompt) + len(seq.completion) - 1
                    batch.seq_id[i][0] = s
                    batch.n_seq_id[i] = 1
                    batch.logits[i] = True
                self._ctx.decode(self._batch)
                for i, (_, seq) in enumerate(active):
                    seq.take(seq.sampler.sample(self._ctx, i), self, vocab, params)
        except RuntimeError as exc:
            raise BackendError(f"llama.cpp failed to decode a batch of {len(prompts)}: {exc}") from exc
        finally:
            for seq in seqs:
                seq.sampler.close()
        return [seq.result() for seq in seqs]

    def detokenize(self, seq: _Sequence) -> bytes:
        """A sequence's reply so far, as llama-cpp-python detokenizes it (after its prompt)."""
        return bytes(self._llama.detokenize(seq.completion, prev_tokens=seq.prompt))

    def _prefill(self, s: int, tokens: Sequence[int]) -> None:
        """The prompt of sequence ``s`` in chunks of ``n_batch``, logits for its last token only."""
        batch = self._batch.batch
        for start in range(0, len(tokens), self._n_batch):
            chunk = tokens[start : start + self._n_batch]
            batch.n_tokens = len(chunk)
            for i, token in enumerate(chunk):
                batch.token[i] = token
                batch.pos[i] = start + i
                batch.seq_id[i][0] = s
                batch.n_seq_id[i] = 1
                batch.logits[i] = start + i == len(tokens) - 1
            self._ctx.decode(self._batch)

    def _sampler(self, params: GenerationParams) -> Any:
        """The chain ``create_chat_completion`` samples with for these options: llama-cpp-python's own."""
        llama = self._llama
        if params.seed is not None:
            llama.set_seed(params.seed)
        return llama._init_sampler(
            top_k=0,
            top_p=params.top_p,
            min_p=0.0,
            typical_p=1.0,
            temp=params.temperature,
            repeat_penalty=params.repetition_penalty,
        )


class _Sequence:
    """One conversation's prompt, reply so far and how it ended."""

    def __init__(self, sampler: Any, prompt: list[int], stop: list[str]) -> None:
        self.sampler = sampler
        self.prompt = prompt
        self.stop = [s.encode("utf-8") for s in stop if s]
        self.completion: list[int] = []
        self.text = b""
        self.finish: str | None = None

    def take(self, token: int, decoder: MultiSequence, vocab: Any, params: GenerationParams) -> None:
        """Add a sampled token, ending the reply on an end-of-generation token, a stop string or length."""
        import llama_cpp

        if llama_cpp.llama_vocab_is_eog(vocab, token):
            self.text = decoder.detokenize(self)
            self.finish = "stop"
            return
        self.completion.append(token)
        text = decoder.detokenize(self)
        hit = next((s for s in self.stop if s in text), None)  # the first listed, as llama-cpp-python
        if hit is not None:
            self.text, self.finish = text[: text.index(hit)], "stop"
        elif len(self.completion) >= params.max_new_tokens:
            self.text, self.finish = text, "length"

    def result(self) -> Generation:
        return Generation(
            text=self.text.decode("utf-8", errors="ignore"),
            prompt_tokens=len(self.prompt),
            completion_tokens=len(self.completion),
            finish_reason=self.finish or "length",
        )
