"""Broken, binary and huge input gives warnings from both tree-sitter families, never a crash."""

from __future__ import annotations

import pytest

from bot.scan.family import Facts
from bot.scan.java import FAMILY as JAVA
from bot.scan.javascript import FAMILY as JAVASCRIPT

BINARY = b"\x7fELF\x00\x00\x01" + bytes(range(256)) * 4
HUGE = b"// filler\n" * 250_000


@pytest.mark.parametrize("family, path", [(JAVASCRIPT, "src/app.js"), (JAVA, "src/A.java")])
@pytest.mark.parametrize(
    "source, expected",
    [
        (BINARY, "file skipped: looks binary (NUL bytes)"),
        (HUGE, "file skipped: 2500000 bytes is over the 2000000-byte limit"),
    ],
)
def test_unreadable_files_are_skipped_with_a_warning(
    family: object, path: str, source: bytes, expected: str
) -> None:
    facts: Facts = family.extract(path, source)  # type: ignore[attr-defined]
    result = family.link({path: facts})  # type: ignore[attr-defined]
    assert (result.endpoints, [(w.file, w.message) for w in result.warnings]) == (
        [],
        [(path, expected)],
    )


def test_broken_javascript_keeps_well_formed_routes() -> None:
    source = b"""const express = require('express');
const app = express();
app.get('/ok', ok);
app.post('/broken', (req, res) => { res.send( });
"""
    result = JAVASCRIPT.link({"app.js": JAVASCRIPT.extract("app.js", source)})
    assert [(e.method, e.path) for e in result.endpoints] == [("GET", "/ok")]
    assert [(w.file, w.line) for w in result.warnings] == [("app.js", 4)]


def test_odd_encodings_and_import_cycles_do_not_crash() -> None:
    files = {
        "a.js": "const { Router } = require('express');\nconst b = require('./b');\n"
        "const r = Router();\nr.use('/b', b);\nr.get('/caf\u00e9', h);\n"
        "module.exports = r;\n".encode("latin-1"),
        "b.js": b"const a = require('./a');\nmodule.exports = a;\n",
        "c.js": b"\xff\xfe\x00garbage",
    }
    facts = {path: JAVASCRIPT.extract(path, data) for path, data in files.items()}
    result = JAVASCRIPT.link(facts)
    assert ("GET", "/caf\ufffd") in [(e.method, e.path) for e in result.endpoints]
    assert any(w.file == "c.js" for w in result.warnings)
    assert any("cycle" in w.message for w in result.warnings)
