"""Explorer 1: the derivative as a limit. The secant through (x, f(x)) and (x + h, f(x + h))
turns into the tangent as the step h shrinks, until floating-point round-off spoils it.

    forward difference   (f(x + h) - f(x)) / h          the secant's slope, error O(h)
    central difference   (f(x + h) - f(x - h)) / (2h)   error O(h²)
    exact                f'(x) by forward-mode autodiff

``SecantExplorer`` holds the state and computes; ``derivative_explorer()`` shows it with sliders.
"""

from __future__ import annotations

import html
import math

import ipywidgets
import numpy as np

from ..checks import real_number
from ..numerical import numerical_derivative
from ..viz.artists import find_artist, line
from ..viz.plots import plot_function_and_derivative
from .univariate import (
    EXAMPLES,
    Function,
    check_function,
    check_step,
    exact_derivative,
    function_name,
    value_at,
)
from .view import ExplorerView, FigureImage, log_slider, move_slider, new_figure, slider

EPS = float(np.finfo(float).eps)
MOVING = ("touching", "x0", "x0+h", "tangent")  # gids of the lines that follow x and h
# Where truncation (~h) and round-off (~eps/h) errors balance, for |f| ~ |f''| ~ 1:
BEST_FORWARD_STEP = math.sqrt(EPS)


class SecantExplorer:
    """A function ``f``, a point ``x`` and a step ``h``; the slopes and errors that go with them.

    >>> explorer = SecantExplorer(np.sin, x=1.0, h=0.1)
    >>> round(explorer.secant_slope(), 4), round(explorer.exact_slope(), 4)
    (0.4974, 0.5403)
    """

    def __init__(self, f: Function = np.sin, x: float = 1.0, h: float = 0.5) -> None:
        self._x = real_number("x", x)
        self._f = check_function(f, self._x)
        self.h = h

    @property
    def f(self) -> Function:
        return self._f

    @f.setter
    def f(self, f: Function) -> None:
        self._f = check_function(f, self._x)

    @property
    def x(self) -> float:
        return self._x

    @x.setter
    def x(self, value: float) -> None:
        self._x = real_number("x", value)

    @property
    def h(self) -> float:
        return self._h

    @h.setter
    def h(self, value: float) -> None:
        self._h = check_step(value)

    def exact_slope(self) -> float:
        """f'(x), by forward-mode autodiff."""
        return exact_derivative(self.f, self.x)

    def secant_slope(self) -> float:
        """The forward difference (f(x + h) - f(x)) / h: the slope of the secant."""
        with np.errstate(all="ignore"):
            return numerical_derivative(self.f, self.x, self.h, method="forward")

    def central_slope(self) -> float:
        """The central difference (f(x + h) - f(x - h)) / (2h)."""
        with np.errstate(all="ignore"):
            return numerical_derivative(self.f, self.x, self.h, method="central")

    def errors(self) -> dict[str, float]:
        """|estimate - f'(x)| for the 'forward' and the 'central' difference."""
        exact = self.exact_slope()
        return {"forward": abs(self.secant_slope() - exact),
                "central": abs(self.central_slope() - exact)}

    def secant_points(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """(x, f(x)) and (x + h, f(x + h)), the two points the secant passes through."""
        x, x_h = self.x, self.x + self.h
        return (x, value_at(self.f, x)), (x_h, value_at(self.f, x_h))

    def notes(self) -> list[str]:
        """What is unusual about the current h, in words (empty when nothing is)."""
        (x, fx), (x_h, fx_h) = self.secant_points()
        if not (math.isfinite(fx) and math.isfinite(fx_h) and math.isfinite(self.exact_slope())):
            return [f"{function_name(self.f)} is not finite at x = {x:g} or x + h: there is no "
                    "slope to estimate here."]
        if x_h == x:
            return [f"h = {self.h:.1e} is smaller than the gap between floats near x = {x:g} "
                    f"({np.spacing(x):.1e}): x + h rounds to x, so f(x + h) - f(x) = 0 and the "
                    "forward difference is 0."]
        if fx_h == fx:
            return [f"f(x + h) and f(x) are the same float at h = {self.h:.1e}: the whole "
                    "difference was lost to rounding, so the forward difference is 0."]
        if self.h < BEST_FORWARD_STEP * max(1.0, abs(x)) / 10:
            return [f"h = {self.h:.1e} is below √ε ≈ {BEST_FORWARD_STEP:.1e}: round-off now "
                    "dominates, and smaller steps make the estimates worse, not better."]
        return []

    def __repr__(self) -> str:
        return f"SecantExplorer(f={function_name(self.f)}, x={self.x:g}, h={self.h:.3g})"


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
        self.function = ipywidgets.Dropdown(options=list(choices), value=name, description="f(x) =")
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
        super().__init__(explorer, xlim, (-16, 0), (6.4, 4.0))
        self.figure.subplots_adjust(left=0.11, right=0.97, bottom=0.12, top=0.93)
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
        self.ax.legend(loc="upper left", fontsize="small")
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
        self.numbers.value = ("<table><tr><th></th><th>slope</th><th>error</th></tr>"
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
