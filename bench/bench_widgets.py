"""How long each explorer takes to recompute and redraw after one control change (target: 150 ms).

    python bench/bench_widgets.py [--repeats N]

For every explorer the benchmark moves one control through a list of values, as a learner dragging a
slider would, and times each change from setting the widget's value to the new PNG being handed to
the ``ipywidgets.Image`` (the kernel's side; the browser then swaps one picture). It prints, per
control, the median and the worst wall-clock time and the median CPU time of this process. The
machine may be shared with other work: the CPU time is what the change costs, the wall time what
it took here and now. The pictures are drawn for the size they are shown at and the screen's
pixel ratio (``widgets.figure_image.PIXEL_RATIO``): the first table names their pixel sizes.

The second table compares ways to show a changed matplotlib figure, on the derivative explorer's
figure:

* ``Image, blit``: what the explorers do: only the moving artists are drawn, over a cached picture
  of axes, ticks and labels, and the PNG goes to one Image widget;
* ``Image, full redraw``: the same without the cached background;
* ``Output + display``: ``clear_output(wait=True)`` then ``display(fig)`` in an Output widget, the
  common recipe; its kernel-side cost is the inline backend's ``print_figure`` (PNG, tight bbox),
  timed here without a kernel.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from autodiff_nb import data, widgets  # noqa: E402
from autodiff_nb.explore import sum_of_products_example  # noqa: E402
from autodiff_nb.widgets.figure_image import PIXEL_RATIO  # noqa: E402

BUDGET_MS = 150.0


def time_changes(apply: Callable[[Any], None], values: Sequence[Any],
                 repeats: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of ``apply(value)`` per value, ``repeats`` passes over them."""
    walls, cpus = [], []
    for _ in range(repeats):
        for value in values:
            wall, cpu = time.perf_counter(), time.process_time()
            apply(value)
            walls.append((time.perf_counter() - wall) * 1e3)
            cpus.append((time.process_time() - cpu) * 1e3)
    return walls, cpus


def setter(control: Any) -> Callable[[Any], None]:
    def apply(value: Any) -> None:
        control.value = value
    return apply


def explorer_cases() -> list[tuple[str, Callable[[Any], None], Sequence[Any], Any]]:
    derivative = widgets.derivative_explorer(np.sin, x=1.0, h=0.5)
    fd_error = widgets.fd_error_explorer(np.sin, x=1.0, h=1e-5)
    shallow = widgets.shallow_net_explorer(data=data.parabola(n=30, x_range=(-1.0, 3.0), seed=1))
    stepper = widgets.backprop_stepper(sum_of_products_example())
    playground = widgets.optimizer_playground("ravine")
    regression = widgets.optimizer_playground("regression")
    lrs = [0.02, 0.05, 0.1, 0.12, 0.15, 0.18]

    def step_through(_: Any) -> None:
        if stepper.explorer.done:
            stepper.reset_button.click()
        else:
            stepper.next_button.click()

    def step_through_uncached(value: Any) -> None:
        stepper._svg_cache.clear()  # time Graphviz's layout too, as on the first visit of a step
        step_through(value)

    return [
        ("derivative: h (log slider)", setter(derivative.h_slider),
         [10.0 ** e for e in np.arange(-0.25, -16.1, -1.25)], derivative),
        ("derivative: x", setter(derivative.x_slider), [0.5, 0.8, 1.1, 1.4, 1.7, 2.0], derivative),
        ("fd error: h (log slider)", setter(fd_error.h_slider),
         [10.0 ** e for e in np.arange(-1.0, -16.1, -1.25)], fd_error),
        ("fd error: x (new curves)", setter(fd_error.x_slider), [0.5, 1.5, 2.0, 2.5], fd_error),
        ("shallow net: θ21", setter(shallow.sliders["theta_21"]),
         [0.6, 0.8, 1.0, 1.2, 1.4, 1.6], shallow),
        ("shallow net: φ3", setter(shallow.sliders["phi_3"]), [1.0, 1.2, 1.4, 1.6, 1.8], shallow),
        ("stepper: Next (Graphviz layout)", step_through_uncached, range(8), stepper),
        ("stepper: Next (cached)", step_through, range(8), stepper),
        ("playground ravine: lr, 60 steps", setter(playground.lr), lrs, playground),
        ("playground ravine: β", setter(playground.beta), [0.5, 0.6, 0.7, 0.8, 0.95], playground),
        ("playground ravine: batch size", setter(playground.batch_size), [1, 2, 8, 16], playground),
        ("playground ravine: start φ0", setter(playground.start_x),
         [-2.5, -2.0, -1.5, -1.0], playground),
        ("playground regression: lr, 60 steps", setter(regression.lr), lrs, regression),
        ("playground regression: steps 300", setter(regression.steps), [300, 299, 298], regression),
    ]


def render_comparison(repeats: int) -> list[tuple[str, list[float], list[float]]]:
    from IPython.core.pylabtools import print_figure

    view = widgets.derivative_explorer(np.sin, x=1.0, h=0.5)
    values = [10.0 ** e for e in np.arange(-0.5, -8.0, -1.0)]

    def blit(h: float) -> None:
        view.h_slider.value = h

    def full(h: float) -> None:
        view.plot.invalidate()
        view.h_slider.value = h

    def output_display(h: float) -> None:
        view.explorer.h = h
        view.plot.invalidate()  # keep the figure's own drawing in sync, then time the inline path
        view.render()
        print_figure(view.figure, "png", bbox_inches="tight")

    results = []
    for name, apply in (("Image, blit", blit), ("Image, full redraw", full),
                        ("Output + display (kernel side)", output_display)):
        walls, cpus = time_changes(apply, values, repeats)
        results.append((name, walls, cpus))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="passes over each list of values")
    args = parser.parse_args()

    print(f"Redraw time per control change, {args.repeats} passes (budget {BUDGET_MS:.0f} ms)")
    print(f"pictures: {PIXEL_RATIO} pixels per CSS pixel")
    print(f"{'control':38} {'median':>8} {'worst':>8} {'CPU med':>8}  full redraws  pixels")
    worst_median = 0.0
    for name, apply, values, view in explorer_cases():
        draws_before = view.plot.full_draws if view.plot is not None else 0
        walls, cpus = time_changes(apply, values, args.repeats)
        draws = (view.plot.full_draws - draws_before) if view.plot is not None else 0
        worst_median = max(worst_median, statistics.median(walls))
        sizes = " + ".join("{}x{}".format(*image.figure.canvas.get_width_height())
                           for image in view.figure_images)
        print(f"{name:38} {statistics.median(walls):6.1f}ms {max(walls):6.1f}ms "
              f"{statistics.median(cpus):6.1f}ms  {draws}/{len(walls)}  {sizes or 'SVG'}")
    print()
    print("Showing a changed figure (derivative explorer, h slider)")
    print(f"{'method':38} {'median':>8} {'worst':>8} {'CPU med':>8}")
    for name, walls, cpus in render_comparison(args.repeats):
        print(f"{name:38} {statistics.median(walls):6.1f}ms {max(walls):6.1f}ms "
              f"{statistics.median(cpus):6.1f}ms")
    verdict = "within" if worst_median <= BUDGET_MS else "OVER"
    print(f"\nslowest median: {worst_median:.1f} ms, {verdict} the {BUDGET_MS:.0f} ms budget")


if __name__ == "__main__":
    main()
