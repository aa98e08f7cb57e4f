"""The explorers' ipywidgets views, headless: move controls as a learner would and check that the
observers fire, the compute object follows, the figure's data changes, and that extreme settings end
in a message in the view rather than an exception."""

from __future__ import annotations

import math
import re

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

import autodiff_nb as ad
from autodiff_nb import Value, widgets
from autodiff_nb.explore import product_example
from autodiff_nb.viz.artists import find_artist
from autodiff_nb.widgets.figure_image import FigureImage, new_figure


def ydata(ax, gid: str) -> np.ndarray:
    return np.asarray(find_artist(ax, gid).get_ydata(), dtype=float)


def xdata(ax, gid: str) -> np.ndarray:
    return np.asarray(find_artist(ax, gid).get_xdata(), dtype=float)


def test_every_explorer_is_one_call_returning_a_displayable_box() -> None:
    views = [
        widgets.derivative_explorer(f=np.sin, x=1.0),
        widgets.fd_error_explorer(),
        widgets.shallow_net_explorer(),
        widgets.backprop_stepper(),
        widgets.optimizer_playground(),
    ]
    for view in views:
        assert isinstance(view, ipywidgets.Box)
        bundle = view._repr_mimebundle_()
        assert "application/vnd.jupyter.widget-view+json" in bundle
        assert not re.search(r"0x[0-9a-f]{6,}", bundle["text/plain"])  # stable in saved notebooks
        assert view.message.value == ""  # nothing unusual about the defaults
    assert plt.get_fignums() == []  # the explorers' figures never go through pyplot


# ---------------------------------------------------------------------------------------------
# 1. derivative explorer
# ---------------------------------------------------------------------------------------------


def test_moving_h_updates_the_explorer_the_secant_and_the_numbers() -> None:
    view = widgets.derivative_explorer(f=np.sin, x=1.0, h=0.5)
    secant_before, png_before = ydata(view.ax, "touching"), view.plot.widget.value
    renders = view.plot.renders
    view.h_slider.value = 1e-3
    assert view.explorer.h == pytest.approx(1e-3)
    assert view.plot.renders == renders + 1  # the observer fired once and redrew
    assert view.plot.widget.value != png_before
    secant, tangent = ydata(view.ax, "touching"), ydata(view.ax, "tangent")
    assert not np.allclose(secant, secant_before)
    xs = xdata(view.ax, "touching")
    slope = (secant[-1] - secant[0]) / (xs[-1] - xs[0])
    assert slope == pytest.approx(view.explorer.secant_slope(), rel=1e-9)
    assert slope == pytest.approx(math.cos(1.0), abs=1e-3)  # nearly the tangent now
    assert (tangent[-1] - tangent[0]) / 6 == pytest.approx(math.cos(1.0))
    assert f"{view.explorer.errors()['forward']:.2e}" in view.numbers.value


def test_h_at_1e_minus_16_shows_a_message_not_an_exception() -> None:
    view = widgets.derivative_explorer(f=np.sin, x=1.0)
    view.h_slider.value = 1e-16
    assert view.explorer.h == pytest.approx(1e-16)
    assert "rounds to x" in view.message.value
    assert ydata(view.ax, "touching")[0] == ydata(view.ax, "touching")[-1]  # slope 0, drawn flat


def test_moving_x_and_switching_function() -> None:
    view = widgets.derivative_explorer(f=np.sin, x=1.0)
    view.x_slider.value = 2.0
    assert view.explorer.x == 2.0
    np.testing.assert_allclose(xdata(view.ax, "x0"), [2.0])
    view.function.value = "log(x)"
    assert view.explorer.f is ad.log
    assert (view.x_slider.min, view.x_slider.max) == (0.1, 4.0) and view.explorer.x == 2.0
    assert view.explorer.exact_slope() == pytest.approx(0.5)
    assert view.message.value == ""


def test_a_user_function_and_range_as_in_the_course() -> None:
    def f(x):
        return x ** 2

    view = widgets.derivative_explorer(f, x=3.0, h=1.0, xlim=(0.0, 5.0))
    assert view.function.value == "f" and view.explorer.secant_slope() == 7.0
    with pytest.raises(ValueError, match="outside"):
        widgets.derivative_explorer(f, x=9.0, xlim=(0.0, 5.0))


