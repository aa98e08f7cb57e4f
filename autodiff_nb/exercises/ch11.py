"""Chapter 11: tensors (broadcasting gradients, matrix-product gradients)."""

from __future__ import annotations

import numpy as np

from ..numerical import numerical_grad
from . import implement, predict, shapes

predict("11.grad_shapes", "X has shape (32, 5), W has shape (5, 3) and b has shape (3,). Y = X @ W + b "
                         "and L is a number computed from Y. Give the shapes of dL/dX, dL/dW and dL/db "
                         "as a tuple of three shapes.",
        answer=((32, 5), (5, 3), (3,)), form=shapes("dL/dX", "dL/dW", "dL/db"),
        hint="L is one number, so each gradient says how L changes with every entry of its variable",
        hints={"dL/db": "b is shared by all 32 rows of Y: its gradient is summed over the rows, and has "
                        "one entry per entry of b"},
        why="a gradient always has the shape of the thing it is the gradient of")


_UNBROADCAST_CASES = [
    ((4, 3), (3,)),
    ((4, 3), (4, 1)),
    ((4, 3), (1, 3)),
    ((2, 4, 3), (4, 3)),
    ((2, 4, 3), (1, 3)),
    ((2, 4, 3), (2, 1, 3)),
    ((4, 3), (4, 3)),
    ((4, 3), ()),
]


@implement("11.sum_to_shape", "Write sum_to_shape(grad, shape): sum the gradient of a broadcast result "
                             "back down to the operand's shape (sum away extra leading axes, and sum "
                             "axes where the operand had length 1, keeping them).",
           hint="first grad.sum(axis=...) over the leading axes that shape does not have, then sum with "
                "keepdims=True every axis where shape has length 1 and grad does not")
def check_sum_to_shape(answer):
    rng = np.random.default_rng(11)
    for big, small in _UNBROADCAST_CASES:
        grad = rng.normal(size=big)
        result = np.asarray(answer(grad.copy(), small))
        # the reference: the gradient of sum(grad * broadcast(operand)) with respect to the operand
        extra = len(big) - len(small)
        want = grad.sum(axis=tuple(range(extra))) if extra else grad
        keep = tuple(i for i, n in enumerate(small) if n == 1 and want.shape[i] != 1)
        want = want.sum(axis=keep, keepdims=True) if keep else want
        if result.shape != small:
            raise AssertionError(f"grad of shape {big} summed to shape {small} came back with "
                                 f"shape {result.shape}")
        if not np.allclose(result, want):
            raise AssertionError(f"grad of shape {big} summed to shape {small} has the wrong "
                                 "values (sum over the broadcast axes; do not average)")
    return "every broadcast copy's gradient is added back into the one element it was copied from"


@check_sum_to_shape.solution
def sum_to_shape(grad, shape):
    extra = grad.ndim - len(shape)
    grad = grad.sum(axis=tuple(range(extra)))           # axes that broadcasting added in front
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    return grad.sum(axis=stretched, keepdims=True)      # axes of length 1 that were stretched


@implement("11.matmul_backward", "Write matmul_backward(X, W, G) returning (dL/dX, dL/dW) for Y = X @ W, "
                                "given G = dL/dY.",
           hint="a gradient has the shape of its variable: X is (n, k), W is (k, m) and G is (n, m). "
                "Which product of G, X, W and their transposes (.T) gives (n, k), and which (k, m)?")
def check_matmul_backward(answer):
    rng = np.random.default_rng(12)
    for n, k, m in ((4, 3, 2), (2, 5, 3), (1, 1, 1), (3, 3, 3)):
        X, W, G = rng.normal(size=(n, k)), rng.normal(size=(k, m)), rng.normal(size=(n, m))
        result = answer(X.copy(), W.copy(), G.copy())
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise AssertionError(f"return a pair (dX, dW), got {result!r}")
        dX, dW = (np.asarray(r, dtype=float) for r in result)
        if dX.shape != (n, k):
            raise AssertionError(f"with X of shape {(n, k)} and W of shape {(k, m)}, dL/dX must "
                                 f"have X's shape {(n, k)}, got {dX.shape}")
        if dW.shape != (k, m):
            raise AssertionError(f"dL/dW must have W's shape {(k, m)}, got {dW.shape}")
        if not np.allclose(dX, G @ W.T):
            raise AssertionError("dL/dX has the right shape but the wrong values "
                                 "(which of G, W, their transposes fits (n, m) x (m, k)?)")
        if not np.allclose(dW, X.T @ G):
            raise AssertionError("dL/dW has the right shape but the wrong values "
                                 "(which of X, G, their transposes fits (k, n) x (n, m)?)")
    return "dL/dX = G @ W.T and dL/dW = X.T @ G: the only products whose shapes fit"


