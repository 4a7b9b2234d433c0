"""The style sheet of the HTML reports, inlined into every page (the pages load nothing from anywhere)."""

from __future__ import annotations

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
"""The pages' Content-Security-Policy: inline style only; no script, font, image or frame from anywhere."""

CSS = """
:root { --ink:#1f2933; --muted:#616e7c; --line:#d9e2ec; --bg:#f5f7fa; --accent:#2563eb;
  --kept:#d1fae5; --kept-line:#059669; --cut:#fee2e2; --cut-line:#b91c1c; --stop:#c2410c; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); line-height: 1.5;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 20px 24px 48px; }
h1 { font-size: 1.55rem; margin: 0 0 4px; }
h2 { font-size: 1.15rem; margin: 0 0 12px; }
h3 { font-size: 0.95rem; margin: 18px 0 6px; color: var(--muted); text-transform: uppercase;
  letter-spacing: .04em; }
a { color: var(--accent); }
section, header.run { background: #fff; border: 1px solid var(--line); border-radius: 10px;
  padding: 16px 20px; margin: 14px 0; }
.muted, .meta { color: var(--muted); }
.meta { font-size: .88rem; }
.pill { display: inline-block; padding: 1px 10px; border-radius: 999px; font-size: .82rem; font-weight: 600;
  background: #e0e7ff; color: #3730a3; margin-right: 6px; }
.pill.complete { background: var(--kept); color: #065f46; }
.pill.stopped, .pill.interrupted { background: #ffedd5; color: var(--stop); }
.pill.failed { background: var(--cut); color: var(--cut-line); }
.figures { display: flex; flex-wrap: wrap; gap: 8px 22px; margin: 10px 0 0; padding: 0; list-style: none; }
.figures b { font-size: 1.1rem; }
.warnings { margin: 10px 0 0; padding-left: 20px; color: var(--stop); font-size: .9rem; }
.cols { display: flex; flex-wrap: wrap; gap: 20px; align-items: flex-start; }
.cols > .wide { flex: 1 1 560px; min-width: 0; }
.cols > .side { flex: 1 1 320px; min-width: 0; }
.cols > .graph-box { flex: 0 1 540px; }
.cols > .graph-box + .side { flex: 1 1 380px; }
.graph-box { overflow-x: auto; }
.graph-box svg { max-width: 100%; height: auto; }
svg .node.ran:hover rect, svg a:focus rect { stroke-width: 3; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.num { white-space: nowrap; }
tr:target { background: #fef9c3; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .85em; }
.prose { font-size: 1.08rem; line-height: 1.75; margin: 0; }
a.claim { color: inherit; text-decoration: none; background: var(--kept);
  border-bottom: 2px solid var(--kept-line); border-radius: 3px; padding: 0 1px; }
a.claim:hover, a.claim:focus { background: #a7f3d0; outline: none; }
a.cut { color: var(--cut-line); text-decoration: none; }
a.cut del { background: var(--cut); text-decoration-thickness: 2px; border-radius: 3px; padding: 0 1px; }
a.cut sup { font-size: .7em; font-weight: 700; margin-left: 1px; }
.panel { position: sticky; top: 12px; }
.panel .hint { color: var(--muted); border: 1px dashed var(--line); border-radius: 8px; padding: 12px; }
.panel:has(.card:target) .hint { display: none; }
.card { display: none; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px;
  background: #fbfdff; }
.card:target { display: block; box-shadow: 0 2px 10px rgba(31,41,51,.12); }
.card h4 { margin: 0 0 6px; font-size: 1rem; }
.card .reason { margin: 0 0 8px; }
.verdict { font-weight: 700; }
.verdict.supported { color: var(--kept-line); }
.verdict.unsupported, .verdict.contradicted, .verdict.disputed { color: var(--cut-line); }
.quote { border-left: 3px solid var(--kept-line); margin: 8px 0; padding: 4px 10px; background: #f0fdf4;
  font-size: .9rem; }
.quote.against { border-left-color: var(--cut-line); background: #fef2f2; }
.quote mark { background: #fde68a; padding: 0 1px; }
.removed-list li { margin: 4px 0; }
.removed-list del { color: var(--cut-line); }
ol.steps { list-style: none; padding: 0; margin: 0; }
ol.steps > li { border-left: 3px solid var(--line); padding: 4px 0 8px 14px; margin: 0 0 6px; }
ol.steps > li.node-plan { border-left-color: #7c3aed; }
ol.steps > li.node-research { border-left-color: #0891b2; }
ol.steps > li.node-reflect { border-left-color: #ca8a04; }
ol.steps > li.node-draft { border-left-color: var(--accent); }
ol.steps > li.node-critic { border-left-color: var(--cut-line); }
ol.steps > li.stop { background: #fff7ed; }
ol.steps > li:target { background: #fef9c3; }
.step-head { font-weight: 600; }
.step-head .meta { font-weight: 400; margin-left: 6px; }
.step dl { display: grid; grid-template-columns: 110px 1fr; gap: 2px 10px; margin: 4px 0 0;
  font-size: .9rem; }
.step dt { color: var(--muted); }
.step dd { margin: 0; overflow-wrap: anywhere; }
.step ul { margin: 0; padding-left: 18px; }
.ev { border-top: 1px solid var(--line); padding: 10px 0; }
.ev:target { background: #fef9c3; }
.ev .tag { font-size: .78rem; font-weight: 600; padding: 0 7px; border-radius: 999px; margin-left: 4px; }
.tag.product { background: var(--kept); color: #065f46; }
.tag.general { background: #e5e7eb; color: #374151; }
.ev-text { white-space: pre-wrap; font-size: .9rem; margin: 4px 0 0; }
.chips a { display: inline-block; font-size: .8rem; background: var(--kept); border-radius: 999px;
  padding: 0 8px; margin: 2px 3px 0 0; text-decoration: none; color: #065f46; }
.chips a.against { background: var(--cut); color: var(--cut-line); }
.legend { font-size: .85rem; color: var(--muted); margin: 6px 0 0; }
.legend span { margin-right: 14px; }
.sw { display: inline-block; width: 12px; height: 12px; border-radius: 3px; vertical-align: -1px;
  margin-right: 4px; border: 1.5px solid; }
footer { color: var(--muted); font-size: .8rem; text-align: center; margin-top: 18px; }
"""
