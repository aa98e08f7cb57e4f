"""Every registered exercise: its reference solution passes, an untouched answer says 'not done yet'."""

import pytest

from autodiff_nb.exercises import all_exercises, check, solution

EXERCISES = all_exercises()


def test_there_are_exercises():
    assert len(EXERCISES) >= 1


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda ex: ex.id)
def test_reference_solution_passes(ex, capsys):
    assert ex.has_solution, f"{ex.id} has no solution"
    assert check(ex.id, ex.reference) is True
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda ex: ex.id)
def test_untouched_answer_is_not_done_yet(ex, capsys):
    assert check(ex.id, ...) is False
    assert "Not done yet" in capsys.readouterr().out


def test_untouched_function_body_is_not_done_yet(capsys):
    def answer(x):
        ...  # your code here

    assert check("00.warm_up", answer) is False
    assert "Not done yet" in capsys.readouterr().out


def test_wrong_answer_explains(capsys):
    assert check("00.warm_up", 25) is False
    assert "expected 24" in capsys.readouterr().out


def test_non_number_answer_explains(capsys):
    assert check("00.warm_up", "not a number") is False
    assert "should be a number" in capsys.readouterr().out


def test_solution_prints_reference(capsys):
    assert solution("00.warm_up") == 24
    assert "24" in capsys.readouterr().out
