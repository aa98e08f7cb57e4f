"""Chapter 11: tensors (broadcasting gradients, matrix-product gradients)."""

from __future__ import annotations

import numpy as np

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
