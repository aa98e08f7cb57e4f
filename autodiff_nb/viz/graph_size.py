"""How wide a graph drawing is shown, and making it fit a notebook cell.

A drawing is never shown wider than ``max_width`` CSS pixels (``GRAPH_WIDTH_PX`` by default): its SVG's
width and height are scaled down and its viewBox kept, so the browser scales the picture exactly
(Graphviz's own ``size`` rounds its scale to two digits and clips the right edge); a PNG is scaled by
``size``. ``choose_rankdir`` picks left to right while that shows the drawing at ``COMFORTABLE_SCALE``
or more, else the direction that shows it larger.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import graphviz

GRAPH_WIDTH_PX = 900
"""The widest a drawing is shown, in CSS pixels: a notebook cell of a 1400 px wide window with the
file browser open is about 970 px."""
PX_PER_INCH = 96  # CSS pixels per inch; Graphviz sizes are in inches (72 pt)
COMFORTABLE_SCALE = 0.8
"""Shrinking a left-to-right drawing further than this (its 9 pt = 12 px edge labels under 9.6 px)
makes ``rankdir='auto'`` try top to bottom."""
_SVG_SIZE = re.compile(r'(<svg\b[^>]*?\bwidth=")([\d.]+)(pt|px)?("[^>]*?\bheight=")([\d.]+)(pt|px)?"')


def fit_svg(svg: str, max_width: float | None) -> str:
    """``svg`` with its width and height scaled down so it shows at most ``max_width`` CSS pixels
    wide (1 pt = 4/3 px); its viewBox is kept, so the browser scales the picture exactly."""
    match = _SVG_SIZE.search(svg)
    if max_width is None or match is None:
        return svg
    px_per_unit = 4 / 3 if match.group(3) in (None, "pt") else 1.0
    shown = float(match.group(2)) * px_per_unit
    if shown <= max_width:
        return svg
    factor = max_width / shown
    width, height = float(match.group(2)) * factor, float(match.group(5)) * factor
    unit, height_unit = match.group(3) or "", match.group(6) or ""
    fitted = (f"{match.group(1)}{width:.2f}{unit}{match.group(4)}{height:.2f}{height_unit}\"")
    return svg[:match.start()] + fitted + svg[match.end():]


def natural_width_px(drawing: graphviz.Digraph) -> float | None:
    """How wide ``drawing`` is at its natural size, in CSS pixels (its SVG's width, 1 pt = 4/3 px);
    None when nothing here can lay it out."""
    try:
        svg = drawing.pipe(format="svg", encoding="utf-8", quiet=True)
    except (graphviz.ExecutableNotFound, graphviz.CalledProcessError):
        return None
    match = _SVG_SIZE.search(svg)
    if match is None:
        return None
    return float(match.group(2)) * (4 / 3 if match.group(3) in (None, "pt") else 1.0)


def choose_rankdir(left_to_right: graphviz.Digraph, top_to_bottom: Callable[[], graphviz.Digraph],
                   max_width: float) -> str:
    """'LR' while the left-to-right drawing fits ``max_width`` at ``COMFORTABLE_SCALE`` or more,
    else whichever direction is shown larger once scaled to fit (ties and unknown widths: 'LR')."""
    wide = natural_width_px(left_to_right)
    if wide is None or max_width / wide >= COMFORTABLE_SCALE:
        return "LR"
    tall = natural_width_px(top_to_bottom())
    return "TB" if tall is not None and min(1.0, max_width / tall) > max_width / wide else "LR"
