"""Finding mentions in text: vocabulary matches, catalog key lines, negation and styling scopes."""

from __future__ import annotations

import bisect
import re

from seamline.agents.critic.vocab import Mention, Vocabulary

# "Do not bleach, wring or tumble dry": everything to the end of the clause is negated.
_STRONG_NEG = re.compile(
    r"\b(?:do\s+not|don['’]?t|never|avoid|must\s+not|should\s+not|cannot|can['’]t|not\s+suitable\s+for)\b",
    re.IGNORECASE,
)
# "no pockets", "not waterproof", "non-stretch", "without a hood": the next few words are negated.
_WEAK_NEG = re.compile(
    r"\b(?:not|no|non|without|free\s+(?:of|from)|lacks?|isn['’]t|aren['’]t)\b", re.IGNORECASE
)
_CLAUSE_END = re.compile(r"[.;!?\n]|\bbut\b|\bexcept\b|\bhowever\b", re.IGNORECASE)
_NEW_CLAUSE = re.compile(
    r",\s*(?:this|these|it|its|the|you|your|which|while|so|making|and\s+(?:it|this|the))\b", re.I
)
_WORDS = re.compile(r"[\w'-]+")
_WEAK_END = re.compile(r"[.,;:!?\n]|\b(?:and|but|or|with|while)\b", re.IGNORECASE)
# "Pair it with blue jeans", "team this with black heels": the rest of the clause is about other items.
_STYLING = re.compile(
    r"\b(?:pair|pairs|paired|pairing|team|teams|teamed|teaming|match|matched|club|clubbed|combine|combined|"
    r"style|styled|wear|worn|layer|layered|dress|accessorise|accessorize|complement|goes|go|looks?|works?)"
    r"(?:\s+(?:it|this|these|them|that|up|down|well|great|good|perfectly|best|beautifully|"
    r"(?:this|the|your|these)\s+[\w-]+(?:\s+[\w-]+)?))*\s+(?:with|over|under|alongside)\b"
    r"|\b(?:complete|finish|round\s+off)\s+(?:the|your|this)\s+look\b"
    r"|\b(?:slip\s+into|add(?:\s+on)?)\s+(?:a|an|some|your)\b"
    r"|\ba\s+pair\s+of\b",
    re.IGNORECASE,
)
_KEY_LINE = re.compile(
    r"^[ \t]*([A-Za-z][A-Za-z0-9 _/&'.-]{0,40}?)[ \t]*[:=][ \t]*(\S.*?)[ \t]*$", re.MULTILINE
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _scopes(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[int]]:
    """Negation ranges, styling ranges, and the positions of negation triggers."""
    negs: list[tuple[int, int]] = []
    triggers: list[int] = []
    for m in _STRONG_NEG.finditer(text):
        end = _CLAUSE_END.search(text, m.end())
        limit = end.start() if end else len(text)
        # A new clause (", this top ...") or twelve words end the scope too.
        turn = _NEW_CLAUSE.search(text, m.end(), limit)
        limit = turn.start() if turn else limit
        words = list(_WORDS.finditer(text, m.end(), limit))
        if len(words) > 12:
            limit = words[11].end()
        negs.append((m.start(), limit))
        triggers.append(m.start())
    for m in _WEAK_NEG.finditer(text):
        stop = _WEAK_END.search(text, m.end())
        limit = stop.start() if stop else len(text)
        # At most four words after the trigger.
        last = m.end()
        for i, w in enumerate(_WORDS.finditer(text, m.end(), limit)):
            if i >= 4:
                break
            last = w.end()
        negs.append((m.start(), last))
        triggers.append(m.start())
    styles = []
    for m in _STYLING.finditer(text):
        end = _CLAUSE_END.search(text, m.end())
        styles.append((m.start(), end.start() if end else len(text)))
    return negs, styles, sorted(triggers)


def _inside(ranges: list[tuple[int, int]], start: int, end: int, triggers: list[int] | None = None) -> bool:
    for a, b in ranges:
        if a <= start < b or (a < end <= b):
            if triggers is not None and start <= a < end:
                continue  # the trigger is part of the mention itself ("no sleeves")
            return True
    return False


def _key_lines(text: str, vocab: Vocabulary) -> list[tuple[int, int, str, str]]:
    """Catalog lines "Key: value" whose key names a category: (value start, value end, key, category)."""
    out = []
    for m in _KEY_LINE.finditer(text):
        raw = m.group(1)
        key = _CAMEL.sub(" ", raw).replace("_", " ").lower().strip()
        cat = vocab.key_category.get(re.sub(r"[\s\-]+", "", key))
        out.append((m.start(2), m.end(2), raw.strip(), cat or ""))
    return out


def find_mentions(text: str, vocab: Vocabulary, *, garments: bool = False) -> list[Mention]:
    """Every attribute mention in ``text``, in order, each framed by negation, styling and key lines."""
    if not text:
        return []
    negs, styles, triggers = _scopes(text)
    keys = _key_lines(text, vocab)
    key_starts = [k[0] for k in keys]
    found: list[Mention] = []

    def key_of(pos: int) -> tuple[int, int, str, str] | None:
        i = bisect.bisect_right(key_starts, pos) - 1
        if i >= 0 and keys[i][0] <= pos < keys[i][1]:
            return keys[i]
        return None

    def add(cat: str, value: str, start: int, end: int) -> None:
        k = key_of(start)
        found.append(
            Mention(
                category=cat,
                value=value,
                start=start,
                end=end,
                surface=text[start:end],
                negated=_inside(negs, start, end, triggers),
                styling=_inside(styles, start, end) if k is None else False,
                key=k[2] if k else None,
            )
        )

    for m in vocab.attr_re.finditer(text):
        hit = vocab.lookup(m.group(0))
        if hit is None:
            continue
        cat, value = hit
        start = m.start()
        if cat == "colour":
            # "light blue", "dark green": a shade of the family, unless the vocabulary names it already.
            mod = vocab.colour_modifier_re.search(text, max(0, start - 12), start)
            if mod is not None and not vocab.categories["colour"].ancestors.get(value):
                shade = f"{mod.group(1).lower()} {value}"
                if shade not in vocab.categories["colour"].values:
                    add(cat, shade, mod.start(1), m.end())
                    continue
        add(cat, value, start, m.end())
    for m in vocab.origin_re.finditer(text):
        group = "place" if m.group("place") else "demonym"
        value = vocab.origin_surface.get(re.sub(r"[\s\-]+", "", m.group(group).lower()))
        if value is not None:
            # "made in Italy" is one claim, introducer included; "Egyptian" alone modifies "cotton".
            add("origin", value, m.start() if group == "place" else m.start(group), m.end(group))
    # Catalog lines whose key names a category but whose value alone is not a surface form.
    for vstart, vend, _key, cat in keys:
        if not cat or cat == "garment":
            continue
        if any(f.category == cat and vstart <= f.start < vend for f in found):
            continue
        for part in re.split(r"\s*(?:,|/|\band\b|&|\|)\s*", text[vstart:vend]):
            value = vocab.value_in_category(cat, part)
            if value is not None:
                offset = text.find(part, vstart, vend)
                add(cat, value, offset, offset + len(part))
    if garments:
        for m in vocab.garment_re.finditer(text):
            value = vocab.garment(m.group(0))
            if value is not None:
                add("garment", value, m.start(), m.end())
    found.sort(key=lambda x: (x.start, -x.end))
    return found
