"""Chapter 00: how the exercises work."""

from . import assert_close, implement, predict

predict("00.warm_up", "What is 2 * 3 * (3 + 1)?", answer=24,
        hint="work out 2 · 3 and 3 + 1 first, then multiply the two results",
        why="e = (a*b)*(b+1) at a = 2, b = 3 is 6 · 4 = 24; you will meet it again in chapter 05")


@implement("00.average", "Write average(numbers): the sum of a non-empty list of numbers divided by "
                         "how many there are.",
           hint="add the numbers up with sum(numbers), then divide by how many there are, len(numbers)")
def _(answer):
    cases = (([2.0, 4.0], 3.0), ([1, 2, 3, 4], 2.5), ([-1.5], -1.5), ([0.1] * 10, 0.1))
    for numbers, expected in cases:
        assert_close(answer(list(numbers)), expected, what=f"average({numbers})")
    return "chapter 01 averages squared errors with exactly this"


@_.solution
def average(numbers):
    return sum(numbers) / len(numbers)
