"""The incremental engine: blob SHAs, FileEntry round-trips, the folder cache, bad input."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from bot.scan.cache import DirectoryCache
from bot.scan.engine import FileEntry, ScanStats, extract_file, git_blob_sha, link, scan_path
from tests.scan.conftest import routes

APP = b'from fastapi import FastAPI\napp = FastAPI()\n\n@app.get("/a")\ndef a():\n    pass\n'


class CountingReader:
    def __init__(self) -> None:
        self.paths: list[str] = []

    def __call__(self, path: Path) -> bytes:
        self.paths.append(path.name)
        return path.read_bytes()


def test_blob_sha_matches_git(tmp_path: Path) -> None:
    content = b"print('hello')\n\x00\xff"
    (tmp_path / "f").write_bytes(content)
    expected = subprocess.run(
        ["git", "hash-object", str(tmp_path / "f")], capture_output=True, check=True, text=True
    ).stdout.strip()
    assert git_blob_sha(content) == expected


def test_file_entries_round_trip_through_json_and_link() -> None:
    entries = {"svc/main.py": extract_file("svc/main.py", APP)}
    restored = {p: FileEntry.model_validate_json(e.model_dump_json()) for p, e in entries.items()}
    assert restored == entries
    assert routes(link(restored)) == [("GET", "/a")]
    assert entries["svc/main.py"].sha == git_blob_sha(APP)


def test_second_scan_reads_no_unchanged_file(tmp_path: Path, fixtures: Path) -> None:
    tree = tmp_path / "repo"
    shutil.copytree(fixtures / "fastapi_app", tree)
    cache = DirectoryCache(tmp_path / "cache")
    first_reader, first_stats = CountingReader(), ScanStats()
    first = scan_path(tree, cache, reader=first_reader, stats=first_stats)
    assert first_stats.read == first_stats.files > 10

    reader, stats = CountingReader(), ScanStats()
    second = scan_path(tree, cache, reader=reader, stats=stats)
    assert reader.paths == []
    assert (stats.read, stats.extracted, stats.cache_hits) == (0, 0, stats.files)
    assert second == first

    health = tree / "backend/app/health.py"
    health.write_text(health.read_text().replace('"/internal"', '"/ops"'))
    reader, stats = CountingReader(), ScanStats()
    third = scan_path(tree, cache, reader=reader, stats=stats)
    assert (reader.paths, stats.extracted) == (["health.py"], 1)
    assert ("GET", "/ops/health") in routes(third)
    assert ("GET", "/internal/health") not in routes(third)


def test_same_content_elsewhere_is_a_cache_hit_without_parsing(tmp_path: Path) -> None:
    cache = DirectoryCache(tmp_path / "cache")
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.py").write_bytes(APP)
    scan_path(tmp_path / "one", cache)
    stats = ScanStats()
    inventory = scan_path(tmp_path / "two", cache, stats=stats)
    assert (stats.read, stats.extracted, stats.cache_hits) == (1, 0, 1)
    assert routes(inventory) == [("GET", "/a")]


def test_bad_input_is_skipped_with_warnings(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_bytes(APP)
    (tmp_path / "broken.py").write_bytes(b"def broken(:\n")
    (tmp_path / "binary.py").write_bytes(b"\x00\x01\x02" * 10)
    (tmp_path / "latin.py").write_bytes(b"# caf\xe9\n")
    (tmp_path / "huge.json").write_bytes(b'{"rows": "' + b"a" * (3 << 20) + b'"}')
    outside = tmp_path.parent / f"{tmp_path.name}-outside.py"
    outside.write_bytes(APP)
    os.symlink(outside, tmp_path / "escape.py")
    for skipped in ("node_modules", ".venv", ".git", "build"):
        (tmp_path / skipped).mkdir()
        (tmp_path / skipped / "routes.py").write_bytes(APP.replace(b'"/a"', b'"/nope"'))
    inventory = scan_path(tmp_path)
    assert routes(inventory) == [("GET", "/a")]
    assert {(w.file, w.message.split(":")[0]) for w in inventory.warnings} == {
        ("binary.py", "skipped"),
        ("broken.py", "not parsed as Python"),
        ("escape.py", "skipped"),
        ("huge.json", "skipped"),
        ("latin.py", "skipped"),
    }
    messages = {w.file: w.message for w in inventory.warnings}
    assert messages["escape.py"] == "skipped: symlink points out of the tree"
    assert messages["huge.json"] == "skipped: larger than 2 MiB and not a spec"
    assert messages["binary.py"] == "skipped: binary content"


def test_damaged_cache_is_treated_as_missing(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "main.py").write_bytes(APP)
    cache = DirectoryCache(tmp_path / "cache")
    scan_path(tmp_path / "repo", cache)
    for file in (p for p in (tmp_path / "cache").rglob("*") if p.is_file()):
        file.write_bytes(b"{not json")
    assert routes(scan_path(tmp_path / "repo", cache)) == [("GET", "/a")]
