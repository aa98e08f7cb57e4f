"""Bad input to the public API gets a clear error from the library, never a wrong answer or a numpy traceback.

One table of (public entry point x bad value). For every row:

* the exception type: TypeError for the wrong kind of thing (None, text, complex, a list for a number,
  a bool for a number, an f that returns None), ValueError for the right kind with a bad value (nan or
  inf where a finite number is needed, a negative size, a wrong shape, an empty input);
* where it comes from: the innermost traceback frame is a ``raise`` statement in the autodiff_nb
  package (not numpy, matplotlib or a builtin failing inside it);
* the message names the argument.

Then hypothesis throws generated garbage at a selection of entry points (each either works or gives
such an error), and valid but unusual input (numpy scalars, empty arrays) must work.
"""

from __future__ import annotations

import linecache
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import autodiff_nb as ad  # noqa: E402
from autodiff_nb import data, losses, nn, optim, rules, symbolic, viz  # noqa: E402
from autodiff_nb.widgets import (  # noqa: E402
    BackpropStepper,
    FiniteDifferenceExplorer,
    OptimizerPlayground,
    SecantExplorer,
    ShallowNetExplorer,
    TrainingMonitor,
)

PACKAGE = Path(ad.__file__).resolve().parent
NAN, INF = math.nan, math.inf


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------------------------------------------
# Where an error comes from
# --------------------------------------------------------------------------------------------------

def raising_frame(excinfo: pytest.ExceptionInfo) -> tuple[str, int, str]:
    """(file, line number, source line) of the innermost frame of the traceback: where it was raised."""
    tb = excinfo.tb
    while tb.tb_next is not None:
        tb = tb.tb_next
    filename = tb.tb_frame.f_code.co_filename
    return filename, tb.tb_lineno, linecache.getline(filename, tb.tb_lineno).strip()


def assert_raised_by_the_library(excinfo: pytest.ExceptionInfo) -> None:
    """The innermost frame is a ``raise`` statement inside autodiff_nb/ (a builtin or numpy failing
    inside our code would leave our frame innermost too, but not on a ``raise`` line)."""
    filename, lineno, source = raising_frame(excinfo)
    assert Path(filename).resolve().is_relative_to(PACKAGE), (
        f"raised outside autodiff_nb, at {filename}:{lineno}: {source}\n{excinfo.value!r}")
    assert source.startswith("raise "), (
        f"not raised by a raise statement of the library but inside it, at {filename}:{lineno}: "
        f"{source}\n{excinfo.value!r}")


# --------------------------------------------------------------------------------------------------
# Bad values, by kind
# --------------------------------------------------------------------------------------------------

NOT_CALLABLE = (None, "sin", 3.0, [1.0])
NOT_A_REAL = (None, "1.0", 1 + 2j, [1.0, 2.0], True, {"x": 1.0})
NOT_FINITE = (NAN, INF, -INF)
NOT_WHOLE = (1.5, "3", None, True, 2.0 + 0j)
NOT_POSITIVE = (0, -1)
NOT_A_FLAG = ("yes", 1, None)
NOT_A_CHOICE = ("sideways", "")
NOT_NUMBERS = ("abc", None, [[1.0, 2.0], [3.0]], [1 + 1j], {"a": 1.0}, object())


def returns_none(*args: Any) -> None:
    return None


def returns_text(*args: Any) -> str:
    return "abc"


def returns_dict(*args: Any) -> dict:
    return {"a": 1.0}


def returns_list_with_text(*args: Any) -> list:
    return [1.0, "abc"]


WRONG_KIND_OF_F = (returns_none, returns_text, returns_dict)


@dataclass(frozen=True)
class Case:
    entry: str                      # the public entry point, as a reader would write the call
    argument: str                   # the argument's name: the message must contain it
    bad: Any
    call: Callable[[Any], Any]      # calls the entry point with ``bad`` in place of the argument
    error: type[Exception]

    @property
    def id(self) -> str:
        bad = getattr(self.bad, "__name__", None) or repr(self.bad)
        return f"{self.entry} [{self.argument}={bad[:30]}]"


CASES: list[Case] = []


def rows(entry: str, argument: str, call: Callable[[Any], Any], bad_values: Any, error: type[Exception],
         names: str | None = None) -> None:
    """Add one row per bad value; ``names`` is the text the message must contain (default: argument)."""
    for bad in bad_values:
        CASES.append(Case(entry, names or argument, bad, call, error))


def value_graph() -> ad.Value:
    a, b = ad.Value(2.0, label="a"), ad.Value(3.0, label="b")
    return (a * b) * (b + 1)


def value_params() -> list:
    return [ad.Value(1.0), ad.Value(2.0)]


def tensor(*shape: int) -> ad.Tensor:
    return ad.Tensor(np.arange(float(np.prod(shape))).reshape(shape) + 1.0, requires_grad=True)


def square(x: Any) -> Any:
    return x * x


def total_square(v: Any) -> Any:
    return (v * v).sum()


