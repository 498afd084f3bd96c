"""Precision and recall of `testgen scan` on a real-code corpus, against each repo's own OpenAPI.

Each corpus entry is `bench/corpus/<name>.json`:

    {"repo": "owner/name", "commit": "<40 hex>", "root": "subdir or ''",
     "frameworks": ["fastapi"], "truth_from": "path/of/generated/openapi.json",
     "exclude": ["other/generated/spec.yaml"], "prefix": null, "notes": "...",
     "paths": ["/api/v1"], "skip_paths": ["/api/v1/internal"],
     "undocumented": {"POST /old/claim": "why the spec leaves this served route out"},
     "skip_files": ["src/other-server.ts"], "skip_deprecated": false}

and `bench/corpus/<name>.truth`: sorted lines `METHOD /path`, derived (never hand-written) from
the committed OpenAPI document the project generates from its own code, with its
`servers`/`basePath` prefix (or `prefix`, when the entry states how the app is really served).

Scoping, both sides alike: `paths` (path prefixes, whole segments) limits truth and found to what
the spec's generator covers and the scanned code serves, `skip_paths` leaves prefixes out (a
generator hook's filter, routes another process serves). `undocumented` lists routes the code
serves that the document leaves out through no choice of the code (a generator's limitation, a
deprecated alias kept without its comment), each with its reason: they count as truth.
`skip_files` (path prefixes under the root) leaves out found routes of other servers the
repository starts (an event receiver, a metrics port) that the spec's generator never registers;
`skip_deprecated` leaves out found routes the code marks deprecated, for a generator that drops
them (say so in `notes`).

Usage:
    python bench/scan_corpus.py truth NAME...     # (re)derive NAME.truth from the repo's spec
    python bench/scan_corpus.py score [NAME...]   # scan each repo and score it (all by default)
    python bench/scan_corpus.py score --check     # exit 1 below the targets

Sources come from bare git mirrors: `$TESTGEN_CORPUS_MIRROR/<owner>+<name>/…` (default
`/work/.mirror`, where the `fetch` tool puts them). The commit is extracted with `git archive`
into `$TESTGEN_CORPUS_CACHE` (default `$XDG_CACHE_HOME/testgen-corpus`), the truth document and
every `exclude` path are deleted from the extracted tree, and the tree is scanned with the same
call `testgen scan --no-cache` makes. Entries whose mirror or commit is absent are skipped.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "corpus"
DEFAULT_MIRROR = Path("/work/.mirror")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
TARGET_REPO = 0.9
TARGET_OVERALL = 0.97
EXAMPLES = 5

_PARAM = re.compile(r"\{[^{}]*\}")


# --- pure parts: truth derivation, normalisation, scoring -------------------------------------


def server_prefix(servers: Any) -> str:
    """The path part of the first server URL (`{variables}` at their defaults), no trailing /."""
    if not isinstance(servers, list) or not servers or not isinstance(servers[0], dict):
        return ""
    url = str(servers[0].get("url") or "")
    for name, spec in (servers[0].get("variables") or {}).items():
        if isinstance(spec, dict) and "default" in spec:
            url = url.replace("{" + str(name) + "}", str(spec["default"]))
    path = urlparse(url).path if "://" in url else url
    return path.rstrip("/")


def truth_lines(doc: Any, prefix: str | None = None) -> list[str]:
    """Sorted unique `METHOD /path` lines of an OpenAPI 3.x or Swagger 2.0 document.

    The served prefix is `prefix` when given, else Swagger's `basePath` or the `servers` URL
    path (a path item's or operation's own `servers` wins over the document's).
    """
    if not isinstance(doc, dict) or not isinstance(doc.get("paths"), dict):
        raise ValueError("not an OpenAPI/Swagger document: no `paths` object")
    swagger = str(doc.get("swagger", "")).startswith("2")
    if not swagger and not str(doc.get("openapi", "")).startswith("3"):
        raise ValueError("not an OpenAPI 3.x or Swagger 2.0 document")
    if swagger:
        base = str(doc.get("basePath") or "").rstrip("/")
    else:
        base = server_prefix(doc.get("servers"))
    lines: set[str] = set()
    for route, item in doc["paths"].items():
        if not isinstance(item, dict) or not str(route).startswith("/"):
            continue
        item_base = base if swagger else server_prefix(item.get("servers")) or base
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            op_base = item_base if swagger else server_prefix(op.get("servers")) or item_base
            served = (prefix.rstrip("/") if prefix is not None else op_base) + str(route)
            lines.add(f"{method.upper()} {served or '/'}")
    return sorted(lines, key=lambda line: (line.split(" ", 1)[1], line))


def normalise(line: str) -> str:
    """`get /users/{id}/` → `GET /users/{}`: method upper case, any parameter name erased,
    one slash between segments, no trailing slash."""
    method, _, path = line.strip().partition(" ")
    path = _PARAM.sub("{}", path.strip())
    path = "/" + "/".join(segment for segment in path.split("/") if segment)
    return f"{method.upper()} {path}"


@dataclass
class Score:
    """One repository's (or the whole corpus's) comparison of found endpoints with truth."""

    truth: int
    found: int
    true_positives: int
    missed: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        if self.found == 0:
            return 1.0 if self.truth == 0 else 0.0
        return self.true_positives / self.found

    @property
    def recall(self) -> float:
        return self.true_positives / self.truth if self.truth else 1.0

    def meets(self, target: float) -> bool:
        """Precision and recall both at least `target`."""
        return self.precision >= target and self.recall >= target


def score(truth: Iterable[str], found: Iterable[str]) -> Score:
    """Compare normalised `METHOD /path` sets; missed and false lists are sorted."""
    expected = {normalise(line) for line in truth if line.strip()}
    seen = {normalise(line) for line in found if line.strip()}
    hits = expected & seen
    return Score(
        truth=len(expected),
        found=len(seen),
        true_positives=len(hits),
        missed=sorted(expected - seen),
        false=sorted(seen - expected),
    )


def in_scope(line: str, keep: Sequence[str], skip: Sequence[str]) -> bool:
    """Whether `METHOD /path` lies under one of the `keep` prefixes (all when none) and none of
    the `skip` ones; prefixes match whole segments, parameter names aside."""

    def under(path: str, prefix: str) -> bool:
        base = normalise(f"X {prefix}").split(" ", 1)[1].rstrip("/")
        return path == base or path.startswith(base + "/") or not base

    path = normalise(line).split(" ", 1)[1]
    return (not keep or any(under(path, p) for p in keep)) and not any(under(path, p) for p in skip)


def total(scores: Sequence[Score]) -> Score:
    """Micro-averaged score over repositories (every endpoint weighs the same)."""
    return Score(
        truth=sum(s.truth for s in scores),
        found=sum(s.found for s in scores),
        true_positives=sum(s.true_positives for s in scores),
    )


# --- corpus entries, mirrors and extraction ---------------------------------------------------


@dataclass
class Entry:
    name: str
    repo: str
    commit: str
    root: str
    frameworks: list[str]
    truth_from: str
    exclude: list[str]
    prefix: str | None
    notes: str
    app: str | None = None  # the app the spec documents (`module:variable`); default: largest
    paths: list[str] = field(default_factory=list)  # path prefixes the spec covers (all: [])
    skip_paths: list[str] = field(default_factory=list)  # path prefixes it leaves out
    undocumented: dict[str, str] = field(default_factory=dict)  # served, not in the spec: why
    skip_files: list[str] = field(default_factory=list)  # other servers' files (found side)
    skip_deprecated: bool = False  # the generator drops routes marked deprecated

    @classmethod
    def load(cls, path: Path) -> Entry:
        data = json.loads(path.read_text())
        commit = str(data["commit"])
        if not re.fullmatch(r"[0-9a-f]{40}", commit):
            raise ValueError(f"{path.name}: commit must be 40 hex digits")
        return cls(
            name=path.stem,
            repo=str(data["repo"]),
            commit=commit,
            root=str(data.get("root") or "").strip("/"),
            frameworks=[str(f) for f in data.get("frameworks", [])],
            truth_from=str(data["truth_from"]),
            exclude=[str(p) for p in data.get("exclude", [])],
            prefix=data.get("prefix"),
            notes=str(data.get("notes", "")),
            app=data.get("app"),
            paths=[str(p) for p in data.get("paths", [])],
            skip_paths=[str(p) for p in data.get("skip_paths", [])],
            undocumented={str(k): str(v) for k, v in data.get("undocumented", {}).items()},
            skip_files=[str(p) for p in data.get("skip_files", [])],
            skip_deprecated=bool(data.get("skip_deprecated", False)),
        )

    @property
    def truth_file(self) -> Path:
        return CORPUS / f"{self.name}.truth"


def entries(names: Sequence[str]) -> list[Entry]:
    if names:
        return [Entry.load(CORPUS / f"{name.removesuffix('.json')}.json") for name in names]
    return [Entry.load(path) for path in sorted(CORPUS.glob("*.json"))]


def mirror_dir(repo: str) -> Path | None:
    """The bare git directory of `repo` under the mirror folder, if one was fetched."""
    base = Path(os.environ.get("TESTGEN_CORPUS_MIRROR") or DEFAULT_MIRROR)
    top = base / repo.replace("/", "+")
    if not top.is_dir():
        return None
    candidates = [top, *sorted(p for p in top.rglob("*") if p.is_dir())]
    for candidate in candidates:
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir():
            return candidate
    return None


def cache_dir() -> Path:
    explicit = os.environ.get("TESTGEN_CORPUS_CACHE")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "testgen-corpus"


def git(git_dir: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True
    ).stdout


def has_commit(git_dir: Path, commit: str) -> bool:
    result = subprocess.run(
        ["git", f"--git-dir={git_dir}", "cat-file", "-e", f"{commit}^{{commit}}"],
        capture_output=True,
    )
    return result.returncode == 0


def write_blobs(git_dir: Path, commit: str, root: str, target: Path) -> int:
    """Write the regular files of `commit` under `root` into `target` through one
    `git cat-file --batch`; returns how many blobs the mirror lacks (a fetched snapshot may
    list its largest files without holding them, and `git archive` then refuses the tree)."""
    listing = git(git_dir, "ls-tree", "-r", "-z", commit, *([root] if root else []))
    files: list[tuple[str, str]] = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        info, _, name = record.partition(b"\t")
        mode, kind, sha = info.decode().split()
        if kind == "blob" and mode in ("100644", "100755"):
            files.append((sha, name.decode("utf-8", "surrogateescape")))
    missing = 0
    with subprocess.Popen(
        ["git", f"--git-dir={git_dir}", "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    ) as process:
        assert process.stdin is not None and process.stdout is not None
        for sha, name in files:
            process.stdin.write(sha.encode() + b"\n")
            process.stdin.flush()
            header = process.stdout.readline().split()
            if len(header) < 3:  # "<sha> missing"
                missing += 1
                continue
            content = process.stdout.read(int(header[2]))
            process.stdout.read(1)  # the newline after the content
            path = target / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        process.stdin.close()
    return missing


def _safe_member(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
    """tarfile's `data` filter, passing over (not failing on) links that leave the tree."""
    try:
        return tarfile.data_filter(member, dest)
    except tarfile.FilterError:
        return None


