"""The heal scenario's shop API as served: version 1, or version 2 with its five changes.

v2 (see tests/fixtures/heal/api_v2.yaml): `/owners` is `/people`; `/pets/{petId}` is
`/pets/{pet_id}`; a pet's `tag` reads `label` in responses (still `tag` in the request body and
the query); `POST /pets` requires `species`; `DELETE /pets/{petId}` is gone.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


def create_app(version: int) -> Starlette:
    owners: dict[int, dict[str, Any]] = {}
    pets: dict[int, dict[str, Any]] = {}
    ids = iter(range(1, 1_000_000))
    tag_out = "tag" if version == 1 else "label"

    def shown(pet: dict[str, Any]) -> dict[str, Any]:
        return {"id": pet["id"], "name": pet["name"], tag_out: pet["tag"]}

    async def list_owners(request: Request) -> Response:
        return JSONResponse(list(owners.values()))

    async def create_owner(request: Request) -> Response:
        body = await request.json()
        if not isinstance(body, dict) or not isinstance(body.get("name"), str):
            return JSONResponse({"detail": "name is required"}, status_code=400)
        owner = {"id": next(ids), "name": body["name"], "city": body.get("city", "")}
        owners[owner["id"]] = owner
        return JSONResponse(owner, status_code=201)

    async def get_owner(request: Request) -> Response:
        owner = owners.get(int(request.path_params["owner_id"]))
        if owner is None:
            return JSONResponse({"detail": "no such owner"}, status_code=404)
        return JSONResponse(owner)

    async def list_pets(request: Request) -> Response:
        tag = request.query_params.get("tag")
        found = [shown(p) for p in pets.values() if tag is None or p["tag"] == tag]
        return JSONResponse(found)

    async def create_pet(request: Request) -> Response:
        body = await request.json()
        if not isinstance(body, dict) or not isinstance(body.get("name"), str):
            return JSONResponse({"detail": "name is required"}, status_code=400)
        if version == 2 and body.get("species") not in ("cat", "dog"):
            return JSONResponse({"detail": "species is required"}, status_code=400)
        pet = {"id": next(ids), "name": body["name"], "tag": body.get("tag", "")}
        pets[pet["id"]] = pet
        return JSONResponse(shown(pet), status_code=201)

    async def get_pet(request: Request) -> Response:
        pet = pets.get(int(request.path_params["pet_id"]))
        if pet is None:
            return JSONResponse({"detail": "no such pet"}, status_code=404)
        return JSONResponse(shown(pet))

    async def delete_pet(request: Request) -> Response:
        pets.pop(int(request.path_params["pet_id"]), None)
        return Response(status_code=204)

    owners_path = "/owners" if version == 1 else "/people"
    routes = [
        Route(owners_path, list_owners, methods=["GET"]),
        Route(owners_path, create_owner, methods=["POST"]),
        Route(owners_path + "/{owner_id:int}", get_owner, methods=["GET"]),
        Route("/pets", list_pets, methods=["GET"]),
        Route("/pets", create_pet, methods=["POST"]),
        Route("/pets/{pet_id:int}", get_pet, methods=["GET"]),
    ]
    if version == 1:
        routes.append(Route("/pets/{pet_id:int}", delete_pet, methods=["DELETE"]))
    return Starlette(routes=routes)
