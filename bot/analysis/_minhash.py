"""MinHash signatures by one-permutation hashing (one hash per shingle, binned, densified) and
LSH banding: candidate pairs of near-identical sets in time linear in the number of sets."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

BINS = 64
BANDS = 16  # 16 bands of 4 rows: pairs at Jaccard 0.85 share a band with p > 0.99
_MASK = (1 << 64) - 1
_EMPTY = -1


def shingle_hashes(ids: Sequence[int], k: int = 3) -> set[int]:
    """64-bit hashes of the token k-grams (the whole stream when shorter than k)."""
    if len(ids) < k:
        k = max(1, len(ids))
    found: set[int] = set()
    for i in range(len(ids) - k + 1):
        h = 0xCBF29CE484222325
        for token in ids[i : i + k]:
            h = ((h ^ token) * 0x100000001B3) & _MASK
        h ^= h >> 29
        h = (h * 0xBF58476D1CE4E5B9) & _MASK
        found.add(h ^ (h >> 32))
    return found


def signature(hashes: Iterable[int]) -> tuple[int, ...]:
    """The smallest value in each of BINS bins; an empty bin borrows from the next full one."""
    mins = [_EMPTY] * BINS
    for h in hashes:
        b, v = h % BINS, h // BINS
        if mins[b] == _EMPTY or v < mins[b]:
            mins[b] = v
    if all(v == _EMPTY for v in mins):
        return tuple(mins)
    out = list(mins)
    for i in range(BINS):
        j, hops = i, 0
        while mins[j] == _EMPTY:
            j, hops = (j + 1) % BINS, hops + 1
        out[i] = mins[j] * 131 + hops if hops else mins[j]
    return tuple(out)


def band_keys(sig: tuple[int, ...]) -> list[tuple[int, tuple[int, ...]]]:
    rows = BINS // BANDS
    return [(b, sig[b * rows : (b + 1) * rows]) for b in range(BANDS)]


def jaccard(a: set[int], b: set[int]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)
