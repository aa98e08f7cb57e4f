"""Chapter 03: the shallow ReLU network."""

import numpy as np

from . import assert_close, exercise

_THETA = ((0.6, -1.0), (-0.5, 1.0), (-1.6, 1.2))
_PHI = (0.3, 1.0, -1.2, 1.5)


@exercise("03.output_at_zero", kind="predict",
          prompt="The chapter's network has theta = ((0.6, -1.0), (-0.5, 1.0), (-1.6, 1.2)) and "
                 "phi = (0.3, 1.0, -1.2, 1.5). What is its output y at x = 0?")
def _(answer):
    assert_close(answer, 0.9)
    return "at x = 0 only unit 1 is on (0.6 > 0), so y = 0.3 + 1.0 * 0.6 = 0.9"


_.solution(0.9)


@exercise("03.pieces", kind="predict",
          prompt="A shallow ReLU network with one input, one output and 10 hidden units: at most "
                 "how many straight pieces can its output have?")
def _(answer):
    assert_close(answer, 11.0)
    return "each unit adds at most one joint, and 10 joints cut the line into 11 pieces"


_.solution(11)


@exercise("03.shallow_net", kind="implement",
          prompt="Write shallow_net(x, theta, phi) for a number x: y = phi[0] + sum over d of "
                 "phi[d + 1] * relu(theta[d][0] + theta[d][1] * x).")
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


def shallow_net(x, theta, phi):
    y = phi[0]
    for (theta_d0, theta_d1), phi_d in zip(theta, phi[1:], strict=True):
        y += phi_d * max(0.0, theta_d0 + theta_d1 * x)
    return y


_.solution(shallow_net)
