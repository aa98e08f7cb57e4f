"""Explorer 3: the shallow network of the course, one slider per parameter (the network and its
named parameters: ``autodiff_nb.explore.ShallowNetExplorer``).

    y = φ0 + φ1 a[θ10 + θ11 x] + φ2 a[θ20 + θ21 x] + φ3 a[θ30 + θ31 x]

Each hidden unit d contributes φd·a[θd0 + θd1 x]. With ReLU a unit is zero on one side of
x = -θd0/θd1 and a straight line on the other, so y is piecewise linear with a joint wherever a unit
switches on or off.
"""

from __future__ import annotations

from typing import Any

import ipywidgets
import numpy as np

from ..explore.shallow_net import (
    DEFAULT_PHI,
    DEFAULT_THETA,
    HIDDEN,
    ShallowNetExplorer,
    parameter_names,
)
from ..nn import ACTIVATIONS
from ..viz.artists import find_artist, legend_beside
from ..viz.networks import plot_shallow_net
from .figure_image import FigureImage, new_figure
from .view import (
    PICTURE_WIDTH,
    ExplorerView,
    fixed_width,
    slider,
)

PARAMETER_RANGE = (-3.0, 3.0)
SLIDER_WIDTH = 290  # three to a row: θd0, θd1 and φd of hidden unit d


def pretty(name: str) -> str:
    """'theta_10' -> 'θ₁₀', 'phi_2' -> 'φ₂' (slider labels)."""
    subscripts = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
    symbol, index = name.split("_")
    return ("θ" if symbol == "theta" else "φ") + index.translate(subscripts)


class ShallowNetView(ExplorerView):
    """Ten parameter sliders, an activation drop-down and the network's output with its units.

    The controls sit above the picture in four rows, one per hidden unit d (θd0, θd1, φd) and one
    for φ0, the activation and the units' switch, so sliders and plot fit one screen together."""

    explorer: ShallowNetExplorer

    def __init__(self, explorer: ShallowNetExplorer) -> None:
        self.explorer = explorer
        figure = new_figure(PICTURE_WIDTH, 440)
        self.ax = figure.add_subplot()
        figure.subplots_adjust(left=0.07, right=0.76, bottom=0.1, top=0.93)
        self.sliders = {
            name: slider(pretty(name), explorer.get(name), *PARAMETER_RANGE, step=0.05)
            for name in parameter_names()
        }
        for control in self.sliders.values():
            control.layout = fixed_width(SLIDER_WIDTH)
        self.activation = ipywidgets.Dropdown(options=list(ACTIVATIONS), value=explorer.activation,
                                              description="a[·] =", layout=fixed_width(SLIDER_WIDTH))
        self.show_units = ipywidgets.Checkbox(value=True, description="show hidden units",
                                              indent=False, layout=fixed_width(SLIDER_WIDTH))
        self.numbers = ipywidgets.HTML()
        rows = [ipywidgets.HBox([self.sliders["phi_0"], self.activation, self.show_units])]
        rows += [ipywidgets.HBox([self.sliders[f"theta_{d}0"], self.sliders[f"theta_{d}1"],
                                  self.sliders[f"phi_{d}"]]) for d in range(1, HIDDEN + 1)]
        self._ylim: tuple[float, float] | None = None
        super().__init__([*rows, self.numbers], FigureImage(figure))
        for name, control in self.sliders.items():
            self.watch(control, lambda value, name=name: explorer.set(name, value))
        self.watch(self.activation, self._set_activation)
        self.watch(self.show_units, lambda value: None)
        self.update()

    def _set_activation(self, name: str) -> None:
        self.explorer.activation = name

    def _fit_ylim(self, ys: np.ndarray) -> tuple[float, float]:
        """Keep the y range while the curves fit in it comfortably (so only the curves are redrawn);
        refit when they leave it or shrink to a small part of it."""
        finite = ys[np.isfinite(ys)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (-1.0, 1.0)
        if self._ylim is not None:
            shown_low, shown_high = self._ylim
            inside = shown_low <= low and high <= shown_high
            if inside and (high - low) > 0.25 * (shown_high - shown_low):
                return self._ylim
        pad = 0.25 * max(high - low, 1.0)
        self._ylim = (low - pad, high + pad)
        return self._ylim

    def render(self) -> list[str]:
        e = self.explorer
        x_data, y_data = e.data if e.data is not None else (None, None)
        plot_shallow_net(e.theta, e.phi, activation=e.activation, xlim=e.xlim,
                         show_units=self.show_units.value, x_data=x_data, y_data=y_data, ax=self.ax)
        xs = np.linspace(*e.xlim, 200)
        shown = [e.output(xs)]
        if self.show_units.value:
            shown.append(e.contributions(xs).ravel())
        if y_data is not None:
            shown.append(y_data)
        self.ax.set_ylim(*self._fit_ylim(np.concatenate(shown)))
        mse = e.mse()
        title = f"a = {e.activation}" + ("" if mse is None else f", MSE on the data = {mse:.4g}")
        self.ax.set_title(title)
        legend_beside(self.ax)
        moving = ["output", "joints", *(f"unit{d}" for d in range(1, HIDDEN + 1))]
        self.plot.dynamic(*(find_artist(self.ax, gid) for gid in moving), self.ax.get_legend(),
                          self.ax.title)
        self.plot.refresh()
        joints = e.joints()
        joint_text = ", ".join(f"{j:.3g}" for j in joints) if joints.size else "none"
        self.numbers.value = (f"<b>joints</b> at x = {joint_text}"
                              + ("" if mse is None else f" &nbsp;·&nbsp; <b>MSE</b> = {mse:.4g}"))
        notes = []
        if e.activation != "relu":
            notes.append(f"{e.activation} is smooth: y has no joints, only bends.")
        return notes

    def __repr__(self) -> str:
        return f"ShallowNetView({self.explorer!r})"


def shallow_net_explorer(theta: Any = DEFAULT_THETA, phi: Any = DEFAULT_PHI, *,
                         activation: str = "relu", data: tuple[Any, Any] | None = None,
                         xlim: tuple[float, float] = (-1.0, 3.0)) -> ShallowNetView:
    """Sliders for θ10 .. θ31 and φ0 .. φ3 of y = φ0 + Σ_d φd a[θd0 + θd1 x].

    ``theta`` is 3 rows (θd0, θd1), ``phi`` the 4 numbers φ0..φ3; ``data=(x, y)`` adds the points
    and the current mean squared error. The output is drawn with each unit's contribution and, for
    ReLU, the joints.
    """
    return ShallowNetView(ShallowNetExplorer(theta, phi, activation, data, xlim))
