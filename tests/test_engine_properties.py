"""Reverse mode vs forward mode vs central differences on random expression graphs."""

import numpy as np
from expressions import inputs, resolve, run, steps
from hypothesis import given, settings

import autodiff_nb as ad


def _three_ways(program, xs):
    concrete = resolve(program, xs)

    leaves = [ad.Value(x) for x in xs]
    out = run(concrete, leaves)
    if isinstance(out, ad.Value):
        out.backward()
    reverse = np.array([leaf.grad for leaf in leaves])

    forward = np.array([
        ad.derivative(lambda t, k=k: run(concrete, [t if m == k else x for m, x in enumerate(xs)]), xs[k])
        for k in range(len(xs))
    ])
    numerical = ad.numerical_grad(lambda p: run(concrete, list(p)), np.array(xs), h=1e-6)
    value = run(concrete, list(xs))
    return value, out, reverse, forward, numerical


@settings(max_examples=300, deadline=None)
@given(steps, inputs)
def test_reverse_forward_and_numerical_agree(program, xs):
    value, out, reverse, forward, numerical = _three_ways(program, xs)
    assert float(out) == value  # the engines compute the same function
    np.testing.assert_allclose(reverse, forward, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(reverse, numerical, rtol=1e-4, atol=1e-5)


@settings(max_examples=100, deadline=None)
@given(steps, inputs)
def test_second_backward_accumulates(program, xs):
    concrete = resolve(program, xs)
    leaves = [ad.Value(x) for x in xs]
    out = run(concrete, leaves)
    if not isinstance(out, ad.Value):
        return
    out.backward()
    once = [leaf.grad for leaf in leaves]
    out.backward()
    np.testing.assert_allclose([leaf.grad for leaf in leaves], 2 * np.array(once), rtol=1e-12, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(steps, inputs)
def test_jacobian_modes_agree(program, xs):
    concrete = resolve(program, xs)

    def f(v):
        return [run(concrete, list(v)), v[0] * v[1] + ad.sin(v[2])]

    forward = ad.jacobian(f, xs, mode="forward", return_passes=True)
    reverse = ad.jacobian(f, xs, mode="reverse", return_passes=True)
    assert (forward.passes, reverse.passes) == (3, 2)
    np.testing.assert_allclose(forward.matrix, reverse.matrix, rtol=1e-9, atol=1e-9)
