"""What every explorer view shares: figures shown as PNGs (:mod:`.figure_image`), controls, a
message line and guarded updates.

Threads. JupyterLab 4.6 with ipykernel 7 delivers widget messages on a kernel subshell's thread as
well as the main thread, so two control changes can be handled at the same moment. Two redraws of
one figure at once mix their pictures (stale curves, two legends over each other). So a view takes
its changes one at a time (a lock around "apply the change, redraw"), a change that finds another
one waiting leaves the drawing to it (only the last state is drawn), and every redraw draws from
the whole current state: after any burst of changes the picture is the one a fresh view with the
final settings draws.

Errors. A control set to an unusable value (a batch of 0 examples, a step h of 0) must not end in a
traceback in the notebook: the view shows the error's message in red and keeps the last good
picture.

Pictures. A widget is only alive next to a kernel; GitHub, nbviewer and the course website show a
saved notebook without one. So an explorer's display data carries, beside the widget view, an
``image/png`` of its pictures as they are when it is shown, with a line saying that it is
interactive in Jupyter. JupyterLab, Colab and VS Code show the live widget; static renderers, which
cannot, show the PNG. (Works with ipywidgets 7.7, as on Colab, and 8.)
"""

from __future__ import annotations

import base64
import html
import io
import math
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from .figure_image import DPI, FigureImage, png_bytes

PICTURE_WIDTH = 900
"""CSS pixels an explorer's pictures span: a notebook cell of a 1400 px window with the file browser
open is about 970 px wide. Heights are chosen so that controls and picture fit a 900 px screen."""
SLIDER_WIDTH = 420
"""CSS pixels of a slider with its label and readout (two fit side by side in PICTURE_WIDTH)."""

NUMBERS_TABLE = "border-spacing:14px 2px;margin-left:-14px;line-height:1.4"
"""Style of the small tables of numbers beside the controls: columns apart, rows close."""

PROBLEMS = (ValueError, TypeError, ArithmeticError)
"""What a bad setting raises; shown as a message in the view instead of a traceback."""

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
INTERACTIVE_NOTE = "\u25b6 Interactive in Jupyter: run this notebook to move the controls."
"""The line under an explorer's picture in saved notebooks (see "Pictures" above)."""


def log_grid(value: float, low_exponent: float, high_exponent: float,
             step: float) -> tuple[float, float]:
    """(min, max) exponents of a grid of ``step`` through log10(value), reaching at least down to
    ``low_exponent`` and at most up to ``high_exponent``. A log slider on it shows ``value``
    exactly (on any other grid the browser snaps the handle, and the readout, to a grid point)."""
    center = math.log10(value) if value > 0 else low_exponent
    below = math.ceil((center - low_exponent) / step - 1e-9)
    above = math.floor((high_exponent - center) / step + 1e-9)
    return center - below * step, center + above * step


def log_slider(description: str, value: float, low_exponent: float, high_exponent: float,
               step: float = 0.1, readout_format: str = ".1e") -> ipywidgets.FloatLogSlider:
    """A slider over about 10**low_exponent .. 10**high_exponent that moves in equal ratios."""
    low, high = log_grid(value, low_exponent, high_exponent, step)
    control = ipywidgets.FloatLogSlider(
        value=value, base=10, min=low, max=high, step=step,
        description=description, readout_format=readout_format, continuous_update=True,
        style={"description_width": "initial"}, layout=fixed_width(SLIDER_WIDTH),
    )
    control.exponent_range = (low_exponent, high_exponent)
    return control


def move_log_slider(control: ipywidgets.FloatLogSlider, value: float) -> None:
    """Set a log slider to ``value``, moving its grid so that ``value`` is on it."""
    move_slider(control, value, *log_grid(value, *control.exponent_range, control.step))


