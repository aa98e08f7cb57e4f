"""Self-checking exercises for the course notebooks.

Each chapter registers its exercises in ``autodiff_nb/exercises/chNN.py``. A notebook cell then looks like::

    prediction = ...
    check("00.warm_up", prediction)

``check`` never raises: an untouched answer (``...``, ``None``, or code that still contains ``...``)
prints "Not done yet", a wrong answer prints what went wrong and a hint, a right one "Correct".
A wrong *predict* answer never shows the expected value at once: it gets a hint, and the answer only
after ``TRIES_BEFORE_ANSWER`` wrong tries or on request, ``solution("00.warm_up")``. The test-suite
proves that every registered solution passes its own check.

A *predict* exercise (a value to work out) is one registration::

    predict("00.warm_up", "What is 2 * 3 * (3 + 1)?", answer=24,
            hint="work out 2 * 3 and 3 + 1 first, then multiply them",
            why="2 * 3 = 6 and 3 + 1 = 4, so the product is 24")

(``form=`` says what kind of answer it takes: ``number`` by default, or ``choice``, ``numbers``,
``shapes`` from ``answers.py``; ``tolerance=`` how close a number must be.)

An *implement* exercise (a function to write) has a check that raises ``AssertionError`` with a
helpful message when the function is wrong and returns a short string when it is right::

    @implement("02.forward_difference", "Write the forward difference (f(x + h) - f(x)) / h.",
               hint="evaluate f at x and at x + h, subtract, divide by h")
    def _(answer):
        assert_close(answer(lambda x: x ** 2, 3.0, 1e-6), 6.0, tol=1e-4)
        return "it matches 2x at x = 3"

    @_.solution
    def forward_difference(f, x, h):
        return (f(x + h) - f(x)) / h

The check gets the learner's function wrapped so that an exception inside it is reported with the
input that caused it, followed by the hint.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .answers import AnswerRaised, BadForm, Form, assert_close, choice, number, numbers, shapes, traced

__all__ = ["Exercise", "predict", "implement", "check", "solution", "assert_close", "all_exercises",
           "NotDone", "number", "choice", "numbers", "shapes", "TRIES_BEFORE_ANSWER"]

TRIES_BEFORE_ANSWER = 3


class NotDone(Exception):
    """Raise it (or leave ``...``) in an exercise you have not solved yet."""


@dataclass
class Exercise:
    """One exercise: its id (``'CC.name'``, CC the chapter number), its check and its solution."""

    id: str
    kind: str  # "predict" (a value to work out) or "implement" (a function to write)
    prompt: str
    hint: str
    checker: Callable[[Any], Any]  # raises AssertionError when wrong; returns what a right answer is told
    reference: Any = None
    has_solution: bool = False
    why: str = ""  # predict: the explanation that comes with the answer
    wrong_tries: int = field(default=0, compare=False)

    def solution(self, reference: Any) -> Any:
        """Decorator/setter registering the reference solution (a function or a value)."""
        self.reference = reference
        self.has_solution = True
        return reference


_REGISTRY: dict[str, Exercise] = {}


def _register(ex: Exercise) -> Exercise:
    if ex.id in _REGISTRY:
        raise ValueError(f"exercise {ex.id!r} is registered twice")
    _REGISTRY[ex.id] = ex
    return ex


class _Wrong(AssertionError):
    """A well-formed predict answer that is wrong; ``hint`` is the hint for this particular mistake."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def predict(exercise_id: str, prompt: str, *, answer: Any, why: str, hint: str,
            hints: Mapping[str, str] | None = None, form: Form = number,
            tolerance: float = 1e-6) -> Exercise:
    """Register a predict exercise: ``answer`` is right, ``why`` explains it, ``hint`` helps after a
    wrong try (``hints`` maps a particular mistake, as ``form`` names it, to a better hint)."""
    expected = form.read(answer)

    def checker(given: Any) -> str:
        value = form.read(given)
        mistakes = form.mistakes(value, expected, tolerance)
        if mistakes:
            special = [hints[m] for m in mistakes if hints and m in hints]
            raise _Wrong(form.wrong(value, mistakes), special[0] if special else hint)
        return why

    ex = _register(Exercise(exercise_id, "predict", prompt, hint, checker, why=why))
    ex.solution(answer)
    return ex


