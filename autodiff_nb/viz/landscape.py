"""A 2-D slice through a trained network's loss, after Li et al. (2018), "Visualizing the Loss
Landscape of Neural Nets".

Pick two random directions d1, d2 in parameter space and evaluate

    L(alpha, beta) = loss(theta* + alpha d1 + beta d2)

on a grid around the trained parameters theta*. Raw Gaussian directions would make networks with
larger weights look flatter, so each direction is *filter-normalised*: every row (one neuron's
incoming weights) of d is rescaled to the norm of the same row of theta*,

    d_row <- d_row / ||d_row|| * ||theta*_row||.

1-D parameter arrays (biases) get a zero direction by default, as in the paper.
Parameters are a list of numpy arrays, one per layer, rows = neurons; ``loss_fn`` takes such a list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from ..checks import as_numbers, flag, function, one_of, real_number, whole_number
from ..numerical import plain_number
from .artists import line, new_axes, remove_artists

Parameters = list[np.ndarray]
_TINY = 1e-10  # keeps the division finite for an all-zero random row


def _parameter_list(params: Any) -> Parameters:
    if isinstance(params, np.ndarray) or not isinstance(params, Sequence) or not params:
        raise TypeError("params must be a non-empty list of numpy arrays, one per layer")
    return [as_numbers(p, f"params[{index}]") for index, p in enumerate(params)]


def filter_normalized_direction(params: Any, rng: np.random.Generator, *,
                                ignore_1d: bool = True) -> Parameters:
    """A Gaussian direction shaped like ``params`` with each row scaled to its row's norm in params.

    Rows are the first axis (neurons); 1-D arrays get zeros if ``ignore_1d`` (biases), otherwise are
    scaled as one vector.
    """
    direction = []
    for p in _parameter_list(params):
        d = rng.standard_normal(p.shape)
        if p.ndim <= 1:
            if ignore_1d:
                d = np.zeros_like(p)
            else:
                d *= np.linalg.norm(p) / (np.linalg.norm(d) + _TINY)
        else:
            rows_p, rows_d = p.reshape(p.shape[0], -1), d.reshape(d.shape[0], -1)
            scale = np.linalg.norm(rows_p, axis=1) / (np.linalg.norm(rows_d, axis=1) + _TINY)
            d = (rows_d * scale[:, None]).reshape(p.shape)
        direction.append(d)
    return direction


@dataclass(frozen=True)
class LandscapeSlice:
    """``losses[i, j]`` = loss(theta* + alphas[j] d1 + betas[i] d2); ``center_loss`` at (0, 0)."""

    alphas: np.ndarray
    betas: np.ndarray
    losses: np.ndarray
    directions: tuple[Parameters, Parameters]
    center_loss: float


def _loss_value(loss_fn: Callable[[Parameters], Any], params: Parameters) -> float:
    return plain_number(loss_fn(params), "the result of loss_fn")


def loss_landscape_slice(params: Any, loss_fn: Callable[[Parameters], Any], *,
                         span: float = 1.0, num: int = 21, seed: int = 0,
                         directions: tuple[Any, Any] | None = None,
                         ignore_1d: bool = True) -> LandscapeSlice:
    """Loss on a num × num grid of alpha, beta in [-span, span] along two filter-normalised
    random directions (from ``np.random.default_rng(seed)``, or given as ``directions``)."""
    center = _parameter_list(params)
    function("loss_fn", loss_fn)
    num = whole_number("num", num, 2)
    span = real_number("span", span, positive=True)
    ignore_1d = flag("ignore_1d", ignore_1d)
    if directions is None:
        seed = whole_number("seed", seed, 0)
        rng = np.random.default_rng(seed)
        first = filter_normalized_direction(center, rng, ignore_1d=ignore_1d)
        second = filter_normalized_direction(center, rng, ignore_1d=ignore_1d)
    else:
        first, second = (_parameter_list(d) for d in directions)
        for d in (first, second):
            if [a.shape for a in d] != [p.shape for p in center]:
                raise ValueError("each direction must have the same shapes as params")
    alphas = np.linspace(-span, span, num)
    betas = np.linspace(-span, span, num)
    losses = np.empty((num, num))
    for i, beta in enumerate(betas):
        for j, alpha in enumerate(alphas):
            moved = [p + alpha * d1 + beta * d2
                     for p, d1, d2 in zip(center, first, second, strict=True)]
            losses[i, j] = _loss_value(loss_fn, moved)
    return LandscapeSlice(alphas, betas, losses, (first, second), _loss_value(loss_fn, center))


def plot_loss_landscape(landscape: LandscapeSlice, *, kind: str = "contour", levels: Any = 20,
                        ax: Axes | None = None, cmap: str = "viridis") -> Axes:
    """Contours (or a 3-D surface) of a :class:`LandscapeSlice`, the trained parameters at (0, 0).

    Gids: 'surface', 'contour_lines', 'trained'.
    """
    if not isinstance(landscape, LandscapeSlice):
        raise TypeError(f"landscape must be the LandscapeSlice that loss_landscape_slice returns, got "
                        f"{type(landscape).__name__} {landscape!r}")
    one_of("kind", kind, ("contour", "surface"))
    ax = new_axes(ax, projection="3d" if kind == "surface" else None)
    remove_artists(ax, "surface")
    remove_artists(ax, "contour_lines")
    aa, bb = np.meshgrid(landscape.alphas, landscape.betas)
    if kind == "contour":
        filled = ax.contourf(aa, bb, landscape.losses, levels=levels, cmap=cmap)
        filled.set_gid("surface")
        outlines = ax.contour(aa, bb, landscape.losses, levels=filled.levels, colors="k",
                              linewidths=0.4, alpha=0.5)
        outlines.set_gid("contour_lines")
        line(ax, "trained", [0.0], [0.0], color="w", marker="*", markersize=15,
             markeredgecolor="k", linestyle="none", label="trained parameters")
    else:
        surface = ax.plot_surface(aa, bb, landscape.losses, cmap=cmap, linewidth=0, alpha=0.9)
        surface.set_gid("surface")
        remove_artists(ax, "trained")
        ax.plot([0.0], [0.0], [landscape.center_loss], color="r", marker="*", markersize=12,
                linestyle="none", gid="trained", label="trained parameters")
        ax.set_zlabel("loss")
    ax.set_xlabel("α (direction 1)")
    ax.set_ylabel("β (direction 2)")
    return ax
