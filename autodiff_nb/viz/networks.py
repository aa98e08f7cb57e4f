"""Pictures of models: the course's shallow network with its hidden units, and a classifier's regions.

The shallow network's formula is :func:`autodiff_nb.nn.shallow_net_output` (the one ``ShallowNet``
uses) and its joints come from ``nn.shallow_net_joints``; these functions evaluate them on a grid of
x and draw them. Every function takes an optional
``ax=``, returns the Axes, and updates its artists in place when called again with the same ``ax``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from ..checks import as_numbers, function, number_range, real_number, whole_number
from ..nn.scalar import shallow_net_joints, shallow_net_output
from ..numerical import plain_number
from .artists import legend_below, line, new_axes, remove_artists, rescale

# --------------------------------------------------------------------------------------------------
# The shallow network y = phi_0 + sum_d phi_d a[theta_d0 + theta_d1 x]
# --------------------------------------------------------------------------------------------------


def _shallow_parameters(theta: Any, phi: Any) -> tuple[np.ndarray, np.ndarray]:
    theta, phi = as_numbers(theta, "theta"), as_numbers(phi, "phi")
    if theta.ndim != 2 or theta.shape[1] != 2:
        raise ValueError(
            f"theta must have shape (D, 2): rows [theta_d0, theta_d1], got {theta.shape}")
    if phi.shape != (theta.shape[0] + 1,):
        raise ValueError(f"phi must have D+1 = {theta.shape[0] + 1} entries [phi_0, ..., phi_D], "
                         f"got shape {phi.shape}")
    return theta, phi


def shallow_net(x: Any, theta: Any, phi: Any,
                activation: str | Callable[[Any], Any] = "relu") -> tuple[np.ndarray, np.ndarray]:
    """``nn.shallow_net_output`` on an array of x, as arrays: ``(y, contributions)``.

    ``contributions[d] = phi_{d+1} a[theta_{d+1,0} + theta_{d+1,1} x]``, the part hidden unit d + 1
    adds to the output.
    """
    theta, phi = _shallow_parameters(theta, phi)
    xs = as_numbers(x, "x").reshape(-1)
    with np.errstate(all="ignore"):
        y, shares = shallow_net_output(xs, theta, phi, activation)
    contributions = np.array(shares, dtype=float).reshape(len(shares), xs.size)
    return np.broadcast_to(np.asarray(y, dtype=float), xs.shape).copy(), contributions


def plot_shallow_net(theta: Any, phi: Any, *, activation: str | Callable = "relu",
                     xlim: tuple[float, float] = (0.0, 1.0), num: int = 200,
                     show_units: bool = True, x_data: Any = None, y_data: Any = None,
                     ax: Axes | None = None) -> Axes:
    """A shallow network y = phi_0 + sum_d phi_d a[theta_d0 + theta_d1 x] with its hidden units.

    ``theta`` is (D, 2) (D = 3 in the course), ``phi`` has D+1 entries. Each unit's contribution
    phi_d a[...] is dashed; for ReLU the joints, where a unit turns on, are marked on the output.
    Line gids: 'output', 'unit1'..'unitD', 'joints', 'data'.
    """
    theta, phi = _shallow_parameters(theta, phi)
    low, high = number_range("xlim", xlim)
    num = whole_number("num", num, 2)
    if x_data is not None:
        x_data, y_data = as_numbers(x_data, "x_data"), as_numbers(y_data, "y_data")
    ax = new_axes(ax)
    xs = np.linspace(low, high, num)
    y, contributions = shallow_net(xs, theta, phi, activation)
    remove_artists(ax, "unit")  # D may change between calls
    if show_units:
        for d, contribution in enumerate(contributions, start=1):
            line(ax, f"unit{d}", xs, contribution, color=f"C{d}", linestyle="--", linewidth=1,
                 label=f"φ{d}·a[θ{d}0 + θ{d}1 x]")
    line(ax, "output", xs, y, color="C0", linewidth=2.5, label="y")
    if activation == "relu":
        joints = shallow_net_joints(theta, (low, high))
        line(ax, "joints", joints, shallow_net(joints, theta, phi, activation)[0], color="k",
             marker="o", markersize=5, linestyle="none", label="joints")
    else:
        remove_artists(ax, "joints")
    if x_data is not None:
        line(ax, "data", x_data, y_data, color="0.4", marker="o", markersize=4, linestyle="none",
             label="data")
    ax.set_xlim(low, high)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    rescale(ax)
    ax.legend(loc="best", fontsize="small")
    return ax


# --------------------------------------------------------------------------------------------------
# Classifiers
# --------------------------------------------------------------------------------------------------

def _predict_grid(predict: Callable[[Any], Any], points: np.ndarray) -> np.ndarray:
    try:
        with np.errstate(all="ignore"):
            out = np.asarray(predict(points), dtype=float)
        if out.shape[:1] == (len(points),) and out.ndim in (1, 2):
            return out
    except Exception:  # noqa: BLE001 - not vectorised: predict one point at a time
        pass
    rows = []
    for point in points:
        value = predict(point)
        items = value if isinstance(value, (list, tuple, np.ndarray)) else [value]
        rows.append([plain_number(item, "the result of predict")
                     for item in np.ravel(np.array(items, object))])
    out = np.array(rows)
    return out[:, 0] if out.shape[1] == 1 else out


def plot_decision_boundary(predict: Callable[[Any], Any], X: Any, y: Any, *,
                           ax: Axes | None = None, num: int = 80, margin: float = 0.5,
                           threshold: float = 0.5) -> Axes:
    """The regions a 2-D classifier assigns to each class, with the data on top.

    ``predict`` maps an (m, 2) array of points to m scores (class 1 where score > ``threshold``;
    use 0.0 for tanh or raw scores) or to (m, K) class scores (the largest wins). A model that only
    takes one point at a time is called point by point (slower: keep ``num`` small). The grid has
    ``num`` x ``num`` points and reaches ``margin`` beyond the data.
    Gids: 'regions' (filled contours), 'boundary', 'class<k>' (data).
    """
    function("predict", predict)
    X, y = as_numbers(X, "X"), as_numbers(y, "y")
    if X.ndim != 2 or X.shape[1] != 2 or y.shape != (X.shape[0],) or X.shape[0] == 0:
        raise ValueError(f"X must be (n, 2) and y (n,) with n >= 1, got {X.shape} and {y.shape}")
    num = whole_number("num", num, 2)
    margin = real_number("margin", margin, minimum=0.0)
    threshold = real_number("threshold", threshold)
    (x_low, y_low), (x_high, y_high) = X.min(axis=0) - margin, X.max(axis=0) + margin
    if x_low == x_high or y_low == y_high:
        raise ValueError("the data span no area (all points on one line) and margin is 0: "
                         "give a positive margin")
    ax = new_axes(ax)
    xx, yy = np.meshgrid(np.linspace(x_low, x_high, num), np.linspace(y_low, y_high, num))
    scores = _predict_grid(predict, np.column_stack([xx.ravel(), yy.ravel()]))
    remove_artists(ax, "regions")
    remove_artists(ax, "boundary")
    classes = np.unique(y)
    if scores.ndim == 2:
        labels = np.argmax(scores, axis=1).reshape(xx.shape).astype(float)
        levels = np.arange(scores.shape[1] + 1) - 0.5
        regions = ax.contourf(xx, yy, labels, levels=levels, alpha=0.3,
                              colors=[f"C{k}" for k in range(scores.shape[1])])
        boundary = ax.contour(xx, yy, labels, levels=levels[1:-1], colors="k", linewidths=1)
    else:
        zz = scores.reshape(xx.shape)
        above = (zz > threshold).astype(float)
        regions = ax.contourf(xx, yy, above, levels=[-0.5, 0.5, 1.5], colors=["C0", "C1"],
                              alpha=0.3)
        boundary = ax.contour(xx, yy, zz, levels=[threshold], colors="k", linewidths=1.5)
    regions.set_gid("regions")
    boundary.set_gid("boundary")
    for k, label in enumerate(classes):
        members = X[y == label]
        line(ax, f"class{k}", members[:, 0], members[:, 1], color=f"C{k}", marker="o",
             markeredgecolor="k", linestyle="none", label=f"class {label:g}")
    ax.set_xlim(x_low, x_high)
    ax.set_ylim(y_low, y_high)
    legend_below(ax)  # the regions fill the axes: a legend inside would cover data
    return ax
