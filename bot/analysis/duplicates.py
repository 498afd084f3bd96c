"""Near-identical tests: normalised libcst token streams compared by shingle Jaccard similarity,
candidates from exact-hash buckets and MinHash/LSH (never every pair), grouped by union-find.

Two tests are never duplicates when they reach different endpoints (method and template) or
assert differently (status codes, compared field names, operators): those are bucket keys.
Within a bucket, copies with renamed variables and changed literals are found.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.analysis._fingerprint import fingerprint
from bot.analysis._minhash import band_keys, jaccard, shingle_hashes, signature
from bot.analysis.match import Matcher, suite_hosts
from bot.analysis.model import TestCase
from bot.analysis.request_reader import Reader
from bot.analysis.suite_modules import Suite
from bot.analysis.testmap import is_test_path
from bot.scan.model import Endpoint

DEFAULT_THRESHOLD = 0.85
_ALL_PAIRS_UP_TO = 12  # an LSH bucket this small is compared pair by pair, a larger one as a star


@dataclass(frozen=True)
class DuplicateGroup:
    tests: tuple[str, ...]
    similarity: float

    def to_json(self) -> dict[str, Any]:
        return {"tests": list(self.tests), "similarity": self.similarity}


@dataclass
class _Entry:
    test: TestCase
    bucket: tuple[Any, ...]
    shingles: set[int]
    exact: int


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.weakest = [1.0] * n

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int, similarity: float) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra
            self.weakest[ra] = min(self.weakest[ra], self.weakest[rb], similarity)
        else:
            self.weakest[ra] = min(self.weakest[ra], similarity)


def _entries(
    sources: Mapping[str, str],
    endpoints: list[Endpoint] | None,
    base_paths: Sequence[str] = (),
    hosts: Sequence[str] = (),
) -> list[_Entry]:
    reader = Reader(Suite(sources))
    read = [
        item
        for path in sorted(p for p in sources if is_test_path(p))
        for item in reader.test_functions(path)
    ]
    matcher = None
    if endpoints:
        every = [r for test, _, _ in read for r in test.requests]
        matcher = Matcher(endpoints, base_paths, hosts, suite_hosts(every))
    vocabulary: dict[str, int] = {}
    entries: list[_Entry] = []
    for test, module, function in read:
        calls: dict[tuple[int, int], str] = {}
        reached: set[str] = set()
        for request in test.requests:
            if request.role != "test":
                continue
            key = matcher.endpoint_of(request) if matcher is not None else None
            if matcher is not None and key is None and not matcher.ours(request):
                token = f"{request.method} {request.url}"
            else:
                token = f"{request.method} {key[1] if key else request.path}"
            reached.add(token)
            if request.kind == "call" and request.file == test.file:
                calls[(request.line, request.column)] = f"REQ:{token}"
        tokens, asserts = fingerprint(module, function, calls)
        ids = [vocabulary.setdefault(t, len(vocabulary)) for t in tokens]
        shingles = shingle_hashes(ids)
        exact = hash(tuple(ids))
        entries.append(_Entry(test, (tuple(sorted(reached)), asserts), shingles, exact))
    return entries


def find_duplicates(
    sources: Mapping[str, str],
    threshold: float = DEFAULT_THRESHOLD,
    endpoints: list[Endpoint] | None = None,
    base_paths: Sequence[str] = (),
    hosts: Sequence[str] = (),
) -> list[DuplicateGroup]:
    """Groups of tests at least `threshold` alike, most alike first; endpoints (when given) let
    calls of one endpoint written differently count as the same call."""
    entries = _entries(sources, endpoints, base_paths, hosts)
    groups = _UnionFind(len(entries))
    representatives: dict[tuple[Any, int], int] = {}
    for i, entry in enumerate(entries):
        twin = representatives.setdefault((entry.bucket, entry.exact), i)
        if twin != i:
            groups.union(twin, i, 1.0)
    lsh: dict[tuple[Any, ...], list[int]] = {}
    for i in sorted(set(representatives.values())):
        entry = entries[i]
        if not entry.shingles:
            continue
        for band in band_keys(signature(entry.shingles)):
            lsh.setdefault((entry.bucket, band), []).append(i)
    compared: set[tuple[int, int]] = set()
    for members in lsh.values():
        if len(members) < 2:
            continue
        if len(members) <= _ALL_PAIRS_UP_TO:
            pairs = [(a, b) for n, a in enumerate(members) for b in members[n + 1 :]]
        else:
            pairs = [(members[0], b) for b in members[1:]]
        for a, b in pairs:
            if (a, b) in compared:
                continue
            compared.add((a, b))
            similarity = jaccard(entries[a].shingles, entries[b].shingles)
            if similarity >= threshold:
                groups.union(a, b, similarity)
    by_root: dict[int, list[int]] = {}
    for i in range(len(entries)):
        by_root.setdefault(groups.find(i), []).append(i)
    found = [
        DuplicateGroup(tuple(entries[i].test.id for i in members), round(groups.weakest[root], 2))
        for root, members in by_root.items()
        if len(members) > 1
    ]
    return sorted(found, key=lambda g: (-g.similarity, g.tests))
