r"""Loss functions, derived from maximum likelihood.

The recipe: pick a distribution Pr(y | theta) for the targets, let the model predict theta, and
minimise the negative log-likelihood of the training data (i.i.d. examples)::

    L(phi) = - sum_i log Pr(y_i | theta_i),   theta_i = f(x_i, phi)

The log turns the product of many small probabilities (which underflows to 0.0) into a sum of
moderate numbers, and, being increasing, keeps the same minimiser. Each ``*_nll`` function below is
that sum for one distribution; the familiar loss next to it is the same quantity with the constant
terms dropped and divided by n (a mean is easier to compare across data set sizes):

=======================  =============================  =========================================
distribution             negative log-likelihood        loss
=======================  =============================  =========================================
Gaussian (fixed sigma)   ``gaussian_nll(y, mu, s)``     ``mse(pred, target)``
Bernoulli                ``bernoulli_nll(y, lam)``      ``bce(probs, targets)``,
                                                        ``bce_with_logits(logits, targets)``
Categorical              ``categorical_nll(y, probs)``  ``cross_entropy(logits, targets)``
=======================  =============================  =========================================

The NLL functions take the observation first, like Pr(y | theta); the losses take the prediction
first, like PyTorch. Each function works on plain numbers and on sequences of floats, ``Value``\ s
or ``Dual``\ s (:mod:`.scalar`); the losses and the softmaxes also take ``Tensor``\ s (:mod:`.tensor`,
whose softmaxes are the Tensor engine's :func:`autodiff_nb.softmax` / :func:`autodiff_nb.log_softmax`).
"""

from __future__ import annotations

from typing import Any

from ..tensor import Tensor
from ..tensor import log_softmax as _tensor_log_softmax
from ..tensor import softmax as _tensor_softmax
from . import scalar, tensor

__all__ = [
    "gaussian_nll", "mse",
    "bernoulli_nll", "bce", "bce_with_logits",
    "categorical_nll", "cross_entropy", "softmax", "log_softmax",
    "likelihood", "log_likelihood",
]


def _any_tensor(*args: Any) -> bool:
    return any(isinstance(a, Tensor) for a in args)


def _scalars_only(loss: str, *args: Any) -> None:
    if _any_tensor(*args):
        raise TypeError(f"{loss} takes numbers or sequences of Values or Duals, not Tensors; "
                        "for Tensors use mse, bce, bce_with_logits or cross_entropy")


def gaussian_nll(y: Any, mu: Any, sigma: Any = 1.0) -> Any:
    r"""Negative log-likelihood of observations y under Normal(mu_i, sigma^2), summed over examples.

        Pr(y | mu, sigma) = exp(-(y - mu)^2 / (2 sigma^2)) / sqrt(2 pi sigma^2)
        NLL = sum_i [ log sigma + log(2 pi) / 2 + (y_i - mu_i)^2 / (2 sigma^2) ]

    With sigma fixed, the first two terms are a constant and the last is n / (2 sigma^2) * MSE, so
    minimising the NLL over mu is minimising the mean squared error:

        mse = 2 sigma^2 (NLL - n (log sigma + log(2 pi) / 2)) / n.

    sigma is one scalar for all examples or one per example; it may itself be a Value, in which case
    the NLL also learns the noise level (its minimiser is sigma^2 = MSE).
    """
    _scalars_only("gaussian_nll", y, mu, sigma)
    return scalar.gaussian_nll(y, mu, sigma)


def mse(pred: Any, target: Any) -> Any:
    r"""Mean squared error, (1/n) sum_i (pred_i - target_i)^2.

    The Gaussian negative log-likelihood with a fixed sigma, without its constant, times
    2 sigma^2 / n (see :func:`gaussian_nll`). d mse / d pred_i = 2 (pred_i - target_i) / n.
    """
    if _any_tensor(pred, target):
        return tensor.mse(pred, target)
    return scalar.mse(pred, target)


def bernoulli_nll(y: Any, lam: Any) -> Any:
    r"""Negative log-likelihood of binary observations y under Bernoulli(lam_i), summed.

        Pr(y | lam) = lam^y (1 - lam)^(1 - y)
        NLL = - sum_i [ y_i log lam_i + (1 - y_i) log(1 - lam_i) ]

    A term whose weight (y_i or 1 - y_i) is exactly 0 is left out, so that a confident correct
    prediction (lam = 0 for y = 0) costs 0 rather than 0 * log 0 = nan. y may be a soft label in
    [0, 1]; lam must lie in [0, 1] (a ValueError otherwise).
    """
    _scalars_only("bernoulli_nll", y, lam)
    return scalar.bernoulli_nll(y, lam)


