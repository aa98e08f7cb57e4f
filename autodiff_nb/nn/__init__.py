"""Neural network building blocks: ``Module`` and the scalar ``Neuron``, ``Layer``, ``MLP``, ``ShallowNet``."""

from .module import Module
from .scalar import ACTIVATIONS, MLP, Layer, Neuron, ShallowNet, activation_function

__all__ = ["Module", "Neuron", "Layer", "MLP", "ShallowNet", "ACTIVATIONS", "activation_function"]
