"""Pictures and tables of automatic differentiation, for Jupyter (graphviz + matplotlib)."""
from .graph import draw_graph, graphviz_status
from .trace import forward_trace, reverse_trace
