"""Property tests: Tensor gradients against central differences and against the scalar Value engine.

Hypothesis draws the *structure* (shapes, operations, axes, indices) and a seed; the numbers come
from a seeded numpy generator. That keeps the values generic (no shrinking onto a kink of relu or
max) while every failure stays reproducible.
"""

import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes

import autodiff_nb as ad
from autodiff_nb import Tensor, losses
from autodiff_nb.tensor import gradients, log_softmax, softmax

seeds = st.integers(0, 2**32 - 1)
RTOL, ATOL = 1e-5, 1e-7


def central_differences(f, arrays, h=1e-6):
    """d f(arrays) / d arrays[k], for every k, by central differences (f returns a float)."""
    def partial(k):
        return ad.numerical_grad(lambda x: float(f([*arrays[:k], x, *arrays[k + 1:]])), arrays[k], h=h)

    return [partial(k) for k in range(len(arrays))]


def check_gradients(build, arrays, rng):
    """``build(tensors) -> Tensor``; compare autodiff gradients of a random weighting of its output
    with central differences, for every leaf."""
    arrays = [np.array(a, dtype=float) for a in arrays]  # rng.uniform(size=()) gives a plain float
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning may leak
        leaves = [Tensor(a, requires_grad=True) for a in arrays]
        out = build(leaves)
        weights = rng.uniform(-1.0, 1.0, size=out.shape)
        (out * weights).sum().backward()

    def f(values):
        with ad.no_grad():
            return float((build([Tensor(v) for v in values]).data * weights).sum())

    numeric = central_differences(f, [a.copy() for a in arrays])
    for leaf, expected in zip(leaves, numeric, strict=True):
        got = np.zeros_like(leaf.data) if leaf.grad is None else leaf.grad
        assert got.shape == leaf.shape
        np.testing.assert_allclose(got, expected, rtol=RTOL, atol=ATOL)


# -- elementwise binary operations over broadcast shapes -------------------------------------------

BINARY = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "**": lambda a, b: a ** b,
}


@settings(max_examples=150, deadline=None)
@given(mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3),
       st.sampled_from(sorted(BINARY)), st.booleans(), seeds)
def test_broadcast_binary_gradients(shapes, op, number_on_left, seed):
    rng = np.random.default_rng(seed)
    shape_a, shape_b = shapes.input_shapes
    # keep / and ** away from their singularities: denominators and bases in [0.5, 2]
    a = rng.uniform(0.5, 2.0, size=shape_a)
    b = rng.uniform(0.5, 2.0, size=shape_b)
    if op != "**":
        b = b * rng.choice([-1.0, 1.0], size=shape_b)
    check_gradients(lambda t: BINARY[op](t[0], t[1]), [a, b], rng)
    # and with a plain number on one side
    number = 1.5
    if number_on_left:
        check_gradients(lambda t: BINARY[op](number, t[0]), [a], rng)
    else:
        check_gradients(lambda t: BINARY[op](t[0], number), [a], rng)


# -- random compositions ---------------------------------------------------------------------------

UNARY = {  # each keeps values in a moderate range so finite differences stay accurate
    "neg": lambda x: -x,
    "exp": lambda x: x.tanh().exp(),
    "log": lambda x: (x * x + 0.5).log(),
    "sin": lambda x: x.sin(),
    "cos": lambda x: x.cos(),
    "tanh": lambda x: x.tanh(),
    "sigmoid": lambda x: x.sigmoid(),
    "relu": lambda x: x.relu(),
    "pow": lambda x: (x.sigmoid() + 0.5) ** 1.7,
}
SAFE_BINARY = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / (b * b + 1.0),
    "**": lambda a, b: (a.sigmoid() + 0.5) ** b.tanh(),
}
REDUCE = ("sum", "mean", "max")

step = st.one_of(
    st.tuples(st.just("unary"), st.sampled_from(sorted(UNARY)), st.integers(0, 50)),
    st.tuples(st.just("binary"), st.sampled_from(sorted(SAFE_BINARY)), st.integers(0, 50),
              st.integers(0, 50)),
    st.tuples(st.just("reduce"), st.sampled_from(REDUCE), st.integers(0, 50), st.integers(0, 2)),
)


