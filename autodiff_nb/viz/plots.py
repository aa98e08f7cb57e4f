"""Matplotlib pictures for the course: derivatives, finite differences, fits, training curves.

Every function takes an optional ``ax=`` and returns the Axes it drew on; none calls
``plt.show()``. Calling a function again with the same ``ax`` updates its lines in place (found by
their ``gid``), which is what the widgets do on every slider move. The numbers come from the
library (``numerical.finite_difference_errors``, forward mode for f'); this module only draws them.
The shallow network and decision boundaries are drawn in :mod:`autodiff_nb.viz.networks`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from ..checks import as_numbers, flag, function, number_range, real_number, whole_number
from ..numerical import (
    FiniteDifferenceErrors,
    exact_derivative,
    finite_difference_errors,
    function_values,
)
from .artists import line, new_axes, remove_artists, rescale

NAN_SEPARATOR = np.nan


# --------------------------------------------------------------------------------------------------
# A function, its derivative, and the tangent (or a secant)
# --------------------------------------------------------------------------------------------------

def plot_function_and_derivative(f: Callable[[Any], Any], x0: float,
                                 xlim: tuple[float, float] | None = None, *,
                                 h: float | None = None, ylim: tuple[float, float] | None = None,
                                 num: int = 200, ax: Axes | None = None) -> Axes:
    """Plot f, its derivative f' (forward mode, ``autodiff_nb.derivative``) and the line touching f.

    Without ``h`` the line is the tangent at x0, slope f'(x0). With ``h`` it is the secant
    through (x0, f(x0)) and (x0+h, f(x0+h)), slope (f(x0+h) - f(x0))/h, the tangent as h -> 0.
    Line gids: 'f', 'df', 'touching', 'x0' (and 'x0+h' for a secant).
    """
    function("f", f)
    x0 = real_number("x0", x0)
    low, high = number_range("xlim", xlim if xlim is not None else (x0 - 3.0, x0 + 3.0))
    if h is not None and (real_number("h", h) == 0):
        raise ValueError(f"h must be a finite non-zero step, got {h!r}")
    num = whole_number("num", num, 2)
    if ylim is not None:
        ylim = number_range("ylim", ylim)
    ax = new_axes(ax)
    xs = np.linspace(low, high, num)
    ys = function_values(f, xs, "f")
    slopes = np.array([exact_derivative(f, x) for x in xs])
    y0 = float(function_values(f, np.array([x0]), "f")[0])
    if h is None:
        slope, label = exact_derivative(f, x0), f"tangent at x0={x0:.3g}, slope {{:.4g}}"
    else:
        h = float(h)
        y_h = float(function_values(f, np.array([x0 + h]), "f")[0])
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
    ax.set_ylim(*ylim)
    ax.set_xlim(low, high)
    ax.set_xlabel("x")
    ax.legend(loc="best")
    return ax


# --------------------------------------------------------------------------------------------------
# Finite differences: truncation error against round-off
# --------------------------------------------------------------------------------------------------

def plot_fd_error(f: Callable[[Any], Any], x0: float, df: float | None = None, hs: Any = None, *,
                  ax: Axes | None = None) -> Axes:
    """Finite-difference error against step size h on log-log axes, best h of each scheme marked.

    Right of the best h the truncation error dominates (slope 1 forward, 2 central); left of it
    round-off, which grows like eps/h: the V shape. The errors are
    ``numerical.finite_difference_errors(f, x0, df, hs)``. Line gids: 'forward', 'central',
    'forward_best', 'central_best'.
    """
    return draw_fd_errors(finite_difference_errors(f, x0, df, hs), x0, ax=ax)


def draw_fd_errors(errors: FiniteDifferenceErrors, x0: float, *, ax: Axes | None = None) -> Axes:
    """Draw errors already computed by ``finite_difference_errors`` (see :func:`plot_fd_error`)."""
    ax = new_axes(ax)
    for scheme, color in (("forward", "C0"), ("central", "C1")):
        values = getattr(errors, scheme)
        best_h = getattr(errors, f"best_{scheme}_h")
        if np.isnan(best_h):  # every step exact (f constant): nothing to mark on a log axis
            best, best_label = np.nan, f"{scheme}: exact at every h"
        else:
            best, best_label = float(np.nanmin(values)), f"best {scheme} h ≈ {best_h:.1e}"
        line(ax, scheme, errors.hs, values, color=color, marker=".",
             label=f"{scheme} difference")
        line(ax, f"{scheme}_best", [best_h], [best], color=color, marker="*", markersize=14,
             linestyle="none", label=best_label)
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
    coefficients = as_numbers(model, "model coefficients")
    if coefficients.ndim == 0:
        raise TypeError(f"model must be a function or polynomial coefficients [c0, c1, ...], got "
                        f"{type(model).__name__} {model!r}")
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
    xs, ys = as_numbers(x, "x"), as_numbers(y, "y")
    if xs.ndim != 1 or xs.shape != ys.shape or xs.size == 0:
        raise ValueError(f"x and y must be 1-D and the same length, got shapes {xs.shape} and "
                         f"{ys.shape}")
    predict = _as_model(model)
    num = whole_number("num", num, 2)
    ax = new_axes(ax)
    predictions = function_values(predict, xs, "model")
    mse = float(np.mean((ys - predictions) ** 2))
    grid = np.linspace(xs.min(), xs.max(), num)
    line(ax, "data", xs, ys, color="C0", marker="o", linestyle="none", label="data")
    line(ax, "fit", grid, function_values(predict, grid, "model"), color="C3",
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


# --------------------------------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------------------------------

def _history_series(history: Any) -> dict[str, np.ndarray]:
    if isinstance(history, Mapping):
        series = dict(history)
    elif isinstance(history, Sequence) and history and all(isinstance(h, Mapping) for h in history):
        names = list(dict.fromkeys(name for record in history for name in record))
        series = {name: [record.get(name, np.nan) for record in history] for name in names}
    else:
        series = {"loss": history}
    out = {str(name): as_numbers(values, f"history[{name!r}]")
           for name, values in series.items()}
    if not out:
        raise ValueError("history is empty: give a list of losses or a dict of name -> values")
    for name, values in out.items():
        if values.ndim == 0:
            raise TypeError(f"history[{name!r}] must be a sequence of numbers, got one number {values!r}")
        if values.ndim != 1:
            raise ValueError(f"history[{name!r}] must be a sequence of numbers")
        if values.size == 0:
            raise ValueError(f"history[{name!r}] is empty: there is no training curve to draw")
    return out


def plot_training_curves(history: Any, *, ax: Axes | None = None, logy: bool = False) -> Axes:
    """Training curves against step: ``history`` is a list of losses, a dict of name -> values
    (e.g. {'loss': [...], 'accuracy': [...]}) or a list of per-step dicts. Line gids: the names."""
    series = _history_series(history)
    logy = flag("logy", logy)
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
    depths = as_numbers(depths, "depths")
    symbolic = as_numbers(symbolic_sizes, "symbolic_sizes")
    ad = as_numbers(ad_sizes, "ad_sizes")
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
    "plot_function_and_derivative", "plot_fd_error", "draw_fd_errors", "plot_fit", "plot_training_curves",
    "plot_expression_swell",
]
