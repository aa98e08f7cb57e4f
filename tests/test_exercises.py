"""Every registered exercise: its reference solution passes, an untouched answer says 'not done yet'."""

import pytest

from autodiff_nb.exercises import all_exercises, check, solution

EXERCISES = all_exercises()


def test_there_are_exercises():
    assert len(EXERCISES) >= 1


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda ex: ex.id)
def test_reference_solution_passes(ex, capsys):
    assert ex.has_solution, f"{ex.id} has no solution"
    assert check(ex.id, ex.reference)
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda ex: ex.id)
def test_untouched_answer_is_not_done_yet(ex, capsys):
    assert not check(ex.id, ...)
    assert "Not done yet" in capsys.readouterr().out


def test_untouched_function_body_is_not_done_yet(capsys):
    def answer(x):
        ...  # your code here

    assert not check("00.warm_up", answer)
    assert "Not done yet" in capsys.readouterr().out


def test_wrong_answer_explains(capsys):
    assert not check("00.warm_up", 25)
    assert "expected 24" in capsys.readouterr().out


def test_non_number_answer_explains(capsys):
    assert not check("00.warm_up", "not a number")
    assert "should be a number" in capsys.readouterr().out


def test_solution_prints_reference(capsys):
    assert solution("00.warm_up") == 24
    assert "24" in capsys.readouterr().out


def test_verdict_is_silent_in_a_notebook():
    from IPython.core.formatters import DisplayFormatter

    verdict = check("00.warm_up", 24, quiet=True)
    assert verdict  # truthy, yet a notebook shows nothing for it as a cell's last value
    assert DisplayFormatter().format(verdict) == ({}, {})
