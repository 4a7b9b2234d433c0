"""Finding mentions in text: vocabulary matches, catalog key lines, negation and styling scopes."""

from __future__ import annotations

import bisect
import re

from seamline.agents.lexicon.vocabulary import Mention, Vocabulary, vocabulary

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
# Run-on catalog care text: "Do not bleach or tumble dry Dry in shade" starts anew at the capital,
# unless a word that needs a continuation comes before it ("do not iron on Print").
_RUN_ON = re.compile(
    r"(?<![\w'])(?!(?:a|an|the|on|in|at|to|of|with|for|from|by|or|and|nor|your|its|any|use|using)\b)"
    r"[a-z][\w'-]*[ \t]+(?=[A-Z][a-z])"
)
# "Do not tumble dry, line dry in shade": after a comma, an instruction to follow, not a prohibition.
_POSITIVE_CARE = re.compile(
    r",\s*(?=(?:line|hang|drip|flat)[\s\-]+dry\b|dry[\s\-]+flat\b|[^,]*\b(?:in\s+(?:the\s+)?shade|inside\s+out)\b)",
    re.IGNORECASE,
)
_THE_PRODUCT = re.compile(r"\s*(?:this|these)\b", re.IGNORECASE)
_STYLING_END = re.compile(
    r",\s*(?:while|whereas|which|so|making|this|it|its|and\s+(?:it|this)"
    r"|made|crafted|handcrafted|designed|manufactured|produced|imported|sourced)\b",
    re.IGNORECASE,
)
_OR = re.compile(r"\b(?:or|nor)\b", re.IGNORECASE)
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
# A value that says the thing is absent ("Hood: No", "Number of Pockets: 0").
_ABSENT = re.compile(r"(?:no|none|nil|n/?a|0|false|without)", re.IGNORECASE)
# A key that names alternatives ("Knit or Woven", "Print or Pattern Type") asserts none of them.
_ALTERNATIVES = re.compile(r"\bor\b", re.IGNORECASE)


def _scopes(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[int]]:
    """Negation ranges, styling ranges, and the positions of negation triggers."""
    negs: list[tuple[int, int]] = []
    triggers: list[int] = []
    strong_triggers: list[tuple[int, int]] = []
    for m in _STRONG_NEG.finditer(text):
        strong_triggers.append(m.span())
        end = _CLAUSE_END.search(text, m.end())
        limit = end.start() if end else len(text)
        # A new clause (", this top ...") or twelve words end the scope too.
        turn = _NEW_CLAUSE.search(text, m.end(), limit)
        limit = turn.start() if turn else limit
        limit = _strong_limit(text, m.end(), limit)
        words = list(_WORDS.finditer(text, m.end(), limit))
        if len(words) > 12:
            limit = words[11].end()
        negs.append((m.start(), limit))
        triggers.append(m.start())
    for m in _WEAK_NEG.finditer(text):
        if any(a <= m.start() < b for a, b in strong_triggers):
            continue  # the "not" of "do not": its scope is the strong one
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
        if _THE_PRODUCT.match(text, m.end()):
            continue  # "your style with this checked shirt": the product itself, not what goes with it
        end = _CLAUSE_END.search(text, m.end())
        limit = end.start() if end else len(text)
        # A new clause or a participle after a comma ("..., while the fabric ...", ", made in Japan")
        # speaks of the product again.
        turn = _STYLING_END.search(text, m.end(), limit)
        styles.append((m.start(), turn.start() if turn else limit))
    return negs, styles, sorted(triggers)


def _strong_limit(text: str, start: int, limit: int) -> int:
    """Where a "do not" list ends early: at a run-on new sentence or at a positive care instruction."""
    first = _WORDS.search(text, start, limit)
    if first is not None and first.group(0)[0].islower():
        run_on = _RUN_ON.search(text, first.start(), limit)
        limit = run_on.end() if run_on else limit
    positive = _POSITIVE_CARE.search(text, start, limit)
    if positive is not None and not _OR.search(text, positive.end(), limit):
        limit = positive.start()
    return limit


