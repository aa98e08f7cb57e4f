"""A tiny symbolic differentiator, to measure expression swell next to automatic differentiation.

Expressions are trees built with ordinary Python operators::

    x = Var('x')
    f = sin(x) * x
    df = diff(f, x)          # cos(x) * 1 * x + sin(x) * 1
    evaluate(df, x=2.0)

``diff`` applies the textbook rules (sum, product, quotient, power and chain rule) without any
cleverness, so the derivative of an expression that reuses a subexpression contains that
subexpression many times over. ``size`` counts the nodes of the *tree* (a shared subtree counts every
time it appears), which makes this *expression swell* measurable; ``dag_size`` counts distinct node
objects, the work left when shared subexpressions are computed once, as automatic differentiation does.

Nodes are immutable and compare by identity. ``diff``, ``evaluate``, ``simplify``, ``size`` and
``str`` visit each distinct node once, in the package's one topological order, and remember its
result: a tree of millions of nodes made of a few hundred objects takes no time, and no depth hits
Python's recursion limit.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

import numpy as np

from . import functions
from .checks import as_float, as_numbers, function, real_number, sequence, whole_number
from .dual import Dual
from .engine import Value
from .traversal import topological_order

__all__ = [
    "Expr", "Var", "Const", "sin", "cos", "exp", "log", "tanh",
    "diff", "size", "dag_size", "evaluate", "simplify", "logistic_map", "SwellRow", "swell_table",
]

INFIX = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3, "**": 4}  # for str(); atoms and calls: 100


class Expr:
    """One node: the operation ``op`` applied to the nodes ``children``.

    ``op`` is ``"const"`` (``value`` holds the number), ``"var"`` (``value`` holds the name), one of
    ``+ - * /``, ``"neg"``, ``"**"`` (``value`` holds the constant exponent) or a function name
    (``sin``, ``cos``, ``exp``, ``log``, ``tanh``). Nodes cannot be changed, and ``a == b`` only
    when a and b are the same object, so a node is a cheap dictionary key.
    """

    __slots__ = ("op", "children", "value")

    def __init__(self, op: str, children: tuple = (), value: Any = None) -> None:
        object.__setattr__(self, "op", op)
        object.__setattr__(self, "children", tuple(_as_expr(child) for child in children))
        object.__setattr__(self, "value", value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("symbolic expressions are immutable")

    # building expressions with Python's operators
    def __add__(self, other: Any) -> Expr: return Expr("+", (self, other))
    def __radd__(self, other: Any) -> Expr: return Expr("+", (other, self))
    def __sub__(self, other: Any) -> Expr: return Expr("-", (self, other))
    def __rsub__(self, other: Any) -> Expr: return Expr("-", (other, self))
    def __mul__(self, other: Any) -> Expr: return Expr("*", (self, other))
    def __rmul__(self, other: Any) -> Expr: return Expr("*", (other, self))
    def __truediv__(self, other: Any) -> Expr: return Expr("/", (self, other))
    def __rtruediv__(self, other: Any) -> Expr: return Expr("/", (other, self))
    def __neg__(self) -> Expr: return Expr("neg", (self,))

    def __pow__(self, exponent: Any) -> Expr:
        if isinstance(exponent, Expr):
            if exponent.op != "const":
                raise TypeError(f"only constant (real number) exponents are supported, got {exponent}; "
                                "write a ** y as exp(y * log(a))")
            exponent = exponent.value
        return Expr("**", (self,), real_number("the exponent", exponent))

    def __rpow__(self, base: Any) -> Expr:
        raise TypeError("only constant exponents are supported; write a ** y as exp(y * log(a))")

    @property
    def precedence(self) -> int:
        """How tightly the node binds in str(): a child that binds less tightly gets brackets."""
        if self.op == "const" and self.value < 0:
            return 3  # -2 binds like a negation: (-2)**2
        return PRECEDENCE.get(self.op, 100)

    def __str__(self) -> str:
        return _each_node(self, "str", _text)

    def __repr__(self) -> str:
        return f"<Expr {self.op}: {self}>"


class Var(Expr):
    """A named variable; ``evaluate(expr, name=...)`` gives it a value."""

    __slots__ = ()

    def __init__(self, name: str) -> None:
        if not isinstance(name, str):
            raise TypeError(f"a variable name must be a string, got {type(name).__name__} {name!r}")
        if not name.isidentifier():
            raise ValueError(f"a variable name must be a Python identifier (so it can be passed to "
                             f"evaluate as a keyword), got {name!r}")
        super().__init__("var", (), name)

    @property
    def name(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"Var({self.value!r})"


class Const(Expr):
    """A finite real constant."""

    __slots__ = ()

    def __init__(self, value: Any, what: str = "Const(value)") -> None:
        super().__init__("const", (), real_number(what, value))

    def __repr__(self) -> str:
        return f"Const({self})"


def _as_expr(value: Any) -> Expr:
    return value if isinstance(value, Expr) else Const(value, "an operand that is not an Expr")


def sin(u: Any) -> Expr:
    """Symbolic sin(u)."""
    return Expr("sin", (u,))


def cos(u: Any) -> Expr:
    """Symbolic cos(u)."""
    return Expr("cos", (u,))


def exp(u: Any) -> Expr:
    """Symbolic exp(u)."""
    return Expr("exp", (u,))


def log(u: Any) -> Expr:
    """Symbolic natural log(u)."""
    return Expr("log", (u,))


def tanh(u: Any) -> Expr:
    """Symbolic tanh(u)."""
    return Expr("tanh", (u,))


OUTER_DERIVATIVES: dict[str, Callable[[Expr], Expr]] = {  # f'(u) for the chain rule
    "sin": lambda u: cos(u),
    "cos": lambda u: -sin(u),
    "exp": lambda u: exp(u),
    "log": lambda u: 1.0 / u,
    "tanh": lambda u: 1.0 - tanh(u) ** 2,
}


# --------------------------------------------------------------------------------------------
# one rule per operation: its value, its derivative, its text
# --------------------------------------------------------------------------------------------

def _value(node: Expr, values: tuple, env: dict[str, Any]) -> Any:
    """The node's value from its children's values and the variables' values ``env``."""
    op = node.op
    if op == "const":
        return np.float64(node.value)  # numpy numbers follow IEEE: 1/0 is inf, not ZeroDivisionError
    if op == "var":
        if node.value not in env:
            raise ValueError(f"evaluate: no value given for variable {node.value!r}")
        return env[node.value]
    if op in INFIX:
        return INFIX[op](*values)
    if op == "neg":
        return -values[0]
    if op == "**":
        return values[0] ** node.value
    return getattr(functions, op)(values[0])  # numbers, arrays, Values and Duals alike


