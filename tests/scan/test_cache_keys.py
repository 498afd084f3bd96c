"""The CLI's cache: results keyed by content and path, kept in the user's cache folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.scan.cache import DirectoryCache, default_cache_dir
from bot.scan.engine import ScanStats, scan_path
from tests.scan.conftest import routes

TWIN = b"""from flask import Blueprint

bp = Blueprint("twin", __name__)


@bp.get("/state")
def state(): ...
"""

APP = b"""from flask import Flask

from north.views import bp as north
from south.views import bp as south

app = Flask(__name__)
app.register_blueprint(north, url_prefix="/north")
app.register_blueprint(south, url_prefix="/south")
"""


def _tree(root: Path) -> Path:
    for rel, content in {
        "app.py": APP,
        "north/__init__.py": b"",
        "south/__init__.py": b"",
        "north/views.py": TWIN,
        "south/views.py": TWIN,
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(content)
    return root


def test_identical_files_at_two_paths_keep_their_own_results(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "repo")
    uncached = sorted(routes(scan_path(tree)))
    assert uncached == [("GET", "/north/state"), ("GET", "/south/state")]
    cache = DirectoryCache(tmp_path / "cache")
    assert sorted(routes(scan_path(tree, cache))) == uncached
    stats = ScanStats()
    again = scan_path(tree, DirectoryCache(tmp_path / "cache"), stats=stats)
    assert sorted(routes(again)) == uncached
    assert stats.read == 0


def test_the_same_file_at_the_same_path_of_another_checkout_is_not_parsed_again(
    tmp_path: Path,
) -> None:
    cache = DirectoryCache(tmp_path / "cache")
    scan_path(_tree(tmp_path / "one"), cache)
    stats = ScanStats()
    scan_path(_tree(tmp_path / "two"), cache, stats=stats)
    assert (stats.read, stats.extracted) == (stats.files, 0)


def test_default_folder_is_the_users_cache_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TESTGEN_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "testgen"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "testgen"
    monkeypatch.setenv("TESTGEN_DATA_DIR", str(tmp_path / "bot-data"))
    assert default_cache_dir() == tmp_path / "bot-data" / "scan-cache"


def test_scan_leaves_the_current_directory_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = _tree(tmp_path / "repo")
    standing = tmp_path / "standing"
    standing.mkdir()
    monkeypatch.chdir(standing)
    monkeypatch.delenv("TESTGEN_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert main(["scan", str(tree)]) == 0
    assert "/north/state" in capsys.readouterr().out
    assert list(standing.iterdir()) == []
    assert any((tmp_path / "xdg" / "testgen").rglob("*"))


def test_help_says_where_the_cache_lives() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "scan", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    text = " ".join(result.stdout.split())
    assert "$XDG_CACHE_HOME/testgen" in text
    assert "~/.cache/testgen" in text
    assert "TESTGEN_DATA_DIR" in text