def bce(probs: Any, targets: Any) -> Any:
    r"""Binary cross-entropy, the mean Bernoulli negative log-likelihood:

        bce = -(1/n) sum_i [ t_i log p_i + (1 - t_i) log(1 - p_i) ]
            = bernoulli_nll(targets, probs) / n

    probs and targets must lie in [0, 1] (a ValueError otherwise). A probability of exactly 0 or 1 on
    the wrong side gives inf (log 0). If the probabilities come from a sigmoid, use
    :func:`bce_with_logits`, which never takes the log of a rounded-off 0.
    """
    if _any_tensor(probs, targets):
        return tensor.bce(probs, targets)
    return scalar.bce(probs, targets)


def bce_with_logits(logits: Any, targets: Any) -> Any:
    r"""bce(sigmoid(z), t), computed without overflow or log(0).

    With lam = sigmoid(z) = 1 / (1 + e^-z):  -log lam = log(1 + e^-z)  and
    -log(1 - lam) = z + log(1 + e^-z). The per-example loss
    -[t log lam + (1 - t) log(1 - lam)] therefore simplifies to

        (1 - t) z + log(1 + e^-z)   (used when z >= 0, so e^-z <= 1)
        -t z + log(1 + e^z)         (the same number, used when z < 0, so e^z < 1)

    Its derivative is d loss / d z_i = (sigmoid(z_i) - t_i) / n.
    """
    if _any_tensor(logits, targets):
        return tensor.bce_with_logits(logits, targets)
    return scalar.bce_with_logits(logits, targets)


def log_softmax(logits: Any) -> Any:
    r"""log softmax(z)_k = z_k - log sum_j e^{z_j}, for one list of scores (or a Tensor, along its last axis).

    Computed as (z_k - m) - log sum_j e^{z_j - m} with m = max_j z_j: the largest exponential is
    e^0 = 1, so nothing overflows and the sum is at least 1 (no log 0). m is a plain number:
    shifting all scores by a constant does not change the result, so it needs no gradient.
    """
    if _any_tensor(logits):
        return _tensor_log_softmax(logits)
    return scalar.log_softmax(logits)


def softmax(logits: Any) -> Any:
    r"""softmax(z)_k = e^{z_k} / sum_j e^{z_j}: scores turned into probabilities that sum to 1.

    Computed with the scores shifted by their maximum (see :func:`log_softmax`), which changes
    nothing mathematically but keeps exp from overflowing. A list of scores gives a list; a Tensor
    gives a Tensor (softmax along its last axis).
    """
    if _any_tensor(logits):
        return _tensor_softmax(logits)
    return scalar.softmax(logits)


def categorical_nll(y: Any, probs: Any) -> Any:
    r"""Negative log-likelihood of class labels y under Categorical(probs_i), summed over examples.

        Pr(y = k | lam) = lam_k
        NLL = - sum_i log lam_{i, y_i}

    probs is one list of K class probabilities (then y is one class index) or a batch of such rows
    (then y has one index per row).
    """
    _scalars_only("categorical_nll", y, probs)
    return scalar.categorical_nll(y, probs)


def cross_entropy(logits: Any, targets: Any) -> Any:
    r"""Mean categorical negative log-likelihood of integer targets under softmax(logits).

        loss_i = -log softmax(z_i)[t_i] = log sum_j e^{z_ij} - z_{i t_i}
        cross_entropy = (1/n) sum_i loss_i = categorical_nll(targets, softmax rows) / n

    Computed stably with the max-subtraction of :func:`log_softmax`. logits is one list of K scores
    (targets one class index) or a batch of rows (targets one index per row); a Tensor of shape (K,)
    or (n, K) likewise. d loss_i / d z_ik = softmax(z_i)_k - [k == t_i].
    """
    if _any_tensor(logits):
        return tensor.cross_entropy(logits, targets)
    return scalar.cross_entropy(logits, targets)


def likelihood(probabilities: Any) -> Any:
    """The product of the probabilities of independent observations. Underflows quickly."""
    _scalars_only("likelihood", probabilities)
    return scalar.likelihood(probabilities)


def log_likelihood(probabilities: Any) -> Any:
    """The sum of the logs of the probabilities: log of the likelihood, without the underflow."""
    _scalars_only("log_likelihood", probabilities)
    return scalar.log_likelihood(probabilities)
