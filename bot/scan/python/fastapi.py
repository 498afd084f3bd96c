"""FastAPI and Starlette routes: decorators, `include_router`/`mount` prefix chains, dependencies.

Starlette's own routes (`Route`, `add_route`, `@app.route`) take no injected parameters and
serve GET for a function without `methods`; an `HTTPEndpoint` class serves the methods it
defines. Like Flask's, the implicit HEAD of a GET route is not listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.scan.model import ODD_METHOD, Endpoint, ScanWarning, Sighting, http_methods
from bot.scan.paths import UNRESOLVED_NOTE, ensure_root, path_params, starlette_to_template
from bot.scan.python import values as v
from bot.scan.python.fastapi_params import Signature, dependency_security, read_signature
from bot.scan.python.program import Program
from bot.scan.python.redirects import redirect_codes, redirect_responses
from bot.scan.python.schema import SchemaReader
from bot.scan.python.starlette import endpoint_methods
from bot.scan.python.wiring import Use, handler_name

UNRESOLVED_TYPE = (
    "parameter `{name}`: type `{type}` not found in the repository; its schema is unknown"
)
_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "trace"})
_STARLETTE_ROUTES = frozenset({"route", "add_route"})
_ROUTES = _VERBS | {"api_route", "add_api_route"} | _STARLETTE_ROUTES


@dataclass(frozen=True)
class _Mount:
    prefix: str
    tags: tuple[str, ...] = ()
    deps: tuple[v.Value, ...] = ()
    responses: tuple[v.Value | None, ...] = ()  # `responses=` of enclosing includes
    app: str = ""  # `module:variable` of the app (or lone router) at the top of the chain
    hidden: bool = False  # an enclosing include or router says `include_in_schema=False`


@dataclass
class _Walk:
    program: Program
    uses: list[Use]
    warnings: list[ScanWarning] = field(default_factory=list)

    def path(self, value: v.Value | None, file: str, line: int, what: str) -> str:
        text, unknown = v.as_path(value)
        for part in unknown:
            self.warnings.append(
                ScanWarning(
                    file=file,
                    line=line,
                    message=f"{what} `{part}` is not statically known; {UNRESOLVED_NOTE}",
                )
            )
        return text

    def own_prefix(self, obj: v.Obj) -> str:
        file = self.program.file(obj.module)
        return self.path(obj.kw("prefix"), file, obj.line, "router prefix")

    def mounts(self) -> dict[v.Obj, list[_Mount]]:
        """Every prefix (with inherited tags and dependencies) under which each object serves."""
        children: dict[v.Obj, list[tuple[v.Obj, Use]]] = {}
        included: set[v.Obj] = set()
        for use in self.uses:
            if use.method in ("include_router", "mount"):
                # FastAPI: include_router(router, *, prefix=...); Starlette: mount(path, app)
                child = (
                    use.call.arg(0, "router")
                    if use.method == "include_router"
                    else use.call.arg(1, "app")
                )
                if isinstance(child, v.Obj) and child.kind.startswith("fastapi."):
                    children.setdefault(use.obj, []).append((child, use))
                    included.add(child)
        for parent, wired in children.items():
            children[parent] = _known_alternatives(wired)
        objs = {u.obj for u in self.uses if u.obj.kind in ("fastapi.app", "fastapi.router")}
        objs |= included
        result: dict[v.Obj, list[_Mount]] = {}
        # A router whose routes are only passed as `callbacks=` documents requests the API
        # sends; it serves nothing.
        callbacks = {o for u in self.uses for o in _routers_in(u.call.kw("callbacks"))}
        roots = sorted((o for o in objs if o not in included | callbacks), key=lambda o: o.id)
        # apps first: a lone router that only gathers routers some app already serves (one
        # built to generate the OpenAPI document, say) adds nothing and is not listed
        roots.sort(key=lambda o: o.kind != "fastapi.app")
        routed = {u.obj for u in self.uses if u.method in _ROUTES}
        for root in roots:
            if (
                root.kind != "fastapi.app"
                and root not in routed
                and children.get(root)
                and all(child in result for child, _use in children[root])
            ):
                continue
            if root.kind != "fastapi.app":
                self.warnings.append(
                    ScanWarning(
                        file=self.program.file(root.module),
                        line=root.line,
                        message=f"router `{root.name}` is not included in any app seen; "
                        "its routes are listed under its own prefix",
                    )
                )
            start = _Mount("", (), _list(root.kw("dependencies")), (), app_label(root))
            self._descend(root, start, children, result, (root,))
        return result

    def _descend(
        self,
        obj: v.Obj,
        mount: _Mount,
        children: dict[v.Obj, list[tuple[v.Obj, Use]]],
        result: dict[v.Obj, list[_Mount]],
        chain: tuple[v.Obj, ...],
    ) -> None:
        result.setdefault(obj, []).append(mount)
        base = mount.prefix + (self.own_prefix(obj) if obj.kind == "fastapi.router" else "")
        for child, use in children.get(obj, []):
            if child in chain:
                self.warnings.append(
                    ScanWarning(file=use.file, line=use.line, message="router include cycle")
                )
                continue
            if use.method == "mount":
                prefix = self.path(use.call.arg(0, "path"), use.file, use.line, "mount path")
                child_mount = _Mount(base + prefix, app=mount.app, hidden=mount.hidden)
                self._descend(child, child_mount, children, result, (*chain, child))
                continue
            prefix = self.path(use.call.kw("prefix"), use.file, use.line, "include prefix")
            tags = mount.tags + _texts(use.call.kw("tags"))
            deps = mount.deps + _list(use.call.kw("dependencies")) + _list(child.kw("dependencies"))
            responses = (*mount.responses, use.call.kw("responses"))
            self._descend(
                child,
                _Mount(
                    base + prefix,
                    tags,
                    deps,
                    responses,
                    mount.app,
                    mount.hidden or _hidden(use.call) or _hidden(child),
                ),
                children,
                result,
                (*chain, child),
            )


def _mount_path(use: Use) -> v.Value | None:
    return use.call.arg(0, "path") if use.method == "mount" else use.call.kw("prefix")


def _known_alternatives(wired: list[tuple[v.Obj, Use]]) -> list[tuple[v.Obj, Use]]:
    """One child mounted twice by one parent, at a known path and at an unknown one (`if
    settings.BASE: mount(settings.BASE, api) else: mount("/api", api)`): the known one."""
    known = {c for c, use in wired if not v.as_path(_mount_path(use))[1]}
    return [(c, use) for c, use in wired if c not in known or not v.as_path(_mount_path(use))[1]]


def _hidden(owner: v.CallV | v.Obj) -> bool:
    flag = owner.kw("include_in_schema")
    return isinstance(flag, v.Const) and flag.value is False


def app_label(obj: v.Obj) -> str:
    """`module:variable` naming an app (or router) object."""
    return f"{obj.module}:{obj.name}"


def _routers_in(value: v.Value | None) -> list[v.Obj]:
    """Routers named in a `callbacks=` value: `router.routes`, or a list holding those."""
    if isinstance(value, v.Bound) and isinstance(value.owner, v.Obj):
        return [value.owner]
    return [o for item in _list(value) for o in _routers_in(item)]


def _list(value: v.Value | None) -> tuple[v.Value, ...]:
    return value.items if isinstance(value, v.ListV) else ()


def _texts(value: v.Value | None) -> tuple[str, ...]:
    return tuple(t for t in (v.as_text(i) for i in _list(value)) if t is not None)


def endpoints(program: Program, uses: list[Use]) -> tuple[list[Endpoint], list[ScanWarning]]:
    walk = _Walk(program, [u for u in uses if u.obj.kind.startswith("fastapi.")])
    mounts = walk.mounts()
    schemas = SchemaReader(program)
    found: list[Endpoint] = []
    for use in walk.uses:
        if use.method not in _ROUTES:
            continue
        handler = _handler(use)
        path_value = use.call.arg(0, "path")
        route = walk.path(path_value, use.file, use.line, "route path")
        if use.method in _STARLETTE_ROUTES:
            signature = Signature()
        else:
            signature = read_signature(program, schemas, handler)
            for name, type_text in signature.unresolved:
                message = UNRESOLVED_TYPE.format(name=name, type=type_text)
                walk.warnings.append(ScanWarning(file=use.file, line=use.line, message=message))
        methods, odd = http_methods(_methods(program, use, handler))
        for method in odd:
            message = ODD_METHOD.format(method=method)
            walk.warnings.append(ScanWarning(file=use.file, line=use.line, message=message))
        for mount in mounts.get(use.obj, []):
            own = walk.own_prefix(use.obj) if use.obj.kind == "fastapi.router" else ""
            full = mount.prefix + own + route
            deps = (
                mount.deps + _list(use.obj.kw("dependencies")) + _list(use.call.kw("dependencies"))
            )
            tags = mount.tags + _texts(use.obj.kw("tags")) + _texts(use.call.kw("tags"))
            # FastAPI merges `responses` of includes, of the router and of the route.
            extra = (*mount.responses, use.obj.kw("responses"), use.call.kw("responses"))
            for method in methods:
                endpoint = _endpoint(
                    program, schemas, use, method, ensure_root(full), signature, tags, deps, extra
                )
                endpoint.app = mount.app
                endpoint.in_schema = not (mount.hidden or _hidden(use.call) or _hidden(use.obj))
                found.append(endpoint)
    return found, walk.warnings


def _handler(use: Use) -> v.Value | None:
    return use.handler or use.call.arg(1, "endpoint") or use.call.kw("route")


def _methods(program: Program, use: Use, handler: v.Value | None) -> list[str]:
    if use.method in _VERBS:
        return [use.method.upper()]
    listed = [t.upper() for t in (v.as_text(m) for m in _list(use.call.kw("methods"))) if t]
    if not listed and use.method in _STARLETTE_ROUTES and isinstance(handler, v.ClassRef):
        return endpoint_methods(program, handler)
    return list(dict.fromkeys(listed)) or ["GET"]


def framework_of(obj: v.Obj) -> str:
    """The framework reported: `starlette` for a Starlette app or router, else `fastapi`."""
    return "starlette" if obj.ctor.root == "starlette" else "fastapi"


def _endpoint(
    program: Program,
    schemas: SchemaReader,
    use: Use,
    method: str,
    path: str,
    signature: Signature,
    tags: tuple[str, ...],
    deps: tuple[v.Value, ...],
    extra: tuple[v.Value | None, ...],
) -> Endpoint:
    call = use.call
    code = status_code(call.kw("status_code")) or 200
    responses: dict[str, dict[str, Any] | None] = {str(code): _response(program, schemas, use)}
    redirects = redirect_codes(program, _handler(use))
    if redirects:  # the returned response's status wins over the route's `status_code`
        responses = redirect_responses(redirects)
    for more in extra:
        if isinstance(more, v.DictV):
            for key, _value in more.items:
                if isinstance(key, v.Const) and isinstance(key.value, int | str):
                    responses.setdefault(str(key.value), None)
    security = list(signature.security)
    for dep in deps:
        security.extend(
            n for n in dependency_security(program, schemas, dep, set()) if n not in security
        )
    path, types = starlette_to_template(path)
    params = path_params(path, signature.params, types)
    handler = use.handler_name or handler_name(_handler(use))
    framework = framework_of(use.obj)
    deprecated = call.kw("deprecated")
    return Endpoint(
        method=method,
        path=path,
        framework=framework,
        file=use.file,
        line=use.line,
        handler=handler,
        params=params,
        request_schema=signature.body,
        request_content_type=signature.body_type,
        request_required=signature.body_required,
        responses=responses,
        status_codes=sorted({int(k) for k in responses if k.isdigit()}),
        tags=list(dict.fromkeys(tags)),
        security=security,
        operation_id=v.as_text(call.kw("operation_id")),
        summary=v.as_text(call.kw("summary")),
        deprecated=isinstance(deprecated, v.Const) and deprecated.value is True,
        sources=[Sighting(framework=framework, file=use.file, line=use.line, handler=handler)],
    )


def _response(program: Program, schemas: SchemaReader, use: Use) -> dict[str, Any] | None:
    model = use.call.kw("response_model")
    if model is not None:
        return schemas.value(model)
    handler = use.handler
    if isinstance(handler, v.FuncRef):
        info = program.func(handler)
        if "ret" in info:
            found = schemas.annotation(info["ret"], (handler.module, handler.scope))
            return None if found == {"type": "null"} else found
    return None


def status_code(value: v.Value | None) -> int | None:
    """`201` or `status.HTTP_201_CREATED` → 201."""
    if isinstance(value, v.Const) and isinstance(value.value, int):
        return value.value
    if isinstance(value, v.Ext) and value.last.startswith("HTTP_"):
        digits = value.last.split("_")[1]
        return int(digits) if digits.isdigit() else None
    return None
