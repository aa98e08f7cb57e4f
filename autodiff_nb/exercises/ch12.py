"""Chapter 12: training end to end and debugging gradients."""

from __future__ import annotations

import math

import numpy as np

from . import assert_close, implement, predict

predict("12.initial_loss", "An untrained classifier for 10 classes gives (almost) equal scores to every "
                          "class. What cross-entropy loss do you expect before training? (4 decimals)",
        answer=round(math.log(10), 4), tolerance=1e-3,
        hint="equal scores give every class the same probability; the loss is -log of the true "
             "class's probability",
        why="equal scores mean probability 1/10 for the true class, so the loss is "
            "-log(1/10) = log 10 = 2.3026; a first loss far from that means a bug or a bad init")

predict("12.sigmoid_slope", "What is the largest value the derivative of the sigmoid, "
                            "s'(z) = s(z) (1 - s(z)), takes over all z?", answer=0.25,
        hint="write p = s(z), a number between 0 and 1: where is p (1 - p) largest?",
        why="at z = 0, s = 1/2 and s' = 1/2 * 1/2 = 1/4; ten sigmoid layers multiply the gradient "
            "by at most 0.25^10, about 1e-6 (before the weights)")


@implement("12.accuracy", "Write accuracy(scores, targets): scores is an (n, K) numpy array of class "
                         "scores, targets n class indices; return the fraction of rows whose largest "
                         "score is at the target class, as a float.",
           hint="np.argmax(scores, axis=1) is each row's predicted class; compare it with targets and "
                "take the mean of the matches, as a float")
def check_accuracy(answer):
    scores = np.array([[2.0, 1.0, 0.0], [0.0, 3.0, 1.0], [0.5, 0.2, 0.9], [1.0, 0.0, -1.0]])
    cases = [
        (scores, np.array([0, 1, 2, 0]), 1.0),
        (scores, np.array([1, 1, 2, 2]), 0.5),
        (scores, np.array([2, 0, 1, 1]), 0.0),
        (scores[:1], np.array([0]), 1.0),
    ]
    for s, t, want in cases:
        got = answer(s.copy(), t.copy())
        assert_close(got, want, tol=1e-12,
                     what=f"accuracy for scores {s.tolist()} and targets {t.tolist()}")
    rng = np.random.default_rng(12)
    s, t = rng.normal(size=(50, 4)), rng.integers(0, 4, size=50)
    assert_close(answer(s, t), float(np.mean(s.argmax(axis=1) == t)), tol=1e-12,
                 what="accuracy on 50 random rows")
    return "argmax along each row, compare with the targets, take the mean"


@check_accuracy.solution
def accuracy(scores, targets):
    predicted = np.argmax(scores, axis=1)
    return float(np.mean(predicted == targets))


class _Param:
    """Just enough of a parameter for the clipping check: .data and .grad arrays."""

    def __init__(self, grad):
        self.data = np.zeros_like(grad)
        self.grad = grad

    def __repr__(self):
        return f"param(grad={self.grad.tolist()})"


@implement("12.clip_gradients", "Write clip_gradients(params, max_norm): compute the global norm "
                               "sqrt(sum over params of sum(p.grad**2)); if it exceeds max_norm, scale "
                               "every p.grad by max_norm / norm. Return the norm measured before clipping.",
           hint="norm = the square root of the sum over params of np.sum(p.grad ** 2); only if norm > "
                "max_norm, set every p.grad = p.grad * (max_norm / norm); return the norm you measured")
def check_clip_gradients(answer):
    params = [_Param(np.array([3.0, 0.0])), _Param(np.array([[0.0], [4.0]]))]   # global norm 5
    norm = answer(params, 1.0)
    assert_close(norm, 5.0, tol=1e-12, what="the returned norm (before clipping)")
    first, second = params[0].grad, params[1].grad
    clipped = np.allclose(first, [0.6, 0.0]) and np.allclose(second, [[0.0], [0.8]])
    if not clipped:
        raise AssertionError("after clipping a global norm of 5 to 1 the gradients should be "
                             f"[0.6, 0] and [[0], [0.8]], got {params[0].grad} and "
                             f"{params[1].grad.tolist()} (scale all of them by the same factor)")
    small = [_Param(np.array([0.3, 0.4]))]   # norm 0.5: below the limit, leave it alone
    assert_close(answer(small, 1.0), 0.5, tol=1e-12, what="the returned norm")
    if not np.allclose(small[0].grad, [0.3, 0.4]):
        raise AssertionError("a gradient whose norm is already below max_norm must not change")
    return "one factor for all parameters keeps the gradient's direction and caps its length"


@check_clip_gradients.solution
def clip_gradients(params, max_norm):
    norm = float(np.sqrt(sum(np.sum(p.grad ** 2) for p in params)))
    if norm > max_norm:
        for p in params:
            p.grad = p.grad * (max_norm / norm)
    return norm


predict("12.he_variance",
        "A ReLU layer has n_in = 512 inputs. Its weights are drawn independently with mean 0. Which "
        "weight variance keeps the mean square of the signal the same from layer to layer?",
        answer=2 / 512, tolerance=1e-5,
        hint="z = sum over the n_in inputs of W h has variance n_in sigma^2 E[h^2], and a ReLU keeps only "
             "the positive half of a symmetric input, so E[h^2] is half the variance of the layer "
             "before; the variance, not the standard deviation",
        why="Var(z) = n_in sigma^2 E[h^2] and E[h^2] = Var(z_prev) / 2 after a ReLU, so "
            "sigma^2 = 2 / n_in = 2 / 512 = 0.00390625 (He initialisation)")
