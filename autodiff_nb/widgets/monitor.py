"""Explorer 6: a live loss curve and progress display for training loops.

    monitor = TrainingMonitor(total_steps=500)
    for step in range(500):
        loss = ...
        monitor.update(step, loss)          # a float or a Value; extra metrics as keywords
    monitor.close()

In Jupyter it shows a progress bar, the latest numbers and the loss curve
(``viz.plot_training_curves``), redrawn at most every ``min_interval`` seconds so the display never
slows the training down. Anywhere else (a script, a terminal, a test) it prints one line every
``every`` steps instead.
"""

from __future__ import annotations

import math
import sys
import time
from typing import Any, TextIO

import ipywidgets

from ..checks import flag, one_of, real_number, whole_number
from ..numerical import plain_number
from ..viz.plots import plot_training_curves
from .figure_image import FigureImage, new_figure
from .view import PICTURE_WIDTH, SavedPicture

DISPLAY_MODES = ("auto", "widget", "text")


def in_jupyter() -> bool:
    """True inside a Jupyter kernel (where widgets can be shown), False in scripts and terminals."""
    try:
        from IPython import get_ipython
    except ImportError:  # IPython comes with ipywidgets, but be safe
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class MonitorBox(SavedPicture, ipywidgets.VBox):
    """The monitor's widget: a VBox with a stable repr (notebooks store it as the cell's text)."""

    picture_note = "\u25b6 Live in Jupyter: drawn while the loop runs; this is the final curve."

    def __repr__(self) -> str:
        return "TrainingMonitor display"


class TrainingMonitor:
    """Progress, the latest numbers and the loss curve of a training loop.

    ``history`` maps each recorded name ('loss' and any keyword given to ``update``) to its values,
    one per update; ``steps`` holds the step numbers. ``display``: 'auto' (a widget in Jupyter,
    text elsewhere), 'widget' or 'text'.
    """

    def __init__(self, total_steps: int, *, title: str = "training", every: int | None = None,
                 min_interval: float = 0.25, logy: bool = False, display: str = "auto",
                 stream: TextIO | None = None) -> None:
        self.total_steps = whole_number("total_steps", total_steps, 1)
        one_of("display", display, DISPLAY_MODES)
        self.title = str(title)
        self.every = whole_number("every", every, 1) if every is not None \
            else max(1, self.total_steps // 10)
        self.min_interval = real_number("min_interval", min_interval, minimum=0.0)
        self.logy = flag("logy", logy)
        self.mode = ("widget" if in_jupyter() else "text") if display == "auto" else display
        self.stream = stream
        self.history: dict[str, list[float]] = {"loss": []}
        self.steps: list[int] = []
        self.closed = False
        self._started = time.perf_counter()
        self._last_draw = -math.inf
        self.widget: MonitorBox | None = None
        self._display: Any = None
        if self.mode == "widget":
            self._build_widget()

    # -- recording -----------------------------------------------------------------------------
    def update(self, step: int, loss: Any, **metrics: Any) -> None:
        """Record ``loss`` (and any named metrics) at ``step`` and show it.

        Steps count from 0 as in ``for step in range(total_steps)`` (``total_steps`` itself is
        accepted too, for loops that count from 1).
        """
        if self.closed:
            raise RuntimeError("this TrainingMonitor is closed; create a new one for a new run")
        step = whole_number("step", step, 0, self.total_steps)
        values = {"loss": plain_number(loss, "loss")}
        values.update({name: plain_number(value, name) for name, value in metrics.items()})
        count = len(self.steps)
        for name, value in values.items():
            series = self.history.setdefault(name, [math.nan] * count)  # a metric that starts late
            series.append(value)
        for series in self.history.values():
            if len(series) < count + 1:
                series.append(math.nan)  # a metric missing from this update
        self.steps.append(int(step))
        last = step + 1 >= self.total_steps
        if self.mode == "widget":
            now = time.perf_counter()
            if last or now - self._last_draw >= self.min_interval:
                self._draw()
                self._last_draw = now
        elif last or len(self.steps) == 1 or (step + 1) % self.every == 0:
            self._print(self.status())

    @property
    def last_loss(self) -> float | None:
        return self.history["loss"][-1] if self.steps else None

    def status(self, rate: bool = False) -> str:
        """'training: step 37/200  loss 0.1234', then any metrics, the speed if ``rate`` (the
        printed lines leave it out so they are the same on every run), and a warning on nan/inf."""
        if not self.steps:
            return f"{self.title}: no steps yet (0/{self.total_steps})"
        step = self.steps[-1]
        width = len(str(self.total_steps))
        done = min(step + 1, self.total_steps)
        parts = [f"{self.title}: step {done:>{width}}/{self.total_steps}"]
        parts += [f"{name} {series[-1]:.4g}" for name, series in self.history.items()]
        elapsed = time.perf_counter() - self._started
        if rate and elapsed > 0 and len(self.steps) > 1:
            parts.append(f"({len(self.steps) / elapsed:.0f} steps/s)")
        text = "  ".join(parts)
        if not math.isfinite(self.history["loss"][-1]):
            text += "  <- the loss is not finite: training diverged (lower the learning rate?)"
        return text

    def close(self) -> None:
        """Show the final state (everything recorded) and stop accepting updates."""
        if self.closed:
            return
        if self.mode == "widget":
            self._draw()
            if self._display is not None:
                self._display.update(self.widget._repr_mimebundle_(), raw=True)
        elif self.steps:
            self._print(f"{self.title}: done, {len(self.steps)} updates, final loss "
                        f"{self.history['loss'][-1]:.4g}")
        self.closed = True

    # -- showing ---------------------------------------------------------------------------------
    def _print(self, text: str) -> None:
        print(text, file=self.stream or sys.stdout, flush=True)

    def _build_widget(self) -> None:
        figure = new_figure(PICTURE_WIDTH, 320)
        self.ax = figure.add_subplot()
        figure.subplots_adjust(left=0.09, right=0.98, bottom=0.15, top=0.9)
        self.plot = FigureImage(figure)
        self.progress = ipywidgets.IntProgress(value=0, min=0, max=self.total_steps,
                                               description=self.title,
                                               style={"description_width": "initial"})
        self.label = ipywidgets.HTML(value=self.status())
        self.widget = MonitorBox([self.progress, self.label, self.plot.widget])
        self.widget.figure_images = [self.plot]
        if in_jupyter():  # raw, with a display id: close() puts the final picture in the output
            from IPython.display import display

            self._display = display(self.widget._repr_mimebundle_(), raw=True, display_id=True)

    def _draw(self) -> None:
        if not self.steps:
            return
        self.progress.value = min(self.steps[-1] + 1, self.total_steps)
        self.label.value = self.status(rate=True)
        plot_training_curves(self.history, ax=self.ax, logy=self.logy)
        self.ax.set_xlabel("update")
        self.ax.set_title(self.title)
        self.plot.refresh()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        """In Jupyter the monitor shows as its widget; elsewhere as its status line."""
        if self.widget is not None:
            return self.widget._repr_mimebundle_(**kwargs)
        return {"text/plain": self.status()}

    def __repr__(self) -> str:
        return f"TrainingMonitor(total_steps={self.total_steps}, updates={len(self.steps)})"
