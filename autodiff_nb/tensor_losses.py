"""The losses of :mod:`autodiff_nb.losses` for ``Tensor`` inputs, one batch at a time.

:mod:`autodiff_nb.losses` hands Tensor arguments to these functions, so ``losses.mse(pred, target)``
works the same on lists of Values and on Tensors. Each is written with Tensor operations only, so
its gradient comes from the operations' own rules; the formulas match the scalar versions, including
the tricks that keep them finite (shifting by a maximum before ``exp``, never taking ``0 * log 0``).
Every loss returns a 0-d Tensor: the mean over the examples.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .tensor import Tensor, as_array, log_softmax, softmax

__all__ = ["mse", "bce", "bce_with_logits", "cross_entropy", "softmax", "log_softmax"]


def _as_tensor(x: Any, name: str, loss: str) -> Tensor:
    if isinstance(x, Tensor):
        return x
    if hasattr(x, "shape") and not isinstance(x, np.ndarray):
        raise TypeError(f"{loss}: Tensor inputs must be autodiff_nb.Tensor objects, got "
                        f"{type(x).__name__} as {name}")
    return Tensor(as_array(x, f"{loss}: {name}"))


def _same_shape(pred: Tensor, target: Tensor, pred_name: str, target_name: str) -> None:
    # Broadcasting (n, 1) against (n,) would silently build an (n, n) loss: refuse it.
    if pred.shape != target.shape:
        raise ValueError(f"{pred_name} has shape {pred.shape} but {target_name} has shape "
                         f"{target.shape}; they must have the same shape")


def _probability_targets(targets: Any, name: str) -> np.ndarray:
    if isinstance(targets, Tensor):
        targets = targets.data
    t = as_array(targets, name)
    if not np.all((t >= 0.0) & (t <= 1.0)):
        raise ValueError(f"{name} must lie in [0, 1], got {t!r}")
    return t


def mse(pred: Any, target: Any) -> Tensor:
    """mean over all elements of (pred - target)^2;  d mse / d pred = 2 (pred - target) / n."""
    pred, target = _as_tensor(pred, "pred", "mse"), _as_tensor(target, "target", "mse")
    _same_shape(pred, target, "pred", "target")
    diff = pred - target
    return (diff * diff).mean()


def bce(probs: Any, targets: Any) -> Tensor:
    """-mean[t log p + (1 - t) log(1 - p)], the mean Bernoulli negative log-likelihood.

    As in the scalar version a term whose weight (t or 1 - t) is exactly 0 contributes exactly 0, so
    a confident correct prediction costs 0 rather than 0 * log 0 = nan: there p is swapped for 1 (a
    constant, log 1 = 0) before the log.
    """
    probs = _as_tensor(probs, "probs", "bce")
    t = _probability_targets(targets, "targets").astype(probs.dtype, copy=False)
    if t.shape != probs.shape:
        raise ValueError(f"probs has shape {probs.shape} but targets has shape {t.shape}; "
                         "they must have the same shape")
    uses_p = (t != 0.0).astype(t.dtype)  # 1 where the term t log p is present
    uses_q = (t != 1.0).astype(t.dtype)  # 1 where the term (1 - t) log(1 - p) is present
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
    t = _probability_targets(targets, "targets").astype(z.dtype, copy=False)
    if t.shape != z.shape:
        raise ValueError(f"logits has shape {z.shape} but targets has shape {t.shape}; "
                         "they must have the same shape")
    m = np.maximum(z.data, 0.0)
    softplus = ((z - m).exp() + np.exp(-m)).log() + m
    return (softplus - z * t).mean()


def cross_entropy(logits: Any, targets: Any) -> Tensor:
    """mean_i -log softmax(z_i)[t_i] for integer class targets, via the stable ``log_softmax``.

    logits has shape (n, K) with targets n class indices, or shape (K,) with one index.
    d loss / d z_ik = (softmax(z_i)_k - [k == t_i]) / n.
    """
    z = _as_tensor(logits, "logits", "cross_entropy")
    if z.ndim not in (1, 2):
        raise ValueError(f"cross_entropy: logits must have shape (n, K) or (K,), got {z.shape}")
    if isinstance(targets, Tensor):
        raise TypeError("cross_entropy: targets are class indices (data), pass a list or an "
                        "integer numpy array rather than a Tensor")
    if isinstance(targets, (str, bytes)) or targets is None:
        raise TypeError(f"cross_entropy: targets must be integer class indices, got {targets!r}")
    t = np.asarray(targets)
    if t.dtype.kind not in "iu" and not (t.size == 0 and t.dtype.kind == "f"):
        raise TypeError(f"cross_entropy: targets must be integer class indices, got {targets!r}")
    expected = z.shape[:-1]
    if t.shape != expected:
        raise ValueError(f"cross_entropy: logits of shape {z.shape} need targets of shape "
                         f"{expected}, got shape {t.shape}")
    classes = z.shape[-1]
    if t.size and (t.min() < 0 or t.max() >= classes):
        raise ValueError(
            f"cross_entropy: targets must be class indices 0 .. {classes - 1}, got {targets!r}"
        )
    log_probs = log_softmax(z, axis=-1)
    if z.ndim == 1:
        return -log_probs[int(t)]
    return -log_probs[np.arange(len(t)), t.astype(np.intp, copy=False)].mean()
