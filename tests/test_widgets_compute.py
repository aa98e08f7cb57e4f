"""The explorers' compute objects (autodiff_nb.explore), without any widget: the numbers behind
every picture. The TrainingMonitor's text mode is tested here too."""

from __future__ import annotations

import io
import math
import pathlib
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autodiff_nb as ad
from autodiff_nb import Value
from autodiff_nb.explore import (
    SURFACES,
    BackpropStepper,
    FiniteDifferenceExplorer,
    OptimizerPlayground,
    SecantExplorer,
    ShallowNetExplorer,
    descend,
)
from autodiff_nb.explore.descent import DIVERGENCE_LIMIT, get_surface
from autodiff_nb.explore.shallow_net import parameter_names
from autodiff_nb.explore.stepper import product_example, sum_of_products_example
from autodiff_nb.widgets import TrainingMonitor

# ---------------------------------------------------------------------------------------------
# 1. The derivative as a limit
# ---------------------------------------------------------------------------------------------


def test_secant_slope_is_the_forward_difference_and_exact_slope_comes_from_autodiff() -> None:
    explorer = SecantExplorer(np.sin, x=1.0, h=0.1)
    assert explorer.secant_slope() == (math.sin(1.1) - math.sin(1.0)) / 0.1
    central = (math.sin(1.1) - math.sin(0.9)) / 0.2
    assert explorer.central_slope() == pytest.approx(central, rel=1e-12)
    assert explorer.exact_slope() == pytest.approx(math.cos(1.0), rel=1e-15)
    (x0, y0), (x1, y1) = explorer.secant_points()
    assert (x0, x1) == (1.0, 1.1) and y1 - y0 == pytest.approx(0.1 * explorer.secant_slope())


def test_errors_shrink_like_h_forward_and_h_squared_central() -> None:
    explorer = SecantExplorer(lambda x: x ** 3, x=2.0, h=1e-2)
    big = explorer.errors()
    explorer.h = 1e-3
    small = explorer.errors()
    # x³ at 2: forward error = 6h + h², central error = h² exactly (up to rounding)
    assert big["forward"] / small["forward"] == pytest.approx(10, rel=0.02)
    assert big["central"] / small["central"] == pytest.approx(100, rel=0.02)


def test_tiny_h_is_explained_not_raised() -> None:
    explorer = SecantExplorer(np.sin, x=1.0, h=1e-16)
    assert explorer.secant_slope() == 0.0  # 1 + 1e-16 == 1
    assert explorer.errors()["forward"] == pytest.approx(math.cos(1.0))
    assert "rounds to x" in explorer.notes()[0]
    explorer.h = 1e-10
    assert "round-off" in explorer.notes()[0]
    explorer.h = 0.1
    assert explorer.notes() == []


@pytest.mark.parametrize("bad_h", [0.0, -1e-3, math.inf, math.nan])
def test_bad_steps_are_refused(bad_h: float) -> None:
    explorer = SecantExplorer(np.sin)
    with pytest.raises(ValueError, match="h"):
        explorer.h = bad_h
    assert explorer.h == 0.5  # unchanged


def test_functions_forward_mode_cannot_see_are_refused_with_a_hint() -> None:
    with pytest.raises(TypeError, match="math.sin"):
        SecantExplorer(math.sin)
    with pytest.raises(TypeError, match="function"):
        SecantExplorer("sin")  # type: ignore[arg-type]


def test_a_function_that_is_not_finite_gets_a_note() -> None:
    explorer = SecantExplorer(ad.log, x=-1.0, h=0.1)
    assert "not finite" in explorer.notes()[0]


# ---------------------------------------------------------------------------------------------
# 2. Finite-difference error
# ---------------------------------------------------------------------------------------------