def move_slider(control: ipywidgets.FloatSlider, value: float, low: float, high: float) -> None:
    """Give a slider the range (low, high) and the value ``value`` (widening first, so that no
    intermediate state has min > max or clips the value)."""
    with control.hold_trait_notifications():
        control.min, control.max = min(low, control.min), max(high, control.max)
        control.value = value
        control.min, control.max = low, high


def slider(description: str, value: float, low: float, high: float, step: float = 0.01,
           readout_format: str = ".2f") -> ipywidgets.FloatSlider:
    return ipywidgets.FloatSlider(
        value=value, min=low, max=high, step=step, description=description,
        readout_format=readout_format, continuous_update=True,
        style={"description_width": "initial"}, layout=fixed_width(SLIDER_WIDTH),
    )


def fixed_width(width: float) -> ipywidgets.Layout:
    """A layout ``width`` CSS pixels wide that a crowded row cannot squeeze (a squeezed slider
    draws its readout over its track)."""
    return ipywidgets.Layout(width=f"{width:g}px", flex="0 0 auto")


def png_pixels(data: bytes, max_width: int = 900) -> np.ndarray:
    """A PNG (e.g. a Graphviz drawing) as an RGBA array, scaled down to at most ``max_width``."""
    image = Image.open(io.BytesIO(data)).convert("RGBA")
    if image.width > max_width:
        image = image.resize((max_width, round(image.height * max_width / image.width)))
    return np.asarray(image, dtype=np.uint8)


def picture_with_note(pictures: Iterable[np.ndarray], note: str = INTERACTIVE_NOTE) -> bytes:
    """PNG of RGBA pixel arrays side by side, tops aligned, over a band with ``note`` in it."""
    pictures = [picture for picture in pictures if picture.size]
    band = 26
    width = max(sum(picture.shape[1] for picture in pictures), 520)
    height = max((picture.shape[0] for picture in pictures), default=0) + band
    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
    canvas = FigureCanvasAgg(figure)
    left = 0
    for picture in pictures:
        figure.figimage(picture, xo=left, yo=height - picture.shape[0], origin="upper")
        left += picture.shape[1]
    figure.text(8 / width, band / 2 / height, note, va="center", ha="left", fontsize=10,
                color="#8a4b00")
    canvas.draw()
    return png_bytes(canvas)


def widget_view_bundle(widget: ipywidgets.Widget, **kwargs: Any) -> dict[str, Any]:
    """The display data ipywidgets itself gives ``widget``: its repr and its widget view."""
    standard = getattr(ipywidgets.Widget, "_repr_mimebundle_", None)
    if callable(standard):  # ipywidgets 8
        return dict(standard(widget, **kwargs) or {})
    plaintext = repr(widget)  # ipywidgets 7: the same bundle, as its _ipython_display_ builds it
    bundle: dict[str, Any] = {"text/plain": plaintext[:110] + "…" if len(plaintext) > 110 else plaintext}
    if widget._view_name is not None:
        bundle[WIDGET_VIEW] = {"version_major": 2, "version_minor": 0, "model_id": widget.model_id}
    return bundle


def message_html(lines: Iterable[str], kind: str = "note") -> str:
    """HTML for the message line: notes in dark orange, errors in red, each line escaped."""
    lines = [line for line in lines if line]
    if not lines:
        return ""
    color = "#b00020" if kind == "error" else "#8a4b00"
    body = "<br>".join(html.escape(line) for line in lines)
    return f"<div style='color:{color};font-size:0.95em;line-height:1.4'>{body}</div>"


