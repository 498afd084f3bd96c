"""Coverage of an inventory by a test suite: endpoints × tests, overall and by method, feature
and kind of test, and its change between two branches."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.analysis.kinds import KINDS
from bot.analysis.testmap import TestMap
from bot.scan.model import Endpoint, normalise_template

_METHOD_ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE")


def percent(covered: int, total: int) -> float:
    """Covered share in percent, one decimal; 100.0 when there is nothing to cover."""
    return round(100.0 * covered / total, 1) if total else 100.0


@dataclass(frozen=True)
class Figure:
    total: int = 0
    covered: int = 0

    @property
    def percent(self) -> float:
        return percent(self.covered, self.total)

    def add(self, covered: bool) -> Figure:
        return Figure(self.total + 1, self.covered + int(covered))

    def to_json(self) -> dict[str, Any]:
        return {"total": self.total, "covered": self.covered, "percent": self.percent}


@dataclass(frozen=True)
class EndpointCoverage:
    """One endpoint, the tests that reach it, and the kinds of those tests."""

    method: str
    path: str
    feature: str
    tests: tuple[str, ...]
    kinds: tuple[str, ...]

    @property
    def covered(self) -> bool:
        return bool(self.tests)

    @property
    def key(self) -> tuple[str, str]:
        return self.method, normalise_template(self.path)


@dataclass(frozen=True)
class CoverageReport:
    endpoints: tuple[EndpointCoverage, ...]
    tests: int = 0
    by_method: dict[str, Figure] = field(default_factory=dict)
    by_feature: dict[str, Figure] = field(default_factory=dict)
    # endpoints with at least one test of that kind (happy, negative, auth, schema)
    by_kind: dict[str, Figure] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.endpoints)

    @property
    def covered(self) -> int:
        return sum(1 for e in self.endpoints if e.covered)

    @property
    def percent(self) -> float:
        return percent(self.covered, self.total)

    @property
    def uncovered(self) -> list[EndpointCoverage]:
        return [e for e in self.endpoints if not e.covered]

    def to_json(self) -> dict[str, Any]:
        """`{"total", "covered", "percent", "by_method", "by_feature", "by_kind", "uncovered"}`."""
        return {
            "total": self.total,
            "covered": self.covered,
            "percent": self.percent,
            "by_method": {k: v.to_json() for k, v in self.by_method.items()},
            "by_feature": {k: v.to_json() for k, v in self.by_feature.items()},
            "by_kind": {k: v.to_json() for k, v in self.by_kind.items()},
            "uncovered": [{"method": e.method, "path": e.path} for e in self.uncovered],
        }


def _order(endpoint: Endpoint) -> tuple[str, int, str]:
    method = _METHOD_ORDER.index(endpoint.method) if endpoint.method in _METHOD_ORDER else 99
    return normalise_template(endpoint.path), method, endpoint.path


def coverage_report(endpoints: Iterable[Endpoint], test_map: TestMap) -> CoverageReport:
    """Each endpoint (OPTIONS/TRACE left out: nobody tests those) with the tests reaching it."""
    covered = test_map.covered()
    kinds_of = {t.id: t.kinds for t in test_map.tests}
    rows: list[EndpointCoverage] = []
    by_method: dict[str, Figure] = {}
    by_feature: dict[str, Figure] = {}
    by_kind: dict[str, Figure] = {k: Figure() for k in KINDS}
    chosen = sorted((e for e in endpoints if e.method not in ("OPTIONS", "TRACE")), key=_order)
    for endpoint in chosen:
        tests = covered.get((endpoint.method, endpoint.path), ())
        kinds = tuple(k for k in KINDS if any(k in kinds_of.get(t, ()) for t in tests))
        rows.append(
            EndpointCoverage(endpoint.method, endpoint.path, endpoint.feature, tests, kinds)
        )
        by_method[endpoint.method] = by_method.get(endpoint.method, Figure()).add(bool(tests))
        by_feature[endpoint.feature] = by_feature.get(endpoint.feature, Figure()).add(bool(tests))
        for kind in KINDS:
            by_kind[kind] = by_kind[kind].add(kind in kinds)
    methods = sorted(by_method, key=lambda m: _METHOD_ORDER.index(m))
    return CoverageReport(
        tuple(rows),
        len(test_map.tests),
        {m: by_method[m] for m in methods},
        {f: by_feature[f] for f in sorted(by_feature)},
        by_kind if rows else {},
    )


@dataclass(frozen=True)
class CoverageDelta:
    """A branch's coverage against its target's: what an MR adds, loses and leaves untested."""

    before: CoverageReport
    after: CoverageReport

    @property
    def change(self) -> float:
        return round(self.after.percent - self.before.percent, 1)

    def _before(self) -> dict[tuple[str, str], EndpointCoverage]:
        return {e.key: e for e in self.before.endpoints}

    @property
    def added_untested(self) -> list[EndpointCoverage]:
        """Endpoints this branch adds that no test reaches: named first in the MR."""
        known = self._before()
        return [e for e in self.after.uncovered if e.key not in known]

    @property
    def lost(self) -> list[EndpointCoverage]:
        """Endpoints tested on the target that no test reaches here any more."""
        known = self._before()
        return [e for e in self.after.uncovered if e.key in known and known[e.key].covered]

    @property
    def gained(self) -> list[EndpointCoverage]:
        known = self._before()
        return [
            e
            for e in self.after.endpoints
            if e.covered and not (e.key in known and known[e.key].covered)
        ]
