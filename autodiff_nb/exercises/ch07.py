"""Chapter 07: building the engine (a small Value: stored partials, topological sort, backward)."""

import math

from . import assert_close, implement, predict

predict("07.grad_of_a_plus_a", "a = Value(5.0); b = a + a; b.backward(). What is a.grad?", answer=2.0,
        hint="b's children are (a, a): backward adds partial · b.grad = 1 · 1 into a once per edge",
        why="b has children (a, a), a tuple that keeps the duplicate: two edges, each adding 1·1, "
            "so a.grad = 2 = d(2a)/da")

predict("07.relu_alive", "y = relu(w1*x + b1)*w2 + b2 with x = 2, w1 = 1, b1 = 1, w2 = 2, b2 = 0.5. "
                         "What is dy/dw1?", answer=4.0,
        hint="w1*x + b1 = 3 is positive, so the ReLU passes the gradient through with slope 1; "
             "multiply the slopes along the path from y back to w1",
        why="w1*x + b1 = 3 > 0, so ReLU passes the gradient (partial 1): dy/dw1 = w2 · 1 · x "
            "= 2 · 1 · 2 = 4")


class _Node:
    """A stand-in for the chapter's Value as the argument of the learner's tanh(self)."""

    def __init__(self, data):
        self.data, self.grad = data, 0.0
        self.children, self.partials, self.op, self.label = (), (), "", "x"

    def __repr__(self):
        return f"Value({self.data})"


@implement("07.tanh", "Write tanh(self) for the chapter's Value: the result's data is tanh(self.data), "
                      "its children (self,), its partials (1 - tanh²,), its op 'tanh'. Once it passes, "
                      "the check attaches it to the class (Value.tanh = tanh).",
           hint="compute t = math.tanh(self.data) once and build the result with the chapter's Value "
                "constructor: children (self,), one partial 1 - t², op 'tanh'")
def tanh_node(answer):
    results = []
    for x in (0.0, 0.5, -2.0, 3.0):
        node = _Node(x)
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
        results.append(out)
    stored = "the local derivative 1 - tanh(x)² is stored now and used later by backward"
    value_class = type(results[0])
    if value_class.__module__.startswith("autodiff_nb.") and value_class is not Value:
        return f"{stored} (it returned the library's {value_class.__name__}, so nothing was attached)"
    value_class.tanh = getattr(answer, "__wrapped__", answer)  # what the chapter's text promises
    return f"{stored}; {value_class.__name__}.tanh = tanh is done, so x.tanh() works from here on"


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

predict("07.overwrite_instead_of_add", "backward with `child.grad = partial * node.grad` (= instead of "
                                       "+=) on e = (a*b)*(b + 1) at a = 2, b = 3; the sweep visits e, d, "
                                       "1, c, b, a. What is b.grad?", answer=8.0,
        hint="b has two consumers, d = b + 1 and c = a*b; with '=' each write replaces the one before, "
             "so only the consumer visited last counts",
        why="d writes 1·6 = 6 into b, then c overwrites it with 2·4 = 8: the path through d is lost "
            "(right: 8 + 6 = 14). a has one consumer, so its 12 is still right")

predict("07.forgotten_zero_grad", "With autodiff_nb.Value: e = (a*b)*(b + 1) at a = 2, b = 3, then "
                                  "e.backward() twice with no zero_grad in between. What is a.grad?",
        answer=24.0,
        hint="the library adds into the leaves' .grad on every backward call, as PyTorch does; it "
             "does not start from zero by itself",
        why="each call adds de/da = 12, so a.grad = 12 + 12 = 24; call zero_grad() before each "
            "backward pass to get 12 again")