def sum_of_squares(v: Any) -> Any:
    """sum_i v_i**2 for a number, a Value or an array of them (overflow to inf allowed)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.sum(v * v) if isinstance(v, np.ndarray) else v * v


# -- autodiff_nb: engines ---------------------------------------------------------------------------
rows("Value(data)", "data", lambda bad: ad.Value(bad), NOT_A_REAL, TypeError)
rows("Value(label)", "label", lambda bad: ad.Value(1.0, label=bad), (3, None, ["a"]), TypeError)
rows("Value.backward(grad)", "grad", lambda bad: value_graph().backward(bad), NOT_A_REAL, TypeError)
rows("Value + x", "Value", lambda bad: ad.Value(1.0) + bad, ("abc", None, 1 + 2j, {"a": 1}), TypeError)
rows("Dual(primal)", "primal", lambda bad: ad.Dual(bad, 1.0), NOT_A_REAL, TypeError)
rows("Dual(tangent)", "tangent", lambda bad: ad.Dual(1.0, bad), NOT_A_REAL, TypeError)
rows("Dual * x", "Dual", lambda bad: ad.Dual(1.0, 1.0) * bad, ("abc", None, 1 + 2j), TypeError)
rows("Tensor(data)", "data", lambda bad: ad.Tensor(bad), NOT_NUMBERS, TypeError)
rows("Tensor(requires_grad)", "requires_grad", lambda bad: ad.Tensor([1.0], requires_grad=bad),
     NOT_A_FLAG, TypeError)
rows("Tensor(dtype)", "dtype", lambda bad: ad.Tensor([1.0], dtype=bad), ("int8", np.complex128), TypeError)
rows("Tensor + x", "combine", lambda bad: tensor(2) + bad, ("abc", None, {"a": 1}), TypeError)
rows("Tensor + x huge", "operand", lambda bad: tensor(2) + bad, (10 ** 400, -(10 ** 400)), ValueError)
rows("Tensor + x items", "operand", lambda bad: tensor(2) + bad, ([1 + 1j], ["a", "b"]), TypeError)
rows("Tensor + x (shape)", "shapes", lambda bad: tensor(2) + bad, (np.ones(3), [[1.0, 2.0, 3.0]]), ValueError)
rows("Tensor @ x (shape)", "shape", lambda bad: tensor(2, 3) @ bad, (np.ones(2), tensor(2, 2)), ValueError)
rows("Tensor.sum(axis)", "axis", lambda bad: tensor(2, 3).sum(axis=bad), (1.5, "0", [0.5]), TypeError)
rows("Tensor.sum(axis) range", "axis", lambda bad: tensor(2, 3).sum(axis=bad), (2, -3, (0, 0)), ValueError)
rows("Tensor.sum(keepdims)", "keepdims", lambda bad: tensor(2, 3).sum(keepdims=bad), NOT_A_FLAG, TypeError)
rows("Tensor.mean(axis)", "axis", lambda bad: tensor(2, 3).mean(axis=bad), (1.5, "0"), TypeError)
rows("Tensor.max(axis)", "axis", lambda bad: tensor(2, 3).max(axis=bad), (1.5, "0"), TypeError)
rows("Tensor.max(axis) range", "axis", lambda bad: tensor(2, 3).max(axis=bad), (5,), ValueError)
rows("Tensor.reshape(shape)", "reshape", lambda bad: tensor(2, 3).reshape(bad), ("a", 1.5, None), TypeError)
rows("Tensor.reshape(shape) size", "reshape", lambda bad: tensor(2, 3).reshape(bad), (5, (4, 2), -2),
     ValueError)
rows("Tensor.transpose(axes)", "transpose", lambda bad: tensor(2, 3).transpose(bad), ("a", 1.5), TypeError)
rows("Tensor.transpose(axes) range", "transpose", lambda bad: tensor(2, 3).transpose(*bad),
     ((0, 0), (0, 2), (0,)), ValueError)
rows("Tensor[index]", "index", lambda bad: tensor(2, 3)[bad], (1.5, "a"), TypeError)
# Indexing follows numpy and PyTorch: an index that does not fit is an IndexError.
rows("Tensor[index] range", "index", lambda bad: tensor(2, 3)[bad], (5, (0, 7), {"a": 1}), IndexError)
rows("Tensor.backward(grad)", "grad", lambda bad: tensor(2).backward(bad), ("abc", [1 + 1j]), TypeError)
rows("Tensor.backward(grad) shape", "grad", lambda bad: tensor(2).backward(bad), (np.ones(3), None),
     ValueError)
rows("Tensor.item()", "item", lambda bad: tensor(*bad).item(), ((2,), (2, 2)), ValueError)
rows("softmax(x)", "softmax", lambda bad: ad.softmax(bad), ("abc", None, [1 + 1j], ad.Value(1.0)), TypeError)
rows("softmax(axis)", "axis", lambda bad: ad.softmax(tensor(2, 3), axis=bad), (1.5, "0"), TypeError)
rows("softmax(axis) range", "axis", lambda bad: ad.softmax(tensor(2, 3), axis=bad), (2, -3), ValueError)
rows("log_softmax(x)", "log_softmax", lambda bad: ad.log_softmax(bad), ("abc", None, [1 + 1j]), TypeError)
rows("log_softmax(axis)", "axis", lambda bad: ad.log_softmax(tensor(2, 3), axis=bad), (1.5, "0"), TypeError)
rows("log_softmax(axis) range", "axis", lambda bad: ad.log_softmax(tensor(2, 3), axis=bad), (2,), ValueError)
for _name, _function in ((name, getattr(ad, name)) for name in rules.UNARY_RULES if name != "neg"):
    rows(f"{_name}(x)", _name, lambda bad, f=_function: f(bad),
         ("abc", None, 1 + 2j, np.array([1 + 1j]), [1 + 1j], {"a": 1.0}, [[1.0], [2.0, 3.0]]), TypeError)
rows("primal(x)", "primal", lambda bad: ad.primal(bad), ("abc", None, [1.0], 1 + 2j), TypeError)
rows("dot(weights)", "weights", lambda bad: ad.dot(bad, [1.0]), (None, 3.0), TypeError)
rows("dot(weights) items", "operand", lambda bad: ad.dot(bad, [1.0]), ("a", [None]), TypeError)
rows("dot(weights, inputs) lengths", "inputs", lambda bad: ad.dot([1.0, 2.0], bad), ([1.0], []), ValueError)
rows("dot(inputs)", "operand", lambda bad: ad.dot([ad.Value(1.0)], [bad]), ("a", None, 1 + 2j), TypeError)
rows("dot(bias)", "operand", lambda bad: ad.dot([ad.Value(1.0)], [2.0], bad), ("a", [1.0]), TypeError)
rows("value_sum(values)", "values", lambda bad: ad.value_sum(bad), (None, 3.0), TypeError)
rows("value_sum(values) items", "operand", lambda bad: ad.value_sum([ad.Value(1.0), bad]), ("a", None),
     TypeError)

# -- autodiff_nb: transforms ------------------------------------------------------------------------
rows("derivative(f)", "f", lambda bad: ad.derivative(bad, 1.0), NOT_CALLABLE, TypeError)
rows("derivative(x)", "x", lambda bad: ad.derivative(ad.sin, bad), NOT_A_REAL, TypeError)
rows("derivative(f) result", "f", lambda bad: ad.derivative(bad, 1.0),
     (*WRONG_KIND_OF_F, returns_list_with_text), TypeError)
rows("grad(f)", "f", lambda bad: ad.grad(bad), NOT_CALLABLE, TypeError)
rows("grad(argnums)", "argnums", lambda bad: ad.grad(square, argnums=bad), (1.5, "0", None, True, ()),
     TypeError)
rows("grad(argnums) range", "argnums", lambda bad: ad.grad(square, argnums=bad)(1.0), (1, -2), ValueError)
rows("grad(f)(x)", "argument 0", lambda bad: ad.grad(square)(bad), NOT_NUMBERS, TypeError)
rows("grad(f) result", "f", lambda bad: ad.grad(bad)(1.0), (*WRONG_KIND_OF_F, returns_list_with_text),
     TypeError)
rows("grad(f) vector result", "scalar", lambda bad: ad.grad(bad)(np.ones(2)), (lambda v: v * 2.0,),
     ValueError)
rows("value_and_grad(f)", "f", lambda bad: ad.value_and_grad(bad), NOT_CALLABLE, TypeError)
rows("value_and_grad(argnums)", "argnums", lambda bad: ad.value_and_grad(square, argnums=bad), (1.5, "0"),
     TypeError)
rows("value_and_grad(f) result", "f", lambda bad: ad.value_and_grad(bad)(1.0), WRONG_KIND_OF_F, TypeError)
rows("jvp(f)", "f", lambda bad: ad.jvp(bad, (1.0,), (1.0,)), NOT_CALLABLE, TypeError)
rows("jvp(primals)", "primals", lambda bad: ad.jvp(square, bad, (1.0,)), (1.0, None, "a"), TypeError)
rows("jvp(tangents)", "tangents", lambda bad: ad.jvp(square, (1.0,), bad), (1.0, None), TypeError)
rows("jvp(tangents) count", "tangents", lambda bad: ad.jvp(square, (1.0,), bad), ((1.0, 2.0), ()),
     ValueError)
rows("jvp(tangents) shape", "tangent", lambda bad: ad.jvp(square, (np.ones(2),), (bad,)),
     (np.ones(3), 1.0), ValueError)
rows("jvp(primals) items", "primal", lambda bad: ad.jvp(square, (bad,), (1.0,)), ("a", None, 1 + 2j),
     TypeError)
rows("jvp(f) result", "f", lambda bad: ad.jvp(bad, (1.0,), (1.0,)), WRONG_KIND_OF_F, TypeError)
rows("jacobian(f)", "f", lambda bad: ad.jacobian(bad, [1.0]), NOT_CALLABLE, TypeError)
rows("jacobian(x)", "x", lambda bad: ad.jacobian(square, bad), NOT_NUMBERS, TypeError)
rows("jacobian(mode)", "mode", lambda bad: ad.jacobian(square, [1.0], mode=bad), (*NOT_A_CHOICE, None),
     ValueError)
rows("jacobian(return_passes)", "return_passes", lambda bad: ad.jacobian(square, [1.0], return_passes=bad),
     NOT_A_FLAG, TypeError)
rows("jacobian(f) result, forward", "f", lambda bad: ad.jacobian(bad, [1.0]),
     (*WRONG_KIND_OF_F, returns_list_with_text), TypeError)
rows("jacobian(f) result, reverse", "f", lambda bad: ad.jacobian(bad, [1.0], mode="reverse"),
     (*WRONG_KIND_OF_F, returns_list_with_text), TypeError)
rows("vjp(f)", "f", lambda bad: ad.vjp(bad, 1.0), NOT_CALLABLE, TypeError)
rows("vjp(primals)", "argument 0", lambda bad: ad.vjp(square, bad), NOT_NUMBERS, TypeError)
rows("vjp(f) result", "f", lambda bad: ad.vjp(bad, 1.0), WRONG_KIND_OF_F, TypeError)
rows("vjp_fn(cotangent)", "cotangent", lambda bad: ad.vjp(square, np.ones(2))[1](bad), ("a", None),
     TypeError)
rows("vjp_fn(cotangent) shape", "cotangent", lambda bad: ad.vjp(square, np.ones(2))[1](bad),
     (np.ones(3), 1.0), ValueError)
rows("hvp(f)", "f", lambda bad: ad.hvp(bad, [1.0], [1.0]), NOT_CALLABLE, TypeError)
rows("hvp(x)", "x", lambda bad: ad.hvp(total_square, bad, [1.0]), NOT_NUMBERS, TypeError)
rows("hvp(v)", "v", lambda bad: ad.hvp(total_square, np.ones(2), bad), NOT_NUMBERS, TypeError)
rows("hvp(v) shape", "v", lambda bad: ad.hvp(total_square, np.ones(2), bad), (np.ones(3), 1.0), ValueError)
rows("hvp(v) shape, Tensor", "v", lambda bad: ad.hvp(total_square, ad.Tensor(np.ones(2)), bad),
     (np.ones(3),), ValueError)
rows("hvp(f) result", "scalar", lambda bad: ad.hvp(bad, np.ones(2), np.ones(2)), (lambda v: v * 2.0,),
     ValueError)
rows("hessian(f)", "f", lambda bad: ad.hessian(bad, [1.0]), NOT_CALLABLE, TypeError)
rows("hessian(x)", "x", lambda bad: ad.hessian(total_square, bad), NOT_NUMBERS, TypeError)
rows("hessian(f) result", "f", lambda bad: ad.hessian(bad, [1.0]), WRONG_KIND_OF_F, TypeError)
rows("primitive(forward)", "forward", lambda bad: ad.primitive(bad, lambda x: (1.0,)), NOT_CALLABLE,
     TypeError)
rows("primitive(partials)", "partials", lambda bad: ad.primitive(np.sin, bad), NOT_CALLABLE, TypeError)
rows("primitive(name)", "name", lambda bad: ad.primitive(np.sin, np.cos, name=bad), (3, ["a"]), TypeError)
rows("primitive(forward) result", "forward", lambda bad: ad.primitive(bad, lambda x: (1.0,))(ad.Value(1.0)),
     WRONG_KIND_OF_F, TypeError)
rows("primitive(partials) result", "partials",
     lambda bad: ad.grad(ad.primitive(np.sin, bad))(1.0), (returns_none, returns_text), TypeError)
rows("primitive(partials) result count", "partials",
     lambda bad: ad.grad(ad.primitive(np.sin, bad))(1.0), (lambda x: (1.0, 2.0), lambda x: ()), ValueError)
rows("stop_gradient(x)", "stop_gradient", lambda bad: ad.stop_gradient(bad), ("abc", None, 1 + 2j),
     TypeError)
rows("checkpoint(fn)", "fn", lambda bad: ad.checkpoint(bad), NOT_CALLABLE, TypeError)

# -- autodiff_nb: finite differences -----------------------------------------------------------------
rows("numerical_derivative(f)", "f", lambda bad: ad.numerical_derivative(bad, 1.0), NOT_CALLABLE, TypeError)
rows("numerical_derivative(x)", "x", lambda bad: ad.numerical_derivative(np.sin, bad), NOT_A_REAL, TypeError)
rows("numerical_derivative(h)", "h", lambda bad: ad.numerical_derivative(np.sin, 1.0, h=bad), NOT_A_REAL,
     TypeError)
rows("numerical_derivative(h) value", "h", lambda bad: ad.numerical_derivative(np.sin, 1.0, h=bad),
     (*NOT_FINITE, 0.0, -1e-3), ValueError)
rows("numerical_derivative(method)", "method", lambda bad: ad.numerical_derivative(np.sin, 1.0, method=bad),
     (*NOT_A_CHOICE, None), ValueError)
rows("numerical_derivative(f) result", "f", lambda bad: ad.numerical_derivative(bad, 1.0),
     (*WRONG_KIND_OF_F, returns_list_with_text), TypeError)
rows("numerical_grad(f)", "f", lambda bad: ad.numerical_grad(bad, [1.0]), NOT_CALLABLE, TypeError)
rows("numerical_grad(x)", "x", lambda bad: ad.numerical_grad(np.sum, bad), NOT_NUMBERS, TypeError)
rows("numerical_grad(h)", "h", lambda bad: ad.numerical_grad(np.sum, [1.0], h=bad), NOT_A_REAL, TypeError)
rows("numerical_grad(h) value", "h", lambda bad: ad.numerical_grad(np.sum, [1.0], h=bad),
     (*NOT_FINITE, 0.0, -1.0), ValueError)
rows("numerical_grad(f) result", "f", lambda bad: ad.numerical_grad(bad, [1.0]), WRONG_KIND_OF_F, TypeError)
rows("gradcheck(f)", "f", lambda bad: ad.gradcheck(bad, [1.0]), NOT_CALLABLE, TypeError)
rows("gradcheck(x)", "x", lambda bad: ad.gradcheck(total_square, bad), NOT_NUMBERS, TypeError)
rows("gradcheck(h)", "h", lambda bad: ad.gradcheck(total_square, [1.0], h=bad), (*NOT_FINITE, 0.0, -1.0),
     ValueError)
rows("gradcheck(atol)", "atol", lambda bad: ad.gradcheck(total_square, [1.0], atol=bad), (*NOT_FINITE, -1.0),
     ValueError)
rows("gradcheck(atol) kind", "atol", lambda bad: ad.gradcheck(total_square, [1.0], atol=bad), NOT_A_REAL,
     TypeError)
rows("gradcheck(rtol)", "rtol", lambda bad: ad.gradcheck(total_square, [1.0], rtol=bad), (NAN, -1.0),
     ValueError)
rows("gradcheck(raise_on_failure)", "raise_on_failure",
     lambda bad: ad.gradcheck(total_square, [1.0], raise_on_failure=bad), NOT_A_FLAG, TypeError)
rows("gradcheck(f) result", "f", lambda bad: ad.gradcheck(bad, [1.0]), WRONG_KIND_OF_F, TypeError)

# -- ad.nn ----------------------------------------------------------------------------------------------
rows("nn.Neuron(nin)", "nin", lambda bad: nn.Neuron(bad), NOT_WHOLE, TypeError)
rows("nn.Neuron(nin) value", "nin", lambda bad: nn.Neuron(bad), NOT_POSITIVE, ValueError)
rows("nn.Neuron(activation)", "activation", lambda bad: nn.Neuron(2, activation=bad), (*NOT_A_CHOICE, None),
     ValueError)
rows("nn.Neuron()(x)", "x", lambda bad: nn.Neuron(2)(bad), ("ab", None, 3.0), TypeError)
rows("nn.Neuron()(x) length", "x", lambda bad: nn.Neuron(2)(bad), ([1.0], [1.0, 2.0, 3.0]), ValueError)
rows("nn.Layer(nin)", "nin", lambda bad: nn.Layer(bad, 2), NOT_WHOLE, TypeError)
rows("nn.Layer(nout)", "nout", lambda bad: nn.Layer(2, bad), NOT_WHOLE, TypeError)
rows("nn.Layer(nout) value", "nout", lambda bad: nn.Layer(2, bad), NOT_POSITIVE, ValueError)
rows("nn.MLP(nin)", "nin", lambda bad: nn.MLP(bad, [3]), NOT_WHOLE, TypeError)
rows("nn.MLP(nin) value", "nin", lambda bad: nn.MLP(bad, [3]), NOT_POSITIVE, ValueError)
rows("nn.MLP(nouts)", "nouts", lambda bad: nn.MLP(2, bad), (3, None, "3", [1.5], [None]), TypeError)
rows("nn.MLP(nouts) value", "nouts", lambda bad: nn.MLP(2, bad), ([0], [-1], [3, 0], []), ValueError)
rows("nn.MLP(activation)", "activation", lambda bad: nn.MLP(2, [3], activation=bad), NOT_A_CHOICE,
     ValueError)
rows("nn.MLP(seed)", "seed", lambda bad: nn.MLP(2, [3], seed=bad), (1.5, "0", None), TypeError)
rows("nn.MLP(seed) value", "seed", lambda bad: nn.MLP(2, [3], seed=bad), (-1,), ValueError)
rows("nn.MLP()(x)", "x", lambda bad: nn.MLP(2, [3])(bad), ("ab", None), TypeError)
rows("nn.MLP()(x) length", "x", lambda bad: nn.MLP(2, [3])(bad), ([1.0], []), ValueError)
rows("nn.ShallowNet(hidden)", "hidden", lambda bad: nn.ShallowNet(hidden=bad), NOT_WHOLE, TypeError)
rows("nn.ShallowNet(hidden) value", "hidden", lambda bad: nn.ShallowNet(hidden=bad), NOT_POSITIVE, ValueError)
rows("nn.ShallowNet(activation)", "activation", lambda bad: nn.ShallowNet(activation=bad), NOT_A_CHOICE,
     ValueError)
rows("nn.ShallowNet(seed)", "seed", lambda bad: nn.ShallowNet(seed=bad), (-1,), ValueError)
rows("nn.ShallowNet(theta)", "theta", lambda bad: nn.ShallowNet(hidden=2, theta=bad),
     ([[1.0, 2.0]], [[1.0], [2.0]], [[1.0, 2.0, 3.0]] * 2), ValueError)
rows("nn.ShallowNet(theta) kind", "theta", lambda bad: nn.ShallowNet(hidden=2, theta=bad),
     ("ab", [["a", 1.0], [1.0, 2.0]], [[1 + 1j, 1.0], [1.0, 2.0]]), TypeError)
rows("nn.ShallowNet(phi)", "phi", lambda bad: nn.ShallowNet(hidden=2, phi=bad), ([1.0, 2.0], [1.0] * 4),
     ValueError)
rows("nn.Linear(nin)", "nin", lambda bad: nn.Linear(bad, 2), NOT_WHOLE, TypeError)
rows("nn.Linear(nin) value", "nin", lambda bad: nn.Linear(bad, 2), NOT_POSITIVE, ValueError)
rows("nn.Linear(nout)", "nout", lambda bad: nn.Linear(2, bad), NOT_WHOLE, TypeError)
rows("nn.Linear(nout) value", "nout", lambda bad: nn.Linear(2, bad), NOT_POSITIVE, ValueError)
rows("nn.Linear(bias)", "bias", lambda bad: nn.Linear(2, 2, bias=bad), NOT_A_FLAG, TypeError)
rows("nn.Linear(seed)", "seed", lambda bad: nn.Linear(2, 2, seed=bad), (1.5, "0"), TypeError)
rows("nn.Linear(seed) value", "seed", lambda bad: nn.Linear(2, 2, seed=bad), (-1,), ValueError)
rows("nn.Linear(dtype)", "dtype", lambda bad: nn.Linear(2, 2, dtype=bad), ("int8", np.complex64), TypeError)
rows("nn.Linear()(x)", "x", lambda bad: nn.Linear(2, 2)(bad), ("ab", None, [1 + 1j]), TypeError)
rows("nn.Linear()(x) shape", "shape", lambda bad: nn.Linear(2, 2)(bad), (np.ones(3), np.ones((4, 3))),
     ValueError)
rows("nn.Sequential(layers)", "layer", lambda bad: nn.Sequential(bad), ("ab", 3, None), TypeError)
for _cls in (nn.ReLU, nn.Tanh, nn.Sigmoid):
    rows(f"nn.{_cls.__name__}()(x)", "x", lambda bad, c=_cls: c()(bad), ("ab", None, [1 + 1j]), TypeError)

# -- ad.losses --------------------------------------------------------------------------------------------
rows("losses.gaussian_nll(y)", "y", lambda bad: losses.gaussian_nll(bad, 0.0), ("a", None, 1 + 2j),
     TypeError)
rows("losses.gaussian_nll(sigma)", "sigma", lambda bad: losses.gaussian_nll(1.0, 0.0, bad),
     (0.0, -1.0, NAN, INF), ValueError)
rows("losses.gaussian_nll(sigma) kind", "sigma", lambda bad: losses.gaussian_nll(1.0, 0.0, bad),
     ("a", None), TypeError)
rows("losses.mse(pred)", "pred", lambda bad: losses.mse(bad, [1.0]), ("a", None, {"a": 1}), TypeError)
rows("losses.mse(target)", "target", lambda bad: losses.mse([1.0], bad), ("a", None), TypeError)
rows("losses.mse lengths", "target", lambda bad: losses.mse([1.0, 2.0], bad), ([1.0], [], [1.0] * 3),
     ValueError)
rows("losses.mse Tensor shapes", "target", lambda bad: losses.mse(tensor(2), bad), (np.ones(3),),
     ValueError)
rows("losses.mse empty", "pred", lambda bad: losses.mse(bad, bad), ([],), ValueError)
rows("losses.bernoulli_nll(y)", "y", lambda bad: losses.bernoulli_nll(bad, 0.5), (2.0, -1.0, NAN),
     ValueError)
rows("losses.bernoulli_nll(lam)", "lam", lambda bad: losses.bernoulli_nll(1.0, bad), (1.5, -0.5, NAN),
     ValueError)
rows("losses.bce(probs)", "probs", lambda bad: losses.bce(bad, [1.0]), ([1.5], [-0.1], [NAN]), ValueError)
rows("losses.bce(probs) Tensor", "probs", lambda bad: losses.bce(ad.Tensor(bad), np.ones(1)),
     ([1.5], [-0.1]), ValueError)
rows("losses.bce(targets)", "targets", lambda bad: losses.bce([0.5], bad), ([2.0], [-1.0], [NAN]),
     ValueError)
rows("losses.bce(probs) kind", "probs", lambda bad: losses.bce(bad, [1.0]), ("a", None), TypeError)
rows("losses.bce_with_logits(targets)", "targets", lambda bad: losses.bce_with_logits([0.5], bad),
     ([2.0], [-1.0]), ValueError)
rows("losses.bce_with_logits(logits)", "logits", lambda bad: losses.bce_with_logits(bad, [1.0]),
     ("a", None), TypeError)
rows("losses.categorical_nll(y)", "y", lambda bad: losses.categorical_nll(bad, [0.5, 0.5]), (2, -1),
     ValueError)
rows("losses.categorical_nll(y) kind", "y", lambda bad: losses.categorical_nll(bad, [0.5, 0.5]),
     (1.5, "0", None), TypeError)
rows("losses.categorical_nll(probs)", "probs", lambda bad: losses.categorical_nll(0, bad),
     ([1.5, -0.5], [NAN, 1.0]), ValueError)
rows("losses.cross_entropy(targets)", "targets", lambda bad: losses.cross_entropy([[1.0, 2.0]], bad),
     ([2], [-1], [0, 1]), ValueError)
rows("losses.cross_entropy(targets) kind", "targets", lambda bad: losses.cross_entropy([[1.0, 2.0]], bad),
     ([0.5], ["a"], None), TypeError)
rows("losses.cross_entropy(targets) Tensor", "targets", lambda bad: losses.cross_entropy(tensor(2, 3), bad),
     (np.array([0, 3]), np.array([0]), np.array([[0, 1]])), ValueError)
rows("losses.cross_entropy(targets) Tensor kind", "targets",
     lambda bad: losses.cross_entropy(tensor(2, 3), bad), (np.array([0.5, 1.0]), "a", None), TypeError)
rows("losses.cross_entropy(logits)", "logits", lambda bad: losses.cross_entropy(bad, [0]), ("a", None),
     TypeError)
rows("losses.softmax(logits)", "logits", lambda bad: losses.softmax(bad), ("a", None, [1 + 1j]), TypeError)
rows("losses.softmax(logits) empty", "logits", lambda bad: losses.softmax(bad), ([],), ValueError)
rows("losses.log_softmax(logits)", "logits", lambda bad: losses.log_softmax(bad), ("a", None), TypeError)
rows("losses.likelihood(probabilities)", "probabilities", lambda bad: losses.likelihood(bad),
     ([-0.5], [NAN], [0.5, -1e-3]), ValueError)  # densities above 1 are fine
rows("losses.likelihood(probabilities) kind", "probabilities", lambda bad: losses.likelihood(bad),
     ("a", None), TypeError)
rows("losses.log_likelihood(probabilities)", "probabilities", lambda bad: losses.log_likelihood(bad),
     ([-0.5], [NAN]), ValueError)

# -- ad.optim ---------------------------------------------------------------------------------------------
for _cls in (optim.SGD, optim.Momentum, optim.Adam):
    _name = f"optim.{_cls.__name__}"
    rows(f"{_name}(params)", "param", lambda bad, c=_cls: c(bad, lr=0.1), (None, "ab", 3.0, [1.0], [None]),
         TypeError)
    rows(f"{_name}(params) empty", "params", lambda bad, c=_cls: c(bad, lr=0.1), ([], ()), ValueError)
    rows(f"{_name}(lr)", "lr", lambda bad, c=_cls: c(value_params(), lr=bad), NOT_A_REAL, TypeError)
    rows(f"{_name}(lr) value", "lr", lambda bad, c=_cls: c(value_params(), lr=bad), (*NOT_FINITE, 0.0, -0.1),
         ValueError)
rows("optim.Momentum(beta)", "beta", lambda bad: optim.Momentum(value_params(), 0.1, beta=bad),
     (1.0, 1.5, -0.1, NAN), ValueError)
rows("optim.Momentum(beta) kind", "beta", lambda bad: optim.Momentum(value_params(), 0.1, beta=bad),
     ("a", None), TypeError)
rows("optim.Adam(betas)", "betas", lambda bad: optim.Adam(value_params(), betas=bad),
     ((1.0, 0.999), (0.9, 1.0), (-0.1, 0.9), (NAN, 0.9)), ValueError)
rows("optim.Adam(betas) kind", "betas", lambda bad: optim.Adam(value_params(), betas=bad),
     ("a", None, 0.9, (0.9,)), TypeError)
rows("optim.Adam(eps)", "eps", lambda bad: optim.Adam(value_params(), eps=bad), (0.0, -1.0, NAN), ValueError)
rows("optim.RandomSearch(loss_fn)", "loss_fn", lambda bad: optim.RandomSearch(value_params(), bad),
     NOT_CALLABLE, TypeError)
rows("optim.RandomSearch(scale)", "scale", lambda bad: optim.RandomSearch(value_params(), lambda: 1.0, bad),
     (0.0, -1.0, NAN, INF), ValueError)
rows("optim.RandomSearch(seed)", "seed",
     lambda bad: optim.RandomSearch(value_params(), lambda: 1.0, seed=bad), (-1,), ValueError)
rows("optim.RandomSearch.step() loss_fn result", "loss_fn",
     lambda bad: optim.RandomSearch(value_params(), bad).step(), (*WRONG_KIND_OF_F, lambda: [1.0, 2.0]),
     TypeError)

# -- ad.data ------------------------------------------------------------------------------------------------
for _f in (data.line, data.parabola, data.two_moons, data.falling_objects):
    _name = f"data.{_f.__name__}"
    rows(f"{_name}(n)", "n", lambda bad, f=_f: f(n=bad), NOT_WHOLE, TypeError)
    rows(f"{_name}(n) value", "n", lambda bad, f=_f: f(n=bad), NOT_POSITIVE, ValueError)
    rows(f"{_name}(noise)", "noise", lambda bad, f=_f: f(noise=bad), (-0.1, NAN, INF), ValueError)
    rows(f"{_name}(noise) kind", "noise", lambda bad, f=_f: f(noise=bad), ("a", None, 1 + 2j), TypeError)
    rows(f"{_name}(seed)", "seed", lambda bad, f=_f: f(seed=bad), (-1,), ValueError)
    rows(f"{_name}(seed) kind", "seed", lambda bad, f=_f: f(seed=bad), (1.5, "0"), TypeError)
rows("data.line(slope)", "slope", lambda bad: data.line(slope=bad), NOT_FINITE, ValueError)
rows("data.line(x_range)", "x_range", lambda bad: data.line(x_range=bad), ((2.0, 1.0), (0.0, NAN)),
     ValueError)
rows("data.line(x_range) kind", "x_range", lambda bad: data.line(x_range=bad), (1.0, None, (1.0, 2.0, 3.0)),
     TypeError)
rows("data.parabola(a)", "a", lambda bad: data.parabola(a=bad), (NAN,), ValueError)
rows("data.falling_objects(masses)", "masses", lambda bad: data.falling_objects(masses=bad),
     ([], [-1.0], [0.0], [NAN]), (TypeError, ValueError))
rows("data.falling_objects(g)", "g", lambda bad: data.falling_objects(g=bad), (NAN, -9.81), ValueError)
rows("data.falling_objects(max_time)", "max_time", lambda bad: data.falling_objects(max_time=bad),
     (0.0, -1.0, INF), ValueError)
rows("data.spirals(n_per_class)", "n_per_class", lambda bad: data.spirals(n_per_class=bad), NOT_WHOLE,
     TypeError)
rows("data.spirals(n_per_class) value", "n_per_class", lambda bad: data.spirals(n_per_class=bad),
     NOT_POSITIVE, ValueError)
rows("data.spirals(classes)", "classes", lambda bad: data.spirals(classes=bad), (0, -1), ValueError)
rows("data.spirals(turns)", "turns", lambda bad: data.spirals(turns=bad), (NAN, INF), ValueError)
rows("data.minibatches(n)", "n", lambda bad: data.minibatches(bad, 2), NOT_WHOLE, TypeError)
rows("data.minibatches(n) value", "n", lambda bad: data.minibatches(bad, 2), (-1,), ValueError)
rows("data.minibatches(batch_size)", "batch_size", lambda bad: data.minibatches(10, bad), NOT_WHOLE,
     TypeError)
rows("data.minibatches(batch_size) value", "batch_size", lambda bad: data.minibatches(10, bad), NOT_POSITIVE,
     ValueError)
rows("data.minibatches(seed)", "seed", lambda bad: data.minibatches(10, 2, seed=bad), (-1,), ValueError)

# -- ad.symbolic ---------------------------------------------------------------------------------------------
rows("symbolic.Var(name)", "name", lambda bad: symbolic.Var(bad), (3, None, ["x"]), TypeError)
rows("symbolic.Var(name) value", "name", lambda bad: symbolic.Var(bad), ("", "two words"), ValueError)
rows("symbolic.diff(expr)", "expr", lambda bad: symbolic.diff(bad, symbolic.Var("x")), ("x", None, [1]),
     TypeError)
rows("symbolic.diff(var)", "var", lambda bad: symbolic.diff(symbolic.Var("x") * 2, bad),
     ("x", None, 2.0, symbolic.Var("x") * 2), TypeError)
rows("symbolic.size(expr)", "expr", lambda bad: symbolic.size(bad), ("x", None, 3.0), TypeError)
rows("symbolic.simplify(expr)", "expr", lambda bad: symbolic.simplify(bad), ("x", None), TypeError)
rows("symbolic Expr + x", "operand", lambda bad: symbolic.Var("x") + bad, ("a", None, 1 + 2j, NAN),
     (TypeError,
     ValueError))
rows("symbolic.swell_table(depths)", "depth", lambda bad: symbolic.swell_table(bad), ([1.5], ["a"], None, 3),
     TypeError)
rows("symbolic.swell_table(depths) value", "depth", lambda bad: symbolic.swell_table(bad), ([-1],),
     ValueError)
rows("symbolic.swell_table(build)", "build", lambda bad: symbolic.swell_table([1], build=bad), NOT_CALLABLE,
     TypeError)
rows("symbolic.swell_table(build) result", "build", lambda bad: symbolic.swell_table([1], build=bad),
     WRONG_KIND_OF_F, TypeError)

# -- ad.viz --------------------------------------------------------------------------------------------------
rows("viz.draw_graph(root)", "root", lambda bad: viz.draw_graph(bad), ("a", None, 3.0, [ad.Value(1.0)]),
     TypeError)
rows("viz.draw_graph(show_grad)", "show_grad", lambda bad: viz.draw_graph(value_graph(), show_grad=bad),
     NOT_A_FLAG, TypeError)
rows("viz.draw_graph(show_partials)", "show_partials",
     lambda bad: viz.draw_graph(value_graph(), show_partials=bad), NOT_A_FLAG, TypeError)
rows("viz.draw_graph(rankdir)", "rankdir", lambda bad: viz.draw_graph(value_graph(), rankdir=bad),
     (*NOT_A_CHOICE, None), ValueError)
rows("viz.draw_graph(max_nodes)", "max_nodes", lambda bad: viz.draw_graph(value_graph(), max_nodes=bad),
     (1.5, "3"), TypeError)
rows("viz.draw_graph(max_nodes) value", "max_nodes", lambda bad: viz.draw_graph(value_graph(), max_nodes=bad),
     NOT_POSITIVE, ValueError)
rows("viz.draw_graph(precision)", "precision", lambda bad: viz.draw_graph(value_graph(), precision=bad),
     (-1,), ValueError)
rows("viz.draw_graph(highlight)", "highlight", lambda bad: viz.draw_graph(value_graph(), highlight=bad),
     (3.0, ["a"]), TypeError)
rows("viz.forward_trace(root)", "root", lambda bad: viz.forward_trace(bad, ad.Value(1.0)), ("a", None, 3.0),
     TypeError)
rows("viz.forward_trace(seed)", "seed", lambda bad: viz.forward_trace(value_graph(), bad),
     (ad.Value(1.0), "no_such_label", 3.0), (TypeError, ValueError))
rows("viz.reverse_trace(root)", "root", lambda bad: viz.reverse_trace(bad), ("a", None, 3.0), TypeError)
rows("viz.reverse_trace(upto)", "upto", lambda bad: viz.reverse_trace(value_graph(), upto=bad), (1.5, "2"),
     TypeError)
rows("viz.reverse_trace(upto) value", "upto", lambda bad: viz.reverse_trace(value_graph(), upto=bad), (-1,),
     ValueError)
rows("viz.reverse_trace(precision)", "precision", lambda bad: viz.reverse_trace(value_graph(), precision=bad),
     (-1,), ValueError)
rows("viz.plot_function_and_derivative(f)", "f", lambda bad: viz.plot_function_and_derivative(bad, 1.0),
     NOT_CALLABLE, TypeError)
rows("viz.plot_function_and_derivative(x0)", "x0", lambda bad: viz.plot_function_and_derivative(ad.sin, bad),
     NOT_A_REAL, TypeError)
rows("viz.plot_function_and_derivative(x0) value", "x0",
     lambda bad: viz.plot_function_and_derivative(ad.sin, bad), NOT_FINITE, ValueError)
rows("viz.plot_function_and_derivative(xlim)", "xlim",
     lambda bad: viz.plot_function_and_derivative(ad.sin, 1.0, bad), ((2.0, 1.0), (NAN, 1.0)), ValueError)
rows("viz.plot_function_and_derivative(h)", "h",
     lambda bad: viz.plot_function_and_derivative(ad.sin, 1.0, h=bad), (0.0, NAN, INF), ValueError)
rows("viz.plot_function_and_derivative(num)", "num",
     lambda bad: viz.plot_function_and_derivative(ad.sin, 1.0, num=bad), (1.5, "200", None), TypeError)
rows("viz.plot_function_and_derivative(num) value", "num",
     lambda bad: viz.plot_function_and_derivative(ad.sin, 1.0, num=bad), (-1, 0, 1), ValueError)
rows("viz.plot_function_and_derivative(f) result", "f",
     lambda bad: viz.plot_function_and_derivative(bad, 1.0), WRONG_KIND_OF_F, TypeError)
rows("viz.plot_fd_error(f)", "f", lambda bad: viz.plot_fd_error(bad, 1.0), NOT_CALLABLE, TypeError)
rows("viz.plot_fd_error(x0)", "x0", lambda bad: viz.plot_fd_error(np.sin, bad), NOT_FINITE, ValueError)
rows("viz.plot_fd_error(hs)", "hs", lambda bad: viz.plot_fd_error(np.sin, 1.0, 0.5, hs=bad),
     ([], [-1e-3], [0.0], [[1e-3]]), ValueError)
rows("viz.plot_fd_error(f) result", "f", lambda bad: viz.plot_fd_error(bad, 1.0, 1.0), WRONG_KIND_OF_F,
     TypeError)
rows("viz.plot_loss_surface(loss)", "loss", lambda bad: viz.plot_loss_surface(bad, (0, 1), (0, 1)),
     NOT_CALLABLE, TypeError)
rows("viz.plot_loss_surface(xlim)", "xlim", lambda bad: viz.plot_loss_surface(np.add, bad, (0, 1)),
     ((1, 0), (0, INF)), ValueError)
rows("viz.plot_loss_surface(ylim)", "ylim", lambda bad: viz.plot_loss_surface(np.add, (0, 1), bad),
     (None, 3.0, "ab"), TypeError)
rows("viz.plot_loss_surface(kind)", "kind",
     lambda bad: viz.plot_loss_surface(np.add, (0, 1), (0, 1), kind=bad),
     NOT_A_CHOICE, ValueError)
rows("viz.plot_loss_surface(num)", "num", lambda bad: viz.plot_loss_surface(np.add, (0, 1), (0, 1), num=bad),
     (-1, 0, 1), ValueError)
rows("viz.plot_loss_surface(num) kind", "num",
     lambda bad: viz.plot_loss_surface(np.add, (0, 1), (0, 1), num=bad), (1.5, "60"), TypeError)
rows("viz.plot_loss_surface(loss) result", "loss", lambda bad: viz.plot_loss_surface(bad, (0, 1), (0, 1)),
     WRONG_KIND_OF_F, TypeError)
rows("viz.plot_trajectories(trajectories)", "trajectories", lambda bad: viz.plot_trajectories(None, bad),
     ("ab", None, [1.0]), TypeError)
rows("viz.plot_trajectories(trajectories) shape", "trajectory",
     lambda bad: viz.plot_trajectories(None, {"GD": bad}), ([1.0, 2.0, 3.0], np.ones((3, 3))), ValueError)
rows("viz.plot_fit(x, y) lengths", "y", lambda bad: viz.plot_fit([1.0, 2.0], bad, np.sin), ([1.0], []),
     ValueError)
rows("viz.plot_fit(x)", "x", lambda bad: viz.plot_fit(bad, [1.0], np.sin), ("a", None, [1 + 1j]), TypeError)
rows("viz.plot_fit(model)", "model", lambda bad: viz.plot_fit([1.0, 2.0], [1.0, 2.0], bad),
     (None, "ab", 3.0), TypeError)
rows("viz.plot_fit(num)", "num", lambda bad: viz.plot_fit([1.0, 2.0], [1.0, 2.0], np.sin, num=bad),
     (-1, 0, 1), ValueError)
rows("viz.plot_shallow_net(theta)", "theta", lambda bad: viz.plot_shallow_net(bad, [0.0, 1.0, 1.0, 1.0]),
     ([[1.0]] * 3, [[1.0, 2.0, 3.0]] * 3, [1.0, 2.0]), ValueError)
rows("viz.plot_shallow_net(theta) kind", "theta",
     lambda bad: viz.plot_shallow_net(bad, [0.0, 1.0, 1.0, 1.0]), ("ab", None), TypeError)
rows("viz.plot_shallow_net(phi)", "phi", lambda bad: viz.plot_shallow_net([[0.0, 1.0]] * 3, bad),
     ([1.0, 2.0], [1.0] * 5), ValueError)
rows("viz.plot_shallow_net(num)", "num",
     lambda bad: viz.plot_shallow_net([[0.0, 1.0]] * 3, [0.0] * 4, num=bad),
     (-1, 0, 1), ValueError)
rows("viz.plot_shallow_net(num) kind", "num",
     lambda bad: viz.plot_shallow_net([[0.0, 1.0]] * 3, [0.0] * 4, num=bad), (1.5,), TypeError)
rows("viz.plot_shallow_net(xlim)", "xlim",
     lambda bad: viz.plot_shallow_net([[0.0, 1.0]] * 3, [0.0] * 4, xlim=bad), ((1.0, 0.0),), ValueError)
rows("viz.plot_shallow_net(activation)", "activation",
     lambda bad: viz.plot_shallow_net([[0.0, 1.0]] * 3, [0.0] * 4, activation=bad), NOT_A_CHOICE, ValueError)
_X, _Y = data.two_moons(20, seed=0)
rows("viz.plot_decision_boundary(predict)", "predict", lambda bad: viz.plot_decision_boundary(bad, _X, _Y),
     NOT_CALLABLE, TypeError)
rows("viz.plot_decision_boundary(X)", "X", lambda bad: viz.plot_decision_boundary(np.sum, bad, _Y),
     (np.ones(20), np.ones((20, 3)), np.ones((0, 2))), ValueError)
rows("viz.plot_decision_boundary(y)", "y", lambda bad: viz.plot_decision_boundary(np.sum, _X, bad),
     (np.ones(3), np.ones((20, 2))), ValueError)
rows("viz.plot_decision_boundary(num)", "num",
     lambda bad: viz.plot_decision_boundary(np.sum, _X, _Y, num=bad), (-1, 0, 1), ValueError)
rows("viz.plot_decision_boundary(num) kind", "num",
     lambda bad: viz.plot_decision_boundary(np.sum, _X, _Y, num=bad), (1.5, "80"), TypeError)
rows("viz.plot_decision_boundary(margin)", "margin",
     lambda bad: viz.plot_decision_boundary(np.sum, _X, _Y, margin=bad), (NAN, INF, -1.0), ValueError)
rows("viz.plot_decision_boundary(threshold)", "threshold",
     lambda bad: viz.plot_decision_boundary(np.sum, _X, _Y, threshold=bad), (NAN,), ValueError)
rows("viz.plot_decision_boundary(predict) result", "predict",
     lambda bad: viz.plot_decision_boundary(bad, _X, _Y), WRONG_KIND_OF_F, TypeError)
rows("viz.plot_training_curves(history)", "history", lambda bad: viz.plot_training_curves(bad),
     ("ab", None, 3.0, [[1.0, "a"]]), TypeError)
rows("viz.plot_training_curves(history) empty", "history", lambda bad: viz.plot_training_curves(bad),
     ([], {}), ValueError)
rows("viz.plot_training_curves(logy)", "logy", lambda bad: viz.plot_training_curves([1.0, 0.5], logy=bad),
     NOT_A_FLAG, TypeError)
rows("viz.plot_expression_swell(sizes)", "sizes",
     lambda bad: viz.plot_expression_swell([1, 2], bad, [1, 2]), ([1], [1, 2, 3]), ValueError)
rows("viz.plot_expression_swell(depths)", "depths",
     lambda bad: viz.plot_expression_swell(bad, [1, 2], [1, 2]), ("ab", None), TypeError)
_PARAMS = [np.ones((2, 2)), np.ones(2)]


def _params_loss(params: Any) -> Any:
    return float((params[0] ** 2).sum() + params[1].sum())


rows("viz.loss_landscape_slice(loss_fn)", "loss_fn", lambda bad: viz.loss_landscape_slice(_PARAMS, bad),
     NOT_CALLABLE, TypeError)
rows("viz.loss_landscape_slice(params)", "params", lambda bad: viz.loss_landscape_slice(bad, _params_loss),
     ("ab", None, 3.0), TypeError)
rows("viz.loss_landscape_slice(span)", "span",
     lambda bad: viz.loss_landscape_slice(_PARAMS, _params_loss, span=bad), (0.0, -1.0, NAN), ValueError)
rows("viz.loss_landscape_slice(num)", "num",
     lambda bad: viz.loss_landscape_slice(_PARAMS, _params_loss, num=bad), (-1, 0, 1), ValueError)
rows("viz.loss_landscape_slice(num) kind", "num",
     lambda bad: viz.loss_landscape_slice(_PARAMS, _params_loss, num=bad), (1.5, "21"), TypeError)
rows("viz.loss_landscape_slice(seed)", "seed",
     lambda bad: viz.loss_landscape_slice(_PARAMS, _params_loss, seed=bad), (-1,), ValueError)
rows("viz.loss_landscape_slice(loss_fn) result", "loss_fn",
     lambda bad: viz.loss_landscape_slice(_PARAMS, bad, num=3), WRONG_KIND_OF_F, TypeError)
rows("viz.plot_loss_landscape(landscape)", "landscape", lambda bad: viz.plot_loss_landscape(bad),
     ("ab", None, 3.0), TypeError)
rows("viz.plot_loss_landscape(kind)", "kind",
     lambda bad: viz.plot_loss_landscape(viz.loss_landscape_slice(_PARAMS, _params_loss, num=3), kind=bad),
     NOT_A_CHOICE, ValueError)

# -- ad.widgets compute objects (no browser) -----------------------------------------------------------
for _cls in (SecantExplorer, FiniteDifferenceExplorer):
    _name = _cls.__name__
    rows(f"{_name}(f)", "f", lambda bad, c=_cls: c(bad), ("ab", None, 3.0), TypeError)
    rows(f"{_name}(x)", "x", lambda bad, c=_cls: c(np.sin, x=bad), ("ab", None, 1 + 2j), TypeError)
    rows(f"{_name}(x) value", "x", lambda bad, c=_cls: c(np.sin, x=bad), NOT_FINITE, ValueError)
    rows(f"{_name}(h)", "h", lambda bad, c=_cls: c(np.sin, h=bad), ("ab", None), TypeError)
    rows(f"{_name}(h) value", "h", lambda bad, c=_cls: c(np.sin, h=bad), (0.0, -1.0, NAN, INF), ValueError)
    rows(f"{_name}(f) result", "f", lambda bad, c=_cls: c(bad), WRONG_KIND_OF_F, TypeError)
rows("FiniteDifferenceExplorer.regime(method)", "method",
     lambda bad: FiniteDifferenceExplorer(np.sin).regime(bad), (*NOT_A_CHOICE, None), ValueError)
rows("ShallowNetExplorer(theta)", "theta", lambda bad: ShallowNetExplorer(theta=bad),
     ([[1.0, 2.0]], [[1.0], [2.0], [3.0]]), ValueError)
rows("ShallowNetExplorer(activation)", "activation", lambda bad: ShallowNetExplorer(activation=bad),
     NOT_A_CHOICE, ValueError)
rows("ShallowNetExplorer(xlim)", "xlim", lambda bad: ShallowNetExplorer(xlim=bad), ((3.0, -1.0),), ValueError)
rows("ShallowNetExplorer.set(name)", "parameter", lambda bad: ShallowNetExplorer().set(bad, 1.0),
     ("nope", "theta_99"), ValueError)
rows("ShallowNetExplorer.set(value)", "phi_0", lambda bad: ShallowNetExplorer().set("phi_0", bad),
     ("ab", None), TypeError)
rows("ShallowNetExplorer.set(value) finite", "phi_0", lambda bad: ShallowNetExplorer().set("phi_0", bad),
     NOT_FINITE, ValueError)
rows("BackpropStepper(root)", "root", lambda bad: BackpropStepper(bad), ("ab", None, 3.0), TypeError)
rows("BackpropStepper(mode)", "mode", lambda bad: BackpropStepper(value_graph(), mode=bad),
     (*NOT_A_CHOICE, None), ValueError)
rows("BackpropStepper(seed)", "seed", lambda bad: BackpropStepper(value_graph(), mode="forward", seed=bad),
     (ad.Value(1.0), "no_such_label", 3.0), (TypeError, ValueError))


def _stepper_at(step: Any) -> None:
    stepper = BackpropStepper(value_graph())
    stepper.step = step


rows("BackpropStepper.step", "step", _stepper_at, (99, -1), ValueError)
rows("BackpropStepper.step kind", "step", _stepper_at, (1.5, "2", None), TypeError)
rows("OptimizerPlayground(surface)", "surface", lambda bad: OptimizerPlayground(bad), ("nope", 3), (TypeError,
     ValueError))
rows("OptimizerPlayground(lr)", "learning rate", lambda bad: OptimizerPlayground(lr=bad), (0.0, -1.0, NAN),
     ValueError)
rows("OptimizerPlayground(lr) kind", "learning rate", lambda bad: OptimizerPlayground(lr=bad),
     ("0.1", None), TypeError)
rows("OptimizerPlayground(beta)", "momentum β", lambda bad: OptimizerPlayground(beta=bad), (1.0, -0.5),
     ValueError)
rows("OptimizerPlayground(batch_size)", "batch size", lambda bad: OptimizerPlayground(batch_size=bad),
     NOT_POSITIVE, ValueError)
rows("OptimizerPlayground(steps)", "steps", lambda bad: OptimizerPlayground(steps=bad), (1.5, "60"),
     TypeError)
rows("OptimizerPlayground(steps) value", "steps", lambda bad: OptimizerPlayground(steps=bad), (-1,),
     ValueError)
rows("OptimizerPlayground(seed)", "seed", lambda bad: OptimizerPlayground(seed=bad), (-1,), ValueError)
rows("OptimizerPlayground(start)", "start", lambda bad: OptimizerPlayground(start=bad),
     ((NAN, 0.0), (1.0, 2.0, 3.0)), (TypeError, ValueError))
rows("OptimizerPlayground.path(optimizer)", "optimizer", lambda bad: OptimizerPlayground().path(bad),
     ("Newton", None), ValueError)
rows("TrainingMonitor(total_steps)", "total_steps", lambda bad: TrainingMonitor(bad, display="text"),
     (1.5, "10", None), TypeError)
rows("TrainingMonitor(total_steps) value", "total_steps", lambda bad: TrainingMonitor(bad, display="text"),
     NOT_POSITIVE, ValueError)
rows("TrainingMonitor(every)", "every", lambda bad: TrainingMonitor(10, every=bad, display="text"),
     NOT_POSITIVE, ValueError)
rows("TrainingMonitor(display)", "display", lambda bad: TrainingMonitor(10, display=bad), NOT_A_CHOICE,
     ValueError)
rows("TrainingMonitor(min_interval)", "min_interval",
     lambda bad: TrainingMonitor(10, min_interval=bad, display="text"), (-1.0, NAN), ValueError)
rows("TrainingMonitor.update(loss)", "loss",
     lambda bad: TrainingMonitor(10, display="text", stream=_Discard()).update(1, bad), ("ab", None, [1.0]),
     TypeError)


class _Discard:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


# --------------------------------------------------------------------------------------------------
# The table test
# --------------------------------------------------------------------------------------------------

KNOWN_ISSUES: dict[str, str] = {}  # row id -> reason, for a row that is expected to fail (strict xfail)


def _table_params() -> list:
    params = []
    for case in CASES:
        reason = KNOWN_ISSUES.get(case.id)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(case, id=case.id, marks=marks))
    return params


def test_every_known_issue_is_a_row_of_the_table() -> None:
    ids = {case.id for case in CASES}
    assert set(KNOWN_ISSUES) <= ids, set(KNOWN_ISSUES) - ids


@pytest.mark.parametrize("case", _table_params())
def test_bad_input_gets_a_clear_error_from_the_library(case: Case) -> None:
    with pytest.raises(Exception) as excinfo:
        case.call(case.bad)
    assert isinstance(excinfo.value, case.error), (
        f"expected {case.error}, got {type(excinfo.value).__name__}: {excinfo.value}")
    assert_raised_by_the_library(excinfo)
    message = str(excinfo.value)
    assert case.argument.lower() in message.lower(), f"the message does not name {case.argument!r}: {message}"


def test_the_table_covers_every_public_entry_point_of_the_readme() -> None:
    """Every function and class the README's API sections name has rows in the table."""
    entries = " ".join(case.entry for case in CASES)
    public = [
        "Value(", "Dual(", "Tensor(", "softmax(", "log_softmax(", "primal(", "dot(", "value_sum(",
        *(f"{name}(x)" for name in ("exp", "log", "sin", "cos", "tanh", "sigmoid", "relu")),
        "derivative(", "grad(", "value_and_grad(", "jvp(", "jacobian(", "vjp(", "hvp(", "hessian(",
        "primitive(", "stop_gradient(", "checkpoint(", "numerical_derivative(", "numerical_grad(",
        "gradcheck(",
        "nn.Neuron(", "nn.Layer(", "nn.MLP(", "nn.ShallowNet(", "nn.Linear(", "nn.Sequential(", "nn.ReLU(",
        "nn.Tanh(", "nn.Sigmoid(",
        *(f"losses.{name}(" for name in ("gaussian_nll", "mse", "bernoulli_nll", "bce", "bce_with_logits",
                                         "categorical_nll", "cross_entropy", "softmax", "log_softmax",
                                         "likelihood", "log_likelihood")),
        "optim.SGD(", "optim.Momentum(", "optim.Adam(", "optim.RandomSearch(",
        *(f"data.{name}(" for name in ("line", "parabola", "falling_objects", "two_moons", "spirals",
                                       "minibatches")),
        "symbolic.Var(", "symbolic.diff(", "symbolic.size(", "symbolic.simplify(", "symbolic.swell_table(",
        *(f"viz.{name}(" for name in ("draw_graph", "forward_trace", "reverse_trace",
                                      "plot_function_and_derivative", "plot_fd_error", "plot_loss_surface",
                                      "plot_trajectories", "plot_fit", "plot_shallow_net",
                                      "plot_decision_boundary", "plot_training_curves",
                                      "plot_expression_swell",
                                      "loss_landscape_slice", "plot_loss_landscape")),
        "SecantExplorer(", "FiniteDifferenceExplorer(", "ShallowNetExplorer(", "BackpropStepper(",
        "OptimizerPlayground(", "TrainingMonitor(",
    ]
    missing = [name for name in public if name not in entries]
    assert not missing, missing
    assert len(CASES) > 500


