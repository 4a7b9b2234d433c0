"""Verifying a cut: the sentence left is parsed again and must show no problem the sentence did not have.

A cut is judged on three views that fail in different ways, so that no single parse is trusted blindly:
the surface checks of the text (grammar: a dangling "made of", a doubled comma), the fresh parse of
the result on its own (a preposition without its object, a determiner without its noun, a sentence
without a verb that is not a noun phrase), and the two parses side by side (a verb that lost its object,
a kept word that another kept word took over as its argument: "Crafted from [linen,] this shirt has").
Problems the sentence had before the cut do not count against it.
"""

from __future__ import annotations

import functools
from collections import Counter
from typing import TYPE_CHECKING

from seamline.agents.critic.grammar import problems as surface_problems
from seamline.agents.lexicon.vocabulary import vocabulary
from seamline.agents.lexicon.words import words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from seamline.agents.critic.sentence import View

_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
_ARGUMENTS = frozenset({"dobj", "pobj", "attr", "acomp", "oprd", "pcomp", "ccomp", "xcomp"})
_NP_INSIDE = frozenset(
    {"compound", "amod", "nummod", "poss", "nmod", "det", "conj", "cc", "quantmod", "appos"}
)
"""Relations inside a noun phrase; an apposition is the next item of a list the parser did not see as one
("has [short sleeves,] full front button placket": the placket stands in for the sleeves)."""
_POBJ = frozenset({"pobj", "pcomp"})
_CORE = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr"})
_NOUNISH = frozenset({"NOUN", "PROPN", "NUM", "ADJ", "PRON", "X", "SYM"})
_JOINERS = frozenset({"-", "'", "’", "/", "%", "&", "'s", "’s"})


def is_caption(doc: Doc) -> bool:
    """A noun phrase standing as a sentence ("This solid grey T-shirt."): a root noun that holds it all."""
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if len(roots) != 1 or roots[0].pos_ not in ("NOUN", "PROPN"):
        return False
    inside = {t.i for t in roots[0].subtree}
    return all(t.i in inside or not t.text[:1].isalnum() for t in doc)


def names_the_product(doc: Doc) -> bool:
    """Whether a noun phrase is headed by a product type, read from the vocabulary.

    The type ends the phrase ("This solid grey T-shirt") or is its root with a participle phrase after it
    ("Green check shirt made of cotton"); "A shirt for men." names no more than the name does.
    """
    words_ = [t for t in doc if t.text[:1].isalnum()]
    heads = [t for t in doc if t.dep_ == "ROOT" and any(c.dep_ == "acl" for c in t.children)] + words_[-1:]
    return any(vocabulary().garment(t.text) is not None for t in heads)


def names_a_garment(doc: Doc) -> bool:
    """Whether any noun of a noun phrase is a product type ("A navy tee with a round neck")."""
    return any(t.pos_ in ("NOUN", "PROPN") and vocabulary().garment(t.text) is not None for t in doc)


def located_problems(doc: Doc) -> list[tuple[str, int]]:
    """Problems the parse of one sentence shows: (kind, token), the token -1 for the sentence as a whole."""
    found: list[tuple[str, int]] = []
    tokens = [t for t in doc if t.text[:1].isalnum()]
    if not tokens:
        return found
    last = tokens[-1].i
    for tok in doc:
        if tok.pos_ == "ADP" and tok.dep_ in ("prep", "agent", "dative"):
            if not any(c.dep_ in ("pobj", "pcomp") for c in tok.children):
                found.append(("dangling_preposition", tok.i))
        elif tok.dep_ == "det" and (tok.i == last or tok.head.pos_ not in _NOUNISH):
            found.append(("dangling_determiner", tok.i))
        elif tok.lower_ in ("a", "an") and plural_after(doc, tok.i):
            found.append(("article_number", tok.i))  # "a short sleeves"
        elif tok.dep_ == "cc" and (tok.i + 1 >= len(doc) or not doc[tok.i + 1].text[:1].isalnum()):
            found.append(("dangling_conjunction", tok.i))
        if tok.dep_ == "dep":
            found.append(("unattached", tok.i))
        if (
            tok.dep_ == "ROOT"
            and tok.tag_ in ("VBZ", "VBP", "VBD")
            and not any(c.dep_ in _SUBJECTS for c in tok.children)
        ):
            found.append(("no_subject", tok.i))
    if not any(t.pos_ in ("VERB", "AUX") for t in doc) and not is_caption(doc):
        found.append(("fragment", -1))
    return found


