"""Chapter 00: how the exercises work."""

from . import assert_close, exercise


@exercise("00.warm_up", kind="predict", prompt="What is 2 * 3 * (3 + 1)?")
def warm_up(answer):
    assert_close(answer, 24.0)
    return "e = (a*b)*(b+1) at a = 2, b = 3 is 24; you will meet it again in chapter 05"


warm_up.solution(24)
