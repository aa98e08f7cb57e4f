"""Explorer 3: the shallow network of the course, one slider per parameter.

    y = φ0 + φ1 a[θ10 + θ11 x] + φ2 a[θ20 + θ21 x] + φ3 a[θ30 + θ31 x]

Each hidden unit d contributes φd·a[θd0 + θd1 x]. With ReLU a unit is zero on one side of
x = -θd0/θd1 and a straight line on the other, so y is piecewise linear with a joint wherever a unit
switches on or off.
"""

from __future__ import annotations

import math
import numbers
import re
from typing import Any

import ipywidgets
import numpy as np

from ..nn import ACTIVATIONS, ShallowNet
from ..viz.artists import find_artist
from ..viz.networks import plot_shallow_net, shallow_net, shallow_net_joints
from .view import ExplorerView, FigureImage, new_figure, slider

HIDDEN = 3
DEFAULT_THETA = ((0.6, -1.0), (-0.5, 1.0), (-1.6, 1.2))
DEFAULT_PHI = (0.3, 1.0, -1.2, 1.5)
PARAMETER_RANGE = (-3.0, 3.0)
_NAME = re.compile(r"^(theta_([1-9])([01])|phi_([0-9]))$")


def parameter_names(hidden: int = HIDDEN) -> list[str]:
    """'theta_10', 'theta_11', ..., 'theta_31', then 'phi_0' .. 'phi_3' (for 3 hidden units)."""
    thetas = [f"theta_{d}{k}" for d in range(1, hidden + 1) for k in (0, 1)]
    return thetas + [f"phi_{d}" for d in range(hidden + 1)]


def pretty(name: str) -> str:
    """'theta_10' -> 'θ₁₀', 'phi_2' -> 'φ₂' (slider labels)."""
    subscripts = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
    symbol, index = name.split("_")
    return ("θ" if symbol == "theta" else "φ") + index.translate(subscripts)


class ShallowNetExplorer:
    """The parameters θ (3 x 2), φ (4), an activation and optional data; what the network computes.

    >>> net = ShallowNetExplorer(theta=[[0, 1], [-1, 1], [-2, 1]], phi=[0, 1, 1, 1])
    >>> net.joints()
    array([0., 1., 2.])
    """

    def __init__(self, theta: Any = DEFAULT_THETA, phi: Any = DEFAULT_PHI,
                 activation: str = "relu", data: tuple[Any, Any] | None = None,
                 xlim: tuple[float, float] = (-1.0, 3.0)) -> None:
        theta, phi = np.array(theta, dtype=float), np.array(phi, dtype=float)
        if theta.shape != (HIDDEN, 2) or phi.shape != (HIDDEN + 1,):
            raise ValueError(f"the explorer's network has {HIDDEN} hidden units: theta must be "
                             f"{HIDDEN}x2 and phi must have {HIDDEN + 1} entries, got shapes "
                             f"{theta.shape} and {phi.shape}")
        if not (np.all(np.isfinite(theta)) and np.all(np.isfinite(phi))):
            raise ValueError("theta and phi must be finite numbers")
        self.theta, self.phi = theta, phi
        self.activation = activation
        self.xlim = (float(xlim[0]), float(xlim[1]))
        if not self.xlim[0] < self.xlim[1]:
            raise ValueError(f"xlim must be (low, high) with low < high, got {xlim!r}")
        self.data = None
        if data is not None:
            x, y = np.asarray(data[0], dtype=float), np.asarray(data[1], dtype=float)
            if x.ndim != 1 or x.shape != y.shape or x.size == 0:
                raise ValueError(f"data must be (x, y), two 1-D arrays of the same length, got "
                                 f"shapes {x.shape} and {y.shape}")
            self.data = (x, y)

    @property
    def activation(self) -> str:
        return self._activation

    @activation.setter
    def activation(self, name: str) -> None:
        if name not in ACTIVATIONS:
            raise ValueError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}")
        self._activation = name

    def get(self, name: str) -> float:
        """A parameter by name: 'theta_21' is θ21 (unit 2, slope), 'phi_0' the output bias."""
        row, column = self._index(name)
        return float(self.theta[row, column] if column is not None else self.phi[row])

    def set(self, name: str, value: float) -> None:
        row, column = self._index(name)
        if not isinstance(value, numbers.Real) or isinstance(value, bool) \
                or not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value!r}")
        if column is None:
            self.phi[row] = value
        else:
            self.theta[row, column] = value

    @staticmethod
    def _index(name: str) -> tuple[int, int | None]:
        match = _NAME.match(name) if isinstance(name, str) else None
        if match is None or (match.group(2) and not 1 <= int(match.group(2)) <= HIDDEN) \
                or (match.group(4) and int(match.group(4)) > HIDDEN):
            raise ValueError(f"unknown parameter {name!r}; the parameters are "
                             f"{', '.join(parameter_names())}")
        if match.group(4) is not None:
            return int(match.group(4)), None
        return int(match.group(2)) - 1, int(match.group(3))

    def output(self, x: Any) -> np.ndarray:
        """y at every x (an array)."""
        return shallow_net(x, self.theta, self.phi, self.activation)[0]

    def contributions(self, x: Any) -> np.ndarray:
        """(3, len(x)): row d is what hidden unit d + 1 adds, φ(d+1)·a[θ(d+1)0 + θ(d+1)1 x]."""
        return shallow_net(x, self.theta, self.phi, self.activation)[1]

    def joints(self) -> np.ndarray:
        """The x inside ``xlim`` where a ReLU unit switches (θd0 + θd1 x = 0); none for smooth
        activations."""
        if self.activation != "relu":
            return np.array([])
        return shallow_net_joints(self.theta, self.xlim)

    def mse(self) -> float | None:
        """Mean squared error on the data, or None without data."""
        if self.data is None:
            return None
        x, y = self.data
        return float(np.mean((self.output(x) - y) ** 2))

    def model(self) -> ShallowNet:
        """An ``autodiff_nb.nn.ShallowNet`` with the current parameters, ready to train."""
        return ShallowNet(hidden=HIDDEN, activation=self.activation, theta=self.theta, phi=self.phi)

    def __repr__(self) -> str:
        return f"ShallowNetExplorer(activation={self.activation!r}, hidden={HIDDEN})"