def extract(entry: Entry, git_dir: Path) -> tuple[Path, int]:
    """The entry's root at its commit, minus the truth spec and `exclude` paths (cached), and
    how many of its files the mirror lacks."""
    removed = sorted({entry.truth_from, *entry.exclude})
    key = hashlib.sha1(
        json.dumps([entry.commit, entry.root, removed]).encode(), usedforsecurity=False
    ).hexdigest()[:12]
    target = cache_dir() / f"{entry.name}-{entry.commit[:12]}-{key}"
    done = target / ".extracted"
    if not done.exists():
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        archive = target / ".archive.tar"
        missing = 0
        try:
            root = [entry.root] if entry.root else []
            archive.write_bytes(git(git_dir, "archive", entry.commit, *root))
            with tarfile.open(archive) as tar:
                tar.extractall(target, filter=_safe_member)
        except subprocess.CalledProcessError:
            missing = write_blobs(git_dir, entry.commit, entry.root, target)
        archive.unlink(missing_ok=True)
        for relative in removed:
            victim = target / relative
            if victim.is_dir():
                shutil.rmtree(victim)
            else:
                victim.unlink(missing_ok=True)
        done.write_text(str(missing))
    tree = target / entry.root if entry.root else target
    return tree, int(done.read_text() or 0)


