"""Write tests/ieee/torch_table.json: PyTorch's results for every elementwise op on IEEE special inputs.

Run it (it needs torch, a bench extra) when the inputs below change:

    .venv/bin/python tests/ieee/make_table.py

For each unary op and input x it stores out = op(x) and d out/dx; for each binary op and pair (x, y)
it stores out = x op y, d out/dx and d out/dy, all in float64 and all from ``torch.autograd``
(one-element tensors, upstream gradient 1). Numbers are stored as ``repr(float)`` text ('inf',
'-0.0', 'nan', '1e-308'), which reads back exactly with ``float(...)``. tests/test_ieee.py compares
every engine of autodiff_nb with this table and needs no torch.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import torch

INF = math.inf
NAN = math.nan

UNARY_INPUTS = [
    0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -10.0, 3.141592653589793, 20.0, -20.0, 40.0, -40.0,
    700.0, 710.0, -710.0, -745.0, -746.0, 1e16, 1e300, 1e308, -1e308, 1e-300, 5e-324, -5e-324,
    INF, -INF, NAN,
]
"""Zeros of both signs, the overflow and underflow edges of exp and sigmoid, saturation of tanh,
huge arguments of sin/cos, the largest and smallest (subnormal) doubles, infinities and NaN."""

BINARY_INPUTS = [
    0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 3.0, -3.0, -2.5, -10.0, 401.0, 1e200, 1e308, -1e308, 5e-324,
    INF, -INF, NAN,
]
"""Every ordered pair of these: -10.0 ** 401 (overflow to -inf), -0.0 ** -1.0 (-inf), negative bases
with fractional exponents (nan), 0 ** 0, inf - inf, 0 * inf, 1e200 * 1e200, 1e308 / 5e-324, ..."""

UNARY = {
    "neg": torch.neg, "exp": torch.exp, "log": torch.log, "sin": torch.sin, "cos": torch.cos,
    "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu,
}
BINARY = {
    "+": torch.add, "-": torch.sub, "*": torch.mul, "/": torch.div, "**": torch.pow,
}


def text(number: float) -> str:
    return repr(float(number))


def leaf(x: float) -> torch.Tensor:
    return torch.tensor([x], dtype=torch.float64, requires_grad=True)


def unary_row(op: str, x: float) -> dict:
    t = leaf(x)
    out = UNARY[op](t)
    (grad,) = torch.autograd.grad(out.sum(), (t,))
    return {"op": op, "x": text(x), "out": text(out.item()), "grad": text(grad.item())}


def binary_row(op: str, x: float, y: float) -> dict:
    tx, ty = leaf(x), leaf(y)
    out = BINARY[op](tx, ty)
    grad_x, grad_y = torch.autograd.grad(out.sum(), (tx, ty))
    return {"op": op, "x": text(x), "y": text(y), "out": text(out.item()),
            "grad_x": text(grad_x.item()), "grad_y": text(grad_y.item())}


def table() -> dict:
    return {
        "source": f"torch {torch.__version__}, float64, torch.autograd.grad with upstream 1",
        "unary": [unary_row(op, x) for op in UNARY for x in UNARY_INPUTS],
        "binary": [binary_row(op, x, y) for op in BINARY for x in BINARY_INPUTS for y in BINARY_INPUTS],
    }


def main() -> None:
    path = Path(__file__).with_name("torch_table.json")
    data = table()
    lines = [f'"source": {json.dumps(data["source"])}']
    for kind in ("unary", "binary"):  # one row a line, so a change of PyTorch shows as a readable diff
        rows = ",\n".join(json.dumps(row) for row in data[kind])
        lines.append(f'"{kind}": [\n{rows}\n]')
    path.write_text("{\n" + ",\n".join(lines) + "\n}\n")
    print(f"{path}: {len(data['unary'])} unary rows, {len(data['binary'])} binary rows ({data['source']})")


if __name__ == "__main__":
    main()
