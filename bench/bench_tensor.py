"""Speed and memory of autodiff_nb.Tensor, measured against PyTorch in the same process.

    python bench/bench_tensor.py [--threads N] [--trials T] [--quick]

Three measurements (both engines in float64, both limited to the same number of threads):

1. MLP 784-256-256-10, batch 128, cross-entropy loss: one training step = forward + backward + SGD.
   Also the forward and backward times on their own (backward / forward ratio).
2. A chain of 1,000 elementwise operations on 10x10 tensors, forward + backward: the per-operation
   Python overhead, since the arithmetic itself is tiny.
3. Memory: the resident set size (RSS) of a 1,000-step training loop at step 100 and at step 1,000.
   Flat means every step's graph is freed.
4. Second derivatives: one Hessian-vector product of the MLP loss with respect to all parameters
   (reverse over reverse: a create_graph gradient, then the gradient of its dot product with v),
   against one plain gradient, in both engines (``torch.autograd.grad(create_graph=True)``).

Timing: the two engines run in alternation, ``--trials`` times each, and the *minimum* time over the
trials is reported (the machine may be busy; the minimum is the least disturbed run). Ratios are
autodiff_nb / PyTorch: below 1.0 means autodiff_nb is faster. The first lines printed say which BLAS
kernels and thread counts were in effect, and whether OPENBLAS_CORETYPE was set.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import autodiff_nb as ad  # noqa: E402
from autodiff_nb import losses, nn, optim  # noqa: E402
from autodiff_nb.tensor import Tensor, gradients  # noqa: E402

SIZES = (784, 256, 256, 10)
BATCH = 128
LR = 0.01
CHAIN_LENGTH = 1000


def best_time(run: Callable[[], object], repeat: int) -> float:
    """Seconds per call of ``run``: the fastest of ``repeat`` calls."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def interleaved(runs: dict[str, Callable[[], object]], trials: int,
                repeat: int) -> dict[str, float]:
    """Minimum seconds per call for each run, alternating between them so both see the same load."""
    best = {name: float("inf") for name in runs}
    for _ in range(trials):
        for name, run in runs.items():
            best[name] = min(best[name], best_time(run, repeat))
    return best


# --------------------------------------------------------------------------------------------------
# 1. MLP training step
# --------------------------------------------------------------------------------------------------

