"""The optimizer playground's settings and runs: one surface, one start, GD, SGD and momentum.

The surfaces and the runs themselves are in :mod:`autodiff_nb.explore.descent`.
"""

from __future__ import annotations

from typing import Any

from .descent import OPTIMIZERS, LossSurface, Path, check_settings, descend, get_surface, start_point

CACHE_SIZE = 500
"""Runs kept before the cache starts again (a learner rarely revisits more settings)."""


class OptimizerPlayground:
    """A surface, a start point and the optimizer settings; ``paths()`` runs all three optimizers.

    Runs are cached by their settings, so moving β only recomputes the momentum path and moving a
    slider back to an earlier value costs nothing.
    """

    def __init__(self, surface: str | LossSurface = "bowl", *,
                 start: tuple[float, float] | None = None, lr: float = 0.1, beta: float = 0.9,
                 batch_size: int = 4, steps: int = 60, seed: int = 0) -> None:
        self.surface = get_surface(surface)
        self.start = start if start is not None else self.surface.start
        self.lr, self.beta, self.batch_size = lr, beta, batch_size
        self.steps, self.seed = steps, seed
        self.check()  # bad settings from code are named now, not at the first run
        self._cache: dict[tuple, Path] = {}

    @property
    def surface(self) -> LossSurface:
        return self._surface

    @surface.setter
    def surface(self, surface: str | LossSurface) -> None:
        self._surface = get_surface(surface)

    @property
    def start(self) -> tuple[float, float]:
        return self._start

    @start.setter
    def start(self, point: Any) -> None:
        self._start = start_point(point)

    def check(self) -> None:
        """Raise a ValueError/TypeError naming the first unusable setting."""
        check_settings(self.lr, self.steps, self.beta, self.batch_size, self.seed)

    def path(self, optimizer: str) -> Path:
        """The run of one optimizer ('GD', 'SGD' or 'momentum') with the current settings."""
        self.check()
        key = (self.surface.key, optimizer, self.start, self.lr, self.steps, self.seed,
               self.batch_size if optimizer != "GD" else None,
               self.beta if optimizer == "momentum" else None)
        if key not in self._cache:
            if len(self._cache) > CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = descend(self.surface, optimizer, start=self.start, lr=self.lr,
                                       steps=self.steps, beta=self.beta,
                                       batch_size=self.batch_size, seed=self.seed)
        return self._cache[key]

    def paths(self) -> dict[str, Path]:
        return {optimizer: self.path(optimizer) for optimizer in OPTIMIZERS}

    def __repr__(self) -> str:
        return (f"OptimizerPlayground({self.surface.key!r}, start={self.start}, lr={self.lr:g}, "
                f"beta={self.beta:g}, batch_size={self.batch_size}, steps={self.steps})")