def test_best_steps_sit_where_truncation_meets_round_off() -> None:
    explorer = FiniteDifferenceExplorer(np.sin, x=1.0, h=1e-5)
    best = explorer.best_steps()
    assert 1e-10 <= best["forward"] <= 1e-6  # about sqrt(eps) = 1.5e-8
    assert 1e-7 <= best["central"] <= 1e-3  # about eps ** (1/3) = 6e-6
    curves = explorer.curves()
    assert curves.hs.min() == pytest.approx(1e-16) and curves.hs.max() == pytest.approx(1e-1)
    explorer.h = 1e-2
    assert explorer.regime("forward") == explorer.regime("central") == "truncation"
    explorer.h = 1e-14
    assert explorer.regime("forward") == explorer.regime("central") == "round-off"


def test_error_curves_are_recomputed_only_when_f_or_x_changes() -> None:
    explorer = FiniteDifferenceExplorer(np.exp, x=0.5)
    first = explorer.curves()
    explorer.h = 1e-3
    assert explorer.curves() is first
    explorer.x = 1.5
    assert explorer.curves() is not first
    assert explorer.curves().exact == pytest.approx(math.exp(1.5))


# ---------------------------------------------------------------------------------------------
# 3. Shallow network
# ---------------------------------------------------------------------------------------------


def test_shallow_net_matches_the_formula_and_the_library_model() -> None:
    theta = [[0.5, -1.0], [-0.2, 0.8], [-1.5, 1.1]]
    phi = [0.3, 1.2, -0.7, 2.0]
    explorer = ShallowNetExplorer(theta, phi)
    x = np.linspace(-1, 3, 41)
    relu = lambda z: np.maximum(z, 0)  # noqa: E731
    by_hand = phi[0] + sum(phi[d + 1] * relu(theta[d][0] + theta[d][1] * x) for d in range(3))
    np.testing.assert_allclose(explorer.output(x), by_hand, rtol=1e-12)
    np.testing.assert_allclose(explorer.contributions(x).sum(axis=0) + phi[0], by_hand, rtol=1e-12)
    np.testing.assert_allclose(explorer.model().predict(x), by_hand, rtol=1e-12)


def test_joints_are_where_units_switch_and_only_for_relu() -> None:
    explorer = ShallowNetExplorer([[0, 1], [-1, 1], [-2, 1]], [0, 1, 1, 1], xlim=(-1, 3))
    np.testing.assert_allclose(explorer.joints(), [0.0, 1.0, 2.0])
    explorer.set("theta_30", -5.0)  # joint moves to x = 5/1, outside the view
    np.testing.assert_allclose(explorer.joints(), [0.0, 1.0])
    explorer.activation = "tanh"
    assert explorer.joints().size == 0


def test_parameters_by_name_and_bad_names() -> None:
    explorer = ShallowNetExplorer()
    assert parameter_names() == ["theta_10", "theta_11", "theta_20", "theta_21", "theta_30",
                                 "theta_31", "phi_0", "phi_1", "phi_2", "phi_3"]
    explorer.set("theta_21", 0.25)
    explorer.set("phi_0", -1.5)
    assert explorer.theta[1, 1] == 0.25 and explorer.get("theta_21") == 0.25
    assert explorer.phi[0] == -1.5
    for bad in ("theta_41", "theta_12", "phi_4", "psi_1", 3):
        with pytest.raises(ValueError, match="unknown parameter"):
            explorer.set(bad, 1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="finite"):
        explorer.set("phi_1", math.nan)
    with pytest.raises(ValueError, match="activation"):
        explorer.activation = "softplus"


def test_mse_on_data() -> None:
    x = np.array([0.0, 1.0, 2.0])
    y = np.array([1.0, 2.0, 3.0])
    explorer = ShallowNetExplorer([[0, 1], [0, 1], [0, 1]], [1, 0, 0, 0], data=(x, y))
    assert explorer.mse() == pytest.approx((0 + 1 + 4) / 3)  # y = 1 everywhere
    assert ShallowNetExplorer().mse() is None
    with pytest.raises(ValueError, match="same length"):
        ShallowNetExplorer(data=([1, 2], [1]))


# ---------------------------------------------------------------------------------------------
# 4. Backprop stepper
# ---------------------------------------------------------------------------------------------


