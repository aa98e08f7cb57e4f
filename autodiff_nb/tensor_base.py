"""What a Tensor holds and how you read it: the array, its shape, its place in a graph.

Nothing here computes a new value (iteration goes through indexing): :class:`autodiff_nb.tensor.Tensor`
adds the operations and ``backward``. The fields are slots: a Tensor is created for every operation, so
it stays small.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from .modes import MODES
from .traced import Traced


class TensorData(Traced):
    """The fields of a Tensor node and the read-only views of them (see ``Tensor``)."""

    __slots__ = ("data", "grad", "requires_grad", "label", "_op", "_children", "_saved",
                 "_backward", "__weakref__")
    __array_ufunc__ = None  # make numpy hand `ndarray + Tensor` to Tensor.__radd__
    __array_priority__ = 1000.0  # tells Value/Dual to step aside (they return NotImplemented)

    data: np.ndarray
    grad: Any  # None, an array, or a Tensor after backward(create_graph=True)
    requires_grad: bool
    label: str

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def op(self) -> str:
        """The operation that produced this tensor ('' for a leaf)."""
        return self._op

    @property
    def children(self) -> tuple:
        """The operands this tensor was computed from, in order (duplicates kept)."""
        return self._children

    @property
    def is_leaf(self) -> bool:
        return not self._children

    def item(self) -> float:
        """The single number in a one-element tensor, as a Python float."""
        if self.data.size != 1:
            raise ValueError(
                f"item() needs a tensor with exactly one element, this one has shape {self.shape}"
            )
        return float(self.data.reshape(()))

    def __float__(self) -> float:
        if MODES.tracing and MODES.grad_enabled and self.requires_grad:
            raise TypeError(
                f"float() of a Tensor of shape {self.shape} inside a derivative would cut it out of the "
                "graph (a silent wrong derivative); a math-module function cannot see Tensors: use "
                "Tensor methods (t.sin(), t.exp(), ...) or read .item() explicitly"
            )
        return self.item()

    def numpy(self) -> np.ndarray:
        """A copy of the data as a plain numpy array (not tracked: changing it does not touch the
        graph). ``.data`` is the tensor's own array."""
        return self.data.copy()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        """Lets numpy and matplotlib read a tensor's numbers: ``np.asarray(t)``, ``plt.plot(t)``."""
        if copy:
            return np.array(self.data, dtype=dtype, copy=True)
        return np.asarray(self.data, dtype=dtype)

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (``None`` means zero)."""
        self.grad = None

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise ValueError(f"the truth value of a tensor of shape {self.shape} is ambiguous; "
                             "use (t.data > 0).any() or .all()")
        return bool(self.data.reshape(()))

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __iter__(self) -> Iterator[Any]:
        """The sub-tensors along the first axis, ``t[0], t[1], ...`` (as numpy; a 0-d tensor has none)."""
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self.data)))

    def __repr__(self) -> str:
        body = np.array2string(self.data, prefix="Tensor(", separator=", ", precision=4,
                               threshold=20)
        extras = ""
        if self.data.dtype != np.float64:
            extras += f", dtype={self.data.dtype}"
        if self.requires_grad:
            extras += ", requires_grad=True"
        if self.label:
            extras += f", label={self.label!r}"
        return f"Tensor({body}{extras})"