def test_blitting_gives_exactly_the_pixels_of_a_full_redraw() -> None:
    view = widgets.derivative_explorer(f=np.sin, x=1.0)
    for h in (0.3, 1e-2, 1e-9):
        view.h_slider.value = h
    assert view.plot.full_draws == 1  # only the moving lines were drawn again
    blitted = view.plot.widget.value
    view.plot.invalidate()
    view.plot.refresh()
    assert view.plot.full_draws == 2 and view.plot.widget.value == blitted


def test_static_changes_force_a_full_redraw() -> None:
    image = FigureImage(new_figure(3, 2))
    ax = image.figure.add_subplot()
    (static,) = ax.plot([0, 1], [0, 1])
    (moving,) = ax.plot([0, 1], [1, 0])
    image.dynamic(moving)
    image.refresh()
    moving.set_ydata([0.5, 0.5])
    image.refresh()
    assert image.full_draws == 1
    static.set_ydata([0.2, 0.8])
    image.refresh()
    assert image.full_draws == 2
    ax.set_xlim(-1, 2)
    image.refresh()
    assert image.full_draws == 3


# ---------------------------------------------------------------------------------------------
# 2. finite-difference error explorer
# ---------------------------------------------------------------------------------------------


def test_fd_explorer_marks_the_current_h_on_the_curves() -> None:
    view = widgets.fd_error_explorer(np.sin, x=1.0, h=1e-5)
    curve = ydata(view.ax, "forward").copy()
    view.h_slider.value = 1e-12
    assert view.explorer.h == pytest.approx(1e-12)
    np.testing.assert_allclose(xdata(view.ax, "h_now_forward"), [1e-12])
    assert ydata(view.ax, "h_now_forward")[0] == pytest.approx(view.explorer.errors()["forward"])
    np.testing.assert_array_equal(ydata(view.ax, "forward"), curve)  # the curve stays
    assert "round-off dominates" in view.numbers.value
    best = view.explorer.best_steps()["forward"]
    np.testing.assert_allclose(xdata(view.ax, "forward_best"), [best])
    view.x_slider.value = 2.5
    assert not np.array_equal(ydata(view.ax, "forward"), curve, equal_nan=True)


def test_fd_explorer_at_the_smallest_h_stays_calm() -> None:
    view = widgets.fd_error_explorer(np.exp, x=1.0)
    view.h_slider.value = 1e-16
    assert "rounds to x" in view.message.value
    assert np.all(ydata(view.ax, "h_now_forward") > 0)  # drawable on the log axis


# ---------------------------------------------------------------------------------------------
# 3. shallow network explorer
# ---------------------------------------------------------------------------------------------


def test_sliders_move_the_network_and_its_joints() -> None:
    x, y = ad.data.parabola(n=20, x_range=(-1.0, 3.0), seed=2)
    view = widgets.shallow_net_explorer(data=(x, y))
    output_before = ydata(view.ax, "output").copy()
    mse_before = view.explorer.mse()
    view.sliders["theta_21"].value = 2.0
    view.sliders["phi_0"].value = -1.0
    assert view.explorer.get("theta_21") == 2.0 and view.explorer.phi[0] == -1.0
    xs = xdata(view.ax, "output")
    np.testing.assert_allclose(ydata(view.ax, "output"), view.explorer.output(xs))
    assert not np.allclose(ydata(view.ax, "output"), output_before)
    np.testing.assert_allclose(xdata(view.ax, "joints"), view.explorer.joints())
    np.testing.assert_allclose(ydata(view.ax, "unit2"), view.explorer.contributions(xs)[1])
    assert view.explorer.mse() != mse_before
    assert f"{view.explorer.mse():.4g}" in view.ax.get_title()


def test_activation_choice_and_hiding_units() -> None:
    view = widgets.shallow_net_explorer()
    view.activation.value = "tanh"
    assert view.explorer.activation == "tanh"
    assert find_artist(view.ax, "joints") is None
    assert "smooth" in view.message.value
    view.show_units.value = False
    assert find_artist(view.ax, "unit1") is None
    assert find_artist(view.ax, "output") is not None


# ---------------------------------------------------------------------------------------------
# 4. backprop stepper
# ---------------------------------------------------------------------------------------------