def _derivative(node: Expr, d: tuple[Expr, ...], var: Var) -> Expr:
    """d node / d var from the node's operands u, v and their derivatives du, dv = d."""
    op, args = node.op, node.children
    if op == "const":
        return Const(0.0)
    if op == "var":
        return Const(1.0 if node.value == var.value else 0.0)
    if op == "+":
        return d[0] + d[1]
    if op == "-":
        return d[0] - d[1]
    if op == "*":
        return d[0] * args[1] + args[0] * d[1]  # product rule: du v + u dv
    if op == "/":
        return (d[0] * args[1] - args[0] * d[1]) / args[1] ** 2  # quotient rule: (du v - u dv) / v²
    if op == "neg":
        return -d[0]
    if op == "**":
        return Const(node.value) * args[0] ** (node.value - 1) * d[0]  # power rule: n u^(n-1) du
    return OUTER_DERIVATIVES[op](args[0]) * d[0]  # chain rule: f'(u) du


def _text(node: Expr, texts: tuple[str, ...]) -> str:
    """The node as infix text, with only the brackets precedence needs."""
    op, args, binding = node.op, node.children, node.precedence
    if op == "const":
        return format(node.value, ".12g")
    if op == "var":
        return node.value
    if op not in PRECEDENCE:
        return f"{op}({texts[0]})"
    if op == "neg":
        return f"-({texts[0]})" if args[0].precedence <= binding else f"-{texts[0]}"
    if op == "**":
        base = f"({texts[0]})" if args[0].precedence <= binding else texts[0]
        exponent = format(node.value, ".12g")
        return f"{base}**{exponent}" if node.value >= 0 else f"{base}**({exponent})"
    left, right = texts
    if args[0].precedence < binding:
        left = f"({left})"
    right_binding = args[1].precedence
    if right_binding < binding or (right_binding == binding and op in ("-", "/")):  # a - (b - c)
        right = f"({right})"
    return f"{left} {op} {right}"


