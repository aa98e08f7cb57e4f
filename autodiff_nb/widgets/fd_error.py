"""Explorer 2: the error of finite differences as the step h moves across 1e-16 .. 1e-1.

    forward difference error ≈ |f''| h / 2    (truncation)   +   ε |f| / h   (round-off)
    central difference error ≈ |f'''| h² / 6  (truncation)   +   ε |f| / h   (round-off)

On log-log axes the two parts make a V: right of its bottom, truncation dominates (slope 1
forward, 2 central); left of it, round-off, which grows as h shrinks. The best h is the bottom of
the V, about √ε ≈ 1e-8 for the forward difference and ∛ε ≈ 1e-5 for the central one.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.ticker import NullLocator

from ..explore.derivatives import REGIMES, FiniteDifferenceExplorer
from ..explore.univariate import Function, function_name
from ..viz.artists import find_artist, legend_beside, line
from ..viz.plots import draw_fd_errors
from .derivative import PointAndStepView, x_range
from .view import NUMBERS_TABLE, PICTURE_WIDTH

ERROR_FLOOR = 1e-18
"""An error of exactly 0 (a lucky hit) is drawn here: a log axis has no 0."""
ERROR_AXIS = (1e-18, 1e4)
STEP_AXIS = (10 ** -16.5, 10 ** -0.5)
CURVES = ("forward", "central", "forward_best", "central_best")  # gids drawn by draw_fd_errors


def _step_text(h: float) -> str:
    return "—" if np.isnan(h) else f"{h:.1e}"


class FiniteDifferenceErrorExplorer(PointAndStepView):
    """A function, a point and a log slider for h over the error-versus-h curves."""

    explorer: FiniteDifferenceExplorer

    def __init__(self, explorer: FiniteDifferenceExplorer, xlim: tuple[float, float]) -> None:
        self._drawn_for: tuple[Any, float] | None = None
        super().__init__(explorer, xlim, (-16, -1), (PICTURE_WIDTH, 440))
        self.figure.subplots_adjust(left=0.09, right=0.74, bottom=0.1, top=0.93)
        self.update()

    def render(self) -> list[str]:
        e = self.explorer
        errors = e.errors()  # raises before anything is drawn if f misbehaves
        curves = e.curves()
        if self._drawn_for != (e.f, e.x):  # the curves only change with f and x
            draw_fd_errors(curves, e.x, ax=self.ax)
            legend_beside(self.ax)
            self.ax.set_title(f"f(x) = {function_name(e.f)}, x = {e.x:.3g}")
            self.ax.set_xlim(*STEP_AXIS)  # fixed axes: a new f or x redraws only the curves
            self.ax.set_ylim(*ERROR_AXIS)
            self.ax.yaxis.set_minor_locator(NullLocator())
            self.plot.dynamic(*(find_artist(self.ax, gid) for gid in CURVES), self.ax.get_legend(),
                              self.ax.title)
            self._drawn_for = (e.f, e.x)
        shown = {method: max(error, ERROR_FLOOR) if np.isfinite(error) else np.nan
                 for method, error in errors.items()}
        line(self.ax, "h_now", [e.h, e.h], [0, 1], color="0.35", linewidth=1, linestyle=":",
             transform=self.ax.get_xaxis_transform(), label="_current h")
        line(self.ax, "h_now_forward", [e.h], [shown["forward"]], color="C0", marker="o",
             markersize=9, markeredgecolor="k", linestyle="none", label="_forward at h")
        line(self.ax, "h_now_central", [e.h], [shown["central"]], color="C1", marker="o",
             markersize=9, markeredgecolor="k", linestyle="none", label="_central at h")
        self.plot.dynamic(*(find_artist(self.ax, gid)
                            for gid in ("h_now", "h_now_forward", "h_now_central")))
        self.plot.refresh()
        best = e.best_steps()
        self.numbers.value = (
            f"<table style='{NUMBERS_TABLE}'><tr><th>h = {e.h:.1e}</th><th>error at h</th>"
            "<th>best h</th><th></th></tr>"
            + "".join(
                f"<tr><td>{method}</td><td style='font-family:monospace'>{errors[method]:.2e}</td>"
                f"<td style='font-family:monospace'>{_step_text(best[method])}</td>"
                f"<td>{REGIMES[e.regime(method)]}</td></tr>"
                for method in ("forward", "central")
            )
            + "</table>"
        )
        return e.notes()

    def __repr__(self) -> str:
        return f"FiniteDifferenceErrorExplorer({self.explorer!r})"


def fd_error_explorer(f: Function = np.sin, x: float = 1.0, h: float = 1e-5,
                      xlim: tuple[float, float] | None = None) -> FiniteDifferenceErrorExplorer:
    """Finite-difference error against h (1e-16 .. 1e-1): truncation on the right, round-off on the
    left, the best h of each scheme starred, the current h circled."""
    explorer = FiniteDifferenceExplorer(f, x, h)
    return FiniteDifferenceErrorExplorer(explorer, x_range(explorer, xlim))