def test_next_and_back_walk_the_sweep_and_highlight_the_node() -> None:
    view = widgets.backprop_stepper()
    assert view.explorer.step == 0 and view.back_button.disabled
    assert "#ffd54f" not in view.graph.value  # nothing highlighted before the first step
    view.next_button.click()
    assert view.explorer.step == 1 and view.explorer.current_node.label == "e"
    assert view.graph.value.lstrip().startswith("<svg") and "#ffd54f" in view.graph.value
    first_graph, first_table = view.graph.value, view.table.value
    view.next_button.click()
    assert view.explorer.current_node.label == "c"
    assert view.graph.value != first_graph and view.table.value != first_table
    assert "Step 2/5" in view.status.value
    view.back_button.click()
    assert view.explorer.step == 1 and view.graph.value == first_graph
    for _ in range(10):
        view.next_button.click()
    assert view.explorer.done and view.next_button.disabled
    assert "14" in view.table.value and "Sweep complete" in view.status.value


def test_mode_seed_and_example_controls() -> None:
    view = widgets.backprop_stepper()
    assert view.seed.disabled  # reverse mode needs no seed
    view.mode.value = "forward"
    assert view.explorer.mode == "forward" and not view.seed.disabled
    view.seed.value = "b"
    assert view.explorer.seed.label == "b"
    view.example.value = list(widgets.stepper.EXAMPLES)[1]
    assert view.explorer.root.label == "V" and view.seed.options == ("x", "y", "z")
    for _ in range(7):
        view.next_button.click()
    assert view.explorer.current_row.tangent == 7.0  # ∂V/∂x = y + z


def test_a_learners_own_graph() -> None:
    x = Value(0.5, label="x")
    y = (x * x).exp() + x
    y.label = "y"
    view = widgets.backprop_stepper(y, mode="reverse")
    assert view.example.layout.display == "none"  # no examples drop-down for a given graph
    while not view.explorer.done:
        view.next_button.click()
    y.backward()
    assert view.explorer.trace().rows[-1].adjoint == pytest.approx(x.grad)


# ---------------------------------------------------------------------------------------------
# 5. optimizer playground
# ---------------------------------------------------------------------------------------------


def test_learning_rate_slider_moves_all_three_paths() -> None:
    view = widgets.optimizer_playground("bowl", lr=0.1, steps=40)
    before = {name: xdata(view.ax, name).copy() for name in ("GD", "SGD", "momentum")}
    losses_before = ydata(view.loss_ax, "GD").copy()
    view.lr.value = 0.3
    assert view.explorer.lr == pytest.approx(0.3)
    paths = view.explorer.paths()
    for name in ("GD", "SGD", "momentum"):
        np.testing.assert_allclose(xdata(view.ax, name), paths[name].points[:, 0])
        np.testing.assert_allclose(ydata(view.ax, name), paths[name].points[:, 1])
        assert not np.array_equal(xdata(view.ax, name), before[name])
    assert not np.array_equal(ydata(view.loss_ax, "GD"), losses_before)
    assert view.plot.full_draws == 1  # the contours were not drawn again


def test_a_huge_learning_rate_is_shown_as_diverged() -> None:
    view = widgets.optimizer_playground("bowl")
    view.lr.value = 10.0
    assert "GD: diverged at step" in view.summary.value
    assert view.summary.value.count("diverged at step") == 2  # GD and SGD; momentum survives
    assert "diverged" not in view.message.value  # said once, in the lines under the plots
    labels = [text.get_text() for text in view.loss_ax.get_legend().get_texts()]
    assert "GD, diverged" in labels  # one legend, above the loss curves, for both plots
    farther = widgets.optimizer_playground("valley", lr=1e300)  # beyond the slider, from code
    assert "diverged at step 1" in farther.summary.value


def test_zero_batch_is_a_message_and_the_picture_stays() -> None:
    view = widgets.optimizer_playground("regression")
    picture = view.plot.widget.value
    view.batch_size.value = 0
    assert "batch size must be at least 1" in view.message.value
    assert view.plot.widget.value == picture
    view.batch_size.value = 8
    assert view.message.value == "" and view.explorer.batch_size == 8


def test_switching_surface_resets_start_and_ranges() -> None:
    view = widgets.optimizer_playground("bowl")
    view.surface.value = "valley"
    surface = widgets.SURFACES["valley"]
    assert view.explorer.surface is surface and view.explorer.start == surface.start
    assert (view.start_x.min, view.start_x.max) == surface.xlim
    assert view.lr.value == pytest.approx(surface.lr) and view.steps.value == surface.steps
    assert view.ax.get_xlim() == surface.xlim and view.ax.get_title() == surface.title
    view.start_y.value = 0.5
    assert view.explorer.start[1] == 0.5
    np.testing.assert_allclose(xdata(view.ax, "GD:start"), [surface.start[0]])


