"""Explorer 1: the derivative as a limit. The secant through (x, f(x)) and (x + h, f(x + h))
turns into the tangent as the step h shrinks, until floating-point round-off spoils it.

    forward difference   (f(x + h) - f(x)) / h          the secant's slope, error O(h)
    central difference   (f(x + h) - f(x - h)) / (2h)   error O(h²)
    exact                f'(x) by forward-mode autodiff

``autodiff_nb.explore.SecantExplorer`` holds the state and computes; ``derivative_explorer()``
shows it with sliders.
"""

from __future__ import annotations

import html
import math

import ipywidgets
import numpy as np

from ..checks import real_number
from ..explore.derivatives import SecantExplorer
from ..explore.univariate import EXAMPLES, Function, check_function, function_name
from ..viz.artists import find_artist, legend_beside, line
from ..viz.plots import plot_function_and_derivative
from .figure_image import FigureImage, new_figure
from .view import (
    NUMBERS_TABLE,
    PICTURE_WIDTH,
    ExplorerView,
    log_slider,
    move_slider,
    slider,
)

MOVING = ("touching", "x0", "x0+h", "tangent")  # gids of the lines that follow x and h


def _number(value: float) -> str:
    return f"{value:.10g}" if math.isfinite(value) else str(value)


class PointAndStepView(ExplorerView):
    """Controls shared by the derivative explorers: a function drop-down, an x slider and a log
    slider for h over 10**h_exponents[0] .. 10**h_exponents[1]."""

    explorer: SecantExplorer

    def __init__(self, explorer: SecantExplorer, xlim: tuple[float, float],
                 h_exponents: tuple[float, float], figure_size: tuple[float, float]) -> None:
        self.explorer = explorer
        figure = new_figure(*figure_size)
        self.ax = figure.add_subplot()
        choices = {name: example.f for name, example in EXAMPLES.items()}
        name = function_name(explorer.f)
        choices.setdefault(name, explorer.f)
        self._choices = choices
        self.function = ipywidgets.Dropdown(options=list(choices), value=name, description="f(x) =",
                                            layout=ipywidgets.Layout(width="300px"))
        self.x_slider = slider("x", explorer.x, *xlim, step=0.01)
        self.h_slider = log_slider("h", explorer.h, *h_exponents, step=0.25)
        self.numbers = ipywidgets.HTML()
        controls = ipywidgets.VBox([self.function, self.x_slider, self.h_slider])
        super().__init__([ipywidgets.HBox([controls, self.numbers])], FigureImage(figure))
        self.watch(self.x_slider, self._set_x)
        self.watch(self.h_slider, self._set_h)
        self.watch(self.function, self._set_function)

    @property
    def xlim(self) -> tuple[float, float]:
        return self.x_slider.min, self.x_slider.max

    def _set_x(self, value: float) -> None:
        self.explorer.x = value

    def _set_h(self, value: float) -> None:
        self.explorer.h = value

    def _set_function(self, name: str) -> None:
        """Switch function; an example also brings its own x range (x is kept inside it)."""
        example = EXAMPLES.get(name)
        low, high = example.xlim if example is not None else self.xlim
        x = min(max(self.explorer.x, low), high)
        f = self._choices[name]
        check_function(f, x)  # refuse before changing anything
        with self.quietly():  # one redraw, after this
            move_slider(self.x_slider, x, low, high)
        self.explorer.x = x
        self.explorer.f = f


class DerivativeExplorer(PointAndStepView):
    """Sliders for x and h (log scale), the picture of f, f', the secant and the tangent, and the
    estimates with their errors."""

    def __init__(self, explorer: SecantExplorer, xlim: tuple[float, float]) -> None:
        super().__init__(explorer, xlim, (-16, 0), (PICTURE_WIDTH, 440))
        self.figure.subplots_adjust(left=0.08, right=0.71, bottom=0.1, top=0.93)
        self.update()

    def render(self) -> list[str]:
        e = self.explorer
        exact = e.exact_slope()
        errors = e.errors()
        xlim = self.xlim
        plot_function_and_derivative(e.f, e.x, xlim, h=e.h, ax=self.ax)
        fx = e.secant_points()[0][1]
        xs = np.array(xlim)
        line(self.ax, "tangent", xs, fx + exact * (xs - e.x), color="0.3", linestyle=":",
             linewidth=1.2, label=f"tangent, slope f'(x) = {exact:.4g}")
        legend_beside(self.ax)
        self.ax.set_title(f"f(x) = {function_name(e.f)} at x = {e.x:.3g}, h = {e.h:.1e}")
        self.plot.dynamic(*(find_artist(self.ax, gid) for gid in MOVING), self.ax.get_legend(),
                          self.ax.title)
        self.plot.refresh()
        rows = [
            ("exact f'(x) (forward-mode AD)", exact, None),
            ("forward (f(x+h) - f(x)) / h", e.secant_slope(), errors["forward"]),
            ("central (f(x+h) - f(x-h)) / 2h", e.central_slope(), errors["central"]),
        ]
        cells = "".join(
            f"<tr><td>{html.escape(name)}</td><td style='text-align:right;font-family:monospace'>"
            f"{_number(value)}</td><td style='text-align:right;font-family:monospace'>"
            f"{'' if error is None else f'{error:.2e}'}</td></tr>"
            for name, value, error in rows
        )
        self.numbers.value = (f"<table style='{NUMBERS_TABLE}'>"
                              "<tr><th></th><th>slope</th><th>error</th></tr>"
                              f"{cells}</table>")
        return e.notes()

    def __repr__(self) -> str:
        return f"DerivativeExplorer({self.explorer!r})"


def x_range(explorer: SecantExplorer, xlim: tuple[float, float] | None) -> tuple[float, float]:
    """The x range to show: ``xlim``, else the example's own range, else x ± 3."""
    name = function_name(explorer.f)
    if xlim is None:
        xlim = EXAMPLES[name].xlim if name in EXAMPLES else (explorer.x - 3.0, explorer.x + 3.0)
    low, high = real_number("xlim[0]", xlim[0]), real_number("xlim[1]", xlim[1])
    if not low <= explorer.x <= high:
        raise ValueError(f"x = {explorer.x:g} is outside xlim ({low:g}, {high:g})")
    return low, high


def derivative_explorer(f: Function = np.sin, x: float = 1.0, h: float = 0.5,
                        xlim: tuple[float, float] | None = None) -> DerivativeExplorer:
    """The derivative as a limit: move h (log slider) and watch the secant become the tangent.

    ``f`` must be written with numpy or autodiff_nb functions (forward mode supplies f'); the
    drop-down also offers a few examples. ``xlim`` is the x range shown (default x ± 3).
    """
    explorer = SecantExplorer(f, x, h)
    return DerivativeExplorer(explorer, x_range(explorer, xlim))
