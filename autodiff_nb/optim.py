r"""Optimizers: rules that move parameters downhill, given their gradients.

A parameter is any object with ``.data`` and ``.grad``: a ``Value`` (float data, float grad) or an
array parameter (ndarray data, grad an ndarray or ``None``, meaning zero). The update code is
written once for both, e.g. ``p.data = p.data - lr * g``, and per-parameter state starts as ``0.0``
or ``np.zeros_like(p.data)``.

The usual loop::

    opt = SGD(model.parameters(), lr=0.1)
    for step in range(100):
        loss = mse(model(xs), ys)
        opt.zero_grad()
        loss.backward()
        opt.step()

Non-finite gradients are not checked here: they propagate into the parameters. Run the backward pass
inside ``autodiff_nb.detect_anomaly()`` to find the operation that produced them.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .checks import real_number
from .modes import no_grad

__all__ = ["Optimizer", "SGD", "Momentum", "Adam", "RandomSearch"]


# ----- helpers -----------------------------------------------------------------------------

def _zeros_like(data: Any) -> Any:
    return np.zeros_like(data) if isinstance(data, np.ndarray) else 0.0


def _sqrt(x: Any) -> Any:
    return np.sqrt(x) if isinstance(x, np.ndarray) else math.sqrt(x)


def _move(p: Any, step: Any) -> None:
    """phi <- phi - step: in place for array data (no new array each step), a new float for a scalar."""
    if isinstance(p.data, np.ndarray):
        p.data -= step
    else:
        p.data = float(p.data - step)


# ----- base class ----------------------------------------------------------------------------

class Optimizer:
    """Holds the parameters; subclasses implement ``step``.

    ``params`` is an iterable of parameters or anything with a ``parameters()`` method (a Module).
    A parameter listed twice is updated once.
    """

    needs_gradients = True

    def __init__(self, params: Iterable[Any]) -> None:
        if hasattr(params, "parameters") and callable(params.parameters):
            params = params.parameters()
        if isinstance(params, (str, bytes)) or not isinstance(params, Iterable):
            raise TypeError("params must be an iterable of parameters (e.g. model.parameters()), "
                            f"got {params!r}")
        unique: list[Any] = []
        seen: set[int] = set()
        for i, p in enumerate(params):
            if not hasattr(p, "data") or (self.needs_gradients and not hasattr(p, "grad")):
                needed = ".data and .grad" if self.needs_gradients else ".data"
                raise TypeError(f"parameter {i} ({type(p).__name__} {p!r}) has no {needed}; "
                                "optimizers update objects such as Value, not plain numbers")
            if id(p) not in seen:
                seen.add(id(p))
                unique.append(p)
        if not unique:
            raise ValueError("params is empty: the optimizer needs at least one parameter to update")
        self.params: list[Any] = unique

    def zero_grad(self) -> None:
        """Reset gradients before the next backward pass: scalar grads to 0.0, array grads to None.

        A parameter with its own ``zero_grad()`` method resets itself.
        """
        for p in self.params:
            reset = getattr(p, "zero_grad", None)
            if callable(reset):
                reset()
            elif isinstance(p.grad, np.ndarray):
                p.grad = None
            else:
                p.grad = 0.0

    def step(self) -> Any:
        """Update every parameter once."""
        raise NotImplementedError(f"{type(self).__name__} does not implement step()")

    @staticmethod
    def _gradient(p: Any) -> Any:
        """p.grad, with None read as a zero gradient of p's shape."""
        return _zeros_like(p.data) if p.grad is None else p.grad

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in self._settings().items())
        return f"{type(self).__name__}({len(self.params)} parameters, {settings})"

    def _settings(self) -> dict[str, Any]:
        return {}


# ----- gradient methods ----------------------------------------------------------------------

class SGD(Optimizer):
    r"""Plain gradient descent:  phi <- phi - lr * dL/dphi.

    It is *stochastic* gradient descent when the loss is computed on a random mini-batch each step
    (see :func:`autodiff_nb.data.minibatches`).
    """

    def __init__(self, params: Iterable[Any], lr: float) -> None:
        super().__init__(params)
        self.lr = real_number("lr", lr, positive=True)

    def step(self) -> None:
        for p in self.params:
            if p.grad is None:  # zero gradient: nothing to do
                continue
            _move(p, self.lr * p.grad)

    def _settings(self) -> dict[str, Any]:
        return {"lr": self.lr}


class Momentum(Optimizer):
    r"""Gradient descent with momentum, in the text's form (an exponential moving average):

        m   <- beta * m + (1 - beta) * dL/dphi
        phi <- phi - lr * m

    m starts at 0. With the (1 - beta) factor, m is a weighted average of recent gradients, so the
    step size stays comparable to SGD with the same lr. PyTorch's ``SGD(momentum=beta)`` instead
    uses m <- beta * m + g, which is 1 / (1 - beta) times larger in steady state (10x for
    beta = 0.9): to match it, multiply lr here by 1 / (1 - beta).
    """

    def __init__(self, params: Iterable[Any], lr: float, beta: float = 0.9) -> None:
        super().__init__(params)
        self.lr = real_number("lr", lr, positive=True)
        self.beta = real_number("beta", beta, minimum=0.0, below=1.0)
        self.velocity: list[Any] = [_zeros_like(p.data) for p in self.params]

    def step(self) -> None:
        for i, p in enumerate(self.params):
            m = self.beta * self.velocity[i] + (1 - self.beta) * self._gradient(p)
            self.velocity[i] = m
            _move(p, self.lr * m)

    def _settings(self) -> dict[str, Any]:
        return {"lr": self.lr, "beta": self.beta}