def fresh_playground_like(view):
    """A new playground drawn once in the state ``view`` ended in."""
    p = view.explorer
    return widgets.optimizer_playground(p.surface.key, start=p.start, lr=p.lr, beta=p.beta,
                                        batch_size=p.batch_size, steps=p.steps, seed=p.seed)


@pytest.mark.parametrize("seed", range(4))
def test_after_a_burst_of_changes_the_picture_is_a_fresh_draw_of_the_final_state(seed) -> None:
    """Fast slider moves, a bad setting on the way, then a surface change: the last state wins.
    Both pictures (and the lines under them) are exactly what a new playground with the final
    settings draws: no stale curve, title or legend from an earlier state."""
    rng = np.random.default_rng(seed)
    view = widgets.optimizer_playground("ravine")
    surfaces = ["bowl", "valley", "wells", "regression", "ravine"]
    for burst in range(3):
        for _ in range(12):
            control = rng.integers(6)
            if control == 0:
                view.lr.value = float(10 ** rng.uniform(-2.5, 0.7))  # some diverge
            elif control == 1:
                view.start_x.value = float(rng.uniform(view.start_x.min, view.start_x.max))
            elif control == 2:
                view.start_y.value = float(rng.uniform(view.start_y.min, view.start_y.max))
            elif control == 3:
                view.beta.value = float(rng.uniform(0.0, 0.99))
            elif control == 4:
                view.steps.value = int(rng.integers(1, 300))
            else:
                view.batch_size.value = int(rng.integers(0, view.batch_size.max + 1))  # 0: refused
        view.surface.value = surfaces[(seed + burst) % len(surfaces)]
        view.batch_size.value = int(rng.integers(1, view.batch_size.max + 1))
    assert "Error" not in view.message.value
    fresh = fresh_playground_like(view)
    assert view.plot.widget.value == fresh.plot.widget.value
    assert view.loss_plot.widget.value == fresh.loss_plot.widget.value
    assert view.summary.value == fresh.summary.value and view.message.value == fresh.message.value
    assert view.ax.get_title() == fresh.ax.get_title() == view.explorer.surface.title
    assert [t.get_text() for t in view.loss_ax.get_legend().get_texts()] == \
        [t.get_text() for t in fresh.loss_ax.get_legend().get_texts()]