def _inside(ranges: list[tuple[int, int]], start: int, end: int, triggers: list[int] | None = None) -> bool:
    for a, b in ranges:
        if a <= start < b or (a < end <= b):
            if triggers is not None and start <= a < end:
                continue  # the trigger is part of the mention itself ("no sleeves")
            return True
    return False


def _key_lines(text: str, vocab: Vocabulary) -> list[tuple[int, int, str, str, int]]:
    """Catalog lines "Key: value": (value start, value end, key, category the key names or "", key start)."""
    out = []
    for m in _KEY_LINE.finditer(text):
        raw = m.group(1)
        key = _CAMEL.sub(" ", raw).replace("_", " ").lower().strip()
        cat = vocab.key_category.get(re.sub(r"[\s\-]+", "", key))
        out.append((m.start(2), m.end(2), raw.strip(), cat or "", m.start(1)))
    return out


def _asserted_by_key(
    text: str, mention: Mention, line: tuple[int, int, str, str, int], found: list[Mention]
) -> bool:
    """Whether a value read in a catalog key ("Collar: Spread", "Number of Pockets: 2") is a claim.

    A key only names what its line is about. It asserts the value when the key offers no alternatives
    ("Knit or Woven"), the line's value does not say the thing is absent ("Hood: No") and the value
    says nothing more precise in that category ("Lining: Unlined", "Print or Pattern Type: Solid").
    """
    vstart, vend, key, _cat, _kstart = line
    if _ALTERNATIVES.search(key) or _ABSENT.fullmatch(text[vstart:vend].strip()):
        return False
    return not any(f.category == mention.category and vstart <= f.start < vend for f in found)


def find_mentions(text: str, vocab: Vocabulary, *, garments: bool = False) -> list[Mention]:
    """Every attribute mention in ``text``, in order, each framed by negation, styling and key lines."""
    if not text:
        return []
    negs, styles, triggers = _scopes(text)
    keys = _key_lines(text, vocab)
    key_starts = [k[0] for k in keys]
    found: list[Mention] = []

    def key_of(pos: int) -> tuple[int, int, str, str, int] | None:
        i = bisect.bisect_right(key_starts, pos) - 1
        if i >= 0 and keys[i][0] <= pos < keys[i][1]:
            return keys[i]
        return None

    def add(cat: str, value: str, start: int, end: int, core: int = -1) -> None:
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
                core=core,
            )
        )

    for m in vocab.attr_re.finditer(text):
        hit = vocab.lookup(m.group(0))
        if hit is None:
            continue
        cat, value = hit
        start = m.start()
        if not vocab.in_context(text, start, m.end()):
            k = key_of(start)
            if k is None or k[3] != cat:
                continue  # "dress it up or down": the word, not the material
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
            # A cut must take the place and its preposition ("in Italy"); "made" may stay with others.
            if group == "place":
                lead = text[m.start() : m.start("place")].rstrip()
                last = max(lead.rfind(" "), lead.rfind("\t"))
                add("origin", value, m.start(), m.end(group), m.start() + last + 1 if last >= 0 else -1)
            else:
                add("origin", value, m.start(group), m.end(group))
    # Catalog lines whose key names a category but whose value alone is not a surface form.
    for vstart, vend, _key, cat, _kstart in keys:
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
    # Values read inside a category key ("Knit or Woven: Woven") stand only where the key asserts them.
    in_key = [k for k in keys if k[3]]
    found = [
        f
        for f in found
        if not (line := next((k for k in in_key if k[4] <= f.start < k[0]), None))
        or _asserted_by_key(text, f, line, found)
    ]
    found.sort(key=lambda x: (x.start, -x.end))
    return found


def extract_mentions(text: str, *, garments: bool = False) -> list[Mention]:
    """Every attribute value the text mentions, in order; product types too when ``garments``."""
    return find_mentions(text, vocabulary(), garments=garments)
