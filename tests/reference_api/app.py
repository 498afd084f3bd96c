"""The reference pet store of openapi.yaml, in memory, with mutants that break it on purpose."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.reference_api import _validation as check

TOKEN = "reference-token-for-tests"
# a second user: what one user creates, the other can neither change nor delete (API1)
TOKEN_2 = "reference-token-2-for-tests"
_USERS = {TOKEN: "ada", TOKEN_2: "bob"}
# each mutant breaks one documented behaviour; a good suite fails against every one
MUTANTS: dict[str, str] = {
    "create_pet_200": "POST /pets answers 200 instead of 201",
    "create_pet_no_auth": "POST /pets does not check the bearer token",
    "pet_name_optional": "POST /pets accepts a body without the required name",
    "pet_types_unchecked": "POST /pets accepts fields of the wrong type",
    "pet_missing_species": "GET /pets/{petId} leaves out the required species",
    "pet_id_string": "GET /pets/{petId} returns the id as a string",
    "get_pet_first": "GET /pets/{petId} returns the first pet whatever the id",
    "get_pet_500": "GET /pets/{petId} fails with 500 for an unknown id",
    "get_pet_200_unknown": "GET /pets/{petId} answers 200 for an unknown id",
    "list_pets_object": "GET /pets returns an object instead of a list",
    "list_pets_text": "GET /pets declares text/plain for its JSON body",
    "delete_pet_200": "DELETE /pets/{petId} answers 200 instead of 204",
    "list_owners_no_auth": "GET /owners does not check the bearer token",
    "owner_400_missing": "POST /owners answers 422 instead of the documented 400",
    "owner_404_as_400": "GET /owners/{ownerId} answers 400 for an unknown id",
    "owner_pets_unknown_ok": "GET /owners/{ownerId}/pets answers 200 for an unknown owner",
    "order_status_unknown": "POST /orders returns a status outside its enum",
    "species_enum_ignored": "POST /pets accepts a species outside its enum",
    "limit_ignored": "GET /pets ignores limit",
    "filter_ignored": "GET /pets ignores the species filter",
    "update_not_persisted": "PUT /pets/{petId} answers with the change but does not store it",
    "delete_not_effective": "DELETE /pets/{petId} answers 204 but keeps the pet",
}

# each breaks one security property; the generated security suite fails against every one
SECURITY_MUTANTS: dict[str, str] = {
    "replace_pet_any_user": "PUT /pets/{petId} lets any signed-in user change any pet",
    "owner_id_taken": "POST /pets takes the read-only ownerId from the body",
    "stack_trace_bad_id": "GET /pets/{petId} answers a malformed id with a Python traceback",
    "shadow_endpoint": "GET /internal/stats is served but not in the spec",
}
_TRACEBACK = (
    "Traceback (most recent call last):\n"
    '  File "app.py", line 120, in get_pet\n'
    "ValueError: invalid literal for int() with base 10"
)


@dataclass
class Store:
    pets: dict[int, dict[str, Any]] = field(default_factory=dict)
    owners: dict[int, dict[str, Any]] = field(default_factory=dict)
    orders: dict[int, dict[str, Any]] = field(default_factory=dict)
    next_id: int = 1
    # who created what (ids are unique across pets, owners and orders)
    created_by: dict[int, str] = field(default_factory=dict)

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id


def _error(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


def _int_param(request: Request, name: str) -> int | None:
    raw = request.path_params[name]
    return int(raw) if raw.lstrip("-").isdigit() else None


async def _json(request: Request) -> Any:
    try:
        return json.loads(await request.body() or b"null")
    except ValueError:
        return None


def make_app(mutant: str | None = None) -> Starlette:
    """The reference API; with `mutant` (a key of MUTANTS) one documented behaviour broken."""
    known = {**MUTANTS, **SECURITY_MUTANTS}
    if mutant is not None and mutant not in known:
        raise ValueError(f"unknown mutant {mutant!r}; known: {sorted(known)}")
    store = Store()
    store.owners[1] = {"id": 1, "name": "Ada", "email": "ada@example.com"}
    store.pets[1] = {"id": 1, "name": "Rex", "species": "dog", "age": 3, "tags": [], "ownerId": 1}
    store.created_by[1] = "ada"

    def user(request: Request) -> str | None:
        header = request.headers.get("authorization", "")
        return _USERS.get(header.removeprefix("Bearer ")) if header.startswith("Bearer ") else None

    def authorised(request: Request, skip: str) -> bool:
        if mutant == skip:
            return True
        return user(request) is not None

    def owns(request: Request, item_id: int | None, skip: str = "") -> bool:
        """Whether the caller created the item (a stranger is told it does not exist)."""
        return mutant == skip or store.created_by.get(item_id or 0) == user(request)

    def pet_view(pet: dict[str, Any]) -> dict[str, Any]:
        view = dict(pet)
        if mutant == "pet_missing_species":
            view.pop("species")
        if mutant == "pet_id_string":
            view["id"] = str(view["id"])
        return view

    async def list_pets(request: Request) -> Response:
        pets = list(store.pets.values())
        species = request.query_params.get("species")
        if species is not None:
            if species not in check.SPECIES:
                return _error(422, f"species must be one of {check.SPECIES}")
            if mutant != "filter_ignored":
                pets = [p for p in pets if p["species"] == species]
        limit = request.query_params.get("limit")
        if limit is not None:
            if not limit.isdigit() or not 1 <= int(limit) <= 100:
                return _error(422, "limit must be an integer from 1 to 100")
            if mutant != "limit_ignored":
                pets = pets[: int(limit)]
        if mutant == "list_pets_object":
            return JSONResponse({"items": pets})
        if mutant == "list_pets_text":
            return Response(json.dumps(pets), media_type="text/plain")
        return JSONResponse(pets)

    async def create_pet(request: Request) -> Response:
        if not authorised(request, "create_pet_no_auth"):
            return _error(401, "missing or invalid bearer token")
        try:
            data = check.new_pet(
                await _json(request),
                lax_required=mutant == "pet_name_optional",
                lax_types=mutant == "pet_types_unchecked",
                lax_enum=mutant == "species_enum_ignored",
            )
        except check.Invalid as error:
            return _error(422, str(error))
        owner = await _json(request) if mutant == "owner_id_taken" else {}
        pet = {"id": store.new_id(), **data, "ownerId": owner.get("ownerId")}
        store.pets[pet["id"]] = pet
        store.created_by[pet["id"]] = user(request) or ""
        return JSONResponse(pet, status_code=200 if mutant == "create_pet_200" else 201)

    async def get_pet(request: Request) -> Response:
        pet_id = _int_param(request, "petId")
        if pet_id is None and mutant == "stack_trace_bad_id":
            return Response(_TRACEBACK, status_code=500, media_type="text/plain")
        if mutant == "get_pet_first":
            pet_id = min(store.pets)
        pet = store.pets.get(pet_id) if pet_id is not None else None
        if pet is None:
            if mutant == "get_pet_500":
                return _error(500, "internal error")
            if mutant == "get_pet_200_unknown":
                return JSONResponse({"id": 0, "name": "ghost", "species": "cat"})
            return _error(404, "no such pet")
        return JSONResponse(pet_view(pet))

    async def replace_pet(request: Request) -> Response:
        if not authorised(request, ""):
            return _error(401, "missing or invalid bearer token")
        pet_id = _int_param(request, "petId")
        if pet_id not in store.pets or not owns(request, pet_id, "replace_pet_any_user"):
            return _error(404, "no such pet")
        try:
            data = check.new_pet(await _json(request))
        except check.Invalid as error:
            return _error(422, str(error))
        updated = {**store.pets[pet_id], **data}
        if mutant != "update_not_persisted":
            store.pets[pet_id] = updated
        return JSONResponse(updated)

    async def delete_pet(request: Request) -> Response:
        if not authorised(request, ""):
            return _error(401, "missing or invalid bearer token")
        pet_id = _int_param(request, "petId")
        if pet_id not in store.pets or not owns(request, pet_id):
            return _error(404, "no such pet")
        pet = store.pets[pet_id] if mutant == "delete_not_effective" else store.pets.pop(pet_id)
        if mutant == "delete_pet_200":
            return JSONResponse(pet)
        return Response(status_code=204)

    async def list_owners(request: Request) -> Response:
        if not authorised(request, "list_owners_no_auth"):
            return _error(401, "missing or invalid bearer token")
        return JSONResponse(list(store.owners.values()))

    async def create_owner(request: Request) -> Response:
        if not authorised(request, ""):
            return _error(401, "missing or invalid bearer token")
        try:
            data = check.new_owner(await _json(request))
        except check.Invalid as error:
            return _error(422 if mutant == "owner_400_missing" else 400, str(error))
        owner = {"id": store.new_id(), **data}
        store.owners[owner["id"]] = owner
        store.created_by[owner["id"]] = user(request) or ""
        return JSONResponse(owner, status_code=201)

    async def get_owner(request: Request) -> Response:
        if not authorised(request, ""):
            return _error(401, "missing or invalid bearer token")
        owner_id = _int_param(request, "ownerId") or 0
        owner = store.owners.get(owner_id) if owns(request, owner_id) else None
        if owner is None:
            return _error(400 if mutant == "owner_404_as_400" else 404, "no such owner")
        return JSONResponse(owner)

    async def list_owner_pets(request: Request) -> Response:
        owner_id = _int_param(request, "ownerId")
        if owner_id not in store.owners and mutant != "owner_pets_unknown_ok":
            return _error(404, "no such owner")
        return JSONResponse([p for p in store.pets.values() if p.get("ownerId") == owner_id])

    async def place_order(request: Request) -> Response:
        if not authorised(request, ""):
            return _error(401, "missing or invalid bearer token")
        try:
            data = check.new_order(await _json(request))
        except check.Invalid as error:
            return _error(422, str(error))
        if data["petId"] not in store.pets:
            return _error(404, "no such pet")
        status = "unknown" if mutant == "order_status_unknown" else "placed"
        order_id = store.new_id()
        order = {"id": order_id, **data, "status": status, "createdAt": "2024-01-01T00:00:00Z"}
        store.orders[order_id] = order
        store.created_by[order_id] = user(request) or ""
        return JSONResponse(order, status_code=201)

    async def get_order(request: Request) -> Response:
        if not authorised(request, ""):
            return _error(401, "missing or invalid bearer token")
        order_id = _int_param(request, "orderId") or 0
        order = store.orders.get(order_id) if owns(request, order_id) else None
        if order is None:
            return _error(404, "no such order")
        return JSONResponse(order)

    async def internal_stats(request: Request) -> Response:
        # in the code, left out of the spec: only the mutant answers it (API9)
        if mutant != "shadow_endpoint":
            return Response("Not Found", status_code=404, media_type="text/plain")
        return JSONResponse({"pets": len(store.pets), "owners": len(store.owners)})

    routes = [
        Route("/pets", list_pets, methods=["GET"]),
        Route("/pets", create_pet, methods=["POST"]),
        Route("/pets/{petId}", get_pet, methods=["GET"]),
        Route("/pets/{petId}", replace_pet, methods=["PUT"]),
        Route("/pets/{petId}", delete_pet, methods=["DELETE"]),
        Route("/owners", list_owners, methods=["GET"]),
        Route("/owners", create_owner, methods=["POST"]),
        Route("/owners/{ownerId}", get_owner, methods=["GET"]),
        Route("/owners/{ownerId}/pets", list_owner_pets, methods=["GET"]),
        Route("/orders", place_order, methods=["POST"]),
        Route("/orders/{orderId}", get_order, methods=["GET"]),
        Route("/internal/stats", internal_stats, methods=["GET"]),
    ]
    return Starlette(routes=routes)
