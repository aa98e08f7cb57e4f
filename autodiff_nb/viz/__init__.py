"""Pictures and tables of automatic differentiation for Jupyter.

Graphs (Graphviz)
    ``draw_graph(root, ...)``            the recorded graph, edges labelled with local partials
    ``graphviz_status()``                what renders graphs here ('system dot 2.43', ...)
Trace tables
    ``forward_trace(root, seed)``        tangents pushed from one input (forward mode)
    ``reverse_trace(root)``              adjoints pulled back from the output (reverse mode)
Plots (matplotlib; each takes ``ax=`` and returns the Axes, never calls ``plt.show()``)
    ``plot_function_and_derivative``, ``plot_fd_error``, ``plot_fit``, ``plot_shallow_net``,
    ``plot_decision_boundary``, ``plot_training_curves``, ``plot_expression_swell``,
    ``plot_loss_surface``, ``plot_trajectories``,
    ``loss_landscape_slice`` + ``plot_loss_landscape`` (Li et al. 2018 filter-normalised slices)

The engine never imports this package; it reads graphs only through the public node attributes.
This package only draws: the numbers come from the library (``numerical.finite_difference_errors``
is re-exported here for the course, the shallow network's formula is ``nn.shallow_net_output``).
"""

from ..numerical import FiniteDifferenceErrors, finite_difference_errors  # the numbers plot_fd_error draws
from .artists import find_artist
from .graph import GraphDrawing, draw_graph, graphviz_status, reset_graphviz_backend
from .landscape import (
    LandscapeSlice,
    filter_normalized_direction,
    loss_landscape_slice,
    plot_loss_landscape,
)
from .networks import plot_decision_boundary, plot_shallow_net, shallow_net, shallow_net_joints
from .plots import (
    plot_expression_swell,
    plot_fd_error,
    plot_fit,
    plot_function_and_derivative,
    plot_training_curves,
)
from .surfaces import LossGrid, loss_grid, plot_loss_surface, plot_trajectories
from .trace import ForwardRow, ForwardTrace, ReverseRow, ReverseTrace, forward_trace, reverse_trace

__all__ = [
    "draw_graph", "GraphDrawing", "graphviz_status", "reset_graphviz_backend",
    "forward_trace", "reverse_trace", "ForwardTrace", "ReverseTrace", "ForwardRow", "ReverseRow",
    "plot_function_and_derivative", "finite_difference_errors", "FiniteDifferenceErrors",
    "plot_fd_error", "plot_fit", "shallow_net", "shallow_net_joints", "plot_shallow_net",
    "plot_decision_boundary", "plot_training_curves", "plot_expression_swell",
    "loss_grid", "LossGrid", "plot_loss_surface", "plot_trajectories",
    "filter_normalized_direction", "loss_landscape_slice", "LandscapeSlice", "plot_loss_landscape",
    "find_artist",
]
