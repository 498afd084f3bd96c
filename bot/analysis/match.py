"""Whole-template matching of a request's path against the inventory: every segment must
match, a known base path (shared by every endpoint, or from config) the only slack."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.analysis.model import EndpointKey, Request
from bot.scan.model import Endpoint

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "::1", "[::1]", "testserver"})
BASE_NAME = re.compile(r"^_?(api_?)?(base(_?url)?|url|host|server(_?url)?|root(_?url)?)$", re.I)
_PARAM = re.compile(r"\{[^{}]*\}")

# a template segment: ("static", text) | ("param", "") | ("mixed", regex of the segment)
Segment = tuple[str, str]


def _template_segment(text: str) -> Segment:
    if "{" not in text:
        return ("static", text)
    if _PARAM.fullmatch(text):
        return ("param", "")
    pieces = _PARAM.split(text)
    return ("mixed", "[^/]+".join(re.escape(p) for p in pieces))


def _segments(path: str) -> list[str]:
    return [s for s in path.strip("/").split("/") if s]


def _segment_score(template: Segment, called: str) -> int | None:
    """2 for a static match, 1 for a parameter, None for no match."""
    kind, text = template
    hole = "{}" in called
    if kind == "static":
        if not hole:
            return 2 if text == called else None
        if called == "{}":
            return None
        pattern = "[^/]+".join(re.escape(p) for p in called.split("{}"))
        return 1 if re.fullmatch(pattern, text) else None
    if kind == "param":
        return 1
    if not hole:
        return 1 if re.fullmatch(text, called) else None
    return 1


def shared_base_path(endpoints: Iterable[Endpoint]) -> str:
    """The static prefix every endpoint shares, each keeping at least one static segment of its
    own (`/v1/pets`, `/v1/pets/{id}` → `/v1`); `""` when there is none."""
    common: list[str] | None = None
    for endpoint in endpoints:
        statics: list[str] = []
        for segment in _segments(endpoint.path):
            if "{" in segment:
                break
            statics.append(segment)
        statics = statics[:-1]
        if common is None:
            common = statics
        else:
            n = 0
            while n < min(len(common), len(statics)) and common[n] == statics[n]:
                n += 1
            common = common[:n]
    return "/" + "/".join(common) if common else ""


def _clean_prefix(prefix: str) -> str:
    prefix = "/" + prefix.strip().strip("/")
    return "" if prefix == "/" else prefix


class Matcher:
    """Finds the one endpoint a request reaches (the most specific when several templates fit)."""

    def __init__(
        self,
        endpoints: Iterable[Endpoint],
        base_paths: Sequence[str] = (),
        hosts: Iterable[str] = (),
        suite_hosts: Iterable[str] = (),
    ) -> None:
        chosen = list(endpoints)
        self._index: dict[tuple[str, int], list[tuple[EndpointKey, list[Segment]]]] = {}
        for endpoint in sorted(chosen, key=lambda e: (e.path, e.method)):
            segments = [_template_segment(s) for s in _segments(endpoint.path)]
            key = (endpoint.method, len(segments))
            self._index.setdefault(key, []).append(((endpoint.method, endpoint.path), segments))
        prefixes = {_clean_prefix(p) for p in base_paths} | {shared_base_path(chosen)}
        self.prefixes = tuple(sorted(p for p in prefixes if p))
        self.hosts = frozenset(h.lower() for h in hosts) | LOCAL_HOSTS | frozenset(suite_hosts)

    def ours(self, request: Request) -> bool:
        """Whether the request goes to this service (not to another host)."""
        return request.host is None or request.host in self.hosts

    def _candidates(self, path: str) -> list[str]:
        found = [path]
        for prefix in self.prefixes:
            found.append(prefix + (path if path != "/" else ""))
            if path == prefix or path.startswith(prefix + "/"):
                found.append(path[len(prefix) :] or "/")
        return found

    def endpoint_of(self, request: Request) -> EndpointKey | None:
        if not self.ours(request):
            return None
        best: tuple[int, EndpointKey] | None = None
        for candidate in self._candidates(request.path):
            called = _segments(candidate)
            for key, template in self._index.get((request.method, len(called)), []):
                total = 0
                for t, c in zip(template, called, strict=True):
                    score = _segment_score(t, c)
                    if score is None:
                        break
                    total += score
                else:
                    if best is None or total > best[0]:
                        best = (total, key)
        return best[1] if best is not None else None


def suite_hosts(requests: Iterable[Request]) -> set[str]:
    """Hosts the suite reaches through a base-URL name (`BASE_URL`, `base_url`, `API_URL`…)."""
    return {
        r.host
        for r in requests
        if r.host is not None and r.host_name is not None and BASE_NAME.match(r.host_name)
    }
