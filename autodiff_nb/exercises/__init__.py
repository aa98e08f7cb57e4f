"""Self-checking exercises for the course notebooks.

Each chapter registers its exercises in ``autodiff_nb/exercises/chNN.py``. A notebook cell then looks like::

    def my_derivative(f, x, h):
        ...  # your code here

    check("02.forward_difference", my_derivative)

``check`` never raises: an untouched answer (``...``, ``None``, or code that still contains ``...``)
prints a friendly "not done yet", a wrong answer prints what went wrong, a right one prints a tick.
``solution("02.forward_difference")`` shows the reference solution, and the test-suite proves that every
registered solution passes its own check.

Registering an exercise (in a chapter module)::

    @exercise("02.forward_difference", kind="implement",
              prompt="Write the forward difference (f(x + h) - f(x)) / h.")
    def _(answer):
        assert_close(answer(lambda x: x ** 2, 3.0, 1e-6), 6.0, tol=1e-4)
        return "it matches 2x at x = 3"

    @_.solution
    def forward_difference(f, x, h):
        return (f(x + h) - f(x)) / h

The check function raises ``AssertionError`` (with a helpful message) when the answer is wrong, and may
return a short string that is printed on success.
"""

from __future__ import annotations

import importlib
import inspect
import math
import pkgutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Exercise", "exercise", "check", "solution", "assert_close", "all_exercises", "NotDone"]


class NotDone(Exception):
    """Raise it (or leave ``...``) in an exercise you have not solved yet."""


@dataclass
class Exercise:
    """One exercise: its id (``'CC.name'``, CC the chapter number), its check and its solution."""

    id: str
    kind: str  # "predict" (a value to guess) or "implement" (a function to write)
    prompt: str
    checker: Callable[[Any], Any]
    reference: Any = None
    has_solution: bool = field(default=False)

    def solution(self, reference: Any) -> Any:
        """Decorator/setter registering the reference solution (a function or a value)."""
        self.reference = reference
        self.has_solution = True
        return reference


_REGISTRY: dict[str, Exercise] = {}


def exercise(exercise_id: str, kind: str = "implement", prompt: str = "") -> Callable[[Callable], Exercise]:
    """Register the decorated check function as exercise ``exercise_id``."""
    if kind not in ("predict", "implement"):
        raise ValueError(f"exercise kind must be 'predict' or 'implement', got {kind!r}")

    def register(checker: Callable[[Any], Any]) -> Exercise:
        if exercise_id in _REGISTRY:
            raise ValueError(f"exercise {exercise_id!r} is registered twice")
        ex = Exercise(exercise_id, kind, prompt, checker)
        _REGISTRY[exercise_id] = ex
        return ex

    return register


def _load_all() -> None:
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("ch"):
            importlib.import_module(f"{__name__}.{module.name}")


def get(exercise_id: str) -> Exercise:
    _load_all()
    try:
        return _REGISTRY[exercise_id]
    except KeyError:
        raise KeyError(f"no exercise called {exercise_id!r}; known: {sorted(_REGISTRY)}") from None


def all_exercises() -> list[Exercise]:
    """Every registered exercise, in id order."""
    _load_all()
    return [_REGISTRY[key] for key in sorted(_REGISTRY)]


def _is_untouched(answer: Any) -> bool:
    if answer is Ellipsis or answer is None:
        return True
    if callable(answer):
        try:
            body = inspect.getsource(answer)
        except (OSError, TypeError):
            return False
        code_lines = [line.split("#")[0].strip() for line in body.splitlines()[1:]]
        return any(line == "..." for line in code_lines)
    return False


class Verdict:
    """The result of ``check``: truthy when the answer is right, and silent as a cell's last value
    (the printed message already said everything)."""

    __slots__ = ("passed",)

    def __init__(self, passed: bool) -> None:
        self.passed = passed

    def __bool__(self) -> bool:
        return self.passed

    def __eq__(self, other: object) -> bool:
        return bool(self) == other if isinstance(other, (bool, Verdict)) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Verdict(passed={self.passed})"

    def _ipython_display_(self) -> None:  # show nothing in a notebook
        return None


def check(exercise_id: str, answer: Any, quiet: bool = False) -> Verdict:
    """Check ``answer`` for exercise ``exercise_id``; print the verdict. The result is truthy if right."""
    return Verdict(_check(exercise_id, answer, quiet))


def _check(exercise_id: str, answer: Any, quiet: bool) -> bool:
    ex = get(exercise_id)
    say = (lambda message: None) if quiet else print
    if _is_untouched(answer):
        say(f"⏳ Not done yet ({exercise_id}): replace the ... with your answer and run the cell again. "
            f"Stuck? solution({exercise_id!r}) shows one way.")
        return False
    try:
        detail = ex.checker(answer)
    except NotDone:
        say(f"⏳ Not done yet ({exercise_id}).")
        return False
    except AssertionError as error:
        say(f"❌ Not quite ({exercise_id}): {error}")
        return False
    except Exception as error:  # a learner's bug must not stop the notebook
        say(f"❌ Your answer raised {type(error).__name__}: {error}")
        return False
    say(f"✅ Correct ({exercise_id})" + (f": {detail}" if isinstance(detail, str) and detail else "."))
    return True


def solution(exercise_id: str) -> Any:
    """Print the reference solution of an exercise and return it (a function or a value)."""
    ex = get(exercise_id)
    if not ex.has_solution:
        raise KeyError(f"exercise {exercise_id!r} has no reference solution")
    if callable(ex.reference):
        lines = textwrap.dedent(inspect.getsource(ex.reference)).rstrip().splitlines()
        while lines and lines[0].startswith("@"):  # registration decorators are not part of the answer
            lines.pop(0)
        print("\n".join(lines))
    else:
        print(f"{exercise_id}: {ex.reference!r}")
    return ex.reference


def assert_close(actual: Any, expected: float, tol: float = 1e-6, what: str = "your answer") -> None:
    """Fail with a readable message unless ``actual`` is within ``tol`` of ``expected``.

    ``tol`` is both a relative and an absolute tolerance."""
    try:
        value = float(actual)
    except (TypeError, ValueError):
        raise AssertionError(f"{what} should be a number, got {type(actual).__name__} {actual!r}") from None
    if not math.isclose(value, expected, rel_tol=tol, abs_tol=tol):
        raise AssertionError(f"{what} is {value:.6g}, expected {expected:.6g}")
