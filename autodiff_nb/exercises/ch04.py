"""Chapter 04: the chain rule, and numerical, symbolic and automatic differentiation."""

import math

from . import assert_close, implement, predict

predict("04.chain_rule", "f(x, y) = x·y with x(t) = 2t and y(t) = t³. What is df/dt at t = 1?", answer=8.0,
        hint="df/dt = ∂f/∂x·dx/dt + ∂f/∂y·dy/dt with ∂f/∂x = y and ∂f/∂y = x; at t = 1, x = 2 and y = 1",
        why="∂f/∂x·dx/dt + ∂f/∂y·dy/dt = y·2 + x·3t² = 1·2 + 2·3 = 8 (and f(t) = 2t⁴ has f' = 8t³)")

predict("04.fd_evaluations", "How many evaluations of f does a central-difference gradient need for a "
                             "function of 1000 parameters?", answer=2000,
        hint="one partial derivative by central differences evaluates f at x + h·e_i and at x - h·e_i; "
             "and there is one partial per parameter",
        why="two per parameter, f(x + h·e_i) and f(x - h·e_i): 2 × 1000 = 2000")


@implement("04.central_difference", "Write central_difference(f, x, h): the slope "
                                    "(f(x + h) - f(x - h)) / (2h).",
           hint="evaluate f at x + h and at x - h, subtract, and divide by the distance between them, 2h")
def central_difference(answer):
    cases = [
        (lambda x: x ** 2, 3.0, 1e-3, 6.0, "x² at 3"),
        (math.sin, 1.0, 1e-4, math.cos(1.0), "sin at 1"),
        (math.exp, 0.5, 1e-4, math.exp(0.5), "exp at 0.5"),
    ]
    for f, x, h, exact, name in cases:
        assert_close(answer(f, x, h), exact, tol=1e-6, what=f"your slope of {name}")
    # x³ at 2 with h = 0.1: the central difference is exactly 12 + h² = 12.01, the forward one 12.61
    assert_close(answer(lambda x: x ** 3, 2.0, 0.1), 12.01, tol=1e-9,
                 what="your slope of x³ at 2 with h = 0.1 (a central difference gives 12 + h²)")
    return ("the error is O(h²): for x³ at 2 it is exactly h² = 0.01, against 0.61 for the forward "
            "difference")


@central_difference.solution
def central_difference_reference(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)
