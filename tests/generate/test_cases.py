"""Test names: the server's base path, shared by every endpoint, is left out of them."""

from __future__ import annotations

from bot.generate.cases import shared_prefix


def test_the_base_path_every_endpoint_shares_is_the_prefix() -> None:
    paths = ["/v2/pet", "/v2/pet/{petId}", "/v2/store/order", "/v2/user/{username}"]
    assert shared_prefix(paths) == ("v2",)
    assert shared_prefix(["/api/v1/books", "/api/v1/books/{id}", "/api/v1/health"]) == (
        "api",
        "v1",
    )


def test_every_path_keeps_a_static_segment_of_its_own() -> None:
    assert shared_prefix(["/pets", "/pets/{petId}"]) == ()
    assert shared_prefix(["/v1/pets", "/v1/pets/{petId}"]) == ("v1",)
    assert shared_prefix(["/v1", "/v1/pets"]) == ()
    assert shared_prefix(["/v1/pets"]) == ("v1",)


def test_paths_without_a_shared_start_have_no_prefix() -> None:
    assert shared_prefix(["/pets", "/users"]) == ()
    assert shared_prefix(["/{tenant}/pets", "/{tenant}/users"]) == ()
    assert shared_prefix([]) == ()
