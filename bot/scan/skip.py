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

_TEST_NAMES = frozenset({"conftest.py", "tests.py"})
_TEST_SUFFIXES = ("_test.py", "_tests.py", "Test.java", "Tests.java", "IT.java", "Test.kt", "IT.kt")
_TEST_INFIXES = re.compile(r"\.(?:test|spec|e2e-spec|e2e)\.[cm]?[jt]sx?$")
# UI components (React, Vue, Svelte): the browser's code, never a server's route table.
_FRONTEND_SUFFIXES = (".tsx", ".jsx", ".vue", ".svelte")
_GENERATED_SUFFIXES = ("_pb2.py", "_pb2_grpc.py", "_pb2.pyi", "_pb2_grpc.pyi")  # protobuf stubs
_BUNDLE_SUFFIXES = (".js.map", ".css.map", ".min.js", ".min.mjs", ".min.cjs", "-min.js")
_BUNDLE_NAME = re.compile(r"(?:\.bundle|[.-]chunk|\.[0-9a-f]{8,32})\.[cm]?jsx?$")
_JS_SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts")
_ALL_DIRS = BUILD_DIRS | TEST_DIRS | VENDOR_DIRS | GENERATED_DIRS | {_TEST_SINGULAR}
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
    if not _ALL_DIRS.isdisjoint(folders) or ".egg-info" in path:  # cheap first: most paths pass
        reason = _folder_reason(folders)
        if reason is not None:
            return reason
    if name.endswith(_GENERATED_SUFFIXES):
        return "generated"
    if name.endswith(_FRONTEND_SUFFIXES):
        return "frontend"
    if name.endswith(_BUNDLE_SUFFIXES):
        return "bundle"
    if name.endswith(_JS_SUFFIXES):
        if _BUNDLE_NAME.search(name):
            return "bundle"
        if _TEST_INFIXES.search(name):
            return "test"
    elif (
        name in _TEST_NAMES
        or name.endswith(_TEST_SUFFIXES)
        or (name.startswith("test_") and name.endswith(".py"))
    ):
        return "test"
    return None


def _folder_reason(folders: list[str]) -> str | None:
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