# --------------------------------------------------------------------------------------------------
# Generated garbage: each entry point works or gives a TypeError/ValueError of its own
# --------------------------------------------------------------------------------------------------

_NESTED = st.recursive(st.floats() | st.integers(-3, 3) | st.text(max_size=2) | st.none(),
                       lambda inner: st.lists(inner, max_size=3), max_leaves=6)
GARBAGE = st.one_of(
    st.text(max_size=6), st.none(), st.booleans(), st.complex_numbers(), _NESTED,
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.integers(min_value=10 ** 18) | st.integers(max_value=-(10 ** 18)) | st.just(10 ** 400),
    st.just(NAN), st.floats(), st.integers(-5, 5),
)
"""Text, None, bools, complex numbers, nested (possibly ragged) lists, dicts, huge ints, nan and floats."""

def _huge_int(g: Any) -> bool:
    return isinstance(g, int) and not isinstance(g, bool) and abs(g) > 2 ** 63


def _size(g: Any) -> Any:
    """``g`` for a size argument, unless it holds a valid but enormous size (a model or data set of
    10**18 units is a valid request that only runs out of memory: not what this test is about)."""
    if isinstance(g, list):
        return [_size(item) for item in g]
    assume(not (isinstance(g, int) and 10 ** 4 < g <= sys.maxsize))
    return g


