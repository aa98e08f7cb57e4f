"""Chapter 13: derivatives of derivatives, curvature, and rules of your own."""

from __future__ import annotations

import numpy as np

from ..transforms import derivative, grad, hessian
from . import implement, predict

predict("13.stop_gradient", "What does ad.grad(lambda x: x * x * ad.stop_gradient(x))(2.0) return?",
        answer=8.0,
        hint="stop_gradient(x) has x's value but counts as a constant c: differentiate c * x * x with "
             "respect to x, then put in the numbers",
        why="stop_gradient(x) is the constant c = 2, and d(c x^2)/dx = 2 c x = 8; the true derivative "
            "of x^3 would be 3 x^2 = 12")

predict("13.newton_quartic", "Newton's method for minimising f(x) = x**4, started at x = 1: where is x "
                             "after one step? (4 decimals)",
        answer=round(2 / 3, 4), tolerance=1e-3,
        hint="in one variable a Newton step is x - f'(x) / f''(x); work out f' and f'' of x**4 at x = 1",
        why="x - 4x^3 / (12x^2) = x - x/3 = 2x/3, so every step only multiplies the error by 2/3: "
            "linear convergence, not quadratic, because f''(0) = 0 at this minimum")


def seed_e(v):
    return (v[0] * v[1]) * (v[1] + 1)


def wavy(v):
    return np.sum(v * v * v) * 0.1 + v[0] * v[1] * v[2] - (v[1] * v[2]).sin()


@implement("13.hvp", "Write hvp(f, x, v): the Hessian-vector product H(x) v of scalar f at the numpy "
                     "array x, by forward over reverse: the derivative at t = 0 of "
                     "t -> ad.grad(f)(x + t * v). Use ad.derivative and ad.grad; do not form H.",
           hint="ad.derivative(g, 0.0) differentiates g(t) = ad.grad(f)(x + t * v) at t = 0 and gives "
                "one number per entry of x; hand x + t * v to the gradient as it is (no .data, no "
                "float(...)), so that it sees t")
def check_hvp(answer):
    rng = np.random.default_rng(13)
    cases = [(seed_e, np.array([2.0, 3.0]), np.array([1.0, 0.0])),
             (seed_e, np.array([2.0, 3.0]), np.array([0.0, 1.0])),
             (wavy, rng.normal(size=3), rng.normal(size=3))]
    for f, x, v in cases:
        got = np.asarray(answer(f, x.copy(), v.copy()), dtype=float)
        want = hessian(f, x) @ v
        if got.shape != want.shape:
            raise AssertionError(f"hvp({f.__name__}, x={x.tolist()}, v={v.tolist()}) has shape "
                                 f"{got.shape}, expected {want.shape} (one number per entry of x)")
        if not np.allclose(got, want, rtol=1e-9, atol=1e-9):
            cut = " (all zeros: was the inner gradient computed on plain numbers?)" if \
                not np.any(got) else ""
            raise AssertionError(f"hvp({f.__name__}, x={np.round(x, 4).tolist()}, "
                                 f"v={np.round(v, 4).tolist()}) is {np.round(got, 6).tolist()}, expected "
                                 f"H v = {np.round(want, 6).tolist()}{cut}")
    return "one forward-over-reverse pass gives H v, with no n x n matrix anywhere"


@check_hvp.solution
def hvp(f, x, v):
    return derivative(lambda t: grad(f)(x + t * v), 0.0)


def _symmetric(eigenvalues, seed):
    q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(len(eigenvalues),) * 2))
    return q @ np.diag(eigenvalues) @ q.T


@implement("13.smallest_curvature", "Write smallest_curvature(hvp_fn, lam_max, v0, steps): power "
                                    "iteration on H - lam_max * I (hvp_fn(v) gives H v), started from "
                                    "v0 and run for `steps` steps, then return the smallest eigenvalue "
                                    "of H as a float.",
           hint="the matrix-vector product of H - lam_max I is hvp_fn(v) - lam_max * v; iterate "
                "v <- w / ||w|| with that w, then take the Rayleigh quotient v . (H - lam_max I) v "
                "(its sign matters) and add lam_max back")
def check_smallest_curvature(answer):
    cases = [([5.0, 2.0, 1.0, 0.5], 1), ([3.0, 1.0, -2.0], 2), ([4.0, 4.0, 1.5, 1.0, 0.25], 3)]
    for eigenvalues, seed in cases:
        matrix = _symmetric(eigenvalues, seed)
        v0 = np.random.default_rng(seed + 10).normal(size=len(eigenvalues)) * 10.0
        got = answer(lambda v, m=matrix: m @ v, max(eigenvalues), v0.copy(), 400)
        try:
            value = float(got)
        except (TypeError, ValueError):
            raise AssertionError(f"smallest_curvature should return a float, got {got!r}") from None
        if abs(value - min(eigenvalues)) > 1e-6:
            raise AssertionError(f"for a matrix with eigenvalues {eigenvalues} smallest_curvature "
                                 f"returned {value:.6g}, expected {min(eigenvalues)}")
    return ("a negative smallest curvature means a saddle, not a minimum; near a minimum it tells how "
            "flat the flattest direction is")


@check_smallest_curvature.solution
def smallest_curvature(hvp_fn, lam_max, v0, steps):
    v = v0 / np.linalg.norm(v0)
    for _ in range(steps):
        w = hvp_fn(v) - lam_max * v
        v = w / np.linalg.norm(w)
    return float(v @ (hvp_fn(v) - lam_max * v)) + lam_max
