"""Express/Fastify linking: walk mounts from every app down to routes, building endpoints."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from bot.scan.family import Facts, FamilyResult
from bot.scan.javascript.loop_link import expand_mount, expand_route, is_loop
from bot.scan.javascript.paths import path_params
from bot.scan.javascript.resolve import Node, Resolver
from bot.scan.model import ODD_METHOD, Endpoint, Param, ScanWarning, Sighting, http_methods
from bot.scan.treesitter import ALL_METHODS, join_paths

_ROOT_KINDS = {"express_app": "express", "fastify": "fastify"}
_ORPHAN_KINDS = {"express_router": "express"}


class _Linker:
    def __init__(self, facts: Mapping[str, Facts]) -> None:
        self.facts = facts
        self.resolver = Resolver(facts)
        self.children: dict[Node, list[tuple[Node, dict[str, Any]]]] = defaultdict(list)
        self.routes: dict[Node, list[dict[str, Any]]] = defaultdict(list)
        self.endpoints: dict[tuple[str, str, str, int], Endpoint] = {}
        self.visited: set[Node] = set()

    def build(self) -> None:
        for file, facts in self.facts.items():
            for route in facts.get("routes", []):
                self.routes[(file, route["container"])] += expand_route(self.resolver, file, route)
        mounted: set[Node] = set()
        for file, facts in self.facts.items():
            for mount in facts.get("mounts", []):
                if is_loop(mount):
                    for element, entry in expand_mount(self.resolver, file, mount):
                        self.children[(file, mount["container"])].append((element, entry))
                        mounted.add(element)
                    continue
                if "autoload" in mount["target"]:
                    for plugin, folder in self.resolver.autoload(file, mount):
                        entry = {**mount, "prefix": [*mount["prefix"], folder]}
                        self.children[(file, mount["container"])].append((plugin, entry))
                        mounted.add(plugin)
                    continue
                child = self.resolver.ref(file, mount["target"], mount["line"])
                if child is not None and mount["target"].get("param"):
                    child = (child[0], f"{child[1]}#{mount['target']['param']}")
                if child is None or child[1] not in self.facts[child[0]].get("containers", {}):
                    continue
                self.children[(file, mount["container"])].append((child, mount))
                mounted.add(child)
        for orphans in (False, True):
            for file, facts in self.facts.items():
                for cid, info in facts.get("containers", {}).items():
                    self._root((file, cid), info, mounted, orphans)

    def _root(self, node: Node, info: dict[str, Any], mounted: set[Node], orphans: bool) -> None:
        """Walk apps first; then routers/plugins no walk reached (unmounted, or in a cycle)."""
        kind = info.get("kind", "")
        if not orphans:
            if kind in _ROOT_KINDS and node not in mounted:
                self.walk(node, [["/"]], _ROOT_KINDS[kind], (), {})
            return
        framework = _ROOT_KINDS.get(kind) or _ORPHAN_KINDS.get(kind) or info.get("known")
        if not framework or node in self.visited or not (self.routes[node] or self.children[node]):
            return
        self.resolver.warn(
            node[0],
            f"'{info.get('name', node[1])}' is not mounted by any app "
            "found; its paths are relative to it",
            info.get("line"),
        )
        self.walk(node, [["/"]], framework, (), {})

    def walk(
        self,
        node: Node,
        prefixes: list[list[str]],
        framework: str,
        stack: tuple[Node, ...],
        options: Mapping[str, str],
    ) -> None:
        """Routes of `node` under `prefixes`; `options` are the ones it was registered with."""
        if node in stack:
            self.resolver.warn(node[0], "mount cycle; not followed further", None)
            return
        file = node[0]
        self.visited.add(node)
        for route in self.routes[node]:
            self.add(file, _with_options(route, options), prefixes, framework)
        for child, mount in self.children[node]:
            info = self.facts[child[0]].get("containers", {}).get(child[1], {})
            skip_prefix = framework == "fastify" and (mount["target"].get("fp") or info.get("fp"))
            own = [[p] for p, _ in self.resolver.render(file, mount["prefix"])]
            joined = prefixes if skip_prefix else [p + o for p in prefixes for o in own]
            kind = info.get("kind", "")
            child_framework = _ROOT_KINDS.get(kind) or _ORPHAN_KINDS.get(kind) or framework
            given = self._options(file, mount, own)
            self.walk(child, joined, child_framework, (*stack, node), given)

    def _options(self, file: str, mount: Mapping[str, Any], own: list[list[str]]) -> dict[str, str]:
        """The options a plugin receives: the register call's, `prefix` as Fastify computed it."""
        out: dict[str, str] = {}
        for key, parts in mount.get("options", {}).items():
            rendered = self.resolver.render(file, parts)
            if rendered:
                out[key] = rendered[0][0]
        if mount.get("via") == "register" and own:
            out["prefix"] = own[0][0]
        return out

    def add(
        self, file: str, route: dict[str, Any], prefixes: list[list[str]], framework: str
    ) -> None:
        every = any(method.upper() == "ALL" for method in route["methods"])
        named, odd = http_methods(m for m in route["methods"] if m.upper() != "ALL")
        methods = [*dict.fromkeys([*(ALL_METHODS if every else ()), *named])]
        for name in odd:
            self.resolver.warn(file, ODD_METHOD.format(method=name), route["line"])
        for path, problems in self.resolver.render(file, route["path"]):
            for problem in problems:
                self.resolver.warn(file, problem, route["line"])
            for prefix in prefixes:
                full = join_paths(*prefix, path)
                for method in methods:
                    key = (method, full, file, route["line"])
                    if key not in self.endpoints:
                        self.endpoints[key] = _endpoint(method, full, framework, file, route)


