"""Global switches shared by every engine: gradient recording and anomaly detection."""

from __future__ import annotations

import math
import os
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from .traced import Traced, TracedScalar, primal


class AnomalyError(FloatingPointError):
    """A NaN or an infinity appeared inside ``detect_anomaly()``; the message names the operation."""


class _Modes:
    """Plain class attributes: the engines read them on every operation, so they must be cheap."""

    grad_enabled: bool = True
    anomaly: bool = False
    tracing: int = 0  # how many derivative transforms (grad, derivative, ...) are running now


MODES = _Modes
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


@contextmanager
def no_grad() -> Iterator[None]:
    """Inside this block operations compute values only: no graph is recorded, nothing can be backpropagated.

    Use it for evaluation and for parameter updates, e.g. ``with no_grad(): loss = model(x)``.
    """
    previous = MODES.grad_enabled
    MODES.grad_enabled = False
    try:
        yield
    finally:
        MODES.grad_enabled = previous


@contextmanager
def tracing() -> Iterator[int]:
    """Inside a reverse-mode transform: record even under ``no_grad()``; yields the nesting depth."""
    previous = MODES.grad_enabled
    MODES.grad_enabled = True
    MODES.tracing += 1
    try:
        yield MODES.tracing
    finally:
        MODES.tracing -= 1
        MODES.grad_enabled = previous


def is_grad_enabled() -> bool:
    """True unless we are inside ``no_grad()``."""
    return MODES.grad_enabled


# --------------------------------------------------------------------------------------------------
# Anomaly mode
# --------------------------------------------------------------------------------------------------

class _AnomalyRecord:
    """What anomaly mode remembers about each node it saw being created."""

    __slots__ = ("index", "depth", "where")

    def __init__(self, index: int, depth: int, where: str) -> None:
        self.index, self.depth, self.where = index, depth, where


_records: dict[int, tuple[Any, _AnomalyRecord]] = {}


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Raise ``AnomalyError`` as soon as an operation produces NaN or inf, in the forward or backward pass.

    Outside this block the engines follow IEEE 754 silently (``log(0) = -inf``, ``0/0 = nan``), like numpy.
    Inside it every operation checks its result, and the error says which operation produced the bad
    number, from which inputs, how deep in the graph and at which line of your code it was recorded.
    Checking costs time, so use it for debugging, not for training.
    """
    previous = MODES.anomaly
    MODES.anomaly = True
    try:
        yield
    finally:
        MODES.anomaly = previous
        if not previous:
            _records.clear()


def all_finite(x: Any) -> bool:
    """True when ``x`` (a float or an array) holds no NaN and no infinity."""
    x = _plain(x)
    if isinstance(x, float):
        return math.isfinite(x)
    return bool(np.all(np.isfinite(x)))


def _plain(x: Any) -> Any:
    """The numbers inside a traced value (a create_graph gradient, a nested Dual)."""
    if isinstance(x, TracedScalar):
        return primal(x)
    if isinstance(x, Traced):
        return x.data
    return x


def _user_frame() -> str:
    """The innermost stack frame outside this package: the line of user code that recorded the op."""
    for frame in reversed(traceback.extract_stack()[:-1]):
        if not os.path.abspath(frame.filename).startswith(_PACKAGE_DIR):
            return f"{frame.filename}:{frame.lineno} ({frame.line})"
    return "<unknown>"


def _describe(node: Any) -> str:
    label = getattr(node, "label", "")
    op = getattr(node, "op", "")
    kind = f"leaf {label!r}" if not op else f"result of {op!r}" + (f" {label!r}" if label else "")
    record = _records.get(id(node))
    if record is not None and record[0] is node:
        kind += f" (operation #{record[1].index}, depth {record[1].depth})"
    return kind


def _brief(x: Any) -> str:
    x = _plain(x)
    if isinstance(x, float):
        return f"{x:.6g}"
    arr = np.asarray(x)
    bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
    return f"array of shape {arr.shape} ({bad} non-finite)"


def check_forward(node: Any, op: str, output: Any, inputs: Sequence[Any]) -> None:
    """Called by the engines in anomaly mode right after ``node`` was computed from ``inputs``."""
    depth = 0  # a leaf sits at depth 0; a node one above its deepest input
    for parent in inputs:
        record = _records.get(id(parent))
        known = record is not None and record[0] is parent
        depth = max(depth, record[1].depth + 1 if known else 1)
    info = _AnomalyRecord(len(_records) + 1, depth, _user_frame())
    _records[id(node)] = (node, info)
    if all_finite(output):
        return
    values = ", ".join(_brief(getattr(p, "data", getattr(p, "primal", p))) for p in inputs)
    already_bad = [
        f"input {i} ({_describe(p)}) is already non-finite"
        for i, p in enumerate(inputs)
        if not all_finite(getattr(p, "data", getattr(p, "primal", p)))
    ]
    cause = "; ".join(already_bad) if already_bad else "its inputs were finite, so this operation produced it"
    raise AnomalyError(
        f"forward pass: operation {op!r} produced {_brief(output)} from input(s) ({values}); {cause}. "
        f"It is operation #{info.index} recorded in anomaly mode, depth {depth} above the leaves, "
        f"recorded at {info.where}."
    )


def check_backward(node: Any, child_index: int, child: Any, contribution: Any, upstream: Any,
                   total: Any = None) -> None:
    """Called in anomaly mode for each gradient contribution ``node`` sends to ``child``.

    ``total`` is the child's gradient after adding the contribution: finite contributions can still
    add up to an infinity.
    """
    if all_finite(contribution) and (total is None or all_finite(total)):
        return
    record = _records.get(id(node))
    where = f", recorded at {record[1].where}" if record is not None and record[0] is node else ""
    what = (f"sent {_brief(contribution)}" if not all_finite(contribution)
            else f"sent a finite gradient, but the sum of that input's gradients became {_brief(total)},")
    raise AnomalyError(
        f"backward pass: the derivative rule of operation {node.op!r} ({_describe(node)}{where}) {what} "
        f"to its input {child_index} ({_describe(child)}); the incoming gradient was {_brief(upstream)}."
    )


# --------------------------------------------------------------------------------------------------
# numpy's floating-point error state: IEEE results without warnings
# --------------------------------------------------------------------------------------------------

# Entering ``np.errstate(all="ignore")`` costs about three times as much as multiplying two 10x10
# arrays, and elementwise operations run by the thousand. On numpy 2 we set the same error state
# through the context variable that np.errstate itself uses; other numpy versions use np.errstate.
try:
    from numpy._core._ufunc_config import _extobj_contextvar, _make_extobj

    _QUIET_STATE = _make_extobj(all="ignore")

    def quiet() -> Any:
        """Start ignoring floating point warnings (IEEE results, no warnings); see ``restore``."""
        return _extobj_contextvar.set(_QUIET_STATE)

    def restore(token: Any) -> None:
        """Undo the matching ``quiet()``."""
        _extobj_contextvar.reset(token)
except ImportError:  # pragma: no cover - numpy 1.x
    def quiet() -> Any:
        state = np.errstate(all="ignore")
        state.__enter__()
        return state

    def restore(token: Any) -> None:
        token.__exit__(None, None, None)