@check_matmul_backward.solution
def matmul_backward(X, W, G):
    dX = G @ W.T   # (n, m) @ (m, k) -> (n, k), the shape of X
    dW = X.T @ G   # (k, n) @ (n, m) -> (k, m), the shape of W
    return dX, dW


def _mean_cross_entropy(Z, y):
    """mean_i -log softmax(Z_i)[y_i], with the row maximum subtracted first."""
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(y)), y].mean())


@implement("11.softmax_cross_entropy_vjp",
           "Write softmax_cross_entropy_vjp(Z, y, g): for scores Z of shape (n, K) and class indices y, "
           "return g times dL/dZ, where L = mean_i -log softmax(Z_i)[y_i] and g is the upstream "
           "gradient (a number). Use numpy only.",
           hint="the derivative of log sum_k exp(z_ik) with respect to z_ik is softmax(z_i)_k; the "
                "-z_(i, y_i) term subtracts 1 at the target class; the mean divides every entry by n; "
                "then multiply by g. Subtract each row's maximum before np.exp")
def check_softmax_cross_entropy_vjp(answer):
    rng = np.random.default_rng(13)
    for n, k in ((5, 3), (2, 4)):                      # n != K: a transposed result cannot pass
        Z, y = rng.normal(size=(n, k)), rng.integers(0, k, size=n)
        want = numerical_grad(lambda Z_, y=y: _mean_cross_entropy(Z_, y), Z)
        got = np.asarray(answer(Z.copy(), y.copy(), 1.0), dtype=float)
        if got.shape != (n, k):
            raise AssertionError(f"for Z of shape {(n, k)} the result must have Z's shape, got "
                                 f"{got.shape}")
        if np.allclose(got, n * want, atol=1e-5):
            raise AssertionError(f"this is the gradient of the sum over the {n} rows; L is their "
                                 "mean, so every entry is divided by n")
        if np.allclose(got, -want, atol=1e-5):
            raise AssertionError("the sign is flipped: raising the true class's score lowers the loss")
        if not np.allclose(got, want, atol=1e-5):
            hint = ("each row should sum to 0 (probabilities sum to 1, minus one 1 for the target)"
                    if not np.allclose(got.sum(axis=1), 0, atol=1e-6) else
                    "compare with softmax(Z) minus the one-hot targets, divided by n")
            raise AssertionError(f"dL/dZ for Z of shape {(n, k)} has wrong values: {hint}")
        scaled = np.asarray(answer(Z.copy(), y.copy(), 2.5), dtype=float)
        if not np.allclose(scaled, 2.5 * want, atol=1e-5):
            raise AssertionError("with g = 2.5 every entry should be 2.5 times larger: a VJP "
                                 "multiplies the local gradient by the upstream one")
    big = np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 999.0]])
    got = np.asarray(answer(big.copy(), np.array([2, 1]), 1.0), dtype=float)
    if not np.all(np.isfinite(got)):
        raise AssertionError("scores of 1000 give inf/nan: subtract each row's maximum before exp "
                             "(the softmax does not change)")
    if not np.allclose(got, numerical_grad(lambda Z_: _mean_cross_entropy(Z_, np.array([2, 1])), big),
                       atol=1e-5):
        raise AssertionError("for scores of size 1000 the values are wrong (the result stays finite)")
    return ("dL/dZ = g (softmax(Z) - onehot(y)) / n: the derivative of log-sum-exp is the softmax, "
            "the -z_(i,y_i) term subtracts 1 at the target, the mean divides by n")


@check_softmax_cross_entropy_vjp.solution
def softmax_cross_entropy_vjp(Z, y, g):
    shifted = Z - Z.max(axis=1, keepdims=True)          # the same softmax, and exp cannot overflow
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    probs[np.arange(len(y)), y] -= 1.0                   # minus the one-hot targets
    return g * probs / len(y)                            # the mean, then the upstream gradient
