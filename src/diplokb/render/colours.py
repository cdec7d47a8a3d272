"""Topic colours: each depends on its topic alone, and reads in light and dark mode.

A topic's hue is its file's ``colour:`` (its hue and chroma kept), else one its slug picks (a
hash, so no other topic's arrival moves it). From the hue, the colour's lightness is set in
OKLCH (ColorAide) to the first step that meets WCAG contrast on each scheme's background: in
light mode 4.5:1 against white (the graph writes white numbers on it, and 3:1 is the bar for
marks), in dark mode 3:1 against Material's slate background and 4.5:1 for the black numbers
written on it. Pages carry the two values as custom properties (``--kb-cl``, ``--kb-cd``); the
stylesheet picks one by scheme.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass

from coloraide import Color

LIGHT_BG = "#ffffff"  # Material's default scheme
DARK_BG = "#1e2129"  # Material's slate: hsl(225deg 15% 14%)
TEXT = 4.5  # WCAG 1.4.3, numbers written on the colour
MARK = 3.0  # WCAG 1.4.11, the colour against the page
CHROMA = 0.15  # a slug's colour: as vivid as sRGB allows at these lightnesses for most hues


@dataclass(frozen=True)
class TopicColour:
    light: str  # "#rrggbb" on the light scheme
    dark: str  # on the dark scheme

    def style(self) -> str:
        """The custom properties an element carries (the stylesheet's ``.kb-c`` reads them)."""
        return f"--kb-cl:{self.light};--kb-cd:{self.dark}"


def slug_hue(slug: str) -> float:
    """A hue in degrees that only the slug decides."""
    return int(hashlib.sha256(slug.encode("utf-8")).hexdigest()[:8], 16) % 3600 / 10


def _first(hue: float, chroma: float, lightness: float, step: float, ok: Callable[[Color], bool]) -> str:
    """The colour of ``hue`` from ``lightness`` onwards by ``step`` (in gamut) that ``ok`` accepts."""
    for _ in range(100):
        c = Color("oklch", [lightness, chroma, hue]).convert("srgb").fit("srgb")
        if ok(c):
            return str(c.to_string(hex=True))
        lightness = min(1.0, max(0.0, lightness + step))
    return "#000000" if step < 0 else "#ffffff"


def topic_colour(slug: str, colour: str = "") -> TopicColour:
    """The light and dark colour of a topic: from its ``colour:`` (``#rrggbb``), else from its slug."""
    if colour:
        base = Color(colour).convert("oklch")
        # A grey has no hue (NaN): it stays grey, at the lightness the contrast asks for.
        hue, chroma, start = 0.0 if math.isnan(base["hue"]) else base["hue"], base["chroma"], base["lightness"]
    else:
        hue, chroma, start = slug_hue(slug), CHROMA, 0.6
    light = _first(hue, chroma, min(start, 0.62), -0.01, lambda c: c.contrast(LIGHT_BG, method="wcag21") >= TEXT)
    dark = _first(
        hue,
        chroma,
        max(start, 0.62),
        0.01,
        lambda c: c.contrast(DARK_BG, method="wcag21") >= MARK and c.contrast("#000000", method="wcag21") >= TEXT,
    )
    return TopicColour(light, dark)
