"""A tiny symbolic differentiator, for comparing with numerical and automatic differentiation.

Expressions are immutable trees built with ordinary Python operators::

    x = Var('x')
    f = sin(x) * x
    df = diff(f, x)          # cos(x) * 1 * x + sin(x) * 1
    evaluate(df, x=2.0)

``diff`` applies the textbook rules (sum, product, quotient, power and chain rule) without any
cleverness, so the derivative of an expression that reuses a subexpression contains that
subexpression many times over. ``size`` counts the nodes of the *tree* (a shared subtree is counted
every time it appears), which makes this *expression swell* measurable; ``dag_size`` counts distinct
node objects, i.e. the work left when shared subexpressions are computed once, as automatic
differentiation does.

Every traversal is iterative and memoised by node identity, so expressions whose trees have millions
of nodes (but only a few hundred distinct objects) can still be measured, differentiated and
evaluated.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

import numpy as np

__all__ = [
    "Expr", "Const", "Var", "Add", "Sub", "Mul", "Div", "Neg", "Pow",
    "UnaryFunction", "Sin", "Cos", "Exp", "Log", "Tanh",
    "sin", "cos", "exp", "log", "tanh",
    "diff", "size", "dag_size", "evaluate", "simplify",
    "logistic_map", "SwellRow", "swell_table",
]


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------

def _is_real_number(value: Any) -> bool:
    if type(value) is float or type(value) is int:  # fast path for the common case
        return True
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _as_expr(value: Any) -> Expr:
    """Wrap plain numbers in Const; reject anything that is neither an Expr nor a real number."""
    if isinstance(value, Expr):
        return value
    if _is_real_number(value):
        return Const(value)
    raise TypeError(f"cannot use {value!r} (type {type(value).__name__}) in a symbolic expression; "
                    "expected an Expr or a real number")


def _postorder(root: Expr) -> list[Expr]:
    """Distinct nodes reachable from root (by identity), every child before its parents."""
    order: list[Expr] = []
    visited: set[int] = set()
    stack: list[tuple[Expr, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        for child in reversed(node.children):
            if id(child) not in visited:
                stack.append((child, False))
    return order


def _is_plain(value: Any) -> bool:
    return _is_real_number(value) or isinstance(value, np.ndarray)


def _ieee(compute: Callable[[], Any]) -> Any:
    """Run a numpy computation (callers silence numpy's warnings with np.errstate, so 1/0 is inf and
    log(0) is -inf); a scalar result comes back as a Python float."""
    result = compute()
    return float(result) if np.ndim(result) == 0 else result


# --------------------------------------------------------------------------------------------
# expression nodes
# --------------------------------------------------------------------------------------------

class Expr:
    """Base class of all expression nodes. Nodes are immutable and compare structurally."""

    __slots__ = ("_hash",)
    precedence = 100  # binding strength used by str(); atoms bind tightest

    # --- immutability and structural equality ------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} expressions are immutable")

    def _freeze(self, **fields: Any) -> None:
        for name, value in fields.items():
            object.__setattr__(self, name, value)
        child_hashes = tuple(hash(child) for child in self.children)
        object.__setattr__(self, "_hash", hash((type(self).__name__, self._key(), child_hashes)))

    def _key(self) -> tuple:
        """Non-child data that distinguishes two nodes of the same type."""
        return ()

    @property
    def children(self) -> tuple[Expr, ...]:
        return ()

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Expr):
            return NotImplemented
        equal_pairs: set[tuple[int, int]] = set()
        stack = [(self, other)]
        while stack:
            a, b = stack.pop()
            if a is b or (id(a), id(b)) in equal_pairs:
                continue
            if type(a) is not type(b) or a._hash != b._hash or a._key() != b._key():
                return False
            equal_pairs.add((id(a), id(b)))
            stack.extend(zip(a.children, b.children, strict=True))
        return True

    # --- building expressions with operators --------------------------------------------
    def __add__(self, other: Any) -> Expr:
        return Add(self, _as_expr(other))

    def __radd__(self, other: Any) -> Expr:
        return Add(_as_expr(other), self)

    def __sub__(self, other: Any) -> Expr:
        return Sub(self, _as_expr(other))

    def __rsub__(self, other: Any) -> Expr:
        return Sub(_as_expr(other), self)

    def __mul__(self, other: Any) -> Expr:
        return Mul(self, _as_expr(other))

    def __rmul__(self, other: Any) -> Expr:
        return Mul(_as_expr(other), self)

    def __truediv__(self, other: Any) -> Expr:
        return Div(self, _as_expr(other))

    def __rtruediv__(self, other: Any) -> Expr:
        return Div(_as_expr(other), self)

    def __neg__(self) -> Expr:
        return Neg(self)

    def __pow__(self, exponent: Any) -> Expr:
        return Pow(self, exponent)

    def __rpow__(self, base: Any) -> Expr:
        raise TypeError("only constant exponents are supported; write a ** y as exp(y * log(a))")

    # --- per-node rules, used by the generic traversals below ----------------------------
    def _rebuild(self, children: tuple[Expr, ...]) -> Expr:
        """A node of the same kind with new children."""
        return self

    def _evaluate(self, child_values: tuple[Any, ...], env: dict[str, Any]) -> Any:
        raise NotImplementedError

    def _derivative(self, child_derivatives: tuple[Expr, ...], var: Var) -> Expr:
        raise NotImplementedError

    def _format(self, child_texts: tuple[str, ...]) -> str:
        raise NotImplementedError

    # --- display -------------------------------------------------------------------------
    def __str__(self) -> str:
        texts: dict[int, str] = {}
        for node in _postorder(self):
            texts[id(node)] = node._format(tuple(texts[id(c)] for c in node.children))
        return texts[id(self)]

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self}>"


class Const(Expr):
    """A numeric constant."""

    __slots__ = ("value",)

    def __init__(self, value: float) -> None:
        if not _is_real_number(value):
            raise TypeError(f"Const needs a real number, got {value!r}")
        self._freeze(value=float(value))

    @property
    def precedence(self) -> int:  # type: ignore[override]
        return 3 if self.value < 0 else 100  # -2 binds like a negation: (-2)**2

    def _key(self) -> tuple:
        return (self.value,)

    def _evaluate(self, child_values, env):
        return self.value

    def _derivative(self, child_derivatives, var):
        return Const(0.0)

    def _format(self, child_texts):
        return format(self.value, ".12g")

    def __repr__(self) -> str:
        return f'Const({format(self.value, ".12g")})'


class Var(Expr):
    """A named variable; evaluate() looks its value up by name."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"a variable name must be a Python identifier (so it can be passed to "
                             f"evaluate as a keyword), got {name!r}")
        self._freeze(name=name)

    def _key(self) -> tuple:
        return (self.name,)

    def _evaluate(self, child_values, env):
        if self.name not in env:
            raise ValueError(f"evaluate: no value given for variable {self.name!r}")
        return env[self.name]

    def _derivative(self, child_derivatives, var):
        return Const(1.0 if self.name == var.name else 0.0)

    def _format(self, child_texts):
        return self.name

    def __repr__(self) -> str:
        return f"Var({self.name!r})"


