"""Chapter 05: forward mode (tangent tables, dual numbers, one pass per input)."""

import math

from ..dual import Dual
from . import assert_close, implement, predict

predict("05.tangent_of_g", "g = (a + b) * b at a = 2, b = 3, seeded at b (a' = 0, b' = 1). "
                           "What tangent does g carry?", answer=8.0,
        hint="the product rule on (a + b) * b: g' = (a' + b')·b + (a + b)·b', with a' = 0 and b' = 1",
        why="g' = (a' + b')·b + (a + b)·b' = 1·3 + 5·1 = 8, which is ∂g/∂b = a + 2b")

predict("05.forward_passes", "How many forward passes does jacobian(f, x, mode='forward') need "
                             "for f: R^10 -> R^3?", answer=10,
        hint="one forward pass seeds one input and fills one column of the 3 × 10 Jacobian",
        why="one pass per input: each pass seeds one of the 10 inputs and fills one column "
            "of the 3x10 Jacobian")


@implement("05.dual_sin", "Write dual_sin(x): take a Dual, return the Dual sin(x), using only math.sin "
                          "and math.cos.",
           hint="return Dual(primal, tangent): the primal is math.sin(x.primal), the tangent is the "
                "derivative of sin at x.primal times x.tangent")
def dual_sin(answer):
    for primal, tangent in [(0.0, 1.0), (0.5, 2.0), (2.0, -3.0), (-1.25, 0.0)]:
        out = answer(Dual(primal, tangent))
        where = f"dual_sin(Dual({primal}, {tangent}))"
        assert isinstance(out, Dual), f"{where} should return a Dual, got {type(out).__name__}"
        assert_close(out.primal, math.sin(primal), what=f"the primal of {where}")
        assert_close(out.tangent, math.cos(primal) * tangent, what=f"the tangent of {where}")
    return "sin(p + t·ε) = sin(p) + cos(p)·t·ε: the chain rule is one multiplication"


@dual_sin.solution
def dual_sin_reference(x):
    return Dual(math.sin(x.primal), math.cos(x.primal) * x.tangent)

predict("05.jvp_of_V", "V = xy + z(x + y) at x, y, z = 2, 3, 4, seeded with the direction x' = 1, y' = 2, "
                       "z' = -1. What tangent does V carry after one forward sweep?", answer=14.0,
        hint="one tangent per step: w1' = x'y + xy' (product rule), w2' = x' + y', "
             "w3' = w2'z + w2z', and V' = w1' + w3'",
        why="w1' = 1·3 + 2·2 = 7, w2' = 1 + 2 = 3, w3' = 3·4 + 5·(-1) = 7, V' = 7 + 7 = 14; the same "
            "as the gradient (y + z, x + z, x + y) = (7, 6, 5) dotted with v: 7 + 12 - 5")
