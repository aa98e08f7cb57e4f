"""Scalar engine benchmarks: one training step of MLP(2, [16, 16, 1]) vs micrograd, and a deep chain.

Run:  python bench/bench_scalar.py          (needs the bench extra: pip install -e .[bench])

Prints the best-of-N time per training step for both engines and their ratio (target: ours at most 1/3
of micrograd's), then the time and peak memory to build and backpropagate a chain of 1,000,000 operations
(target: under 5 s and 1 GiB).
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import autodiff_nb as ad  # noqa: E402


def make_data(n: int = 100, seed: int = 0) -> tuple[list[list[float]], list[float]]:
    rng = random.Random(seed)
    xs = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(n)]
    ys = [1.0 if x[0] * x[1] > 0 else -1.0 for x in xs]
    return xs, ys


def train_step_ours(model: ad.nn.MLP, xs, ys, lr: float = 0.05) -> float:
    model.zero_grad()
    loss = ad.value_sum((model(x) - y) ** 2 for x, y in zip(xs, ys)) / len(xs)
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss.data


def train_step_micrograd(model, xs, ys, lr: float = 0.05) -> float:
    from micrograd.engine import Value as MicroValue

    model.zero_grad()
    loss = sum(((model([MicroValue(v) for v in x]) - y) ** 2 for x, y in zip(xs, ys)), MicroValue(0.0))
    loss = loss * (1.0 / len(xs))
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss.data


def best_time(step, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_mlp(repeats: int) -> None:
    xs, ys = make_data()
    ours = ad.nn.MLP(2, [16, 16, 1], seed=0)
    ours_time = best_time(lambda: train_step_ours(ours, xs, ys), repeats)
    print(f"MLP(2, [16, 16, 1]), 100 points, one step: autodiff_nb {ours_time * 1e3:8.1f} ms")
    try:
        from micrograd.nn import MLP as MicroMLP
    except ImportError:
        print("micrograd is not installed (pip install -e .[bench]); no ratio")
        return
    random.seed(0)
    theirs = MicroMLP(2, [16, 16, 1])
    theirs_time = best_time(lambda: train_step_micrograd(theirs, xs, ys), repeats)
    print(f"MLP(2, [16, 16, 1]), 100 points, one step: micrograd   {theirs_time * 1e3:8.1f} ms")
    print(f"ratio ours / micrograd = {ours_time / theirs_time:.3f}   (target <= 0.333)")


def chain_child() -> None:
    """Run in a fresh process so that peak RSS belongs to the chain alone."""
    start = time.perf_counter()
    x = ad.Value(0.5)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0
    built = time.perf_counter()
    y.backward()
    done = time.perf_counter()
    assert x.grad == 1.0
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"chain of 1,000,000 ops: build {built - start:.2f} s, backward {done - built:.2f} s, "
          f"total {done - start:.2f} s (target < 5 s); peak RSS {peak_mib:.0f} MiB (target < 1024 MiB)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--chain-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.chain_child:
        chain_child()
        return
    gc.collect()
    bench_mlp(args.repeats)
    subprocess.run([sys.executable, __file__, "--chain-child"], check=True)


if __name__ == "__main__":
    main()
