#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Draw a `make bench` result (bench/last.json) as one SVG chart.

One row per case that has a peer: the keynet/peer ratio of each round
(keynet's round i against the peer's round i, measured back to back in the
same VM; for rows whose "self" is not keynet - a keynet variant or a mixed
keynet/WireGuard pair - that side's values instead of keynet's) as small
dots, the ratio of the medians as a bar, and the 1.0
line.  Rows whose unit is "lower is better" (RTT, memory, time) are drawn
inverted (peer/keynet) and marked so, so that right of 1.0 always means
keynet did better.  The x axis is logarithmic: 0.5x and 2x sit at the
same distance from 1.0.

Plain SVG written by hand: no plotting library to install.

Usage: bench/chart.py [IN.json] [OUT.svg]   (default bench/last.json,
       bench/last.svg)
"""
import json
import math
import sys
from xml.sax.saxutils import escape

LEFT = 330      # label column (wider when a label needs it: draw())
PLOT_W = 520    # the ratio axis
RIGHT = 130     # median ratio text
ROW_H = 26
TOP = 70
LO, HI = 0.25, 8.0   # axis range; values outside are clamped with an arrow


def lower_is_better(case):
    return "lower is better" in case["what"]


def ratio(k, p, inverted):
    if k is None or p is None or k <= 0 or p <= 0:
        return None
    return p / k if inverted else k / p


def xpos(r):
    r = min(max(r, LO), HI)
    span = math.log(HI) - math.log(LO)
    return LEFT + (math.log(r) - math.log(LO)) / span * PLOT_W


def rows_of(doc):
    rows = []
    for c in doc.get("cases", []):
        if c.get("peer") in (None, "-"):
            continue
        inv = lower_is_better(c)
        med = ratio(c.get("keynet_median"), c.get("peer_median"), inv)
        if med is None:
            continue
        kv, pv = c.get("keynet") or [], c.get("peer_values") or []
        rounds = [ratio(k, p, inv) for k, p in zip(kv, pv)]
        label = c["what"].replace(" (lower is better)", "")
        # Whose values stand against the peer's, when not keynet's.
        who = c.get("self") or "keynet"
        name = f'{label} vs {c["peer"]}' if who == "keynet" else \
            f'{label}: {who} vs {c["peer"]}'
        rows.append((name, inv, med, [r for r in rounds if r]))
    return rows


def draw(doc):
    global LEFT
    rows = rows_of(doc)
    # ~6.6 px per character at 12 px DejaVu Sans
    LEFT = max(330, 20 + int(6.6 * max((len(r[0]) + 2 for r in rows), default=0)))
    width = LEFT + PLOT_W + RIGHT
    height = TOP + ROW_H * max(len(rows), 1) + 60
    out = []
    w = out.append
    w(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
      f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" font-size="12">')
    w(f'<rect width="{width}" height="{height}" fill="white"/>')
    title = (f'keynet / peer, {doc.get("kernel", "?")}, {doc.get("ncpu", "?")} vCPUs (qemu TCG), '
             f'{doc.get("rounds", "?")} alternating rounds, {doc.get("date", "")}')
    w(f'<text x="10" y="22" font-size="14" font-weight="bold">{escape(title)}</text>')
    w('<text x="10" y="42" fill="#444">bar: ratio of the medians; dots: each round\'s '
      'ratio; right of 1.0 is better for keynet (rows marked \u21c4 are inverted: '
      'lower is better)</text>')
    # grid
    y0, y1 = TOP - 8, TOP + ROW_H * len(rows)
    for g in (0.25, 0.5, 1, 2, 4, 8):
        x = xpos(g)
        colour, sw = ("#c00", 2) if g == 1 else ("#ccc", 1)
        w(f'<line x1="{x:.1f}" y1="{y0}" x2="{x:.1f}" y2="{y1}" stroke="{colour}" stroke-width="{sw}"/>')
        w(f'<text x="{x:.1f}" y="{y1 + 16}" text-anchor="middle" fill="#444">{g:g}\u00d7</text>')
    for i, (name, inv, med, rounds) in enumerate(rows):
        yc = TOP + ROW_H * i + ROW_H / 2
        if i % 2:
            w(f'<rect x="0" y="{yc - ROW_H / 2:.1f}" width="{width}" height="{ROW_H}" '
              f'fill="#f4f4f4" fill-opacity="0.6"/>')
        name += ' \u21c4' if inv else ''
        w(f'<text x="{LEFT - 8}" y="{yc + 4:.1f}" text-anchor="end">{escape(name)}</text>')
        x1 = xpos(1.0)
        xm = xpos(med)
        colour = "#2a7" if med >= 1.0 else "#d62"
        w(f'<rect x="{min(x1, xm):.1f}" y="{yc - 6:.1f}" width="{abs(xm - x1):.1f}" '
          f'height="12" fill="{colour}" fill-opacity="0.55"/>')
        for r in rounds:
            w(f'<circle cx="{xpos(r):.1f}" cy="{yc:.1f}" r="3" fill="none" stroke="#333"/>')
        if rounds:
            lo, hi = min(rounds), max(rounds)
            w(f'<line x1="{xpos(lo):.1f}" y1="{yc:.1f}" x2="{xpos(hi):.1f}" y2="{yc:.1f}" '
              f'stroke="#333" stroke-width="1"/>')
        clamp = " (off scale)" if med < LO or med > HI else ""
        w(f'<text x="{LEFT + PLOT_W + 8}" y="{yc + 4:.1f}">{med:.2f}\u00d7{clamp}</text>')
    if not rows:
        w(f'<text x="{LEFT}" y="{TOP + 14}">no case with a peer in this run</text>')
    notes = doc.get("notes") or []
    if doc.get("quick"):
        notes = ["QUICK run: one round, one-shot ratios"] + notes
    for j, n in enumerate(notes[:2]):
        w(f'<text x="10" y="{y1 + 36 + 14 * j}" fill="#666" font-size="10">{escape(n[:160])}</text>')
    w('</svg>')
    return "\n".join(out) + "\n"


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "bench/last.json"
    dst = sys.argv[2] if len(sys.argv) > 2 else "bench/last.svg"
    with open(src) as f:
        doc = json.load(f)
    svg = draw(doc)
    with open(dst, "w") as f:
        f.write(svg)
    print(f"# chart: {dst} ({len(rows_of(doc))} rows)")


if __name__ == "__main__":
    main()