def run_program(program, leaves):
    """Each step appends a new tensor computed from earlier ones (chosen by index modulo the pool).

    Every tensor in the pool stays broadcastable to the leaves' common shape: elementwise results
    are broadcasts, and reductions keep their axes (keepdims=True).
    """
    pool = list(leaves)
    for instruction in program:
        kind = instruction[0]
        if kind == "unary":
            _, name, i = instruction
            pool.append(UNARY[name](pool[i % len(pool)]))
        elif kind == "binary":
            _, name, i, j = instruction
            pool.append(SAFE_BINARY[name](pool[i % len(pool)], pool[j % len(pool)]))
        else:
            _, name, i, axis = instruction
            x = pool[i % len(pool)]
            axis = None if x.ndim == 0 else axis % x.ndim
            pool.append(getattr(x, name)(axis=axis, keepdims=True))
    return pool[-1]


@settings(max_examples=150, deadline=None)
@given(mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=3, max_side=3),
       st.lists(step, min_size=1, max_size=8), seeds)
def test_random_compositions_match_central_differences(shapes, program, seed):
    rng = np.random.default_rng(seed)
    arrays = [rng.uniform(-1.5, 1.5, size=s) for s in shapes.input_shapes]
    check_gradients(lambda t: run_program(program, t), arrays, rng)


# -- tensor-only operations ------------------------------------------------------------------------

@st.composite
def matmul_shapes(draw):
    n, k, m = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    batch = draw(mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2, max_side=2))
    kind = draw(st.sampled_from(["matrix", "vector_left", "vector_right", "both_vectors"]))
    a = batch.input_shapes[0] + (n, k)
    b = batch.input_shapes[1] + (k, m)
    if kind == "vector_left":
        a = (k,)
    elif kind == "vector_right":
        b = (k,)
    elif kind == "both_vectors":
        a, b = (k,), (k,)
    return a, b


@settings(max_examples=100, deadline=None)
@given(matmul_shapes(), seeds)
def test_matmul_gradients(shapes, seed):
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s) for s in shapes]
    check_gradients(lambda t: t[0] @ t[1], arrays, rng)


@st.composite
def shape_op_cases(draw):
    """A shape with a permutation of its axes, one axis, some (repeated) rows and a slice end."""
    shape = draw(array_shapes(min_dims=1, max_dims=3, max_side=4))
    ndim = len(shape)
    return (shape, tuple(draw(st.permutations(range(ndim)))), draw(st.integers(-ndim, ndim - 1)),
            draw(st.lists(st.integers(-shape[0], shape[0] - 1), min_size=1, max_size=5)),
            draw(st.integers(0, shape[-1])))


@settings(max_examples=100, deadline=None)
@given(shape_op_cases(), seeds)
def test_shape_ops_indexing_and_softmax_gradients(case, seed):
    shape, permutation, axis, rows, stop = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    ndim = len(shape)

    def build(t):
        y = t[0].transpose(permutation).reshape(-1)
        z = t[0][rows] if ndim == 1 else t[0][rows, ..., :stop]  # repeated rows collect gradients
        return (softmax(t[0], axis=axis) * 2.0 + log_softmax(t[0] * 0.5, axis=axis)).sum() \
            + (y * y).sum() + z.tanh().sum() + t[0].T.max(axis=0).sum()

    check_gradients(build, [x], rng)


# -- against the scalar Value engine ---------------------------------------------------------------

def value_array(a):
    return np.vectorize(ad.Value, otypes=[object])(a)


def grads_of(values):
    return np.vectorize(lambda v: v.grad, otypes=[float])(values)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 3), st.integers(1, 3), st.integers(2, 3),
       st.sampled_from(["tanh", "sigmoid", "relu", "sin"]), seeds)
