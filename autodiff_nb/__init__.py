"""autodiff_nb: automatic differentiation built from the ground up, for learning and for notebooks.

Engines
    ``Value``   scalar reverse mode (backpropagation)
    ``Dual``    scalar forward mode (dual numbers)
    ``Tensor``  reverse mode on numpy arrays

Elementwise functions that accept floats, arrays, Values, Duals and Tensors:
    ``exp, log, sin, cos, tanh, sigmoid, relu``

Function transformations (they nest: ``grad(grad(f))``): ``derivative, grad, value_and_grad, jvp,
jacobian, vjp, hvp, hessian``; your own rules: ``primitive, stop_gradient, checkpoint``;
finite differences: ``numerical_derivative, numerical_grad, gradcheck``;
switches: ``no_grad()``, ``detect_anomaly()``.

Sub-modules (imported on first use): ``nn``, ``losses``, ``optim``, ``data``, ``symbolic``, and the
Jupyter helpers ``viz`` (graphs, tables, plots), ``explore`` (the explorers' computations, no browser
needed) and ``widgets`` (interactive explorers).
"""

from __future__ import annotations

import importlib
from typing import Any

from .custom import checkpoint, primitive, stop_gradient
from .dual import Dual
from .engine import Value, dot, topological_order, value_sum
from .functions import cos, exp, log, primal, relu, sigmoid, sin, tanh
from .modes import AnomalyError, detect_anomaly, is_grad_enabled, no_grad
from .numerical import GradcheckResult, gradcheck, numerical_derivative, numerical_grad
from .tensor import Tensor, log_softmax, softmax
from .transforms import JacobianResult, derivative, grad, hessian, hvp, jacobian, jvp, value_and_grad, vjp

__version__ = "0.1.0"

_SUBMODULES = ("nn", "losses", "optim", "data", "symbolic", "viz", "explore", "widgets")


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'autodiff_nb' has no attribute {name!r}")


__all__ = [
    "Value", "Dual", "dot", "value_sum", "topological_order", "Tensor", "softmax", "log_softmax",
    "exp", "log", "sin", "cos", "tanh", "sigmoid", "relu", "primal",
    "derivative", "grad", "value_and_grad", "jvp", "jacobian", "JacobianResult",
    "vjp", "hvp", "hessian", "primitive", "stop_gradient", "checkpoint",
    "numerical_derivative", "numerical_grad", "gradcheck", "GradcheckResult",
    "no_grad", "is_grad_enabled", "detect_anomaly", "AnomalyError",
    *_SUBMODULES,
]
