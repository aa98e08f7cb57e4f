r"""Loss functions, derived from maximum likelihood.

The recipe: pick a distribution Pr(y | theta) for the targets, let the model predict theta, and
minimise the negative log-likelihood of the training data (i.i.d. examples)::

    L(phi) = - sum_i log Pr(y_i | theta_i),   theta_i = f(x_i, phi)

The log turns the product of many small probabilities (which underflows to 0.0) into a sum of
moderate numbers, and, being increasing, keeps the same minimiser. Each ``*_nll`` function below is
that sum for one distribution; the familiar loss next to it is the same quantity with the constant
terms dropped and divided by n (a mean is easier to compare across data set sizes):

=======================  ============================  =========================================
distribution             negative log-likelihood       loss
=======================  ============================  =========================================
Gaussian (fixed sigma)   ``gaussian_nll(y, mu, s)``    ``mse(pred, target)``
Bernoulli                ``bernoulli_nll(y, lam)``     ``bce(probs, targets)``,
                                                       ``bce_with_logits(logits, targets)``
Categorical              ``categorical_nll(y, probs)``  ``cross_entropy(logits, targets)``
=======================  ============================  =========================================

The NLL functions take the observation first, like Pr(y | theta); the losses take the prediction
first, like PyTorch. Everything works on plain numbers and on sequences of floats, ``Value``\ s
or ``Dual``\ s, because it only uses arithmetic and the elementwise :func:`autodiff_nb.log` /
:func:`autodiff_nb.exp`: the same code gives a number, a reverse-mode graph or a forward-mode
tangent.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import tensor_losses
from .engine import Value, value_sum
from .functions import exp, log, primal
from .operators import ScalarOperators

__all__ = [
    "gaussian_nll", "mse",
    "bernoulli_nll", "bce", "bce_with_logits",
    "categorical_nll", "cross_entropy", "softmax", "log_softmax",
    "likelihood", "log_likelihood",
]

Scalar = float | ScalarOperators  # a number, a Value or a Dual
Scalars = Scalar | Sequence[Scalar] | np.ndarray

HALF_LOG_TWO_PI = 0.5 * math.log(2 * math.pi)


# ----- inputs ------------------------------------------------------------------------------

def _is_tensor(x: Any) -> bool:
    """An array-valued engine object (a .shape with at least one axis) other than an ndarray.

    Tensor support plugs in here: each loss checks this first and will hand such inputs to a
    vectorised implementation. numpy arrays are read as sequences of numbers instead.
    """
    shape = getattr(x, "shape", None)
    return not isinstance(x, np.ndarray) and shape is not None and len(shape) > 0


def _tensor_not_supported(loss_name: str) -> TypeError:
    return TypeError(f"{loss_name}: Tensor inputs are not supported yet; pass a list of scalars")


def _is_scalar(x: Any) -> bool:
    if isinstance(x, ScalarOperators):
        return True
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _items(x: Any, name: str) -> list:
    """A scalar, a sequence of scalars or a 1-D array, as a non-empty list of scalars."""
    if isinstance(x, np.ndarray):
        if x.ndim > 1:
            raise ValueError(f"{name} must be one-dimensional, got an array of shape {x.shape}")
        items = x.reshape(-1).tolist()
    elif isinstance(x, (list, tuple)):
        items = list(x)
    elif _is_scalar(x):
        items = [x]
    else:
        raise TypeError(
            f"{name} must be a number, a Value, a Dual or a sequence of them, got {x!r}")
    if not items:
        raise ValueError(f"{name} is empty")
    for i, item in enumerate(items):
        if not _is_scalar(item):
            raise TypeError(f"{name}[{i}] must be a number, a Value or a Dual, got {item!r}")
    return items


def _pair(a: Any, b: Any, a_name: str, b_name: str) -> tuple[list, list]:
    a_items, b_items = _items(a, a_name), _items(b, b_name)
    if len(a_items) != len(b_items):
        raise ValueError(f"{a_name} has {len(a_items)} values but {b_name} has {len(b_items)}; "
                         "they must have the same length")
    return a_items, b_items


def _probability_targets(targets: list, name: str) -> list[float]:
    """Targets of a Bernoulli model: plain numbers in [0, 1] (soft labels allowed)."""
    checked = []
    for i, t in enumerate(targets):
        if not (isinstance(t, numbers.Real) and not isinstance(t, bool)):
            raise TypeError(f"{name}[{i}] must be a plain number in [0, 1] "
                            f"(data, not a parameter), got {t!r}")
        if not 0.0 <= float(t) <= 1.0:
            raise ValueError(f"{name}[{i}] = {t!r} is outside [0, 1]")
        checked.append(float(t))
    return checked


def _class_index(y: Any, n_classes: int, where: str) -> int:
    if not isinstance(y, numbers.Integral) or isinstance(y, bool):
        raise TypeError(f"{where} must be an integer class index, got {y!r}")
    if not 0 <= y < n_classes:
        raise ValueError(f"{where} = {y} is not a valid class index for {n_classes} classes "
                         f"(expected 0 .. {n_classes - 1})")
    return int(y)


def _rows(x: Any, name: str) -> tuple[list[list], bool]:
    """Scores or probabilities for one example (a flat sequence) or a batch (a sequence of rows).

    Returns the rows and whether the input was a batch.
    """
    if isinstance(x, np.ndarray) and x.ndim == 2:
        return [_items(row, f"{name}[{i}]") for i, row in enumerate(x)], True
    if isinstance(x, (list, tuple)) and x and isinstance(x[0], (list, tuple, np.ndarray)):
        return [_items(row, f"{name}[{i}]") for i, row in enumerate(x)], True
    return [_items(x, name)], False


def _class_targets(targets: Any, rows: list[list], batched: bool, name: str) -> list[int]:
    if batched:
        if isinstance(targets, np.ndarray):
            targets = targets.tolist()
        if not isinstance(targets, (list, tuple)):
            raise TypeError(
                f"{name} must be a sequence of class indices, one per row, got {targets!r}")
        if len(targets) != len(rows):
            raise ValueError(f"there are {len(rows)} rows of scores but {len(targets)} {name}; "
                             "they must have the same length")
    else:
        if isinstance(targets, np.ndarray) and targets.ndim == 0:
            targets = targets.item()
        targets = [targets]
    return [_class_index(t, len(row), f"{name}[{i}]" if batched else name)
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
    return float(x) if isinstance(x, numbers.Real) else x


# ----- Gaussian ----------------------------------------------------------------------------

def gaussian_nll(y: Scalars, mu: Scalars, sigma: Scalars = 1.0) -> Any:
    r"""Negative log-likelihood of observations y under Normal(mu_i, sigma^2), summed over examples.

        Pr(y | mu, sigma) = exp(-(y - mu)^2 / (2 sigma^2)) / sqrt(2 pi sigma^2)
        NLL = sum_i [ log sigma + log(2 pi) / 2 + (y_i - mu_i)^2 / (2 sigma^2) ]

    With sigma fixed, the first two terms are a constant and the last is n / (2 sigma^2) * MSE, so
    minimising the NLL over mu is minimising the mean squared error:

        mse = 2 sigma^2 (NLL - n (log sigma + log(2 pi) / 2)) / n.

    sigma is one scalar for all examples or one per example; it may itself be a Value, in which case
    the NLL also learns the noise level (its minimiser is sigma^2 = MSE).
    """
    if _is_tensor(y) or _is_tensor(mu):
        raise _tensor_not_supported("gaussian_nll")
    ys, mus = _pair(y, mu, "y", "mu")
    sigmas = _items(sigma, "sigma")
    if len(sigmas) == 1:
        sigmas = sigmas * len(ys)
    elif len(sigmas) != len(ys):
        raise ValueError(f"sigma has {len(sigmas)} values but y has {len(ys)}; "
                         "give one sigma or one per example")
    for i, s in enumerate(sigmas):
        if isinstance(s, numbers.Real) and not s > 0:
            raise ValueError(f"sigma must be positive, got sigma[{i}] = {s!r}")
    terms = [log(s) + HALF_LOG_TWO_PI + (yi - mi) ** 2 / (2 * s ** 2)
             for yi, mi, s in zip(ys, mus, sigmas, strict=True)]
    return _result(_sum(terms))


def mse(pred: Scalars, target: Scalars) -> Any:
    r"""Mean squared error, (1/n) sum_i (pred_i - target_i)^2.

    The Gaussian negative log-likelihood with a fixed sigma, without its constant, times
    2 sigma^2 / n (see :func:`gaussian_nll`). d mse / d pred_i = 2 (pred_i - target_i) / n.
    """
    if _is_tensor(pred) or _is_tensor(target):
        return tensor_losses.mse(pred, target)
    preds, targets = _pair(pred, target, "pred", "target")
    return _result(_sum([(p - t) ** 2 for p, t in zip(preds, targets, strict=True)]) / len(preds))


# ----- Bernoulli ---------------------------------------------------------------------------

def bernoulli_nll(y: Scalars, lam: Scalars) -> Any:
    r"""Negative log-likelihood of binary observations y under Bernoulli(lam_i), summed.

        Pr(y | lam) = lam^y (1 - lam)^(1 - y)
        NLL = - sum_i [ y_i log lam_i + (1 - y_i) log(1 - lam_i) ]

    A term whose weight (y_i or 1 - y_i) is exactly 0 is left out, so that a confident correct
    prediction (lam = 0 for y = 0) costs 0 rather than 0 * log 0 = nan. y may be a soft label in
    [0, 1].
    """
    if _is_tensor(y) or _is_tensor(lam):
        raise _tensor_not_supported("bernoulli_nll")
    ys, lams = _pair(y, lam, "y", "lam")
    ys = _probability_targets(ys, "y")
    terms = []
    for yi, li in zip(ys, lams, strict=True):
        term = 0.0
        if yi != 0.0:
            term = term + yi * log(li)
        if yi != 1.0:
            term = term + (1.0 - yi) * log(1.0 - li)
        terms.append(-term)
    return _result(_sum(terms))


def bce(probs: Scalars, targets: Scalars) -> Any:
    r"""Binary cross-entropy, the mean Bernoulli negative log-likelihood:

        bce = -(1/n) sum_i [ t_i log p_i + (1 - t_i) log(1 - p_i) ]
            = bernoulli_nll(targets, probs) / n

    A probability of exactly 0 or 1 on the wrong side gives inf (log 0). If the probabilities come
    from a sigmoid, use :func:`bce_with_logits`, which never takes the log of a rounded-off 0.
    """
    if _is_tensor(probs) or _is_tensor(targets):
        return tensor_losses.bce(probs, targets)
    ps, ts = _pair(probs, targets, "probs", "targets")
    ts = _probability_targets(ts, "targets")
    return _result(bernoulli_nll(ts, ps) / len(ps))


def bce_with_logits(logits: Scalars, targets: Scalars) -> Any:
    r"""bce(sigmoid(z), t), computed without overflow or log(0).

    With lam = sigmoid(z) = 1 / (1 + e^-z):  -log lam = log(1 + e^-z)  and
    -log(1 - lam) = z + log(1 + e^-z). The per-example loss
    -[t log lam + (1 - t) log(1 - lam)] therefore simplifies to

        (1 - t) z + log(1 + e^-z)   (used when z >= 0, so e^-z <= 1)
        -t z + log(1 + e^z)         (the same number, used when z < 0, so e^z < 1)

    Its derivative is d loss / d z_i = (sigmoid(z_i) - t_i) / n.
    """
    if _is_tensor(logits) or _is_tensor(targets):
        return tensor_losses.bce_with_logits(logits, targets)
    zs, ts = _pair(logits, targets, "logits", "targets")
    ts = _probability_targets(ts, "targets")
    terms = []
    for z, t in zip(zs, ts, strict=True):
        if primal(z) >= 0:
            terms.append((1.0 - t) * z + log(1.0 + exp(-z)))
        else:
            terms.append(-t * z + log(1.0 + exp(z)))
    return _result(_sum(terms) / len(zs))


# ----- Categorical -------------------------------------------------------------------------

def log_softmax(logits: Scalars) -> list:
    r"""log softmax(z)_k = z_k - log sum_j e^{z_j}, for one list of scores.

    Computed as (z_k - m) - log sum_j e^{z_j - m} with m = max_j z_j: the largest exponential is
    e^0 = 1, so nothing overflows and the sum is at least 1 (no log 0). m is a plain number:
    shifting all scores by a constant does not change the result, so it needs no gradient.
    """
    if _is_tensor(logits):
        return tensor_losses.log_softmax(logits)
    zs = _items(logits, "logits")
    m = max(primal(z) for z in zs)
    shifted = [z - m for z in zs]
    log_total = log(_sum([exp(s) for s in shifted]))
    return [_result(s - log_total) for s in shifted]


def softmax(logits: Scalars) -> list:
    r"""softmax(z)_k = e^{z_k} / sum_j e^{z_j}: scores turned into probabilities that sum to 1.

    Computed with the scores shifted by their maximum (see :func:`log_softmax`), which changes
    nothing mathematically but keeps exp from overflowing.
    """
    if _is_tensor(logits):
        return tensor_losses.softmax(logits)
    zs = _items(logits, "logits")
    m = max(primal(z) for z in zs)
    exps = [exp(z - m) for z in zs]
    total = _sum(exps)
    return [_result(e / total) for e in exps]


def categorical_nll(y: Any, probs: Any) -> Any:
    r"""Negative log-likelihood of class labels y under Categorical(probs_i), summed over examples.

        Pr(y = k | lam) = lam_k
        NLL = - sum_i log lam_{i, y_i}

    probs is one list of K class probabilities (then y is one class index) or a batch of such rows
    (then y has one index per row).
    """
    if _is_tensor(probs):
        raise _tensor_not_supported("categorical_nll")
    rows, batched = _rows(probs, "probs")
    labels = _class_targets(y, rows, batched, "y")
    return _result(_sum([-log(row[label]) for row, label in zip(rows, labels, strict=True)]))


def cross_entropy(logits: Any, targets: Any) -> Any:
    r"""Mean categorical negative log-likelihood of integer targets under softmax(logits).

        loss_i = -log softmax(z_i)[t_i] = log sum_j e^{z_ij} - z_{i t_i}
        cross_entropy = (1/n) sum_i loss_i = categorical_nll(targets, softmax rows) / n

    Computed stably with the max-subtraction of :func:`log_softmax`. logits is one list of K scores
    (targets one class index) or a batch of rows (targets one index per row).
    d loss_i / d z_ik = softmax(z_i)_k - [k == t_i].
    """
    if _is_tensor(logits):
        return tensor_losses.cross_entropy(logits, targets)
    rows, batched = _rows(logits, "logits")
    labels = _class_targets(targets, rows, batched, "targets")
    losses = []
    for row, label in zip(rows, labels, strict=True):
        m = max(primal(z) for z in row)
        log_total = log(_sum([exp(z - m) for z in row]))
        losses.append(log_total - (row[label] - m))
    return _result(_sum(losses) / len(rows))


# ----- why logs ----------------------------------------------------------------------------

def likelihood(probabilities: Scalars) -> Any:
    """The product of the probabilities of independent observations. Underflows quickly."""
    total = 1.0
    for p in _items(probabilities, "probabilities"):
        total = total * p
    return _result(total)


def log_likelihood(probabilities: Scalars) -> Any:
    """The sum of the logs of the probabilities: log of the likelihood, without the underflow."""
    return _result(_sum([log(p) for p in _items(probabilities, "probabilities")]))