# --------------------------------------------------------------------------------------------
# operations on whole expressions
# --------------------------------------------------------------------------------------------

def _nodes(expr: Any, what: str) -> list[Expr]:
    """The distinct nodes of ``expr``, children before parents, or a TypeError naming ``what``."""
    if not isinstance(expr, Expr):
        raise TypeError(f"{what}: expected a symbolic Expr, got {expr!r}")
    return topological_order(expr)


def _each_node(expr: Any, what: str, rule: Callable[[Expr, tuple], Any]) -> Any:
    """rule(node, its children's results) for each distinct node, children first: the root's result."""
    results: dict[Expr, Any] = {}
    for node in _nodes(expr, what):
        results[node] = rule(node, tuple(results[child] for child in node.children))
    return results[expr]


def diff(expr: Expr, var: Var) -> Expr:
    """The derivative d expr / d var, by the textbook rules applied mechanically (no simplifying).

    Each node's rule refers to its operands *and* their derivatives, so an operand that is used
    twice (like l in 4 l (1 - l)) reappears in the result many times: that is expression swell.
    """
    if not isinstance(var, Var):
        raise TypeError(f"diff: differentiate with respect to a Var, got {var!r}")
    return _each_node(expr, "diff", lambda node, d: _derivative(node, d, var))


def size(expr: Expr) -> int:
    """Number of nodes in the expression *tree*: a shared subexpression counts every time."""
    return _each_node(expr, "size", lambda node, sizes: 1 + sum(sizes))


def dag_size(expr: Expr) -> int:
    """Number of distinct node objects: the cost when shared subexpressions are computed once."""
    return len(_nodes(expr, "dag_size"))


def _bind(name: str, value: Any) -> Any:
    """A variable's value: a Value or Dual as it is, numbers and arrays as numpy floats."""
    if isinstance(value, (Value, Dual)):
        return value
    if isinstance(value, (np.ndarray, list, tuple)):
        return as_numbers(value, f"evaluate: variable {name!r}")
    return np.float64(as_float(value, f"evaluate: variable {name!r}"))


def evaluate(expr: Expr, **env: Any) -> Any:
    """Value of expr with variables bound by keyword, e.g. evaluate(f, x=2.0).

    Numbers and arrays follow IEEE rules (log(0) = -inf, 1/0 = inf, no exceptions or warnings); a
    Value or Dual goes through its own operators, so evaluate(f, x=Dual(2.0, 1.0)) runs forward-mode
    AD through the expression and evaluate(f, x=Value(2.0)) records a graph for backward().
    """
    bound = {name: _bind(name, value) for name, value in env.items()}
    with np.errstate(all="ignore"):
        result = _each_node(expr, "evaluate", lambda node, values: _value(node, values, bound))
    if isinstance(result, (np.floating, np.ndarray)) and np.ndim(result) == 0:
        return float(result)  # a plain number comes back as a Python float
    return result