def load_document(raw: bytes, path: str) -> Any:
    text = raw.decode("utf-8")
    if path.endswith(".json"):
        return json.loads(text)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)


def derive_truth(entry: Entry) -> str:
    git_dir = mirror_dir(entry.repo)
    if git_dir is None or not has_commit(git_dir, entry.commit):
        return f"{entry.name}: skipped, no mirror of {entry.repo} at {entry.commit[:12]}"
    raw = git(git_dir, "show", f"{entry.commit}:{entry.truth_from}")
    lines = truth_lines(load_document(raw, entry.truth_from), entry.prefix)
    entry.truth_file.write_text("".join(line + "\n" for line in lines))
    return f"{entry.name}: {len(lines)} endpoints from {entry.truth_from} → {entry.truth_file}"


# --- scanning and reporting --------------------------------------------------------------------


@dataclass
class Result:
    entry: Entry
    score: Score
    seconds: float
    leftover_specs: list[str]
    missing_files: int = 0


def scan_lines(tree: Path, entry: Entry | None = None) -> tuple[list[str], list[str], float]:
    """`METHOD /path` of every endpoint `testgen scan` finds in `tree` that the spec's generator
    covers, the spec files it still read, and the scan's wall time.

    Covered: the app the spec documents (the entry's `app`, else the one serving most
    endpoints), endpoints its code leaves in the generated schema, of the entry's `frameworks`
    (drf-spectacular documents DRF views, not plain Django ones), inside the entry's `paths`
    prefixes and outside its `skip_paths` (a generator hook that filters paths, say), not in
    its `skip_files`, and not deprecated when its generator drops those (`skip_deprecated`).
    """
    from bot.scan.engine import scan_path

    start = time.perf_counter()
    inventory = scan_path(tree, None)
    seconds = time.perf_counter() - start
    chosen = inventory.default_app(entry.app if entry else None)
    frameworks = set(entry.frameworks) if entry else set()
    keep, skip = (entry.paths, entry.skip_paths) if entry else ([], [])
    found = [
        f"{e.method} {e.path}"
        for e in inventory.endpoints
        if e.in_schema
        and (chosen is None or e.app == chosen)
        and (not frameworks or e.framework in frameworks)
        and in_scope(f"{e.method} {e.path}", keep, skip)
        and not (entry and entry.skip_deprecated and e.deprecated)
        and not (entry and any(e.file.startswith(f) for f in entry.skip_files))
    ]
    specs = sorted(
        {s.file for e in inventory.endpoints for s in e.sources if s.framework in SPEC_KINDS}
    )
    return found, specs, seconds


