"""Chapter 08: loss functions from maximum likelihood."""

from __future__ import annotations

import math

from .. import losses
from . import assert_close, implement, predict

predict("08.log_likelihood_of_coin_flips", "1000 independent observations each have probability 0.5. "
                                         "What is their log-likelihood (natural log)? The likelihood "
                                         "itself is 0.5**1000.",
        answer=round(1000 * math.log(0.5), 4), tolerance=1e-3,
        hint="the log of a product is the sum of the logs: here 1000 equal terms, each the log of one "
             "probability",
        why="1000 * log(0.5) = -693.1472: an ordinary number, although 0.5**1000 = 9.3e-302 is "
            "close to the smallest float64")

predict("08.gaussian_nll_of_one_point", "The model predicts mu = 1 with sigma = 1 and we observe y = 3. "
                                        "What is the negative log-likelihood -log Normal(y | mu, sigma^2)?",
        answer=round(0.5 * math.log(2 * math.pi) + 2.0, 4), tolerance=1e-3,
        hint="-log Normal(y | mu, sigma²) = log(2 pi) / 2 + log(sigma) + (y - mu)² / (2 sigma²); "
             "here sigma = 1 and y - mu = 2",
        why="log(2 pi) / 2 + (3 - 1)^2 / 2 = 0.9189 + 2 = 2.9189")


_BCE_CASES = [
    ([0.9, 0.2, 0.6, 0.99], [1, 0, 1, 1]),
    ([0.5], [0]),
    ([0.01, 0.99, 0.3], [0, 0, 1]),
]


@implement("08.binary_cross_entropy", "Write binary_cross_entropy(probs, targets): the mean over examples "
                                     "of -[t log p + (1 - t) log(1 - p)], for lists of floats.",
           hint="for each pair (p, t) add -(t log p + (1 - t) log(1 - p)), then divide the total by the "
                "number of examples")
def check_binary_cross_entropy(answer):
    for probs, targets in _BCE_CASES:
        expected = losses.bce(probs, targets)
        assert_close(answer(probs, targets), expected, tol=1e-9,
                     what=f"binary_cross_entropy({probs}, {targets})")
    return "it matches autodiff_nb.losses.bce, the mean Bernoulli negative log-likelihood"


@check_binary_cross_entropy.solution
def binary_cross_entropy(probs, targets):
    total = 0.0
    for p, t in zip(probs, targets, strict=True):
        total += -(t * math.log(p) + (1 - t) * math.log(1 - p))
    return total / len(probs)


@implement("08.cross_entropy_from_scores", "Write cross_entropy_from_scores(scores, target): "
                                         "-log softmax(scores)[target] for one example, without "
                                         "overflow for scores such as [1000.0, 0.0].",
           hint="-log softmax(s)[target] = log(sum of exp(s)) - s[target]; exp(1000) is too big for a "
                "float, so subtract the largest score from every score before exp (softmax does not "
                "change when all scores shift) and add it back after the log")
def check_cross_entropy_from_scores(answer):
    cases = [([2.0, 1.0, 0.1], 0), ([2.0, 1.0, 0.1], 2), ([0.0, 0.0, 0.0, 0.0], 1),
             ([-3.0, 4.0], 1)]
    for scores, target in cases:
        assert_close(answer(scores, target), losses.cross_entropy(scores, target), tol=1e-9,
                     what=f"cross_entropy_from_scores({scores}, {target})")
    big = answer([1000.0, 0.0], 1)
    if not math.isfinite(float(big)):
        raise AssertionError("scores [1000.0, 0.0] with target 1 gave a non-finite loss: subtract "
                             "the largest score before calling exp (softmax does not change when "
                             "all scores shift)")
    assert_close(big, 1000.0, tol=1e-9, what="cross_entropy_from_scores([1000.0, 0.0], 1)")
    return "right answers, and no overflow for large scores"


@check_cross_entropy_from_scores.solution
def cross_entropy_from_scores(scores, target):
    largest = max(scores)
    log_total = largest + math.log(sum(math.exp(s - largest) for s in scores))
    return log_total - scores[target]


predict("08.peak_density", "A Gaussian with sigma = 0.1: what is its density at its own mean?",
        answer=round(1 / (0.1 * math.sqrt(2 * math.pi)), 4), tolerance=1e-3,
        hint="at y = mu the exponential factor is e^0 = 1, so only the factor in front, "
             "1 / sqrt(2 pi sigma^2), is left",
        why="1 / (0.1 · sqrt(2π)) = 3.9894: a density, unlike a probability, can be far above 1 "
            "(any Gaussian with sigma below 1/sqrt(2π) ≈ 0.399 peaks above 1)")
