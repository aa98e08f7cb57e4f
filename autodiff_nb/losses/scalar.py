r"""The losses on plain numbers and on sequences of floats, ``Value``\ s or ``Dual``\ s.

Everything here uses arithmetic and the elementwise :func:`autodiff_nb.log` / :func:`autodiff_nb.exp`
only, so the same code gives a number, a reverse-mode graph or a forward-mode tangent. A one-example
argument may be a single scalar; a batch is a sequence (or 1-D numpy array) of them, and the
categorical losses also take a sequence of rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..checks import as_float, real_number, whole_number
from ..dual import Dual
from ..engine import Value, value_sum
from ..functions import exp, log, primal

HALF_LOG_TWO_PI = 0.5 * math.log(2 * math.pi)


# ----- inputs ------------------------------------------------------------------------------

def _is_traced(x: Any) -> bool:
    """A Value or a Dual: a number that carries a derivative."""
    return isinstance(x, (Value, Dual))


def _items(x: Any, name: str) -> list:
    """A scalar, a sequence of scalars or a 1-D array as a non-empty list of Values, Duals and floats.

    Plain numbers are converted (and so copied) by :func:`autodiff_nb.checks.as_float`.
    """
    if isinstance(x, np.ndarray):
        if x.ndim > 1:
            raise ValueError(f"{name} must be one-dimensional, got an array of shape {x.shape}")
        x = x.reshape(-1).tolist()
    if not isinstance(x, (list, tuple)):
        return [x if _is_traced(x) else as_float(x, name)]
    if not x:
        raise ValueError(f"{name} is empty")
    return [item if _is_traced(item) else as_float(item, f"{name}[{i}]") for i, item in enumerate(x)]


def _pair(a: Any, b: Any, a_name: str, b_name: str) -> tuple[list, list]:
    a_items, b_items = _items(a, a_name), _items(b, b_name)
    if len(a_items) != len(b_items):
        raise ValueError(f"{a_name} has {len(a_items)} values but {b_name} has {len(b_items)}; "
                         "they must have the same length")
    return a_items, b_items


def _probabilities(items: list, name: str) -> list:
    """``items`` if every value lies in [0, 1]; outside it a log-likelihood is meaningless."""
    for i, p in enumerate(items):
        value = primal(p)
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name}[{i}] = {value!r} is outside [0, 1]; it must be a probability")
    return items


def _densities(items: list, name: str) -> list:
    """``items`` if no value is negative: probabilities, or densities of continuous data (may exceed 1)."""
    for i, p in enumerate(items):
        value = primal(p)
        if not value >= 0.0:
            raise ValueError(f"{name}[{i}] = {value!r} is not a probability or density (those are >= 0)")
    return items


def _labels(items: list, name: str) -> list[float]:
    """Targets of a Bernoulli model: plain numbers (data, not parameters) in [0, 1]; soft labels allowed."""
    for i, t in enumerate(items):
        if _is_traced(t):
            raise TypeError(f"{name}[{i}] must be a plain number in [0, 1] "
                            f"(data, not a parameter), got {t!r}")
    return _probabilities(items, name)


def _rows(x: Any, name: str) -> tuple[list[list], bool]:
    """Scores or probabilities of one example (a flat sequence) or a batch (a sequence of rows).

    Returns the rows and whether the input was a batch.
    """
    batched = (isinstance(x, np.ndarray) and x.ndim == 2) or (
        isinstance(x, (list, tuple)) and bool(x) and isinstance(x[0], (list, tuple, np.ndarray)))
    if batched:
        return [_items(row, f"{name}[{i}]") for i, row in enumerate(x)], True
    return [_items(x, name)], False


def _class_targets(targets: Any, rows: list[list], batched: bool, name: str) -> list[int]:
    """One class index per row, each checked against that row's number of classes."""
    if isinstance(targets, np.ndarray):
        targets = targets.tolist()
    if not batched:
        return [whole_number(f"{name} (a class index)", targets, 0, len(rows[0]) - 1)]
    if not isinstance(targets, (list, tuple)):
        raise TypeError(f"{name} must be a sequence of class indices, one per row, got {targets!r}")
    if len(targets) != len(rows):
        raise ValueError(f"there are {len(rows)} rows of scores but {len(targets)} {name}; "
                         "they must have the same length")
    return [whole_number(f"{name}[{i}] (a class index)", t, 0, len(row) - 1)
            for i, (t, row) in enumerate(zip(targets, rows, strict=True))]


# ----- small building blocks ---------------------------------------------------------------

def _sum(terms: Sequence[Any]) -> Any:
    """Sum of terms; a single n-ary node when they are Values (smaller graphs, faster backward)."""
    if any(isinstance(t, Value) for t in terms):
        return value_sum(terms)
    total = 0.0
    for t in terms:
        total = total + t
    return total


def _result(x: Any) -> Any:
    """Plain numbers come back as Python floats; Values and Duals as they are."""
    return x if _is_traced(x) else float(x)


def _shifted_scores(zs: list) -> tuple[list, list, Any]:
    """The one softmax computation: s_k = z_k - m with m = max_j z_j, e^{s_k}, and sum_k e^{s_k}.

    The largest exponential is e^0 = 1, so nothing overflows and the sum is at least 1 (no log 0).
    m is a plain number: shifting all scores by a constant changes neither softmax nor its gradient.
    """
    m = max(primal(z) for z in zs)
    shifted = [z - m for z in zs]
    exps = [exp(s) for s in shifted]
    return shifted, exps, _sum(exps)


# ----- Gaussian ----------------------------------------------------------------------------

