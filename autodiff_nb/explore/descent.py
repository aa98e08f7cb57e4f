"""Loss surfaces over two parameters, and the paths gradient descent, SGD and momentum take on them.

This module only computes (numpy and autodiff_nb, no plotting); the optimizer playground
(:mod:`autodiff_nb.widgets.playground`) draws it.

Every surface is a mean over I training examples of per-example losses ``ℓ_i(φ0, φ1)``:

    L(φ) = (1/I) Σ_i ℓ_i(φ)

and every ``ℓ_i`` is written so that it is *linear in the example's own numbers* (its row of
``coefficients``). For linear regression, for instance,

    ℓ_i = (φ0 + φ1 x_i - y_i)²  =  φ0² + 2 x_i φ0 φ1 + x_i² φ1² - 2 y_i φ0 - 2 x_i y_i φ1 + y_i²

is linear in the row (x_i, x_i², y_i, x_i y_i, y_i²). The mean of the losses over any mini-batch B
is then the same formula evaluated at the mean row over B, so the loss and its gradient on a batch
cost the same whatever the batch size. Gradients come from the library's reverse mode
(:func:`autodiff_nb.value_and_grad`).

The optimizers are those of :mod:`autodiff_nb.optim` (``g`` is the gradient of the batch's mean
loss, ``lr`` the learning rate):

    GD         φ <- φ - lr·g                                    every example in every step
    SGD        φ <- φ - lr·g                                    a new mini-batch each step
    momentum   m <- β·m + (1-β)·g,  φ <- φ - lr·m               the same mini-batches as SGD

A run whose parameters leave the finite range (or grow past ``DIVERGENCE_LIMIT``) stops there and
is reported as diverged instead of overflowing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import data
from ..checks import as_numbers, real_number, whole_number
from ..engine import Value
from ..optim import SGD, Momentum
from ..transforms import value_and_grad

OPTIMIZERS = ("GD", "SGD", "momentum")
DIVERGENCE_LIMIT = 1e6
"""A run is called diverged once |φ0| or |φ1| exceeds this (or anything becomes inf/nan)."""
MAX_STEPS = 5000
EXAMPLES = 40


# --------------------------------------------------------------------------------------------------
# Surfaces
# --------------------------------------------------------------------------------------------------

Formula = Callable[[Any, Any, np.ndarray], Any]


@dataclass(frozen=True, eq=False)
class LossSurface:
    """A loss over two parameters (φ0, φ1), the mean of per-example losses.

    ``formula(phi0, phi1, c)`` is the loss of one example whose numbers are ``c`` (one row of
    ``coefficients``), linear in ``c``; called with the mean row of a batch it gives that batch's
    mean loss. It must work for floats, numpy arrays (to draw contours) and Values (gradients).
    """

    key: str
    title: str
    description: str
    formula: Formula
    coefficients: np.ndarray
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    start: tuple[float, float]
    minima: tuple[tuple[float, float], ...]
    lr: float = 0.1
    steps: int = 60
    data: tuple[np.ndarray, np.ndarray] | None = None
    mean_coefficients: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "mean_coefficients", self.coefficients.mean(axis=0))

    @property
    def examples(self) -> int:
        """I, the number of training examples."""
        return len(self.coefficients)

    def batch_coefficients(self, batch: np.ndarray | None = None) -> np.ndarray:
        """The mean coefficient row over ``batch`` (indices), or over every example."""
        if batch is None:
            return self.mean_coefficients
        return self.coefficients[batch].mean(axis=0)

    def loss(self, phi0: Any, phi1: Any, batch: np.ndarray | None = None) -> Any:
        """The mean loss over ``batch`` (default: all examples); ``phi0``/``phi1`` may be arrays."""
        with np.errstate(all="ignore"):
            return self.formula(phi0, phi1, self.batch_coefficients(batch))

    def loss_and_gradient(self, phi: np.ndarray,
                          batch: np.ndarray | None = None) -> tuple[float, np.ndarray]:
        """(L_B(φ), ∇L_B(φ)) by reverse-mode autodiff through ``formula``."""
        c = self.batch_coefficients(batch)
        value, (g0, g1) = value_and_grad(lambda p0, p1: self.formula(p0, p1, c),
                                         argnums=(0, 1))(float(phi[0]), float(phi[1]))
        return float(value), np.array([g0, g1])

    def grid(self, resolution: int = 120) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(P0, P1, L) on a resolution x resolution grid over the view, for contour plots."""
        p0, p1 = np.meshgrid(np.linspace(*self.xlim, resolution),
                             np.linspace(*self.ylim, resolution))
        return p0, p1, np.asarray(self.loss(p0, p1), dtype=float)

    @property
    def global_minimum(self) -> tuple[float, float]:
        """The lowest of ``minima``."""
        return min(self.minima, key=lambda point: float(self.loss(*point)))

    @property
    def minimum_loss(self) -> float:
        """L*, the loss at the global minimum."""
        return float(self.loss(*self.global_minimum))

    def highest_loss(self) -> float:
        """The largest loss at a corner of the view (an upper end for plots of L - L*)."""
        corners = [(x, y) for x in self.xlim for y in self.ylim]
        return max(float(self.loss(*corner)) for corner in corners)

    def __repr__(self) -> str:
        return f"LossSurface({self.key!r}: {self.title}, {self.examples} examples)"


