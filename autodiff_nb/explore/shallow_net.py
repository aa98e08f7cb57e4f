"""The shallow network of the course with named parameters, for the explorer's ten sliders.

    y = φ0 + φ1 a[θ10 + θ11 x] + φ2 a[θ20 + θ21 x] + φ3 a[θ30 + θ31 x]

Each hidden unit d contributes φd·a[θd0 + θd1 x]. With ReLU a unit is zero on one side of
x = -θd0/θd1 and a straight line on the other, so y is piecewise linear with a joint wherever a unit
switches on or off. The formula is :func:`autodiff_nb.nn.shallow_net_output`, the one
``nn.ShallowNet`` uses.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from ..checks import as_numbers, number_range, one_of, real_number
from ..nn.scalar import ACTIVATIONS, ShallowNet, shallow_net_joints, shallow_net_output

HIDDEN = 3
DEFAULT_THETA = ((0.6, -1.0), (-0.5, 1.0), (-1.6, 1.2))
DEFAULT_PHI = (0.3, 1.0, -1.2, 1.5)
_NAME = re.compile(r"^(theta_([1-9])([01])|phi_([0-9]))$")


def parameter_names(hidden: int = HIDDEN) -> list[str]:
    """'theta_10', 'theta_11', ..., 'theta_31', then 'phi_0' .. 'phi_3' (for 3 hidden units)."""
    thetas = [f"theta_{d}{k}" for d in range(1, hidden + 1) for k in (0, 1)]
    return thetas + [f"phi_{d}" for d in range(hidden + 1)]


class ShallowNetExplorer:
    """The parameters θ (3 x 2), φ (4), an activation and optional data; what the network computes.

    >>> net = ShallowNetExplorer(theta=[[0, 1], [-1, 1], [-2, 1]], phi=[0, 1, 1, 1])
    >>> net.joints()
    array([0., 1., 2.])
    """

    def __init__(self, theta: Any = DEFAULT_THETA, phi: Any = DEFAULT_PHI,
                 activation: str = "relu", data: tuple[Any, Any] | None = None,
                 xlim: tuple[float, float] = (-1.0, 3.0)) -> None:
        theta, phi = as_numbers(theta, "theta"), as_numbers(phi, "phi")
        if theta.shape != (HIDDEN, 2) or phi.shape != (HIDDEN + 1,):
            raise ValueError(f"the explorer's network has {HIDDEN} hidden units: theta must be "
                             f"{HIDDEN}x2 and phi must have {HIDDEN + 1} entries, got shapes "
                             f"{theta.shape} and {phi.shape}")
        if not (np.all(np.isfinite(theta)) and np.all(np.isfinite(phi))):
            raise ValueError("theta and phi must be finite numbers")
        self.theta, self.phi = theta, phi
        self.activation = activation
        self.xlim = number_range("xlim", xlim)
        self.data = None
        if data is not None:
            if not isinstance(data, (tuple, list)) or len(data) != 2:
                raise TypeError(f"data must be a pair (x, y) of arrays, got {type(data).__name__}")
            x, y = as_numbers(data[0], "data x"), as_numbers(data[1], "data y")
            if x.ndim != 1 or x.shape != y.shape or x.size == 0:
                raise ValueError(f"data must be (x, y), two 1-D arrays of the same length, got "
                                 f"shapes {x.shape} and {y.shape}")
            self.data = (x, y)

    @property
    def activation(self) -> str:
        return self._activation

    @activation.setter
    def activation(self, name: str) -> None:
        self._activation = one_of("activation", name, tuple(ACTIVATIONS))

    def get(self, name: str) -> float:
        """A parameter by name: 'theta_21' is θ21 (unit 2, slope), 'phi_0' the output bias."""
        row, column = self._index(name)
        return float(self.theta[row, column] if column is not None else self.phi[row])

    def set(self, name: str, value: float) -> None:
        row, column = self._index(name)
        value = real_number(name, value)
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

    def _evaluate(self, x: Any) -> tuple[np.ndarray, np.ndarray]:
        xs = as_numbers(x, "x").reshape(-1)
        with np.errstate(all="ignore"):
            y, shares = shallow_net_output(xs, self.theta, self.phi, self.activation)
        return np.broadcast_to(y, xs.shape).copy(), np.array(shares).reshape(HIDDEN, xs.size)

    def output(self, x: Any) -> np.ndarray:
        """y at every x (an array)."""
        return self._evaluate(x)[0]

    def contributions(self, x: Any) -> np.ndarray:
        """(3, len(x)): row d is what hidden unit d + 1 adds, φ(d+1)·a[θ(d+1)0 + θ(d+1)1 x]."""
        return self._evaluate(x)[1]

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