class BinaryOp(Expr):
    """A node with a left and a right operand."""

    __slots__ = ("left", "right")
    symbol = "?"
    # parenthesise a right operand of equal precedence for non-associative ops: a - (b - c)
    right_needs_parens_at_equal_precedence = False

    def __init__(self, left: Any, right: Any) -> None:
        self._freeze(left=_as_expr(left), right=_as_expr(right))

    @property
    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)

    def _rebuild(self, children):
        return type(self)(*children)

    def _format(self, child_texts):
        left_text, right_text = child_texts
        if self.left.precedence < self.precedence:
            left_text = f"({left_text})"
        right_prec = self.right.precedence
        if right_prec < self.precedence or (
                right_prec == self.precedence and self.right_needs_parens_at_equal_precedence):
            right_text = f"({right_text})"
        return f"{left_text} {self.symbol} {right_text}"


def _arith(a: Any, b: Any, op: Callable[[Any, Any], Any]) -> Any:
    if _is_real_number(a) and _is_real_number(b):
        try:
            return float(op(float(a), float(b)))  # Python floats give inf/nan for + - * ...
        except ZeroDivisionError:  # ... but raise for x / 0: numpy gives +-inf or nan instead
            return _ieee(lambda: op(np.float64(a), b))
    if _is_plain(a) and _is_plain(b):
        return _ieee(lambda: op(np.asarray(a, dtype=float), b))
    return op(a, b)


