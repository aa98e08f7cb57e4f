"""Chapter 07: building the engine (a small Value: stored partials, topological sort, backward)."""

import math
from types import SimpleNamespace

from . import assert_close, exercise


@exercise("07.grad_of_a_plus_a", kind="predict",
          prompt="a = Value(5.0); b = a + a; b.backward(). What is a.grad?")
def grad_of_a_plus_a(answer):
    assert_close(answer, 2.0, what="a.grad")
    return ("b has children (a, a), a tuple that keeps the duplicate: two edges, each adding 1·1, "
            "so a.grad = 2 = d(2a)/da")


grad_of_a_plus_a.solution(2.0)


@exercise("07.relu_alive", kind="predict",
          prompt="y = relu(w1*x + b1)*w2 + b2 with x = 2, w1 = 1, b1 = 1, w2 = 2, b2 = 0.5. "
                 "What is dy/dw1?")
def relu_alive(answer):
    assert_close(answer, 4.0, what="dy/dw1")
    return ("w1*x + b1 = 3 > 0, so ReLU passes the gradient (partial 1): dy/dw1 = w2 · 1 · x "
            "= 2 · 1 · 2 = 4")


relu_alive.solution(4.0)


@exercise("07.tanh", kind="implement",
          prompt="Write tanh(self) for the chapter's Value: the result's data is tanh(self.data), "
                 "its children (self,), its partials (1 - tanh²,), its op 'tanh'.")
def tanh_node(answer):
    for x in (0.0, 0.5, -2.0, 3.0):
        node = SimpleNamespace(data=x, grad=0.0, children=(), partials=(), op="", label="x")
        out = answer(node)
        t = math.tanh(x)
        for attribute in ("data", "children", "partials", "op"):
            assert hasattr(out, attribute), f"tanh should return a Value (with .{attribute})"
        assert_close(out.data, t, what=f"tanh(x).data at x = {x}")
        assert tuple(out.children) == (node,) and isinstance(out.children, tuple), (
            "the result's children should be the tuple (self,)")
        assert len(out.partials) == 1, "one child, so one partial"
        assert_close(out.partials[0], 1 - t * t, what=f"the partial d tanh/dx at x = {x}")
        assert out.op == "tanh", f"op should be 'tanh', got {out.op!r}"
    return "the local derivative 1 - tanh(x)² is stored now and used later by backward"


class Value:
    """The constructor of the Value built in chapter 07, so the reference reads as it does there."""

    def __init__(self, data, children=(), partials=(), op="", label=""):
        self.data = float(data)
        self.grad = 0.0
        self.children = tuple(children)
        self.partials = tuple(partials)
        self.op = op
        self.label = label


@tanh_node.solution
def tanh(self):
    t = math.tanh(self.data)
    return Value(t, children=(self,), partials=(1 - t * t,), op="tanh")


@exercise("07.overwrite_instead_of_add", kind="predict",
          prompt="backward with `child.grad = partial * node.grad` (= instead of +=) on "
                 "e = (a*b)*(b + 1) at a = 2, b = 3; the sweep visits e, d, 1, c, b, a. What is b.grad?")
def overwrite_instead_of_add(answer):
    assert_close(answer, 8.0, what="b.grad with the bug")
    return ("d writes 1·6 = 6 into b, then c overwrites it with 2·4 = 8; the path through d is lost "
            "(right: 8 + 6 = 14). a has one consumer, so its 12 is still right")


overwrite_instead_of_add.solution(8.0)


@exercise("07.forgotten_zero_grad", kind="predict",
          prompt="With autodiff_nb.Value: e = (a*b)*(b + 1) at a = 2, b = 3, then e.backward() twice "
                 "with no zero_grad in between. What is a.grad?")
def forgotten_zero_grad(answer):
    assert_close(answer, 24.0, what="a.grad after two backward calls")
    return ("leaf gradients accumulate: each call adds de/da = 12, so 12 + 12 = 24; call zero_grad() "
            "before each backward pass to get 12 again")


forgotten_zero_grad.solution(24.0)
