"""Chapter 09: gradient descent."""

from __future__ import annotations

import numpy as np

from . import implement, predict

predict("09.one_step", "L(phi) = (phi - 3)^2. Start at phi = 5 and take one gradient descent step with "
                      "learning rate 0.1. Where is phi now?", answer=4.6, tolerance=1e-9,
        hint="the gradient is dL/dphi = 2 (phi - 3); one step is phi <- phi - 0.1 · dL/dphi, at phi = 5",
        why="dL/dphi = 2 (5 - 3) = 4, so phi <- 5 - 0.1 * 4 = 4.6")

predict("09.largest_stable_learning_rate", "L(phi) = 5 phi^2. Above which learning rate does gradient "
                                           "descent diverge (|phi| grows every step) from any start "
                                           "phi != 0?", answer=0.2,
        hint="one step maps phi to phi - lr · 10 phi = (1 - 10 lr) phi; for which lr is |1 - 10 lr| "
             "larger than 1?",
        why="one step gives phi - lr * 10 phi = (1 - 10 lr) phi; |1 - 10 lr| > 1 once "
            "lr > 0.2 = 2 / L'', two over the curvature")


def _bowl_gradient(phi):
    # L = (phi0 - 1)^2 + 10 (phi1 + 2)^2
    phi = np.asarray(phi, dtype=float)
    return np.array([2 * (phi[0] - 1), 20 * (phi[1] + 2)])


@implement("09.gradient_descent", "Write gradient_descent(gradient, start, lr, steps): repeat "
                                 "phi <- phi - lr * gradient(phi) `steps` times from `start` and return "
                                 "the final phi as a numpy array.",
           hint="copy start into a float array, phi = np.array(start, dtype=float), then repeat "
                "phi = phi - lr * gradient(phi) steps times")
def check_gradient_descent(answer):
    def final(*args):
        return np.asarray(answer(*args), dtype=float)

    one = final(_bowl_gradient, [0.0, 0.0], 0.01, 1)
    if one.shape != (2,):
        raise AssertionError(f"for a start with 2 parameters the result should have shape (2,), "
                             f"got {one.shape}")
    if not np.allclose(one, [0.02, -0.4]):
        raise AssertionError(f"one step from (0, 0) with lr 0.01 should reach (0.02, -0.4), "
                             f"got {one}")
    unchanged = final(_bowl_gradient, [3.0, 4.0], 0.01, 0)
    if not np.allclose(unchanged, [3.0, 4.0]):
        raise AssertionError(f"zero steps should return the start (3, 4), got {unchanged}")
    many = final(_bowl_gradient, [0.0, 0.0], 0.04, 300)
    if not np.allclose(many, [1.0, -2.0], atol=1e-6):
        raise AssertionError(f"300 steps with lr 0.04 should reach the minimum (1, -2), got {many}")
    return "one step, zero steps and 300 steps all land where they should"


@check_gradient_descent.solution
def gradient_descent(gradient, start, lr, steps):
    phi = np.array(start, dtype=float)
    for _ in range(steps):
        phi = phi - lr * gradient(phi)
    return phi


predict("09.saddle_delay",
        "Near the saddle of L = phi0^2 + (phi1^2 - 1)^2, one gradient descent step with lr = 0.1 "
        "multiplies phi1 by 1.4. A start 1000 times closer to the line phi1 = 0 spends about how many "
        "more steps near the saddle?",
        answer=round(float(np.log(1000) / np.log(1.4)), 2), tolerance=0.03,
        hint="after k steps the offset has grown by 1.4^k; how large must k be for 1.4^k to make up a "
             "factor of 1000?",
        why="the offset must grow 1000 times more, and 1.4^k = 1000 gives k = log 1000 / log 1.4 = 20.5 "
            "steps: every factor of 10 closer to the line costs log 10 / log 1.4 = 6.8 more steps on the "
            "plateau")
