"""Built-in counting rules; importing this package registers them all."""

from __future__ import annotations

from . import greedy, knapsack, mes, phragmen, single_winner  # noqa: F401  (registration side effects)
