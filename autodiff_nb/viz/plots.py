"""Matplotlib pictures for the course: derivatives, finite differences, fits, shallow networks.

Every function takes an optional ``ax=`` and returns the Axes it drew on; none calls
``plt.show()``. Calling a function again with the same ``ax`` updates its lines in place (found by
their ``gid``), which is what the widgets do on every slider move.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from .artists import (
    as_real_array,
    check_limits,
    evaluate_1d,
    line,
    new_axes,
    number,
    remove_artists,
    rescale,
)

NAN_SEPARATOR = np.nan


# --------------------------------------------------------------------------------------------------
# A function, its derivative, and the tangent (or a secant)
# --------------------------------------------------------------------------------------------------

def _derivative_at(f: Callable[[Any], Any], x: float) -> float:
    from ..transforms import derivative  # forward mode: one dual-number pass per point

    try:
        return float(derivative(f, x))
    except TypeError as error:
        raise TypeError(
            "f must be written with operators and autodiff_nb functions (autodiff_nb.sin, "
            f"autodiff_nb.exp, ...) so forward mode can differentiate it: {error}"
        ) from None


def plot_function_and_derivative(f: Callable[[Any], Any], x0: float,
                                 xlim: tuple[float, float] | None = None, *,
                                 h: float | None = None, ylim: tuple[float, float] | None = None,
                                 num: int = 200, ax: Axes | None = None) -> Axes:
    """Plot f, its derivative f' (forward mode, ``autodiff_nb.derivative``) and the line touching f.

    Without ``h`` the line is the tangent at x0, slope f'(x0). With ``h`` it is the secant
    through (x0, f(x0)) and (x0+h, f(x0+h)), slope (f(x0+h) - f(x0))/h, the tangent as h -> 0.
    Line gids: 'f', 'df', 'touching', 'x0' (and 'x0+h' for a secant).
    """
    x0 = float(as_real_array(x0, "x0"))
    low, high = check_limits(xlim if xlim is not None else (x0 - 3.0, x0 + 3.0), "xlim")
    if h is not None and (not np.isfinite(h) or h == 0):
        raise ValueError(f"h must be a finite non-zero step, got {h!r}")
    ax = new_axes(ax)
    xs = np.linspace(low, high, num)
    ys = evaluate_1d(f, xs, "f")
    slopes = np.array([_derivative_at(f, x) for x in xs])
    y0 = float(evaluate_1d(f, np.array([x0]), "f")[0])
    if h is None:
        slope, label = _derivative_at(f, x0), f"tangent at x0={x0:.3g}, slope {{:.4g}}"
    else:
        y_h = float(evaluate_1d(f, np.array([x0 + h]), "f")[0])
        slope, label = (y_h - y0) / h, f"secant, h={h:.3g}, slope {{:.4g}}"
    line(ax, "f", xs, ys, color="C0", label="f(x)")
    line(ax, "df", xs, slopes, color="C1", linestyle="--", label="f'(x)")
    line(ax, "touching", xs, y0 + slope * (xs - x0), color="C2", label=label.format(slope))
    line(ax, "x0", [x0], [y0], color="C2", marker="o", linestyle="none")
    if h is None:
        remove_artists(ax, "x0+h")
    else:
        line(ax, "x0+h", [x0 + h], [y_h], color="C2", marker="o", markerfacecolor="white",
             linestyle="none")
    if ylim is None:  # fit f and f', not the tangent, which can leave the picture steeply
        finite = np.concatenate([ys[np.isfinite(ys)], slopes[np.isfinite(slopes)], [y0]])
        pad = 0.1 * (finite.max() - finite.min() or 1.0)
        ylim = (finite.min() - pad, finite.max() + pad)
    ax.set_ylim(*check_limits(ylim, "ylim"))
    ax.set_xlim(low, high)
    ax.set_xlabel("x")
    ax.legend(loc="best")
    return ax


# --------------------------------------------------------------------------------------------------
# Finite differences: truncation error against round-off
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FiniteDifferenceErrors:
    """|finite difference - exact derivative| for each step h (0 errors are stored as nan)."""

    hs: np.ndarray
    forward: np.ndarray
    central: np.ndarray
    exact: float

    @property
    def best_forward_h(self) -> float:
        return float(self.hs[np.nanargmin(self.forward)])

    @property
    def best_central_h(self) -> float:
        return float(self.hs[np.nanargmin(self.central)])


DEFAULT_STEPS = np.logspace(-16, 0, 65)


def finite_difference_errors(f: Callable[[Any], Any], x0: float, df: float | None = None,
                             hs: Any = None) -> FiniteDifferenceErrors:
    """Errors of forward (f(x+h)-f(x))/h and central (f(x+h)-f(x-h))/(2h) differences at x0.

    The exact derivative ``df`` defaults to forward-mode AD. Floats all the way: the round-off that
    makes tiny steps bad is the point.
    """
    x0 = float(as_real_array(x0, "x0"))
    hs = DEFAULT_STEPS if hs is None else as_real_array(hs, "hs")
    if hs.ndim != 1 or hs.size == 0 or np.any(hs <= 0):
        raise ValueError("hs must be a 1-D array of positive step sizes")
    exact = _derivative_at(f, x0) if df is None else float(as_real_array(df, "df"))
    points = np.concatenate([[x0], x0 + hs, x0 - hs])
    values = evaluate_1d(f, points, "f")
    f0, f_plus, f_minus = values[0], values[1:hs.size + 1], values[hs.size + 1:]
    with np.errstate(all="ignore"):
        forward = np.abs((f_plus - f0) / hs - exact)
        central = np.abs((f_plus - f_minus) / (2 * hs) - exact)
    forward[forward == 0] = np.nan  # a lucky exact hit has no place on a log axis
    central[central == 0] = np.nan
    return FiniteDifferenceErrors(hs, forward, central, exact)


def plot_fd_error(f: Callable[[Any], Any], x0: float, df: float | None = None, hs: Any = None, *,
                  ax: Axes | None = None) -> Axes:
    """Finite-difference error against step size h on log-log axes, best h of each scheme marked.

    Right of the best h the truncation error dominates (slope 1 forward, 2 central); left of it
    round-off, which grows like eps/h: the V shape. Line gids: 'forward', 'central',
    'forward_best', 'central_best'.
    """
    errors = finite_difference_errors(f, x0, df, hs)
    ax = new_axes(ax)
    for scheme, color in (("forward", "C0"), ("central", "C1")):
        values = getattr(errors, scheme)
        best_h = getattr(errors, f"best_{scheme}_h")
        best = float(np.nanmin(values))
        line(ax, scheme, errors.hs, values, color=color, marker=".",
             label=f"{scheme} difference")
        line(ax, f"{scheme}_best", [best_h], [best], color=color, marker="*", markersize=14,
             linestyle="none", label=f"best {scheme} h ≈ {best_h:.1e}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("step h")
    ax.set_ylabel("|finite difference - f'(x0)|")
    ax.set_title(f"finite differences at x0 = {float(x0):.3g}")
    rescale(ax)
    ax.legend(loc="best")
    return ax


# --------------------------------------------------------------------------------------------------
# Models against data
# --------------------------------------------------------------------------------------------------

def _as_model(model: Any) -> Callable[[Any], Any]:
    if callable(model):
        return model
    coefficients = as_real_array(model, "model coefficients")
    if coefficients.ndim != 1 or coefficients.size == 0:
        raise ValueError("model must be a function or polynomial coefficients [c0, c1, ...]")
    return lambda x: np.polynomial.polynomial.polyval(x, coefficients)


def plot_fit(x: Any, y: Any, model: Any, *, ax: Axes | None = None, num: int = 200,
             show_residuals: bool = False, label: str = "model") -> Axes:
    """Data points and a model's prediction over their range, with the mean squared error.

    ``model`` is a function of x (vectorised or not) or polynomial coefficients in increasing order:
    ``[beta0, beta1]`` is the line beta0 + beta1 x, ``[c, b, a]`` the parabola a x² + b x + c.
    ``show_residuals`` draws each error y_i - ŷ_i as a vertical segment.
    Line gids: 'data', 'fit', 'residuals'.
    """
    xs, ys = as_real_array(x, "x"), as_real_array(y, "y")
    if xs.ndim != 1 or xs.shape != ys.shape or xs.size == 0:
        raise ValueError(f"x and y must be 1-D and the same length, got shapes {xs.shape} and "
                         f"{ys.shape}")
    predict = _as_model(model)
    ax = new_axes(ax)
    predictions = evaluate_1d(predict, xs, "model")
    mse = float(np.mean((ys - predictions) ** 2))
    grid = np.linspace(xs.min(), xs.max(), num)
    line(ax, "data", xs, ys, color="C0", marker="o", linestyle="none", label="data")
    line(ax, "fit", grid, evaluate_1d(predict, grid, "model"), color="C3",
         label=f"{label} (MSE {mse:.4g})")
    if show_residuals:
        gaps = np.full(xs.size, NAN_SEPARATOR)  # one Line2D, segments split by nan
        seg_x = np.column_stack([xs, xs, gaps]).ravel()
        seg_y = np.column_stack([ys, predictions, gaps]).ravel()
        line(ax, "residuals", seg_x, seg_y, color="C3", alpha=0.5, linewidth=1, label="residuals")
    else:
        remove_artists(ax, "residuals")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    rescale(ax)
    ax.legend(loc="best")
    return ax


ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "sigmoid": lambda z: 0.5 * (1.0 + np.tanh(0.5 * z)),  # = 1/(1+e^-z) without overflow
    "linear": lambda z: z,
}


def _shallow_parameters(theta: Any, phi: Any) -> tuple[np.ndarray, np.ndarray]:
    theta, phi = as_real_array(theta, "theta"), as_real_array(phi, "phi")
    if theta.ndim != 2 or theta.shape[1] != 2:
        raise ValueError(
            f"theta must have shape (D, 2): rows [theta_d0, theta_d1], got {theta.shape}")
    if phi.shape != (theta.shape[0] + 1,):
        raise ValueError(f"phi must have D+1 = {theta.shape[0] + 1} entries [phi_0, ..., phi_D], "
                         f"got shape {phi.shape}")
    return theta, phi


def _activation(activation: str | Callable[[np.ndarray], np.ndarray]) -> Callable:
    if callable(activation):
        return activation
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)} or a function, "
                         f"got {activation!r}")
    return ACTIVATIONS[activation]


def shallow_net(x: Any, theta: Any, phi: Any,
                activation: str | Callable[[np.ndarray], np.ndarray] = "relu"
                ) -> tuple[np.ndarray, np.ndarray]:
    """y = phi_0 + sum_d phi_d a[theta_d0 + theta_d1 x] on an array of x.

    Returns ``(y, contributions)`` with ``contributions[d] = phi_{d+1} a[theta_d0 + theta_d1 x]``,
    the part hidden unit d adds to the output.
    """
    theta, phi = _shallow_parameters(theta, phi)
    xs = as_real_array(x, "x")
    hidden = _activation(activation)(theta[:, :1] + theta[:, 1:] * xs.reshape(1, -1))
    contributions = phi[1:, None] * hidden
    return phi[0] + contributions.sum(axis=0), contributions


def shallow_net_joints(theta: Any, xlim: tuple[float, float]) -> np.ndarray:
    """Inputs where a ReLU unit switches on or off, theta_d0 + theta_d1 x = 0, inside ``xlim``."""
    theta = as_real_array(theta, "theta")
    low, high = check_limits(xlim, "xlim")
    slopes = theta[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        joints = np.where(slopes != 0, -theta[:, 0] / slopes, np.nan)
    return np.sort(joints[(joints >= low) & (joints <= high)])


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
    low, high = check_limits(xlim, "xlim")
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
        line(ax, "data", as_real_array(x_data, "x_data"), as_real_array(y_data, "y_data"),
             color="0.4", marker="o", markersize=4, linestyle="none", label="data")
    ax.set_xlim(low, high)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    rescale(ax)
    ax.legend(loc="best", fontsize="small")
    return ax


# --------------------------------------------------------------------------------------------------
# Classifiers and training
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
        rows.append([number(item, "predict(point)") for item in np.ravel(np.array(items, object))])
    out = np.array(rows)
    return out[:, 0] if out.shape[1] == 1 else out


def plot_decision_boundary(predict: Callable[[Any], Any], X: Any, y: Any, *,
                           ax: Axes | None = None, num: int = 80, margin: float = 0.5,
                           threshold: float = 0.5) -> Axes:
    """The regions a 2-D classifier assigns to each class, with the data on top.

    ``predict`` maps an (m, 2) array of points to m scores (class 1 where score > ``threshold``;
    use 0.0 for tanh or raw scores) or to (m, K) class scores (the largest wins). A model that only
    takes one point at a time is called point by point (slower: keep ``num`` small).
    Gids: 'regions' (filled contours), 'boundary', 'class<k>' (data).
    """
    X, y = as_real_array(X, "X"), as_real_array(y, "y")
    if X.ndim != 2 or X.shape[1] != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"X must be (n, 2) and y (n,), got {X.shape} and {y.shape}")
    ax = new_axes(ax)
    (x_low, y_low), (x_high, y_high) = X.min(axis=0) - margin, X.max(axis=0) + margin
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
    ax.legend(loc="best")
    return ax


def _history_series(history: Any) -> dict[str, np.ndarray]:
    if isinstance(history, Mapping):
        series = dict(history)
    elif isinstance(history, Sequence) and history and all(isinstance(h, Mapping) for h in history):
        names = list(dict.fromkeys(name for record in history for name in record))
        series = {name: [record.get(name, np.nan) for record in history] for name in names}
    else:
        series = {"loss": history}
    out = {str(name): as_real_array(values, f"history[{name!r}]")
           for name, values in series.items()}
    for name, values in out.items():
        if values.ndim != 1:
            raise ValueError(f"history[{name!r}] must be a sequence of numbers")
    return out


def plot_training_curves(history: Any, *, ax: Axes | None = None, logy: bool = False) -> Axes:
    """Training curves against step: ``history`` is a list of losses, a dict of name -> values
    (e.g. {'loss': [...], 'accuracy': [...]}) or a list of per-step dicts. Line gids: the names."""
    series = _history_series(history)
    ax = new_axes(ax)
    for index, (name, values) in enumerate(series.items()):
        line(ax, name, np.arange(values.size), values, color=f"C{index}", label=name)
    ax.set_yscale("log" if logy else "linear")
    ax.set_xlabel("step")
    ax.set_ylabel(next(iter(series)) if len(series) == 1 else "value")
    rescale(ax)
    ax.legend(loc="best")
    return ax


def plot_expression_swell(depths: Any, symbolic_sizes: Any, ad_sizes: Any, *,
                          ax: Axes | None = None) -> Axes:
    """Size of the symbolic derivative against the AD graph size, by nesting depth (log y).

    Line gids: 'symbolic', 'ad'.
    """
    depths = as_real_array(depths, "depths")
    symbolic = as_real_array(symbolic_sizes, "symbolic_sizes")
    ad = as_real_array(ad_sizes, "ad_sizes")
    if not (depths.ndim == 1 and depths.shape == symbolic.shape == ad.shape):
        raise ValueError("depths, symbolic_sizes and ad_sizes must be 1-D and the same length")
    if np.any(symbolic <= 0) or np.any(ad <= 0):
        raise ValueError("sizes must be positive (they are drawn on a log axis)")
    ax = new_axes(ax)
    line(ax, "symbolic", depths, symbolic, color="C3", marker="o",
         label="symbolic derivative (expression size)")
    line(ax, "ad", depths, ad, color="C0", marker="s",
         label="automatic differentiation (graph size)")
    ax.set_yscale("log")
    ax.set_xlabel("depth")
    ax.set_ylabel("nodes")
    rescale(ax)
    ax.legend(loc="best")
    return ax


__all__ = [
    "plot_function_and_derivative", "finite_difference_errors", "FiniteDifferenceErrors",
    "plot_fd_error", "plot_fit", "shallow_net", "shallow_net_joints", "plot_shallow_net",
    "plot_decision_boundary", "plot_training_curves", "plot_expression_swell",
]
