"""Minimal removal: cut each rejected claim with the least text, and keep the prose grammatical.

The text is split into tokens that are never rewritten, only dropped (articles may flip between a and an,
and a sentence start may be capitalised). For each claim the editor tries, in order: the word itself
(an adjective), its phrase ("made of silk", "and a V-neck"), its clause, its sentence; it takes the first
cut that keeps every supported claim and adds no grammar problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from seamline.agents.critic.grammar import new_problems
from seamline.agents.lexicon.text import indefinite_article, sentence_spans
from seamline.agents.lexicon.vocabulary import vocabulary
from seamline.agents.lexicon.words import words

_TOKEN = re.compile(r"\d+(?:[.,]\d+)+(?!\w)|\w+(?:['’\-]\w+)*|\S")
_SEPS = {",", ";", ":"}
_ENDS = {".", "!", "?"}
_CONJ = words("coordinators")
_DETS = words("determiners")
_PREPS = words("prepositions")
_VERBS = words("frame_verbs")
_GENERIC_HEADS = words("generic_heads")
_ADVERBS = words("degree_adverbs")
_COPULA = words("copulas")
_PRONOUNS = words("pronouns")
_AUX = words("auxiliaries")
_PREDICATIVE = words("predicative_adjectives")
FUNCTION = (
    _CONJ | _DETS | _PREPS | _VERBS | _PRONOUNS | _AUX | {"as", "so", "than", "also", "very", "too", "not"}
)


@dataclass(slots=True)
class Cut:
    """A request to remove one claim: the span that must go, and the spans that must stay."""

    start: int
    end: int
    modifier: bool = False
    """The claim is an adjective (a colour, a fabric): "a charcoal, white tee" may lose "charcoal,"."""
    removed_text: str | None = None


@dataclass(slots=True)
class Document:
    """Tokens of a text with which are kept, and the sentence each belongs to."""

    text: str
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    alive: list[bool] = field(default_factory=list)
    replace: dict[int, str] = field(default_factory=dict)
    sentence_of: list[int] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)  # token ranges
    capitalise: set[int] = field(default_factory=set)

    @classmethod
    def parse(cls, text: str, max_tokens: int = 250) -> Document:
        """Tokenise ``text`` and group tokens into sentences of at most ``max_tokens``."""
        doc = cls(text)
        for m in _TOKEN.finditer(text):
            doc.starts.append(m.start())
            doc.ends.append(m.end())
        doc.alive = [True] * len(doc.starts)
        i = 0
        for _a, b in sentence_spans(text):
            j = i
            while j < len(doc.starts) and doc.starts[j] < b:
                j += 1
            # Very long "sentences" (no punctuation) are edited in pieces, so cost stays linear.
            while j - i > max_tokens:
                doc.sentences.append((i, i + max_tokens))
                i += max_tokens
            if j > i:
                doc.sentences.append((i, j))
            i = j
        if i < len(doc.starts):
            doc.sentences.append((i, len(doc.starts)))
        doc.sentence_of = [0] * len(doc.starts)
        for s, (a, b) in enumerate(doc.sentences):
            for t in range(a, b):
                doc.sentence_of[t] = s
        return doc

    def tok(self, i: int) -> str:
        """Token ``i`` as written."""
        return self.text[self.starts[i] : self.ends[i]]

    def low(self, i: int) -> str:
        """Token ``i`` in lower case."""
        return self.tok(i).lower()

    def tokens_in(self, start: int, end: int) -> list[int]:
        """Indices of tokens overlapping the character range."""
        import bisect

        i = max(0, bisect.bisect_right(self.ends, start))
        out = []
        while i < len(self.starts) and self.starts[i] < end:
            if self.ends[i] > start:
                out.append(i)
            i += 1
        return out

    def render_range(self, a: int, b: int, alive: list[bool], replace: dict[int, str], cap: set[int]) -> str:
        """The text of token range [a, b) as it stands; gaps collapse to one separator."""
        parts: list[str] = []
        prev = -1
        first_word = True
        sentence = -1
        for i in range(a, b):
            if not alive[i]:
                continue
            if self.sentence_of[i] != sentence:
                sentence, first_word = self.sentence_of[i], True
            if prev >= 0:
                if prev == i - 1:
                    parts.append(self.text[self.ends[prev] : self.starts[i]])
                else:
                    ws_gap = self.text[self.ends[prev] : self.starts[prev + 1]]
                    ws_here = self.text[self.ends[i - 1] : self.starts[i]]
                    ws = ws_here if ("\n" in ws_here and "\n" not in ws_gap) or not ws_gap else ws_gap
                    if self.tok(i) in _SEPS | _ENDS | {")", "%"} and "\n" not in ws:
                        ws = ""
                    parts.append(ws)
            word = replace.get(i, self.tok(i))
            if first_word and self.sentence_of[i] in cap and word[:1].isalpha():
                word = word[:1].upper() + word[1:]
            if word[:1].isalnum():
                first_word = False
            parts.append(word)
            prev = i
        return "".join(parts)

    def render(self) -> str:
        """The whole text as it stands."""
        if not self.starts:
            return self.text
        lead = self.text[: self.starts[0]]
        trail = self.text[self.ends[-1] :]
        body = self.render_range(0, len(self.starts), self.alive, self.replace, self.capitalise)
        if not any(self.alive):
            return ""
        return lead + body + trail


def _is_word(doc: Document, i: int) -> bool:
    return doc.tok(i)[:1].isalnum()


def _repair(doc: Document, a: int, b: int, alive: list[bool], replace: dict[int, str], cap: set[int]) -> None:
    """Drop separators and conjunctions a cut left stranded; fix a/an; capitalise the sentence start."""
    changed = True
    while changed:
        changed = False
        seq = [i for i in range(a, b) if alive[i]]
        for k, i in enumerate(seq):
            t = doc.low(i)
            nxt = doc.low(seq[k + 1]) if k + 1 < len(seq) else None
            first = k == 0
            if t in _SEPS and (first or nxt is None or nxt in _SEPS | _ENDS):
                alive[i] = False
                changed = True
            elif t in _CONJ and (nxt is None or nxt in _SEPS | _ENDS or (first and i != a)):
                alive[i] = False
                changed = True
            elif t in _ENDS and first and all(not alive[j] or doc.tok(j) in _ENDS for j in range(a, b)):
                for j in range(a, b):
                    alive[j] = False
                changed = True
            if changed:
                break
    seq = [i for i in range(a, b) if alive[i]]
    for k, i in enumerate(seq[:-1]):
        t = doc.low(i)
        if t in ("a", "an") and seq[k + 1] != i + 1:
            nxt = doc.low(seq[k + 1])
            want = indefinite_article(nxt)
            if want != t:
                word = doc.tok(i)
                replace[i] = want.capitalize() if word[:1].isupper() else want
            elif i in replace:
                del replace[i]
    word_tokens = [i for i in seq if _is_word(doc, i)]
    if word_tokens and word_tokens[0] != a and doc.tok(a)[:1].isupper():
        cap.add(doc.sentence_of[a])


def _is_fabric(word: str | None) -> bool:
    hit = vocabulary().lookup(word) if word else None
    return hit is not None and hit[0] == "material"


def _candidates(
    doc: Document, a: int, b: int, toks: list[int], claims: set[int], modifier: bool = False
) -> list[set[int]]:
    """Cuts for the claim tokens ``toks`` inside sentence [a, b), least text first."""
    seq = [i for i in range(a, b) if doc.alive[i]]
    pos = {t: k for k, t in enumerate(seq)}
    ks = sorted(pos[t] for t in toks if t in pos)
    if not ks:
        return []
    lo, hi = ks[0], ks[-1]
    claim = set(seq[lo : hi + 1])

    def at(k: int) -> str | None:
        return doc.low(seq[k]) if 0 <= k < len(seq) else None

    def word(k: int) -> bool:
        return 0 <= k < len(seq) and _is_word(doc, seq[k]) and doc.low(seq[k]) not in FUNCTION

    out: list[set[int]] = []
    # 0. The head of a fabric compound: "made of cotton twill" -> "made of cotton"; the fabric left stands
    # as the head (and is judged in its own right).
    if modifier and not word(hi + 1) and 0 < lo and _is_fabric(at(lo - 1)):
        out.append(set(claim))
    # 1. The word as a modifier: "a waterproof jacket", "soft, breathable cotton", "soft and warm cotton".
    if modifier and at(hi + 1) == "," and word(hi + 2) and word(hi + 3):  # "a charcoal, white t-shirt"
        out.append(claim | {seq[hi + 1]})
    # "a striped pattern" would become "a pattern": take the phrase instead.
    bare_head = at(hi + 1) in _GENERIC_HEADS and not word(hi + 2) and not word(lo - 1)
    if word(hi + 1) and not bare_head:
        if at(lo - 1) in _CONJ | {","} and word(lo - 2):
            out.append(claim | {seq[lo - 1]})
        if at(hi + 1) in _CONJ | {","} and word(hi + 2):
            out.append(claim | {seq[hi + 1]})
        out.append(set(claim))
    # Noun phrase around the claim: adjectives and a determiner before, head nouns after.
    np_lo, np_hi = lo, hi
    while word(np_hi + 1):
        np_hi += 1
    while word(np_lo - 1):
        np_lo -= 1
    if at(np_lo - 1) in _DETS:
        np_lo -= 1
    np = set(seq[np_lo : np_hi + 1])

    def claim_next(k: int) -> bool:
        """The conjunct starting at k holds a claim too (so the two are parallel items)."""
        if at(k) in _DETS:
            k += 1
        while word(k):
            if seq[k] in claims:
                return True
            k += 1
        return False

    def claim_before(k: int) -> bool:
        while word(k):
            if seq[k] in claims:
                return True
            k -= 1
        return False

    # 2. A conjunct or list item: "short sleeves and a round neck", "red, blue and green".
    if at(np_lo - 1) == "," and claim_before(np_lo - 2):
        out.append(np | {seq[np_lo - 1]})
    if at(np_hi + 1) in _CONJ and (claim_next(np_hi + 2) or (at(np_hi + 2) in _DETS and word(np_hi + 3))):
        out.append(np | {seq[np_hi + 1]})
    if at(np_hi + 1) == "," and claim_next(np_hi + 2):
        out.append(np | {seq[np_hi + 1]})
    # Coordinated predicate adjectives: "it is also waterproof and easy to iron", "... and waterproof."
    if modifier and at(lo - 1) in _COPULA | _ADVERBS and at(hi + 1) in _CONJ and word(hi + 2):
        out.append(claim | {seq[hi + 1]})
    if modifier and at(lo - 1) in _CONJ and (hi + 1 >= len(seq) or at(hi + 1) in _SEPS | _ENDS):
        out.append(claim | {seq[lo - 1]})
    if at(np_lo - 1) in _CONJ and claim_before(np_lo - 2):
        out.append(np | {seq[np_lo - 1]})
    if at(np_lo - 1) in _CONJ and at(np_lo - 2) == ",":
        out.append(np | {seq[np_lo - 1], seq[np_lo - 2]})
    # 3. The phrase that introduces it: "made of silk", "in navy blue", "with a hood".
    p = np_lo - 1
    if at(p) in _PREPS:
        while (at(p - 1) in _VERBS and at(p - 1) not in _COPULA) or at(p - 1) in ("also", "both"):
            p -= 1
        if at(p - 1) in _PREDICATIVE and (p - 1 == 0 or at(p - 2) in _CONJ | {","}):
            p -= 1
        phrase = set(seq[p : np_hi + 1])
        if at(p - 1) == "," and (at(np_hi + 1) in _SEPS | _ENDS or np_hi + 1 >= len(seq)):
            out.append(phrase | {seq[p - 1]})
        if at(p - 1) in _CONJ:
            out.append(phrase | {seq[p - 1]})
        if at(np_hi + 1) in _CONJ | {","}:
            if at(p - 1) in _COPULA:  # "is made of silk and features ..." -> "features ..."
                out.append(phrase | {seq[np_hi + 1], seq[p - 1]})
            out.append(phrase | {seq[np_hi + 1]})
        out.append(phrase)
    # 4. The clause between separators.
    c_lo, c_hi = lo, hi
    while c_lo - 1 >= 0 and at(c_lo - 1) not in _SEPS | _ENDS:
        c_lo -= 1
    while c_hi + 1 < len(seq) and at(c_hi + 1) not in _SEPS | _ENDS:
        c_hi += 1
    clause = set(seq[c_lo : c_hi + 1])
    if c_lo > 0 and at(c_lo - 1) in _SEPS:
        out.append(clause | {seq[c_lo - 1]})
    if c_hi + 1 < len(seq) and at(c_hi + 1) in _SEPS:
        out.append(clause | {seq[c_hi + 1]})
    # 5. The sentence.
    out.append(set(seq))
    return out


def apply_cuts(
    text: str,
    cuts: list[Cut],
    keep: list[tuple[int, int]],
    others: list[tuple[int, int]] = (),  # type: ignore[assignment]
) -> tuple[str, list[bool]]:
    """Remove every cut from ``text`` (filling ``removed_text``), protecting the ``keep`` spans.

    Returns the edited text and, per ``keep`` span, whether it survived (a sentence-level cut, the last
    resort, can take a supported claim with it).
    """
    doc = Document.parse(text)
    protected = set()
    for s, e in keep:
        protected.update(doc.tokens_in(s, e))
    claim_tokens = set(protected)
    for cut in cuts:
        claim_tokens.update(doc.tokens_in(cut.start, cut.end))
    for s, e in others:
        claim_tokens.update(doc.tokens_in(s, e))
    removed_by: dict[int, str] = {}
    for cut in sorted(cuts, key=lambda c: -c.start):
        span = doc.tokens_in(cut.start, cut.end)
        toks = [t for t in span if doc.alive[t]]
        if not toks:
            cut.removed_text = next((removed_by[t] for t in span if t in removed_by), "")
            continue
        sent = doc.sentence_of[toks[0]]
        a, b = doc.sentences[sent]
        toks = [t for t in toks if a <= t < b]
        before = doc.render_range(a, b, doc.alive, doc.replace, doc.capitalise)
        chosen = None
        options = _candidates(doc, a, b, toks, claim_tokens, cut.modifier)
        for strict in (True, False):
            for option in options:
                if strict and option & protected:
                    continue
                alive = list(doc.alive)
                replace = dict(doc.replace)
                cap = set(doc.capitalise)
                for t in option:
                    alive[t] = False
                _repair(doc, a, b, alive, replace, cap)
                after = doc.render_range(a, b, alive, replace, cap)
                if any(alive[t] for t in toks) or new_problems(before, after):
                    continue
                chosen = (option, alive, replace, cap)
                break
            if chosen:
                break
        if chosen is None:  # whole sentence: always grammatical, the last resort
            option = {t for t in range(a, b) if doc.alive[t]}
            alive = list(doc.alive)
            for t in option:
                alive[t] = False
            chosen = (option, alive, dict(doc.replace), set(doc.capitalise))
        option, alive, replace, cap = chosen
        gone = [t for t in range(a, b) if doc.alive[t] and not alive[t]]
        mask = [False] * len(alive)
        for t in gone:
            mask[t] = True
        cut.removed_text = doc.render_range(gone[0], gone[-1] + 1, mask, {}, set()) if gone else ""
        for t in gone:
            removed_by[t] = cut.removed_text
        doc.alive, doc.replace, doc.capitalise = alive, replace, cap
    survived = [all(doc.alive[t] for t in doc.tokens_in(s, e)) for s, e in keep]
    return doc.render(), survived
