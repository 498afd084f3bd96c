"""NestJS linking: prefix × version × module × controller × method paths, DTOs → JSON schema.

The order is Nest's `RoutePathFactory.create`: global prefix, URI version (`v1`), the module's
`RouterModule` path, controller path, method path; global-prefix exclusions match the path
without prefix and version. A method's `@Version` wins over its controller's, which wins over
`defaultVersion`; `VERSION_NEUTRAL` adds no segment; header/media-type versioning none at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.scan.family import Facts, FamilyResult
from bot.scan.javascript.paths import path_params
from bot.scan.javascript.resolve import Resolver
from bot.scan.model import ODD_METHOD, Endpoint, Param, Sighting, http_methods
from bot.scan.treesitter import ALL_METHODS, join_paths

_PRIMITIVES = {
    "string": "string",
    "number": "number",
    "boolean": "boolean",
    "String": "string",
    "Number": "number",
    "Boolean": "boolean",
}
_VALIDATORS: dict[str, dict[str, Any]] = {
    "IsInt": {"type": "integer"},
    "IsNumber": {"type": "number"},
    "IsString": {"type": "string"},
    "IsBoolean": {"type": "boolean"},
    "IsEmail": {"type": "string", "format": "email"},
    "IsUUID": {"type": "string", "format": "uuid"},
    "IsUrl": {"type": "string", "format": "uri"},
    "IsDateString": {"type": "string", "format": "date-time"},
    "IsISO8601": {"type": "string", "format": "date-time"},
}
_INT_PIPES = {
    "ParseIntPipe": {"type": "integer"},
    "ParseFloatPipe": {"type": "number"},
    "ParseBoolPipe": {"type": "boolean"},
    "ParseUUIDPipe": {"type": "string", "format": "uuid"},
}


class _Schemas:
    """TypeScript type descriptions → JSON schema, following DTO classes across imports."""

    def __init__(self, facts: Mapping[str, Facts], resolver: Resolver) -> None:
        self.facts = facts
        self.resolver = resolver
        self.by_name: dict[str, list[str]] = {}
        for file, file_facts in facts.items():
            nest = file_facts.get("nest") or {}
            for name in [*nest.get("classes", {}), *nest.get("enums", {})]:
                self.by_name.setdefault(name, []).append(file)

    def locate(self, file: str, name: str) -> tuple[str, str] | None:
        """(file, declared name) of a class or enum as seen from `file`."""
        nest = self.facts.get(file, {}).get("nest") or {}
        if name in nest.get("classes", {}) or name in nest.get("enums", {}):
            return file, name
        binding = self.facts.get(file, {}).get("imports", {}).get(name)
        if binding is not None:
            target = self.resolver.module(file, binding["source"], None)
            if target is not None:
                return self.locate(target, binding["name"]) if target != file else None
        candidates = self.by_name.get(name, [])
        return (candidates[0], name) if len(candidates) == 1 else None

    def schema(self, file: str, desc: Mapping[str, Any], seen: tuple[str, ...] = ()) -> Any:
        if "array" in desc:
            return {"type": "array", "items": self.schema(file, desc["array"], seen)}
        if "enum" in desc:
            return {"type": "string", "enum": list(desc["enum"])}
        name = desc.get("name")
        if name is None or name in {"any", "unknown", "object", "Object"}:
            return {}
        if name in _PRIMITIVES:
            return {"type": _PRIMITIVES[name]}
        if name == "Date":
            return {"type": "string", "format": "date-time"}
        if name in {"void", "undefined", "never"}:
            return None
        found = self.locate(file, name)
        if found is None or found[1] in seen or len(seen) > 6:
            return {}
        nest = self.facts[found[0]]["nest"]
        if found[1] in nest.get("enums", {}):
            values = nest["enums"][found[1]]
            kinds = {type(v) for v in values}
            return {"type": "number" if kinds <= {int, float} else "string", "enum": values}
        return self._object(found[0], found[1], (*seen, found[1]))

    def _object(self, file: str, name: str, seen: tuple[str, ...]) -> dict[str, Any]:
        cls = self.facts[file]["nest"]["classes"][name]
        properties: dict[str, Any] = {}
        required: list[str] = []
        parent = cls.get("extends")
        if parent and parent.get("name") and parent.get("wrapper") != "IntersectionType":
            base = self.schema(file, {"name": parent["name"]}, seen)
            if isinstance(base, dict):
                properties.update(base.get("properties", {}))
                if parent.get("wrapper") != "PartialType":
                    required += base.get("required", [])
        for prop in cls.get("props", []):
            schema = self.schema(file, prop["type"], seen) or {}
            for decorator in prop["decorators"]:
                if decorator in _VALIDATORS:
                    rule = _VALIDATORS[decorator]
                    is_array = schema.get("type") == "array"
                    if prop["each"] or is_array:
                        schema = {"type": "array", "items": {**schema.get("items", {}), **rule}}
                    else:
                        schema = {**schema, **rule}
            properties[prop["name"]] = schema
            optional = prop["optional"] or "IsOptional" in prop["decorators"]
            if not optional and prop["name"] not in required:
                required.append(prop["name"])
            elif optional and prop["name"] in required:
                required.remove(prop["name"])
        out: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            out["required"] = required
        return out


def link_nest(facts: Mapping[str, Facts]) -> FamilyResult:
    resolver = Resolver(facts)
    schemas = _Schemas(facts, resolver)
    app: dict[str, Any] = {}
    apps = sorted((file, f["nest_app"]) for file, f in facts.items() if f.get("nest_app"))
    prefix = ""
    if apps:
        app_file, app = apps[0]
        prefix = resolver.render(app_file, app.get("prefix", []))[0][0]
    routing = _Routing(app, _module_paths(facts, resolver, schemas), app.get("exclude", []))
    endpoints = []
    served = _registered(facts, schemas)
    for file, file_facts in facts.items():
        for controller in (file_facts.get("nest") or {}).get("controllers", []):
            if served is not None and (file, controller["name"]) not in served:
                resolver.warn(file, NOT_REGISTERED.format(controller["name"]), controller["line"])
                continue
            for method in controller["methods"]:
                endpoints += _method_endpoints(
                    file, controller, method, prefix, routing, resolver, schemas
                )
    endpoints.sort(key=lambda e: (e.path, e.method))
    return FamilyResult(endpoints=endpoints, warnings=resolver.warnings)


NOT_REGISTERED = (
    "controller {} is in no @Module's `controllers`; Nest does not serve it, so it is left out"
)


def _registered(facts: Mapping[str, Facts], schemas: _Schemas) -> set[tuple[str, str]] | None:
    """Controllers some `@Module({ controllers })` lists, or None when that cannot be known
    (no module in the tree, or a list that is not a plain array of class names)."""
    listed: set[tuple[str, str]] = set()
    seen = False
    for file, file_facts in facts.items():
        nest = file_facts.get("nest") or {}
        if nest.get("opaque_modules"):
            return None
        for controllers in nest.get("modules", {}).values():
            seen = True
            for name in controllers:
                found = schemas.locate(file, name)
                if found is not None:
                    listed.add(found)
                else:
                    return None
    return listed if seen else None


class _Routing:
    """What the app adds around a controller's own paths: versions, module paths, exclusions."""

    def __init__(
        self,
        app: Mapping[str, Any],
        module_paths: dict[tuple[str, str], list[str]],
        exclude: list[dict[str, Any]],
    ) -> None:
        versioning = app.get("versioning") or {}
        self.uri = versioning.get("type") == "URI"
        self.enabled = bool(versioning)
        self.version_prefix = str(versioning.get("prefix", "v"))
        self.default = versioning.get("default")
        self.module_paths = module_paths
        self.exclude = exclude

    def versions(
        self,
        file: str,
        controller: Mapping[str, Any],
        method: Mapping[str, Any],
        resolver: Resolver,
    ) -> list[str]:
        """URL segments the version adds: `['v1', 'v2']`, `['']` when unversioned or neutral."""
        if not (self.enabled and self.uri):
            return [""]
        chosen = method.get("version") or controller.get("version") or self.default
        if not chosen:
            return [""]
        out = []
        for version in chosen:
            if version is None:
                out.append("")
            else:
                out += [self.version_prefix + text for text, _ in resolver.render(file, version)]
        return list(dict.fromkeys(out))


