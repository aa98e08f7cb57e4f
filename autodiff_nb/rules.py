"""One derivative rule per primitive, written once for every engine.

Each rule takes the operand values and a *backend* (``SCALAR`` for Python floats, ``ARRAY`` for numpy
arrays, ``TRACED`` for operands that are themselves traced numbers) and returns ``(output, partials)``:
the result and the local partial derivative of the result with respect to each operand, in operand
order. The engines only differ in what they do with the partials:

* reverse mode (``Value``, ``Tensor``) stores them on the node and later multiplies them by the adjoint,
  ``child.grad += partial * node.grad``;
* forward mode (``Dual``) multiplies them by the operands' tangents right away,
  ``tangent = sum(partial_i * tangent_i)``.

Because a rule is written with ordinary arithmetic and the backend's functions, running it on traced
operands (the ``TRACED`` backend) records the derivative itself as a computation: that is all higher
order derivatives need (``grad(grad(f))``, Hessian-vector products).

Numerical edge cases follow IEEE 754, as numpy and PyTorch do: ``log(0) = -inf``, ``log(-1) = nan``,
``1/0 = inf``, ``0/0 = nan`` and an overflowing ``exp`` gives ``inf``. No rule raises for them; use
``detect_anomaly()`` to turn such a result into an error that names the operation.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np

from .traced import Traced, primal

INF = math.inf
NAN = math.nan


# --------------------------------------------------------------------------------------------------
# Backends: the handful of elementary functions the rules need, for floats and for arrays.
# --------------------------------------------------------------------------------------------------

def _scalar_exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def _scalar_log(x: float) -> float:
    if x > 0.0:
        return math.log(x)
    return -INF if x == 0.0 else NAN  # log(nan) also lands here and stays nan


def _scalar_div(x: float, y: float) -> float:
    try:
        return x / y
    except ZeroDivisionError:
        if x == 0.0 or x != x:
            return NAN
        return math.copysign(INF, x) * math.copysign(1.0, y)


def _scalar_pow(x: float, y: float) -> float:
    try:
        result = x ** y
    except (ZeroDivisionError, OverflowError):  # 0.0 ** negative, or too large
        odd_integer = y == int(y) and int(y) % 2 == 1 if math.isfinite(y) else False
        return math.copysign(INF, x) if odd_integer else INF
    if isinstance(result, complex):  # negative base, fractional exponent
        return NAN
    return result


def _scalar_sigmoid(x: float) -> float:
    # Two algebraically equal forms, each used where exp() cannot overflow.
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _scalar_trig(func: Callable[[float], float]) -> Callable[[float], float]:
    def safe(x: float) -> float:
        try:
            return func(x)
        except ValueError:  # sin(inf)
            return NAN
    return safe


def _array_sigmoid(x: np.ndarray) -> np.ndarray:
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


SCALAR = SimpleNamespace(
    name="scalar",
    exp=_scalar_exp,
    log=_scalar_log,
    div=_scalar_div,
    pow=_scalar_pow,
    sin=_scalar_trig(math.sin),
    cos=_scalar_trig(math.cos),
    tanh=math.tanh,
    sigmoid=_scalar_sigmoid,
    relu=lambda x: 0.0 if x < 0.0 else x,  # NaN stays NaN and -0.0 stays -0.0, as in PyTorch
    step=lambda x: 0.0 if x <= 0.0 else 1.0,  # 1 at NaN: PyTorch passes the gradient through a NaN
    plain=lambda x: x,
    zero_where=lambda mask, compute: 0.0 if mask else compute(),
)

ARRAY = SimpleNamespace(
    name="array",
    exp=np.exp,
    log=np.log,
    div=np.divide,
    pow=np.power,
    sin=np.sin,
    cos=np.cos,
    tanh=np.tanh,
    sigmoid=_array_sigmoid,
    relu=lambda x: np.where(x < 0.0, 0.0, x),
    step=lambda x: np.logical_not(x <= 0).astype(x.dtype if isinstance(x, np.ndarray) else float),
    plain=lambda x: x,
    zero_where=lambda mask, compute: np.where(mask, 0.0, compute()),
)


def _plain(x: Any) -> Any:
    """The untraced numbers inside ``x``: a float for Value/Dual, an array for a Tensor."""
    if isinstance(x, Traced):
        return x.data if hasattr(x, "shape") else primal(x)
    return x


def _traced(name: str) -> Callable[[Any], Any]:
    scalar, array = getattr(SCALAR, name), getattr(ARRAY, name)

    def apply(x: Any) -> Any:
        if isinstance(x, Traced):
            return getattr(x, name)()
        return array(x) if isinstance(x, np.ndarray) else scalar(x)

    return apply


def _traced_step(x: Any) -> Any:
    """relu's derivative is a constant (0 or 1) even on traced numbers: its own derivative is 0."""
    plain = _plain(x)
    return ARRAY.step(plain) if isinstance(plain, np.ndarray) else SCALAR.step(plain)