class Add(BinaryOp):
    """u + v;  d(u + v) = du + dv"""

    __slots__ = ()
    symbol, precedence = "+", 1

    def _evaluate(self, child_values, env):
        return _arith(*child_values, lambda a, b: a + b)

    def _derivative(self, child_derivatives, var):
        du, dv = child_derivatives
        return Add(du, dv)


class Sub(BinaryOp):
    """u - v;  d(u - v) = du - dv"""

    __slots__ = ()
    symbol, precedence = "-", 1
    right_needs_parens_at_equal_precedence = True

    def _evaluate(self, child_values, env):
        return _arith(*child_values, lambda a, b: a - b)

    def _derivative(self, child_derivatives, var):
        du, dv = child_derivatives
        return Sub(du, dv)


class Mul(BinaryOp):
    """u * v;  product rule d(u v) = du v + u dv"""

    __slots__ = ()
    symbol, precedence = "*", 2

    def _evaluate(self, child_values, env):
        return _arith(*child_values, lambda a, b: a * b)

    def _derivative(self, child_derivatives, var):
        du, dv = child_derivatives
        return Add(Mul(du, self.right), Mul(self.left, dv))


class Div(BinaryOp):
    """u / v;  quotient rule d(u / v) = (du v - u dv) / v**2"""

    __slots__ = ()
    symbol, precedence = "/", 2
    right_needs_parens_at_equal_precedence = True

    def _evaluate(self, child_values, env):
        return _arith(*child_values, lambda a, b: a / b)

    def _derivative(self, child_derivatives, var):
        du, dv = child_derivatives
        return Div(Sub(Mul(du, self.right), Mul(self.left, dv)), Pow(self.right, 2))


class Neg(Expr):
    """-u;  d(-u) = -du"""

    __slots__ = ("operand",)
    precedence = 3

    def __init__(self, operand: Any) -> None:
        self._freeze(operand=_as_expr(operand))

    @property
    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)

    def _rebuild(self, children):
        return Neg(*children)

    def _evaluate(self, child_values, env):
        (a,) = child_values
        return -float(a) if _is_real_number(a) else -a

    def _derivative(self, child_derivatives, var):
        return Neg(child_derivatives[0])

    def _format(self, child_texts):
        (text,) = child_texts
        return f"-({text})" if self.operand.precedence <= self.precedence else f"-{text}"


class Pow(Expr):
    """u ** n for a constant exponent n;  power rule d(u**n) = n u**(n-1) du"""

    __slots__ = ("base", "exponent")
    precedence = 4

    def __init__(self, base: Any, exponent: Any) -> None:
        if isinstance(exponent, Const):
            exponent = exponent.value
        if not _is_real_number(exponent):
            raise TypeError("only constant (real number) exponents are supported, "
                            f"got {exponent!r}; "
                            "write a ** y as exp(y * log(a))")
        self._freeze(base=_as_expr(base), exponent=float(exponent))

    @property
    def children(self) -> tuple[Expr, ...]:
        return (self.base,)

    def _key(self) -> tuple:
        return (self.exponent,)

    def _rebuild(self, children):
        return Pow(children[0], self.exponent)

    def _evaluate(self, child_values, env):
        (a,) = child_values
        if _is_plain(a):
            return _ieee(lambda: np.power(np.float64(a) if np.ndim(a) == 0 else a, self.exponent))
        return a ** self.exponent

    def _derivative(self, child_derivatives, var):
        outer = Mul(Const(self.exponent), Pow(self.base, self.exponent - 1))
        return Mul(outer, child_derivatives[0])

    def _format(self, child_texts):
        (text,) = child_texts
        if self.base.precedence <= self.precedence:
            text = f"({text})"
        exponent = format(self.exponent, ".12g")
        return f"{text}**{exponent}" if self.exponent >= 0 else f"{text}**({exponent})"