class SavedPicture:
    """Mixin for an ipywidgets box: its display data also carries a PNG of ``pictures()`` with
    ``picture_note`` under it, for renderers without a kernel (see "Pictures" above)."""

    picture_note = INTERACTIVE_NOTE
    figure_images: list[FigureImage] = []

    def pictures(self) -> list[np.ndarray]:
        """What the widget shows as pictures, as RGBA pixel arrays at their shown size: its figures
        drawn so far."""
        return [image.shown_pixels() for image in self.figure_images if image.renders]

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The widget view and, for renderers without a kernel, a PNG of the pictures with a note."""
        bundle = widget_view_bundle(self, **kwargs)
        if WIDGET_VIEW in bundle:
            pictures = self.pictures()
            if pictures:
                png = picture_with_note(pictures, self.picture_note)
                bundle["image/png"] = base64.b64encode(png).decode("ascii")
        return bundle

    if hasattr(ipywidgets.Widget, "_ipython_display_"):  # ipywidgets 7 displays through this hook

        def _ipython_display_(self, **kwargs: Any) -> None:
            from IPython.display import display

            display(self._repr_mimebundle_(), raw=True)
            if self._view_name is not None:
                self._handle_displayed(**kwargs)


class ExplorerView(SavedPicture, ipywidgets.VBox):
    """A VBox of controls, a picture (or pictures side by side), anything ``below`` and a message
    line, tied to a compute object.

    Subclasses set ``self.explorer`` (the compute object), build their controls and call
    ``self.watch(control, apply)``: when the control changes, ``apply(new_value)`` updates the
    explorer and the picture is redrawn. ``render()`` draws the current state.
    """

    explorer: Any

    def __init__(self, children: list[ipywidgets.Widget], plot: FigureImage | None,
                 beside: Iterable[FigureImage] = (), below: Iterable[ipywidgets.Widget] = (),
                 **kwargs: Any) -> None:
        self.message = ipywidgets.HTML(value="")
        self.plot = plot
        self._quiet_in: int | None = None  # the thread changing controls quietly, if any
        self.changing = threading.RLock()
        """Held while a change is applied and drawn (one at a time, see "Threads"); hold it to read
        a state and its pictures that belong together."""
        self._waiting = 0  # changes waiting for the lock
        self._waiting_count = threading.Lock()
        self.figure_images = [plot, *beside] if plot is not None else []
        parts = list(children)
        if plot is not None:
            pictures = [image.widget for image in self.figure_images]
            parts.append(pictures[0] if len(pictures) == 1 else ipywidgets.HBox(pictures))
        parts += [*below, self.message]
        super().__init__(children=parts, **kwargs)

    @property
    def figure(self) -> Figure | None:
        return self.plot.figure if self.plot is not None else None

    def watch(self, control: ipywidgets.Widget, apply: Callable[[Any], None]) -> None:
        """Call ``apply(new value)`` and redraw whenever ``control``'s value changes."""
        def on_change(change: dict) -> None:
            if self._quiet_in != threading.get_ident():  # not this view's own quiet changes
                self.update(lambda: apply(change["new"]))
        control.observe(on_change, names="value")

    @contextmanager
    def quietly(self) -> Iterator[None]:
        """Change controls from code without each change redrawing (the caller redraws once).
        Only changes made by this thread are quiet; a learner's, arriving meanwhile on another
        thread, waits for the lock and is applied after."""
        self._quiet_in, was_quiet = threading.get_ident(), self._quiet_in
        try:
            yield
        finally:
            self._quiet_in = was_quiet

    def update(self, change: Callable[[], None] | None = None) -> bool:
        """Apply ``change`` and redraw; a bad setting becomes a red message. True if it worked.

        Changes are taken one at a time; when another change is already waiting, this one only
        applies itself and leaves the redraw to the last."""
        with self._waiting_count:
            self._waiting += 1
        with self.changing:
            with self._waiting_count:
                self._waiting -= 1
                superseded = self._waiting > 0
            try:
                if change is not None:
                    change()
                if superseded:
                    return True
                notes = self.render()
            except PROBLEMS as error:
                self.message.value = message_html([f"{type(error).__name__}: {error}"], "error")
                return False
            self.message.value = message_html(notes or [])
            return True

    def render(self) -> list[str]:
        """Draw the explorer's current state; return notes to show (e.g. about extreme settings)."""
        raise NotImplementedError

    def redraw(self) -> None:
        if self.plot is not None:
            self.plot.refresh()
