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
        hint="about half of all random nudges go downhill in any dimension; think of how steeply they go "
             "down when there are many directions to point in",
        hints={"a": "with more knobs a random nudge is more nearly at right angles to the way down, so each "
                    "try gains less: can the work stay the same?",
               "c": "it is not that bad: about half of all random nudges still go downhill, and their "
                    "downhill part shrinks only like one over the square root of n"},
        why="a random direction's cosine with the way down is about 1/sqrt(n) (its square averages 1/n), so "
            "even a well-sized try gains about 1/n of the distance: twice the knobs, about twice the work")


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


predict("01.downhill_share", "The loss is smooth and its gradient is not zero. Take a tiny step in a random "
                             "direction in 1000 dimensions. About what fraction of all random directions "
                             "lower the loss? Give a number between 0 and 1.", answer=0.5, tolerance=0.05,
        hint="for a tiny step the loss is nearly linear; if a direction u goes uphill, where does -u go, "
             "and which of the two is more likely?",
        why="to first order a step along u lowers the loss exactly when u points against the gradient, and u "
            "and -u are equally likely: half, in any dimension. What shrinks with n is how much they lower "
            "it: |cos| between u and the way down is about 1/sqrt(n)")
