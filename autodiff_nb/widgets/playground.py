"""Explorer 5: GD, SGD and momentum side by side on a loss surface.

The surfaces and the optimizer runs are computed in :mod:`autodiff_nb.explore.descent` and the
settings are held by ``autodiff_nb.explore.OptimizerPlayground``; this module draws them: the
three paths on the contour plot and their losses against the step.

Layout: the controls in two columns of fixed width above the two plots, one line per optimizer
under them (where it ends, or where it diverged), and the message line only for what those lines
do not say. Every redraw draws the whole current state, so after any burst of changes the picture
is the one a fresh playground with the same settings draws.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets
import numpy as np
from matplotlib.ticker import NullLocator

from ..explore.descent import SURFACES, LossSurface, Path, check_settings, get_surface
from ..explore.playground import OptimizerPlayground
from ..viz.artists import find_artist, line
from ..viz.plots import plot_training_curves
from ..viz.surfaces import plot_loss_surface, plot_trajectories
from .figure_image import FigureImage, new_figure
from .view import (
    PICTURE_WIDTH,
    SLIDER_WIDTH,
    ExplorerView,
    fixed_width,
    log_slider,
    move_log_slider,
    move_slider,
    slider,
)

LOSS_FLOOR = 1e-16
"""Loss curves show L - L*, the loss above the global minimum, on a log axis; 0 is drawn here."""
LOSS_AXIS_DECADES = 1e-7
"""The loss axis spans 7 decades below the largest loss in view (paths converging further leave)."""
STEPS_SLIDER_MAX = 300
CONTOUR_RESOLUTION = 60
CONTOUR_SIZE = (470, 400)  # CSS pixels; the loss plot takes the rest of PICTURE_WIDTH


def _marker_style(ax: Any, name: str, diverged: bool) -> None:
    """A diverged path ends in a large red cross instead of a plain one."""
    end = find_artist(ax, f"{name}:end")
    if end is not None:
        end.set_markeredgecolor("red" if diverged else "k")
        end.set_markersize(16 if diverged else 10)


class OptimizerPlaygroundView(ExplorerView):
    """Controls for the surface and every setting; the contour plot with the three paths and the
    loss curves, side by side."""

    explorer: OptimizerPlayground

    def __init__(self, playground: OptimizerPlayground) -> None:
        self.explorer = playground
        surface = playground.surface
        contour_figure = new_figure(*CONTOUR_SIZE)
        self.ax = contour_figure.add_subplot()
        contour_figure.subplots_adjust(left=0.13, right=0.97, bottom=0.11, top=0.92)
        loss_figure = new_figure(PICTURE_WIDTH - CONTOUR_SIZE[0], CONTOUR_SIZE[1])
        self.loss_ax = loss_figure.add_subplot()
        loss_figure.subplots_adjust(left=0.17, right=0.97, bottom=0.11, top=0.86)
        self.loss_plot = FigureImage(loss_figure)

        self._surfaces = {**SURFACES, surface.key: surface}
        self.surface = ipywidgets.Dropdown(
            options=[(s.title, key) for key, s in self._surfaces.items()], value=surface.key,
            description="surface", style={"description_width": "initial"},
            layout=fixed_width(SLIDER_WIDTH),
        )
        self.start_x = slider("start φ₀", playground.start[0], *surface.xlim, step=0.05)
        self.start_y = slider("start φ₁", playground.start[1], *surface.ylim, step=0.05)
        self.lr = log_slider("learning rate", playground.lr, -3, 1, step=0.05, readout_format=".3g")
        self.beta = slider("momentum β", playground.beta, 0.0, 0.99, step=0.01)
        self.batch_size = ipywidgets.IntSlider(
            value=playground.batch_size, min=0, max=surface.examples, description="SGD batch size",
            style={"description_width": "initial"}, layout=fixed_width(SLIDER_WIDTH),
        )
        self.steps = ipywidgets.IntSlider(
            value=playground.steps, min=1, max=max(STEPS_SLIDER_MAX, playground.steps),
            description="steps", style={"description_width": "initial"},
            layout=fixed_width(SLIDER_WIDTH),
        )
        self.summary = ipywidgets.HTML()
        left = ipywidgets.VBox([self.surface, self.start_x, self.start_y, self.steps],
                               layout=fixed_width(SLIDER_WIDTH + 20))
        right = ipywidgets.VBox([self.lr, self.beta, self.batch_size],
                                layout=fixed_width(SLIDER_WIDTH + 20))
        super().__init__([ipywidgets.HBox([left, right])], FigureImage(contour_figure),
                         beside=[self.loss_plot], below=[self.summary])
        self._drawn_surface: str | None = None

        self.watch(self.surface, self._set_surface)
        self.watch(self.start_x, lambda value: self._set_start(0, value))
        self.watch(self.start_y, lambda value: self._set_start(1, value))
        self.watch(self.lr, lambda value: setattr(self.explorer, "lr", value))
        self.watch(self.beta, lambda value: setattr(self.explorer, "beta", value))
        self.watch(self.batch_size, lambda value: setattr(self.explorer, "batch_size", value))
        self.watch(self.steps, lambda value: setattr(self.explorer, "steps", value))
        self.update()

    def _set_start(self, index: int, value: float) -> None:
        start = list(self.explorer.start)
        start[index] = value
        self.explorer.start = tuple(start)

    def _set_surface(self, key: str) -> None:
        surface = self._surfaces[key]
        self.explorer.surface = surface
        self.explorer.start = surface.start
        self.explorer.lr, self.explorer.steps = surface.lr, surface.steps
        with self.quietly():
            move_log_slider(self.lr, surface.lr)
            self.steps.value = surface.steps
            move_slider(self.start_x, surface.start[0], *surface.xlim)
            move_slider(self.start_y, surface.start[1], *surface.ylim)
            self.batch_size.max = surface.examples

    def _draw_surface(self, surface: LossSurface) -> None:
        """Contours of L - L* + offset on log-spaced levels (the offset, 1e-4 of the loss range,
        keeps the levels from crowding into the minimum)."""
        ax = self.ax
        best = surface.minimum_loss
        offset = 1e-4 * (surface.highest_loss() - best)
        plot_loss_surface(lambda p0, p1: surface.loss(p0, p1) - best + offset, surface.xlim,
                          surface.ylim, levels="log", num=CONTOUR_RESOLUTION, ax=ax,
                          mark_minimum=False)
        ax.set_xlim(*surface.xlim)  # paths that fly off must not zoom the view out
        ax.set_ylim(*surface.ylim)
        minima = np.array(surface.minima)
        best = np.array([surface.global_minimum])
        line(ax, "local_minima", minima[:, 0], minima[:, 1], color="w", marker="o", markersize=6,
             markeredgecolor="k", linestyle="none", label="_local minima", zorder=3)
        line(ax, "global_minimum", best[:, 0], best[:, 1], color="w", marker="*", markersize=16,
             markeredgecolor="k", linestyle="none", label="_global minimum", zorder=3)
        ax.set_title(surface.title)
        self._drawn_surface = surface.key

    def _draw_losses(self, paths: dict[str, Path]) -> None:
        """L - L* against the step on a log axis whose range only changes with the surface and
        the number of steps (so redraws only move the curves). The legend, above the axes, names
        the colours of both plots."""
        surface, ax = self.explorer.surface, self.loss_ax
        best = surface.minimum_loss
        curves = {name: np.maximum(path.losses - best, LOSS_FLOOR) for name, path in paths.items()}
        plot_training_curves(curves, ax=ax, logy=True)
        for name, path in paths.items():
            curve = find_artist(ax, name)
            curve.set_color(find_artist(self.ax, name).get_color())
            curve.set_label(f"{name}, diverged" if path.diverged else name)
        ax.yaxis.set_minor_locator(NullLocator())
        top = 3 * (surface.highest_loss() - best)
        ax.set_ylim(top * LOSS_AXIS_DECADES, top)
        ax.set_xlim(0, self.explorer.steps)
        ax.set_ylabel("loss above the minimum, L - L*")
        legend = ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.01), ncol=3, borderaxespad=0.0,
                           fontsize="small", frameon=False, handlelength=1.5, columnspacing=1.0)
        self.loss_plot.dynamic(*(find_artist(ax, name) for name in paths), legend)
        self.loss_plot.refresh()

    def render(self) -> list[str]:
        playground = self.explorer
        paths = playground.paths()  # raises on a bad setting, before anything is drawn
        surface = playground.surface
        if self._drawn_surface != surface.key:
            self._draw_surface(surface)
        ax = self.ax
        plot_trajectories(ax, {name: path.points for name, path in paths.items()}, legend=False)
        moving = []
        for name, path in paths.items():
            _marker_style(ax, name, path.diverged)
            moving += [find_artist(ax, gid) for gid in (name, f"{name}:start", f"{name}:end")]
        self.plot.dynamic(*moving)
        self.plot.refresh()

        self._draw_losses(paths)

        lines = "<br>".join(html.escape(path.summary()) for path in paths.values())
        self.summary.value = f"<div style='line-height:1.4'>{lines}</div>"
        notes = []  # what the lines under the plots do not already say
        if playground.batch_size >= surface.examples:
            notes.append(f"batch size {playground.batch_size} ≥ the {surface.examples} examples: "
                         "every batch is the whole data set, so SGD is plain GD.")
        return notes

    def __repr__(self) -> str:
        return f"OptimizerPlaygroundView({self.explorer!r})"


def optimizer_playground(surface: str = "bowl", *, start: tuple[float, float] | None = None,
                         lr: float | None = None, beta: float = 0.9, batch_size: int = 4,
                         steps: int | None = None, seed: int = 0) -> OptimizerPlaygroundView:
    """GD, SGD and momentum on one of the loss surfaces, with every setting on a control.

    ``surface``: 'bowl' (convex), 'ravine' (ill-conditioned), 'valley' (Rosenbrock-like), 'wells'
    (non-convex, four minima) or 'regression' (linear regression on data). The learning rate slider
    is logarithmic; a run that blows up is drawn up to where it left the finite range and labelled
    diverged. ``lr`` and ``steps`` default to values that work on the chosen surface. Mini-batches
    are drawn from a shuffle seeded by ``seed``.
    """
    chosen = get_surface(surface)
    lr = chosen.lr if lr is None else lr
    steps = chosen.steps if steps is None else steps
    check_settings(lr, steps, beta, batch_size, seed)  # named errors before sliders are built
    playground = OptimizerPlayground(chosen, start=start, lr=lr, beta=beta, batch_size=batch_size,
                                     steps=steps, seed=seed)
    return OptimizerPlaygroundView(playground)

