"""Neural networks made of ``Value`` scalars: neurons, layers, an MLP and the course's shallow network."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import functions
from ..checks import as_numbers, number_range, whole_number
from ..engine import Value, dot
from .module import Module

ACTIVATIONS: dict[str, Callable[[Any], Any]] = {
    "relu": functions.relu,
    "tanh": functions.tanh,
    "sigmoid": functions.sigmoid,
    "linear": lambda z: z,
}


def activation_function(name: str) -> Callable[[Any], Any]:
    """The activation called ``name`` ('relu', 'tanh', 'sigmoid' or 'linear')."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):  # TypeError: an unhashable name such as a list
        raise ValueError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}") from None


class Neuron(Module):
    """out = a(b + sum_i w_i x_i): one weighted sum (a single fused ``dot`` node) and an activation."""

    def __init__(self, nin: int, activation: str = "relu", rng: random.Random | None = None) -> None:
        nin = whole_number("Neuron(nin)", nin, minimum=1)
        rng = rng or random.Random(0)
        scale = 1.0 / nin ** 0.5
        self.w = [Value(rng.uniform(-scale, scale), label=f"w{i}") for i in range(nin)]
        self.b = Value(0.0, label="b")
        self.activation = activation
        self._act = activation_function(activation)

    def __call__(self, x: Sequence[Any]) -> Value:
        try:
            n = len(x)
        except TypeError:
            raise TypeError(f"the input x of a neuron must be a sequence of {len(self.w)} numbers or Values, "
                            f"got {type(x).__name__} {x!r}") from None
        if n != len(self.w):
            raise ValueError(f"this neuron takes {len(self.w)} inputs, but x has {n}")
        return self._act(dot(self.w, x, self.b))

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, activation={self.activation!r})"


