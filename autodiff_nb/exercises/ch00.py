"""Chapter 00: how the exercises work."""

from . import assert_close, exercise


@exercise("00.warm_up", kind="predict", prompt="What is 2 * 3 * (3 + 1)?")
def warm_up(answer):
    assert_close(answer, 24.0)
    return "e = (a*b)*(b+1) at a = 2, b = 3 is 24; you will meet it again in chapter 05"


warm_up.solution(24)


@exercise("00.average", kind="implement",
          prompt="Write average(numbers): the sum of a non-empty list of numbers divided by "
                 "how many there are.")
def _(answer):
    cases = (([2.0, 4.0], 3.0), ([1, 2, 3, 4], 2.5), ([-1.5], -1.5), ([0.1] * 10, 0.1))
    for numbers, expected in cases:
        assert_close(answer(list(numbers)), expected, what=f"average({numbers})")
    return "chapter 01 averages squared errors with exactly this"


def average(numbers):
    return sum(numbers) / len(numbers)


_.solution(average)
