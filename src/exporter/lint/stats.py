"""The two tests the guide-level rules need, in plain Python (no SciPy)."""

from __future__ import annotations

import math


def at_least_by_chance(probabilities: list[float], observed: int) -> float:
    """P(X >= observed) where X counts successes of independent trials with
    these success probabilities (the Poisson binomial distribution)."""
    distribution = [1.0]  # distribution[k] = P(k successes so far)
    for p in probabilities:
        nxt = [0.0] * (len(distribution) + 1)
        for k, weight in enumerate(distribution):
            nxt[k] += weight * (1 - p)
            nxt[k + 1] += weight * p
        distribution = nxt
    return min(1.0, sum(distribution[observed:]))


def chi_square_by_chance(observed: list[float], expected: list[float]) -> float:
    """The p-value of Pearson's goodness-of-fit test: how often chance alone
    spreads counts at least this unevenly around the expected ones."""
    statistic = sum((o - e) ** 2 / e for o, e in zip(observed, expected))
    return _chi_square_survival(statistic, len(observed) - 1)


def _chi_square_survival(x: float, degrees: int) -> float:
    """Closed forms for a whole number of degrees of freedom."""
    if degrees < 1:
        return 1.0
    half = x / 2
    if degrees % 2 == 0:
        term, total = 1.0, 1.0
        for i in range(1, degrees // 2):
            term *= half / i
            total += term
        return min(1.0, math.exp(-half) * total)
    root = math.sqrt(x)
    total, term = 0.0, root
    for i in range(1, (degrees + 1) // 2):
        total += term
        term *= x / (2 * i + 1)
    density = math.exp(-half) / math.sqrt(2 * math.pi)
    return min(1.0, math.erfc(root / math.sqrt(2)) + 2 * density * total)
