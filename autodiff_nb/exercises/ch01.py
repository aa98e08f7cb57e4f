"""Chapter 01: models, the mean squared error, and brute-force random search."""

import numpy as np

from . import assert_close, exercise


@exercise("01.mse_by_hand", kind="predict",
          prompt="The targets are y = [1, -1, 2, 0] and the model predicts 0 for every one. "
                 "What is the MSE?")
def _(answer):
    assert_close(answer, 1.5)
    return "errors 1, -1, 2, 0 square to 1, 1, 4, 0; their mean is 6 / 4 = 1.5"


_.solution(1.5)


@exercise("01.mse", kind="implement",
          prompt="Write mse(y, y_hat): the mean of the squared differences of two equally long "
                 "numpy arrays.")
def _(answer):
    cases = (
        (np.array([1.0, 2.0, 3.0]), np.array([1.0, 3.0, 5.0]), 5.0 / 3.0),
        (np.array([1.0, -1.0, 2.0, 0.0]), np.zeros(4), 1.5),
        (np.array([0.5, 0.5]), np.array([0.5, 0.5]), 0.0),
        (np.array([-2.0]), np.array([1.0]), 9.0),
    )
    for y, y_hat, expected in cases:
        assert_close(answer(y.copy(), y_hat.copy()), expected,
                     what=f"mse({y.tolist()}, {y_hat.tolist()})")
    return "a perfect prediction scores 0 and big errors count quadratically"


def mse(y, y_hat):
    return np.mean((y - y_hat) ** 2)


_.solution(mse)


@exercise("01.random_search", kind="implement",
          prompt="Write random_search(loss, start, steps, scale, seed): perturb the best "
                 "parameters found so far with Gaussian noise, keep the perturbed ones if their "
                 "loss is lower, and return the best.")
def _(answer):
    target = np.array([1.0, -2.0])

    def bowl(params):
        return float(np.sum((np.asarray(params, dtype=float) - target) ** 2))

    found = np.asarray(answer(bowl, np.zeros(2), 2000, 0.1, 0), dtype=float)
    assert found.shape == (2,), (
        f"random_search should return an array of shape (2,), got shape {found.shape}")
    assert bowl(found) < 0.01, (
        f"after 2000 steps on the bowl (p - [1, -2])^2 from [0, 0] the loss is still "
        f"{bowl(found):.4f}; do you keep the better guess and throw the worse one away?"
    )
    already_best = np.asarray(answer(bowl, target.copy(), 200, 0.1, 1), dtype=float)
    assert np.allclose(already_best, target), (
        "starting at the minimum, every perturbation is worse, so the start must come back "
        f"unchanged; got {already_best.tolist()}"
    )
    return f"it found [{found[0]:.2f}, {found[1]:.2f}] near the bottom of the bowl at [1, -2]"


def random_search(loss, start, steps, scale, seed):
    rng = np.random.default_rng(seed)
    best = np.array(start, dtype=float)
    best_loss = loss(best)
    for _ in range(steps):
        candidate = best + scale * rng.standard_normal(best.shape)
        candidate_loss = loss(candidate)
        if candidate_loss < best_loss:
            best, best_loss = candidate, candidate_loss
    return best


_.solution(random_search)


@exercise("01.doubling", kind="predict",
          prompt="Random search needs about N loss evaluations to fit 64 parameters. About how "
                 "many does it need for 128? Answer 'a' (about N), 'b' (about 2N) or 'c' "
                 "(about 64N).")
def _(answer):
    if not isinstance(answer, str) or answer.strip().lower() not in ("a", "b", "c"):
        raise AssertionError(f"answer with one of the letters 'a', 'b' or 'c', got {answer!r}")
    choice = answer.strip().lower()
    assert choice != "a", (
        "more knobs means more directions to try; the measurement below shows the cost growing")
    assert choice != "c", (
        "it is not that bad on a bowl: a random nudge still has a component downhill; "
        "the cost grows in proportion to the number of parameters")
    return "the cost grows in proportion to the parameter count: twice the knobs, twice the work"


_.solution("b")
