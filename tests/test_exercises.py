"""The course's self-checking exercises: every reference solution passes, an untouched answer says
"Not done yet", a wrong predict answer gets a hint (the answer only after a few tries or on request),
and a failing answer is told which input failed."""

import math
import re

import numpy as np
import pytest
from IPython.core.formatters import DisplayFormatter

from autodiff_nb import exercises
from autodiff_nb.exercises import TRIES_BEFORE_ANSWER, all_exercises, check, solution

EXERCISES = all_exercises()
PREDICT = [ex for ex in EXERCISES if ex.kind == "predict"]
MARKS = ("✅ Correct (", "❌ Not yet (", "⏳ Not done yet (")


@pytest.fixture(autouse=True)
def fresh_tries():
    for ex in EXERCISES:
        ex.wrong_tries = 0
    yield


def said(capsys) -> str:
    out = capsys.readouterr().out
    assert out.startswith(MARKS), f"feedback must start with a mark and words: {out!r}"
    return out


def test_every_chapter_has_exercises():
    chapters = {ex.id.split(".")[0] for ex in EXERCISES}
    assert chapters == {f"{n:02d}" for n in range(14)}
    assert len(PREDICT) == 38 and len(EXERCISES) - len(PREDICT) == 20


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda ex: ex.id)
def test_reference_solution_passes(ex, capsys):
    assert ex.has_solution, f"{ex.id} has no solution"
    assert check(ex.id, ex.reference)
    assert said(capsys).startswith(f"✅ Correct ({ex.id})")


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda ex: ex.id)
def test_untouched_answer_is_not_done_yet(ex, capsys):
    assert not check(ex.id, ...)
    assert said(capsys).startswith(f"⏳ Not done yet ({ex.id}): replace the ...")
    assert ex.wrong_tries == 0


def test_untouched_function_body_is_not_done_yet(capsys):
    def average(numbers):
        ...  # your code here

    assert not check("00.average", average)
    assert "Not done yet" in said(capsys)


def wrong_answer(ex):
    """A well-formed answer that differs from the reference."""
    reference = ex.reference
    if ex.id == "01.doubling":
        return "c"
    if ex.id == "03.output_at_zero":
        return 1.9
    if ex.id == "11.grad_shapes":
        return ((32, 5), (5, 3), (32, 3))
    if isinstance(reference, list):
        return [value + 100 for value in reference]
    return reference + 100


def numbers_in(text: str) -> set[float]:
    return {float(n) for n in re.findall(r"\d+(?:\.\d+)?", text)}  # unsigned


@pytest.mark.parametrize("ex", PREDICT, ids=lambda ex: ex.id)
def test_wrong_prediction_gets_a_hint_not_the_answer(ex, capsys):
    assert not check(ex.id, wrong_answer(ex))
    out = said(capsys)
    assert out.startswith(f"❌ Not yet ({ex.id})") and "\nHint: " in out and "Try again" in out
    assert ex.why not in out and "answer:" not in out
    # No number of the answer appears, except the ones the question itself states.
    hint = out.split("\nHint: ", 1)[1].split("\nTry again", 1)[0]
    shown = numbers_in(hint) - numbers_in(ex.prompt)
    assert not [n for n in numbers_in(repr(ex.reference)) if any(math.isclose(n, s) for s in shown)], out


@pytest.mark.parametrize("ex", PREDICT, ids=lambda ex: ex.id)
def test_the_answer_comes_after_three_wrong_tries(ex, capsys):
    for _ in range(1, TRIES_BEFORE_ANSWER):
        check(ex.id, wrong_answer(ex))
        assert "here is the answer" not in said(capsys)
    check(ex.id, wrong_answer(ex))
    out = said(capsys)
    assert f"After {TRIES_BEFORE_ANSWER} tries, here is the answer: {ex.reference!r}, because {ex.why}" in out
    assert check(ex.id, ex.reference)  # still checkable afterwards


