"""A matplotlib figure shown as a PNG in an ``ipywidgets.Image``, redrawn quickly.

Redrawing. Each view owns matplotlib ``Figure``s that are never shown through pyplot (so nothing
else displays them and no global figure list grows). A change of a control updates the compute
object, redraws the figure off screen with Agg and hands PNG bytes to an ``ipywidgets.Image``. The
browser swaps the picture in place: no flicker, and no Output area that is cleared and refilled.
Text (tick labels, legends) is the slow part of a matplotlib draw, so the artists that move are
drawn over a cached picture of the rest (``FigureImage``). ``bench/bench_widgets.py`` measures it.

Size. A figure is made for the size it is shown at, in CSS pixels (``new_figure(900, 460)``), and
drawn with ``PIXEL_RATIO`` (2) picture pixels per CSS pixel; the <img> is styled to the CSS size
(never wider than its cell). Text is then as large as the notebook's own and sharp on high-density
screens, instead of a small picture stretched over the cell.
"""

from __future__ import annotations

import itertools
import struct
import zlib
from typing import Any

import ipywidgets
import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from PIL import Image

DPI = 96
"""CSS pixels per inch, as browsers count them: matplotlib's 10 pt text is 13.3 px on screen."""
PIXEL_RATIO = 2
"""Picture pixels per CSS pixel of the explorers' figures (high-density screens show 2 or more;
others scale the picture down smoothly). Redraw time grows with it: see bench/bench_widgets.py."""


def new_figure(width: float, height: float) -> Figure:
    """A figure to be shown ``width`` x ``height`` CSS pixels, drawn off screen by Agg at
    ``PIXEL_RATIO`` pixels per CSS pixel (not registered with pyplot: nothing shows it twice)."""
    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI * PIXEL_RATIO)
    FigureCanvasAgg(figure)
    return figure


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(canvas: FigureCanvasAgg) -> bytes:
    """The canvas's current pixels as an RGBA PNG: rows unfiltered, zlib's fastest level (twice as
    quick as Pillow's encoder on an 1800 x 900 picture; plots are mostly flat colour anyway)."""
    pixels = np.asarray(canvas.buffer_rgba())
    height, width, _ = pixels.shape
    rows = np.zeros((height, 1 + 4 * width), dtype=np.uint8)  # a 0 (no filter) before each row
    rows[:, 1:] = pixels.reshape(height, -1)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA, not interlaced
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + _png_chunk(b"IEND", b""))


_serials = itertools.count()


def _serial(artist: Artist) -> int:
    """A number that names this artist object for good (an ``id`` can be reused by a new artist
    once the old one is gone, which would make a stale background look current)."""
    serial = getattr(artist, "_autodiff_nb_serial", None)
    if serial is None:
        serial = next(_serials)
        artist._autodiff_nb_serial = serial
    return serial


def _artist_state(artist: Artist) -> tuple:
    """What a static artist looks like, as far as redrawing goes: its data, text and visibility."""
    kind = type(artist).__name__
    if isinstance(artist, Line2D):
        return (kind, _serial(artist), artist.get_visible(), artist.get_label(), artist.get_color(),
                np.asarray(artist.get_xdata(), dtype=float).tobytes(),
                np.asarray(artist.get_ydata(), dtype=float).tobytes())
    if isinstance(artist, Text):
        return (kind, _serial(artist), artist.get_visible(), artist.get_text(),
                artist.get_position())
    return (kind, _serial(artist), artist.get_visible())


def static_state(figure: Figure) -> tuple:
    """Everything that decides how the figure's non-animated part looks: limits, scales, artists."""
    state: list = [tuple(figure.get_size_inches())]
    for ax in figure.axes:
        state.append((ax.get_xlim(), ax.get_ylim(), ax.get_xscale(), ax.get_yscale(),
                      ax.get_position().bounds, ax.get_xlabel(), ax.get_ylabel()))
        state.extend(_artist_state(artist) for artist in ax.get_children()
                     if not artist.get_animated())
    return tuple(state)


class FigureImage:
    """A figure and the ``ipywidgets.Image`` that shows it; ``refresh()`` re-renders after changes.

    Artists marked with :meth:`dynamic` (``animated`` in matplotlib terms) are drawn on top of a
    cached picture of the rest ("blitting"): axes, ticks, labels and contours, the slow part, are
    only drawn again when something about them changed (``static_state`` differs).
    """

    def __init__(self, figure: Figure) -> None:
        self.figure = figure
        width, height = self.css_size
        self.widget = ipywidgets.Image(format="png", layout=ipywidgets.Layout(
            width=f"{width}px", max_width="100%", height="auto", flex="0 0 auto"))
        self.renders = 0
        self.full_draws = 0
        self._background: Any = None
        self._state: tuple | None = None

    @property
    def css_size(self) -> tuple[int, int]:
        """(width, height) the picture is shown at, in CSS pixels."""
        width, height = self.figure.get_size_inches() * DPI
        return round(width), round(height)

    def shown_pixels(self) -> np.ndarray:
        """The picture drawn last at its shown size (RGBA, one pixel per CSS pixel)."""
        pixels = canvas_pixels(self.figure.canvas)
        if PIXEL_RATIO == 1:
            return pixels
        return np.asarray(Image.fromarray(pixels).reduce(PIXEL_RATIO), dtype=np.uint8)

    @staticmethod
    def dynamic(*artists: Artist | None) -> None:
        """Mark artists that change on every update (lines, markers, legends with numbers)."""
        for artist in artists:
            if artist is not None:
                artist.set_animated(True)

    def invalidate(self) -> None:
        """Force a full redraw next time (after restyling a static artist, which is not tracked)."""
        self._background = None

    def draw(self) -> None:
        """Render the figure into the canvas: the cached background if still valid, then the
        dynamic artists in z-order."""
        canvas = self.figure.canvas
        state = static_state(self.figure)
        if self._background is None or state != self._state:
            canvas.draw()  # leaves out animated artists
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            self._state = state
            self.full_draws += 1
        else:
            canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for ax in self.figure.axes:
            moving = [artist for artist in ax.get_children() if artist.get_animated()]
            for artist in sorted(moving, key=lambda artist: artist.get_zorder()):
                if artist.get_visible():
                    artist.draw(renderer)

    def refresh(self) -> None:
        self.draw()
        self.widget.value = png_bytes(self.figure.canvas)
        self.renders += 1


def canvas_pixels(canvas: FigureCanvasAgg) -> np.ndarray:
    """A copy of the canvas's current pixels, rows top to bottom, as an (h, w, 4) uint8 array."""
    return np.array(canvas.buffer_rgba(), dtype=np.uint8)