def test_reverse_sweep_of_the_product_example_ends_with_the_gradients() -> None:
    stepper = BackpropStepper(product_example(), mode="reverse")
    assert (stepper.step, stepper.total, stepper.current_node) == (0, 5, None)
    visited = []
    while stepper.next():
        visited.append(stepper.current_row.label)
    assert visited == ["e", "c", "d", "a", "b"]
    adjoints = {row.label: row.adjoint for row in stepper.trace().rows}
    assert adjoints == {"e": 1.0, "c": 4.0, "d": 6.0, "a": 12.0, "b": 14.0}
    assert stepper.done and not stepper.next() and stepper.step == 5
    assert "Sweep complete" in stepper.describe()


def test_forward_sweep_seeded_at_each_input() -> None:
    stepper = BackpropStepper(product_example(), mode="forward", seed="b")
    while stepper.next():
        pass
    assert stepper.current_row.label == "e" and stepper.current_row.tangent == 14.0
    stepper.seed = "a"
    assert stepper.step == 0  # a new seed starts the sweep again
    while stepper.next():
        pass
    assert stepper.current_row.tangent == 12.0
    assert [stepper.name(node) for node in stepper.inputs()] == ["a", "b"]


def test_back_and_reset_and_mode_switch() -> None:
    stepper = BackpropStepper(sum_of_products_example(), mode="reverse")
    assert not stepper.back()
    for _ in range(3):
        stepper.next()
    assert stepper.back() and stepper.step == 2
    stepper.mode = "forward"
    assert stepper.step == 0 and stepper.mode == "forward"
    stepper.next()
    stepper.reset()
    assert stepper.step == 0


def test_reverse_sweep_of_v_gives_y_plus_z_x_plus_z_x_plus_y() -> None:
    root = sum_of_products_example()  # x=2, y=3, z=4
    stepper = BackpropStepper(root)
    while stepper.next():
        pass
    adjoints = {row.label: row.adjoint for row in stepper.trace().rows}
    assert (adjoints["x"], adjoints["y"], adjoints["z"]) == (7.0, 6.0, 5.0)
    root.backward()  # the stepper never touches .grad; backward agrees with it
    leaves = {node.label: node.grad for node in ad.topological_order(root) if not node.children}
    assert leaves == {"x": 7.0, "y": 6.0, "z": 5.0}


def test_any_user_graph_works_and_unlabelled_nodes_get_names() -> None:
    w, x = Value(-0.5, label="w"), Value(1.5, label="x")
    out = (w * x + 0.3).tanh()
    stepper = BackpropStepper(out, mode="forward", seed=w)
    while stepper.next():
        pass
    expected = ad.derivative(lambda v: (v * 1.5 + 0.3).tanh(), -0.5)
    assert stepper.current_row.tangent == pytest.approx(expected)
    assert stepper.current_row.label.startswith("v")  # unlabelled: named by position
    drawing = stepper.graph()
    assert "#ffd54f" in drawing.source  # the current node is highlighted


def test_stepper_refuses_what_it_cannot_walk() -> None:
    with pytest.raises(TypeError, match="Value"):
        BackpropStepper(3.0)
    with pytest.raises(ValueError, match="mode"):
        BackpropStepper(product_example(), mode="sideways")
    with pytest.raises(ValueError, match="no node named"):
        BackpropStepper(product_example(), mode="forward", seed="q")
    with pytest.raises(ValueError, match="leaf"):
        e = product_example()
        BackpropStepper(e, mode="forward", seed=e)


# ---------------------------------------------------------------------------------------------
# 5. Loss surfaces and optimizer paths
# ---------------------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(key=st.sampled_from(sorted(SURFACES)), p0=st.floats(-2, 2), p1=st.floats(-2, 2),
       batch_seed=st.integers(0, 10_000))
