"""Chapter 03: the shallow ReLU network."""

import numpy as np

from . import assert_close, implement, predict
from .answers import BadForm, Form, number

_THETA = ((0.6, -1.0), (-0.5, 1.0), (-1.6, 1.2))
_PHI = (0.3, 1.0, -1.2, 1.5)


class _UnitsAndOutput(Form):
    """Which hidden units are on and the output y, as (units, y); y alone is also an answer."""

    def read(self, answer):
        if isinstance(answer, (tuple, list)) and len(answer) == 2:
            units, y = answer
            try:
                on = frozenset(int(unit) for unit in ([units] if np.isscalar(units) else units))
            except (TypeError, ValueError):
                on = None
            if on is not None and on <= {1, 2, 3}:
                return on, number.read(y)
        if isinstance(answer, (tuple, list)):
            raise BadForm("give (the units that are on, y), such as ([2, 3], 0.5) for units 2 and 3, "
                          f"or y alone; got {answer!r}")
        return None, number.read(answer)

    def mistakes(self, given, expected, tolerance):
        (units, y), (right_units, right_y) = given, expected
        wrong = [] if units is None or units == right_units else ["units"]
        return wrong + (["y"] if number.mistakes(y, right_y, tolerance) else [])

    def wrong(self, given, mistakes):
        if mistakes == ["units"]:
            return "y is right, but the units that are on are not"
        return "neither the units that are on nor y is right" if len(mistakes) == 2 else "y is not right"


predict("03.output_at_zero", "The chapter's network has theta = ((0.6, -1.0), (-0.5, 1.0), (-1.6, 1.2)) "
                             "and phi = (0.3, 1.0, -1.2, 1.5). At x = 0, which units are on, and what "
                             "is its output y? Give (units, y), such as ([2, 3], 0.5), or y alone.",
        answer=([1], 0.9), form=_UnitsAndOutput(),
        hint="at x = 0 unit d sees just theta_d0: 0.6, -0.5 and -1.6. ReLU keeps the positive ones, "
             "and y = phi_0 plus the sum of phi_d times what is left",
        why="at x = 0 only unit 1 is on (0.6 > 0), so y = 0.3 + 1.0 * 0.6 = 0.9")

predict("03.pieces", "A shallow ReLU network with one input, one output and 10 hidden units: at most "
                     "how many straight pieces can its output have?", answer=11,
        hint="each hidden unit bends the output at one joint at most; how many pieces do that many "
             "joints cut a line into?",
        why="each unit adds at most one joint, and 10 joints cut the line into 11 pieces")


@implement("03.shallow_net", "Write shallow_net(x, theta, phi) for a number x: y = phi[0] + sum over d "
                             "of phi[d + 1] * relu(theta[d][0] + theta[d][1] * x).",
           hint="start from phi[0] and, for every unit d, add phi[d + 1] * max(0, theta[d][0] + "
                "theta[d][1] * x)")
def _(answer):
    def reference(x, theta, phi):
        units = zip(theta, phi[1:], strict=True)
        return phi[0] + sum(p * max(0.0, t0 + t1 * x) for (t0, t1), p in units)

    assert_close(answer(2.0, _THETA, _PHI), -0.3, what="the chapter's network at x = 2")
    rng = np.random.default_rng(3)
    for hidden in (1, 3, 5):
        theta = [tuple(row) for row in rng.normal(size=(hidden, 2)).tolist()]
        phi = rng.normal(size=hidden + 1).tolist()
        for x in (-1.5, 0.0, 0.7, 2.5):
            assert_close(answer(x, theta, phi), reference(x, theta, phi), tol=1e-9,
                         what=f"shallow_net({x}, ...) with {hidden} hidden units")
    return "it agrees with the formula for 1, 3 and 5 hidden units"


@_.solution
def shallow_net(x, theta, phi):
    y = phi[0]
    for (theta_d0, theta_d1), phi_d in zip(theta, phi[1:], strict=True):
        y += phi_d * max(0.0, theta_d0 + theta_d1 * x)
    return y


predict("03.width_doubling", "A shallow ReLU network with evenly spaced joints fits a smooth function on an "
                             "interval about as well as piecewise-linear interpolation does. By about what "
                             "factor does the mean squared error fall when you double the number of joints?",
        answer=16, tolerance=0.2,
        hint="on a piece of width h a straight chord misses a smooth curve by an error proportional to h "
             "squared; doubling the joints halves h; and the MSE averages the square of the error",
        why="the chord's error is O(h²), so halving h divides it by 4 and its square by 4² = 16: "
            "MSE = O(h⁴); the chapter measures 17.1 and 16.3 once the pieces are narrow")
