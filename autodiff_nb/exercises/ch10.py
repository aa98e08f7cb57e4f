"""Chapter 10: stochastic gradient descent and momentum."""

from __future__ import annotations

import numpy as np

from . import assert_close, exercise


@exercise("10.batches_per_epoch", kind="predict",
          prompt="50 training examples are shuffled and cut into mini-batches of 8. How many "
                 "mini-batches (parameter updates) make one epoch?")
def batches_per_epoch(answer):
    assert_close(answer, 7, tol=1e-9)
    return ("six full batches of 8 use 48 examples, and the last batch holds the remaining 2: "
            "7 updates")


batches_per_epoch.solution(7)


@exercise("10.momentum_step", kind="predict",
          prompt="beta = 0.9, lr = 0.1, phi_t = 1.0, m_t = 2.0, and the batch's gradients sum to "
                 "4.0. What is phi_{t+1}?")
def momentum_step(answer):
    m_next = 0.9 * 2.0 + (1 - 0.9) * 4.0
    assert_close(answer, 1.0 - 0.1 * m_next, tol=1e-9)
    return "m_{t+1} = 0.9 * 2.0 + 0.1 * 4.0 = 2.2, so phi_{t+1} = 1.0 - 0.1 * 2.2 = 0.78"


momentum_step.solution(0.78)


def _reference_update(phi, m, batch_gradients, lr, beta):
    total = np.sum(np.asarray(batch_gradients, dtype=float), axis=0)
    m_next = beta * np.asarray(m, dtype=float) + (1 - beta) * total
    return np.asarray(phi, dtype=float) - lr * m_next, m_next


@exercise("10.momentum_update", kind="implement",
          prompt="Write momentum_update(phi, m, batch_gradients, lr, beta) returning "
                 "(phi_next, m_next) with m_next = beta m + (1 - beta) * (sum of the batch's "
                 "gradients) and phi_next = phi - lr m_next.")
def check_momentum_update(answer):
    cases = [
        (np.array([1.0]), np.array([2.0]), [np.array([4.0])], 0.1, 0.9),
        (np.array([1.0, -2.0]), np.array([0.0, 0.0]),
         [np.array([1.0, 2.0]), np.array([3.0, -1.0])], 0.5, 0.9),
        (np.array([0.5, 0.5]), np.array([1.0, -1.0]), [np.array([2.0, 2.0])] * 3, 0.01, 0.0),
    ]
    for phi, m, grads, lr, beta in cases:
        result = answer(phi.copy(), m.copy(), [g.copy() for g in grads], lr, beta)
        if not isinstance(result, tuple) or len(result) != 2:
            raise AssertionError(f"return a pair (phi_next, m_next), got {result!r}")
        phi_next, m_next = (np.asarray(r, dtype=float) for r in result)
        want_phi, want_m = _reference_update(phi, m, grads, lr, beta)
        if not np.allclose(m_next, want_m):
            raise AssertionError(f"m_next for phi={phi}, m={m}, gradients={grads}, beta={beta} "
                                 f"should be {want_m}, got {m_next} (sum the batch's gradients, "
                                 "then average with m)")
        if not np.allclose(phi_next, want_phi):
            raise AssertionError(f"phi_next should be {want_phi}, got {phi_next} "
                                 "(step with the NEW m)")
    assert_close(answer(np.array([1.0]), np.array([2.0]), [np.array([4.0])], 0.1, 0.9)[0][0], 0.78,
                 what="phi_next for the worked example")
    return "the same numbers as the formula m <- beta m + (1 - beta) sum_i g_i, phi <- phi - lr m"


@check_momentum_update.solution
def momentum_update(phi, m, batch_gradients, lr, beta):
    gradient_sum = sum(batch_gradients)
    m_next = beta * m + (1 - beta) * gradient_sum
    phi_next = phi - lr * m_next
    return phi_next, m_next


@exercise("10.momentum_stability_limit", kind="predict",
          prompt="Momentum in the form m <- beta m + (1 - beta) g, phi <- phi - lr m, with "
                 "beta = 0.9, along a direction of curvature 10. Above which learning rate lr does "
                 "it diverge?")
def momentum_stability_limit(answer):
    if isinstance(answer, (int, float)) and abs(answer - 0.2) < 1e-6:
        raise AssertionError("0.2 = 2 / 10 is plain gradient descent's limit; with momentum the "
                             "condition is lr (1 - beta) * 10 < 2 (1 + beta)")
    if isinstance(answer, (int, float)) and abs(answer - 0.38) < 1e-6:
        raise AssertionError("0.38 is the limit on the heavy-ball step eta = lr (1 - beta); "
                             "the question asks for lr itself")
    assert_close(answer, 2 * (1 + 0.9) / ((1 - 0.9) * 10), tol=1e-6)
    return ("eta = lr (1 - beta) must stay below 2 (1 + beta) / 10 = 0.38, so lr < 3.8: 19 times "
            "plain gradient descent's 0.2, although the step the gradient gets, eta, only grows "
            "1.9 times")


momentum_stability_limit.solution(3.8)


@exercise("10.adam_first_step", kind="predict",
          prompt="Adam with lr = 0.01 (betas 0.9 and 0.999, eps 1e-8) takes its first step on a "
                 "parameter phi = 2.0 whose gradient is -250. What is phi after the step?")
def adam_first_step(answer):
    if isinstance(answer, (int, float)) and abs(answer - 4.5) < 1e-6:
        raise AssertionError("4.5 = 2.0 - 0.01 * (-250) is a plain gradient step; Adam divides by "
                             "the root of the (bias-corrected) average squared gradient")
    if isinstance(answer, (int, float)) and abs(answer - 1.99) < 1e-6:
        raise AssertionError("the size is right but not the direction: the gradient is negative, "
                             "so downhill is towards larger phi")
    m_hat = (1 - 0.9) * -250 / (1 - 0.9)
    v_hat = (1 - 0.999) * 250 ** 2 / (1 - 0.999)
    assert_close(answer, 2.0 - 0.01 * m_hat / (v_hat ** 0.5 + 1e-8), tol=1e-6)
    return ("after bias correction m_hat = -250 and v_hat = 250^2, so the step is "
            "-0.01 * (-250) / 250 = +0.01: on the first step every parameter moves by lr, "
            "whatever the size of its gradient")


adam_first_step.solution(2.01)
