"""Django and DRF views: which methods a view answers, and the routes a DRF router generates."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from bot.scan.model import ODD_METHOD, Endpoint, ScanWarning, Sighting, http_methods
from bot.scan.paths import (
    UNRESOLVED_NOTE,
    converters_to_template,
    ensure_root,
    path_params,
    regex_to_template,
)
from bot.scan.python import values as v
from bot.scan.python.program import Ctx, Program
from bot.scan.python.redirects import redirect_codes
from bot.scan.python.wiring import Use

_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
# Generic views whose handler methods are inherited from Django or DRF.
GENERIC_METHODS: dict[str, tuple[str, ...]] = {
    "TemplateView": ("get",),
    "ListView": ("get",),
    "DetailView": ("get",),
    "RedirectView": ("get", "post", "put", "patch", "delete", "head", "options"),
    "ArchiveIndexView": ("get",),
    "FormView": ("get", "post"),
    "CreateView": ("get", "post"),
    "UpdateView": ("get", "post"),
    "DeleteView": ("get", "post"),
    "ListAPIView": ("get",),
    "CreateAPIView": ("post",),
    "RetrieveAPIView": ("get",),
    "DestroyAPIView": ("delete",),
    "UpdateAPIView": ("put", "patch"),
    "ListCreateAPIView": ("get", "post"),
    "RetrieveUpdateAPIView": ("get", "put", "patch"),
    "RetrieveDestroyAPIView": ("get", "delete"),
    "RetrieveUpdateDestroyAPIView": ("get", "put", "patch", "delete"),
}
# DRF views of add-on packages (dj-rest-auth and its predecessor django-rest-auth, django-
# oauth-toolkit): (package, class) → the methods they answer, as the packages document them.
DRF_ADDON_METHODS: dict[tuple[str, str], tuple[str, ...]] = {
    **{
        (package, name): methods
        for package in ("rest_auth", "dj_rest_auth")
        for name, methods in {
            "LoginView": ("post",),
            "LogoutView": ("get", "post"),
            "UserDetailsView": ("get", "put", "patch"),
            "PasswordChangeView": ("post",),
            "PasswordResetView": ("post",),
            "PasswordResetConfirmView": ("post",),
            "RegisterView": ("post",),
            "VerifyEmailView": ("post",),
            "ResendEmailVerificationView": ("post",),
        }.items()
    },
    # a FormView: Django's ProcessFormView answers PUT like POST
    ("oauth2_provider", "AuthorizationView"): ("get", "post", "put"),
    ("oauth2_provider", "TokenView"): ("post",),
    ("oauth2_provider", "RevokeTokenView"): ("post",),
}
_DRF_ADDONS = frozenset({"rest_auth", "dj_rest_auth"})  # DRF views (oauth2_provider's are not)
_ACTIONS: dict[str, tuple[str, ...]] = {
    "ModelViewSet": ("list", "create", "retrieve", "update", "partial_update", "destroy"),
    "ReadOnlyModelViewSet": ("list", "retrieve"),
    "ListModelMixin": ("list",),
    "CreateModelMixin": ("create",),
    "RetrieveModelMixin": ("retrieve",),
    "UpdateModelMixin": ("update", "partial_update"),
    "DestroyModelMixin": ("destroy",),
}
# Viewsets of add-on packages: (package, class) → (actions, extra `@action`s as (name, detail,
# methods, url path)), as their source defines them (django-dynamic-preferences 1.x
# `PreferenceViewSet`: update, list and retrieve mixins plus a `bulk` POST on the list route).
_PREFERENCES = (
    ("list", "retrieve", "update", "partial_update"),
    (("bulk", False, ("POST",), "bulk"),),
)
DRF_ADDON_VIEWSETS: dict[
    tuple[str, str], tuple[tuple[str, ...], tuple[tuple[str, bool, tuple[str, ...], str], ...]]
] = {
    ("dynamic_preferences", name): _PREFERENCES
    for name in ("PreferenceViewSet", "GlobalPreferencesViewSet", "PerInstancePreferenceViewSet")
}
UNKNOWN_VIEWSET = (
    "viewset `{name}` derives from {bases}, whose actions are not known; no routes listed for it"
)
_Mapping = tuple[tuple[str, str], ...]  # (method, action) pairs of one route
_LIST_ROUTE: _Mapping = (("GET", "list"), ("POST", "create"))
_DETAIL_ROUTE: tuple[tuple[str, str], ...] = (
    ("GET", "retrieve"),
    ("PUT", "update"),
    ("PATCH", "partial_update"),
    ("DELETE", "destroy"),
)
_FUNC_METHODS = {"require_GET": ["GET"], "require_POST": ["POST"], "require_safe": ["GET", "HEAD"]}
_OPEN = frozenset({"AllowAny"})


@dataclass(frozen=True)
class View:
    name: str
    methods: list[str]
    framework: str
    security: list[str]
    file: str | None = None
    line: int | None = None
    in_schema: bool = True
    redirects: tuple[int, ...] = ()  # every exit redirects: its 3xx


def view_of(program: Program, value: v.Value | None) -> View | None:
    """The methods a Django/DRF view answers: CBV handler methods, `@api_view`, `require_*`."""
    value = unwrapped(value)
    if isinstance(value, v.CallV) and isinstance(value.func, v.Bound):
        owner = value.func.owner
        if value.func.attr == "as_view" and isinstance(owner, v.ClassRef):
            mapping = value.arg(0, "actions")
            if isinstance(mapping, v.DictV):  # ViewSet.as_view({"get": "list"})
                verbs = [t.upper() for t in (v.as_text(k) for k, _x in mapping.items) if t]
                return _class_view(program, owner, verbs)
            return _class_view(program, owner, None)
    if isinstance(value, v.FuncRef):
        return _function_view(program, value)
    return None


def unwrapped(value: v.Value | None) -> v.Value | None:
    """`csrf_exempt(View.as_view())`, `cache_page(60)(view)`: the view a decorator call wraps."""
    for _ in range(4):
        if not (isinstance(value, v.CallV) and len(value.args) == 1):
            return value
        func = value.func
        if isinstance(func, v.CallV):
            func = func.func
        if not isinstance(func, v.Ext) or func.last == "include":
            return value
        value = value.args[0]
    return value


def _class_view(program: Program, cls: v.ClassRef, verbs: list[str] | None) -> View:
    ext = program.external_bases(cls)
    drf_roots = ("rest_framework", *_DRF_ADDONS)
    framework = "drf" if any(b.root in drf_roots for b in ext) else "django"
    if verbs is None:
        defined: list[str] = []
        for ref in program.mro(cls):
            defined += [m for m in program.klass(ref).get("methods", {}) if m in _VERBS]
        for base in ext:
            defined += GENERIC_METHODS.get(base.last, ())
            defined += DRF_ADDON_METHODS.get((base.root, base.last), ())
        verbs = [m.upper() for m in _VERBS if m in defined and m not in ("head", "options")]
    allowed = _attr_texts(program, cls, "http_method_names")
    if allowed:
        verbs = [m for m in verbs if m.lower() in allowed]
    info = program.klass(cls)
    security = _permissions(program, cls) + [b.last for b in ext if b.last == "LoginRequiredMixin"]
    documented = not excluded_from_schema(program, cls)
    return View(
        cls.name, verbs, framework, security, program.file(cls.module), info["line"], documented
    )


def _function_view(program: Program, ref: v.FuncRef) -> View:
    info = program.func(ref)
    methods: list[str] | None = None
    framework, security = "django", []
    ctx = (ref.module, ref.scope)
    for dec, _line in info.get("dec", []):
        value = program.eval(dec, ctx)
        func = value.func if isinstance(value, v.CallV) else value
        name = func.last if isinstance(func, v.Ext) else v.render(dec).rpartition(".")[2]
        if name == "api_view" and isinstance(value, v.CallV):
            framework = "drf"
            listed = value.arg(0, "http_method_names")
            methods = _texts(listed) or ["GET"]
        elif name == "api_view":
            framework, methods = "drf", ["GET"]
        elif name == "require_http_methods" and isinstance(value, v.CallV):
            methods = _texts(value.arg(0, "request_method_list"))
        elif name in _FUNC_METHODS:
            methods = _FUNC_METHODS[name]
        elif name == "permission_classes" and isinstance(value, v.CallV):
            security += [n for n in _names(value.arg(0, "permission_classes")) if n not in _OPEN]
        elif "login_required" in name:
            security.append(name)
    # A plain function view receives every method; GET is the one listed (documented choice).
    return View(
        ref.name,
        methods or ["GET"],
        framework,
        security,
        program.file(ref.module),
        info["line"],
        redirects=tuple(redirect_codes(program, ref)),
    )


def _texts(value: v.Value | None) -> list[str]:
    items = value.items if isinstance(value, v.ListV) else ()
    return [t.upper() for t in (v.as_text(i) for i in items) if t]


def _names(value: v.Value | None) -> list[str]:
    items = value.items if isinstance(value, v.ListV) else ()
    return [
        i.name if isinstance(i, v.ClassRef) else i.last
        for i in items
        if isinstance(i, v.ClassRef | v.Ext)
    ]


def _attr(program: Program, cls: v.ClassRef, name: str) -> v.Value | None:
    for ref in program.mro(cls):
        attrs = program.klass(ref).get("attrs", {})
        if name in attrs:
            return program.eval(attrs[name][0], (ref.module, ref.scope))
    return None


def _attr_texts(program: Program, cls: v.ClassRef, name: str) -> list[str]:
    return [t.lower() for t in _texts(_attr(program, cls, name))]


def _permissions(program: Program, cls: v.ClassRef) -> list[str]:
    return [n for n in _names(_attr(program, cls, "permission_classes")) if n not in _OPEN]


def excluded_from_schema(program: Program, cls: v.ClassRef) -> bool:
    """A view left out of generated schemas: `schema = None` (DRF) or `swagger_schema = None`."""
    return any(
        isinstance(_attr(program, cls, name), v.Const)
        and _attr(program, cls, name) == v.Const(None)
        for name in ("schema", "swagger_schema")
    )


_ACTION_DECORATORS = frozenset({"action", "detail_route", "list_route"})


def _action_entry(name: str, call: v.CallV) -> tuple[str, bool, list[str], str]:
    """(name, detail, methods, url path) of an `@action(...)` call."""
    assert isinstance(call.func, v.Ext)
    detail = call.kw("detail")
    is_detail = call.func.last == "detail_route" or (
        isinstance(detail, v.Const) and detail.value is True
    )
    methods = _texts(call.kw("methods")) or ["GET"]
    return name, is_detail, methods, _url_path(v.as_text(call.kw("url_path")) or name)


def _is_action(value: v.Value) -> bool:
    return (
        isinstance(value, v.CallV)
        and isinstance(value.func, v.Ext)
        and value.func.last in _ACTION_DECORATORS
    )


def _made_action(program: Program, expr: list[Any], ctx: Ctx) -> v.CallV | None:
    """The `action(...)` call behind a class attribute set from a factory: the factory returns
    a function it decorated with `@action(...)`, or `action(...)(func)` (maybe wrapped again by
    other decorators such as `extend_schema(...)(...)`)."""
    value = program.eval(expr, ctx)
    for _ in range(8):
        if isinstance(value, v.FuncRef):
            inner = (value.module, value.scope)
            for dec, _line in program.func(value).get("dec", []):
                found = program.eval(dec, inner)
                if _is_action(found):
                    assert isinstance(found, v.CallV)
                    return found
            return None
        if not (isinstance(value, v.CallV) and isinstance(value.func, v.CallV)):
            return None
        if _is_action(value.func):
            return value.func
        value = value.args[0] if value.args else v.Unknown("")
    return None


def _nesting(call: v.CallV) -> str:
    """drf-extensions' nested registration: the parents' prefixes, each with its lookup."""
    parents: list[v.CallV] = []
    current = call
    while isinstance(current.func, v.Bound) and isinstance(current.func.owner, v.CallV):
        current = current.func.owner
        parents.append(current)
    lookups = call.kw("parents_query_lookups")
    names = [v.as_text(i) for i in (lookups.items if isinstance(lookups, v.ListV) else ())]
    path = ""
    for index, parent in enumerate(reversed(parents)):
        own = regex_to_template(v.as_path(parent.arg(0, "prefix"))[0])[0]
        name = names[index] if index < len(names) and names[index] else f"parent_{index}"
        path += f"{own}/{{parent_lookup_{name}}}/"
    return path


def _mapping(value: v.Value | None) -> dict[str, str]:
    """`{"put": "bulk_update"}` → {"PUT": "bulk_update"}."""
    if not isinstance(value, v.DictV):
        return {}
    pairs = ((v.as_text(k), v.as_text(x)) for k, x in value.items)
    return {m.upper(): a for m, a in pairs if m and a}


def _declared_routes(
    value: v.Value, listing: dict[str, str], detail: dict[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """A router class's own `routes` list: its `Route`s' mappings, split by `detail`."""
    if not isinstance(value, v.ListV):
        return listing, detail
    new_list: dict[str, str] = {}
    new_detail: dict[str, str] = {}
    for item in value.items:
        if not (isinstance(item, v.CallV) and isinstance(item.func, v.Ext)):
            continue
        if item.func.last != "Route":
            continue
        is_detail = item.kw("detail")
        target = new_detail if isinstance(is_detail, v.Const) and is_detail.value else new_list
        target.update(_mapping(item.arg(1, "mapping")))
    return new_list or listing, new_detail or detail


def _mapping_target(dec: list[Any]) -> tuple[str, str] | None:
    """`@name.mapping.post` → ("name", "POST")."""
    if dec[0] == "a" and dec[2] in _VERBS and dec[1][0] == "a" and dec[1][2] == "mapping":
        owner = dec[1][1]
        if owner[0] == "n":
            return owner[1], dec[2].upper()
    return None


def _url_path(text: str) -> str:
    """An `@action` url_path as a template: regex groups and path converters become `{name}`."""
    return converters_to_template(regex_to_template(text)[0])[0]


@dataclass
class RouterRoutes:
    """Routes of DRF routers: list/detail routes per viewset action, and `@action` extras."""

    program: Program
    uses: list[Use]
    warnings: list[ScanWarning] = field(default_factory=list)
    reached: set[v.Obj] = field(default_factory=set)

    def endpoints(self, router: v.Obj, prefix: str) -> list[Endpoint]:
        self.reached.add(router)
        slash_value = router.kw("trailing_slash")
        if slash_value is None and router.cls is not None:  # a subclass sets its own
            slash_value = _attr(self.program, router.cls, "trailing_slash")
        # `trailing_slash=False` or "": none; "/?" (optional) is written as the slash
        slash = "" if isinstance(slash_value, v.Const) and slash_value.value in (False, "") else "/"
        found: list[Endpoint] = []
        if router.ctor.last.endswith("DefaultRouter"):  # and ExtendedDefaultRouter, ...
            root = router.kw("include_root_view")
            if not (isinstance(root, v.Const) and root.value is False):
                root_view = self._endpoint("GET", prefix, "APIRootView", router, None, [])
                root_view.in_schema = False  # DRF's APIRootView sets `schema = None`
                found.append(root_view)
        routes = self._routes(router)
        if router.ctor.last.startswith("Nested"):
            # drf-nested-routers: NestedSimpleRouter(parent, "domains", lookup="domain") serves
            # its viewsets under `domains/{domain_pk}/`
            parent = regex_to_template(
                v.as_path(router.args[1] if len(router.args) > 1 else router.kw("parent_prefix"))[0]
            )[0]
            lookup = v.as_text(router.kw("lookup")) or "nested_1"
            prefix = f"{prefix}{parent}/{{{lookup}_pk}}/"
        for use in self._registrations(router, (router,)):
            found += self._viewset(use, prefix, slash, routes)
        return found

    def _registrations(self, router: v.Obj, seen: tuple[v.Obj, ...]) -> list[Use]:
        """`register` calls of the router, and of routers whose registry it takes over."""
        found: list[Use] = []
        for use in self.uses:
            if use.obj != router:
                continue
            if use.method == "register":
                found.append(use)
            elif use.method == "registry.extend" and use.call.args:
                other = use.call.args[0]
                owner = other.owner if isinstance(other, v.Bound) else None
                if isinstance(owner, v.Obj) and owner not in seen:
                    self.reached.add(owner)
                    found += self._registrations(owner, (*seen, owner))
        return found

    def _routes(self, router: v.Obj) -> tuple[_Mapping, _Mapping]:
        """The list and detail routes' method → action maps, as the router's class sets them.

        A subclass may replace `routes` (a list of `Route(url=..., mapping=..., detail=...)`) or
        update a route's mapping in `__init__` (`self.routes[0].mapping.update({...})`).
        """
        listing, detail = dict(_LIST_ROUTE), dict(_DETAIL_ROUTE)
        if router.cls is None:
            return tuple(listing.items()), tuple(detail.items())
        for ref in reversed(self.program.mro(router.cls)):
            attrs = self.program.klass(ref).get("attrs", {})
            ctx = (ref.module, ref.scope)
            if "routes" in attrs:
                value = self.program.eval(attrs["routes"][0], ctx)
                listing, detail = _declared_routes(value, listing, detail)
            for index, expr in attrs.get("routes.update", [[], 0])[0]:
                mapping = _mapping(self.program.eval(expr, ctx))
                # DRF's SimpleRouter.routes: 0 the list route, 2 the detail route
                (listing if index == 0 else detail if index == 2 else {}).update(mapping)
        return tuple(listing.items()), tuple(detail.items())

    def unreached(self) -> list[Endpoint]:
        found: list[Endpoint] = []
        for router in sorted({u.obj for u in self.uses} - self.reached, key=lambda o: o.id):
            self.warnings.append(
                ScanWarning(
                    file=self.program.file(router.module),
                    line=router.line,
                    message=f"router `{router.name}` is not included in any URLconf seen; "
                    "its routes are listed without a prefix",
                )
            )
            lone = self.endpoints(router, "")
            for endpoint in lone:  # served by no URLconf seen: named after the router itself
                endpoint.app = f"{router.module}:{router.name}"
            found += lone
        return found

    def _viewset(
        self, use: Use, prefix: str, slash: str, mappings: tuple[_Mapping, _Mapping]
    ) -> list[Endpoint]:
        base_text, unknown = v.as_path(use.call.arg(0, "prefix"))
        for part in unknown:
            self.warnings.append(
                ScanWarning(
                    file=use.file,
                    line=use.line,
                    message=f"router prefix `{part}` is not statically known; {UNRESOLVED_NOTE}",
                )
            )
        base, _clean = regex_to_template(base_text)
        base = _nesting(use.call) + base
        viewset = use.call.arg(1, "viewset")
        if not isinstance(viewset, v.ClassRef):
            self.warnings.append(
                ScanWarning(
                    file=use.file,
                    line=use.line,
                    message="viewset not resolved; registration skipped",
                )
            )
            return []
        lookup = v.as_text(_attr(self.program, viewset, "lookup_url_kwarg"))
        lookup = lookup or v.as_text(_attr(self.program, viewset, "lookup_field")) or "pk"
        actions = self._actions(viewset)
        allowed = _attr_texts(self.program, viewset, "http_method_names")
        security = _permissions(self.program, viewset)
        documented = not excluded_from_schema(self.program, viewset)
        found: list[Endpoint] = []
        routes = [
            (f"{base}{slash}", mappings[0]),
            (f"{base}/{{{lookup}}}{slash}", mappings[1]),
        ]
        for route, mapping in routes:
            for method, action in mapping:
                if not self._http(use, method):
                    continue
                if action in actions and (not allowed or method.lower() in allowed):
                    found.append(
                        self._endpoint(
                            method, prefix + route, viewset.name, viewset, action, security
                        )
                    )
        for name, detail, methods, url_path in self._extra_actions(viewset):
            middle = f"/{{{lookup}}}" if detail else ""
            for method in filter(partial(self._http, use), methods):
                path = f"{prefix}{base}{middle}/{url_path}{slash}"
                found.append(self._endpoint(method, path, viewset.name, viewset, name, security))
        for endpoint in found:
            endpoint.in_schema = documented
        unknown = [
            b.name
            for b in self.program.external_bases(viewset)
            if b.root not in {"rest_framework", "django"}
        ]
        if not found and unknown:
            bases = ", ".join(f"`{name}`" for name in dict.fromkeys(unknown))
            message = UNKNOWN_VIEWSET.format(name=viewset.name, bases=bases)
            self.warnings.append(ScanWarning(file=use.file, line=use.line, message=message))
        return found

    def _actions(self, cls: v.ClassRef) -> set[str]:
        names: set[str] = set()
        for ref in self.program.mro(cls):
            names |= set(self.program.klass(ref).get("methods", {}))
        for base in self.program.external_bases(cls):
            names |= set(_ACTIONS.get(base.last, ()))
            names |= set(DRF_ADDON_VIEWSETS.get((base.root, base.last), ((), ()))[0])
        return names

    def _extra_actions(self, cls: v.ClassRef) -> list[tuple[str, bool, list[str], str]]:
        found: list[tuple[str, bool, list[str], str]] = [
            (name, detail, list(methods), url_path)
            for base in self.program.external_bases(cls)
            for name, detail, methods, url_path in DRF_ADDON_VIEWSETS.get(
                (base.root, base.last), ((), ())
            )[1]
        ]
        mapped: dict[str, list[str]] = {}  # `@some_action.mapping.post` adds POST to some_action
        for ref in reversed(self.program.mro(cls)):
            ctx = (ref.module, ref.scope)
            for name, method in self.program.klass(ref).get("methods", {}).items():
                for dec, _line in method.get("dec", []):
                    target = _mapping_target(dec)
                    if target is not None:
                        mapped.setdefault(target[0], []).append(target[1])
                        continue
                    value = self.program.eval(dec, ctx)
                    if not (isinstance(value, v.CallV) and isinstance(value.func, v.Ext)):
                        continue
                    if value.func.last not in _ACTION_DECORATORS:
                        continue
                    found = [f for f in found if f[0] != name]
                    found.append(_action_entry(name, value))
            for name, (expr, _line) in self.program.klass(ref).get("attrs", {}).items():
                # `fetches = fetches_route()`: an action made by a factory function
                made = _made_action(self.program, expr, ctx) if expr[0] == "call" else None
                if made is not None:
                    found = [f for f in found if f[0] != name]
                    found.append(_action_entry(name, made))
        return [
            (name, detail, list(dict.fromkeys([*methods, *mapped.get(name, [])])), url_path)
            for name, detail, methods, url_path in found
        ]

    def _http(self, use: Use, method: str) -> bool:
        """Whether `method` is an HTTP method; a warning when it is not."""
        if http_methods([method])[0]:
            return True
        message = ODD_METHOD.format(method=method)
        self.warnings.append(ScanWarning(file=use.file, line=use.line, message=message))
        return False

    def _endpoint(
        self,
        method: str,
        route: str,
        handler: str,
        where: v.ClassRef | v.Obj,
        action: str | None,
        security: list[str],
    ) -> Endpoint:
        module = where.module
        line = self.program.klass(where)["line"] if isinstance(where, v.ClassRef) else where.line
        file = self.program.file(module)
        name = f"{handler}.{action}" if action else handler
        path = ensure_root(route)
        return Endpoint(
            method=method,
            path=path,
            framework="drf",
            file=file,
            line=line,
            handler=name,
            params=path_params(path, []),
            security=security,
            sources=[Sighting(framework="drf", file=file, line=line, handler=name)],
        )
