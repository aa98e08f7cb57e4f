"""Neural network building blocks: ``Module``, the scalar ``Neuron``, ``Layer``, ``MLP``, ``ShallowNet``
(its formula, for Values, numbers and arrays: ``shallow_net_output``; its ReLU joints:
``shallow_net_joints``), and the Tensor layers ``Linear``, ``Sequential``, ``ReLU``, ``Tanh``, ``Sigmoid``."""

from .module import Module
from .scalar import (
    ACTIVATIONS,
    MLP,
    Layer,
    Neuron,
    ShallowNet,
    activation_function,
    shallow_net_joints,
    shallow_net_output,
)
from .tensor import Linear, ReLU, Sequential, Sigmoid, Tanh

__all__ = ["Module", "Neuron", "Layer", "MLP", "ShallowNet", "ACTIVATIONS", "activation_function",
           "shallow_net_output", "shallow_net_joints",
           "Linear", "Sequential", "ReLU", "Tanh", "Sigmoid"]
