"""Higher-order benchmarks: what a Hessian-vector product costs, and what checkpointing saves.

Run:  python bench/bench_higher_order.py

* hvp / grad: the time of one ``hvp(f, x, v)`` over the time of one ``grad(f)(x)`` for the same f, for the
  scalar engine (forward-over-reverse) and the tensor engine (reverse-over-reverse). Theory says a small
  constant; the target is at most 4.
* checkpointing: a chain of 300 segments of 1,000 operations each, differentiated plainly and with every
  segment checkpointed: peak traced memory (tracemalloc) and time, each in a fresh process.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_scalar import best_time  # noqa: E402 - the same best-of-N timer

import autodiff_nb as ad  # noqa: E402

SEGMENTS, OPS_PER_SEGMENT = 300, 1_000


def scalar_loss(x):
    """A small scalar network-like function of 40 inputs: sum of tanh of neighbour products."""
    total = 0.0
    for i in range(len(x) - 1):
        total = total + ad.tanh(x[i] * x[i + 1] + 0.1) + ad.sin(x[i]) * 0.5
    return total


def bench_scalar_hvp(repeats: int) -> None:
    rng = np.random.default_rng(0)
    x, v = rng.normal(size=40), rng.normal(size=40)
    g = best_time(lambda: ad.grad(scalar_loss)(x), repeats)
    h = best_time(lambda: ad.hvp(scalar_loss, x, v), repeats)
    print(f"scalar engine, 40 inputs: grad {g * 1e3:.2f} ms, hvp {h * 1e3:.2f} ms, "
          f"hvp / grad = {h / g:.2f}   (target <= 4)")


def bench_tensor_hvp(repeats: int) -> None:
    rng = np.random.default_rng(0)
    X = ad.Tensor(rng.normal(size=(64, 20)))
    target = ad.Tensor(rng.normal(size=(64, 1)))
    shapes = [(20, 32), (32,), (32, 1), (1,)]
    sizes = [int(np.prod(s)) for s in shapes]

    def loss(theta):
        parts, start = [], 0
        for shape, size in zip(shapes, sizes):
            parts.append(theta[start:start + size].reshape(shape))
            start += size
        w1, b1, w2, b2 = parts
        hidden = (X @ w1 + b1).tanh()
        return (((hidden @ w2 + b2) - target) ** 2).mean()

    theta = ad.Tensor(rng.normal(size=sum(sizes)) * 0.3)
    v = rng.normal(size=sum(sizes))
    g = best_time(lambda: ad.grad(loss)(theta), repeats)
    h = best_time(lambda: ad.hvp(loss, theta, v), repeats)
    print(f"tensor engine, MLP 20-32-1 on 64 rows ({sum(sizes)} parameters): grad {g * 1e3:.2f} ms, "
          f"hvp {h * 1e3:.2f} ms, hvp / grad = {h / g:.2f}   (target <= 4)")


def segment(v):
    for _ in range(OPS_PER_SEGMENT // 2):
        v = v * 1.0001 + 0.0001
    return v


def chain_child(checkpointed: bool) -> None:
    step = ad.checkpoint(segment) if checkpointed else segment
    tracemalloc.start()
    start = time.perf_counter()
    x = ad.Value(0.5)
    y = x
    for _ in range(SEGMENTS):
        y = step(y)
    y.backward()
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    label = "checkpointed" if checkpointed else "plain       "
    print(f"chain of {SEGMENTS} x {OPS_PER_SEGMENT} ops, {label}: peak {peak / 2**20:7.1f} MiB, "
          f"{elapsed:.2f} s (traced), dy/dx = {x.grad:.6f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--chain-child", choices=["plain", "checkpointed"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.chain_child:
        chain_child(args.chain_child == "checkpointed")
        return
    bench_scalar_hvp(args.repeats)
    bench_tensor_hvp(args.repeats)
    for kind in ("plain", "checkpointed"):
        subprocess.run([sys.executable, __file__, "--chain-child", kind], check=True)


if __name__ == "__main__":
    main()
