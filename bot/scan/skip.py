"""Files that are not the app's served code: build output, bundles, tests, vendored, generated.

Decided by path for every family at once (the CLI's walk and the bot's tree listing alike), and
by content for minified or bundled sources: long lines, few of them. Skipped bundles are summed
up in one warning per scan; tests, vendored copies, generated code (database migrations,
protobuf stubs) and UI components (`.tsx`, `.jsx`, `.vue`, `.svelte`) are left out silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.scan.model import ScanWarning

# Folders of build output, dependencies, caches and tool state: never the app's source.
BUILD_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "bower_components",
        "jspm_packages",
        ".venv",
        "venv",
        ".virtualenv",
        "site-packages",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
        ".nox",
        ".eggs",
        "build",
        "dist",
        "target",
        ".gradle",
        ".idea",
        ".next",
        ".nuxt",
        ".svelte-kit",
        ".output",
        ".angular",
        ".turbo",
        ".parcel-cache",
        "storybook-static",
        "coverage",
        "htmlcov",
        ".testgen-cache",
    }
)
# Test code: its routes (test apps, mocks) are not served by the repository's app. A folder
# named `test` is test code at the top of the tree or of a `src/` (Maven's `src/test/java`); deeper
# it may be an app's feature module (`src/modules/test/test.controller.ts`), so it is read.
TEST_DIRS = frozenset({"tests", "__tests__", "__mocks__", "e2e"})
_TEST_SINGULAR = "test"
# Other projects' code and specs copied into this one.
VENDOR_DIRS = frozenset({"vendor", "vendors", "vendored", "third_party", "third-party", "3rdparty"})
# Generated code that never declares a route: database migrations.
GENERATED_DIRS = frozenset({"migrations", "_migrations", "alembic"})
SKIPPED_DIRS = BUILD_DIRS | TEST_DIRS | VENDOR_DIRS | GENERATED_DIRS

_TEST_FILE = re.compile(
    r"(?:^test_.*\.py|.*_tests?\.py|^conftest\.py|^tests\.py"
    r"|.*\.(?:test|spec|e2e-spec|e2e)\.[cm]?[jt]sx?"
    r"|.*(?:Tests?|IT)\.(?:java|kt))$"
)
# UI components (React, Vue, Svelte): the browser's code, never a server's route table.
_FRONTEND_SUFFIXES = (".tsx", ".jsx", ".vue", ".svelte")
_GENERATED_FILE = re.compile(r".*_pb2(?:_grpc)?\.pyi?$")  # protobuf and gRPC stubs
_BUNDLE_FILE = re.compile(
    r".*(?:[.-]min|\.bundle|[.-]chunk|\.[0-9a-f]{8,32})\.[cm]?jsx?$|.*\.(?:js|css)\.map$"
)
BUNDLE_SKIPPED = "skipped: minified or bundled"
BUNDLES_SUMMARY = (
    "skipped {count} minified or bundled file(s), which hold no route declarations "
    "(for example {examples})"
)
# A source whose lines average this many bytes, or with one line this long, is machine-written.
_MEAN_LINE_BYTES = 300
_LONGEST_LINE_BYTES = 32 * 1024
_SPEC_SUFFIXES = (".json", ".yaml", ".yml")


def skip_reason(path: str) -> str | None:
    """`build`, `test`, `vendored`, `generated`, `frontend` or `bundle` when the
    repository-relative `path` is not the app's served source by its name alone; else None."""
    *folders, name = path.split("/")
    for index, folder in enumerate(folders):
        if folder == _TEST_SINGULAR and (index == 0 or folders[index - 1] == "src"):
            return "test"
        if folder in BUILD_DIRS or folder.endswith(".egg-info"):
            return "build"
        if folder in VENDOR_DIRS:
            return "vendored"
        if folder in TEST_DIRS:
            return "test"
        if folder in GENERATED_DIRS:
            return "generated"
    if _GENERATED_FILE.match(name):
        return "generated"
    if name.endswith(_FRONTEND_SUFFIXES):
        return "frontend"
    if _BUNDLE_FILE.match(name):
        return "bundle"
    if _TEST_FILE.match(name):
        return "test"
    return None


def looks_bundled(path: str, content: bytes) -> bool:
    """Whether a source file's shape is a minifier's or bundler's: very long lines. Specs are
    exempt (a generated JSON spec is often one line)."""
    if path.endswith(_SPEC_SUFFIXES) or len(content) < 4096:
        return False
    lines = content.count(b"\n") + 1
    if len(content) / lines > _MEAN_LINE_BYTES:
        return True
    if len(content) < _LONGEST_LINE_BYTES:
        return False
    return max(map(len, content.split(b"\n"))) > _LONGEST_LINE_BYTES


def summarise_bundles(warnings: Iterable[ScanWarning]) -> list[ScanWarning]:
    """Per-file bundle warnings folded into one warning that counts them."""
    kept: list[ScanWarning] = []
    bundles: list[str] = []
    for warning in warnings:
        if warning.message == BUNDLE_SKIPPED:
            bundles.append(warning.file)
        else:
            kept.append(warning)
    if bundles:
        bundles.sort()
        examples = ", ".join(bundles[:3]) + (", …" if len(bundles) > 3 else "")
        message = BUNDLES_SUMMARY.format(count=len(bundles), examples=examples)
        kept.append(ScanWarning(file=".", message=message))
    return kept
