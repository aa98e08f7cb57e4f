"""Chapter 04: the chain rule, and numerical, symbolic and automatic differentiation."""

import math

from . import assert_close, exercise


@exercise("04.chain_rule", kind="predict",
          prompt="f(x, y) = x·y with x(t) = 2t and y(t) = t³. What is df/dt at t = 1?")
def chain_rule(answer):
    assert_close(answer, 8.0, what="df/dt at t = 1")
    return "∂f/∂x·dx/dt + ∂f/∂y·dy/dt = y·2 + x·3t² = 1·2 + 2·3 = 8 (and f(t) = 2t⁴ has f' = 8t³)"


chain_rule.solution(8.0)


@exercise("04.fd_evaluations", kind="predict",
          prompt="How many evaluations of f does a central-difference gradient need for a function "
                 "of 1000 parameters?")
def fd_evaluations(answer):
    assert_close(answer, 2000, what="the number of evaluations")
    return "two per parameter, f(x + h·e_i) and f(x - h·e_i): 2 × 1000 = 2000"


fd_evaluations.solution(2000)


@exercise("04.central_difference", kind="implement",
          prompt="Write central_difference(f, x, h): the slope (f(x + h) - f(x - h)) / (2h).")
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