GARBAGE_TARGETS: dict[str, Callable[[Any], Any]] = {
    "Value(g)": lambda g: ad.Value(g),
    "Dual(g, g)": lambda g: ad.Dual(g, g),
    "Tensor(g)": lambda g: ad.Tensor(g),
    "Tensor + g": lambda g: tensor(2) + (g if not _huge_int(g) else 0.0),  # KNOWN_ISSUES: huge ints
    "exp(g)": lambda g: ad.exp(g),
    "relu(g)": lambda g: ad.relu(g),
    "softmax(g)": lambda g: ad.softmax(g),
    "derivative(sin, g)": lambda g: ad.derivative(ad.sin, g),
    "grad(sum of squares)(g)": lambda g: ad.grad(sum_of_squares)(g),
    "jacobian(v * 2, g)": lambda g: ad.jacobian(lambda v: v * 2.0, g),
    "numerical_derivative(sin, 1, h=g)": lambda g: ad.numerical_derivative(np.sin, 1.0, h=g),
    "gradcheck(sum of squares, g)": lambda g: ad.gradcheck(sum_of_squares, g),
    "nn.MLP(g, [2])": lambda g: nn.MLP(_size(g), [2]),
    "nn.MLP(2, g)": lambda g: nn.MLP(2, _size(g)),
    "nn.Linear(2, 2)(g)": lambda g: nn.Linear(2, 2)(g),
    "losses.mse(g, g)": lambda g: losses.mse(g, g),
    "losses.bce(g, [1.0])": lambda g: losses.bce(g, [1.0]),
    "losses.cross_entropy([[1, 2]], g)": lambda g: losses.cross_entropy([[1.0, 2.0]], g),
    "optim.SGD(params, lr=g)": lambda g: optim.SGD(value_params(), lr=g),
    "optim.Adam(params, betas=g)": lambda g: optim.Adam(value_params(), betas=g),
    "data.two_moons(g)": lambda g: data.two_moons(_size(g)),
    "data.minibatches(10, g)": lambda g: data.minibatches(10, g),
    "symbolic.Var(g)": lambda g: symbolic.Var(g),
    "symbolic.Var('x') * g": lambda g: symbolic.Var("x") * g,
    "viz.draw_graph(g)": lambda g: viz.draw_graph(g),
    "viz.plot_training_curves(g)": lambda g: viz.plot_training_curves(g),
    "SecantExplorer(sin, x=g)": lambda g: SecantExplorer(np.sin, x=g),
}