def _simplified(node: Expr) -> Expr:
    """Folds constants (when the result is finite) and applies x+0, x-0, 0-x, x*1, x*0, x/1, 0/x,
    x**1, x**0 and -(-x) = x to one node whose children are already simplified."""
    op, args = node.op, node.children
    if args and all(a.op == "const" for a in args):
        value = float(_value(node, tuple(np.float64(a.value) for a in args), {}))
        if math.isfinite(value):
            return Const(value)

    def is_number(i: int, number: float) -> bool:
        return args[i].op == "const" and args[i].value == number

    if op == "+" and is_number(0, 0.0):
        return args[1]
    if op in ("+", "-") and is_number(1, 0.0):
        return args[0]
    if op == "-" and is_number(0, 0.0):
        return _simplified(-args[1])
    if op == "*" and (is_number(0, 0.0) or is_number(1, 0.0)):
        return Const(0.0)
    if op == "*" and is_number(0, 1.0):
        return args[1]
    if op in ("*", "/") and is_number(1, 1.0):
        return args[0]
    if op == "/" and is_number(0, 0.0):
        return Const(0.0)
    if op == "**" and node.value in (0.0, 1.0):
        return args[0] if node.value == 1.0 else Const(1.0)
    if op == "neg" and args[0].op == "neg":
        return args[0].children[0]
    return node


def simplify(expr: Expr) -> Expr:
    """A light, bottom-up clean-up: constant folding plus x+0, x*1, x*0, x/1, x**1 and friends.

    It removes the zeros and ones that the naive rules produce, but it does not collect like terms
    or share common subexpressions, so the exponential growth of the derivative survives. Rules like
    0 * x -> 0 and 0 / x -> 0 assume x is finite.
    """
    def rebuilt(node: Expr, children: tuple[Expr, ...]) -> Expr:
        if any(new is not old for new, old in zip(children, node.children, strict=True)):
            node = Expr(node.op, children, node.value)
        return _simplified(node)

    with np.errstate(all="ignore"):  # folding may meet 1/0 or log(0); those stay unfolded
        return _each_node(expr, "simplify", rebuilt)


# --------------------------------------------------------------------------------------------
# the expression-swell example
# --------------------------------------------------------------------------------------------

def logistic_map(depth: int, x: Var | None = None) -> Expr:
    """l_depth for the logistic map l_0 = x, l_{k+1} = 4 l_k (1 - l_k).

    As code this is `depth` small steps, each reusing the previous l twice; as a tree every use is a
    full copy, so size(l_k) = 6 * 2**k - 5.
    """
    level: Expr = Var("x") if x is None else x
    for _ in range(whole_number("depth", depth, 0)):
        level = 4 * level * (1 - level)
    return level


class SwellRow(NamedTuple):
    """Sizes for one depth of the swell example."""
    depth: int
    f_size: int             # nodes in the tree of f
    f_ops: int              # distinct nodes of f: what forward evaluation or AD touches (linear)
    df_size: int            # nodes in the tree of the naive symbolic derivative
    df_simplified_size: int  # the same after simplify()


def swell_table(depths: Iterable[int], build: Callable[[int], Expr] = logistic_map,
                var: Var | None = None) -> list[SwellRow]:
    """For each depth k: sizes of f = build(k) and of its symbolic derivative with respect to var.

    With the default logistic map, df_size and df_simplified_size roughly double with every step
    (and grow faster than f_size), while f_ops, the cost AD pays per evaluation, grows by a constant.
    """
    var = Var("x") if var is None else var
    function("swell_table(build)", build)
    rows = []
    for depth in sequence("swell_table(depths)", depths):
        f = build(depth)
        if not isinstance(f, Expr):
            raise TypeError(f"swell_table(build): build({depth!r}) must return a symbolic Expr, got "
                            f"{type(f).__name__} {f!r}")
        df = diff(f, var)
        rows.append(SwellRow(int(depth), size(f), dag_size(f), size(df), size(simplify(df))))
    return rows
