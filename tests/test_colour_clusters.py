"""The palette's colour clustering (core.colour._clusters), vectorised, gives exactly what the
plain greedy pass gives: the same clusters, counts, means and spreads, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from profilecheck.core.colour import _clusters


def reference(flat_pixels: np.ndarray, merge_distance: float = 14.0, max_bins: int = 512) -> list:
    """The greedy pass as first written: bins largest first, each joins the first cluster whose
    seed (its first bin's mean) lies within `merge_distance`, else seeds a new one."""
    if not len(flat_pixels):
        return []
    bins = (flat_pixels >> 3).astype(np.int32)
    keys = bins[:, 0] * 1024 + bins[:, 1] * 32 + bins[:, 2]
    unique, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    sums = np.stack(
        [np.bincount(inverse, flat_pixels[:, c], len(unique)) for c in range(3)], axis=1
    )
    clusters: list[list] = []
    for index in np.argsort(counts)[::-1][:max_bins]:
        mean = sums[index] / counts[index]
        for cluster in clusters:
            distance = float(np.linalg.norm(cluster[0] - mean))
            if distance < merge_distance:
                cluster[1] = cluster[1] + sums[index]
                cluster[2] += int(counts[index])
                cluster[3] += distance**2 * int(counts[index])
                break
        else:
            clusters.append([mean, sums[index].copy(), int(counts[index]), 0.0])
    return [(c[1] / c[2], c[2], c[3]) for c in clusters]


def plain(clusters: list) -> list:
    return [(tuple(mean.tolist()), count, spread) for mean, count, spread in clusters]


@pytest.mark.parametrize("seed", range(40))
def test_clusters_are_those_of_the_greedy_pass(seed):
    rng = np.random.default_rng(seed)
    centres = rng.integers(0, 256, (int(rng.integers(1, 40)), 3))
    count = int(rng.integers(1, 20000))
    noise = rng.normal(0, rng.uniform(0, 25), (count, 3))
    pixels = np.clip(centres[rng.integers(0, len(centres), count)] + noise, 0, 255)
    pixels = pixels.astype(np.int16)
    assert plain(_clusters(pixels)) == plain(reference(pixels))


def test_a_photograph_fills_many_clusters_and_flat_colours_few():
    rng = np.random.default_rng(7)
    photo = np.clip(rng.normal(128, 60, (60000, 3)), 0, 255).astype(np.int16)
    flat = np.array([[0, 94, 184]] * 900 + [[255, 255, 255]] * 100, dtype=np.int16)
    assert len(_clusters(photo)) > 100
    assert [(tuple(mean.tolist()), count) for mean, count, _ in _clusters(flat)] == [
        ((0.0, 94.0, 184.0), 900),
        ((255.0, 255.0, 255.0), 100),
    ]
    assert _clusters(np.zeros((0, 3), dtype=np.int16)) == []
