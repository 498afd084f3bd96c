"""Flask routes: `route`/verb decorators, `add_url_rule`, MethodView, nested blueprint prefixes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.scan.model import ODD_METHOD, Endpoint, Param, ScanWarning, Sighting, http_methods
from bot.scan.paths import (
    UNRESOLVED_NOTE,
    converters_to_template,
    ensure_root,
    join_url,
    path_params,
)
from bot.scan.python import values as v
from bot.scan.python.fastapi import app_label
from bot.scan.python.program import Program
from bot.scan.python.redirects import redirect_codes, redirect_responses
from bot.scan.python.wiring import Use, handler_name

_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
_ROUTES = frozenset({*_VERBS, "route", "add_url_rule"})
_AUTH_WORDS = ("login_required", "jwt_required", "auth_required", "token_required")


@dataclass
class _Flask:
    program: Program
    uses: list[Use]
    warnings: list[ScanWarning] = field(default_factory=list)
    # Flask app → paths it is mounted at inside an ASGI app (`mount("/v1", WSGIMiddleware(app))`)
    mounted: dict[v.Obj, list[str | None]] = field(default_factory=dict)

    def text(self, value: v.Value | None, use: Use, what: str) -> str | None:
        if value is None or (isinstance(value, v.Const) and value.value is None):
            return None
        text, unknown = v.as_path(value)
        for part in unknown:
            self.warnings.append(
                ScanWarning(
                    file=use.file,
                    line=use.line,
                    message=f"{what} `{part}` is not statically known; {UNRESOLVED_NOTE}",
                )
            )
        return text

    def own_prefix(self, obj: v.Obj) -> str | None:
        value = obj.kw("url_prefix")
        if value is None or (isinstance(value, v.Const) and value.value is None):
            return None
        text, unknown = v.as_path(value)
        for part in unknown:
            self.warnings.append(
                ScanWarning(
                    file=self.program.file(obj.module),
                    line=obj.line,
                    message=f"url_prefix `{part}` is not statically known; {UNRESOLVED_NOTE}",
                )
            )
        return text

    def prefixes(self) -> dict[v.Obj, list[tuple[str | None, str]]]:
        """Each app/blueprint → the url prefixes it is served under (None: no prefix), with the
        app serving it there."""
        children: dict[v.Obj, list[tuple[v.Obj, Use]]] = {}
        registered: set[v.Obj] = set()
        for use in self.uses:
            if use.method == "register_blueprint":
                child = use.call.arg(0, "blueprint")
                if isinstance(child, v.Obj) and child.kind == "flask.bp":
                    children.setdefault(use.obj, []).append((child, use))
                    registered.add(child)
        objs = {u.obj for u in self.uses} | registered
        result: dict[v.Obj, list[tuple[str | None, str]]] = {}
        for root in sorted((o for o in objs if o not in registered), key=lambda o: o.id):
            if root.kind == "flask.app":
                for start in self.mounted.get(root, [None]):
                    self._walk(root, start, children, result, (root,))
            else:
                self.warnings.append(
                    ScanWarning(
                        file=self.program.file(root.module),
                        line=root.line,
                        message=f"blueprint `{root.name}` is not registered on any app seen; "
                        "its routes are listed under its own url_prefix",
                    )
                )
                self._walk(root, self.own_prefix(root), children, result, (root,))
        return result

    def _walk(
        self,
        obj: v.Obj,
        prefix: str | None,
        children: dict[v.Obj, list[tuple[v.Obj, Use]]],
        result: dict[v.Obj, list[tuple[str | None, str]]],
        chain: tuple[v.Obj, ...],
    ) -> None:
        result.setdefault(obj, []).append((prefix, app_label(chain[0])))
        for child, use in children.get(obj, []):
            if child in chain:
                self.warnings.append(
                    ScanWarning(file=use.file, line=use.line, message="blueprint cycle")
                )
                continue
            own = self.text(use.call.kw("url_prefix"), use, "url_prefix")
            if own is None:
                own = self.own_prefix(child)
            if prefix is not None and own is not None:
                joined: str | None = prefix.rstrip("/") + "/" + own.lstrip("/")
            else:
                joined = own if own is not None else prefix
            self._walk(child, joined, children, result, (*chain, child))


def endpoints(program: Program, uses: list[Use]) -> tuple[list[Endpoint], list[ScanWarning]]:
    flask = _Flask(program, [u for u in uses if u.obj.kind.startswith("flask.")])
    for use in uses:
        wrapped = use.call.arg(1, "app") if use.method == "mount" else None
        if (
            isinstance(wrapped, v.CallV)
            and isinstance(wrapped.func, v.Ext)
            and wrapped.func.last == "WSGIMiddleware"
            and wrapped.args
            and isinstance(wrapped.args[0], v.Obj)
            and wrapped.args[0].kind == "flask.app"
        ):
            path = flask.text(use.call.arg(0, "path"), use, "mount path")
            flask.mounted.setdefault(wrapped.args[0], []).append(path)
    prefixes = flask.prefixes()
    found: list[Endpoint] = []
    for use in flask.uses:
        if use.method not in _ROUTES:
            continue
        rule = flask.text(use.call.arg(0, "rule"), use, "route rule") or ""
        view = use.handler if use.handler is not None else use.call.arg(2, "view_func")
        methods, odd = http_methods(_methods(program, use, view))
        for method in odd:
            message = ODD_METHOD.format(method=method)
            flask.warnings.append(ScanWarning(file=use.file, line=use.line, message=message))
        name = use.handler_name or handler_name(view)
        security = _security(program, view)
        redirects = redirect_codes(program, view)
        inputs = _inputs(program, view)
        for prefix, app in prefixes.get(use.obj, []):
            full = join_url(prefix, rule) if prefix is not None else rule
            template, types = converters_to_template(ensure_root(full))
            for method in methods:
                found.append(
                    Endpoint(
                        method=method,
                        path=template,
                        framework="flask",
                        file=use.file,
                        line=use.line,
                        handler=name,
                        params=path_params(template, [], types) + inputs,
                        security=security,
                        responses=redirect_responses(redirects),
                        status_codes=redirects,
                        sources=[
                            Sighting(framework="flask", file=use.file, line=use.line, handler=name)
                        ],
                        app=app,
                    )
                )
    return found, flask.warnings


def _methods(program: Program, use: Use, view: v.Value | None) -> list[str]:
    if use.method in _VERBS:
        return [use.method.upper()]
    listed = use.call.kw("methods")
    if isinstance(listed, v.ListV):
        names = [t.upper() for t in (v.as_text(i) for i in listed.items) if t]
        return list(dict.fromkeys(names)) or ["GET"]
    cls = _view_class(view)
    if cls is not None:
        return view_methods(program, cls)
    return ["GET"]


def _view_class(view: v.Value | None) -> v.ClassRef | None:
    if (
        isinstance(view, v.CallV)
        and isinstance(view.func, v.Bound)
        and view.func.attr == "as_view"
        and isinstance(view.func.owner, v.ClassRef)
    ):
        return view.func.owner
    return None


def view_methods(program: Program, cls: v.ClassRef) -> list[str]:
    """A `View`'s `methods` attribute, else a `MethodView`'s handler methods (own and inherited)."""
    defined: list[str] = []
    for ref in program.mro(cls):
        info = program.klass(ref)
        if "methods" in info.get("attrs", {}):
            value = program.eval(info["attrs"]["methods"][0], (ref.module, ref.scope))
            if isinstance(value, v.ListV):
                return [t.upper() for t in (v.as_text(i) for i in value.items) if t]
        defined.extend(m for m in info.get("methods", {}) if m in _VERBS and m not in defined)
    if any(b.last == "MethodView" for b in program.external_bases(cls)):
        return [m.upper() for m in _VERBS if m in defined]
    return ["GET"]


def _security(program: Program, view: v.Value | None) -> list[str]:
    if not isinstance(view, v.FuncRef):
        return []
    found = []
    for dec, _line in program.func(view).get("dec", []):
        text = v.render(dec[1] if dec[0] == "call" else dec)
        if any(word in text for word in _AUTH_WORDS):
            found.append(text.rpartition(".")[2])
    return found


def _inputs(program: Program, view: v.Value | None) -> list[Param]:
    """The query parameters, headers and cookies a view function reads from `request`."""
    if not isinstance(view, v.FuncRef):
        return []
    try:
        read = program.func(view).get("inputs") or []
    except KeyError:
        return []
    params: list[Param] = []
    for location, name, required, kind in read:
        schema: dict[str, Any] = {"type": kind}
        if kind.startswith("array:"):
            schema = {"type": "array", "items": {"type": kind.partition(":")[2]}}
        params.append(Param(name=name, location=location, required=required, schema=schema))
    return params