@pytest.mark.parametrize("name", list(GARBAGE_TARGETS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(garbage=GARBAGE)
def test_garbage_works_or_gets_an_error_of_the_library(name: str, garbage: Any) -> None:
    try:
        GARBAGE_TARGETS[name](garbage)
    except (TypeError, ValueError) as error:
        assert str(error).strip(), f"{name}: an empty message for {garbage!r}"
        assert_raised_by_the_library(pytest.ExceptionInfo.from_exception(error))
    finally:
        plt.close("all")


# --------------------------------------------------------------------------------------------------
# Valid but unusual input: numpy scalars and empty arrays work (as in numpy and PyTorch)
# --------------------------------------------------------------------------------------------------

def test_numpy_scalar_results_of_f_are_numbers() -> None:
    assert ad.numerical_derivative(lambda x: np.float32(x) ** 2, 1.5, h=np.float32(1e-3)) \
        == pytest.approx(3.0, rel=1e-3)
    np.testing.assert_allclose(ad.numerical_grad(lambda v: np.float32(np.sum(v ** 2)), np.array([1.0, 2.0]),
                                                 h=1e-2), [2.0, 4.0], rtol=1e-3)
    assert ad.derivative(lambda x: np.float32(5.0), 1.0) == 0.0
    assert ad.value_and_grad(lambda x: np.float64(2.0))(1.0) == (2.0, 0.0)
    for mode in ("forward", "reverse"):
        np.testing.assert_array_equal(
            ad.jacobian(lambda v: [v[0] * 2.0, np.float32(1.0)], [1.0, 2.0], mode=mode),
            [[2.0, 0.0], [0.0, 0.0]])
    assert ad.gradcheck(lambda v: v[0] * np.float32(2.0), [1.0]).ok


def test_numpy_scalar_settings_are_accepted() -> None:
    h = np.float32(1e-3)
    assert ad.numerical_derivative(np.sin, 0.0, h=h) == pytest.approx(1.0, rel=1e-6)
    assert ad.gradcheck(lambda v: (v * v).sum(), np.array([1.0, 2.0]), h=np.float64(1e-6),
                        atol=np.float32(1e-4)).ok
    mlp = nn.MLP(np.int64(2), [np.int64(3), np.int32(1)], seed=np.int64(1))
    assert isinstance(mlp([1.0, 2.0]), ad.Value)
    assert nn.Linear(np.int64(2), np.int32(3))(np.ones((4, 2))).shape == (4, 3)
    assert nn.ShallowNet(hidden=np.int64(2)).hidden == 2
    assert ad.Value(np.float32(1.5)).data == 1.5 and type(ad.Value(np.float32(1.5)).data) is float
    assert ad.Dual(np.float64(1.0), np.int32(1)).tangent == 1.0
    p = ad.Value(1.0)
    p.grad = 2.0
    optim.SGD([p], lr=np.float32(0.5)).step()
    assert p.data == 0.0
    assert data.two_moons(np.int64(10))[0].shape == (10, 2)
    assert data.spirals(n_per_class=np.int16(5), classes=np.int8(2))[0].shape == (10, 2)
    assert len(data.minibatches(np.int64(10), np.int64(5))) == 2


def test_empty_inputs_give_empty_results() -> None:
    empty = np.zeros(0)
    for mode in ("forward", "reverse"):
        result = ad.jacobian(lambda v: v * 2.0, empty, mode=mode, return_passes=True)
        assert result.matrix.shape == (0, 0) and result.passes == 0
    assert ad.numerical_grad(lambda v: float(np.sum(v)), empty).shape == (0,)
    check = ad.gradcheck(lambda v: np.sum(v * v), empty)
    assert check.ok and check.analytic.shape == (0,) and "no inputs" in str(check)
    assert np.shape(ad.grad(lambda v: np.sum(v))(empty)) == (0,)

    t = ad.Tensor(np.zeros(0), requires_grad=True)
    s = ad.softmax(t)
    assert s.shape == (0,)
    s.sum().backward()
    assert t.grad.shape == (0,)
    rows = ad.Tensor(np.zeros((2, 0)), requires_grad=True)
    out = ad.log_softmax(rows)
    assert out.shape == (2, 0)
    out.sum().backward()
    assert rows.grad.shape == (2, 0)
    assert ad.exp(empty).shape == (0,) and ad.relu([]).shape == (0,)
