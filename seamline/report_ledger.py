"""The claim ledger of a run report: each claim marked in the text, with its evidence quoted beside it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape as h

from seamline.results import Claim, DescribeResult, Evidence

_WORD = re.compile(r"[a-z0-9%]{4,}")


def ledger_section(result: DescribeResult, ev_index: dict[str, int]) -> str:
    """The claim ledger: the description and the draft with every claim marked, and a card for each claim."""
    evidence = {e.id: e for e in result.evidence}
    kept = _spans(result.description, result.claims, use_removed_text=False)
    description = _marked(
        result.description, kept, lambda i: (f'<a class="claim" href="#claim-{i}">', "</a>")
    )
    draft_text = _critic_draft(result)
    cut = _spans(draft_text, result.removed, use_removed_text=True)
    draft = _marked(
        draft_text,
        cut,
        lambda j: (
            f'<a class="cut" href="#cut-{j}" title="{h(_why(result.removed[j]))}"><del>',
            f"</del><sup>{j + 1}</sup></a>",
        ),
    )
    cards = [_claim_card(f"claim-{i}", c, evidence, ev_index) for i, c in enumerate(result.claims)]
    cards += [_claim_card(f"cut-{j}", c, evidence, ev_index) for j, c in enumerate(result.removed)]
    removed = "".join(
        f'<li><a href="#cut-{j}"><del>{h(c.text)}</del></a> <span class="meta">{h(c.category)} · '
        f'<span class="verdict {h(c.verdict)}">{h(c.verdict)}</span>'
        + (f" · {h(c.reason)}" if c.reason else "")
        + (f" · cut “{h(c.removed_text)}”" if c.removed_text else "")
        + "</span></li>"
        for j, c in enumerate(result.removed)
    )
    ledger = "".join(
        f'<tr><td><a href="#{anchor}">{h(c.text)}</a></td><td>{h(c.category)}{_kind(c)}</td>'
        f'<td><span class="verdict {h(c.verdict)}">{_mark(c)} {h(c.verdict)}</span></td>'
        f"<td>{ev_links(c.evidence_ids, ev_index)}</td></tr>"
        for anchor, c in [(f"claim-{i}", c) for i, c in enumerate(result.claims)]
        + [(f"cut-{j}", c) for j, c in enumerate(result.removed)]
    )
    details = "".join(
        f"<tr><td>{h(d.attribute)}</td><td>{h(d.value)}</td>"
        f"<td>{ev_links(d.evidence_ids, ev_index)}</td></tr>"
        for d in result.details
    )
    main = (
        f'<p class="prose description">{description or "<span class=muted>(empty)</span>"}</p>'
        f'<p class="meta">{len(result.claims)} claims kept, each highlighted: '
        "click one to see its evidence.</p>"
    )
    if draft_text:
        main += f'<h3>The draft, with what the critic removed</h3><p class="prose draft">{draft}</p>'
    if removed:
        main += f'<h3>Claims removed</h3><ol class="removed-list">{removed}</ol>'
    if details:
        main += (
            "<h3>Details (computed from evidence)</h3><table><tr><th>attribute</th><th>value</th>"
            f"<th>evidence</th></tr>{details}</table>"
        )
    if ledger:
        main += (
            "<h3>Claim ledger</h3><table><tr><th>claim</th><th>category</th><th>verdict</th>"
            f"<th>evidence</th></tr>{ledger}</table>"
        )
    panel = '<p class="hint">Click a highlighted claim, or a struck-through one, to see its evidence.</p>'
    return (
        '<section id="description"><h2>Description</h2><div class="cols">'
        f'<div class="wide">{main}</div><aside class="side panel">{panel}{"".join(cards)}</aside>'
        "</div></section>"
    )


# --- claims in text ----------------------------------------------------------------------------------


def _spans(text: str, claims: Sequence[Claim], *, use_removed_text: bool) -> list[tuple[int, int, int]]:
    """Where each claim sits in ``text``, as (start, end, claim index), sorted and not overlapping.

    The recorded offsets are used when they still point at the claim's words; otherwise (a later text,
    an older run) the words are searched for. For a removed claim the span is what the critic cut when
    that lies over the claim ("and made in Italy"), else the claim's own words.
    """
    low = text.lower()
    found: list[tuple[int, int, int]] = []
    for i, claim in enumerate(claims):
        span = _locate(low, claim.text.lower(), claim.start, found)
        if span is None:
            continue
        if use_removed_text and claim.removed_text:
            cut = claim.removed_text.strip().rstrip(".").lower()
            over = [at for at in _all(low, cut) if at < span[1] and span[0] < at + len(cut)] if cut else []
            if over:
                span = (over[0], over[0] + len(cut))
        if not any(s < span[1] and span[0] < e for s, e, _ in found):
            found.append((span[0], span[1], i))
    return sorted(found)


def _locate(
    low: str, needle: str, hint: int, taken: Sequence[tuple[int, int, int]]
) -> tuple[int, int] | None:
    if not needle:
        return None
    if 0 <= hint and low[hint : hint + len(needle)] == needle:
        return hint, hint + len(needle)
    at = low.find(needle)
    while at != -1:
        if not any(s < at + len(needle) and at < e for s, e, _ in taken):
            return at, at + len(needle)
        at = low.find(needle, at + 1)
    return None


def _marked(text: str, spans: Sequence[tuple[int, int, int]], tags) -> str:  # type: ignore[no-untyped-def]
    out, pos = [], 0
    for start, end, i in spans:
        opening, closing = tags(i)
        out.append(h(text[pos:start]) + opening + h(text[start:end]) + closing)
        pos = end
    out.append(h(text[pos:]))
    return "".join(out)


def _critic_draft(result: DescribeResult) -> str:
    """The draft the critic judged last: the revised one when the run revised, else the first."""
    drafts = [s.observations[0] for s in result.steps if s.node == "draft" and s.observations]
    return drafts[-1] if drafts else result.draft


def _claim_card(anchor: str, claim: Claim, evidence: dict[str, Evidence], ev_index: dict[str, int]) -> str:
    kept = claim.verdict == "supported"
    quotes = "".join(
        _quote(evidence[eid], claim, ev_index.get(eid, 0), against=not kept)
        for eid in claim.evidence_ids
        if eid in evidence
    )
    if not quotes:
        quotes = '<p class="muted">No product evidence states it.</p>' if not kept else ""
    cut = f'<p class="meta">Cut from the draft: “{h(claim.removed_text)}”</p>' if claim.removed_text else ""
    return (
        f'<div class="card" id="{anchor}"><h4><span class="verdict {h(claim.verdict)}">'
        f"{_mark(claim)} {h(claim.verdict)}</span> · {h(claim.category)}: “{h(claim.text)}”</h4>"
        f'<p class="reason">{h(_why(claim))}</p>{cut}{quotes}</div>'
    )


def _kind(claim: Claim) -> str:
    """A general claim says so beside its category: it explains a term and may cite knowledge."""
    return ' <span class="meta">· general</span>' if claim.kind == "general" else ""


def _mark(claim: Claim) -> str:
    return "✓" if claim.verdict == "supported" else "✗"


def _why(claim: Claim) -> str:
    value = f" (value: {claim.value})" if claim.value and claim.value.lower() != claim.text.lower() else ""
    return (claim.reason or claim.verdict) + value


def _quote(ev: Evidence, claim: Claim, index: int, *, against: bool) -> str:
    """An excerpt of the evidence around where it states the claim, the matching words marked."""
    terms = _terms(claim)
    low = ev.text.lower()
    hits = sorted((at, at + len(t)) for t in terms for at in _all(low, t))
    first = hits[0][0] if hits else 0
    lo = max(0, first - 220)
    hi = min(len(ev.text), max(first + 280, lo + 400))
    window = [(max(s, lo) - lo, min(e, hi) - lo, 0) for s, e in hits if s >= lo and e <= hi]
    merged: list[tuple[int, int, int]] = []
    for s, e, _ in window:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]), 0)
        else:
            merged.append((s, e, 0))
    excerpt = _marked(ev.text[lo:hi], merged, lambda _i: ("<mark>", "</mark>"))
    excerpt = ("…" if lo else "") + excerpt + ("…" if hi < len(ev.text) else "")
    tag = "about this product" if ev.about_product else "not about this product"
    return (
        f'<div class="quote{" against" if against else ""}"><div class="meta"><a href="#ev-{index}">'
        f"[{h(ev.id)}]</a> {h(ev.source)} · {tag} · {h(ev.title)}</div>"
        f'<div class="ev-text">{excerpt}</div></div>'
    )


def _terms(claim: Claim) -> list[str]:
    """Words to mark in the evidence: the claim's words, its value, and their stems ("checked" -> "check")."""
    terms = {claim.text.lower(), claim.value.lower()}
    for word in _WORD.findall(f"{claim.text} {claim.value}".lower()):
        terms.add(word)
        for suffix in ("ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                terms.add(word[: -len(suffix)])
                break
    return [t for t in terms if t]


def _all(low: str, term: str) -> list[int]:
    out, at = [], low.find(term)
    while at != -1:
        out.append(at)
        at = low.find(term, at + 1)
    return out


# --- small pieces -------------------------------------------------------------------------------------


def ev_links(ids: Sequence[str], ev_index: dict[str, int]) -> str:
    """Links to the evidence items ``ids`` in the page's evidence section."""
    return " ".join(
        f'<a href="#ev-{ev_index[i]}" class="mono">{h(i)}</a>'
        if i in ev_index
        else f'<span class="mono">{h(i)}</span>'
        for i in ids
    )