SPEC_KINDS = frozenset({"openapi", "swagger"})


def run_entry(entry: Entry) -> Result | str:
    git_dir = mirror_dir(entry.repo)
    if git_dir is None:
        return f"{entry.name}: skipped, no mirror of {entry.repo}"
    if not has_commit(git_dir, entry.commit):
        return f"{entry.name}: skipped, mirror of {entry.repo} lacks {entry.commit[:12]}"
    if not entry.truth_file.exists():
        return f"{entry.name}: skipped, no {entry.truth_file.name} (run `truth {entry.name}`)"
    tree, missing = extract(entry, git_dir)
    found, specs, seconds = scan_lines(tree, entry)
    truth = [
        line
        for line in [*entry.truth_file.read_text().splitlines(), *entry.undocumented]
        if in_scope(line, entry.paths, entry.skip_paths)
    ]
    return Result(entry, score(truth, found), seconds, specs, missing)


def report(results: Sequence[Result], skipped: Sequence[str], target: float) -> list[str]:
    lines = [
        f"{'repository':<28} {'commit':<12} {'truth':>6} {'found':>6} {'tp':>6} "
        f"{'prec':>6} {'recall':>6} {'secs':>6}"
    ]
    for r in results:
        s = r.score
        flag = "" if s.meets(target) else "  below target"
        lines.append(
            f"{r.entry.name:<28} {r.entry.commit[:12]:<12} {s.truth:>6} {s.found:>6} "
            f"{s.true_positives:>6} {s.precision:>6.3f} {s.recall:>6.3f} {r.seconds:>6.1f}{flag}"
        )
    for r in results:
        if (
            r.score.missed
            or r.score.false
            or r.leftover_specs
            or r.missing_files
            or r.entry.undocumented
        ):
            lines.append(f"\n{r.entry.name} ({r.entry.repo}, {', '.join(r.entry.frameworks)}):")
        if r.missing_files:
            lines.append(f"  {r.missing_files} files absent from the mirror (not scanned)")
        if r.entry.undocumented:
            lines.append(
                f"  truth holds {len(r.entry.undocumented)} served routes the spec leaves out "
                "(`undocumented`, each with its reason)"
            )
        if r.leftover_specs:
            lines.append(f"  specs still scanned: {', '.join(r.leftover_specs[:EXAMPLES])}")
        for label, items in (("missed", r.score.missed), ("false", r.score.false)):
            if items:
                more = f" (+{len(items) - EXAMPLES} more)" if len(items) > EXAMPLES else ""
                lines.append(f"  {label}: {'; '.join(items[:EXAMPLES])}{more}")
    if skipped:
        lines.append("")
        lines += skipped
    if results:
        overall = total([r.score for r in results])
        lines.append(
            f"\noverall over {len(results)} repositories: truth {overall.truth}, "
            f"found {overall.found}, tp {overall.true_positives}, "
            f"precision {overall.precision:.3f}, recall {overall.recall:.3f}"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    derive = commands.add_parser("truth", help="derive NAME.truth from the repo's OpenAPI file")
    derive.add_argument("names", nargs="+")
    scoring = commands.add_parser("score", help="scan every (or each named) entry and score it")
    scoring.add_argument("names", nargs="*")
    scoring.add_argument("--check", action="store_true", help="exit 1 below the targets")
    scoring.add_argument("--repo-target", type=float, default=TARGET_REPO)
    scoring.add_argument("--overall-target", type=float, default=TARGET_OVERALL)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if args.command == "truth":
        for entry in entries(args.names):
            print(derive_truth(entry))
        return 0
    results: list[Result] = []
    skipped: list[str] = []
    for entry in entries(args.names):
        outcome = run_entry(entry)
        if isinstance(outcome, str):
            skipped.append(outcome)
        else:
            results.append(outcome)
    print("\n".join(report(results, skipped, args.repo_target)))
    if not args.check:
        return 0
    overall = total([r.score for r in results])
    failing = [r.entry.name for r in results if not r.score.meets(args.repo_target)]
    if not results or failing or not overall.meets(args.overall_target):
        print(f"\nbelow target: {', '.join(failing) or 'overall'}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