def test_malformed_answer_says_what_to_type_and_is_not_a_try(capsys):
    assert not check("00.warm_up", "24")
    out = said(capsys)
    assert "should be a number such as 1.5 (without quotes), got '24'" in out and "Hint" not in out
    assert exercises.get("00.warm_up").wrong_tries == 0


def test_counts_are_in_words_that_agree():
    message = exercises._check(exercises.get("02.gradient_at"), [1.0])[1]
    assert message == ("❌ Not yet (02.gradient_at): give 2 numbers (∂g/∂x, ∂g/∂y) such as [1.0, 2.0]; "
                       "got 1 item: [1.0].")
    message = exercises._check(exercises.get("02.gradient_at"), [2.0, 6.0])[1]
    assert message.startswith("❌ Not yet (02.gradient_at): ∂g/∂y is not right; the other one is.")


def test_a_particular_mistake_gets_its_own_hint(capsys):
    check("01.doubling", "a")
    assert "can the work stay the same?" in said(capsys)
    check("11.grad_shapes", ((32, 5), (5, 3), (32, 3)))
    out = said(capsys)
    assert "dL/db is not right; the other 2 are" in out and "shared by all 32 rows" in out


def test_chapter_03_takes_the_units_and_y_or_y_alone(capsys):
    assert check("03.output_at_zero", ([1], 0.9), quiet=True)
    assert check("03.output_at_zero", ({1}, 0.9), quiet=True)
    assert check("03.output_at_zero", 0.9, quiet=True)
    assert not check("03.output_at_zero", ([1, 2], 0.9))
    assert "y is right, but the units that are on are not" in said(capsys)


def test_shape_examples_are_not_one_of_the_answers(capsys):
    check("11.grad_shapes", ((32, 5), (5, 3), 3))
    out = said(capsys)
    assert "should be a tuple such as (2, 4) or (7,), got 3" in out and "(32, 5)" not in out


def test_wrong_implementation_explains_and_repeats_the_hint(capsys):
    assert not check("00.average", lambda numbers: sum(numbers))
    out = said(capsys)
    assert out.startswith("❌ Not yet (00.average): average([2.0, 4.0]) is 6, expected 3.")
    assert f"\nHint: {exercises.get('00.average').hint}" in out


def test_an_exception_names_the_input_and_repeats_the_hint(capsys):
    def cross_entropy_from_scores(scores, target):  # the naive formula overflows
        return -math.log(math.exp(scores[target]) / sum(math.exp(s) for s in scores))

    assert not check("08.cross_entropy_from_scores", cross_entropy_from_scores)
    out = said(capsys)
    assert ("cross_entropy_from_scores(scores=[1000.0, 0.0], target=1) raised OverflowError" in out
            and "subtract the largest score" in out), out

    def matmul_backward(X, W, G):  # wrong transposes: the shapes do not fit
        return G @ W, X @ G

    assert not check("11.matmul_backward", matmul_backward)
    out = said(capsys)
    assert "matmul_backward(X=an array of shape (4, 3), W=an array of shape (3, 2), G=an array of " in out
    assert "raised ValueError: the shapes in a matrix product @ do not fit" in out
    assert "gufunc" not in out and "\nHint: a gradient has the shape of its variable" in out


def test_a_failure_after_the_call_names_the_call(capsys):
    def momentum_update(phi, m, batch_gradients, lr, beta):
        return "phi", "m"

    assert not check("10.momentum_update", momentum_update)
    out = said(capsys)
    pattern = r"checking what momentum_update\(phi=\[1\.0\], .*\) returned raised ValueError"
    assert re.search(pattern, out), out


def test_not_done_inside_a_function_is_not_done_yet(capsys):
    def average(numbers):
        raise exercises.NotDone

    assert not check("00.average", average)
    assert said(capsys) == "⏳ Not done yet (00.average).\n"


def test_passing_tanh_attaches_it_to_the_learners_value(capsys):
    class Value:
        def __init__(self, data, children=(), partials=(), op=""):
            self.data, self.children, self.partials, self.op = data, tuple(children), tuple(partials), op

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), (1 - t * t,), "tanh")

    assert check("07.tanh", tanh)
    assert "Value.tanh = tanh is done" in said(capsys)
    assert Value.tanh is tanh and math.isclose(Value(0.5).tanh().data, math.tanh(0.5))