def _traced_zero_where(mask: Any, compute: Callable[[], Any]) -> Any:
    """0 where ``mask``, keeping the derivative of ``compute()`` there when its value is finite: the
    masked partial still has a derivative of its own (d/dy of y * x**(y-1) is 1/x at y = 0)."""
    if not np.any(mask):
        return compute()
    partial = compute()
    value = _plain(partial)
    if isinstance(mask, np.ndarray):  # subtracting the value leaves 0 with the derivative kept
        return partial - np.where(mask & np.isfinite(value), value, 0.0)
    return partial - value if math.isfinite(value) else 0.0


TRACED = SimpleNamespace(
    name="traced",
    exp=_traced("exp"),
    log=_traced("log"),
    div=lambda x, y: x / y,
    pow=lambda x, y: x ** y,
    sin=_traced("sin"),
    cos=_traced("cos"),
    tanh=_traced("tanh"),
    sigmoid=_traced("sigmoid"),
    relu=_traced("relu"),
    step=_traced_step,
    plain=_plain,
    zero_where=_traced_zero_where,
)
"""The backend for operands that are traced numbers (a Value holding a Dual, a Dual holding a Value,
Tensors in a ``create_graph`` backward): each function calls the operand's own method, so the rule's
arithmetic is itself recorded or differentiated."""


def backend_for(*operands: Any) -> SimpleNamespace:
    """SCALAR when every operand is a plain float, else TRACED (nested derivatives)."""
    for x in operands:
        if type(x) is not float:
            return TRACED
    return SCALAR


# --------------------------------------------------------------------------------------------------
# Binary primitives.   rule(x, y, m) -> (out, (d out/dx, d out/dy))
# --------------------------------------------------------------------------------------------------

def add(x: Any, y: Any, m: Any = SCALAR) -> tuple[Any, tuple[Any, Any]]:
    """out = x + y;   dout/dx = 1,   dout/dy = 1."""
    return x + y, (1.0, 1.0)


def sub(x: Any, y: Any, m: Any = SCALAR) -> tuple[Any, tuple[Any, Any]]:
    """out = x - y;   dout/dx = 1,   dout/dy = -1."""
    return x - y, (1.0, -1.0)


def mul(x: Any, y: Any, m: Any = SCALAR) -> tuple[Any, tuple[Any, Any]]:
    """out = x * y;   dout/dx = y,   dout/dy = x."""
    return x * y, (y, x)


def div(x: Any, y: Any, m: Any = SCALAR) -> tuple[Any, tuple[Any, Any]]:
    """out = x / y;   dout/dx = 1/y,   dout/dy = -x/y**2 = -(out/y) (no y**2 to overflow or underflow)."""
    out = m.div(x, y)
    return out, (m.div(1.0, y), -m.div(out, y))


def pow(x: Any, y: Any, m: Any = SCALAR) -> tuple[Any, tuple[Any, Any]]:  # noqa: A001 (mirrors operator)
    """out = x ** y;   dout/dx = y * x**(y-1),   dout/dy = out * log(x).

    As in PyTorch, dout/dx = 0 wherever y = 0 (x**0 = 1 for every x, even where x**(y-1) is inf or
    nan), and dout/dy = 0 where x = 0 and y >= 0 (0 * log 0); elsewhere the formulas give IEEE results.
    """
    out = m.pow(x, y)
    plain_y = m.plain(y)
    d_base = m.zero_where(plain_y == 0, lambda: y * m.pow(x, y - 1.0))
    d_exponent = m.zero_where((m.plain(x) == 0) & (plain_y >= 0), lambda: out * m.log(x))
    return out, (d_base, d_exponent)


