"""Neural network layers made of ``Tensor``\\ s: ``Linear``, ``Sequential`` and activation modules.

A whole batch goes through at once: rows are examples, columns are features::

    model = Sequential(Linear(2, 16), ReLU(), Linear(16, 16, seed=1), ReLU(), Linear(16, 2, seed=2))
    logits = model(Tensor(X))          # X of shape (n, 2) -> logits of shape (n, 2)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..checks import as_array, flag, whole_number
from ..tensor import Tensor
from .module import Module

Seed = int | np.random.Generator


def _as_tensor(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(as_array(x, "the input x of a layer"))


class Linear(Module):
    """out = x @ W + b for a batch x of shape (n, nin): W has shape (nin, nout), b shape (nout,).

    W starts uniform in [-1/sqrt(nin), 1/sqrt(nin)] (PyTorch's default range, so the outputs start
    at a moderate scale whatever nin is) and b at 0. ``seed`` is an int or a numpy Generator; give
    each layer a different seed, or share one Generator between the layers of a model.
    """

    def __init__(self, nin: int, nout: int, bias: bool = True, seed: Seed = 0,
                 dtype: Any = np.float64) -> None:
        nin, nout = whole_number("Linear(nin)", nin, minimum=1), whole_number("Linear(nout)", nout, minimum=1)
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(
            whole_number("Linear(seed)", seed, minimum=0))
        bound = 1.0 / np.sqrt(nin)
        self.weight = Tensor(rng.uniform(-bound, bound, size=(nin, nout)), requires_grad=True,
                             label="W", dtype=dtype)
        self.bias = None
        if flag("Linear(bias)", bias):
            self.bias = Tensor(np.zeros(nout), requires_grad=True, label="b", dtype=dtype)
        self.nin, self.nout = int(nin), int(nout)

    def __call__(self, x: Any) -> Tensor:
        x = _as_tensor(x)
        if x.ndim == 0 or x.shape[-1] != self.nin:
            raise ValueError(f"Linear({self.nin}, {self.nout}) needs inputs whose last axis has "
                             f"length {self.nin}, got shape {x.shape}")
        out = x @ self.weight
        return out if self.bias is None else out + self.bias

    def __repr__(self) -> str:
        return f"Linear({self.nin}, {self.nout}{'' if self.bias is not None else ', bias=False'})"


class ReLU(Module):
    """out = max(0, x), elementwise."""

    def __call__(self, x: Any) -> Tensor:
        return _as_tensor(x).relu()

    def __repr__(self) -> str:
        return "ReLU()"


class Tanh(Module):
    """out = tanh(x), elementwise."""

    def __call__(self, x: Any) -> Tensor:
        return _as_tensor(x).tanh()

    def __repr__(self) -> str:
        return "Tanh()"


class Sigmoid(Module):
    """out = 1 / (1 + e^-x), elementwise."""

    def __call__(self, x: Any) -> Tensor:
        return _as_tensor(x).sigmoid()

    def __repr__(self) -> str:
        return "Sigmoid()"


class Sequential(Module):
    """Layers applied one after the other: ``Sequential(a, b, c)(x) == c(b(a(x)))``."""

    def __init__(self, *layers: Any) -> None:
        for i, layer in enumerate(layers):
            if not callable(layer):
                raise TypeError(f"Sequential: layer {i} ({layer!r}) is not callable")
        self.layers = list(layers)

    def __call__(self, x: Any) -> Any:
        for layer in self.layers:
            x = layer(x)
        return x

    def __getitem__(self, index: int) -> Any:
        return self.layers[index]

    def __len__(self) -> int:
        return len(self.layers)

    def __repr__(self) -> str:
        inner = ",\n".join(f"  {layer!r}" for layer in self.layers)
        return f"Sequential(\n{inner}\n)"