def test_solution_shows_its_answer_once(capsys):
    shown = solution("00.warm_up")
    out = capsys.readouterr().out
    assert out == f"00.warm_up: 24, because {exercises.get('00.warm_up').why}.\n"
    assert shown == 24 and shown.value == 24
    assert DisplayFormatter().format(shown) == ({}, {})  # no second copy as the cell's value


def test_solution_of_an_implement_exercise_prints_its_code_and_works(capsys):
    shown = solution("00.average")
    assert capsys.readouterr().out == "def average(numbers):\n    return sum(numbers) / len(numbers)\n"
    assert shown([1.0, 2.0, 6.0]) == 3.0
    assert check("00.average", shown.value, quiet=True)


def test_verdict_is_silent_in_a_notebook():
    verdict = check("00.warm_up", 24, quiet=True)
    assert verdict  # truthy, yet a notebook shows nothing for it as a cell's last value
    assert DisplayFormatter().format(verdict) == ({}, {})


def test_registering_an_id_twice_fails():
    with pytest.raises(ValueError, match="registered twice"):
        exercises.predict("00.warm_up", "again?", answer=1, why="", hint="")


def test_numbers_form_takes_a_numpy_array(capsys):
    assert check("02.gradient_at", np.array([2.0, -6.0]), quiet=True)


def test_chapter_01_feedback_agrees_with_the_measurement(capsys):
    check("01.doubling", "c")
    assert "about half of all random nudges still go downhill" in said(capsys)
    assert check("01.downhill_share", 0.5, quiet=True) and check("01.downhill_share", 0.52, quiet=True)
    assert not check("01.downhill_share", 0.1, quiet=True)
    assert not check("01.downhill_share", 50, quiet=True)  # a fraction, not a percentage


def test_directional_derivative_and_width_doubling_take_near_answers_only():
    assert check("02.directional_derivative", 3 * 0.6 + 3 * 0.8, quiet=True)
    assert not check("02.directional_derivative", math.hypot(3.0, 3.0), quiet=True)  # the steepest slope
    assert check("03.width_doubling", 16, quiet=True) and check("03.width_doubling", 17.1, quiet=True)
    assert not check("03.width_doubling", 4, quiet=True)  # the pointwise error's factor, not the MSE's
    assert not check("03.width_doubling", 2, quiet=True)

def test_chapter_05_to_08_predict_answers_are_what_the_library_computes():
    import autodiff_nb as ad

    def reference(exercise_id):
        return exercises.get(exercise_id).reference

    def V(x, y, z):
        return x * y + z * (x + y)

    # 05: one forward pass along v = (1, 2, -1) gives J v
    assert ad.jvp(V, (2.0, 3.0, 4.0), (1.0, 2.0, -1.0))[1] == reference("05.jvp_of_V")

    # 06: one backward pass seeded with u = (1, 2) on the outputs of (a*b, a + b)
    a, b = ad.Value(2.0), ad.Value(3.0)
    (1.0 * (a * b) + 2.0 * (a + b)).backward()
    assert a.grad == reference("06.vjp_first_entry")

    # 07: '=' instead of '+=' in the sweep over e = (a*b)*(b + 1): b keeps only the last consumer's write
    a, b = ad.Value(2.0), ad.Value(3.0)
    e = (a * b) * (b + 1)
    order = ad.topological_order(e)
    e.grad = 1.0
    for node in reversed(order):
        for child, partial in zip(node.children, node.partials, strict=True):
            child.grad = partial * node.grad
    assert a.grad == 12.0 and b.grad == reference("07.overwrite_instead_of_add")

    # 07: two backward calls without zero_grad add up in the leaves
    a, b = ad.Value(2.0), ad.Value(3.0)
    e = (a * b) * (b + 1)
    e.backward()
    e.backward()
    assert a.grad == reference("07.forgotten_zero_grad")

    # 08: the density of N(0, 0.1^2) at its mean
    density = math.exp(-ad.losses.gaussian_nll(0.0, 0.0, 0.1))
    assert math.isclose(density, reference("08.peak_density"), rel_tol=1e-4)


