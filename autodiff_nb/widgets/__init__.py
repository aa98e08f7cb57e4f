"""Interactive explorers for Jupyter, each a plain compute object plus a thin ipywidgets view."""

from .derivative import SecantExplorer, derivative_explorer
from .fd_error import FiniteDifferenceExplorer, fd_error_explorer

__all__ = ["SecantExplorer", "derivative_explorer", "FiniteDifferenceExplorer", "fd_error_explorer"]