class UnaryFunction(Expr):
    """f(u) for an elementary function f;  chain rule d f(u) = f'(u) du"""

    __slots__ = ("argument",)
    name = "?"
    numpy_function: Callable[[Any], Any] = staticmethod(lambda a: a)

    def __init__(self, argument: Any) -> None:
        self._freeze(argument=_as_expr(argument))

    @property
    def children(self) -> tuple[Expr, ...]:
        return (self.argument,)

    def _rebuild(self, children):
        return type(self)(*children)

    def _evaluate(self, child_values, env):
        (a,) = child_values
        if _is_plain(a):
            return _ieee(lambda: type(self).numpy_function(a))
        method = getattr(a, self.name, None)
        if method is None:
            raise TypeError(f"cannot apply {self.name} to {a!r}: it is not a number, an ndarray, "
                            f"or an object with a .{self.name}() method")
        return method()

    def outer_derivative(self) -> Expr:
        """f'(u) as an expression in the argument u."""
        raise NotImplementedError

    def _derivative(self, child_derivatives, var):
        return Mul(self.outer_derivative(), child_derivatives[0])

    def _format(self, child_texts):
        return f"{self.name}({child_texts[0]})"


class Sin(UnaryFunction):
    __slots__ = ()
    name, numpy_function = "sin", staticmethod(np.sin)

    def outer_derivative(self):
        return Cos(self.argument)


class Cos(UnaryFunction):
    __slots__ = ()
    name, numpy_function = "cos", staticmethod(np.cos)

    def outer_derivative(self):
        return Neg(Sin(self.argument))


class Exp(UnaryFunction):
    __slots__ = ()
    name, numpy_function = "exp", staticmethod(np.exp)

    def outer_derivative(self):
        return Exp(self.argument)


class Log(UnaryFunction):
    __slots__ = ()
    name, numpy_function = "log", staticmethod(np.log)

    def outer_derivative(self):
        return Div(Const(1.0), self.argument)


class Tanh(UnaryFunction):
    __slots__ = ()
    name, numpy_function = "tanh", staticmethod(np.tanh)

    def outer_derivative(self):
        return Sub(Const(1.0), Pow(Tanh(self.argument), 2))


def sin(u: Any) -> Expr:
    """Symbolic sin(u)."""
    return Sin(u)


def cos(u: Any) -> Expr:
    """Symbolic cos(u)."""
    return Cos(u)


def exp(u: Any) -> Expr:
    """Symbolic exp(u)."""
    return Exp(u)


def log(u: Any) -> Expr:
    """Symbolic natural log(u)."""
    return Log(u)


def tanh(u: Any) -> Expr:
    """Symbolic tanh(u)."""
    return Tanh(u)


# --------------------------------------------------------------------------------------------
# operations on whole expressions
# --------------------------------------------------------------------------------------------

def _check_expr(expr: Any, where: str) -> Expr:
    if not isinstance(expr, Expr):
        raise TypeError(f"{where}: expected a symbolic Expr, got {expr!r}")
    return expr


def diff(expr: Expr, var: Var) -> Expr:
    """The derivative d expr / d var, by the textbook rules applied mechanically (no simplifying).

    Each node's rule refers to its operands *and* their derivatives, so an operand that is used
    twice (like l in 4 l (1 - l)) reappears in the result many times: that is expression swell.
    """
    _check_expr(expr, "diff")
    if not isinstance(var, Var):
        raise TypeError(f"diff: differentiate with respect to a Var, got {var!r}")
    derivatives: dict[int, Expr] = {}
    for node in _postorder(expr):
        child_derivatives = tuple(derivatives[id(c)] for c in node.children)
        derivatives[id(node)] = node._derivative(child_derivatives, var)
    return derivatives[id(expr)]


def size(expr: Expr) -> int:
    """Number of nodes in the expression *tree*: a shared subexpression counts every time."""
    _check_expr(expr, "size")
    tree_sizes: dict[int, int] = {}
    for node in _postorder(expr):
        tree_sizes[id(node)] = 1 + sum(tree_sizes[id(c)] for c in node.children)
    return tree_sizes[id(expr)]


def dag_size(expr: Expr) -> int:
    """Number of distinct node objects: the cost when shared subexpressions are computed once."""
    _check_expr(expr, "dag_size")
    return len(_postorder(expr))


def evaluate(expr: Expr, **env: Any) -> Any:
    """Value of expr with variables bound by keyword, e.g. evaluate(f, x=2.0).

    Numbers and numpy arrays follow IEEE rules (log(0) = -inf, 1/0 = inf, no exceptions); any other
    object (an autodiff Value or Dual, say) is combined with its own operators and .sin()/.exp()/...
    methods, so evaluate(f, x=Dual(2.0, 1.0)) runs forward-mode AD through the expression.
    """
    _check_expr(expr, "evaluate")
    for name, value in env.items():
        if value is None or isinstance(value, (str, bytes, bool)):
            raise TypeError(f"evaluate: variable {name!r} must be bound to a number, got {value!r}")
    values: dict[int, Any] = {}
    with np.errstate(all="ignore"):
        for node in _postorder(expr):
            values[id(node)] = node._evaluate(tuple(values[id(c)] for c in node.children), env)
    return values[id(expr)]


