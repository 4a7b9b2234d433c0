"""More ways to write a planted description: marketing prose and bullet lists.

The catalog style in critic_plants is one sentence shape; these two put the same supported and planted
statements in other shapes (introductory participles, feature lists, coordinated adjectives, bullets), so
the evaluation measures the editor on varied prose rather than on one template.
"""

from __future__ import annotations

import random

from seamline.agents.lexicon import indefinite_article
from seamline.evaluation.critic_plants import Planted, Writer

Plan = tuple[str, str, str, str]  # error type, position, text, key
_OPENERS = ["Elevate your wardrobe with", "Meet", "Discover", "Step out in", "Say hello to"]
_TOUCHES = ["a modern touch", "an easy charm", "a polished finish", "a relaxed vibe"]


def _article(text: str) -> str:
    return indefinite_article(text) + " "


def write_styled(
    style: str,
    rng: random.Random,
    truth: dict[str, str],
    plans: list[Plan],
    garment: str,
    fabric: str,
    brand: str,
) -> tuple[Writer, list[str]]:
    """The description in ``style`` (marketing or bullets) and its supported statements."""
    if style == "bullets":
        return _bullets(rng, truth, plans, garment, fabric)
    return _marketing(rng, truth, plans, garment, fabric, brand)


def _marketing(
    rng: random.Random, truth: dict[str, str], plans: list[Plan], garment: str, fabric: str, brand: str
) -> tuple[Writer, list[str]]:
    w = Writer()
    supported: list[str] = []
    plans = list(plans)
    adj = next((p for p in plans if p[1] == "adj"), None)
    w.add(rng.choice(_OPENERS) + " this ")
    if adj is not None and rng.random() < 0.5:
        plans.remove(adj)
        w.add(adj[2], Planted(adj[0]), key=adj[3], span=adj[2])
        w.add(", " if truth["colour"] else " ")
        adj = None
    if truth["colour"]:
        w.add(truth["colour"] + " ")
        supported.append(truth["colour"])
    w.add(garment)
    if brand and rng.random() < 0.5:
        w.add(f" from {brand}")
    w.add(". ")
    if fabric:
        w.add("Crafted from soft ")
        if adj is not None:
            plans.remove(adj)
            w.add(adj[2], Planted(adj[0]), key=adj[3], span=adj[2])
            w.add(" and " if rng.random() < 0.5 else " ")
            adj = None
        w.add(fabric)
        supported.append(fabric)
        w.add(", it")
    else:
        w.add("It")
    feats: list[tuple[str, Plan | None]] = [(v, None) for v in (truth["sleeve"], truth["neck"]) if v]
    supported += [v for v, _ in feats]
    for plan in [p for p in plans if p[1] == "with"]:
        plans.remove(plan)
        feats.insert(rng.randrange(len(feats) + 1), (plan[2], plan))
    if feats:
        w.add(" features ")
        for i, (text, feat_plan) in enumerate(feats):
            if i:
                w.add(" and " if i == len(feats) - 1 else ", ")
            bare = (
                text.endswith("s") or text == "sleeveless" or (feat_plan is not None and feat_plan[3] != text)
            )
            w.add("" if bare else _article(text))
            w.add(
                text,
                Planted(feat_plan[0]) if feat_plan else None,
                key=feat_plan[3] if feat_plan else None,
                span=text,
            )
    else:
        w.add(" is made to be worn often")
    w.add(". ")
    if truth["pattern"] in ("solid", "printed", "striped", "checked"):
        w.add(f"The {truth['pattern']} design adds {rng.choice(_TOUCHES)}")
        supported.append(truth["pattern"])
        if truth["fit"]:
            w.add(f", while the {truth['fit']} keeps it comfortable")
            supported.append(truth["fit"])
        w.add(". ")
    for kind, _pos, text, key in plans + ([adj] if adj else []):
        form = rng.choice(["clause", "sentence"])
        if form == "clause" and not text.startswith(("made", "crafted", "imported", "priced", "from", "a ")):
            w.add("Best of all, it is ")
            w.add(text, Planted(kind), key=key, span=text)
            w.add(" and easy to care for. ")
        else:
            lead = text[0].upper() + text[1:] if text.startswith(("made", "crafted", "imported")) else None
            if lead:
                w.add(lead, Planted(kind), key=key, span=lead)
                w.add(f", this {garment.split()[-1]} is a wardrobe essential. ")
            else:
                w.add("You will love that it is ")
                w.add(text, Planted(kind), key=key, span=text)
                w.add(". ")
    if truth["usage"] in ("casual", "formal", "sports"):
        w.add(f"Perfect for {truth['usage']} days.")
        supported.append(truth["usage"])
    return w, supported


def _bullets(
    rng: random.Random, truth: dict[str, str], plans: list[Plan], garment: str, fabric: str
) -> tuple[Writer, list[str]]:
    w = Writer()
    supported: list[str] = []
    colour = f"{truth['colour']} " if truth["colour"] else ""
    w.add(f"A {colour}{garment} you will reach for again and again.\n")
    if truth["colour"]:
        supported.append(truth["colour"])
    lines: list[tuple[str, Plan | None]] = []
    for label, value in (
        ("Fabric", fabric),
        ("Sleeves", truth["sleeve"]),
        ("Neck", truth["neck"]),
        ("Fit", truth["fit"]),
    ):
        if value:
            lines.append((f"{label}: {value}", None))
            supported.append(value)
    for planned in plans:
        lines.insert(rng.randrange(len(lines) + 1), (planned[2][0].upper() + planned[2][1:], planned))
    for text, line_plan in lines:
        w.add("- ")
        plant = Planted(line_plan[0]) if line_plan else None
        w.add(text, plant, key=line_plan[3] if line_plan else None, span=text)
        w.add("\n")
    w.add("Timeless and easy to style.")
    return w, supported