def gaussian_nll(y: Any, mu: Any, sigma: Any = 1.0) -> Any:
    """NLL = sum_i [log sigma_i + log(2 pi) / 2 + (y_i - mu_i)^2 / (2 sigma_i^2)]; one sigma or one each."""
    ys, mus = _pair(y, mu, "y", "mu")
    sigmas = _items(sigma, "sigma")
    if len(sigmas) == 1:
        sigmas = sigmas * len(ys)
    elif len(sigmas) != len(ys):
        raise ValueError(f"sigma has {len(sigmas)} values but y has {len(ys)}; "
                         "give one sigma or one per example")
    sigmas = [s if _is_traced(s) else real_number(f"sigma[{i}]", s, positive=True)
              for i, s in enumerate(sigmas)]
    terms = [log(s) + HALF_LOG_TWO_PI + (yi - mi) ** 2 / (2 * s ** 2)
             for yi, mi, s in zip(ys, mus, sigmas, strict=True)]
    return _result(_sum(terms))


def mse(pred: Any, target: Any) -> Any:
    """mse = (1/n) sum_i (pred_i - target_i)^2."""
    preds, targets = _pair(pred, target, "pred", "target")
    return _result(_sum([(p - t) ** 2 for p, t in zip(preds, targets, strict=True)]) / len(preds))


# ----- Bernoulli ---------------------------------------------------------------------------

def bernoulli_nll(y: Any, lam: Any) -> Any:
    """NLL = -sum_i [y_i log lam_i + (1 - y_i) log(1 - lam_i)], leaving out terms of weight exactly 0."""
    ys, lams = _pair(y, lam, "y", "lam")
    ys, lams = _labels(ys, "y"), _probabilities(lams, "lam")
    return _result(_sum([_bernoulli_term(yi, li) for yi, li in zip(ys, lams, strict=True)]))


def _bernoulli_term(y: float, lam: Any) -> Any:
    """-[y log lam + (1 - y) log(1 - lam)] without 0 * log 0 = nan for a confident correct lam."""
    term = 0.0
    if y != 0.0:
        term = term + y * log(lam)
    if y != 1.0:
        term = term + (1.0 - y) * log(1.0 - lam)
    return -term


def bce(probs: Any, targets: Any) -> Any:
    """bce = -(1/n) sum_i [t_i log p_i + (1 - t_i) log(1 - p_i)] = bernoulli_nll(targets, probs) / n."""
    ps, ts = _pair(probs, targets, "probs", "targets")
    ps, ts = _probabilities(ps, "probs"), _labels(ts, "targets")
    return _result(_sum([_bernoulli_term(t, p) for p, t in zip(ps, ts, strict=True)]) / len(ps))


def bce_with_logits(logits: Any, targets: Any) -> Any:
    """bce(sigmoid(z), t) = mean of (1 - t) z + log(1 + e^-z) (z >= 0), or -t z + log(1 + e^z) (z < 0)."""
    zs, ts = _pair(logits, targets, "logits", "targets")
    ts = _labels(ts, "targets")
    terms = []
    for z, t in zip(zs, ts, strict=True):
        if primal(z) >= 0:
            terms.append((1.0 - t) * z + log(1.0 + exp(-z)))
        else:
            terms.append(-t * z + log(1.0 + exp(z)))
    return _result(_sum(terms) / len(zs))


# ----- Categorical -------------------------------------------------------------------------

def log_softmax(logits: Any) -> list:
    """log softmax(z)_k = (z_k - m) - log sum_j e^{z_j - m}, m = max_j z_j, for one list of scores."""
    shifted, _, total = _shifted_scores(_items(logits, "logits"))
    log_total = log(total)
    return [_result(s - log_total) for s in shifted]


def softmax(logits: Any) -> list:
    """softmax(z)_k = e^{z_k - m} / sum_j e^{z_j - m}, m = max_j z_j, for one list of scores."""
    _, exps, total = _shifted_scores(_items(logits, "logits"))
    return [_result(e / total) for e in exps]


def categorical_nll(y: Any, probs: Any) -> Any:
    """NLL = -sum_i log probs_{i, y_i}: one row of K probabilities and one index, or a batch of rows."""
    rows, batched = _rows(probs, "probs")
    rows = [_probabilities(row, f"probs[{i}]" if batched else "probs") for i, row in enumerate(rows)]
    labels = _class_targets(y, rows, batched, "y")
    return _result(_sum([-log(row[label]) for row, label in zip(rows, labels, strict=True)]))


def cross_entropy(logits: Any, targets: Any) -> Any:
    """mean_i [log sum_j e^{z_ij} - z_{i t_i}] = -mean_i log softmax(z_i)[t_i], computed stably."""
    rows, batched = _rows(logits, "logits")
    labels = _class_targets(targets, rows, batched, "targets")
    losses = []
    for row, label in zip(rows, labels, strict=True):
        shifted, _, total = _shifted_scores(row)
        losses.append(log(total) - shifted[label])
    return _result(_sum(losses) / len(rows))


# ----- why logs ----------------------------------------------------------------------------

def likelihood(probabilities: Any) -> Any:
    """prod_i p_i, the probability (or density) of independent observations. Underflows quickly."""
    total = 1.0
    for p in _densities(_items(probabilities, "probabilities"), "probabilities"):
        total = total * p
    return _result(total)


def log_likelihood(probabilities: Any) -> Any:
    """sum_i log p_i: the log of the likelihood, without the underflow."""
    items = _densities(_items(probabilities, "probabilities"), "probabilities")
    return _result(_sum([log(p) for p in items]))
