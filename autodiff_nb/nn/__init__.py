"""Neural network building blocks: ``Module``, the scalar ``Neuron``, ``Layer``, ``MLP``, ``ShallowNet``,
and the Tensor layers ``Linear``, ``Sequential``, ``ReLU``, ``Tanh``, ``Sigmoid``."""

from .module import Module
from .scalar import ACTIVATIONS, MLP, Layer, Neuron, ShallowNet, activation_function
from .tensor import Linear, ReLU, Sequential, Sigmoid, Tanh

__all__ = ["Module", "Neuron", "Layer", "MLP", "ShallowNet", "ACTIVATIONS", "activation_function",
           "Linear", "Sequential", "ReLU", "Tanh", "Sigmoid"]
