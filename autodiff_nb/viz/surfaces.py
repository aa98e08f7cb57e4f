"""Loss surfaces of two parameters, and optimisation paths drawn over them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from ..checks import as_numbers, function, number_range, one_of, whole_number
from .artists import evaluate_2d, legend_below, line, new_axes, remove_artists


@dataclass(frozen=True)
class LossGrid:
    """``losses[i, j]`` is the loss at (``xs[j]``, ``ys[i]``), the layout contour plots expect."""

    xs: np.ndarray
    ys: np.ndarray
    losses: np.ndarray

    @property
    def minimum(self) -> tuple[float, float, float]:
        """(x, y, loss) of the smallest finite loss on the grid."""
        i, j = np.unravel_index(np.nanargmin(self.losses), self.losses.shape)
        return float(self.xs[j]), float(self.ys[i]), float(self.losses[i, j])


def loss_grid(loss: Callable[[Any, Any], Any], xlim: tuple[float, float],
              ylim: tuple[float, float], num: int = 60) -> LossGrid:
    """Evaluate ``loss(p0, p1)`` on a num × num grid (one call on arrays if ``loss`` allows it)."""
    function("loss", loss)
    (x_low, x_high), (y_low, y_high) = number_range("xlim", xlim), number_range("ylim", ylim)
    num = whole_number("num", num, 2)
    xs, ys = np.linspace(x_low, x_high, num), np.linspace(y_low, y_high, num)
    xx, yy = np.meshgrid(xs, ys)
    losses = evaluate_2d(loss, xx, yy, "loss")
    if not np.any(np.isfinite(losses)):
        raise ValueError("loss is not finite anywhere on the grid")
    return LossGrid(xs, ys, losses)


def _levels(levels: Any, losses: np.ndarray) -> Any:
    if isinstance(levels, str):
        if levels != "log":
            raise ValueError(f"levels must be an int, a sequence or 'log', got {levels!r}")
        finite = losses[np.isfinite(losses) & (losses > 0)]
        if finite.size == 0:
            raise ValueError("levels='log' needs positive losses")
        return np.geomspace(finite.min(), finite.max(), 20)
    return levels


def plot_loss_surface(loss: Callable[[Any, Any], Any], xlim: tuple[float, float],
                      ylim: tuple[float, float], *, kind: str = "contour", levels: Any = 20,
                      num: int = 60, ax: Axes | None = None, cmap: str = "viridis",
                      xlabel: str = "φ₀", ylabel: str = "φ₁", mark_minimum: bool = True) -> Axes:
    """The loss of any function of two parameters as filled contours or a 3-D surface.

    ``loss(p0, p1)`` may take arrays (vectorised, fast) or only floats (looped). ``levels`` is a
    count, explicit levels, or 'log' for 20 log-spaced levels (good for bowls). The grid minimum
    is marked.
    Gids: 'surface' (ContourSet or surface), 'contour_lines', 'minimum'.
    """
    one_of("kind", kind, ("contour", "surface"))
    grid = loss_grid(loss, xlim, ylim, num)
    ax = new_axes(ax, projection="3d" if kind == "surface" else None)
    remove_artists(ax, "surface")
    remove_artists(ax, "contour_lines")
    xx, yy = np.meshgrid(grid.xs, grid.ys)
    if kind == "contour":
        filled = ax.contourf(xx, yy, grid.losses, levels=_levels(levels, grid.losses), cmap=cmap)
        filled.set_gid("surface")
        outlines = ax.contour(xx, yy, grid.losses, levels=filled.levels, colors="k",
                              linewidths=0.4, alpha=0.5)
        outlines.set_gid("contour_lines")
    else:
        surface = ax.plot_surface(xx, yy, grid.losses, cmap=cmap, linewidth=0, alpha=0.9)
        surface.set_gid("surface")
        ax.set_zlabel("loss")
    if mark_minimum:
        x_min, y_min, loss_min = grid.minimum
        label = f"minimum ≈ ({x_min:.3g}, {y_min:.3g})"
        if kind == "contour":
            line(ax, "minimum", [x_min], [y_min], color="w", marker="*", markersize=15,
                 markeredgecolor="k", linestyle="none", label=label)
        else:
            remove_artists(ax, "minimum")
            ax.plot([x_min], [y_min], [loss_min], color="r", marker="*", markersize=12,
                    linestyle="none", label=label, gid="minimum")
    else:
        remove_artists(ax, "minimum")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def _trajectory(name: str, points: Any) -> np.ndarray:
    path = as_numbers(points, f"trajectory {name!r}")
    if path.ndim != 2 or path.shape[1] != 2 or path.shape[0] == 0:
        raise ValueError(
            f"trajectory {name!r} must have shape (k, 2) with k >= 1, got {path.shape}")
    return path


def plot_trajectories(ax: Axes | None, trajectories: Mapping[str, Any], *,
                      legend: bool = True) -> Axes:
    """Optimisation paths, each a (k, 2) array of parameter pairs, drawn over a loss surface.

    Every path gets a line with small dots, a circle at its start and a cross at its end; the
    legend goes under the axes, since the surface fills them (any place inside covers some of it).
    Calling again with the same names moves the existing lines (cheap animation).
    Gids: '<name>', '<name>:start', '<name>:end'.
    """
    if not isinstance(trajectories, Mapping):
        raise TypeError("trajectories must be a dict of name -> (k, 2) array")
    paths = {str(name): _trajectory(str(name), points) for name, points in trajectories.items()}
    ax = new_axes(ax)
    for index, (name, path) in enumerate(paths.items()):
        color = f"C{(index + 1) % 10}"
        line(ax, name, path[:, 0], path[:, 1], color=color, marker=".", markersize=4, label=name)
        line(ax, f"{name}:start", path[:1, 0], path[:1, 1], color=color, marker="o",
             markersize=8, markeredgecolor="k", linestyle="none")
        line(ax, f"{name}:end", path[-1:, 0], path[-1:, 1], color=color, marker="X",
             markersize=10, markeredgecolor="k", linestyle="none")
    if legend:
        legend_below(ax)
    return ax