def _bowl_formula(phi0: Any, phi1: Any, c: np.ndarray) -> Any:
    # ℓ = ((φ0 - u)² + (φ1 - v)²) / 2 with c = (u, v, u² + v²)
    return (phi0 * phi0 + phi1 * phi1) / 2 - c[0] * phi0 - c[1] * phi1 + c[2] / 2


def _ravine_formula(phi0: Any, phi1: Any, c: np.ndarray) -> Any:
    # ℓ = (φ0 - u)² / 10 + 5 (φ1 - v)² with c = (u, v, u², v²): curvatures 0.2 and 10
    return ((phi0 * phi0 - 2 * c[0] * phi0 + c[2]) / 10
            + 5 * (phi1 * phi1 - 2 * c[1] * phi1 + c[3]))


def _valley_formula(phi0: Any, phi1: Any, c: np.ndarray) -> Any:
    # ℓ = (a - φ0)² + 10 (φ1 - φ0² - e)² with c = (a, e, a² + 10 e²): a curved Rosenbrock valley
    w = phi1 - phi0 * phi0
    return phi0 * phi0 - 2 * c[0] * phi0 + 10 * w * w - 20 * c[1] * w + c[2]


def _wells_formula(phi0: Any, phi1: Any, c: np.ndarray) -> Any:
    # ℓ = (φ0² - 1)² + (φ1² - 1)² + t0 φ0 + t1 φ1 with c = (t0, t1): four wells, tilted unevenly
    s0, s1 = phi0 * phi0 - 1, phi1 * phi1 - 1
    return s0 * s0 + s1 * s1 + c[0] * phi0 + c[1] * phi1


def _saddle_formula(phi0: Any, phi1: Any, c: np.ndarray) -> Any:
    # ℓ = φ0² + (φ1² - 1)² + t0 φ0 + t1 φ1 with c = (t0, t1), tilts of mean 0: chapter 09's saddle
    s1 = phi1 * phi1 - 1
    return phi0 * phi0 + s1 * s1 + c[0] * phi0 + c[1] * phi1


def _regression_formula(phi0: Any, phi1: Any, c: np.ndarray) -> Any:
    # ℓ = (φ0 + φ1 x - y)² with c = (x, x², y, x y, y²): φ0 is the intercept, φ1 the slope
    return (phi0 * phi0 + 2 * c[0] * phi0 * phi1 + c[1] * phi1 * phi1
            - 2 * c[2] * phi0 - 2 * c[3] * phi1 + c[4])


def _well_positions(tilt: float) -> list[float]:
    """Minima of (φ² - 1)² + tilt·φ: real roots of 4φ³ - 4φ + tilt with positive curvature."""
    roots = np.roots([4.0, 0.0, -4.0, tilt])
    return sorted(float(r.real) for r in roots if abs(r.imag) < 1e-9 and 12 * r.real ** 2 - 4 > 0)


