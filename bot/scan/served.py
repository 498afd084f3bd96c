"""Which OpenAPI files in a tree describe this repository's app, and under which served prefix.

A spec file counts when there is no code route at all (a spec-first or spec-only repository),
when code or config names it (`add_api("openapi.yaml")`, `apiSpec: ./api.json`), or when at
least a quarter of its operations are code routes too. One that does none of these is another
service's API (a partner's SDK spec, an upstream the app calls) when another spec of the tree
does describe the code, or when it lies in a client-side folder (`integrations/`, `sdk/`,
`clients/`, `carriers/` …); it is left out with one warning. Otherwise it counts: a spec-first
app's code may implement only part of it yet. Specs in `vendor/`, `third_party/` and the like
are not read at all (`skip`).

Routes declared in a top-level folder of tooling or samples (`scripts/`, `examples/`, `docs/`,
`benchmarks/` …: a dev mock server, a docs sample) are not the app's when the app's routes are
elsewhere; they are left out with one warning that counts them.

A counted spec and the code may disagree on the served prefix: the spec's `servers` says
`/api/v1` where the code's routes are bare (a proxy or `root_path` adds it), or the spec was
generated from a sub-app the code mounts under `/api`. When one prefix lines up more operations
than the plain comparison, the matching sightings take the longer, served path, so each
operation is listed once; a spec without the code's mount prefix gets it on every operation.
A spec whose `servers` repeats the prefix its paths already carry (`servers: /api/v1`, paths
`/api/v1/users`) is read with the prefix once, as the code serves it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from bot.scan.model import Endpoint, ScanWarning

SPEC_KINDS = frozenset({"openapi", "swagger"})
MIN_OVERLAP = 0.25
# Folders where a spec describes a service the code calls, not the one it serves.
CLIENT_DIRS = frozenset(
    {
        "sdk",
        "sdks",
        "client",
        "clients",
        "integration",
        "integrations",
        "connectors",
        "providers",
        "partners",
        "carriers",
        "upstream",
        "external",
    }
)
NOT_THIS_APP = (
    "OpenAPI file left out: {matched} of its {total} operations are routes of this repository's "
    "code, no code or config names the file, and its place says it describes another service"
)

AUXILIARY_DIRS = frozenset(
    {
        "scripts",
        "script",
        "examples",
        "example",
        "samples",
        "sample",
        "demo",
        "demos",
        "docs",
        "doc",
        "benchmarks",
        "benchmark",
        "bench",
        "tools",
        "playground",
        "sandbox",
        "mocks",
        "mock",
    }
)
AUXILIARY_LEFT_OUT = (
    "{count} route(s) declared under {folders} left out: tooling and samples, not the app, "
    "whose routes are declared elsewhere"
)

Key = tuple[str, str]


def without_auxiliary(endpoints: list[Endpoint]) -> tuple[list[Endpoint], list[ScanWarning]]:
    """Code endpoints outside tooling and sample folders, when there are any; else all."""

    def top(endpoint: Endpoint) -> str | None:
        first = endpoint.file.split("/", 1)[0]
        spec = endpoint.framework in SPEC_KINDS
        return first if first in AUXILIARY_DIRS and "/" in endpoint.file and not spec else None

    aside = [e for e in endpoints if top(e) is not None]
    kept = [e for e in endpoints if top(e) is None]
    if not aside or not any(e.framework not in SPEC_KINDS for e in kept):
        return endpoints, []
    folders = ", ".join(f"`{f}/`" for f in sorted({str(top(e)) for e in aside}))
    message = AUXILIARY_LEFT_OUT.format(count=len(aside), folders=folders)
    return kept, [ScanWarning(file=".", message=message)]


def _cuts(shape: str) -> list[int]:
    """Positions of every `/` but the first: where a prefix may end."""
    return [i for i in range(1, len(shape)) if shape[i] == "/"]


def _segments(path: str, count: int) -> str:
    """The first `count` segments of `path`, with their leading slashes."""
    return "/" + "/".join(path.strip("/").split("/")[:count]) if count else ""


def _best_prefix(spec: set[Key], code: set[Key]) -> tuple[str, str, int]:
    """(`spec` when the spec's paths are longer else `code`, prefix shape, operations lined up)."""
    votes: Counter[tuple[str, str]] = Counter()
    for method, shape in spec:
        for cut in _cuts(shape):
            if (method, shape[cut:]) in code:
                votes["spec", shape[:cut]] += 1
    for method, shape in code:
        for cut in _cuts(shape):
            if (method, shape[cut:]) in spec:
                votes["code", shape[:cut]] += 1
    if not votes:
        return "", "", 0
    (longer, prefix), count = votes.most_common(1)[0]
    return longer, prefix, count


def _named(file: str, mentions: set[str]) -> bool:
    return file.rsplit("/", 1)[-1] in mentions


def _elsewhere(file: str, has_code: bool, describing: set[str], mentions: set[str]) -> bool:
    """Whether an unmatched, unnamed spec describes another service than the code's."""
    if not has_code or file in describing or _named(file, mentions):
        return False
    return bool(describing) or bool(CLIENT_DIRS & set(file.lower().split("/")[:-1]))


def served(
    endpoints: Iterable[Endpoint], mentions: set[str]
) -> tuple[list[Endpoint], list[ScanWarning]]:
    """Code endpoints, plus the endpoints of every spec that counts, on their served paths."""
    code = [e for e in endpoints if e.framework not in SPEC_KINDS]
    specs: dict[str, list[Endpoint]] = {}
    for endpoint in endpoints:
        if endpoint.framework in SPEC_KINDS:
            specs.setdefault(endpoint.file, []).append(endpoint)
    if not specs:
        return code, []
    code_keys = {e.key for e in code}
    kept: list[Endpoint] = []
    warnings: list[ScanWarning] = []
    lined: dict[str, tuple[int, str, str, int]] = {}
    for file, members in specs.items():
        spec_keys = {e.key for e in members}
        direct = len(spec_keys & code_keys)
        longer, prefix, lined_up = _best_prefix(spec_keys, code_keys)
        lined[file] = (direct, longer, prefix, lined_up)
    describing = {
        f for f, (d, _l, _p, n) in lined.items() if max(d, n) >= MIN_OVERLAP * len(specs[f])
    }
    for file, members in sorted(specs.items()):
        direct, longer, prefix, lined_up = lined[file]
        matched = max(direct, lined_up)
        if _elsewhere(file, bool(code), describing, mentions):
            total = len({e.key for e in members})
            message = NOT_THIS_APP.format(matched=matched, total=total)
            warnings.append(ScanWarning(file=file, message=message))
            continue
        if lined_up <= direct:
            kept += members
            continue
        depth = prefix.count("/")
        if longer == "spec" and _repeated(prefix, members):
            kept += [_unrepeated(e, prefix) for e in members]
        elif longer == "spec":  # the code's routes lack the spec's `servers` prefix
            by_key: dict[Key, Endpoint] = {e.key: e for e in members}
            code = [_moved_under(e, prefix, by_key) for e in code]
            kept += members
        else:  # the spec lacks the mount prefix the code puts its app under
            example = next(
                c for c in code if c.key[1].startswith(prefix + "/") and c.key[1] != prefix
            )
            real = _segments(example.path, depth)
            kept += [e.model_copy(update={"path": real + e.path}) for e in members]
    return code + kept, warnings


def _doubled(shape: str, prefix: str) -> bool:
    return shape == prefix + prefix or shape.startswith(prefix + prefix + "/")


def _repeated(prefix: str, members: list[Endpoint]) -> bool:
    """Whether the spec's `servers` prefix repeats one its paths already carry: most of its
    operations are `prefix` twice, then the route (`/api/v1/api/v1/users`)."""
    return sum(1 for e in members if _doubled(e.key[1], prefix)) * 2 > len(members)


def _unrepeated(endpoint: Endpoint, prefix: str) -> Endpoint:
    """`endpoint` with its twice-written leading `prefix` once."""
    if not _doubled(endpoint.key[1], prefix):
        return endpoint
    path = endpoint.path[len(_segments(endpoint.path, prefix.count("/"))) :] or "/"
    return endpoint.model_copy(update={"path": path})


def _moved_under(endpoint: Endpoint, prefix: str, spec: dict[Key, Endpoint]) -> Endpoint:
    """`endpoint` on the spec's path when the spec lists it under `prefix`."""
    twin = spec.get((endpoint.method, prefix + endpoint.key[1]))
    return endpoint if twin is None else endpoint.model_copy(update={"path": twin.path})