def test_changes_arriving_on_two_threads_at_once_end_in_a_fresh_draw() -> None:
    """JupyterLab 4.6 + ipykernel 7 deliver widget messages on a subshell thread and the main
    thread: two redraws at once used to mix their pictures (stale curves, two legends)."""
    import threading

    view = widgets.optimizer_playground("ravine")
    renders = view.plot.renders

    def drag(control, values) -> None:
        for value in values:
            control.value = value

    threads = [
        threading.Thread(target=drag, args=(view.lr, [0.02, 0.05, 0.1, 0.2, 0.3, 0.12, 0.08])),
        threading.Thread(target=drag, args=(view.start_x, [-2.0, -1.5, -1.0, -0.5, 0.0, 0.5])),
        threading.Thread(target=drag, args=(view.beta, [0.5, 0.6, 0.7, 0.8, 0.95, 0.3])),
        threading.Thread(target=drag, args=(view.surface, ["bowl", "wells", "valley"])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    fresh = fresh_playground_like(view)
    assert view.plot.widget.value == fresh.plot.widget.value
    assert view.loss_plot.widget.value == fresh.loss_plot.widget.value
    assert view.summary.value == fresh.summary.value
    assert view.plot.renders - renders <= 22  # changes that found another waiting were not drawn


def test_derivative_explorer_after_a_burst_matches_a_fresh_draw() -> None:
    rng = np.random.default_rng(1)
    view = widgets.derivative_explorer(f=np.sin, x=1.0, h=0.5)
    for _ in range(20):
        if rng.integers(3) == 0:
            view.function.value = str(rng.choice(view.function.options))
        view.x_slider.value = float(rng.uniform(view.x_slider.min, view.x_slider.max))
        view.h_slider.value = float(10 ** rng.uniform(-16, 0))
    e = view.explorer
    fresh = widgets.derivative_explorer(e.f, x=e.x, h=e.h, xlim=view.xlim)
    assert view.plot.widget.value == fresh.plot.widget.value
    assert view.numbers.value == fresh.numbers.value


# ---------------------------------------------------------------------------------------------
# 6. training monitor as a widget
# ---------------------------------------------------------------------------------------------


def test_monitor_widget_shows_progress_and_the_curve() -> None:
    monitor = widgets.TrainingMonitor(10, display="widget", min_interval=0.0)
    assert isinstance(monitor.widget, ipywidgets.Box)
    for step in range(10):
        monitor.update(step, 2.0 ** -step)
    assert monitor.progress.value == 10
    np.testing.assert_allclose(ydata(monitor.ax, "loss"), [2.0 ** -k for k in range(10)])
    assert "step 10/10" in monitor.label.value
    assert monitor.plot.renders == 10
    monitor.close()


def test_monitor_widget_throttles_redraws() -> None:
    monitor = widgets.TrainingMonitor(500, display="widget", min_interval=3600.0)
    for step in range(500):
        monitor.update(step, 1.0 / (step + 1))
    assert monitor.plot.renders == 2  # the first update and the last
    assert len(monitor.history["loss"]) == 500


def test_stepper_without_graphviz_shows_the_dot_source(tmp_path, monkeypatch) -> None:
    from autodiff_nb.viz import graph

    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(graph, "FALLBACK_BINARY", "graphviz-pure-absent-for-this-test")
    graph.reset_graphviz_backend()
    try:
        view = widgets.backprop_stepper()
        view.next_button.click()
        assert view.message.value == "" and "<svg" not in view.graph.value
        assert "Graphviz" in view.graph.value and "digraph" in view.graph.value
        assert "#ffd54f" in view.graph.value  # the highlight is in the source too
        assert "Step 1/5" in view.status.value
    finally:
        monkeypatch.undo()
        graph.reset_graphviz_backend()


# ---------------------------------------------------------------------------------------------
# Unusual functions and settings end in words, not tracebacks
# ---------------------------------------------------------------------------------------------


def test_fd_explorer_of_a_constant_function_says_every_step_is_exact() -> None:
    view = widgets.fd_error_explorer(lambda x: 0 * x + 3.0, x=1.0, h=1e-5, xlim=(0.0, 2.0))
    assert "error" not in view.message.value.lower()
    assert view.numbers.value.count("every step gives the exact slope") == 2
    assert "—" in view.numbers.value  # no best step to show
    view.h_slider.value = 1e-10
    assert view.explorer.regime() == "exact"


def test_derivative_explorer_on_one_over_x_across_the_pole_shows_a_note() -> None:
    from autodiff_nb.explore.univariate import EXAMPLES

    view = widgets.derivative_explorer(EXAMPLES["1/x"].f, x=-0.5, h=0.5, xlim=(-1.0, 1.0))
    assert view.explorer.x + view.explorer.h == 0.0
    assert "not finite" in view.message.value and "Error" not in view.message.value
    renders = view.plot.renders
    view.h_slider.value = view.h_slider.value / 10 ** 0.25  # one notch smaller: finite again
    assert view.plot.renders == renders + 1 and "not finite" not in view.message.value


def test_stepper_view_never_steps_past_the_end() -> None:
    view = widgets.backprop_stepper(product_example())
    for _ in range(view.explorer.total + 3):
        view.next_button.click()
    assert view.explorer.step == view.explorer.total and view.next_button.disabled
    assert "Sweep complete" in view.status.value


@pytest.mark.parametrize("make, name", [
    (lambda: widgets.optimizer_playground(lr="0.1"), "learning rate"),
    (lambda: widgets.optimizer_playground(beta="0.9"), "momentum β"),
    (lambda: widgets.optimizer_playground(batch_size="4"), "batch size"),
    (lambda: widgets.optimizer_playground(steps="10"), "steps"),
    (lambda: widgets.optimizer_playground(seed="1"), "seed"),
    (lambda: widgets.optimizer_playground(start=("a", "b")), "start"),
    (lambda: widgets.derivative_explorer(x="1"), "x"),
    (lambda: widgets.derivative_explorer(xlim=("a", 2)), r"xlim\[0\]"),
    (lambda: widgets.fd_error_explorer(h="1e-5"), "the step h"),
    (lambda: widgets.shallow_net_explorer(theta="abc"), "theta"),
    (lambda: widgets.shallow_net_explorer(xlim="ab"), "xlim"),
    (lambda: widgets.TrainingMonitor("5"), "total_steps"),
])
def test_text_settings_are_refused_by_name_before_a_view_is_built(make, name) -> None:
    with pytest.raises(TypeError, match=f"{name} must be") as raised:
        make()
    assert "could not convert" not in str(raised.value)