def parse_problems(doc: Doc) -> Counter[str]:
    """Problems the parse of one sentence shows, by kind."""
    return Counter(kind for kind, _ in located_problems(doc))


def _near_the_cut(before: View, after: View, kept: list[int], reach: int = 2) -> set[int]:
    """Parse tokens of ``after`` within ``reach`` kept tokens of a place where something was cut.

    A problem the new parse shows far from every cut is the parser changing its mind about words the
    cut did not touch (noise), not something the cut broke.
    """
    gaps: set[int] = set()
    for k, o in enumerate(kept):
        nxt = kept[k + 1] if k + 1 < len(kept) else None
        if (
            (k == 0 and o != 0)
            or (nxt is not None and nxt != o + 1)
            or (nxt is None and o + 1 < len(before.origin))
        ):
            gaps.add(k)
    near: set[int] = set()
    for g in gaps:
        for k in range(max(0, g - reach + 1), min(len(kept), g + reach + 1)):
            if kept[k] in after.position:
                near.add(after.position[kept[k]])
    return near


def plural_after(doc: Doc, i: int) -> bool:
    """Whether the first noun after an article is plural, read from token order ("a short sleeves")."""
    for tok in doc[i + 1 : i + 6]:
        if tok.lower_ in words("quantity_words"):
            return False
        if tok.pos_ in ("ADJ", "ADV") or tok.tag_ in ("HYPH", "VBN", "VBG"):  # "a striped", "an elasticated"
            continue
        return tok.tag_ in ("NNS", "NNPS")
    return False


def _in_subject(tok: Token) -> bool:
    """Whether a token is (inside) the subject of a verb: a word whose head went may join a new one."""
    node = tok
    for _ in range(20):
        if node.dep_ in _SUBJECTS:
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _joined(doc: Doc, k: int) -> bool:
    """Whether token ``k`` and the next are one written word ("V-neck", "T-shirt", "men's")."""
    if k + 1 >= len(doc) or doc[k].whitespace_:
        return False
    return all(t.text[:1].isalnum() or t.text in _JOINERS for t in (doc[k], doc[k + 1]))


def _word_span(doc: Doc, k: int) -> tuple[int, int]:
    lo = hi = k
    while lo > 0 and _joined(doc, lo - 1):
        lo -= 1
    while _joined(doc, hi):
        hi += 1
    return lo, hi


def _group(view: View, o: int) -> int:
    """The written word an original token belongs to, as the original token that starts it."""
    k = view.position.get(o)
    return view.origin[_word_span(view.doc, k)[0]] if k is not None else o


def _outer(view: View, k: int) -> tuple[int | None, str]:
    """The head (original token) and relation of the written word that token ``k`` belongs to."""
    lo, hi = _word_span(view.doc, k)
    for t in view.doc[lo : hi + 1]:
        if not lo <= t.head.i <= hi:
            return view.origin[t.head.i], t.dep_
    return None, ""


