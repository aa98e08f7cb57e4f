"""Interactive explorers for Jupyter. Each is a plain compute object (state + methods, testable
without a browser) and a thin ipywidgets view, returned ready to display by one call:

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

The loss surfaces and optimizer runs of the playground are in :mod:`autodiff_nb.widgets.descent`.
"""

from .derivative import SecantExplorer, derivative_explorer
from .descent import SURFACES, LossSurface, Path, descend
from .fd_error import FiniteDifferenceExplorer, fd_error_explorer
from .monitor import TrainingMonitor
from .playground import OptimizerPlayground, optimizer_playground
from .shallow_net import ShallowNetExplorer, shallow_net_explorer
from .stepper import BackpropStepper, backprop_stepper

__all__ = [
    "derivative_explorer", "SecantExplorer",
    "fd_error_explorer", "FiniteDifferenceExplorer",
    "shallow_net_explorer", "ShallowNetExplorer",
    "backprop_stepper", "BackpropStepper",
    "optimizer_playground", "OptimizerPlayground", "SURFACES", "LossSurface", "Path", "descend",
    "TrainingMonitor",
]