def _fold_if_finite(node: Expr) -> Expr:
    """Replace a node whose children are all constants by its (finite) value."""
    if node.children and all(isinstance(c, Const) for c in node.children):
        value = node._evaluate(tuple(c.value for c in node.children), {})
        if math.isfinite(value):
            return Const(value)
    return node


def _simplify_node(node: Expr) -> Expr:
    """Local rules only: constant folding and the identities
    x+0, x-0, 0-x, x*1, x*0, x/1, 0/x, x**1, x**0, -(-x)."""
    def is_const(e: Expr, value: float) -> bool:
        return isinstance(e, Const) and e.value == value

    folded = _fold_if_finite(node)
    if folded is not node:
        return folded
    if isinstance(node, Add):
        if is_const(node.left, 0.0):
            return node.right
        if is_const(node.right, 0.0):
            return node.left
    elif isinstance(node, Sub):
        if is_const(node.right, 0.0):
            return node.left
        if is_const(node.left, 0.0):
            return _simplify_node(Neg(node.right))
    elif isinstance(node, Mul):
        if is_const(node.left, 0.0) or is_const(node.right, 0.0):
            return Const(0.0)
        if is_const(node.left, 1.0):
            return node.right
        if is_const(node.right, 1.0):
            return node.left
    elif isinstance(node, Div):
        if is_const(node.right, 1.0):
            return node.left
        if is_const(node.left, 0.0):
            return Const(0.0)
    elif isinstance(node, Pow):
        if node.exponent == 1.0:
            return node.base
        if node.exponent == 0.0:
            return Const(1.0)
    elif isinstance(node, Neg) and isinstance(node.operand, Neg):
        return node.operand.operand
    return node


def simplify(expr: Expr) -> Expr:
    """A light, bottom-up clean-up: constant folding plus x+0, x*1, x*0, x/1, x**1 and friends.

    It removes the zeros and ones that the naive rules produce, but it does not collect like terms
    or share common subexpressions, so the exponential growth of the derivative survives. Rules like
    0 * x -> 0 and 0 / x -> 0 assume x is finite.
    """
    _check_expr(expr, "simplify")
    simplified: dict[int, Expr] = {}  # keyed by the id of the original node
    with np.errstate(all="ignore"):  # constant folding may meet 1/0 or log(0); those stay unfolded
        for node in _postorder(expr):
            new_children = tuple(simplified[id(c)] for c in node.children)
            rebuilt = node
            if any(new is not old for new, old in zip(new_children, node.children, strict=True)):
                rebuilt = node._rebuild(new_children)
            simplified[id(node)] = _simplify_node(rebuilt)
    return simplified[id(expr)]


# --------------------------------------------------------------------------------------------
# the expression-swell example
# --------------------------------------------------------------------------------------------

def logistic_map(depth: int, x: Var | None = None) -> Expr:
    """l_depth for the logistic map l_0 = x, l_{k+1} = 4 l_k (1 - l_k).

    As code this is `depth` small steps, each reusing the previous l twice; as a tree every use is a
    full copy, so size(l_k) = 6 * 2**k - 5.
    """
    if not isinstance(depth, numbers.Integral) or isinstance(depth, bool) or depth < 0:
        raise ValueError(f"depth must be a non-negative integer, got {depth!r}")
    level: Expr = Var("x") if x is None else x
    for _ in range(int(depth)):
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
    """For each depth k: sizes of f = build(k) and of its symbolic derivative.

    With the default logistic map, df_size and df_simplified_size roughly double with every step
    (and grow faster than f_size), while f_ops, the cost AD pays per evaluation, grows by a
    constant.
    """
    var = Var("x") if var is None else var
    rows = []
    for depth in depths:
        f = build(depth)
        df = diff(f, var)
        rows.append(SwellRow(int(depth), size(f), dag_size(f), size(df), size(simplify(df))))
    return rows