def test_chapter_10_to_12_answers_are_what_the_library_computes():
    import autodiff_nb as ad

    def reference(exercise_id):
        return exercises.get(exercise_id).reference

    # 09: the extra steps near the saddle for a start 1000 times closer to the line phi1 = 0
    def steps_near_saddle(offset):
        phi = np.array([1.0, offset])
        inside = 0
        for _ in range(200):
            phi = phi - 0.1 * np.array([2 * phi[0], 4 * phi[1] * (phi[1] ** 2 - 1)])
            inside += np.hypot(*phi) < 0.1
        return inside

    extra = steps_near_saddle(1e-9) - steps_near_saddle(1e-6)
    assert abs(extra - reference("09.saddle_delay")) <= 1

    # 10: the first Adam step on a parameter whose gradient is -250
    phi = ad.Value(2.0)
    adam = ad.optim.Adam([phi], lr=0.01)
    phi.grad = -250.0
    adam.step()
    assert math.isclose(phi.data, reference("10.adam_first_step"), rel_tol=1e-9)

    # 10: momentum on L = 5 phi^2 (curvature 10) with beta = 0.9 converges just below the limit, not above
    def final_distance(lr):
        p = ad.Value(1.0)
        momentum = ad.optim.Momentum([p], lr=lr, beta=0.9)
        for _ in range(2000):
            momentum.zero_grad()
            (5 * p * p).backward()
            momentum.step()
        return abs(p.data)

    limit = reference("10.momentum_stability_limit")
    assert final_distance(0.99 * limit) < 1e-3 and final_distance(1.01 * limit) > 1e3

    # 11: the reference VJP is the tensor engine's gradient of cross_entropy, on sizes with n != K
    rng = np.random.default_rng(0)
    scores, targets = rng.normal(size=(6, 4)), rng.integers(0, 4, size=6)
    z = ad.Tensor(scores, requires_grad=True)
    (2.5 * ad.losses.cross_entropy(z, targets)).backward()
    assert np.allclose(reference("11.softmax_cross_entropy_vjp")(scores, targets, 2.5), z.grad, atol=1e-12)

    # 12: with weight variance 2 / n_in a wide ReLU layer keeps the mean square of its input (averaged
    # over 8 random layers: one layer's factor varies by several percent with its weights)
    n = 512
    z_before = rng.standard_normal((1000, n))
    factors = [np.mean((np.maximum(z_before, 0) @ rng.normal(0.0, math.sqrt(reference("12.he_variance")),
                                                               size=(n, n))) ** 2) / np.mean(z_before ** 2)
               for _ in range(8)]
    assert abs(np.mean(factors) - 1) < 0.05


def test_chapter_13_hvp_on_plain_numbers_is_told_the_graph_was_cut(capsys):
    import autodiff_nb as ad

    def hvp(f, x, v):  # the inner gradient on plain numbers: a constant, so H v comes out as zeros
        return ad.derivative(lambda t: ad.grad(f)(np.vectorize(ad.primal)(x + t * v)), 0.0)

    assert not check("13.hvp", hvp)
    out = said(capsys)
    assert "expected H v = [0.0, 7.0]" in out and "was the inner gradient computed on plain numbers?" in out


def test_chapter_13_smallest_curvature_must_keep_the_sign(capsys):
    def smallest_curvature(hvp_fn, lam_max, v0, steps):  # |H v| instead of the Rayleigh quotient
        v = v0 / np.linalg.norm(v0)
        for _ in range(steps):
            w = hvp_fn(v) - lam_max * v
            v = w / np.linalg.norm(w)
        return float(np.linalg.norm(hvp_fn(v) - lam_max * v)) + lam_max

    assert not check("13.smallest_curvature", smallest_curvature)
    assert "returned 9.5, expected 0.5" in said(capsys)
