"""Chapter 02: derivatives as limits, partial derivatives and the gradient."""

import math

from . import assert_close, implement, numbers, predict

predict("02.partial_y", "f(x, y, z) = 4x - 2y + 7z. What is the partial derivative ∂f/∂y at "
                        "(x, y, z) = (1, 2, 3)?", answer=-2,
        hint="hold x and z fixed: by how much does 4x - 2y + 7z change when y grows by 1?",
        why="hold x and z fixed and f changes by -2 for every unit of y, wherever you are")

predict("02.gradient_at", "g(x, y) = x² + 3y². Give its gradient at (x, y) = (1, -1) as a list "
                          "[∂g/∂x, ∂g/∂y].", answer=[2.0, -6.0], form=numbers("∂g/∂x", "∂g/∂y"),
        hint="differentiate x² + 3y² by x with y held fixed, then by y with x held fixed, and put in "
             "x = 1, y = -1 (mind the sign)",
        why="[2, -6]: uphill is mostly along -y, where the bowl is three times steeper")


@implement("02.difference_quotient", "Write difference_quotient(f, x, h): the slope (f(x + h) - f(x)) / h "
                                     "of the secant through (x, f(x)) and (x + h, f(x + h)).",
           hint="evaluate f at x + h and at x, subtract, and divide by h")
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


@_.solution
def difference_quotient(f, x, h):
    return (f(x + h) - f(x)) / h


predict("02.directional_derivative", "g(x, y) = x² + 3y² has the gradient (3, 3) at (1.5, 0.5). What is its "
                                     "slope there along the unit vector u = (0.6, 0.8)?", answer=4.2,
        tolerance=1e-3,
        hint="the slope along a unit vector u is the directional derivative, the dot product of the gradient "
             "with u: multiply matching components and add",
        why="∇g · u = 3 · 0.6 + 3 · 0.8 = 1.8 + 2.4 = 4.2, a little below the steepest slope "
            "|∇g| = 3√2 ≈ 4.24, because u points about 8 degrees away from the gradient")
