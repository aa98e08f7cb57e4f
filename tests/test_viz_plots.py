"""viz plots, checked through their artists: line data, markers, contour levels, updates."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import autodiff_nb as ad  # noqa: E402
from autodiff_nb import viz  # noqa: E402
from autodiff_nb.viz import find_artist  # noqa: E402

COURSE_THETA = np.array([[0.3, -1.0], [-1.0, 2.0], [-0.5, 0.65]])
COURSE_PHI = np.array([-0.3, 2.0, -1.0, 7.0])


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def data(ax, gid):
    artist = find_artist(ax, gid)
    assert artist is not None, f"no artist with gid {gid!r}"
    return np.asarray(artist.get_xdata(), float), np.asarray(artist.get_ydata(), float)


# -- function, derivative, tangent / secant -------------------------------------------------------

def square(x):
    return x * x


def test_function_derivative_and_tangent_lines():
    ax = viz.plot_function_and_derivative(square, 1.0, (-2.0, 2.0), num=41)
    xs, ys = data(ax, "f")
    np.testing.assert_allclose(xs, np.linspace(-2, 2, 41))
    np.testing.assert_allclose(ys, xs ** 2)
    np.testing.assert_allclose(data(ax, "df")[1], 2 * xs)
    np.testing.assert_allclose(data(ax, "touching")[1], 1 + 2 * (xs - 1))  # y = f(1) + f'(1)(x-1)
    np.testing.assert_allclose(data(ax, "x0"), ([1.0], [1.0]))
    assert find_artist(ax, "touching").get_label() == "tangent at x0=1, slope 2"
    assert ax.get_xlim() == (-2.0, 2.0)
    low, high = ax.get_ylim()
    assert low < -4 and 4 < high < 6  # fits f and f', not the far ends of the tangent


def test_secant_with_step_h_and_in_place_updates():
    ax = viz.plot_function_and_derivative(square, 1.0, (-2.0, 2.0), num=41)
    lines_before = {gid: find_artist(ax, gid) for gid in ("f", "df", "touching")}
    viz.plot_function_and_derivative(square, 1.0, (-2.0, 2.0), h=0.5, num=41, ax=ax)
    assert {gid: find_artist(ax, gid) for gid in lines_before} == lines_before  # same artists
    xs = data(ax, "f")[0]
    np.testing.assert_allclose(data(ax, "touching")[1], 1 + 2.5 * (xs - 1))  # (2.25 - 1) / 0.5
    np.testing.assert_allclose(data(ax, "x0+h"), ([1.5], [2.25]))
    assert find_artist(ax, "touching").get_label() == "secant, h=0.5, slope 2.5"
    viz.plot_function_and_derivative(square, -1.0, (-2.0, 2.0), num=41, ax=ax)
    assert find_artist(ax, "x0+h") is None and len(ax.lines) == 4
    np.testing.assert_allclose(data(ax, "touching")[1], 1 - 2 * (xs + 1))


def test_derivative_comes_from_forward_mode_and_loops_for_scalar_only_functions():
    def relu_like(x):  # an `if` does not work on arrays: the plot falls back to a loop
        return x * x if x > 0 else 0.5 * x

    ax = viz.plot_function_and_derivative(relu_like, 1.0, (-1.0, 1.0), num=5)
    assert data(ax, "f")[1].tolist() == [-0.5, -0.25, 0.0, 0.25, 1.0]
    assert data(ax, "df")[1].tolist() == [0.5, 0.5, 0.5, 1.0, 2.0]
    ax = viz.plot_function_and_derivative(lambda x: ad.sin(x) * x, 0.5, num=11)
    xs, slopes = data(ax, "df")
    np.testing.assert_allclose(slopes, np.cos(xs) * xs + np.sin(xs))


def test_function_plot_errors_are_clear():
    with pytest.raises(TypeError, match="autodiff_nb functions"):
        viz.plot_function_and_derivative(np.sqrt, 1.0)  # numpy cannot take a dual number
    with pytest.raises(ValueError, match="h must be"):
        viz.plot_function_and_derivative(square, 0.0, h=0.0)
    with pytest.raises(ValueError, match="xlim"):
        viz.plot_function_and_derivative(square, 0.0, (1.0, -1.0))
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        viz.plot_function_and_derivative(square, 0.0, ax="left")


# -- finite differences ---------------------------------------------------------------------------

def test_finite_difference_errors_show_truncation_and_round_off():
    errors = viz.finite_difference_errors(ad.exp, 0.0)
    assert errors.exact == 1.0
    # Truncation: forward error ~ h/2 f'' and central ~ h²/6 f''' for moderate h.
    at = int(np.argmin(np.abs(errors.hs - 1e-2)))
    assert errors.forward[at] == pytest.approx(errors.hs[at] / 2, rel=0.02)
    assert errors.central[at] == pytest.approx(errors.hs[at] ** 2 / 6, rel=0.02)
    # Round-off: best steps near sqrt(eps) and eps^(1/3), worse again below them (the V).
    assert 1e-10 < errors.best_forward_h < 1e-6
    assert 1e-7 < errors.best_central_h < 1e-3
    assert np.nanmin(errors.central) < np.nanmin(errors.forward)
    assert errors.forward[np.argmin(np.abs(errors.hs - 1e-14))] > 100 * np.nanmin(errors.forward)


def test_plot_fd_error_is_log_log_with_best_steps_marked():
    errors = viz.finite_difference_errors(ad.sin, 1.0)
    ax = viz.plot_fd_error(ad.sin, 1.0, df=math.cos(1.0))
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    hs, forward = data(ax, "forward")
    np.testing.assert_allclose(hs, errors.hs)
    np.testing.assert_allclose(forward, errors.forward)
    np.testing.assert_allclose(data(ax, "central")[1], errors.central)
    np.testing.assert_allclose(data(ax, "forward_best"),
                               ([errors.best_forward_h], [np.nanmin(errors.forward)]))
    assert data(ax, "central_best")[0] == [errors.best_central_h]
    with pytest.raises(ValueError, match="positive step"):
        viz.finite_difference_errors(ad.sin, 1.0, hs=[1e-3, -1e-3])


# -- fits, shallow networks, classifiers, training ------------------------------------------------

def test_plot_fit_with_line_coefficients_and_residuals():
    x, y = np.array([0.0, 1.0, 2.0, 3.0]), np.array([1.0, 3.5, 4.5, 7.0])
    ax = viz.plot_fit(x, y, [1.0, 2.0], show_residuals=True, num=4)
    np.testing.assert_allclose(data(ax, "data"), (x, y))
    np.testing.assert_allclose(data(ax, "fit")[1], 1 + 2 * np.linspace(0, 3, 4))
    mse = np.mean((y - (1 + 2 * x)) ** 2)
    assert find_artist(ax, "fit").get_label() == f"model (MSE {mse:.4g})"
    seg_x, seg_y = data(ax, "residuals")
    assert seg_x.size == 12 and np.isnan(seg_x[2::3]).all()
    np.testing.assert_allclose(seg_y[0::3], y)
    np.testing.assert_allclose(seg_y[1::3], 1 + 2 * x)
    viz.plot_fit(x, y, lambda t: 0.5 * t ** 2 + t + 1, ax=ax, num=4)  # a parabola, same axes
    assert find_artist(ax, "residuals") is None
    np.testing.assert_allclose(data(ax, "fit")[1], [1.0, 2.5, 5.0, 8.5])
    with pytest.raises(ValueError, match="same length"):
        viz.plot_fit([1, 2], [1, 2, 3], [0, 1])


def test_shallow_net_matches_the_library_network_and_marks_joints():
    xs = np.linspace(0, 1, 101)
    y, contributions = viz.shallow_net(xs, COURSE_THETA, COURSE_PHI)
    net = ad.nn.ShallowNet(theta=COURSE_THETA, phi=COURSE_PHI)
    np.testing.assert_allclose(y, [net(float(x)).data for x in xs])
    np.testing.assert_allclose(contributions[2], 7.0 * np.maximum(-0.5 + 0.65 * xs, 0))

    joints = viz.shallow_net_joints(COURSE_THETA, (0.0, 1.0))
    np.testing.assert_allclose(joints, [0.3, 0.5, 0.5 / 0.65])
    ax = viz.plot_shallow_net(COURSE_THETA, COURSE_PHI, num=101)
    np.testing.assert_allclose(data(ax, "output")[1], y)
    for d in range(3):
        np.testing.assert_allclose(data(ax, f"unit{d + 1}")[1], contributions[d])
    joint_x, joint_y = data(ax, "joints")
    np.testing.assert_allclose(joint_x, joints)
    np.testing.assert_allclose(joint_y, viz.shallow_net(joints, COURSE_THETA, COURSE_PHI)[0])


def test_shallow_net_redraws_in_place_and_validates_shapes():
    ax = viz.plot_shallow_net(COURSE_THETA, COURSE_PHI)
    output = find_artist(ax, "output")
    viz.plot_shallow_net(COURSE_THETA, COURSE_PHI * 2, ax=ax)
    assert find_artist(ax, "output") is output
    np.testing.assert_allclose(output.get_ydata(), 2 * viz.shallow_net(
        output.get_xdata(), COURSE_THETA, COURSE_PHI)[0])
    viz.plot_shallow_net(COURSE_THETA, COURSE_PHI, activation="tanh", ax=ax, show_units=False)
    assert find_artist(ax, "joints") is None and find_artist(ax, "unit1") is None
    with pytest.raises(ValueError, match=r"theta must have shape \(D, 2\)"):
        viz.plot_shallow_net(np.ones(3), COURSE_PHI)
    with pytest.raises(ValueError, match="phi must have D\\+1 = 4 entries"):
        viz.plot_shallow_net(COURSE_THETA, np.ones(3))
    with pytest.raises(ValueError, match="activation"):
        viz.plot_shallow_net(COURSE_THETA, COURSE_PHI, activation="swish")


def two_blobs():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(-1.0, 0.4, (20, 2)), rng.normal(1.0, 0.4, (20, 2))])
    return X, np.repeat([0.0, 1.0], 20)


def test_decision_boundary_of_a_linear_score():
    X, y = two_blobs()
    ax = viz.plot_decision_boundary(lambda P: P[:, 0] + P[:, 1], X, y, threshold=0.0, num=40)
    boundary = find_artist(ax, "boundary")
    assert list(boundary.levels) == [0.0]
    vertices = np.concatenate([path.vertices for path in boundary.get_paths()])
    np.testing.assert_allclose(vertices[:, 0] + vertices[:, 1], 0.0, atol=1e-9)
    np.testing.assert_allclose(np.column_stack(data(ax, "class0")), X[:20])
    np.testing.assert_allclose(np.column_stack(data(ax, "class1")), X[20:])
    assert find_artist(ax, "regions") is not None


def test_decision_boundary_for_point_by_point_and_multiclass_models():
    X, y = two_blobs()
    mlp = ad.nn.MLP(2, [4, 1], seed=0)

    def predict_one(point):  # a Value network takes one point at a time
        return mlp([float(point[0]), float(point[1])])

    ax = viz.plot_decision_boundary(predict_one, X, y, threshold=0.0, num=12)
    assert list(find_artist(ax, "boundary").levels) == [0.0]

    def three_scores(P):
        return np.column_stack([-P[:, 0], P[:, 0] - 1, P[:, 1]])

    ax = viz.plot_decision_boundary(three_scores, X, y, num=30)
    assert list(find_artist(ax, "regions").levels) == [-0.5, 0.5, 1.5, 2.5]
    with pytest.raises(ValueError, match=r"X must be \(n, 2\)"):
        viz.plot_decision_boundary(three_scores, X[:, :1], y)


def test_training_curves_from_lists_dicts_and_records():
    ax = viz.plot_training_curves([3.0, 2.0, 1.5])
    np.testing.assert_allclose(data(ax, "loss"), ([0, 1, 2], [3.0, 2.0, 1.5]))
    ax = viz.plot_training_curves({"loss": [1.0, 0.1], "val_loss": [1.2, 0.3]}, logy=True)
    assert ax.get_yscale() == "log" and data(ax, "val_loss")[1].tolist() == [1.2, 0.3]
    ax = viz.plot_training_curves([{"loss": 2.0}, {"loss": 1.0, "accuracy": 0.7}])
    assert np.isnan(data(ax, "accuracy")[1][0]) and data(ax, "accuracy")[1][1] == 0.7
    with pytest.raises(TypeError, match="history"):
        viz.plot_training_curves({"loss": ["high", "low"]})


def test_expression_swell_on_a_log_axis():
    ax = viz.plot_expression_swell([1, 2, 3], [4, 40, 400], [3, 6, 9])
    assert ax.get_yscale() == "log"
    assert data(ax, "symbolic")[1].tolist() == [4, 40, 400]
    np.testing.assert_allclose(data(ax, "ad"), ([1, 2, 3], [3, 6, 9]))
    with pytest.raises(ValueError, match="same length"):
        viz.plot_expression_swell([1, 2], [1, 2, 3], [1, 2])


# -- loss surfaces and trajectories ---------------------------------------------------------------

def bowl(a, b):
    return (a - 1.0) ** 2 + 3.0 * (b + 0.5) ** 2


def test_loss_grid_layout_and_minimum():
    grid = viz.loss_grid(bowl, (-1.0, 3.0), (-2.5, 1.5), num=41)
    assert grid.losses.shape == (41, 41)
    assert grid.losses[0, -1] == bowl(3.0, -2.5)  # row = y, column = x
    assert grid.minimum == (1.0, -0.5, 0.0)


def test_loss_surface_contours_levels_and_minimum_marker():
    ax = viz.plot_loss_surface(bowl, (-1.0, 3.0), (-2.5, 1.5), levels=[0, 1, 2, 4, 8, 16], num=41)
    assert list(find_artist(ax, "surface").levels) == [0, 1, 2, 4, 8, 16]
    assert list(find_artist(ax, "contour_lines").levels) == [0, 1, 2, 4, 8, 16]
    np.testing.assert_allclose(data(ax, "minimum"), ([1.0], [-0.5]))
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("φ₀", "φ₁")
    viz.plot_loss_surface(bowl, (-1.0, 3.0), (-2.5, 1.5), levels="log", num=41, ax=ax)
    levels = find_artist(ax, "surface").levels
    assert len(ax.collections) == 2 and len(levels) >= 20
    ratios = levels[2:-2] / levels[1:-3]
    np.testing.assert_allclose(ratios, ratios[0])  # log-spaced


def test_loss_surface_loops_when_the_loss_takes_only_floats():
    def value_loss(a, b):  # written with Values: works on floats only
        return (ad.Value(a) - 1.0) ** 2 + 3.0 * (ad.Value(b) + 0.5) ** 2

    looped = viz.loss_grid(value_loss, (-1.0, 3.0), (-2.5, 1.5), num=9)
    vectorised = viz.loss_grid(bowl, (-1.0, 3.0), (-2.5, 1.5), num=9)
    np.testing.assert_allclose(looped.losses, vectorised.losses)


def test_loss_surface_in_3d_and_bad_kinds():
    ax = viz.plot_loss_surface(bowl, (-1.0, 3.0), (-2.5, 1.5), kind="surface", num=21)
    assert ax.name == "3d" and find_artist(ax, "surface") is not None
    assert find_artist(ax, "minimum").get_data_3d()[2].tolist() == [0.0]
    with pytest.raises(ValueError, match="kind"):
        viz.plot_loss_surface(bowl, (-1, 1), (-1, 1), kind="heatmap")
    with pytest.raises(ValueError, match="3-D Axes"):
        viz.plot_loss_surface(bowl, (-1, 1), (-1, 1), kind="surface", ax=plt.figure().add_subplot())
    with pytest.raises(ValueError, match="not finite anywhere"):
        viz.loss_grid(lambda a, b: np.full(np.shape(a), np.nan), (-1, 1), (-1, 1))


def test_trajectories_with_start_and_end_markers_updated_in_place():
    ax = viz.plot_loss_surface(bowl, (-1.0, 3.0), (-2.5, 1.5), num=21)
    gd = np.array([[2.5, 1.0], [1.6, 0.1], [1.1, -0.4]])
    momentum = np.array([[-0.5, -2.0], [0.8, -0.3]])
    viz.plot_trajectories(ax, {"gd": gd, "momentum": momentum})
    np.testing.assert_allclose(np.column_stack(data(ax, "gd")), gd)
    np.testing.assert_allclose(data(ax, "gd:start"), [[2.5], [1.0]])
    np.testing.assert_allclose(data(ax, "momentum:end"), [[0.8], [-0.3]])
    line = find_artist(ax, "gd")
    viz.plot_trajectories(ax, {"gd": gd[:2]})
    assert find_artist(ax, "gd") is line and len(line.get_xdata()) == 2
    np.testing.assert_allclose(data(ax, "gd:end"), [[1.6], [0.1]])
    with pytest.raises(ValueError, match=r"trajectory 'bad' must have shape \(k, 2\)"):
        viz.plot_trajectories(ax, {"bad": np.zeros((3, 3))})
    with pytest.raises(TypeError, match="dict"):
        viz.plot_trajectories(ax, [gd])


# -- settings are checked before anything is drawn -------------------------------------------------

X_BLOBS, Y_BLOBS = two_blobs()


@pytest.mark.parametrize("draw", [
    lambda num: viz.plot_function_and_derivative(square, 1.0, num=num),
    lambda num: viz.plot_fit([0, 1, 2], [1, 2, 3], [0, 1], num=num),
    lambda num: viz.plot_shallow_net(COURSE_THETA, COURSE_PHI, num=num),
    lambda num: viz.plot_decision_boundary(lambda P: P[:, 0], X_BLOBS, Y_BLOBS, num=num),
    lambda num: viz.plot_loss_surface(bowl, (-1, 1), (-1, 1), num=num),
])
def test_num_must_be_a_whole_number_of_at_least_two(draw):
    for bad, error in ((-1, ValueError), (1, ValueError), (0, ValueError), (1.5, TypeError),
                       ("80", TypeError)):
        with pytest.raises(error, match="num must be"):
            draw(bad)
    assert plt.get_fignums() == []  # refused before a figure was made


def test_decision_boundary_margin_and_threshold_are_checked():
    score = lambda P: P[:, 0]  # noqa: E731
    with pytest.raises(ValueError, match="margin must be finite"):
        viz.plot_decision_boundary(score, X_BLOBS, Y_BLOBS, margin=math.nan)
    with pytest.raises(ValueError, match="margin must be at least 0"):
        viz.plot_decision_boundary(score, X_BLOBS, Y_BLOBS, margin=-1.0)
    with pytest.raises(TypeError, match="threshold must be a real number"):
        viz.plot_decision_boundary(score, X_BLOBS, Y_BLOBS, threshold="0.5")
    with pytest.raises(ValueError, match="positive margin"):
        viz.plot_decision_boundary(score, [[1.0, 2.0]], [0.0], margin=0.0)


def test_text_where_numbers_belong_is_named():
    with pytest.raises(TypeError, match="x must be a number or an array of numbers"):
        viz.plot_fit("0 1 2", [1, 2, 3], [0, 1])
    with pytest.raises(TypeError, match=r"xlim\[1\] must be a real number"):
        viz.plot_shallow_net(COURSE_THETA, COURSE_PHI, xlim=(0.0, "1"))
    with pytest.raises(TypeError, match="x0 must be a real number"):
        viz.plot_function_and_derivative(square, "1")
    with pytest.raises(TypeError, match="result of f must be a real number"):
        viz.plot_function_and_derivative(lambda x: "high" if x > 0 else 0.0, 1.0)


def test_plot_fd_error_of_a_constant_function_marks_no_best_step():
    ax = viz.plot_fd_error(lambda x: 0 * x + 2.0, 1.0)
    assert np.isnan(data(ax, "forward")[1]).all()  # every error is exactly 0
    assert find_artist(ax, "forward_best").get_label() == "forward: exact at every h"
    errors = viz.finite_difference_errors(lambda x: 0 * x + 2.0, 1.0)
    assert math.isnan(errors.best_forward_h) and math.isnan(errors.best_central_h)


def test_finite_difference_errors_live_in_numerical_and_viz_re_exports_them():
    from autodiff_nb import numerical

    assert viz.finite_difference_errors is numerical.finite_difference_errors
    assert viz.FiniteDifferenceErrors is numerical.FiniteDifferenceErrors
    errors = numerical.finite_difference_errors(lambda x: 1 / x, -1e-3)  # scalar-only at the pole
    assert errors.exact == pytest.approx(-1e6)
    assert np.isfinite(errors.forward[errors.hs < 1e-4]).all()


def test_one_shallow_net_formula_for_values_numbers_and_the_plots():
    from autodiff_nb.nn import shallow_net_joints, shallow_net_output

    assert viz.shallow_net_joints is shallow_net_joints
    xs = np.linspace(-1, 2, 7)
    y, shares = shallow_net_output(xs, COURSE_THETA, COURSE_PHI, "tanh")
    by_hand = COURSE_PHI[0] + sum(COURSE_PHI[d + 1] * np.tanh(COURSE_THETA[d, 0]
                                                              + COURSE_THETA[d, 1] * xs)
                                  for d in range(3))
    np.testing.assert_allclose(y, by_hand, rtol=1e-13)
    np.testing.assert_allclose(viz.shallow_net(xs, COURSE_THETA, COURSE_PHI, "tanh")[0], y)
    np.testing.assert_allclose(np.sum(shares, axis=0) + COURSE_PHI[0], y, rtol=1e-13)
    net = ad.nn.ShallowNet(theta=COURSE_THETA, phi=COURSE_PHI, activation="tanh")
    out = net(0.5)
    out.backward()
    assert out.data == pytest.approx(shallow_net_output(0.5, COURSE_THETA, COURSE_PHI, "tanh")[0])
    assert net.phi[0].grad == 1.0  # ∂y/∂φ0
    np.testing.assert_allclose(net.predict(xs), y, rtol=1e-13)
    custom = viz.shallow_net(xs, COURSE_THETA, COURSE_PHI, lambda z: z * z)[0]
    np.testing.assert_allclose(custom, COURSE_PHI[0] + sum(
        COURSE_PHI[d + 1] * (COURSE_THETA[d, 0] + COURSE_THETA[d, 1] * xs) ** 2 for d in range(3)))


# -- legends never cover data -----------------------------------------------------------------------

def legend_clear_of(ax):
    """The drawn legend's box and the boxes of the axes, its tick labels and its x label: the legend
    must not overlap any of them."""
    figure = ax.figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    others = [ax.get_window_extent(renderer), ax.xaxis.label.get_window_extent(renderer)]
    others += [label.get_window_extent(renderer) for label in ax.get_xticklabels() if label.get_text()]
    return legend, [box for box in others if box.overlaps(legend)]


def test_trajectory_legend_sits_under_the_surface_not_on_it():
    fig, ax = plt.subplots(figsize=(6, 4))
    viz.plot_loss_surface(lambda p0, p1: p0 ** 2 + p1 ** 2, (-2, 2), (-2, 2), ax=ax)
    paths = {f"start {k}": np.array([[x, y], [0.5 * x, 0.5 * y], [0.0, 0.0]])
             for k, (x, y) in enumerate([(-1.8, -1.5), (1.5, 1.8), (-1.5, 1.7), (1.7, -1.6)])}
    viz.plot_trajectories(ax, paths)
    legend, overlapping = legend_clear_of(ax)
    assert overlapping == [] and legend.y1 < ax.get_window_extent().y0
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels[-4:] == list(paths)


def test_decision_boundary_legend_sits_under_the_regions():
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    X, y = ad.data.two_moons(n=100, noise=0.1, seed=0)
    viz.plot_decision_boundary(lambda points: points[:, 0] - 0.5, X, y, ax=left)
    left.set_xlabel("x₀")  # set after the plot: the room was kept
    legend, overlapping = legend_clear_of(left)
    assert overlapping == [] and not legend.overlaps(right.get_window_extent())
    assert [text.get_text() for text in left.get_legend().get_texts()] == ["class 0", "class 1"]


def test_no_legend_without_labels():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    assert viz.artists.legend_below(ax) is None and ax.get_legend() is None