class ShallowNetView(ExplorerView):
    """Ten parameter sliders, an activation drop-down and the network's output with its units."""

    explorer: ShallowNetExplorer

    def __init__(self, explorer: ShallowNetExplorer) -> None:
        self.explorer = explorer
        figure = new_figure(6.4, 4.2)
        self.ax = figure.add_subplot()
        figure.subplots_adjust(left=0.1, right=0.97, bottom=0.12, top=0.92)
        self.sliders = {
            name: slider(pretty(name), explorer.get(name), *PARAMETER_RANGE, step=0.05)
            for name in parameter_names()
        }
        for control in self.sliders.values():
            control.layout.width = "260px"
        self.activation = ipywidgets.Dropdown(options=list(ACTIVATIONS), value=explorer.activation,
                                              description="a[·] =")
        self.show_units = ipywidgets.Checkbox(value=True, description="show hidden units")
        self.numbers = ipywidgets.HTML()
        theta_grid = ipywidgets.GridBox(
            [self.sliders[name] for name in parameter_names() if name.startswith("theta")],
            layout=ipywidgets.Layout(grid_template_columns="repeat(2, 270px)"),
        )
        phi_box = ipywidgets.VBox([self.sliders[name] for name in parameter_names()
                                   if name.startswith("phi")])
        options = ipywidgets.VBox([self.activation, self.show_units, self.numbers])
        self._ylim: tuple[float, float] | None = None
        super().__init__([ipywidgets.HBox([theta_grid, phi_box]), options], FigureImage(figure))
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
        self.ax.get_legend().set_loc("upper left")
        moving = ["output", "joints", *(f"unit{d}" for d in range(1, HIDDEN + 1))]
        self.plot.dynamic(*(find_artist(self.ax, gid) for gid in moving), self.ax.get_legend(),
                          self.ax.title)
        self.plot.refresh()
        joints = e.joints()
        joint_text = ", ".join(f"{j:.3g}" for j in joints) if joints.size else "none"
        self.numbers.value = (f"<b>joints</b> at x = {joint_text}"
                              + ("" if mse is None else f"<br><b>MSE</b> = {mse:.4g}"))
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