def test_tensor_network_matches_value_engine(n, k, classes, activation, seed):
    rng = np.random.default_rng(seed)
    x, w = rng.standard_normal((n, k)), rng.standard_normal((k, classes))
    b = rng.standard_normal(classes)
    targets = rng.integers(0, classes, size=n)
    act = getattr(ad, activation)

    tw, tb = Tensor(w, requires_grad=True), Tensor(b, requires_grad=True)
    t_logits = act(Tensor(x) @ tw + tb) * 2.0
    t_loss = losses.cross_entropy(t_logits, targets) + (t_logits ** 2).mean() + t_logits.max()
    t_loss.backward()

    vw, vb = value_array(w), value_array(b)
    v_logits = act(x @ vw + vb) * 2.0
    squares = ad.value_sum(list((v_logits ** 2).reshape(-1)))
    v_loss = (losses.cross_entropy([list(r) for r in v_logits], targets.tolist())
              + squares / v_logits.size + max(v_logits.reshape(-1)))
    v_loss.backward()

    np.testing.assert_allclose(t_logits.data, np.vectorize(lambda v: v.data)(v_logits), rtol=1e-12)
    np.testing.assert_allclose(t_loss.item(), v_loss.data, rtol=1e-12)
    np.testing.assert_allclose(tw.grad, grads_of(vw), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(tb.grad, grads_of(vb), rtol=1e-9, atol=1e-12)


# -- second derivatives: reverse over reverse -------------------------------------------------------

def first_gradients(build, arrays, weights):
    """d sum(build(leaves) * weights) / d leaf for each leaf, as arrays (a plain backward pass)."""
    leaves = [Tensor(a, requires_grad=True) for a in arrays]
    out = (build(leaves) * weights).sum()
    return [np.zeros_like(a) if not out.requires_grad else g
            for a, g in zip(arrays, gradients(out, leaves), strict=True)]


def check_hessian_vector_products(build, arrays, rng, eps=1e-5):
    """Reverse-over-reverse H v (through a create_graph pass) against central differences of the
    first gradient along v: H v = (grad(x + eps v) - grad(x - eps v)) / (2 eps)."""
    arrays = [np.array(a, dtype=float) for a in arrays]
    directions = [rng.uniform(-1.0, 1.0, size=a.shape) for a in arrays]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        leaves = [Tensor(a, requires_grad=True) for a in arrays]
        out = build(leaves)
        weights = rng.uniform(-1.0, 1.0, size=out.shape)
        firsts = gradients((out * weights).sum(), leaves, create_graph=True)
        along_v = sum(((g * v).sum() for g, v in zip(firsts, directions, strict=True)
                       if isinstance(g, Tensor)), Tensor(0.0))
        hvps = gradients(along_v, leaves) if along_v.requires_grad else \
            [np.zeros_like(a) for a in arrays]
    plus = first_gradients(build, [a + eps * v for a, v in zip(arrays, directions, strict=True)],
                           weights)
    minus = first_gradients(build, [a - eps * v for a, v in zip(arrays, directions, strict=True)],
                            weights)
    for got, p, m in zip(hvps, plus, minus, strict=True):
        np.testing.assert_allclose(got, (p - m) / (2 * eps), rtol=1e-4, atol=1e-6)




@settings(max_examples=100, deadline=None)
@given(mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3),
       st.lists(step.filter(lambda s: s[1] != "relu"), min_size=1, max_size=6), seeds)
def test_hessian_vector_products_of_random_compositions(shapes, program, seed):
    rng = np.random.default_rng(seed)
    arrays = [rng.uniform(-1.5, 1.5, size=s) for s in shapes.input_shapes]
    check_hessian_vector_products(lambda t: run_program(program, t), arrays, rng)


@settings(max_examples=60, deadline=None)
@given(matmul_shapes(), seeds)
def test_hessian_vector_products_through_matmul(shapes, seed):
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s) for s in shapes]
    check_hessian_vector_products(lambda t: (t[0] @ t[1]).tanh() * (t[0] @ t[1]), arrays, rng)


@settings(max_examples=60, deadline=None)
@given(shape_op_cases(), seeds)
def test_hessian_vector_products_of_shape_ops_indexing_and_softmax(case, seed):
    shape, permutation, axis, rows, _ = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)

    def build(t):
        y = t[0].transpose(permutation).reshape(-1).sin()
        z = t[0][rows]  # repeated rows collect gradients
        return (softmax(t[0], axis=axis) * t[0]).sum() + log_softmax(t[0] * 0.5, axis=axis).exp().mean() \
            + (y * y).sum() + (z.tanh() * z).sum() + (t[0].T.max(axis=0) ** 2).sum() \
            + t[0].broadcast_to((2,) + shape).swapaxes(0, -1).sigmoid().mean(axis=0).sum()

    check_hessian_vector_products(build, [x], rng)
