"""The topological sort of a computation graph, written once for Value, Tensor and the drawings.

It is the iterative sort of chapter 07: depth-first search with an explicit stack of
``(node, children_pushed)`` pairs instead of recursion, so a chain of a million operations is fine.
A node is placed in the order the second time it comes off the stack, when all of its children are.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from typing import Any


def _children(node: Any) -> Sequence[Any]:
    return node.children


def topological_order(root: Any, children: Callable[[Any], Sequence[Any]] = _children) -> list:
    """Every node ``root`` depends on, each once, children before the nodes computed from them.

    ``children(node)`` gives a node's operands as a sequence (default: ``node.children``); the tensor
    engine passes a function that leaves out constants, where no gradient needs to flow.
    """
    order: list = []
    seen: set = set()
    stack: list = [(root, False)]
    collecting = gc.isenabled()
    gc.disable()  # the walk allocates a tuple per node and forms no cycles (1M nodes: 1.5 s -> 0.5 s)
    try:
        while stack:
            node, children_pushed = stack.pop()
            if children_pushed:
                order.append(node)  # its children are all in `order` by now
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))  # come back to it after its children
                for child in reversed(children(node)):  # reversed: the first child goes first
                    if child not in seen:
                        stack.append((child, False))
    finally:
        if collecting:
            gc.enable()
    return order
