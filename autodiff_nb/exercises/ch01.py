"""Chapter 01: models, the mean squared error, and brute-force random search."""

import numpy as np

from . import assert_close, choice, implement, predict

predict("01.mse_by_hand", "The targets are y = [1, -1, 2, 0] and the model predicts 0 for every one. "
                          "What is the MSE?", answer=1.5,
        hint="the errors are y - 0 = 1, -1, 2, 0: square each one, then take the mean of the four squares",
        why="errors 1, -1, 2, 0 square to 1, 1, 4, 0; their mean is 6 / 4 = 1.5")

predict("01.doubling", "Random search needs about N loss evaluations to fit 64 parameters. About how "
                       "many does it need for 128? Answer 'a' (about N), 'b' (about 2N) or 'c' "
                       "(about 64N).", answer="b", form=choice("a", "b", "c"),
        hint="think of how many directions a random nudge can point in, and how many of them help",
        hints={"a": "more knobs means more directions to try: can the work stay the same?",
               "c": "it is not that bad on a bowl: a random nudge still has a component downhill"},
        why="the cost grows in proportion to the parameter count: twice the knobs, twice the work")


@implement("01.mse", "Write mse(y, y_hat): the mean of the squared differences of two equally long "
                     "numpy arrays.",
           hint="subtract the arrays, square the differences element by element, then take their mean")
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


@_.solution
def mse(y, y_hat):
    return np.mean((y - y_hat) ** 2)


@implement("01.random_search", "Write random_search(loss, start, steps, scale, seed): perturb the best "
                               "parameters found so far with Gaussian noise, keep the perturbed ones if "
                               "their loss is lower, and return the best.",
           hint="make rng = np.random.default_rng(seed); keep best and its loss; each step try "
                "best + scale * rng.standard_normal(best.shape) and keep it only if its loss is lower")
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


@_.solution
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
