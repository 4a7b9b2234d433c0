"""One sentence under edit: its tokens (never rewritten, only dropped), and the parse of what is left.

The editor removes whole tokens of the original sentence. After each removal the stranded separators
and coordinators go too, "a" and "an" agree with the next word, and a new first word is capitalised;
then what is left is rendered and parsed again, and that parse is what the next cut is chosen on.
Every token of a parse maps back to the original token it came from, so claims keep their place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from seamline.agents.critic.parse import parse
from seamline.agents.lexicon.text import indefinite_article
from seamline.agents.lexicon.words import words

if TYPE_CHECKING:
    from spacy.tokens import Doc

SEPARATORS = frozenset({",", ";", ":"})
ENDS = frozenset({".", "!", "?"})
_NO_SPACE_BEFORE = SEPARATORS | ENDS | {")", "%"}


@dataclass(frozen=True, slots=True)
class Removal:
    """A cut: original tokens to drop, and tokens to say differently (a coordinator moved onto a comma)."""

    drop: frozenset[int]
    replace: tuple[tuple[int, str], ...] = ()


@dataclass(slots=True)
class View:
    """The parse of a sentence as it stands, with each parse token's original token."""

    doc: Doc
    origin: list[int]
    """Original token index of each parse token."""
    position: dict[int, int] = field(default_factory=dict)
    """Parse token of each original token still in the sentence (the first, where one was split)."""

    inside: dict[int, int] = field(default_factory=dict)
    """Parse token that holds each original token, where the parser read several of ours as one."""

    def to_parse(self, originals: set[int] | frozenset[int]) -> set[int]:
        """Parse tokens of a set of original tokens (those still in the sentence).

        Where the parser read a claim's tokens into another's ("green" of "Red,green"), the parse token
        that holds them stands for them, so the claim still has a place to be cut from.
        """
        found = {self.position[o] for o in originals if o in self.position}
        return found or {self.inside[o] for o in originals if o in self.inside}

    def to_original(self, tokens: set[int]) -> frozenset[int]:
        """Original tokens of a set of parse tokens."""
        return frozenset(self.origin[t] for t in tokens)


@dataclass(slots=True)
class State:
    """Which original tokens are kept, and the tokens said differently."""

    alive: list[bool]
    replace: dict[int, str]

    def copy(self) -> State:
        """An independent copy."""
        return State(list(self.alive), dict(self.replace))