def relation_problems(before: View, after: View, kept: list[int]) -> Counter[str]:
    """What the cut changed between the parses: lost arguments, and arguments taken over by a kept word.

    The parse before the cut is only trusted where it shows no problem of its own: a sentence the
    parser could not attach ("dep") or gave a verb without a subject is judged on the new parse alone.
    """
    found: Counter[str] = Counter()
    alive = set(kept)
    # A preposition is read the same in a sentence without a subject ("..., has a collar"), so its
    # object is checked before the parse is judged: "with [light blue accents,] made of" lost it.
    for o in kept:
        if o in before.position and o in after.position:
            b = before.doc[before.position[o]]
            if b.pos_ == "ADP" and b.dep_ in ("prep", "agent", "dative"):
                found["lost_argument"] += _lost(before, after, b, after.doc[after.position[o]], alive, _POBJ)
    if parse_problems(before.doc)["unattached"] or parse_problems(before.doc)["no_subject"]:
        return found
    for o in kept:
        if o not in before.position or o not in after.position:
            continue
        b = before.doc[before.position[o]]
        a = after.doc[after.position[o]]
        # A verb that frames an attribute ("made", "comes", "imported") needs its phrase as an argument.
        needed = _ARGUMENTS | ({"prep", "agent"} if b.lower_ in _framing() else set())
        if b.pos_ != "ADP":  # prepositions were checked above
            found["lost_argument"] += _lost(before, after, b, a, alive, needed)
        if b.head.i != b.i and before.origin[b.head.i] not in alive:
            if b.dep_ in _SUBJECTS and b.head.pos_ in ("VERB", "AUX") and not _in_subject(a):
                found["orphaned_subject"] += 1  # "and it [is made of linen]"
            elif b.dep_ in ("relcl", "acl"):
                found["orphaned_clause"] += 1  # "it is made [of linen] that keeps you cool"
            elif b.dep_ == "amod" and b.head.pos_ in ("NOUN", "PROPN") and not _modifies_noun(a):
                found["orphaned_modifier"] += 1  # "Green [and light yellow check shirt] made of cotton"
    # A kept word taken over as the argument of another kept word: "Crafted from [linen,] this shirt has"
    # makes "this shirt" the object of "from". Compared word by word ("V-neck" is one word of three
    # tokens, however the parser joins them), and only where the word takes a core role it lacked.
    for o in kept:
        if o not in before.position or o not in after.position or not before.doc[before.position[o]].is_alpha:
            continue
        hb, db = _outer(before, before.position[o])
        ha, da = _outer(after, after.position[o])
        if hb is None or ha is None or hb not in alive or ha not in alive:
            continue
        # An apposition names what its head names, so it may take over the head's role ("Red, [green
        # and light yellow] check shirt ... has", where the parser read "Red" as the subject).
        if _group(before, hb) != _group(before, ha) and da in _CORE and da != db and db != "appos":
            found["reattached"] += not _now_below(after, hb, o)
    return found


def _lost(before: View, after: View, b: Token, a: Token, alive: set[int], needed: frozenset[str]) -> bool:
    """Whether the cut took every argument of ``b`` (``a`` after the cut) that ``needed`` names.

    What may stand in for a lost argument: a word of the lost noun phrase ("from cotton [twill]", "with
    [accents and] stripes"); a word from a clause or a phrase beyond it is taken over ("with [accents,]
    made of cotton", where the parser had hung "made" on "accents").
    """
    lost = [c for c in b.children if c.dep_ in needed and before.origin[c.i] not in alive]
    if not lost:
        return False
    own = {before.origin[t.i] for c in b.children for t in _noun_phrase(c)}
    return not any(c.dep_ in needed and after.origin[c.i] in own for c in a.children)


def _noun_phrase(tok: Token) -> list[Token]:
    """``tok`` and the words of its noun phrase: its modifiers and coordinated items, not its clauses."""
    found = [tok]
    for child in tok.children:
        if child.dep_ in _NP_INSIDE:
            found += _noun_phrase(child)
    return found


def _now_below(after: View, head: int, o: int) -> bool:
    """Whether a word's old head now depends on it: the same phrase read anew, nothing taken over.

    "checked [stretchable] shirt" was parsed as a verb and its object, and after the cut as an
    adjective and its noun.
    """
    k, j = after.position.get(head), after.position.get(o)
    return k is not None and j is not None and after.doc[k].head.i == j


def _modifies_noun(tok: Token) -> bool:
    """Whether an adjective still modifies a noun: its own, or the next one's after a cut."""
    return tok.dep_ in ("amod", "compound") and tok.head.pos_ in ("NOUN", "PROPN")


def cut_problems(
    before_text: str, after_text: str, before: View, after: View, kept: list[int]
) -> Counter[str]:
    """Problems the cut adds: on the surface, in the new parse, and between the two parses."""
    if not any(ch.isalnum() for ch in after_text):
        return Counter()
    found = surface_problems(after_text) - surface_problems(before_text)
    near = _near_the_cut(before, after, kept)
    local = Counter(kind for kind, k in located_problems(after.doc) if k < 0 or k in near)
    found += local - parse_problems(before.doc)
    found += relation_problems(before, after, kept)
    if is_caption(after.doc):  # "This solid grey T-shirt[ has long sleeves]."
        found.pop("fragment", None)
        found.pop("orphaned_subject", None)
    return found


@functools.cache
def _framing() -> frozenset[str]:
    """Words that need their phrase: "made [of silk]", "ideal [for summer]"."""
    return (words("frame_verbs") - words("copulas")) | words("predicative_adjectives")
