"""The fashion vocabulary (agents/vocab/*.json): categories, values, aliases, and the finders built on them.

One vocabulary serves the critic, the writer, the planner's gap analysis, the analyst and the evaluation.
Each category file lists canonical values with aliases (navy -> navy blue, tee -> t-shirt) and parents
(navy blue is contained in blue), so support can be decided on normalised values. Regexes are compiled
once, lazily.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# Categories a description can make claims in (garment is read only to know the product type).
ATTRIBUTE_CATEGORIES = (
    "colour",
    "material",
    "pattern",
    "fit",
    "neck",
    "collar",
    "sleeve",
    "length",
    "closure",
    "occasion",
    "season",
    "audience",
    "care",
    "feature",
    "certification",
    "origin",
)

_SEP = "\x00"  # a space or hyphen inside an alias: matches any run of spaces and hyphens, or none
_SEP_RE = r"[ \t\-]*"
_PLURAL = r"(?:e?s|['’]s)?"
_NORM_RE = re.compile(r"[\s\-]+")


@dataclass(frozen=True, slots=True)
class Mention:
    """One attribute value found in a text, with where it is and how it is framed."""

    category: str
    value: str
    start: int
    end: int
    surface: str
    negated: bool = False
    """Inside a negation ("do not bleach", "no pockets"): states the value is absent."""
    styling: bool = False
    """Inside a styling suggestion ("pair it with blue jeans"): says nothing about the product."""
    key: str | None = None
    """The key of the catalog line ("Fabric: Cotton") the value sits in, if any."""
    core: int = -1
    """Where the part a cut must take starts, when a lead may stay: "in Italy" of "made in Italy"."""


@dataclass(slots=True)
class Category:
    """One category file: its values, how values relate and how catalog keys name it."""

    name: str
    group: str | None
    negatable: bool
    key_suffix: str
    values: dict[str, dict] = field(default_factory=dict)
    ancestors: dict[str, frozenset[str]] = field(default_factory=dict)
    key_only: dict[str, str] = field(default_factory=dict)


def norm(text: str) -> str:
    """The lookup key of a surface form: lower case, spaces and hyphens dropped."""
    return _NORM_RE.sub("", text.lower())


def _trie_regex(words: Iterable[str]) -> str:
    """One regex alternation shaped as a prefix tree, so matching costs little per position."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        alts = []
        for ch in sorted(k for k in node if k):
            piece = _SEP_RE if ch == _SEP else re.escape(ch)
            alts.append(piece + build(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return "(?:" + body + ")?"
        return body

    return build(trie)


def _alias_key(alias: str) -> str:
    return _SEP.join(p for p in _NORM_RE.split(alias.lower().strip()) if p)


class Vocabulary:
    """The loaded vocabulary: categories, the surface index and the compiled finders."""

    def __init__(self, files: dict[str, dict], brands: list[str]) -> None:
        self.categories: dict[str, Category] = {}
        self.garments: Category | None = None
        self.surface: dict[str, tuple[str, str]] = {}
        self.garment_surface: dict[str, str] = {}
        self.key_category: dict[str, str] = {}
        self.needs: dict[str, list[str]] = {}
        self.default_needs: list[str] = []
        self.origin_spec: dict = {}
        self.modifiers: list[str] = []
        self.name_only: dict[str, tuple[str, str]] = {}
        self.bare_context: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {}
        """Values whose bare word is an attribute only in context ("duck down", not "dress it down")."""
        self.brands = brands
        for data in files.values():
            self._add(data)
        attr_aliases = [_alias_key(a) for a in self._aliases(exclude=("garment", "origin"))]
        self.attr_re = re.compile(
            r"(?<![\w/])(?:" + _trie_regex(attr_aliases) + ")" + _PLURAL + r"(?![\w])", re.IGNORECASE
        )
        garment_aliases = [_alias_key(a) for a in self.garment_surface_forms]
        self.garment_re = re.compile(
            r"(?<![\w])(?:" + _trie_regex(garment_aliases) + ")" + _PLURAL + r"(?![\w])", re.IGNORECASE
        )
        self._compile_origin()
        name_aliases = [_alias_key(a) for a in self.name_only]
        self.name_re = re.compile(r"(?<![\w])(?:" + _trie_regex(name_aliases) + r")(?![\w])", re.IGNORECASE)
        mods = "|".join(re.escape(m) for m in self.modifiers)
        self.colour_modifier_re = re.compile(r"(?:^|(?<=[\s\-]))(" + mods + r")[\s\-]+$", re.IGNORECASE)
        brand_alts = _trie_regex(sorted({b.replace(" ", _SEP) for b in brands}))
        self.brand_re = re.compile(r"(?<![\w])(?:" + brand_alts + r")(?:['’]s)?(?![\w])") if brands else None

    # -- loading ---------------------------------------------------------------------------------

    def _add(self, data: dict) -> None:
        name = data["category"]
        cat = Category(
            name=name,
            group=data.get("group"),
            negatable=bool(data.get("negatable", False)),
            key_suffix=data.get("key_suffix", ""),
            values=data["values"],
        )
        for key in data.get("key_names", []):
            self.key_category[norm(key)] = name
        if name == "garment":
            self.garments = cat
            self.default_needs = list(data.get("default_needs", []))
            self.garment_surface_forms: list[str] = []
            for value, spec in cat.values.items():
                self.needs[value] = list(spec.get("needs", self.default_needs))
                for alias in [value, *spec.get("aliases", [])]:
                    self.garment_surface[norm(alias)] = value
                    self.garment_surface_forms.append(alias)
        elif name == "origin":
            self.origin_spec = data
        if name == "colour":
            self.modifiers = list(data.get("modifiers", []))
        for value, spec in cat.values.items():
            if name not in ("garment", "origin"):
                for alias in [value, *spec.get("aliases", [])]:
                    key = norm(alias)
                    if key in self.surface and self.surface[key] != (name, value):
                        raise ValueError(
                            f"vocabulary: {alias!r} is both {self.surface[key]} and {(name, value)}"
                        )
                    self.surface[key] = (name, value)
            for alias in spec.get("key_aliases", []):
                cat.key_only[norm(alias)] = value
            if "bare_context" in spec:
                ctx = spec["bare_context"]
                self.bare_context[norm(value)] = (
                    re.compile(ctx.get("before", "(?!)"), re.IGNORECASE),
                    re.compile(ctx.get("after", "(?!)"), re.IGNORECASE),
                )
            for alias in spec.get("name_aliases", []):
                self.name_only[norm(alias)] = (name, value)
        for value in cat.values:
            cat.ancestors[value] = frozenset(self._walk(cat, value))
        self.categories[name] = cat

    def _walk(self, cat: Category, value: str) -> set[str]:
        seen: set[str] = set()
        todo = list(cat.values.get(value, {}).get("parents", []))
        while todo:
            parent = todo.pop()
            if parent not in seen:
                seen.add(parent)
                todo.extend(cat.values.get(parent, {}).get("parents", []))
        return seen

    def _aliases(self, exclude: tuple[str, ...]) -> list[str]:
        out = []
        for cat in self.categories.values():
            if cat.name in exclude:
                continue
            for value, spec in cat.values.items():
                out.extend([value, *spec.get("aliases", [])])
        return out

    def _compile_origin(self) -> None:
        spec = self.origin_spec
        self.origin_surface: dict[str, str] = {}
        countries: list[str] = []
        for value, vspec in spec.get("values", {}).items():
            for alias in [value, *vspec.get("aliases", [])]:
                self.origin_surface[norm(alias)] = value
                countries.append(_alias_key(alias))
        intro = _trie_regex(_alias_key(i) for i in spec.get("introducers", []))
        heads = _trie_regex(_alias_key(h) for h in spec.get("demonym_heads", []))
        place = _trie_regex(countries)
        self.origin_re = re.compile(
            rf"(?<![\w])(?:(?:{intro})\s+(?:the\s+)?(?P<place>{place})(?![\w])"
            rf"|(?P<demonym>{place})[\s\-]+(?:{heads})(?![\w]))",
            re.IGNORECASE,
        )

    # -- lookups ---------------------------------------------------------------------------------

    def lookup(self, surface: str) -> tuple[str, str] | None:
        """The (category, canonical value) of an attribute surface form, plural or not."""
        key = norm(surface)
        hit = self.surface.get(key)
        if hit is None:
            for suffix in ("'s", "’s", "es", "s"):
                if key.endswith(suffix) and key[: -len(suffix)] in self.surface:
                    return self.surface[key[: -len(suffix)]]
        return hit

    def garment(self, surface: str) -> str | None:
        """The canonical product type of a surface form (tee -> t-shirt)."""
        key = norm(surface)
        hit = self.garment_surface.get(key)
        if hit is None:
            for suffix in ("es", "s"):
                if key.endswith(suffix) and key[: -len(suffix)] in self.garment_surface:
                    return self.garment_surface[key[: -len(suffix)]]
        return hit

    def value_in_category(self, category: str, text: str) -> str | None:
        """A catalog value read in a known category ("Fit: Slim" -> slim fit, "Season: Fall" -> autumn)."""
        cat = self.categories.get(category)
        if cat is None:
            return None
        key = norm(text)
        if key in cat.key_only:
            return cat.key_only[key]
        for candidate in (key, key + norm(cat.key_suffix)):
            hit = self.surface.get(candidate)
            if hit is not None and hit[0] == category:
                return hit[1]
        if category == "origin":
            return self.origin_surface.get(key)
        return None

    def in_context(self, text: str, start: int, end: int) -> bool:
        """Whether a bare word with a context rule (see ``bare_context``) stands in its context."""
        rule = self.bare_context.get(norm(text[start:end]))
        if rule is None:
            return True
        before, after = rule
        return bool(before.search(text[max(0, start - 40) : start]) or after.search(text[end : end + 40]))

    def name_mentions(self, name: str) -> list[Mention]:
        """Values only a product name states with that word ("Turtle Check Men Shirt": checked).

        Retailers name products tersely; a word that would be ambiguous in prose ("check the size
        chart") is a reliable attribute in a name. Only the name evidence is read this way.
        """
        found = []
        for m in self.name_re.finditer(name) if self.name_only else ():
            category, value = self.name_only[norm(m.group(0))]
            found.append(Mention(category, value, m.start(), m.end(), m.group(0)))
        return found

    def form(self, category: str, value: str) -> str | None:
        """How a value is said, where its category file gives a form: "adjective" or "noun"."""
        cat = self.categories.get(category)
        spec = cat.values.get(value) if cat is not None else None
        return spec.get("form") if spec else None

    def values_of_form(self, category: str, form: str) -> frozenset[str]:
        """The values of a category said in one form (sleeve, "adjective" -> {"sleeveless"})."""
        cat = self.categories.get(category)
        if cat is None:
            return frozenset()
        return frozenset(v for v, spec in cat.values.items() if spec.get("form") == form)

    def ancestors(self, category: str, value: str) -> frozenset[str]:
        """The values that contain ``value`` (navy blue -> blue, dark blue); a shade's family too."""
        cat = self.categories.get(category)
        if cat is None:
            return frozenset()
        if value in cat.ancestors:
            return cat.ancestors[value]
        if category == "colour" and " " in value:  # "light blue": a modifier before a family colour
            family = value.split(" ", 1)[1]
            return frozenset({family}) | cat.ancestors.get(family, frozenset())
        return frozenset()

    def group_of(self, category: str) -> list[str]:
        """The categories judged together with ``category`` (neck and collar are one neckline)."""
        spec = self.categories.get(category)
        if spec is None or not spec.group:
            return [category]
        return [c for c, s in self.categories.items() if s.group == spec.group]

    def related(self, category: str, a: str, b: str) -> bool:
        """True when one value contains the other (navy blue and blue) or they are equal."""
        return a == b or a in self.ancestors(category, b) or b in self.ancestors(category, a)

    def implies(self, category: str, stated: str, claimed: str) -> bool:
        """True when a stated value supports a claimed one: equal, or the claim is its family."""
        return stated == claimed or claimed in self.ancestors(category, stated)


@functools.cache
def vocabulary() -> Vocabulary:
    """The packaged vocabulary, loaded and compiled once per process."""
    folder = Path(__file__).resolve().parent.parent / "vocab"  # seamline.agents/vocab, package data
    files = {}
    brands: list[str] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".json"):
            files[entry.name] = json.loads(entry.read_text(encoding="utf-8"))
        elif entry.name == "brands.txt":
            lines = entry.read_text(encoding="utf-8").splitlines()
            brands = [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]
    return Vocabulary(files, brands)
