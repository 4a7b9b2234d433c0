"""Minimal removal on a parse: each rejected claim goes with the smallest unit that leaves good prose.

The text is edited sentence by sentence. For each rejected claim (right to left) the editor asks the
strategy table, smallest unit first, for cuts; it applies each in turn, parses the result again and
keeps the first that adds no problem (see verify). A cut that would take a supported claim along is
refused while a valid cut that spares it exists; the sentence itself is the last resort, and the only
cut that needs no check. Tokens are never rewritten, only dropped: "a" may become "an", a comma may
say the "and" that a cut took from the end of a list, and a new first word is capitalised.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from seamline.agents.critic.sentence import Removal, Sentence, State
from seamline.agents.critic.strategies import STRATEGIES
from seamline.agents.critic.verify import cut_problems, is_caption, names_a_garment, names_the_product
from seamline.agents.lexicon.text import sentence_spans

_MAX_WORDS = 120
"""Longer stretches without a sentence end are edited in pieces, so the cost stays linear."""


@dataclass(slots=True)
class Cut:
    """A request to remove one claim: the span that must go; filled with what went and how."""

    start: int
    end: int
    modifier: bool = False
    """The claim reads as an adjective before a noun (a colour, a fabric): "a [navy] tee"."""
    removed_text: str | None = None
    strategy: str | None = None
    """The strategy that cut it: modifier, conjunct, phrase, predicate, relative, clause or sentence."""


def _pieces(text: str) -> list[tuple[int, int]]:
    """Sentence ranges, with very long ones split at a comma or space near every ``_MAX_WORDS`` words."""
    out: list[tuple[int, int]] = []
    for a, b in sentence_spans(text):
        while len(text[a:b].split()) > _MAX_WORDS:
            words = 0
            cut = a
            for i in range(a, b):
                if text[i].isspace() and not text[i - 1].isspace():
                    words += 1
                    cut = i
                    if words >= _MAX_WORDS:
                        break
            comma = text.rfind(",", a, cut)
            cut = comma + 1 if comma > a + (cut - a) // 2 else cut
            out.append((a, cut))
            a = cut
        out.append((a, b))
    return out


def apply_cuts(text: str, cuts: list[Cut], keep: list[tuple[int, int]]) -> tuple[str, list[bool]]:
    """Remove every cut from ``text`` (filling ``removed_text`` and ``strategy``), sparing ``keep``.

    Returns the edited text and, per ``keep`` span, whether it survived: where no cut that spares a
    supported claim leaves a good sentence, the smallest one that does not spare it is taken.
    """
    out: list[str] = []
    survived = [True] * len(keep)
    for a, b in _pieces(text):
        mine = [c for c in cuts if a <= c.start < b]
        piece = text[a:b]
        if not mine:
            out.append(piece)
            continue
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        body_start, body_end = a + lead, a + trail
        inside = [k for k, (s, _e) in enumerate(keep) if body_start <= s < body_end]
        edited, kept_flags = _edit_sentence(
            text[body_start:body_end],
            [(c, c.start - body_start, min(c.end, body_end) - body_start) for c in mine],
            [(keep[k][0] - body_start, keep[k][1] - body_start) for k in inside],
        )
        for k, flag in zip(inside, kept_flags, strict=True):
            survived[k] = flag
        if edited:  # a sentence cut whole goes with the space before it
            out.append(piece[:lead] + edited + piece[trail:])
    result = "".join(out)
    if not text[:1].isspace():
        result = result.lstrip()
    if not text[-1:].isspace():
        result = result.rstrip()
    return (result if result.strip() else ""), survived


def _edit_sentence(
    body: str, cuts: list[tuple[Cut, int, int]], keep: list[tuple[int, int]]
) -> tuple[str, list[bool]]:
    """Cut each claim out of one sentence; the edited sentence and which ``keep`` spans survived."""
    key = tuple((start, end, cut.modifier) for cut, start, end in cuts)
    edited, flags, how = _edit_cached(body, key, tuple(keep))
    for (cut, _s, _e), (removed_text, strategy) in zip(cuts, how, strict=True):
        cut.removed_text, cut.strategy = removed_text, strategy
    return edited, list(flags)


@functools.lru_cache(maxsize=2048)
def _edit_cached(
    body: str, cuts: tuple[tuple[int, int, bool], ...], keep: tuple[tuple[int, int], ...]
) -> tuple[str, tuple[bool, ...], tuple[tuple[str, str | None], ...]]:
    """The edit of one sentence, cached: a catalog repeats its sentences, and checks run again."""
    sentence = Sentence(body)
    protected = set().union(*(sentence.tokens_in(s, e) for s, e in keep)) if keep else set()
    taken_by: dict[int, int] = {}
    how: list[tuple[str, str | None]] = [("", None)] * len(cuts)
    for n in sorted(range(len(cuts)), key=lambda k: -cuts[k][0]):
        start, end, modifier = cuts[n]
        claim = sentence.word_tokens(start, end)
        live = {t for t in claim if sentence.state.alive[t]}
        if not live:
            earlier = next((taken_by[t] for t in sorted(claim) if t in taken_by), None)
            how[n] = how[earlier] if earlier is not None else ("", None)
            continue
        name, state = _choose(sentence, live, protected, modifier)
        gone = [i for i, alive in enumerate(sentence.state.alive) if alive and not state.alive[i]]
        how[n] = (_text_of(sentence, gone), name)
        for t in gone:
            taken_by[t] = n
        sentence.commit(state)
    flags = tuple(all(sentence.state.alive[t] for t in sentence.tokens_in(s, e)) for s, e in keep)
    return sentence.render(), flags, tuple(how)


def _choose(sentence: Sentence, claim: set[int], protected: set[int], modifier: bool) -> tuple[str, State]:
    """The first strategy's cut that removes the claim and verifies; sparing supported claims if it can."""
    view = sentence.view()
    target = frozenset(view.to_parse(claim))
    before_text = sentence.render()
    spared = {p for p in protected if sentence.state.alive[p]}
    tried: set[tuple[tuple[bool, ...], tuple[tuple[int, str], ...]]] = set()
    later: list[tuple[str, State]] = []
    for name, strategy in STRATEGIES:
        for proposal in strategy(view.doc, target, modifier):
            removal = Removal(
                view.to_original(set(proposal.drop)), tuple((view.origin[k], w) for k, w in proposal.say)
            )
            state = sentence.trial(removal)
            if any(state.alive[t] for t in claim):
                continue
            key = (tuple(state.alive), tuple(sorted(state.replace.items())))
            if key in tried:
                continue
            tried.add(key)
            if any(not state.alive[p] for p in spared):
                later.append((name, state))
            elif _verifies(sentence, before_text, state, spared):
                return name, state
    for name, state in later:  # no cut spares every supported claim: the smallest valid one
        if _verifies(sentence, before_text, state, spared):
            return name, state
    return "sentence", State([False] * len(sentence.state.alive), {})


def _verifies(sentence: Sentence, before_text: str, state: State, spared: set[int]) -> bool:
    after_text = sentence.render(state)
    if not any(ch.isalnum() for ch in after_text):
        return True
    after = sentence.view_of(state)
    before = sentence.view().doc
    if is_caption(after.doc) and not is_caption(before):
        # A clause cut down to a noun phrase must name the product and keep a supported claim:
        # "This solid grey T-shirt.", never "The fabric." or "This grey.".
        if not names_the_product(after.doc) or not any(state.alive[p] for p in spared):
            return False
    elif is_caption(after.doc) and names_a_garment(before) and not names_a_garment(after.doc):
        return False  # a noun phrase that named a product still names one: not "Red round neck."
    return not cut_problems(before_text, after_text, sentence.view(), after, sentence.kept(state))


def _text_of(sentence: Sentence, tokens: list[int]) -> str:
    """The original text of removed tokens, as one string."""
    if not tokens:
        return ""
    parts = []
    for k, i in enumerate(tokens):
        if k:
            prev = tokens[k - 1]
            parts.append(
                sentence.text[sentence.spans[prev][1] : sentence.spans[i][0]] if prev == i - 1 else " "
            )
        parts.append(sentence.words[i])
    return "".join(parts)