class Sentence:
    """One sentence of a description under edit."""

    def __init__(self, text: str) -> None:
        self.text = text
        doc = parse(text)
        self.spans = [(t.idx, t.idx + len(t.text)) for t in doc]
        self.words = [t.text for t in doc]
        self.state = State([True] * len(self.spans), {})
        self._view = View(doc, list(range(len(doc))), {i: i for i in range(len(doc))})
        self._views: dict[tuple[tuple[bool, ...], tuple[tuple[int, str], ...]], View] = {}

    # -- tokens -------------------------------------------------------------------------------------

    def tokens_in(self, start: int, end: int) -> set[int]:
        """Original tokens overlapping a character range of the sentence."""
        return {i for i, (a, b) in enumerate(self.spans) if a < end and start < b}

    def word_tokens(self, start: int, end: int) -> set[int]:
        """Tokens of a character range, widened to whole words.

        The parser splits "000K" into "000" and "K"; cutting one would leave a piece of the word behind.
        """
        found = self.tokens_in(start, end)
        if not found:
            return found
        lo, hi = min(found), max(found)
        while (
            lo > 0
            and self.spans[lo - 1][1] == self.spans[lo][0]
            and self.is_word(lo - 1)
            and self.is_word(lo)
        ):
            lo -= 1
        last = len(self.spans) - 1
        while (
            hi < last
            and self.spans[hi][1] == self.spans[hi + 1][0]
            and self.is_word(hi + 1)
            and self.is_word(hi)
        ):
            hi += 1
        return found | set(range(lo, hi + 1))

    def low(self, i: int) -> str:
        """Original token ``i`` in lower case."""
        return self.words[i].lower()

    def is_word(self, i: int) -> bool:
        """Whether token ``i`` is a word (not punctuation)."""
        return self.words[i][:1].isalnum()

    def kept(self, state: State | None = None) -> list[int]:
        """Original tokens still in the sentence, in order."""
        alive = (state or self.state).alive
        return [i for i, a in enumerate(alive) if a]

    # -- editing ------------------------------------------------------------------------------------

    def trial(self, removal: Removal) -> State:
        """The state after ``removal`` and the repairs it calls for (the sentence itself is unchanged)."""
        state = self.state.copy()
        words_after = [i for i in range(len(self.words)) if self.is_word(i)]
        last_word = words_after[-1] if words_after else -1
        for i in removal.drop:
            if i > last_word and self.words[i] in ENDS:
                continue  # the full stop stays while a word does (the repair drops it with the last one)
            state.alive[i] = False
            state.replace.pop(i, None)
        for i, text in removal.replace:
            if state.alive[i]:
                state.replace[i] = text
        self._repair(state)
        return state

    def commit(self, state: State) -> None:
        """Make ``state`` the sentence's state."""
        self.state = state
        self._view = self.view_of(state)

    def _repair(self, state: State) -> None:
        """Drop separators and coordinators a cut left stranded; make "a"/"an" agree with the next word."""
        coordinators = words("coordinators")
        changed = True
        while changed:
            changed = False
            seq = self.kept(state)
            if seq and all(not self.is_word(i) for i in seq):
                for i in seq:
                    state.alive[i] = False
                break
            for k, i in enumerate(seq):
                t = state.replace.get(i, self.words[i]).lower()
                nxt = (
                    state.replace.get(seq[k + 1], self.words[seq[k + 1]]).lower()
                    if k + 1 < len(seq)
                    else None
                )
                first_word = next((j for j in seq if self.is_word(j)), None)
                leading = first_word is None or i < first_word
                stranded = nxt is None or nxt in SEPARATORS | ENDS
                if t in SEPARATORS and (leading or stranded):
                    state.alive[i] = False
                elif t in coordinators and (stranded or (k == 0 and i != 0)):
                    state.alive[i] = False
                elif t == "-" and (k == 0 or stranded):
                    state.alive[i] = False
                else:
                    continue
                changed = True
                break
        seq = self.kept(state)
        for k, i in enumerate(seq[:-1]):
            t = self.low(i)
            if t in ("a", "an") and seq[k + 1] != i + 1:
                want = indefinite_article(self.words[seq[k + 1]])
                if want != t:
                    state.replace[i] = want.capitalize() if self.words[i][:1].isupper() else want
                elif i in state.replace:
                    del state.replace[i]

    # -- rendering ----------------------------------------------------------------------------------

    def render(self, state: State | None = None) -> str:
        """The sentence as it stands (or as ``state`` would leave it)."""
        return self._render(state or self.state)[0]

    def _render(self, state: State) -> tuple[str, list[int]]:
        """The text and, per character, the original token it comes from (-1 for spacing)."""
        seq = self.kept(state)
        if not seq:
            return "", []
        first_word = next((i for i in range(len(self.words)) if self.is_word(i)), None)
        new_first = next((i for i in seq if self.is_word(i)), None)
        capitalise = (
            first_word is not None
            and new_first is not None
            and new_first != first_word
            and self.words[first_word][:1].isupper()
        )
        parts: list[str] = []
        owner: list[int] = []
        prev = -1
        for i in seq:
            if prev >= 0:
                if prev == i - 1:
                    gap = self.text[self.spans[prev][1] : self.spans[i][0]]
                else:
                    gap_after = self.text[self.spans[prev][1] : self.spans[prev + 1][0]]
                    gap_before = self.text[self.spans[i - 1][1] : self.spans[i][0]]
                    gap = (
                        gap_before
                        if ("\n" in gap_before and "\n" not in gap_after) or not gap_after
                        else gap_after
                    )
                    if self.words[i] in _NO_SPACE_BEFORE and "\n" not in gap:
                        gap = ""
                if not gap and i in state.replace and state.replace[i][:1].isalnum():
                    gap = " "  # a comma said as "and"
                if not gap and prev in state.replace and state.replace[prev][-1:].isalnum():
                    gap = " "  # ... and after it: "B,a00" with its comma said as "and" is "B and a00"
                parts.append(gap)
                owner.extend([-1] * len(gap))
            word = state.replace.get(i, self.words[i])
            if capitalise and i == new_first and word[:1].isalpha():
                word = word[:1].upper() + word[1:]
            parts.append(word)
            owner.extend([i] * len(word))
            prev = i
        return "".join(parts), owner

    # -- parsing ------------------------------------------------------------------------------------

    def view(self) -> View:
        """The parse of the sentence as it stands."""
        return self._view

    def view_of(self, state: State) -> View:
        """The parse of the sentence as ``state`` would leave it, with its tokens' original tokens."""
        key = (tuple(state.alive), tuple(sorted(state.replace.items())))
        cached = self._views.get(key)
        if cached is not None:
            return cached
        text, owner = self._render(state)
        doc = parse(text)
        origin: list[int] = []
        position: dict[int, int] = {}
        inside: dict[int, int] = {}
        for k, tok in enumerate(doc):
            span = owner[tok.idx : tok.idx + len(tok.text)]
            o = next((c for c in span if c >= 0), -1)
            if o < 0:  # a parse token that is spacing only: attach to the previous token
                o = origin[-1] if origin else 0
            origin.append(o)
            position.setdefault(o, k)
            for c in span:
                if c >= 0:
                    inside.setdefault(c, k)
        view = View(doc, origin, position, inside)
        self._views[key] = view
        return view