class Layer(Module):
    """``nout`` neurons that all read the same inputs."""

    def __init__(self, nin: int, nout: int, activation: str = "relu",
                 rng: random.Random | None = None) -> None:
        rng = rng or random.Random(0)
        nout = whole_number("Layer(nout)", nout, minimum=1)
        self.neurons = [Neuron(nin, activation, rng) for _ in range(nout)]

    def __call__(self, x: Sequence[Any]) -> list[Value]:
        return [neuron(x) for neuron in self.neurons]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(repr(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: ``MLP(2, [16, 16, 1])`` has two hidden ReLU layers and a linear output.

    Calling it on a sequence of ``nin`` numbers or Values returns a list of outputs, or a single Value when
    the last layer has one neuron.
    """

    def __init__(self, nin: int, nouts: Sequence[int], activation: str = "relu", seed: int = 0) -> None:
        if not isinstance(nouts, (list, tuple)):
            raise TypeError(f"MLP(nouts) must be a list of layer sizes such as [16, 16, 1], got "
                            f"{type(nouts).__name__} {nouts!r}")
        if not nouts:
            raise ValueError("an MLP needs at least one layer size in nouts")
        nin = whole_number("MLP(nin)", nin, minimum=1)
        nouts = [whole_number(f"MLP(nouts[{i}])", n, minimum=1) for i, n in enumerate(nouts)]
        activation_function(activation)  # checked even when every layer is the linear output
        rng = random.Random(whole_number("MLP(seed)", seed, minimum=0))
        sizes = [nin, *nouts]
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activation if i < len(nouts) - 1 else "linear", rng)
            for i in range(len(nouts))
        ]

    def __call__(self, x: Sequence[Any]) -> Any:
        for layer in self.layers:
            x = layer(x)
        return x[0] if len(x) == 1 else x

    def __repr__(self) -> str:
        sizes = [len(self.layers[0].neurons[0].w)] + [len(layer.neurons) for layer in self.layers]
        return f"MLP({' -> '.join(map(str, sizes))})"


class ShallowNet(Module):
    """The course's shallow network with one input, one output and ``hidden`` hidden units:

        y = phi_0 + sum_{d=1..D} phi_d * a[theta_d0 + theta_d1 * x]

    ``theta[d-1] = (theta_d0, theta_d1)`` and ``phi = (phi_0, ..., phi_D)`` are Values. Call it with a
    float or a Value to get a differentiable output, or use ``predict`` on a numpy array for plotting.
    """

    def __init__(self, hidden: int = 3, activation: str = "relu", seed: int = 0,
                 theta: Sequence[Sequence[float]] | None = None, phi: Sequence[float] | None = None) -> None:
        hidden = whole_number("ShallowNet(hidden)", hidden, minimum=1)
        self.activation = activation
        self._act = activation_function(activation)
        rng = np.random.default_rng(whole_number("ShallowNet(seed)", seed, minimum=0))
        theta_init = rng.normal(size=(hidden, 2)) if theta is None else as_numbers(theta, "ShallowNet(theta)")
        phi_init = rng.normal(size=hidden + 1) if phi is None else as_numbers(phi, "ShallowNet(phi)")
        if theta_init.shape != (hidden, 2) or phi_init.shape != (hidden + 1,):
            raise ValueError(
                f"a shallow net with {hidden} hidden units needs theta of shape ({hidden}, 2) and phi of "
                f"shape ({hidden + 1},), got {theta_init.shape} and {phi_init.shape}"
            )
        self.theta = [[Value(t, label=f"theta{d + 1}{k}") for k, t in enumerate(row)]
                      for d, row in enumerate(theta_init)]
        self.phi = [Value(p, label=f"phi{d}") for d, p in enumerate(phi_init)]

    @property
    def hidden(self) -> int:
        return len(self.theta)

    def hidden_units(self, x: Any) -> list[Any]:
        """The hidden activations h_d = a[theta_d0 + theta_d1 x], one per unit."""
        return [self._act(t0 + t1 * x) for t0, t1 in self.theta]

    def __call__(self, x: Any) -> Any:
        return shallow_net_output(x, self.theta, self.phi, self._act)[0]

    def parameter_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Current (theta (D, 2), phi (D + 1,)) as plain arrays."""
        return (np.array([[t.data for t in row] for row in self.theta]), np.array([p.data for p in self.phi]))

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Evaluate on a numpy array of inputs, without recording a graph."""
        theta, phi = self.parameter_arrays()
        x = np.asarray(x, dtype=float)
        return np.broadcast_to(shallow_net_output(x, theta, phi, self._act)[0], x.shape).copy()

    def __repr__(self) -> str:
        return f"ShallowNet(hidden={self.hidden}, activation={self.activation!r})"


def shallow_net_output(x: Any, theta: Any, phi: Any,
                       activation: str | Callable[[Any], Any] = "relu") -> tuple[Any, list[Any]]:
    """The course's shallow network and what each hidden unit adds to it:

        share_d = phi_d * a[theta_d0 + theta_d1 * x]
        y = phi_0 + sum_{d=1..D} share_d

    ``theta`` holds D pairs (theta_d0, theta_d1), ``phi`` the D + 1 numbers (phi_0, ..., phi_D);
    ``activation`` is a name of ``ACTIVATIONS`` or a function. Works on whatever the operations accept:
    Values (a graph is recorded, as ``ShallowNet`` does), or numbers and numpy arrays of x (elementwise,
    as the plots do).
    Returns ``(y, [share_1, ..., share_D])``.
    """
    act = activation if callable(activation) else activation_function(activation)
    shares = [phi_d * act(t0 + t1 * x) for (t0, t1), phi_d in zip(theta, phi[1:])]
    y = phi[0]
    for share in shares:
        y = y + share
    return y, shares


def shallow_net_joints(theta: Any, xlim: tuple[float, float]) -> np.ndarray:
    """Where a ReLU unit of the shallow network switches on or off, theta_d0 + theta_d1 x = 0, i.e.
    x = -theta_d0 / theta_d1, for the joints inside ``xlim`` = (low, high), sorted."""
    theta = as_numbers(theta, "theta")
    if theta.ndim != 2 or theta.shape[1] != 2:
        raise ValueError(f"theta must have shape (D, 2): rows [theta_d0, theta_d1], got {theta.shape}")
    low, high = number_range("xlim", xlim)
    slopes = theta[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        joints = np.where(slopes != 0, -theta[:, 0] / slopes, np.nan) + 0.0  # + 0.0: no -0.0
    return np.sort(joints[(joints >= low) & (joints <= high)])