def _module_paths(
    facts: Mapping[str, Facts], resolver: Resolver, schemas: _Schemas
) -> dict[tuple[str, str], list[str]]:
    """Controller (file, class) → the paths `RouterModule.register` gives its module."""
    by_module: dict[tuple[str, str], tuple[str, list[Any]]] = {}
    for file, file_facts in facts.items():
        for tree in (file_facts.get("nest") or {}).get("router", []):
            for module, parts in _flatten(tree, []):
                found = schemas.locate(file, module)
                if found is not None:
                    by_module[found] = (file, parts)  # Nest keeps the last registration
    out: dict[tuple[str, str], list[str]] = {}
    for file, file_facts in facts.items():
        for name, controllers in (file_facts.get("nest") or {}).get("modules", {}).items():
            if (file, name) not in by_module:
                continue
            for controller in controllers:
                found = schemas.locate(file, controller)
                if found is not None:
                    router_file, parts = by_module[(file, name)]
                    out[found] = [path for path, _ in resolver.render(router_file, parts)]
    return out


def _flatten(tree: Mapping[str, Any], parent: list[Any]) -> list[tuple[str, list[Any]]]:
    """Nest's `flattenRoutePaths`: children's paths append to the parent's; a bare module child
    takes the parent's path."""
    own = parent if tree["path"] is None else [*parent, "/", *tree["path"]]
    out = [(tree["module"], own)] if tree.get("module") else []
    for child in tree.get("children", []):
        out += _flatten(child, own)
    return out


