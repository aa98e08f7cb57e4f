"""Interactive explorers for Jupyter. Each is a thin ipywidgets view over a plain compute object
(state + methods, in :mod:`autodiff_nb.explore`, usable without a browser or ipywidgets), returned
ready to display by one call:

=================================  ============================  ===============================
call                               compute object                what it shows
=================================  ============================  ===============================
``derivative_explorer(f, x, h)``   ``SecantExplorer``            secant -> tangent as h shrinks
``fd_error_explorer(f, x, h)``     ``FiniteDifferenceExplorer``  error against h, best h marked
``shallow_net_explorer(...)``      ``ShallowNetExplorer``        y, hidden units, joints, MSE
``backprop_stepper(root, mode)``   ``BackpropStepper``           a sweep, one node per Next
``optimizer_playground(surface)``  ``OptimizerPlayground``       GD, SGD, momentum; loss curves
``TrainingMonitor(total_steps)``   (itself)                      live loss curve, or plain text
=================================  ============================  ===============================

The compute objects, the loss surfaces (``SURFACES``, ``LossSurface``) and the optimizer runs
(``descend``, ``Path``) are re-exported here from :mod:`autodiff_nb.explore`.
"""

from ..explore import (
    SURFACES,
    BackpropStepper,
    FiniteDifferenceExplorer,
    LossSurface,
    OptimizerPlayground,
    Path,
    SecantExplorer,
    ShallowNetExplorer,
    descend,
)
from .derivative import derivative_explorer
from .fd_error import fd_error_explorer
from .monitor import TrainingMonitor
from .playground import optimizer_playground
from .shallow_net import shallow_net_explorer
from .stepper import backprop_stepper

__all__ = [
    "derivative_explorer", "SecantExplorer",
    "fd_error_explorer", "FiniteDifferenceExplorer",
    "shallow_net_explorer", "ShallowNetExplorer",
    "backprop_stepper", "BackpropStepper",
    "optimizer_playground", "OptimizerPlayground", "SURFACES", "LossSurface", "Path", "descend",
    "TrainingMonitor",
]