# --------------------------------------------------------------------------------------------------
# Unary primitives.   rule(x, m) -> (out, (d out/dx,))
# --------------------------------------------------------------------------------------------------

def neg(x: Any, m: Any = SCALAR) -> tuple[Any, tuple[Any]]:
    """out = -x;   dout/dx = -1."""
    return -x, (-1.0,)


def exp(x: Any, m: Any = SCALAR) -> tuple[Any, tuple[Any]]:
    """out = e**x;   dout/dx = e**x = out."""
    out = m.exp(x)
    return out, (out,)


def log(x: Any, m: Any = SCALAR) -> tuple[Any, tuple[Any]]:
    """out = ln x;   dout/dx = 1/x."""
    return m.log(x), (m.div(1.0, x),)


def sin(x: Any, m: Any = SCALAR) -> tuple[Any, tuple[Any]]:
    """out = sin x;   dout/dx = cos x."""
    return m.sin(x), (m.cos(x),)


def cos(x: Any, m: Any = SCALAR) -> tuple[Any, tuple[Any]]:
    """out = cos x;   dout/dx = -sin x."""
    return m.cos(x), (-m.sin(x),)


def tanh(x: Any, m: Any = SCALAR) -> tuple[Any, tuple[Any]]:
    """out = tanh x;   dout/dx = 1 - tanh(x)**2 = 1 - out**2."""
    out = m.tanh(x)
    return out, (1.0 - out * out,)


def sigmoid(x: Any, m: Any = SCALAR) -> tuple[Any, tuple[Any]]:
    """out = 1 / (1 + e**-x);   dout/dx = out * (1 - out)."""
    out = m.sigmoid(x)
    return out, (out * (1.0 - out),)


def relu(x: Any, m: Any = SCALAR) -> tuple[Any, tuple[Any]]:
    """out = max(0, x);   dout/dx = 1 if x > 0 else 0 (we pick 0 at the kink x = 0; 1 at NaN, as PyTorch)."""
    return m.relu(x), (m.step(x),)


def identity(x: Any, m: Any = SCALAR) -> tuple[Any, tuple[Any]]:
    """out = x;   dout/dx = 1 (how a transform marks its own copy of a traced input)."""
    return x, (1.0,)


# --------------------------------------------------------------------------------------------------
# n-ary primitives: rule(*operands, m) -> (out, one partial per operand); the backend comes last.
# --------------------------------------------------------------------------------------------------

def dot(*operands_and_backend: Any) -> tuple[Any, tuple[Any, ...]]:
    """out = w0 x0 + w1 x1 + ... (+ bias) for operands (w0, x0, w1, x1, ..., [bias], m);
    dout/dw_i = x_i,   dout/dx_i = w_i,   dout/dbias = 1.
    """
    *operands, _m = operands_and_backend
    pairs = len(operands) // 2
    total = 0.0
    partials: list = []
    for i in range(pairs):
        w, x = operands[2 * i], operands[2 * i + 1]
        total = total + w * x
        partials += (x, w)
    if len(operands) % 2:
        total = total + operands[-1]
        partials.append(1.0)
    return total, tuple(partials)


def total(*operands_and_backend: Any) -> tuple[Any, tuple[Any, ...]]:
    """out = x0 + x1 + ...;   dout/dx_i = 1."""
    *operands, _m = operands_and_backend
    out = 0.0
    for x in operands:
        out = out + x
    return out, (1.0,) * len(operands)


UNARY_RULES: dict[str, Callable[..., tuple[Any, tuple[Any]]]] = {
    "neg": neg, "exp": exp, "log": log, "sin": sin, "cos": cos,
    "tanh": tanh, "sigmoid": sigmoid, "relu": relu,
}
"""The elementwise functions every engine offers, by name."""

BINARY_RULES: dict[str, Callable[..., tuple[Any, tuple[Any, Any]]]] = {
    "+": add, "-": sub, "*": mul, "/": div, "**": pow,
}