def make_surfaces(examples: int = EXAMPLES, seed: int = 0) -> dict[str, LossSurface]:
    """The playground's six surfaces, keyed 'bowl', 'ravine', 'valley', 'wells', 'saddle', 'regression'.

    Each comes with a view, a start point, and a learning rate and number of steps that work.
    """
    rng = np.random.default_rng(seed)

    u, v = rng.normal(0.5, 0.7, examples), rng.normal(1.0, 0.7, examples)
    bowl = LossSurface(
        "bowl", "convex bowl",
        "((φ0 - u)² + (φ1 - v)²)/2: one minimum, the same curvature everywhere",
        _bowl_formula, np.column_stack([u, v, u * u + v * v]),
        xlim=(-2.5, 3.0), ylim=(-2.0, 3.0), start=(-2.0, -1.5), minima=((u.mean(), v.mean()),),
    )

    u, v = rng.normal(1.0, 0.8, examples), rng.normal(0.0, 0.3, examples)
    ravine = LossSurface(
        "ravine", "ill-conditioned ravine",
        "(φ0 - u)²/10 + 5(φ1 - v)²: 50 times steeper across the ravine than along it",
        _ravine_formula, np.column_stack([u, v, u * u, v * v]),
        xlim=(-3.0, 3.0), ylim=(-1.5, 1.5), start=(-2.5, 1.0), minima=((u.mean(), v.mean()),),
        lr=0.15,
    )

    a, e = rng.normal(1.0, 0.3, examples), rng.normal(0.0, 0.3, examples)
    valley = LossSurface(
        "valley", "Rosenbrock-like valley",
        "(a - φ0)² + 10(φ1 - φ0² - e)²: a narrow curved valley with a flat floor",
        _valley_formula, np.column_stack([a, e, a * a + 10 * e * e]),
        xlim=(-2.0, 2.0), ylim=(-1.0, 3.0), start=(-1.5, 2.0),
        minima=((a.mean(), a.mean() ** 2 + e.mean()),), lr=0.01, steps=200,
    )

    t0, t1 = rng.normal(0.4, 1.0, examples), rng.normal(0.2, 1.0, examples)
    wells = LossSurface(
        "wells", "non-convex, four minima",
        "(φ0² - 1)² + (φ1² - 1)² + t0·φ0 + t1·φ1: four valleys of different depths",
        _wells_formula, np.column_stack([t0, t1]),
        xlim=(-2.0, 2.0), ylim=(-2.0, 2.0), start=(0.3, 1.8),
        minima=tuple((m0, m1) for m0 in _well_positions(t0.mean())
                     for m1 in _well_positions(t1.mean())),
    )

    t0, t1 = rng.normal(0.0, 0.3, examples), rng.normal(0.0, 0.3, examples)
    t0, t1 = t0 - t0.mean(), t1 - t1.mean()  # the mean loss is exactly chapter 09's
    saddle = LossSurface(
        "saddle", "a saddle between two minima",
        "φ0² + (φ1² - 1)²: minima at (0, ±1), a saddle at (0, 0) that holds up starts near φ1 = 0",
        _saddle_formula, np.column_stack([t0, t1]),
        xlim=(-1.5, 1.5), ylim=(-1.5, 1.5), start=(1.2, 0.01), minima=((0.0, 1.0), (0.0, -1.0)),
        steps=80,
    )

    x, y = data.line(n=examples, slope=2.0, intercept=1.0, noise=0.6, seed=seed)
    design = np.column_stack([np.ones_like(x), x])
    intercept, slope = np.linalg.lstsq(design, y, rcond=None)[0]
    regression = LossSurface(
        "regression", "linear regression on data",
        "mean of (φ0 + φ1·x - y)² over the data: convex, an elongated bowl",
        _regression_formula, np.column_stack([x, x * x, y, x * y, y * y]),
        xlim=(-2.0, 4.0), ylim=(-1.0, 5.0), start=(-1.5, -0.5),
        minima=((float(intercept), float(slope)),), data=(x, y),
    )
    return {s.key: s for s in (bowl, ravine, valley, wells, saddle, regression)}


SURFACES: dict[str, LossSurface] = make_surfaces()
"""The default surfaces (seed 0), by key."""


def get_surface(surface: str | LossSurface) -> LossSurface:
    """A surface by key ('bowl', 'ravine', 'valley', 'wells', 'saddle', 'regression') or itself."""
    if isinstance(surface, LossSurface):
        return surface
    try:
        return SURFACES[surface]
    except (KeyError, TypeError):
        raise ValueError(f"unknown loss surface {surface!r}; choose one of "
                         f"{sorted(SURFACES)}") from None


