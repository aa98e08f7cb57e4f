"""Shared matplotlib plumbing for the plots: new axes, lines updated in place, a function on a 2-D grid.

Widgets redraw a plot many times a second, so every plot function draws its lines through
:func:`line`, which finds the line by its ``gid`` on the given Axes and only changes its data
when the plot function is called again with the same ``ax``. Creating artists is cheap;
recreating contour sets is not, so keep grids modest (60×60 contours take a few milliseconds).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib import rcParams
from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.transforms import ScaledTranslation

from ..numerical import plain_number


def new_axes(ax: Axes | None = None, *, projection: str | None = None,
             figsize: tuple[float, float] = (6.0, 4.0)) -> Axes:
    """``ax`` itself, or a fresh pyplot Axes (pyplot is imported only when a figure is needed)."""
    if ax is not None:
        if not isinstance(ax, Axes):
            raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
        if projection == "3d" and ax.name != "3d":
            raise ValueError("this plot needs a 3-D Axes: fig.add_subplot(projection='3d')")
        return ax
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=figsize)
    return figure.add_subplot(projection=projection)


def find_artist(ax: Axes, gid: str) -> Any:
    """The artist (line, collection, ...) with this ``gid`` on ``ax``, or None."""
    for artist in ax.get_children():
        if artist.get_gid() == gid:
            return artist
    return None


def line(ax: Axes, gid: str, x: Any, y: Any, **style: Any) -> Line2D:
    """Draw the line ``gid`` on ``ax``, or update its data (and label) if it is already there."""
    existing = find_artist(ax, gid)
    if isinstance(existing, Line2D):
        existing.set_data(x, y)
        if "label" in style:
            existing.set_label(style["label"])
        return existing
    (created,) = ax.plot(x, y, gid=gid, **style)
    return created


def remove_artists(ax: Axes, gid_prefix: str) -> None:
    """Remove every artist whose gid starts with ``gid_prefix`` (things redrawn from scratch)."""
    for artist in list(ax.get_children()):
        gid = artist.get_gid()
        if gid is not None and gid.startswith(gid_prefix):
            artist.remove()


def _points(size_key: str) -> float:
    return FontProperties(size=rcParams[size_key]).get_size_in_points()


def legend_below(ax: Axes, max_columns: int = 3, **style: Any) -> Legend | None:
    """The axes' legend under it, below the tick labels and the x label: for plots whose data fills
    the axes (contours, decision regions), where any legend inside would cover some of it.
    Entries run in rows of up to ``max_columns``; None when nothing is labelled."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return None
    # Points from the bottom of the axes to the top of the legend: ticks, tick labels and room for
    # an x label (also when the caller sets one afterwards).
    drop = (rcParams["xtick.major.size"] + rcParams["xtick.major.pad"] + _points("xtick.labelsize")
            + rcParams["axes.labelpad"] + _points("axes.labelsize") + 3.0)
    below = ax.transAxes + ScaledTranslation(0.0, -drop / 72.0, ax.figure.dpi_scale_trans)
    return ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.0),
                     bbox_transform=below, ncol=min(max_columns, len(handles)), frameon=False,
                     borderaxespad=0.0, **style)


def legend_beside(ax: Axes, **style: Any) -> Legend:
    """The axes' legend in the margin to its right, where it can never cover data (leave the room,
    e.g. ``figure.subplots_adjust(right=0.75)``)."""
    return ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0,
                     fontsize="small", frameon=False, **style)


def rescale(ax: Axes) -> None:
    """Fit the view to the data again, except on axes whose limits the user fixed."""
    ax.relim()
    ax.autoscale_view()


def evaluate_2d(f: Callable[[Any, Any], Any], xx: np.ndarray, yy: np.ndarray,
                what: str = "loss") -> np.ndarray:
    """``f(x, y)`` on a meshgrid: vectorised if ``f`` accepts arrays, else point by point."""
    try:
        with np.errstate(all="ignore"):
            zz = np.asarray(f(xx, yy), dtype=float)
        if zz.shape == xx.shape:
            return zz
    except Exception:  # noqa: BLE001 - not vectorised: fall back to the loop
        pass
    out = np.empty(xx.shape)
    for index in np.ndindex(xx.shape):
        with np.errstate(all="ignore"):
            out[index] = plain_number(f(float(xx[index]), float(yy[index])), f"the result of {what}")
    return out