def make_data(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((BATCH, SIZES[0])), rng.integers(0, SIZES[-1], size=BATCH)


class TrainingStep:
    """One SGD step, the same code for both engines: forward, zero_grad, backward, update."""

    def step(self) -> float:
        loss = self.forward()
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        return loss.item()


class OursMLP(TrainingStep):
    def __init__(self, x: np.ndarray, y: np.ndarray) -> None:
        rng = np.random.default_rng(0)
        layers: list = []
        for i, (nin, nout) in enumerate(zip(SIZES[:-1], SIZES[1:], strict=True)):
            layers.append(nn.Linear(nin, nout, seed=rng))
            if i < len(SIZES) - 2:
                layers.append(nn.ReLU())
        self.model = nn.Sequential(*layers)
        self.opt = optim.SGD(self.model.parameters(), lr=LR)
        self.x, self.y = Tensor(x), y

    def forward(self) -> Tensor:
        return losses.cross_entropy(self.model(self.x), self.y)


class TorchMLP(TrainingStep):
    def __init__(self, torch, ours: OursMLP, x: np.ndarray, y: np.ndarray) -> None:
        self.torch = torch
        params = []
        for layer in ours.model.layers:
            if isinstance(layer, nn.Linear):
                params.append(torch.tensor(layer.weight.data, requires_grad=True))
                params.append(torch.tensor(layer.bias.data, requires_grad=True))
        self.params = params
        self.opt = torch.optim.SGD(params, lr=LR)
        self.x, self.y = torch.tensor(x), torch.tensor(y)

    def forward(self):
        h = self.x
        p = self.params
        for i in range(0, len(p), 2):
            h = h @ p[i] + p[i + 1]
            if i + 2 < len(p):
                h = h.relu()
        return self.torch.nn.functional.cross_entropy(h, self.y)


def forward_backward_split(forward: Callable[[], object], zero: Callable[[], None], repeat: int,
                           trials: int) -> tuple[float, float]:
    """Minimum forward time and minimum backward time, measured on the same steps."""
    best_f = best_b = float("inf")
    for _ in range(trials * repeat):
        zero()
        start = time.perf_counter()
        loss = forward()
        middle = time.perf_counter()
        loss.backward()
        end = time.perf_counter()
        best_f, best_b = min(best_f, middle - start), min(best_b, end - middle)
    return best_f, best_b


def gemm_floor(torch, x: np.ndarray, trials: int, repeat: int) -> dict[str, float]:
    """The eight matrix products of one training step alone (3 forward, 5 backward; none for the
    input, which needs no gradient), in numpy and in torch: the part of a step that is pure BLAS."""
    rng = np.random.default_rng(3)
    w = [rng.standard_normal((a, b)) for a, b in zip(SIZES[:-1], SIZES[1:], strict=True)]
    h = [x, rng.standard_normal((BATCH, SIZES[1])), rng.standard_normal((BATCH, SIZES[2]))]
    g = [rng.standard_normal((BATCH, n)) for n in SIZES[1:]]
    tw, th, tg = ([torch.tensor(a) for a in group] for group in (w, h, g))

    def products(dot, w, h, g, t):
        for i in range(3):
            dot(h[i], w[i])  # forward
            dot(t(h[i]), g[i])  # weight gradient
            if i > 0:
                dot(g[i], t(w[i]))  # input gradient

    return interleaved({"ours": lambda: products(np.dot, w, h, g, np.transpose),
                        "torch": lambda: products(torch.mm, tw, th, tg, torch.t)}, trials, repeat)


def sgd_update_cost(ours: OursMLP, trials: int, repeat: int) -> dict[str, float]:
    """optim.SGD.step() against an in-place update of the same parameters: p.data -= lr * p.grad."""
    params = ours.model.parameters()
    loss = ours.forward()
    loss.backward()

    def in_place() -> None:
        for p in params:
            p.data -= 0.0 * p.grad

    saved = [p.data.copy() for p in params]
    lr, ours.opt.lr = ours.opt.lr, 0.0  # measure the update without moving the parameters
    try:
        return interleaved({"optim.SGD": ours.opt.step, "in place": in_place}, trials, repeat)
    finally:
        ours.opt.lr = lr
        for p, data in zip(params, saved, strict=True):
            p.data = data


# --------------------------------------------------------------------------------------------------
# 2. A long chain of small elementwise operations
# --------------------------------------------------------------------------------------------------

def chain(x, a, b, c, length: int = CHAIN_LENGTH):
    """``length`` elementwise operations cycling through 8 kinds; values stay moderate."""
    y = x
    for i in range(length):
        kind = i % 8
        if kind == 0:
            y = y * a
        elif kind == 1:
            y = y.tanh()
        elif kind == 2:
            y = y + b
        elif kind == 3:
            y = y.sin()
        elif kind == 4:
            y = y - c
        elif kind == 5:
            y = y.sigmoid()
        elif kind == 6:
            y = y / b
        else:
            y = y.cos()
    return y


def chain_inputs(make):
    rng = np.random.default_rng(1)
    x, a, b, c = (rng.uniform(0.5, 1.5, size=(10, 10)) for _ in range(4))
    return make(x, True), make(a, True), make(b, False), make(c, False)


def chain_step(inputs) -> object:
    x, a, b, c = inputs
    x.grad = a.grad = None
    out = chain(x, a, b, c).sum()
    out.backward()
    return out


# --------------------------------------------------------------------------------------------------
# 3. Memory over a training loop
# --------------------------------------------------------------------------------------------------

def live_tensors() -> int:
    return sum(1 for obj in gc.get_objects() if type(obj) is Tensor)


def rss_over_training(steps: int) -> tuple[tuple[float, int], tuple[float, int]]:
    """(RSS in MiB, live Tensor objects) after step 100 and after the last step."""
    import psutil

    process = psutil.Process()
    x, y = make_data(seed=2)
    mlp = OursMLP(x, y)
    at_100 = (0.0, 0)
    for step in range(1, steps + 1):
        mlp.step()
        if step == min(100, steps):
            at_100 = (process.memory_info().rss / 2**20, live_tensors())
    return at_100, (process.memory_info().rss / 2**20, live_tensors())


# --------------------------------------------------------------------------------------------------

def bench_mlp(torch, trials: int, repeat: int) -> None:
    """1. The MLP training step, its forward and backward halves, the matmul floor, the update."""
    x, y = make_data()
    ours = OursMLP(x, y)
    theirs = TorchMLP(torch, ours, x, y)
    loss_ours, loss_torch = ours.forward().item(), theirs.forward().item()
    print(f"\nMLP {'-'.join(map(str, SIZES))}, batch {BATCH}, float64, cross-entropy, SGD")
    print(f"  same initial loss: autodiff_nb {loss_ours:.12f}  torch {loss_torch:.12f}")
    for _ in range(3):  # warm up both
        ours.step(), theirs.step()
    step = interleaved({"ours": ours.step, "torch": theirs.step}, trials, repeat)
    compare("training step", step["ours"], step["torch"])
    f_ours, b_ours = forward_backward_split(ours.forward, ours.opt.zero_grad, repeat, trials)
    f_torch, b_torch = forward_backward_split(theirs.forward, theirs.opt.zero_grad, repeat, trials)
    compare("forward", f_ours, f_torch)
    compare("backward", b_ours, b_torch)
    print(f"  backward / forward: autodiff_nb {b_ours / f_ours:.2f}   "
          f"torch {b_torch / f_torch:.2f}")
    floor = gemm_floor(torch, x, trials, repeat)
    compare("8 matmuls alone", floor["ours"], floor["torch"])
    print(f"  rest of the step (step - matmuls): "
          f"autodiff_nb {(step['ours'] - floor['ours']) * 1e3:.2f} ms   "
          f"torch {(step['torch'] - floor['torch']) * 1e3:.2f} ms")
    sgd = sgd_update_cost(ours, trials, repeat)
    print(f"  SGD update: optim.SGD.step {sgd['optim.SGD'] * 1e3:.2f} ms   "
          f"in place (p.data -= lr * p.grad) {sgd['in place'] * 1e3:.2f} ms")


def bench_chain(torch, trials: int, repeat: int) -> None:
    """2. The chain of small elementwise operations: checked against torch, then timed."""
    ours_inputs = chain_inputs(lambda v, g: Tensor(v, requires_grad=g))
    torch_inputs = chain_inputs(lambda v, g: torch.tensor(v, requires_grad=g))
    out_ours, out_torch = chain_step(ours_inputs), chain_step(torch_inputs)
    print(f"\nchain of {CHAIN_LENGTH} elementwise ops on 10x10, forward + backward")
    for name, mine, theirs_grad in (("x", ours_inputs[0], torch_inputs[0]),
                                    ("a", ours_inputs[1], torch_inputs[1])):
        gap = np.abs(mine.grad - theirs_grad.grad.numpy()).max() / np.abs(mine.grad).max()
        print(f"  same gradient of {name}: max relative difference {gap:.1e}")
    print(f"  same result: |difference| {abs(out_ours.item() - out_torch.item()):.1e}")
    chain_time = interleaved({"ours": lambda: chain_step(ours_inputs),
                              "torch": lambda: chain_step(torch_inputs)}, trials, repeat)
    compare("forward+backward", chain_time["ours"], chain_time["torch"])
    print(f"  {chain_time['ours'] / CHAIN_LENGTH * 1e6:.1f} us per operation (autodiff_nb), "
          f"{chain_time['torch'] / CHAIN_LENGTH * 1e6:.1f} us (torch)")


def bench_hvp(torch, trials: int, repeat: int) -> None:
    """4. One Hessian-vector product of the MLP loss against one gradient (forward included)."""
    x, y = make_data()
    ours = OursMLP(x, y)
    theirs = TorchMLP(torch, ours, x, y)
    params = ours.model.parameters()
    rng = np.random.default_rng(4)
    directions = [Tensor(rng.standard_normal(p.shape)) for p in params]
    torch_directions = [torch.tensor(v.data) for v in directions]

    def our_gradient():
        return gradients(ours.forward(), params)

    def our_hvp():
        firsts = gradients(ours.forward(), params, create_graph=True)
        along_v = sum((g * v).sum() for g, v in zip(firsts, directions, strict=True))
        return gradients(along_v, params)

    def torch_gradient():
        return torch.autograd.grad(theirs.forward(), theirs.params)

    def torch_hvp():
        firsts = torch.autograd.grad(theirs.forward(), theirs.params, create_graph=True)
        along_v = sum((g * v).sum() for g, v in zip(firsts, torch_directions, strict=True))
        return torch.autograd.grad(along_v, theirs.params)

    gap = max(np.abs(a - b.numpy()).max() / np.abs(b.numpy()).max()
              for a, b in zip(our_hvp(), torch_hvp(), strict=True))
    print(f"\nHessian-vector product of the MLP loss (all {sum(p.size for p in params)} parameters)")
    print(f"  same H v as torch: max relative difference {gap:.1e}")
    times = interleaved({"grad": our_gradient, "hvp": our_hvp, "torch grad": torch_gradient,
                         "torch hvp": torch_hvp}, trials, repeat)
    compare("gradient", times["grad"], times["torch grad"])
    compare("hvp", times["hvp"], times["torch hvp"])
    print(f"  hvp / gradient: autodiff_nb {times['hvp'] / times['grad']:.2f}   "
          f"torch {times['torch hvp'] / times['torch grad']:.2f}")


def compare(what: str, ours: float, torch_time: float) -> None:
    print(f"  {what:17} autodiff_nb {ours * 1e3:7.2f} ms   torch {torch_time * 1e3:7.2f} ms   "
          f"ratio {ours / torch_time:.2f}x")


def describe_environment(threads: int, torch) -> None:
    from threadpoolctl import threadpool_info

    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, torch {torch.__version__}, "
          f"autodiff_nb {ad.__version__}")
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS"):
        print(f"  {name}={os.environ.get(name, '(unset)')}")
    for pool in threadpool_info():
        kernel = pool.get("architecture") or ""
        print(f"  {pool['internal_api']:9} {pool['prefix']:18} threads={pool['num_threads']} "
              f"{kernel}")
    print(f"  torch threads={torch.get_num_threads()} (both engines limited to {threads})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=1,
                        help="BLAS/OpenMP threads for both engines")
    parser.add_argument("--trials", type=int, default=15, help="alternating trials per measurement")
    parser.add_argument("--quick", action="store_true",
                        help="fewer repeats and a 200-step memory loop")
    args = parser.parse_args(argv)

    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(args.threads)
    torch.set_default_dtype(torch.float64)
    repeat = 3 if args.quick else 10
    memory_steps = 200 if args.quick else 1000

    with threadpool_limits(limits=args.threads):
        describe_environment(args.threads, torch)

        bench_mlp(torch, args.trials, repeat)
        bench_chain(torch, args.trials, repeat)
        bench_hvp(torch, args.trials, repeat)
        # -- 3. memory -----------------------------------------------------------------------------
        gc.collect()
        (rss_100, live_100), (rss_end, live_end) = rss_over_training(memory_steps)
        print(f"\nRSS over a {memory_steps}-step training loop (autodiff_nb)")
        print(f"  step 100: {rss_100:.1f} MiB   step {memory_steps}: {rss_end:.1f} MiB   "
              f"growth {rss_end - rss_100:+.1f} MiB")
        print(f"  live Tensor objects: {live_100} after step 100, {live_end} after step "
              f"{memory_steps} (6 parameters and the input, so each step's graph was freed)")


if __name__ == "__main__":
    main()