# --------------------------------------------------------------------------------------------------
# Optimizer runs
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Path:
    """Where one optimizer went: ``points[k]`` is φ after k steps, ``losses[k]`` the loss there.

    A diverged run stops at ``diverged_at``, the first step whose result was not usable.
    """

    optimizer: str
    points: np.ndarray
    losses: np.ndarray
    steps_requested: int
    diverged_at: int | None = None

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    @property
    def final_point(self) -> np.ndarray:
        return self.points[-1]

    @property
    def final_loss(self) -> float:
        return float(self.losses[-1])

    def summary(self) -> str:
        """One line: 'GD: loss 0.123 after 50 steps' or 'SGD: diverged at step 7 (...)'."""
        if self.diverged:
            return (f"{self.optimizer}: diverged at step {self.diverged_at} (|φ| passed "
                    f"{DIVERGENCE_LIMIT:g} or became inf/nan): lower the learning rate")
        return f"{self.optimizer}: loss {self.final_loss:.4g} after {self.steps_requested} steps"


def check_settings(lr: Any, steps: Any, beta: Any, batch_size: Any, seed: Any = 0) -> None:
    """Raise a ValueError/TypeError that names the first unusable setting."""
    real_number("learning rate", lr, positive=True)
    whole_number("steps", steps, 0, MAX_STEPS)
    real_number("momentum β", beta, minimum=0.0, below=1.0)
    if whole_number("batch size", batch_size, 0) == 0:
        raise ValueError("batch size must be at least 1, got 0: a batch of no examples has no "
                         "gradient")
    whole_number("seed", seed, 0)


def start_point(point: Any) -> tuple[float, float]:
    """``point`` as two finite floats (φ0, φ1), or an error naming ``start``."""
    values = as_numbers(point, "start")
    if values.shape != (2,) or not np.all(np.isfinite(values)):
        raise ValueError(f"start must be two finite numbers (φ0, φ1), got {point!r}")
    return float(values[0]), float(values[1])


def _batches(examples: int, batch_size: int, seed: int):
    """Mini-batches forever: epoch after epoch of shuffled index blocks, reshuffled each epoch."""
    epoch = 0
    while True:
        yield from data.minibatches(examples, batch_size, seed=seed + epoch)
        epoch += 1


def descend(surface: str | LossSurface, optimizer: str = "GD", *,
            start: tuple[float, float] | None = None, lr: float = 0.1, steps: int = 50,
            beta: float = 0.9, batch_size: int = 4, seed: int = 0) -> Path:
    """Run ``optimizer`` ('GD', 'SGD' or 'momentum') for ``steps`` steps from ``start``.

    GD uses every example each step; SGD and momentum take the mini-batches of ``batch_size``
    examples of a seeded shuffle (the same batches for both, so they differ only by momentum).
    """
    surface = get_surface(surface)
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}; choose one of {OPTIMIZERS}")
    check_settings(lr, steps, beta, batch_size, seed)
    phi = np.array(start_point(surface.start if start is None else start))
    batches = _batches(surface.examples, batch_size, seed) if optimizer != "GD" else None
    full_batch = tuple(float(c) for c in surface.mean_coefficients)
    params = [Value(float(phi[0]), label="phi0"), Value(float(phi[1]), label="phi1")]
    update = Momentum(params, lr, beta) if optimizer == "momentum" else SGD(params, lr)
    points = [(params[0].data, params[1].data)]
    diverged_at = None
    for step in range(1, steps + 1):
        if batches is None:
            c = full_batch
        else:
            c = tuple(float(v) for v in surface.batch_coefficients(next(batches)))
        update.zero_grad()
        try:
            surface.formula(params[0], params[1], c).backward()
            update.step()
        except (OverflowError, ZeroDivisionError):
            diverged_at = step
            break
        p0, p1 = params[0].data, params[1].data
        if not (abs(p0) <= DIVERGENCE_LIMIT and abs(p1) <= DIVERGENCE_LIMIT):  # also catches nan
            diverged_at = step
            break
        points.append((p0, p1))
    trajectory = np.array(points)
    losses = np.asarray(surface.loss(trajectory[:, 0], trajectory[:, 1]), dtype=float)
    return Path(optimizer, trajectory, losses, steps, diverged_at)
