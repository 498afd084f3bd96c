"""Duplicates: copies found whatever their names and literals; other endpoints and other
assertions never; checked against a labelled fixture set."""

from __future__ import annotations

import json
from pathlib import Path

from bot.analysis.duplicates import find_duplicates
from bot.analysis.sources import read_folder

FIXTURES = Path(__file__).parents[1] / "fixtures" / "duplicates"
LABELS = json.loads((FIXTURES / "labels.json").read_text())


def _group_of(groups: list[tuple[str, ...]], test: str) -> set[str]:
    return next((set(g) for g in groups if test in g), {test})


def test_the_labelled_copies_are_grouped_and_nothing_else() -> None:
    groups = find_duplicates(read_folder(FIXTURES))
    assert sorted(sorted(g.tests) for g in groups) == sorted(sorted(g) for g in LABELS["groups"])


def test_tests_of_other_endpoints_or_with_other_assertions_are_never_copies() -> None:
    groups = [g.tests for g in find_duplicates(read_folder(FIXTURES), threshold=0.3)]
    near = _group_of(groups, "test_pets.py::test_get_pet")
    assert near.isdisjoint(LABELS["not_duplicates_of_test_get_pet"])


def test_similarity_is_that_of_the_least_alike_pair_and_the_threshold_applies() -> None:
    sources = read_folder(FIXTURES)
    loose = {g.tests[0]: g for g in find_duplicates(sources)}
    get_pet = loose["test_pets.py::test_get_pet"]
    assert 0.85 <= get_pet.similarity < 1.0
    strict = find_duplicates(sources, threshold=0.99)
    in_strict = {t for g in strict for t in g.tests}
    assert "test_pets_again.py::TestPetsAgain::test_pet_is_readable" not in in_strict
    assert {"test_pets.py::test_get_pet", "test_pets.py::test_read_pet_copy"} <= in_strict


def test_renamed_variables_and_changed_literals_make_an_exact_copy() -> None:
    original = (
        "def test_a(api):\n"
        '    created = api.post("/pets", json={"name": "Rex"}).json()\n'
        "    response = api.get(f\"/pets/{created['id']}\")\n"
        "    assert response.status_code == 200\n"
    )
    copy = (
        original.replace("test_a", "test_b")
        .replace("created", "pet")
        .replace("response", "r")
        .replace('"Rex"', '"Max"')
    )
    (group,) = find_duplicates({"test_a.py": original, "test_b.py": copy})
    assert group.tests == ("test_a.py::test_a", "test_b.py::test_b")
    assert group.similarity == 1.0


def test_one_call_written_two_ways_is_the_same_call() -> None:
    with_constant = (
        'PETS = "/pets"\n\ndef test_a(api):\n    assert api.get(PETS).status_code == 200\n'
    )
    inline = 'def test_b(api):\n    assert api.get("/pets").status_code == 200\n'
    (group,) = find_duplicates({"test_a.py": with_constant, "test_b.py": inline})
    assert group.tests == ("test_a.py::test_a", "test_b.py::test_b")
