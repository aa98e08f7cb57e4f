"""The base class of every model: it finds its own parameters."""

from __future__ import annotations

from typing import Any


def _is_parameter(obj: Any) -> bool:
    from ..engine import Value

    return isinstance(obj, Value) or getattr(obj, "requires_grad", False) is True


class Module:
    """Anything with parameters. ``parameters()`` walks the attributes in the order they were set,
    descending into sub-modules, lists and tuples, and returns each parameter once.
    """

    def parameters(self) -> list[Any]:
        found: list[Any] = []
        seen: set[int] = set()
        stack: list[Any] = [self]
        while stack:  # depth-first, in attribute order
            obj = stack.pop()
            if _is_parameter(obj):
                if id(obj) not in seen:
                    seen.add(id(obj))
                    found.append(obj)
            elif isinstance(obj, Module):
                stack.extend(reversed(list(vars(obj).values())))
            elif isinstance(obj, (list, tuple)):
                stack.extend(reversed(obj))
        return found

    def zero_grad(self) -> None:
        """Reset every parameter's gradient before the next backward pass."""
        for p in self.parameters():
            if hasattr(p, "zero_grad"):
                p.zero_grad()
            else:
                p.grad = 0.0

    def num_parameters(self) -> int:
        return sum(int(getattr(p, "size", 1)) for p in self.parameters())
