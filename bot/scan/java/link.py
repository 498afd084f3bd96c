"""Spring linking: controllers (with inherited and HTTP-interface mappings) → endpoints."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from itertools import product
from typing import Any

from bot.scan.family import Facts, FamilyResult
from bot.scan.java.props import canonical, module_root, placeholders
from bot.scan.java.router import bean_routes
from bot.scan.java.types import SIMPLE, Type, Types
from bot.scan.model import ODD_METHOD, Endpoint, Param, ScanWarning, Sighting, http_methods
from bot.scan.paths import UNRESOLVED_NOTE
from bot.scan.treesitter import ALL_METHODS, join_paths

_VERBS = {
    "GetMapping": "GET",
    "PostMapping": "POST",
    "PutMapping": "PUT",
    "DeleteMapping": "DELETE",
    "PatchMapping": "PATCH",
    "GetExchange": "GET",
    "PostExchange": "POST",
    "PutExchange": "PUT",
    "DeleteExchange": "DELETE",
    "PatchExchange": "PATCH",
}
_GENERIC = {"RequestMapping", "HttpExchange"}
_PARAMS = {
    "PathVariable": "path",
    "RequestParam": "query",
    "RequestHeader": "header",
    "CookieValue": "cookie",
}
_PREFIXES = ("server.servlet.context-path", "spring.mvc.servlet.path", "spring.webflux.base-path")
_DATA_REST = {"RepositoryRestController", "BasePathAwareController"}
_SECURITY = {"PreAuthorize", "Secured", "RolesAllowed", "PostAuthorize"}


class _Spring:
    def __init__(self, facts: Mapping[str, Facts]) -> None:
        self.facts = facts
        self.types = Types({f: v for f, v in facts.items() if "types" in v})
        self.configs: dict[str, dict[str, str]] = {}
        # .properties wins over .yml in the same module, as in Spring Boot
        for file in sorted(
            (f for f in facts if "properties" in facts[f]), key=lambda f: f.endswith(".properties")
        ):
            self.configs.setdefault(module_root(file), {}).update(
                {canonical(k): v for k, v in facts[file]["properties"].items()}
            )
        self.warnings: list[ScanWarning] = []

    def props(self, file: str) -> dict[str, str]:
        roots = [r for r in self.configs if not r or file.startswith(r + "/")]
        return self.configs[max(roots, key=len)] if roots else {}

    def full_path(self, file: str, line: int, pieces: Sequence[str]) -> str:
        """Context/servlet/base path, then the pieces, `${…}` resolved, as an endpoint path."""
        props = self.props(file)
        context = [props.get(key, "") for key in _PREFIXES]
        resolved = [placeholders(piece, props) for piece in (*context, *pieces)]
        for _, names in resolved:
            for name in names:
                self.warn(
                    file, f"property '{name}' has no value or default; {UNRESOLVED_NOTE}", line
                )
        return _spring_path(join_paths(*(piece for piece, _ in resolved)), self, file, line)

    def functional(self, file: str, owner: Type) -> list[Endpoint]:
        """Endpoints of a configuration class's `@Bean RouterFunction` methods."""
        facts = self.facts[file]
        imports = [*facts.get("imports", {}).values(), *facts.get("wildcards", [])]
        reactive = any(i.startswith("org.springframework.web.reactive") for i in imports)
        framework = "spring-webflux" if reactive else "spring"
        out = []
        for route in bean_routes(self.types.info(owner), self.served(owner)):
            line, handler = route["line"], route["handler"]
            choices: list[list[str]] = []
            for piece in route["path"]:
                values = self.types.value(owner, piece)
                if values is None:
                    self.warn(file, f"route path not resolved statically; {UNRESOLVED_NOTE}", line)
                choices.append(["{?path}"] if values is None else values or [""])
            for combination in product(*choices):
                full = self.full_path(file, line, combination)
                verbs, odd = http_methods(route["verbs"] or ALL_METHODS)
                for name in odd:
                    self.warn(file, ODD_METHOD.format(method=name), line)
                for verb in verbs:
                    sighting = Sighting(framework=framework, file=file, line=line, handler=handler)
                    out.append(
                        Endpoint(
                            method=verb,
                            path=full,
                            framework=framework,
                            file=file,
                            line=line,
                            handler=handler,
                            params=_path_params(full, []),
                            responses={"200": None},
                            status_codes=[200],
                            sources=[sighting],
                        )
                    )
        return out

    def served(self, owner: Type) -> dict[str, list[Any]]:
        """Router methods of a Spring component that implement an endpoint interface's method
        (`RouterFunction<ServerResponse> endpoint()`), each with its group prefix pieces.

        The application collects such beans and nests each under `path(lead + group())`, where
        `group()` is a default method of the interface (the component may override it): the
        lead and the method are read from the class that calls both `group()` and `endpoint()`.
        """
        info = self.types.info(owner)
        marks = {a["name"] for a in info["annotations"]}
        if info["kind"] != "class" or info.get("abstract") or not marks & _STEREOTYPES:
            return {}
        own = {r["name"] for r in info.get("routers", [])}
        values = {m["name"]: (owner, m["value"]) for m in info["methods"] if "value" in m}
        served: dict[str, list[Any]] = {}
        for parent in list(self.types.supertypes(owner))[1:]:
            parent_info = self.types.info(parent)
            if parent_info["kind"] != "interface":
                continue
            for method in parent_info["methods"]:
                if "value" in method and method["default"]:
                    values.setdefault(method["name"], (parent, method["value"]))
            for method in parent_info["methods"]:
                if method["returns"].get("name") == "RouterFunction" and method["name"] in own:
                    served[method["name"]] = self._group_prefix(owner, method["name"], values)
        return served

    def _group_prefix(
        self, owner: Type, router: str, values: Mapping[str, tuple[Type, Any]]
    ) -> list[Any]:
        unknown: list[Any] = []
        for facts in self.facts.values():
            for info in facts.get("types", {}).values():
                for nest in info.get("group_nests", []):
                    if router not in nest["calls"]:
                        continue
                    for name in nest["calls"]:
                        if name not in values or name == router:
                            continue
                        found = self.types.value(*values[name])
                        if found:
                            return [{"s": nest["lead"] + found[0]}]
                        # the component's group is computed: its routes' prefix is not known
                        unknown = unknown or [{"s": nest["lead"]}, {"raw": f"{name}()"}]
        return unknown

    def strings(
        self, owner: Type, args: Mapping[str, Any], keys: tuple[str, ...], line: int
    ) -> list[str]:
        for key in keys:
            if key in args:
                values = self.types.value(owner, args[key])
                if values is None:
                    self.warn(
                        owner[0],
                        f"mapping value '{key}' cannot be resolved statically; {UNRESOLVED_NOTE}",
                        line,
                    )
                    return ["{?" + key + "}"]
                return values or [""]  # `@GetMapping({})` maps the class path, as no value does
        return [""]

    def warn(self, file: str, message: str, line: int | None) -> None:
        warning = ScanWarning(file=file, message=message, line=line)
        if warning not in self.warnings:
            self.warnings.append(warning)

    def endpoints(self) -> list[Endpoint]:
        out: list[Endpoint] = []
        for file, facts in self.facts.items():
            for name, info in facts.get("types", {}).items():
                marks = {a["name"] for a in info["annotations"]}
                # an abstract class is never a bean: its mappings count in subclasses only
                concrete = info["kind"] == "class" and not info.get("abstract")
                if concrete and marks & {"RestController", "Controller"}:
                    out += self.controller((file, name))
                elif concrete and marks & _DATA_REST:  # served under spring.data.rest.base-path
                    out += self.controller((file, name), data_rest=True)
                if "routers" in info:
                    out += self.functional(file, (file, name))
        return out

    def controller(self, cls: Type, data_rest: bool = False) -> list[Endpoint]:
        chain = list(self.types.supertypes(cls))
        base_paths, base_verbs, base_consumes = [""], list(ALL_METHODS), None
        for place in chain:
            mark = _mapping(self.types.info(place)["annotations"])
            if mark is None and data_rest and place == cls:  # @RepositoryRestController(path=…)
                mark = next(
                    m for m in self.types.info(cls)["annotations"] if m["name"] in _DATA_REST
                )
            if mark is not None:
                line = self.types.info(place)["line"]
                base_paths = self.strings(place, mark["args"], ("value", "path", "url"), line)
                base_verbs = self._verbs(place, mark) or base_verbs
                base_consumes = self.types.value(place, mark["args"].get("consumes"))
                break
        if data_rest:
            prefix = self.props(cls[0]).get("spring.data.rest.base-path", "")
            base_paths = [join_paths(prefix, base) for base in base_paths]
        class_info = self.types.info(cls)
        security = _security(class_info["annotations"], self.types, cls)
        tags = _tags(class_info["annotations"], self.types, cls)
        class_hidden = _hidden(class_info["annotations"])
        seen: set[tuple[str, int]] = set()
        out = []
        for place in chain:
            for method in self.types.info(place)["methods"]:
                signature = (method["name"], len(method["params"]))
                mark = _mapping(method["annotations"])
                if signature in seen or mark is None:
                    continue
                seen.add(signature)
                impl = _implementation(self.types, cls, chain, signature) or (place, method)
                hidden = class_hidden or _hidden(method["annotations"] + impl[1]["annotations"])
                found = self.operations(
                    cls,
                    place,
                    method,
                    mark,
                    impl,
                    base_paths,
                    base_verbs,
                    base_consumes,
                    security,
                    tags,
                )
                for endpoint in found:
                    endpoint.in_schema = not hidden
                out += found
        return out

    def _verbs(self, owner: Type, mark: dict[str, Any]) -> list[str]:
        if mark["name"] in _VERBS:
            return [_VERBS[mark["name"]]]
        raw = mark["args"].get("method")
        out: list[str] = []
        for item in raw.get("arr", [raw]) if isinstance(raw, dict) else []:
            values = self.types.value(owner, item)  # HttpExchange(method = "GET"), constants
            if values:
                out += [v.upper() for v in values]
            elif isinstance(item, dict) and "ref" in item:  # RequestMethod.GET, static GET
                out.append(item["ref"].rsplit(".", 1)[-1])
        return out

    def operations(
        self,
        cls: Type,
        place: Type,
        method: dict[str, Any],
        mark: dict[str, Any],
        impl: tuple[Type, dict[str, Any]],
        base_paths: list[str],
        base_verbs: list[str],
        consumes: list[str] | None,
        security: list[str],
        tags: list[str],
    ) -> list[Endpoint]:
        file, line = impl[0][0], impl[1]["line"]
        own = self.strings(place, mark["args"], ("value", "path", "url"), method["line"])
        verbs = self._verbs(place, mark) or base_verbs
        handler = f"{cls[1]}.{method['name']}"
        params, body, body_required = self.parameters(place, method, impl[1])
        status = _status(method["annotations"] + impl[1]["annotations"], self.types, place)
        returned = self.types.schema(place[0], method["returns"])
        method_security = (
            list(
                dict.fromkeys(
                    _security(impl[1]["annotations"] + method["annotations"], self.types, place)
                )
            )
            or security
        )
        out = []
        for base in base_paths:
            for path in own:
                full = self.full_path(file, line, (base, path))
                sources = [Sighting(framework="spring", file=file, line=line, handler=handler)]
                if place[0] != file or method["line"] != line:
                    sources.append(
                        Sighting(
                            framework="spring", file=place[0], line=method["line"], handler=handler
                        )
                    )
                for verb in verbs:
                    if verb not in {*ALL_METHODS, "HEAD", "OPTIONS", "TRACE"}:
                        continue
                    out.append(
                        Endpoint(
                            method=verb,
                            path=full,
                            framework="spring",
                            file=file,
                            line=line,
                            handler=handler,
                            params=[*params, *_path_params(full, params)],
                            request_schema=body,
                            request_content_type=(consumes or ["application/json"])[0]
                            if body is not None
                            else None,
                            request_required=body is not None and body_required,
                            responses={str(status): returned or None},
                            status_codes=[status],
                            tags=tags,
                            security=method_security,
                            sources=sources,
                        )
                    )
        return out

    def parameters(
        self, place: Type, method: dict[str, Any], impl: dict[str, Any]
    ) -> tuple[list[Param], Any, bool]:
        params: list[Param] = []
        body, body_required = None, True
        for index, declared in enumerate(method["params"]):
            other = impl["params"][index] if index < len(impl["params"]) else declared
            marks = {a["name"]: a for a in declared["annotations"] + other["annotations"]}
            type_name = declared["type"].get("name", "")
            if "RequestBody" in marks:
                body = self.types.schema(place[0], declared["type"]) or {}
                body_required = _flag(marks["RequestBody"], "required", True)
                continue
            kind = next((_PARAMS[m] for m in marks if m in _PARAMS), None)
            if kind is None:
                if type_name in SIMPLE and not marks:
                    params.append(
                        Param(
                            name=declared["name"],
                            location="query",
                            schema=self.types.schema(place[0], declared["type"]),
                        )
                    )
                continue
            mark = marks[next(m for m in marks if m in _PARAMS)]
            if type_name in {"Map", "MultiValueMap", "HttpHeaders"}:
                continue
            names = self.types.value(place, mark["args"].get("value") or mark["args"].get("name"))
            optional = type_name == "Optional" or "defaultValue" in mark["args"]
            required = _flag(mark, "required", True) and not optional
            schema = self.types.schema(place[0], declared["type"]) or {"type": "string"}
            default = self.types.value(place, mark["args"].get("defaultValue"))
            if default:
                schema = {**schema, "default": _typed(default[0], schema.get("type"))}
            params.append(
                Param(
                    name=(names or [declared["name"]])[0] or declared["name"],
                    location=kind,
                    required=required or kind == "path",
                    schema=schema,
                )
            )
        return params, body, body_required