class Adam(Optimizer):
    r"""Adam: momentum on the gradient and on its square, with bias correction.

        m <- beta1 m + (1 - beta1) g            v <- beta2 v + (1 - beta2) g^2
        m_hat = m / (1 - beta1^t)               v_hat = v / (1 - beta2^t)
        phi <- phi - lr * m_hat / (sqrt(v_hat) + eps)

    t counts steps from 1. Because m and v start at 0 they are biased towards 0 early on; dividing
    by 1 - beta^t undoes that, so the first step has size about lr whatever the gradient's scale.
    """

    def __init__(self, params: Iterable[Any], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> None:
        super().__init__(params)
        self.lr = real_number("lr", lr, positive=True)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = (real_number("betas[0] (beta1)", betas[0], minimum=0.0, below=1.0),
                      real_number("betas[1] (beta2)", betas[1], minimum=0.0, below=1.0))
        self.eps = real_number("eps", eps, positive=True)
        self.t = 0
        self.m: list[Any] = [_zeros_like(p.data) for p in self.params]
        self.v: list[Any] = [_zeros_like(p.data) for p in self.params]

    def step(self) -> None:
        beta1, beta2 = self.betas
        self.t += 1
        correction1 = 1 - beta1 ** self.t
        correction2 = 1 - beta2 ** self.t
        for i, p in enumerate(self.params):
            g = self._gradient(p)
            self.m[i] = beta1 * self.m[i] + (1 - beta1) * g
            self.v[i] = beta2 * self.v[i] + (1 - beta2) * g * g
            m_hat = self.m[i] / correction1
            v_hat = self.v[i] / correction2
            _move(p, self.lr * m_hat / (_sqrt(v_hat) + self.eps))

    def _settings(self) -> dict[str, Any]:
        return {"lr": self.lr, "betas": self.betas, "eps": self.eps}


# ----- no gradients at all -------------------------------------------------------------------

def _loss_number(loss: Any) -> float:
    """A loss returned as a float, a Value (its .data) or a one-element array, as a float."""
    if isinstance(loss, numbers.Real) and not isinstance(loss, bool):
        return float(loss)
    data = getattr(loss, "data", loss)
    if isinstance(data, numbers.Real) and not isinstance(data, bool):
        return float(data)
    if isinstance(data, np.ndarray) and data.size == 1:
        return float(data.reshape(()))
    raise TypeError(f"loss_fn must return a number (or a scalar Value), got {loss!r}")


class RandomSearch(Optimizer):
    r"""Brute force without derivatives: perturb, compare, keep or toss.

    Each ``step()`` adds Gaussian noise (standard deviation ``scale``) to every parameter,
    evaluates ``loss_fn()``, keeps the new parameters if the loss went down and restores the old
    ones otherwise. It returns the best loss so far. Only ``.data`` is used: loss_fn runs under
    ``no_grad()`` and gradients are never looked at.
    """

    needs_gradients = False

    def __init__(self, params: Iterable[Any], loss_fn: Callable[[], Any], scale: float = 0.1,
                 seed: int = 0) -> None:
        super().__init__(params)
        if not callable(loss_fn):
            raise TypeError("loss_fn must be a function of no arguments returning the loss, "
                            f"got {loss_fn!r}")
        if not isinstance(seed, numbers.Integral) or isinstance(seed, bool) or seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
        self.loss_fn = loss_fn
        self.scale = real_number("scale", scale, positive=True)
        self.rng = np.random.default_rng(int(seed))
        self.best_loss: float | None = None
        self.accepted = 0  # how many perturbations were kept
        self.steps = 0

    def _perturbation(self, data: Any) -> Any:
        if isinstance(data, np.ndarray):
            return self.scale * self.rng.standard_normal(data.shape)
        return self.scale * float(self.rng.standard_normal())

    def _evaluate(self) -> float:
        with no_grad():
            return _loss_number(self.loss_fn())

    def step(self) -> float:
        if self.best_loss is None:
            self.best_loss = self._evaluate()
        saved = [p.data for p in self.params]
        for p in self.params:  # new objects, so that ``saved`` keeps the old values
            p.data = p.data + self._perturbation(p.data)
        candidate = self._evaluate()
        self.steps += 1
        first_number = math.isnan(self.best_loss) and not math.isnan(candidate)
        improved = candidate < self.best_loss or first_number
        if improved:
            self.best_loss = candidate
            self.accepted += 1
        else:
            for p, old in zip(self.params, saved, strict=True):
                p.data = old
        return self.best_loss

    def _settings(self) -> dict[str, Any]:
        return {"scale": self.scale}
