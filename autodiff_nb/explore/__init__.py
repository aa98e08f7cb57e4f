"""The explorers' compute objects: state and numbers, without ipywidgets or matplotlib figures.

Each interactive explorer of :mod:`autodiff_nb.widgets` is a thin view over one of these objects,
which can be used (and tested) on its own, in a script or a terminal:

- ``derivatives``: ``SecantExplorer`` (difference quotients and their errors, from ``numerical`` and
  forward mode) and ``FiniteDifferenceExplorer`` (error against h, best steps, regimes, from
  ``numerical.finite_difference_errors``);
- ``shallow_net``: ``ShallowNetExplorer``, the 3-unit shallow net by named parameters
  (``nn.shallow_net_output``);
- ``stepper``: ``BackpropStepper``, a forward or reverse sweep row by row (``viz.forward_trace`` /
  ``viz.reverse_trace``);
- ``descent``: the loss surfaces (``SURFACES``, ``LossSurface``) and the optimizer runs (``descend``,
  ``Path``, with ``optim``); ``playground``: ``OptimizerPlayground``, three runs cached by setting.

Layers: these modules use the maths (numerical, nn, optim, transforms); the stepper also uses viz's
trace tables and Graphviz drawing. Nothing here imports ipywidgets.
"""

from .derivatives import FiniteDifferenceExplorer, SecantExplorer
from .descent import SURFACES, LossSurface, Path, descend, get_surface
from .playground import OptimizerPlayground
from .shallow_net import ShallowNetExplorer, parameter_names
from .stepper import BackpropStepper, product_example, sum_of_products_example

__all__ = [
    "SecantExplorer", "FiniteDifferenceExplorer", "ShallowNetExplorer", "parameter_names",
    "BackpropStepper", "product_example", "sum_of_products_example",
    "OptimizerPlayground", "SURFACES", "LossSurface", "Path", "descend", "get_surface",
]
