"""Random expression programs for property tests, runnable on floats, Values and Duals alike.

A program is a list of steps ``(op, i, j, constant)``; step k combines earlier results ``pool[i]`` and
``pool[j]`` (so nodes are reused) and constants appear on either side. ``resolve`` first runs the program on
floats and replaces any step that would land near a kink, a domain edge or a huge number with a safe
one, so that finite differences are trustworthy and all engines run exactly the same program.
"""

from __future__ import annotations

import math

from hypothesis import strategies as st

import autodiff_nb as ad

BINARY = ["add", "sub", "mul", "div", "pow_value", "const_add", "const_sub", "const_mul", "const_div",
          "const_rpow", "square", "cube"]
UNARY = ["exp", "log", "sin", "cos", "tanh", "sigmoid", "relu", "neg"]
OPS = BINARY + UNARY

steps = st.lists(
    st.tuples(st.sampled_from(OPS), st.integers(0, 50), st.integers(0, 50),
              st.floats(0.5, 3.0).map(lambda c: round(c, 3))),
    min_size=1, max_size=12,
)
inputs = st.lists(st.floats(-2.0, 2.0).map(lambda v: round(v, 3)), min_size=3, max_size=3)


_BINARY_FORMS = {
    "add": lambda a, b, c: a + b,
    "sub": lambda a, b, c: a - b,
    "mul": lambda a, b, c: a * b,
    "div": lambda a, b, c: a / b,
    "pow_value": lambda a, b, c: a ** b,
    "const_add": lambda a, b, c: c + a,
    "const_sub": lambda a, b, c: c - a,
    "const_mul": lambda a, b, c: a * c,
    "const_div": lambda a, b, c: c / a,
    "const_rpow": lambda a, b, c: c ** a,
    "square": lambda a, b, c: a ** 2,
    "cube": lambda a, b, c: a ** 3,
    "neg": lambda a, b, c: -a,
}


def apply(op, a, b, c):
    """One step: ``op`` on operands ``a``, ``b`` (and the constant ``c``), on any engine's numbers."""
    form = _BINARY_FORMS.get(op)
    return form(a, b, c) if form is not None else getattr(ad, op)(a)


_UNSAFE = {
    "div": lambda a, b: abs(b) < 0.3,
    "const_div": lambda a, b: abs(a) < 0.3,
    "log": lambda a, b: a < 0.3,
    "pow_value": lambda a, b: a < 0.3 or abs(b) > 3,
    "relu": lambda a, b: abs(a) < 0.05,
    "exp": lambda a, b: a > 5,
    "const_rpow": lambda a, b: a > 5,
}


def _safe(op, a, b):
    """Is ``op`` on these float operands away from kinks, poles and domain edges?"""
    unsafe = _UNSAFE.get(op)
    return unsafe is None or not unsafe(a, b)


def resolve(program, xs):
    """Replace unsafe steps by ``tanh`` of their first operand; return the concrete program."""
    pool = list(xs)
    concrete = []
    for op, i, j, c in program:
        i, j = i % len(pool), j % len(pool)
        a, b = pool[i], pool[j]
        if not _safe(op, a, b):
            op = "tanh"
        result = apply(op, a, b, c)
        if not math.isfinite(result) or abs(result) > 1e3:
            op, result = "tanh", math.tanh(a)
        concrete.append((op, i, j, c))
        pool.append(result)
    return concrete


def run(concrete, xs):
    """Run a resolved program; the output sums the last two results so that more of the graph matters."""
    pool = list(xs)
    for op, i, j, c in concrete:
        pool.append(apply(op, pool[i], pool[j], c))
    return pool[-1] + pool[-2] if len(concrete) > 1 else pool[-1]