def test_autodiff_gradients_match_central_differences(key: str, p0: float, p1: float,
                                                      batch_seed: int) -> None:
    surface = SURFACES[key]
    batch = np.random.default_rng(batch_seed).choice(surface.examples, size=5, replace=False)
    value, gradient = surface.loss_and_gradient(np.array([p0, p1]), batch)
    numerical = ad.numerical_grad(lambda p: surface.loss(p[0], p[1], batch), np.array([p0, p1]),
                                  h=1e-5)
    assert value == pytest.approx(surface.loss(p0, p1, batch), rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(gradient, numerical, rtol=1e-5, atol=1e-5)


def test_batch_loss_is_the_mean_of_per_example_losses() -> None:
    surface = SURFACES["regression"]
    x, y = surface.data
    batch = np.array([3, 7, 11, 30])
    direct = np.mean((0.4 + -0.9 * x[batch] - y[batch]) ** 2)
    assert surface.loss(0.4, -0.9, batch) == pytest.approx(direct, rel=1e-12)
    assert surface.loss(0.4, -0.9) == pytest.approx(np.mean((0.4 - 0.9 * x - y) ** 2), rel=1e-12)


def test_minima_are_stationary_and_the_global_one_is_lowest() -> None:
    for surface in SURFACES.values():
        for point in surface.minima:
            _, gradient = surface.loss_and_gradient(np.array(point))
            np.testing.assert_allclose(gradient, 0.0, atol=1e-8)
        assert surface.minimum_loss == min(float(surface.loss(*p)) for p in surface.minima)
    assert len(SURFACES["wells"].minima) == 4


def test_gd_sgd_and_momentum_follow_their_update_formulas() -> None:
    surface = SURFACES["ravine"]
    lr, beta, steps = 0.05, 0.8, 12
    gd = descend(surface, "GD", lr=lr, steps=steps)
    phi = np.array(surface.start)
    for k in range(steps):
        _, g = surface.loss_and_gradient(phi)
        phi = phi - lr * g
        np.testing.assert_allclose(gd.points[k + 1], phi, rtol=1e-12)

    sgd = descend(surface, "SGD", lr=lr, steps=steps, batch_size=4, seed=3)
    momentum = descend(surface, "momentum", lr=lr, steps=steps, beta=beta, batch_size=4, seed=3)
    batches = [batch for epoch in range(2)
               for batch in ad.data.minibatches(surface.examples, 4, seed=3 + epoch)]
    phi_sgd = phi_m = np.array(surface.start)
    m = np.zeros(2)
    for k in range(steps):
        _, g = surface.loss_and_gradient(phi_sgd, batches[k])
        phi_sgd = phi_sgd - lr * g
        _, g = surface.loss_and_gradient(phi_m, batches[k])
        m = beta * m + (1 - beta) * g  # exactly the text's form
        phi_m = phi_m - lr * m
        np.testing.assert_allclose(sgd.points[k + 1], phi_sgd, rtol=1e-12)
        np.testing.assert_allclose(momentum.points[k + 1], phi_m, rtol=1e-12)
    points = momentum.points
    np.testing.assert_allclose(momentum.losses, surface.loss(points[:, 0], points[:, 1]))


def test_runs_are_deterministic_and_converge_on_the_bowl() -> None:
    for optimizer in ("GD", "SGD", "momentum"):
        first = descend("bowl", optimizer, lr=0.1, steps=150, seed=1)
        again = descend("bowl", optimizer, lr=0.1, steps=150, seed=1)
        np.testing.assert_array_equal(first.points, again.points)
        assert np.linalg.norm(first.final_point - SURFACES["bowl"].global_minimum) < 0.2
    gd = descend("bowl", "GD", lr=0.1, steps=150)
    assert gd.losses[-1] < gd.losses[0] and np.all(np.diff(gd.losses) <= 1e-12)


@pytest.mark.parametrize("lr", [2.5, 1e3, 1e300])
def test_a_diverging_run_stops_and_says_so(lr: float) -> None:
    path = descend("bowl", "GD", lr=lr, steps=100)
    assert path.diverged and 1 <= path.diverged_at <= 100
    assert len(path.points) == path.diverged_at  # the points before the bad step
    assert np.all(np.isfinite(path.points)) and np.all(np.abs(path.points) <= DIVERGENCE_LIMIT)
    assert "diverged at step" in path.summary() and "learning rate" in path.summary()


def test_bad_settings_are_named() -> None:
    with pytest.raises(ValueError, match="batch size must be at least 1"):
        descend("bowl", "SGD", batch_size=0)
    with pytest.raises(ValueError, match="learning rate"):
        descend("bowl", lr=0.0)
    with pytest.raises(ValueError, match="β"):
        descend("bowl", "momentum", beta=1.0)
    with pytest.raises(ValueError, match="unknown optimizer"):
        descend("bowl", "Adam")
    with pytest.raises(ValueError, match="unknown loss surface"):
        get_surface("mountains")
    with pytest.raises(TypeError, match="steps"):
        descend("bowl", steps=2.5)
    assert len(descend("bowl", steps=0).points) == 1


def test_batch_larger_than_the_data_is_full_batch_gd() -> None:
    surface = SURFACES["regression"]
    gd = descend(surface, "GD", lr=0.1, steps=20)
    sgd = descend(surface, "SGD", lr=0.1, steps=20, batch_size=surface.examples + 10)
    np.testing.assert_allclose(sgd.points, gd.points, rtol=1e-12)


def test_playground_caches_runs_by_setting() -> None:
    playground = OptimizerPlayground("ravine", lr=0.1, steps=30)
    paths = playground.paths()
    playground.beta = 0.5
    again = playground.paths()
    assert again["GD"] is paths["GD"] and again["SGD"] is paths["SGD"]
    assert again["momentum"] is not paths["momentum"]
    playground.batch_size = 0
    with pytest.raises(ValueError, match="batch size"):
        playground.paths()


# ---------------------------------------------------------------------------------------------
# 6. Training monitor, outside Jupyter
# ---------------------------------------------------------------------------------------------


def test_monitor_prints_plain_text_outside_jupyter() -> None:
    out = io.StringIO()
    monitor = TrainingMonitor(20, every=5, stream=out)
    assert monitor.mode == "text" and monitor.widget is None
    for step in range(20):
        monitor.update(step, Value(1.0 / (step + 1)), accuracy=step / 20)
    monitor.close()
    lines = out.getvalue().splitlines()
    assert lines[0] == "training: step  1/20  loss 1  accuracy 0"
    assert lines[1] == "training: step  5/20  loss 0.2  accuracy 0.2"
    assert lines[-2] == "training: step 20/20  loss 0.05  accuracy 0.95"
    assert lines[-1] == "training: done, 20 updates, final loss 0.05"
    assert monitor.history["loss"][:2] == [1.0, 0.5] and monitor.steps == list(range(20))
    with pytest.raises(RuntimeError, match="closed"):
        monitor.update(20, 0.1)


def test_monitor_accepts_numpy_scalars_tensors_and_values() -> None:
    monitor = TrainingMonitor(3, stream=io.StringIO())
    monitor.update(0, np.float64(0.5), accuracy=np.mean([1.0, 0.0]))
    monitor.update(1, ad.Tensor(np.array(0.25)), accuracy=np.float32(0.75))
    monitor.update(2, Value(0.125))
    assert monitor.history["loss"] == [0.5, 0.25, 0.125]
    assert monitor.history["accuracy"][:2] == [0.5, 0.75]


def test_monitor_flags_a_diverged_loss_and_refuses_bad_input() -> None:
    out = io.StringIO()
    monitor = TrainingMonitor(3, stream=out)
    monitor.update(0, math.inf)
    assert "diverged" in out.getvalue()
    with pytest.raises(ValueError, match="step"):
        monitor.update(7, 1.0)
    with pytest.raises(TypeError, match="loss"):
        monitor.update(1, "low")
    with pytest.raises(ValueError, match="total_steps"):
        TrainingMonitor(0)
    with pytest.raises(ValueError, match="display"):
        TrainingMonitor(5, display="fancy")


def test_metrics_that_start_late_are_padded() -> None:
    monitor = TrainingMonitor(3, display="text", stream=io.StringIO())
    monitor.update(0, 1.0)
    monitor.update(1, 0.5, val=0.7)
    monitor.update(2, 0.25)
    assert monitor.history["loss"] == [1.0, 0.5, 0.25]
    assert math.isnan(monitor.history["val"][0]) and monitor.history["val"][1] == 0.7
    assert math.isnan(monitor.history["val"][2])


# ---------------------------------------------------------------------------------------------
# 7. The compute objects need no ipywidgets, and bad settings get clear errors
# ---------------------------------------------------------------------------------------------


def test_compute_objects_work_with_ipywidgets_blocked() -> None:
    script = textwrap.dedent("""
        import sys
        sys.modules["ipywidgets"] = None  # any `import ipywidgets` now raises ImportError
        import numpy as np
        from autodiff_nb.explore import (BackpropStepper, FiniteDifferenceExplorer,
            OptimizerPlayground, SecantExplorer, ShallowNetExplorer, descend, product_example)
        secant = SecantExplorer(np.sin, x=1.0, h=0.1)
        stepper = BackpropStepper(product_example())
        while stepper.next():
            pass
        print(round(secant.secant_slope(), 6),
              FiniteDifferenceExplorer(np.exp, x=0.0).regime("central"),
              ShallowNetExplorer([[0, 1], [-1, 1], [-2, 1]], [0, 1, 1, 1]).joints().tolist(),
              stepper.current_row.adjoint,
              len(OptimizerPlayground("bowl", steps=5).paths()["SGD"].points),
              descend("bowl", "GD", steps=3).points.shape,
              "ipywidgets" in sys.modules and sys.modules["ipywidgets"] is not None)
        try:
            import autodiff_nb.widgets
        except ImportError:
            print("widgets need ipywidgets")
    """)
    root = pathlib.Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=root, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.splitlines()
    assert first == (f"{round((math.sin(1.1) - math.sin(1.0)) / 0.1, 6)} truncation "
                     "[0.0, 1.0, 2.0] 14.0 6 (4, 2) False")
    assert second == "widgets need ipywidgets"


def test_the_widgets_package_re_exports_the_compute_objects() -> None:
    from autodiff_nb import explore, widgets

    for name in ("SecantExplorer", "FiniteDifferenceExplorer", "ShallowNetExplorer",
                 "BackpropStepper", "OptimizerPlayground", "SURFACES", "LossSurface", "Path",
                 "descend"):
        assert getattr(widgets, name) is getattr(explore, name)


def test_regime_of_an_unknown_method_is_a_value_error_naming_it() -> None:
    explorer = FiniteDifferenceExplorer(np.sin, x=1.0)
    with pytest.raises(ValueError, match="method must be one of 'forward', 'central'"):
        explorer.regime("sideways")


@pytest.mark.parametrize("f", [lambda x: 3.0, lambda x: 0 * x + 3.0])
def test_a_constant_function_has_exact_differences_at_every_step(f) -> None:
    explorer = FiniteDifferenceExplorer(f, x=1.0, h=1e-3)
    assert explorer.exact_slope() == 0.0
    assert explorer.secant_slope() == 0.0 and explorer.central_slope() == 0.0
    assert all(math.isnan(h) for h in explorer.best_steps().values())
    assert explorer.regime("forward") == explorer.regime("central") == "exact"
    assert explorer.errors() == {"forward": 0.0, "central": 0.0}


def test_a_function_returning_text_is_refused_by_name() -> None:
    with pytest.raises(TypeError, match="must return one number, got str"):
        SecantExplorer(lambda x: "abc")


def test_the_one_over_x_example_across_its_pole_gives_a_note_not_an_error() -> None:
    from autodiff_nb.explore.univariate import EXAMPLES

    one_over_x = EXAMPLES["1/x"].f
    explorer = SecantExplorer(one_over_x, x=-0.5, h=0.5)  # x + h = 0
    (_, fx), (x_h, fx_h) = explorer.secant_points()
    assert x_h == 0.0 and fx == -2.0 and fx_h == math.inf
    assert explorer.secant_slope() == math.inf
    assert "not finite" in explorer.notes()[0]
    explorer.h = 0.25  # back to a finite secant: -2 - (-4) over 0.25
    assert explorer.secant_slope() == pytest.approx((1 / -0.25 - 1 / -0.5) / 0.25)
    fd = FiniteDifferenceExplorer(one_over_x, x=0.0)  # f'(0) does not exist
    with pytest.raises(ValueError, match="no finite derivative at x = 0"):
        fd.curves()


def test_stepping_past_the_end_is_a_value_error_naming_step() -> None:
    stepper = BackpropStepper(product_example())
    stepper.step = 5
    assert stepper.done and stepper.current_row.label == "b"
    for bad in (6, -1):
        with pytest.raises(ValueError, match="step must be at least 0 and at most 5"):
            stepper.step = bad
    with pytest.raises(TypeError, match="step must be a whole number"):
        stepper.step = 2.5
    assert stepper.step == 5


def test_forward_mode_on_unlabelled_leaves_seeds_a_leaf_not_the_output() -> None:
    x, y = Value(2.0), Value(3.0)
    out = x * y + x
    stepper = BackpropStepper(out, mode="forward")
    assert stepper.seed is x and not stepper.seed.children
    assert [stepper.name(node) for node in stepper.inputs()] == ["v0", "v1"]
    while stepper.next():
        pass
    assert stepper.current_row.tangent == 4.0  # ∂(xy + x)/∂x = y + 1
    stepper.seed = "v1"
    while stepper.next():
        pass
    assert stepper.current_row.tangent == 2.0  # ∂/∂y = x


@pytest.mark.parametrize("make, name, error", [
    (lambda: SecantExplorer(np.sin, x="1.0"), "x", TypeError),
    (lambda: SecantExplorer(np.sin, h="0.1"), "the step h", TypeError),
    (lambda: ShallowNetExplorer(theta="abc"), "theta", TypeError),
    (lambda: ShallowNetExplorer(xlim=("a", 1)), r"xlim\[0\]", TypeError),
    (lambda: ShallowNetExplorer(data=("1 2", [1, 2])), "data x", TypeError),
    (lambda: ShallowNetExplorer().set("phi_1", "2"), "phi_1", TypeError),
    (lambda: setattr(ShallowNetExplorer(), "activation", 3), "activation", ValueError),
    (lambda: OptimizerPlayground(start="ab"), "start", TypeError),
    (lambda: OptimizerPlayground(lr="0.1").paths(), "learning rate", TypeError),
    (lambda: OptimizerPlayground(beta="0.9").paths(), "momentum β", TypeError),
    (lambda: OptimizerPlayground(batch_size="4").paths(), "batch size", TypeError),
    (lambda: OptimizerPlayground(seed=-1).paths(), "seed", ValueError),
    (lambda: descend("bowl", start=("a", "b")), "start", TypeError),
    (lambda: BackpropStepper(product_example(), mode=1), "mode", ValueError),
])
def test_text_and_other_bad_settings_are_named(make, name, error) -> None:
    with pytest.raises(error, match=name) as raised:
        make()
    assert "could not convert" not in str(raised.value)


def test_monitor_settings_are_checked_by_name() -> None:
    with pytest.raises(TypeError, match="total_steps must be a whole number"):
        TrainingMonitor(2.5)
    with pytest.raises(ValueError, match="every must be at least 1"):
        TrainingMonitor(5, every=0)
    with pytest.raises(ValueError, match="min_interval must be at least 0"):
        TrainingMonitor(5, display="text", min_interval=-1.0)
    with pytest.raises(TypeError, match="logy must be True or False"):
        TrainingMonitor(5, display="text", logy="yes")


def test_the_saddle_surface_is_chapter_09s_and_holds_up_descent():
    surface = SURFACES["saddle"]
    for phi0, phi1 in ((0.0, 0.0), (0.3, -1.2), (1.0, 0.5)):
        assert surface.loss(phi0, phi1) == pytest.approx(phi0 ** 2 + (phi1 ** 2 - 1) ** 2, abs=1e-12)
    near = descend("saddle", "GD", start=(1.0, 1e-6), lr=0.1, steps=80)
    far = descend("saddle", "GD", start=(1.0, 0.3), lr=0.1, steps=80)
    at_saddle = lambda path: int(np.sum(np.linalg.norm(path.points, axis=1) < 0.1))  # noqa: E731
    assert at_saddle(near) > 5 * max(at_saddle(far), 1)
    assert abs(abs(near.final_point[1]) - 1.0) < 1e-3  # it does leave, for a minimum
