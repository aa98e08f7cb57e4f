"""The losses on ``Tensor``\\ s, a whole batch at a time; each returns a 0-d Tensor, the mean over examples.

Written with Tensor operations only, so the gradients come from the operations' own rules; the formulas
match :mod:`autodiff_nb.losses.scalar`, including the tricks that keep them finite (shifting by a maximum
before ``exp``, never taking ``0 * log 0``). Targets are copied when the loss is recorded: changing the
caller's array afterwards does not change what ``backward`` computes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..checks import as_array
from ..tensor import Tensor, log_softmax


def _as_tensor(x: Any, name: str, loss: str, like: Tensor | None = None) -> Tensor:
    """``x`` if it is a Tensor, else a new constant Tensor holding a copy of the numbers in ``x``."""
    if isinstance(x, Tensor):
        return x
    if hasattr(x, "shape") and not isinstance(x, np.ndarray):
        raise TypeError(f"{loss}: Tensor inputs must be autodiff_nb.Tensor objects, got "
                        f"{type(x).__name__} as {name}")
    return Tensor(as_array(x, f"{loss}: {name}"), dtype=None if like is None else like.dtype)


def _same_shape(a: Tensor, b: Tensor, a_name: str, b_name: str) -> None:
    # Broadcasting (n, 1) against (n,) would silently build an (n, n) loss: refuse it.
    if a.shape != b.shape:
        raise ValueError(f"{a_name} has shape {a.shape} but {b_name} has shape {b.shape}; "
                         "they must have the same shape")


def _in_unit_interval(x: Tensor, name: str, loss: str) -> Tensor:
    """``x`` if all its numbers lie in [0, 1] (nan does not); outside it a log-likelihood is meaningless."""
    if not np.all((x.data >= 0.0) & (x.data <= 1.0)):
        raise ValueError(f"{loss}: {name} must lie in [0, 1], got {x.data!r}")
    return x


def _labels(targets: Any, like: Tensor, loss: str) -> Tensor:
    """Bernoulli targets as a constant Tensor (data, not a parameter) of ``like``'s shape and dtype."""
    t = targets.data if isinstance(targets, Tensor) else targets
    t = _in_unit_interval(_as_tensor(t, "targets", loss, like), "targets", loss)
    return t


def mse(pred: Any, target: Any) -> Tensor:
    """mean over all elements of (pred - target)^2;  d mse / d pred = 2 (pred - target) / n."""
    pred = _as_tensor(pred, "pred", "mse")
    target = _as_tensor(target, "target", "mse", pred)
    _same_shape(pred, target, "pred", "target")
    diff = pred - target
    return (diff * diff).mean()


def bce(probs: Any, targets: Any) -> Tensor:
    """-mean[t log p + (1 - t) log(1 - p)], the mean Bernoulli negative log-likelihood.

    As in the scalar version a term whose weight (t or 1 - t) is exactly 0 contributes exactly 0, so
    a confident correct prediction costs 0 rather than 0 * log 0 = nan: there p is swapped for 1 (a
    constant, log 1 = 0) before the log.
    """
    probs = _in_unit_interval(_as_tensor(probs, "probs", "bce"), "probs", "bce")
    t = _labels(targets, probs, "bce")
    _same_shape(probs, t, "probs", "targets")
    uses_p = (t.data != 0.0).astype(t.dtype)  # 1 where the term t log p is present
    uses_q = (t.data != 1.0).astype(t.dtype)  # 1 where the term (1 - t) log(1 - p) is present
    log_p = (probs * uses_p + (1.0 - uses_p)).log()
    log_q = ((1.0 - probs) * uses_q + (1.0 - uses_q)).log()
    return -(log_p * t + log_q * (1.0 - t)).mean()


def bce_with_logits(logits: Any, targets: Any) -> Tensor:
    """bce(sigmoid(z), t) without overflow: mean[softplus(z) - t z], softplus(z) = log(1 + e^z).

    softplus(z) is computed as m + log(e^-m + e^(z - m)) with the constant m = max(z, 0), so both
    exponents are at most 0. Shifting by a constant changes neither the value nor the gradient,
    d loss / d z = (sigmoid(z) - t) / n.
    """
    z = _as_tensor(logits, "logits", "bce_with_logits")
    t = _labels(targets, z, "bce_with_logits")
    _same_shape(z, t, "logits", "targets")
    m = np.maximum(z.data, 0.0)
    softplus = ((z - m).exp() + np.exp(-m)).log() + m
    return (softplus - z * t).mean()


def _class_indices(targets: Any, logits: Tensor) -> np.ndarray:
    """A copy of ``targets`` as integer class indices of shape logits.shape[:-1], each in 0 .. K - 1."""
    if isinstance(targets, Tensor):
        raise TypeError("cross_entropy: targets are class indices (data), pass a list or an "
                        "integer numpy array rather than a Tensor")
    if isinstance(targets, (str, bytes)) or targets is None:
        raise TypeError(f"cross_entropy: targets must be integer class indices, got {targets!r}")
    t = np.array(targets)  # a copy, so later changes to the caller's array do not reach backward
    if t.dtype.kind not in "iu" and not (t.size == 0 and t.dtype.kind == "f"):
        raise TypeError(f"cross_entropy: targets must be integer class indices, got {targets!r}")
    expected = logits.shape[:-1]
    if t.shape != expected:
        raise ValueError(f"cross_entropy: logits of shape {logits.shape} need targets of shape "
                         f"{expected}, got shape {t.shape}")
    classes = logits.shape[-1]
    if t.size and (t.min() < 0 or t.max() >= classes):
        raise ValueError(
            f"cross_entropy: targets must be class indices 0 .. {classes - 1}, got {targets!r}")
    return t.astype(np.intp, copy=False)


def cross_entropy(logits: Any, targets: Any) -> Tensor:
    """mean_i -log softmax(z_i)[t_i] for integer class targets, via the Tensor engine's ``log_softmax``.

    logits has shape (n, K) with targets n class indices, or shape (K,) with one index.
    d loss / d z_ik = (softmax(z_i)_k - [k == t_i]) / n.
    """
    z = _as_tensor(logits, "logits", "cross_entropy")
    if z.ndim not in (1, 2):
        raise ValueError(f"cross_entropy: logits must have shape (n, K) or (K,), got {z.shape}")
    t = _class_indices(targets, z)
    log_probs = log_softmax(z, axis=-1)
    if z.ndim == 1:
        return -log_probs[int(t)]
    return -log_probs[np.arange(len(t)), t].mean()