def _excluded(path: str, method: str, exclude: list[dict[str, Any]]) -> bool:
    for rule in exclude:
        pattern = join_paths(rule["path"])
        wildcard = pattern.endswith(("(.*)", "*"))
        stem = join_paths(pattern.removesuffix("(.*)").removesuffix("*"))
        hit = path.startswith(stem) if wildcard else path == pattern
        if hit and rule.get("method", "ALL") in {"ALL", method}:
            return True
    return False


def _method_endpoints(
    file: str,
    controller: dict[str, Any],
    method: dict[str, Any],
    prefix: str,
    routing: _Routing,
    resolver: Resolver,
    schemas: _Schemas,
) -> list[Endpoint]:
    out = []
    handler = f"{controller['name']}.{method['name']}"
    modules = routing.module_paths.get((file, controller["name"]), [""])
    versions = routing.versions(file, controller, method, resolver)
    for route in method["routes"]:
        verbs: Sequence[str] = ALL_METHODS
        if route["method"] != "all":
            verbs, odd = http_methods([route["method"]])
            for name in odd:
                resolver.warn(file, ODD_METHOD.format(method=name), method["line"])
        for base in controller["paths"]:
            for own in route["paths"]:
                for base_path, _ in resolver.render(file, base):
                    for own_path, _ in resolver.render(file, own):
                        for module in modules:
                            local = join_paths(module, base_path, own_path)
                            for verb in verbs:
                                excluded = _excluded(local, verb, routing.exclude)
                                for version in versions:
                                    full = join_paths("" if excluded else prefix, version, local)
                                    out.append(
                                        _endpoint(
                                            file, verb, full, handler, controller, method, schemas
                                        )
                                    )
    return out


def _endpoint(
    file: str,
    verb: str,
    path: str,
    handler: str,
    controller: dict[str, Any],
    method: dict[str, Any],
    schemas: _Schemas,
) -> Endpoint:
    params: dict[tuple[str, str], Param] = {}
    body: Any = None
    for param in method["params"]:
        schema = schemas.schema(file, param["type"]) or {}
        for pipe in param["pipes"]:
            schema = _INT_PIPES.get(pipe.split("(")[0].removeprefix("new "), schema)
        if param["kind"] == "body":
            body = (
                schema
                if param["name"] is None
                else {
                    "type": "object",
                    "properties": {**(body or {}).get("properties", {}), param["name"]: schema},
                }
            )
        elif param["name"] is not None:
            location = param["kind"]
            params[(param["name"], location)] = Param(
                name=param["name"],
                location=location,
                required=location == "path",
                schema=schema or {"type": "string"},
            )
        elif param["kind"] == "query":
            required = set(schema.get("required", []))
            for name, prop in schema.get("properties", {}).items():
                params[(name, "query")] = Param(
                    name=name, location="query", required=name in required, schema=prop
                )
    for name in path_params(path):
        params.setdefault(
            (name, "path"),
            Param(name=name, location="path", required=True, schema={"type": "string"}),
        )
    status = method.get("status") or (201 if verb == "POST" else 200)
    returned = schemas.schema(file, method.get("returns") or {})
    responses: dict[str, Any] = {str(status): returned or None}
    for code in method.get("statuses", []) + controller.get("statuses", []):
        responses.setdefault(str(code), None)
    return Endpoint(
        method=verb,
        path=path,
        framework="nestjs",
        file=file,
        line=method["line"],
        handler=handler,
        params=list(params.values()),
        request_schema=body or None,
        request_content_type="application/json" if body else None,
        request_required=bool(body),
        responses=responses,
        status_codes=sorted(int(code) for code in responses),
        tags=list(dict.fromkeys(controller.get("tags", []) + method.get("tags", []))),
        security=list(dict.fromkeys(controller.get("security", []) + method.get("security", []))),
        sources=[Sighting(framework="nestjs", file=file, line=method["line"], handler=handler)],
        in_schema=not (controller.get("hidden") or method.get("hidden")),
    )
