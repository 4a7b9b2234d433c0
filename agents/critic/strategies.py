"""The strategy table: the syntactic units a cut may take, smallest first.

Each strategy is a function from the parse of a sentence and the tokens of one rejected claim to the
cuts it proposes (sets of parse tokens to drop, each holding the claim). They are tried in table order
and each result is verified on a fresh parse (see verify), so a strategy may propose a cut its parse
suggests without being sure of it. The small parser is noisy ("this navy checked shirt" can come out
with "checked" as the main verb), so next to the cuts read off the tree the strategies also propose the
same units found from token order (an adjective run before a noun, a list item between separators).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from seamline.agents.lexicon.words import words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

SEPARATORS = frozenset({",", ";", ":"})
ENDS = frozenset({".", "!", "?"})
_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "npadvmod", "advmod", "nummod", "poss", "quantmod"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
_AUX = frozenset({"aux", "auxpass", "neg"})
_PHRASE_DEPS = frozenset({"prep", "agent", "dative"})
_PARTICIPLE_DEPS = frozenset({"acl", "advcl", "amod", "appos", "oprd"})
_CLAUSE_DEPS = frozenset({"conj", "advcl", "ccomp", "parataxis", "xcomp", "csubj"})


@dataclass(frozen=True, slots=True)
class Proposal:
    """One proposed cut: parse tokens to drop, and a comma to say as the coordinator that was dropped."""

    drop: frozenset[int]
    say: tuple[tuple[int, str], ...] = ()


Strategy = Callable[["Doc", frozenset[int], bool], list[Proposal]]


# -- helpers ------------------------------------------------------------------------------------------


def _subtree(tok: Token) -> set[int]:
    return {t.i for t in tok.subtree}


def _head(doc: Doc, target: frozenset[int]) -> Token:
    """The token of ``target`` closest to the root (its syntactic head)."""
    best = None
    best_depth = 10**6
    for i in sorted(target):
        tok = doc[i]
        depth = 0
        node = tok
        while node.head.i != node.i and depth < 100:
            node = node.head
            depth += 1
        if tok.head.i not in target or tok.head.i == tok.i:
            if depth < best_depth:
                best, best_depth = tok, depth
    return best if best is not None else doc[min(target)]


def _ancestors(tok: Token) -> Iterable[Token]:
    node = tok
    seen = 0
    while node.head.i != node.i and seen < 100:
        node = node.head
        seen += 1
        yield node


def _low(doc: Doc, i: int) -> str:
    return doc[i].text.lower() if 0 <= i < len(doc) else ""


def _is_sep(doc: Doc, i: int) -> bool:
    return 0 <= i < len(doc) and doc[i].text in SEPARATORS


def _is_cc(doc: Doc, i: int) -> bool:
    return 0 <= i < len(doc) and (doc[i].dep_ == "cc" or doc[i].text.lower() in words("coordinators"))


def _word(doc: Doc, i: int) -> bool:
    return 0 <= i < len(doc) and doc[i].text[:1].isalnum()


def _content(doc: Doc, i: int) -> bool:
    """A word that can sit inside a noun phrase: a noun, adjective or number, not a function word."""
    if not _word(doc, i):
        return False
    tok = doc[i]
    function = words("determiners") | words("coordinators") | words("prepositions") | words("copulas")
    if tok.text.lower() in function:
        return False
    if tok.pos_ in ("NOUN", "PROPN", "ADJ", "NUM", "X"):
        return True
    # A participle before a noun ("a checked shirt"), however the parser tagged it.
    return (
        tok.tag_ in ("VBN", "VBG", "VBD") and i + 1 < len(doc) and doc[i + 1].pos_ in ("NOUN", "PROPN", "ADJ")
    )


def _span(a: int, b: int) -> set[int]:
    return set(range(a, b + 1))


def _with_separators(doc: Doc, unit: set[int], *, list_item: bool) -> list[Proposal]:
    """A unit with the separator that joins it to the sentence: before it, after it, or around it."""
    lo, hi = min(unit), max(unit)
    out: list[Proposal] = []
    before, after = lo - 1, hi + 1
    sep_before = _is_sep(doc, before) or (_is_cc(doc, before) and list_item)
    cc_before = _is_cc(doc, before)
    end_after = after >= len(doc) or doc[after].text in ENDS
    if _is_sep(doc, before) and _is_sep(doc, after) and not list_item:  # ", made of silk," -> both go
        out.append(Proposal(frozenset(unit | {before, after})))
        out.append(Proposal(frozenset(unit | {before})))
    if cc_before:
        # "X, Y and Z" without Z: "X and Y" (the coordinator moves onto the last comma).
        comma = _list_comma(doc, before)
        if comma is not None:
            out.append(Proposal(frozenset(unit | {before}), ((comma, doc[before].text),)))
        out.append(Proposal(frozenset(unit | {before})))
        if _is_sep(doc, before - 1):
            out.append(Proposal(frozenset(unit | {before, before - 1})))
    if sep_before and not cc_before and (end_after or _is_sep(doc, after) or _is_cc(doc, after)):
        out.append(Proposal(frozenset(unit | {before})))
    if _is_sep(doc, after) or _is_cc(doc, after):
        out.append(Proposal(frozenset(unit | {after})))
    if _is_sep(doc, before) and not out:
        out.append(Proposal(frozenset(unit | {before})))
    out.append(Proposal(frozenset(unit)))
    return out


def _list_comma(doc: Doc, cc: int) -> int | None:
    """The comma before the previous list item, when the coordinator ``cc`` ends a list of three or more."""
    i = cc - 1
    depth = 0
    while i >= 0 and depth < 12:
        text = doc[i].text
        if text in ENDS or text == ";" or _is_cc(doc, i):
            return None
        if text == ",":
            j = i - 1
            return i if j >= 0 and _word(doc, j) else None
        if doc[i].pos_ in ("VERB", "AUX") and doc[i].dep_ not in ("amod", "compound") and depth == 0:
            return None
        i -= 1
        depth += 1
    return None


def _noun_run(doc: Doc, target: frozenset[int]) -> set[int]:
    """The noun phrase around ``target`` found from token order: determiner, modifiers, head nouns."""
    lo, hi = min(target), max(target)
    while _content(doc, hi + 1) or (doc[hi + 1 : hi + 2].text == "-" if hi + 1 < len(doc) else False):
        hi += 1
    while lo - 1 >= 0 and (_content(doc, lo - 1) or doc[lo - 1].text == "-"):
        lo -= 1
    if lo - 1 >= 0 and doc[lo - 1].text.lower() in words("determiners") | {"two", "three", "four", "no"}:
        lo -= 1
    return _span(lo, hi)


def _dedup(props: Iterable[Proposal], target: frozenset[int]) -> list[Proposal]:
    seen: set[tuple[frozenset[int], tuple[tuple[int, str], ...]]] = set()
    out = []
    for p in props:
        key = (p.drop, p.say)
        if key in seen or not target <= p.drop:
            continue
        seen.add(key)
        out.append(p)
    return out


# -- the strategies ---------------------------------------------------------------------------------


def modifier(doc: Doc, target: frozenset[int], is_modifier: bool) -> list[Proposal]:
    """The claim as a modifier of a noun that stays: "a [waterproof] jacket", "soft[, breathable] cotton"."""
    head = _head(doc, target)
    lo, hi = min(target), max(target)
    nxt = hi + 1
    while nxt < len(doc) and doc[nxt].text == "-":
        nxt += 1
    if is_modifier and (_is_sep(doc, nxt) or _is_cc(doc, nxt)) and _content(doc, nxt + 1):
        nxt += 1  # "a charcoal, white tee": the next modifier, then the noun
    by_tree = head.dep_ in _MODIFIER_DEPS and head.head.i not in target and head.head.i > hi
    by_order = is_modifier and _content(doc, nxt) and doc[nxt].pos_ in ("NOUN", "PROPN", "ADJ")
    if is_modifier and not (by_tree or by_order) and lo > 0 and doc[lo - 1].pos_ == "NOUN":
        # The head of a compound whose modifier can stand alone: "made of cotton [twill]".
        if not _content(doc, hi + 1) and doc[lo - 1].dep_ in ("compound", "nmod", "amod"):
            return [Proposal(frozenset(target))]
    if not (by_tree or by_order):
        return []
    noun = head.head if by_tree else doc[nxt]
    if noun.text.lower() in words("generic_heads") and not any(
        c.i not in target and c.dep_ in ("amod", "compound") for c in noun.children
    ):
        return []  # "a [striped] pattern" would leave "a pattern": its phrase is the unit
    unit = set(target)
    for i in sorted(target):  # "[very] soft": degree words go with their adjective
        unit |= {c.i for c in doc[i].children if c.lower_ in words("degree_adverbs") and c.i < i}
    lo = min(unit)
    out: list[Proposal] = []
    if _is_sep(doc, lo - 1) and _content(doc, lo - 2):  # "soft, breathable cotton"
        out.append(Proposal(frozenset(unit | {lo - 1})))
    if _is_cc(doc, lo - 1) and _content(doc, lo - 2):  # "soft and breathable cotton"
        out.append(Proposal(frozenset(unit | {lo - 1})))
    if (_is_sep(doc, hi + 1) or _is_cc(doc, hi + 1)) and _content(doc, hi + 2):  # "charcoal, white tee"
        out.append(Proposal(frozenset(unit | {hi + 1})))
    out.append(Proposal(frozenset(unit)))
    return out


def conjunct(doc: Doc, target: frozenset[int], is_modifier: bool) -> list[Proposal]:
    """A coordinated item with its coordinator or comma: "short sleeves [and a V-neck]"."""
    head = _head(doc, target)
    out: list[Proposal] = []
    node: Token | None = head
    while node is not None and not (node.dep_ == "conj" or any(c.dep_ == "conj" for c in node.children)):
        node = node.head if node.dep_ in _MODIFIER_DEPS and node.head.i != node.i else None
    if node is not None and node.pos_ not in ("VERB", "AUX"):
        unit = _subtree(node)
        for child in node.children:
            if child.dep_ == "conj" or (child.dep_ in ("cc", "punct", "preconj") and child.i > node.i):
                unit -= _subtree(child)
        out += _with_separators(doc, unit, list_item=True)
    # The same item from token order, for lists the parser did not see as one ("a turtleneck" as appos).
    run = _noun_run(doc, target)
    lo, hi = min(run), max(run)
    if _is_sep(doc, lo - 1) or _is_cc(doc, lo - 1) or _is_sep(doc, hi + 1) or _is_cc(doc, hi + 1):
        out += _with_separators(doc, run, list_item=True)
    # Coordinated predicate adjectives: "is slim fit[ and wrinkle-free]", "is [waterproof and] easy to wear".
    if is_modifier and (_is_cc(doc, min(target) - 1) or _is_cc(doc, max(target) + 1)):
        out += [p for p in _with_separators(doc, set(target), list_item=True) if p.drop != frozenset(target)]
    return _dedup(out, target)


def phrase(doc: Doc, target: frozenset[int], is_modifier: bool) -> list[Proposal]:
    """A prepositional or participial phrase: "[made of silk,]", "[Crafted from breathable linen,]"."""
    head = _head(doc, target)
    out: list[Proposal] = []
    for node in [head, *_ancestors(head)]:
        if node.pos_ in ("VERB", "AUX") and node.dep_ not in _PARTICIPLE_DEPS | _PHRASE_DEPS:
            break  # a clause: its own strategies
        if _quantity_of(node):
            continue  # "a variety [of sizes]" needs its phrase: the cut is the phrase above
        if node.dep_ in _PHRASE_DEPS and node.pos_ in ("ADP", "SCONJ", "VERB"):
            unit = _subtree(node)
            word = node.head
            others = [
                c for c in word.children if c.i not in unit and c.dep_ not in ("punct", "advmod", "neg")
            ]
            # A word that stands only for its phrase goes with it: "[made of silk]", "[Ideal for summer]".
            bare = (word.tag_ in ("VBN", "VBG") and word.dep_ in _PARTICIPLE_DEPS | {"ROOT", "conj"}) or (
                word.lower_ in words("predicative_adjectives") and word.dep_ != "ROOT"
            )
            if bare and not others:
                out += _with_separators(doc, _subtree(word), list_item=False)
            elif bare and all(c.dep_ in _SUBJECTS | _AUX for c in others) and word.dep_ != "ROOT":
                out += _with_separators(doc, _subtree(word) - _subj(word), list_item=False)
            # A bare word left with no complement would stand alone ("is made has"): not that cut.
            if not bare or _keeps_complement(word, unit):
                out += _with_separators(doc, unit, list_item=False)
        elif node.dep_ in _PARTICIPLE_DEPS and (node.tag_ in ("VBN", "VBG") or node.dep_ == "appos"):
            out += _with_separators(doc, _subtree(node), list_item=False)
    # The phrase from token order: a preposition (and a framing participle) before the noun phrase.
    run = _noun_run(doc, target)
    p = min(run) - 1
    if 0 <= p < len(doc) and doc[p].text.lower() in words("prepositions") and not _quantity_of(doc[p]):
        q = p
        while q - 1 >= 0 and doc[q - 1].text.lower() in words("frame_verbs") - words("copulas"):
            q -= 1
        span = _span(q, max(run))
        out += _with_separators(doc, span, list_item=False)
        # The preposition's phrase alone, where the framing participle keeps another complement:
        # "Made [in Portugal] from cotton"; never "is made [of linen and] has".
        if q != p and _keeps_complement(doc[q], _span(p, max(run))):
            out += _with_separators(doc, _span(p, max(run)), list_item=False)
    return _dedup(out, target)


_COMPLEMENTS = frozenset({"prep", "agent", "dobj", "dative", "attr", "acomp", "oprd", "xcomp", "ccomp"})


def _keeps_complement(word: Token, cut: set[int]) -> bool:
    """Whether ``word`` still has a complement when ``cut`` goes (a phrase, an object)."""
    return any(c.dep_ in _COMPLEMENTS and c.i not in cut for c in word.children)


def _quantity_of(tok: Token) -> bool:
    """The "of" of "a variety of sizes": without its phrase the quantity word says nothing."""
    return tok.lower_ == "of" and tok.head.lower_ in words("quantity_words")


def _subj(verb: Token) -> set[int]:
    out: set[int] = set()
    for c in verb.children:
        if c.dep_ in _SUBJECTS or (c.dep_ in ("punct",) and c.i < verb.i and c.i < min(_subtree(verb))):
            out |= _subtree(c)
    return out


def _governing_verb(head: Token) -> Token | None:
    for node in [head, *_ancestors(head)]:
        if node.pos_ in ("VERB", "AUX") and node.dep_ not in ("amod", "compound", "aux", "auxpass"):
            return node
    return None


def predicate(doc: Doc, target: frozenset[int], is_modifier: bool) -> list[Proposal]:
    """A predicate: "[and is waterproof]", "[is made of linen and] is waterproof", "This tee [has ...]."."""
    verb = _governing_verb(_head(doc, target))
    out: list[Proposal] = []
    if verb is None:
        return out
    own_subject = any(c.dep_ in _SUBJECTS for c in verb.children)
    conjuncts = [c for c in verb.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]
    if verb.dep_ == "conj" and not own_subject:
        unit = _subtree(verb)
        for c in conjuncts:
            unit -= _subtree(c)
        unit -= {c.i for c in verb.children if c.dep_ == "cc" and c.i > verb.i}
        out += _with_separators(doc, unit, list_item=True)
    elif conjuncts and own_subject:
        # The first of coordinated predicates: from after the subject to the next predicate.
        subj_end = max(_subj(verb))
        nxt = min(_subtree(conjuncts[0]))
        unit = _span(subj_end + 1, nxt - 1)
        if unit and target <= unit:
            out.append(Proposal(frozenset(unit)))
    elif own_subject and verb.dep_ in ("ROOT",):
        subject = next(c for c in verb.children if c.dep_ in _SUBJECTS)
        if subject.pos_ in ("NOUN", "PROPN"):
            keep = _subtree(subject) | {t.i for t in doc if t.text in ENDS and t.i > verb.i}
            keep |= {i for i in range(min(_subtree(subject))) if not doc[i].text[:1].isalnum()}
            unit = {t.i for t in doc} - keep
            if unit and min(unit) > max(_subtree(subject)):
                out.append(Proposal(frozenset(unit)))  # "This solid grey T-shirt[ has long sleeves]."
    # From token order: a coordinator and a verb up to the next separator ("and is waterproof").
    lo = min(target)
    i = lo - 1
    while i >= 0 and not _is_sep(doc, i) and doc[i].text not in ENDS:
        if _is_cc(doc, i) and i + 1 < len(doc) and doc[i + 1].pos_ in ("VERB", "AUX"):
            j = max(target)
            while j + 1 < len(doc) and not _is_sep(doc, j + 1) and doc[j + 1].text not in ENDS:
                if _is_cc(doc, j + 1) and j + 2 < len(doc) and doc[j + 2].pos_ in ("VERB", "AUX"):
                    break
                j += 1
            out += _with_separators(doc, _span(i + 1, j), list_item=True)
            break
        i -= 1
    return _dedup(out, target)


def relative(doc: Doc, target: frozenset[int], is_modifier: bool) -> list[Proposal]:
    """A relative clause: "a shirt[, which is waterproof,]", "a shirt [that never creases]"."""
    out: list[Proposal] = []
    for node in [_head(doc, target), *_ancestors(_head(doc, target))]:
        if node.dep_ == "relcl" or (
            node.dep_ == "acl" and any(c.tag_ in ("WDT", "WP", "WRB") for c in node.subtree)
        ):
            out += _with_separators(doc, _subtree(node), list_item=False)
    return _dedup(out, target)


def clause(doc: Doc, target: frozenset[int], is_modifier: bool) -> list[Proposal]:
    """A clause with its coordinator or comma: "long sleeves[ and it is made of linen]"."""
    out: list[Proposal] = []
    for node in [_head(doc, target), *_ancestors(_head(doc, target))]:
        if node.dep_ in _CLAUSE_DEPS and node.pos_ in ("VERB", "AUX"):
            unit = _subtree(node)
            cc = [c.i for c in node.head.children if c.dep_ == "cc" and c.i == min(unit) - 1]
            if cc:
                unit |= set(cc)
            out += _with_separators(doc, unit, list_item=False)
    # The clause between separators, from token order.
    lo, hi = min(target), max(target)
    while lo - 1 >= 0 and not _is_sep(doc, lo - 1) and doc[lo - 1].text not in ENDS:
        lo -= 1
    while hi + 1 < len(doc) and not _is_sep(doc, hi + 1) and doc[hi + 1].text not in ENDS:
        hi += 1
    if lo > 0 or (hi + 1 < len(doc) and _is_sep(doc, hi + 1)):
        out += _with_separators(doc, _span(lo, hi), list_item=False)
    return _dedup(out, target)


def sentence(doc: Doc, target: frozenset[int], is_modifier: bool) -> list[Proposal]:
    """The whole sentence: the last resort."""
    return [Proposal(frozenset(range(len(doc))))]


STRATEGIES: tuple[tuple[str, Strategy], ...] = (
    ("modifier", modifier),
    ("conjunct", conjunct),
    ("phrase", phrase),
    ("predicate", predicate),
    ("relative", relative),
    ("clause", clause),
    ("sentence", sentence),
)
"""The strategy table, in the order the editor tries it; the names are what the ledger's ``cut`` says."""
