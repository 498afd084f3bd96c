"""The corpus harness derives truth from a spec, normalises paths and scores found against truth."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bench.scan_corpus import Entry, in_scope, main, normalise, score, total, truth_lines

SWAGGER_WITH_BASE = {
    "swagger": "2.0",
    "basePath": "/store/v2/",
    "paths": {
        "/orders": {"get": {}, "post": {}, "parameters": []},
        "/orders/{orderRef}": {"delete": {}, "x-internal": {}},
    },
}

OPENAPI_WITH_SERVERS = {
    "openapi": "3.0.3",
    "servers": [
        {
            "url": "https://{region}.shop.example/{stage}",
            "variables": {"stage": {"default": "beta"}, "region": {"default": "eu"}},
        }
    ],
    "paths": {
        "/carts/{cart}": {"put": {}, "summary": "not an operation"},
        "/admin/reindex": {"servers": [{"url": "/internal"}], "post": {}},
        "/health": {"get": {"servers": [{"url": "http://ops.example/probe/"}]}},
        "x-not-a-path": {"get": {}},
    },
}


def test_swagger_truth_carries_the_base_path_once_per_operation() -> None:
    assert truth_lines(SWAGGER_WITH_BASE) == [
        "GET /store/v2/orders",
        "POST /store/v2/orders",
        "DELETE /store/v2/orders/{orderRef}",
    ]


def test_openapi_truth_uses_server_variables_and_the_nearest_servers_list() -> None:
    assert truth_lines(OPENAPI_WITH_SERVERS) == [
        "PUT /beta/carts/{cart}",
        "POST /internal/admin/reindex",
        "GET /probe/health",
    ]


def test_a_stated_served_prefix_replaces_what_the_spec_says() -> None:
    assert truth_lines(SWAGGER_WITH_BASE, prefix="/gateway/") == [
        "GET /gateway/orders",
        "POST /gateway/orders",
        "DELETE /gateway/orders/{orderRef}",
    ]


def test_a_document_without_paths_is_refused() -> None:
    with pytest.raises(ValueError, match="paths"):
        truth_lines({"openapi": "3.1.0", "info": {}})
    with pytest.raises(ValueError, match=r"3\.x or Swagger"):
        truth_lines({"openapi": "1.0", "paths": {}})


@pytest.mark.parametrize(
    ("line", "shape"),
    [
        ("get /a/{id}/", "GET /a/{}"),
        ("PATCH //a//{x}/{y:int}/b", "PATCH /a/{}/{}/b"),
        ("GET /", "GET /"),
        ("delete  /v1/things/{thing_id}", "DELETE /v1/things/{}"),
    ],
)
def test_normalise_erases_names_case_and_slashes(line: str, shape: str) -> None:
    assert normalise(line) == shape


def test_score_counts_hits_misses_and_false_endpoints_by_shape() -> None:
    truth = ["GET /pets", "GET /pets/{petId}", "DELETE /pets/{petId}", "POST /pets"]
    found = ["GET /pets/", "get /pets/{id}", "POST /pets", "GET /internal/metrics"]
    result = score(truth, found)
    assert (result.truth, result.found, result.true_positives) == (4, 4, 3)
    assert result.missed == ["DELETE /pets/{}"]
    assert result.false == ["GET /internal/metrics"]
    assert result.precision == 0.75
    assert result.recall == 0.75
    assert not result.meets(0.9)


def test_empty_sides_score_as_nothing_found_or_nothing_to_find() -> None:
    assert score([], []).meets(1.0)
    nothing_found = score(["GET /a"], [])
    assert (nothing_found.precision, nothing_found.recall) == (0.0, 0.0)


def test_overall_score_weighs_every_endpoint_the_same() -> None:
    small = score(["GET /a"], ["GET /b"])
    large = score([f"GET /r{i}" for i in range(9)], [f"GET /r{i}" for i in range(9)])
    overall = total([small, large])
    assert (overall.truth, overall.found, overall.true_positives) == (10, 10, 9)
    assert overall.recall == 0.9


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def test_truth_and_score_run_end_to_end_on_a_local_mirror(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    work = tmp_path / "work"
    (work / "svc").mkdir(parents=True)
    (work / "svc" / "main.py").write_text(
        "from fastapi import FastAPI\n"
        "app = FastAPI()\n"
        "@app.get('/kennels/{kennel_id}')\n"
        "def kennel(kennel_id: int): ...\n"
    )
    spec = {
        "openapi": "3.1.0",
        "paths": {"/kennels/{kennel_id}": {"get": {}}, "/kennels": {"post": {}}},
    }
    (work / "svc" / "openapi.json").write_text(json.dumps(spec))
    _git(work, "init", "-q")
    _git(work, "add", ".")
    _git(work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x")
    commit = _git(work, "rev-parse", "HEAD")
    mirrors = tmp_path / "mirrors"
    _git(tmp_path, "clone", "-q", "--bare", str(work), str(mirrors / "acme+kennel" / "repo"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kennel.json").write_text(
        json.dumps(
            {
                "repo": "acme/kennel",
                "commit": commit,
                "root": "svc",
                "frameworks": ["fastapi"],
                "truth_from": "svc/openapi.json",
                "notes": "",
            }
        )
    )
    monkeypatch.setenv("TESTGEN_CORPUS_MIRROR", str(mirrors))
    monkeypatch.setenv("TESTGEN_CORPUS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr("bench.scan_corpus.CORPUS", corpus)
    assert Entry.load(corpus / "kennel.json").root == "svc"

    assert main(["truth", "kennel"]) == 0
    assert (corpus / "kennel.truth").read_text() == "POST /kennels\nGET /kennels/{kennel_id}\n"

    # the truth spec is removed from the scanned tree: only the code's one route is found
    assert main(["score", "--check"]) == 1
    out = capsys.readouterr().out
    assert "missed: POST /kennels" in out
    assert "precision 1.000, recall 0.500" in out
    assert "specs still scanned" not in out


def test_entries_without_a_mirror_are_skipped_and_said_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    entry = {"repo": "nobody/absent", "commit": "a" * 40, "truth_from": "openapi.yaml"}
    (corpus / "absent.json").write_text(json.dumps(entry))
    monkeypatch.setenv("TESTGEN_CORPUS_MIRROR", str(tmp_path / "none"))
    monkeypatch.setattr("bench.scan_corpus.CORPUS", corpus)
    assert main(["score"]) == 0
    assert "absent: skipped, no mirror of nobody/absent" in capsys.readouterr().out
    assert main(["score", "--check"]) == 1


def test_scope_prefixes_match_whole_segments_whatever_the_parameter_names() -> None:
    skip = ["/v2/swap/{kind}/stats", "/v2/asset"]
    assert not in_scope("GET /v2/swap/{swap_type}/stats/{from}/{to}", [], skip)
    assert in_scope("GET /v2/swap/{id}", [], skip)
    assert in_scope("GET /v2/assets", [], skip)  # a longer segment is another route
    assert not in_scope("POST /v2/asset/{c}/rescue/setup", [], skip)
    assert in_scope("GET /api/v1/users", ["/api/v1/"], [])
    assert not in_scope("GET /api/v10/users", ["/api/v1"], [])


def test_undocumented_routes_count_as_truth_and_scopes_apply_to_both_sides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "main.py").write_text(
        "from fastapi import FastAPI\n"
        "app = FastAPI()\n"
        "@app.get('/pets')\n"
        "def pets(): ...\n"
        "@app.post('/pets/adopt')\n"
        "def adopt_old(): ...\n"
        "@app.get('/admin/stats')\n"
        "def stats(): ...\n"
    )
    spec = {"openapi": "3.0.0", "paths": {"/pets": {"get": {}}, "/sidecar/quote": {"get": {}}}}
    (work / "openapi.json").write_text(json.dumps(spec))
    _git(work, "init", "-q")
    _git(work, "add", ".")
    _git(work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x")
    mirrors = tmp_path / "mirrors"
    _git(tmp_path, "clone", "-q", "--bare", str(work), str(mirrors / "acme+pets" / "repo"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    entry = {
        "repo": "acme/pets",
        "commit": _git(work, "rev-parse", "HEAD"),
        "truth_from": "openapi.json",
        "skip_paths": ["/sidecar", "/admin"],
        "undocumented": {"POST /pets/adopt": "a deprecated alias without docs"},
    }
    (corpus / "pets.json").write_text(json.dumps(entry))
    monkeypatch.setenv("TESTGEN_CORPUS_MIRROR", str(mirrors))
    monkeypatch.setenv("TESTGEN_CORPUS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr("bench.scan_corpus.CORPUS", corpus)
    assert main(["truth", "pets"]) == 0

    assert main(["score", "--check"]) == 0
    out = capsys.readouterr().out
    assert "truth 2, found 2, tp 2" in out
    assert "truth holds 1 served routes the spec leaves out" in out