_STEREOTYPES = {"Component", "Service", "Controller", "RestController", "Configuration"}


def _mapping(marks: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((m for m in marks if m["name"] in _VERBS or m["name"] in _GENERIC), None)


def _implementation(
    types: Types, cls: Type, chain: list[Type], signature: tuple[str, int]
) -> tuple[Type, dict[str, Any]] | None:
    """The concrete declaration of an inherited mapping: the nearest class that defines it."""
    for place in chain:
        info = types.info(place)
        if info["kind"] != "class":
            continue
        for method in info["methods"]:
            if (method["name"], len(method["params"])) == signature:
                return place, method
    return None


def _typed(value: str, kind: Any) -> Any:
    try:
        return int(value) if kind == "integer" else float(value) if kind == "number" else value
    except ValueError:
        return value


def _flag(mark: dict[str, Any], key: str, default: bool) -> bool:
    value = mark["args"].get(key)
    return bool(value["b"]) if isinstance(value, dict) and "b" in value else default


def _hidden(marks: list[dict[str, Any]]) -> bool:
    """Served but left out of the generated document: springdoc `@Hidden`, springfox
    `@ApiIgnore`, `@Operation(hidden = true)` / `@ApiOperation(hidden = true)`."""
    return any(
        mark["name"] in {"Hidden", "ApiIgnore"}
        or (mark["name"] in {"Operation", "ApiOperation"} and _flag(mark, "hidden", False))
        for mark in marks
    )


def _status(marks: list[dict[str, Any]], types: Types, owner: Type) -> int:
    for mark in marks:
        if mark["name"] != "ResponseStatus":
            continue
        value = mark["args"].get("value") or mark["args"].get("code")
        if isinstance(value, dict) and "ref" in value:
            name = value["ref"].rsplit(".", 1)[-1]
            if name in HTTPStatus.__members__:
                return HTTPStatus[name].value
    return 200


def _security(marks: list[dict[str, Any]], types: Types, owner: Type) -> list[str]:
    out = []
    for mark in marks:
        if mark["name"] in _SECURITY:
            values = types.value(owner, mark["args"].get("value")) or []
            out.append(f"{mark['name']}:{','.join(values)}" if values else mark["name"])
    return out


def _tags(marks: list[dict[str, Any]], types: Types, owner: Type) -> list[str]:
    for mark in marks:
        if mark["name"] == "Tag":
            return types.value(owner, mark["args"].get("name")) or []
    return []


def _spring_path(path: str, spring: _Spring, file: str, line: int) -> str:
    """`{id:\\d+}` → `{id}`, `{*rest}` → `{rest}`; `**` and `*` kept with a warning."""
    out: list[str] = []
    for segment in path.split("/"):
        if segment.startswith("{") and segment.endswith("}") and not segment.startswith("{?"):
            name = segment[1:-1].split(":", 1)[0].lstrip("*")
            out.append("{" + name + "}")
        else:
            if "*" in segment:
                spring.warn(file, f"wildcard segment '{segment}' kept as is", line)
            out.append(segment)
    return "/".join(out) or "/"


def _path_params(path: str, params: list[Param]) -> list[Param]:
    known = {p.name for p in params if p.location == "path"}
    return [
        Param(name=s[1:-1], location="path", required=True, schema={"type": "string"})
        for s in path.split("/")
        if s.startswith("{") and not s.startswith("{?") and s[1:-1] not in known
    ]


def link_java(facts: Mapping[str, Facts]) -> FamilyResult:
    spring = _Spring(facts)
    warnings = [
        ScanWarning(file=f, message=w["message"], line=w.get("line"))
        for f, v in facts.items()
        for w in v.get("warnings", [])
    ]
    endpoints = sorted(spring.endpoints(), key=lambda e: (e.path, e.method, e.file))
    return FamilyResult(endpoints=endpoints, warnings=warnings + spring.warnings)