def implement(exercise_id: str, prompt: str, *, hint: str) -> Callable[[Callable], Exercise]:
    """Register the decorated check function as implement exercise ``exercise_id``."""

    def register(checker: Callable[[Any], Any]) -> Exercise:
        return _register(Exercise(exercise_id, "implement", prompt, hint, checker))

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


class _Silent:
    """Shows nothing as a cell's last value: the printed message already said everything."""

    __slots__ = ()

    def _ipython_display_(self) -> None:
        return None


class Verdict(_Silent):
    """The result of ``check``: truthy when the answer is right."""

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


def check(exercise_id: str, answer: Any, quiet: bool = False) -> Verdict:
    """Check ``answer`` for exercise ``exercise_id``; print the verdict. The result is truthy if right."""
    passed, message = _check(get(exercise_id), answer)
    if not quiet:
        print(message)
    return Verdict(passed)


def _check(ex: Exercise, answer: Any) -> tuple[bool, str]:
    """Whether ``answer`` is right, and what to tell the learner."""
    if _is_untouched(answer):
        return False, (f"⏳ Not done yet ({ex.id}): replace the ... with your answer and run the cell "
                       f"again. Stuck? solution({ex.id!r}) shows one way.")
    not_yet = f"❌ Not yet ({ex.id}): "
    if ex.kind == "implement" and callable(answer):
        name = getattr(answer, "__name__", "<lambda>")
        name = ex.id.partition(".")[2] if name == "<lambda>" else name  # the name the prompt uses
        answer = traced(answer, name, passthrough=(NotDone,))
    try:
        detail = ex.checker(answer)
    except NotDone:
        return False, f"⏳ Not done yet ({ex.id})."
    except BadForm as error:  # not counted as a try: the answer did not say anything yet
        return False, f"{not_yet}{error}."
    except _Wrong as error:
        ex.wrong_tries += 1
        if ex.wrong_tries >= TRIES_BEFORE_ANSWER:
            return False, (f"{not_yet}{error}.\nAfter {ex.wrong_tries} tries, here is the answer: "
                           f"{_answer_text(ex)}")
        left = TRIES_BEFORE_ANSWER - ex.wrong_tries
        return False, (f"{not_yet}{error}.\nHint: {_sentence(error.hint)}\nTry again ({left} more "
                       f"{'try' if left == 1 else 'tries'} before the answer is shown), "
                       f"or run solution({ex.id!r}).")
    except (AssertionError, AnswerRaised) as error:
        return False, f"{not_yet}{_sentence(str(error))}\nHint: {_sentence(ex.hint)}"
    except Exception as error:  # a learner's bug must not stop the notebook
        after = getattr(answer, "last_call", "")
        where = f"checking what {after} returned" if after else "checking your answer"
        return False, (f"{not_yet}{where} raised {type(error).__name__}: {_sentence(str(error))}\n"
                       f"Hint: {_sentence(ex.hint)}")
    return True, f"✅ Correct ({ex.id})" + (f": {detail}" if isinstance(detail, str) and detail else ".")


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def _answer_text(ex: Exercise) -> str:
    return f"{ex.reference!r}, because {ex.why}." if ex.why else repr(ex.reference)


class Solution(_Silent):
    """What ``solution`` returns: the reference in ``.value`` (callable like it when it is a function),
    silent as a cell's last value so the answer is shown once, by the print."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.value(*args, **kwargs)

    def __eq__(self, other: object) -> bool:
        return self.value == (other.value if isinstance(other, Solution) else other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Solution({self.value!r})"


def solution(exercise_id: str) -> Solution:
    """Print the reference solution of an exercise once; the result holds it in ``.value``."""
    ex = get(exercise_id)
    if not ex.has_solution:
        raise KeyError(f"exercise {exercise_id!r} has no reference solution")
    if callable(ex.reference):
        lines = textwrap.dedent(inspect.getsource(ex.reference)).rstrip().splitlines()
        while lines and lines[0].startswith("@"):  # registration decorators are not part of the answer
            lines.pop(0)
        print("\n".join(lines))
    else:
        print(f"{exercise_id}: {_answer_text(ex)}")
    return Solution(ex.reference)
