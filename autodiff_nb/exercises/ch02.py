"""Chapter 02: derivatives as limits, partial derivatives and the gradient."""

import math

import numpy as np

from . import assert_close, exercise


@exercise("02.difference_quotient", kind="implement",
          prompt="Write difference_quotient(f, x, h): the slope (f(x + h) - f(x)) / h of the "
                 "secant through (x, f(x)) and (x + h, f(x + h)).")
def _(answer):
    cases = (
        (lambda x: x * x, "x²", 3.0, 1.0, 7.0, 1e-6),
        (lambda x: x * x, "x²", 3.0, 0.1, 6.1, 1e-6),
        (lambda x: 5.0 * x - 2.0, "5x - 2", -1.0, 0.25, 5.0, 1e-6),
        (math.exp, "exp", 0.0, 1e-6, 1.0, 1e-5),
    )
    for f, name, x, h, expected, tol in cases:
        assert_close(answer(f, x, h), expected, tol=tol,
                     what=f"difference_quotient({name}, {x}, h={h})")
    return "as h shrinks the secant's slope approaches the derivative: 7, then 6.1, heading for 6"


def difference_quotient(f, x, h):
    return (f(x + h) - f(x)) / h


_.solution(difference_quotient)


@exercise("02.partial_y", kind="predict",
          prompt="f(x, y, z) = 4x - 2y + 7z. What is the partial derivative ∂f/∂y at "
                 "(x, y, z) = (1, 2, 3)?")
def _(answer):
    assert_close(answer, -2.0)
    return "hold x and z fixed and f changes by -2 for every unit of y, wherever you are"


_.solution(-2)


@exercise("02.gradient_at", kind="predict",
          prompt="f(x, y) = x² + 3y². Give its gradient at (x, y) = (1, -1) as a pair "
                 "[∂f/∂x, ∂f/∂y].")
def _(answer):
    try:
        values = np.asarray(answer, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise AssertionError(f"give two numbers, e.g. [1.0, 2.0]; got {answer!r}") from None
    assert values.shape == (2,), f"give two numbers [∂f/∂x, ∂f/∂y], got {len(values)} numbers"
    assert_close(values[0], 2.0, what="∂f/∂x = 2x at x = 1")
    assert_close(values[1], -6.0, what="∂f/∂y = 6y at y = -1")
    return "[2, -6]: uphill is mostly along -y, where the bowl is three times steeper"


_.solution([2.0, -6.0])