def _with_options(route: dict[str, Any], options: Mapping[str, str]) -> dict[str, Any]:
    """The route with `opts.<key>` path parts replaced by the options its plugin was given."""
    if not options or not any(isinstance(p, dict) and "opt" in p for p in route["path"]):
        return route
    path = [
        options.get(part["opt"], part) if isinstance(part, dict) and "opt" in part else part
        for part in route["path"]
    ]
    return {**route, "path": path}


def _endpoint(method: str, path: str, framework: str, file: str, route: dict[str, Any]) -> Endpoint:
    schema = route.get("schema") or {}
    params = _params(path, schema)
    responses: dict[str, dict[str, Any] | None] = {}
    for code, body in (schema.get("response") or {}).items():
        responses[str(code)] = body if isinstance(body, dict) else None
    body = schema.get("body")
    return Endpoint(
        method=method,
        path=path,
        framework=framework,
        file=file,
        line=route["line"],
        handler=route.get("handler"),
        params=params,
        request_schema=body if isinstance(body, dict) else None,
        request_content_type="application/json" if isinstance(body, dict) else None,
        request_required=isinstance(body, dict),
        responses=responses,
        status_codes=sorted(int(code) for code in responses if code.isdigit()),
        tags=[str(tag) for tag in schema.get("tags", []) if isinstance(tag, str)],
        summary=schema.get("summary") if isinstance(schema.get("summary"), str) else None,
        deprecated=schema.get("deprecated") is True,
        in_schema=schema.get("hide") is not True,  # @fastify/swagger leaves `hide` routes out
        sources=[
            Sighting(
                framework=framework, file=file, line=route["line"], handler=route.get("handler")
            )
        ],
    )


def _params(path: str, schema: dict[str, Any]) -> list[Param]:
    params: list[Param] = []
    path_schema = _properties(schema.get("params"))
    for name in path_params(path):
        params.append(
            Param(
                name=name,
                location="path",
                required=True,
                schema=path_schema.get(name) or {"type": "string"},
            )
        )
    for key, location in (("querystring", "query"), ("query", "query"), ("headers", "header")):
        block = schema.get(key)
        required = set(block.get("required", [])) if isinstance(block, dict) else set()
        for name, prop in _properties(block).items():
            params.append(
                Param(
                    name=name,
                    location=location,
                    required=name in required,
                    schema=prop,
                )
            )
    return params


def _properties(block: Any) -> dict[str, Any]:
    if not isinstance(block, dict):
        return {}
    props = block.get("properties")
    return (
        {k: v for k, v in props.items() if isinstance(v, dict)} if isinstance(props, dict) else {}
    )


def link_routes(facts: Mapping[str, Facts]) -> FamilyResult:
    linker = _Linker(facts)
    warnings: list[ScanWarning] = [
        ScanWarning(file=file, message=w["message"], line=w.get("line"))
        for file, file_facts in facts.items()
        for w in file_facts.get("warnings", [])
    ]
    linker.build()
    endpoints = sorted(linker.endpoints.values(), key=lambda e: (e.path, e.method, e.file, e.line))
    return FamilyResult(endpoints=endpoints, warnings=warnings + linker.resolver.warnings)
