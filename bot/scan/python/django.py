"""Django URLconfs: `path`/`re_path`/`include` chains from ROOT_URLCONF, and the views they name."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.scan.model import ODD_METHOD, Endpoint, ScanWarning, Sighting, http_methods
from bot.scan.paths import (
    UNRESOLVED_NOTE,
    converters_to_template,
    ensure_root,
    path_params,
    regex_to_template,
)
from bot.scan.python import values as v
from bot.scan.python.drf import RouterRoutes, View, view_of
from bot.scan.python.known_views import external_view, known_urlconf
from bot.scan.python.program import Program
from bot.scan.python.redirects import redirect_responses
from bot.scan.python.wiring import Use

ADMIN_SKIPPED = "is the Django admin site (its pages depend on registered models), not listed"
GUESSED = "its methods are not known, GET listed"
_PATTERN_FUNCS = frozenset({"path", "re_path", "url"})
_IGNORED = frozenset({"static", "staticfiles_urlpatterns", "i18n_patterns"})


@dataclass
class _Django:
    program: Program
    routers: RouterRoutes
    warnings: list[ScanWarning] = field(default_factory=list)
    found: list[Endpoint] = field(default_factory=list)

    def warn(self, module: str, line: int | None, message: str) -> None:
        self.warnings.append(
            ScanWarning(file=self.program.file(module), line=line, message=message)
        )

    def patterns(self, module: str) -> list[tuple[v.Value, int]]:
        """The items of a module's `urlpatterns`, with `+=`, `append` and `extend` applied."""
        facts = self.program.modules[module]
        binding = facts.get("bind", {}).get("urlpatterns")
        items: list[tuple[v.Value, int]] = []
        if binding is not None:
            line = binding[2] if binding[0] == "=" else 0
            items += [
                (i, line) for i in self.flatten(self.program.lookup("urlpatterns", (module, ())))
            ]
        for _op, expr, line in facts.get("aug", {}).get("urlpatterns", []):
            items += [(i, line) for i in self.flatten(self.program.eval(expr, (module, ())))]
        for expr, line, *loops in facts.get("calls", []):
            receiver = expr[1]
            if receiver[0] == "a" and receiver[1] == ["n", "urlpatterns"] and expr[2]:
                single = receiver[2] in ("append", "insert")
                for _ in self.program.each(loops[0] if loops else [], (module, ())):
                    value = self.program.eval(expr[2][-1], (module, ()))
                    items += [(i, line) for i in ([value] if single else self.flatten(value))]
        return items

    def flatten(self, value: v.Value) -> list[v.Value]:
        if isinstance(value, v.ListV):
            return [i for item in value.items for i in self.flatten(item)]
        if isinstance(value, v.CallV) and isinstance(value.func, v.Ext):
            if value.func.last == "format_suffix_patterns" and value.args:
                return self.flatten(value.args[0])
            if value.func.last in _IGNORED:
                return []
        return [value]

    def expand(self, module: str, prefix: str, chain: tuple[str, ...]) -> None:
        for item, line in self.patterns(module):
            self.item(item, module, line, prefix, chain)

    def item(
        self, item: v.Value, module: str, line: int, prefix: str, chain: tuple[str, ...]
    ) -> None:
        if isinstance(item, v.Bound) and isinstance(item.owner, v.Obj) and item.attr == "urls":
            self.found += self.routers.endpoints(item.owner, prefix)
            return
        if not (isinstance(item, v.CallV) and isinstance(item.func, v.Ext)):
            self.warn(module, line, f"url pattern `{_text(item)}` not understood; skipped")
            return
        if item.func.last not in _PATTERN_FUNCS:
            self.warn(module, line, f"url pattern `{item.text}` not understood; skipped")
            return
        route_text, unknown = v.as_path(item.arg(0, "route") or item.kw("regex"))
        for part in unknown:
            self.warn(module, line, f"url part `{part}` is not statically known; {UNRESOLVED_NOTE}")
        if item.func.last == "path":
            route = route_text
        else:
            route, clean = regex_to_template(route_text)
            if not clean:
                self.warn(module, line, f"regular expression route `{route_text}` kept as written")
        full = prefix + route
        view = item.arg(1, "view")
        if (
            isinstance(view, v.CallV)
            and isinstance(view.func, v.Ext)
            and view.func.last == "include"
        ):
            self.include(view, module, line, full, chain)
            return
        found = view_of(self.program, view)
        if found is None:
            outside = external_view(view)
            if outside is None:
                why = ADMIN_SKIPPED if _is_admin(view) else "not resolved"
                self.warn(module, line, f"view `{_text(view)}` {why}; route `{full}` skipped")
                return
            found, known = outside
            if not known:
                self.warn(module, line, f"view `{found.name}` is outside the repository; {GUESSED}")
        self.emit(found, full, module, line)

    def include(
        self, call: v.CallV, module: str, line: int, prefix: str, chain: tuple[str, ...]
    ) -> None:
        target = call.arg(0, "arg")
        if isinstance(target, v.ListV) and len(target.items) in (2, 3):
            first = target.items[0]
            if not isinstance(first, v.CallV):  # include((patterns, app_name))
                target = first
        if isinstance(target, v.Const) and isinstance(target.value, str):
            found = self.program.find_module(target.value, module)
            known = known_urlconf(target.value) if found is None else None
            if known is not None:
                for route, view in known:
                    self.emit(view, prefix + route, module, line)
                return
            if found is None:
                self.warn(
                    module, line, f"included URLconf `{target.value}` not found in the repository"
                )
                return
            target = v.ModRef(found)
        if isinstance(target, v.ModRef):
            if target.module in chain:
                self.warn(module, line, f"include cycle through `{target.module}`; not followed")
                return
            self.expand(target.module, prefix, (*chain, target.module))
        elif isinstance(target, v.ListV):
            for inner in self.flatten(target):
                self.item(inner, module, line, prefix, chain)
        elif isinstance(target, v.Bound) and isinstance(target.owner, v.Obj):
            self.found += self.routers.endpoints(target.owner, prefix)
        else:
            self.warn(module, line, f"include of `{_text(target)}` not resolved; skipped")

    def emit(self, view: View, route: str, module: str, line: int) -> None:
        template, types = converters_to_template(ensure_root(route))
        file = self.program.file(module)
        methods, odd = http_methods(view.methods)
        for name in odd:
            self.warn(module, line, ODD_METHOD.format(method=name))
        for method in methods:
            self.found.append(
                Endpoint(
                    method=method,
                    path=template,
                    framework=view.framework,
                    file=view.file or file,
                    line=view.line or line,
                    handler=view.name,
                    params=path_params(template, [], types),
                    security=view.security,
                    responses=redirect_responses(view.redirects),
                    status_codes=list(view.redirects),
                    sources=[
                        Sighting(
                            framework=view.framework,
                            file=view.file or file,
                            line=view.line or line,
                            handler=view.name,
                        )
                    ],
                    in_schema=view.in_schema,
                )
            )


def _is_admin(value: v.Value | None) -> bool:
    return isinstance(value, v.Ext) and value.name.endswith("site.urls")


def _text(value: v.Value | None) -> str:
    if isinstance(value, v.Unknown | v.CallV | v.Typed):
        return value.text
    if isinstance(value, v.Ext):
        return value.name
    return type(value).__name__


def roots(django: _Django) -> list[str]:
    """ROOT_URLCONF modules; without a setting, URLconfs that no other URLconf includes."""
    program = django.program
    configured: list[str] = []
    urlconfs: list[str] = []
    for name, facts in sorted(program.modules.items()):
        setting = facts.get("bind", {}).get("ROOT_URLCONF")
        if (
            setting
            and setting[0] == "="
            and setting[1][0] == "c"
            and isinstance(setting[1][1], str)
        ):
            found = program.find_module(setting[1][1], name)
            if found is not None and found not in configured:
                configured.append(found)
        if "urlpatterns" in facts.get("bind", {}):
            urlconfs.append(name)
    if configured:
        return sorted(configured)
    included = {target for name in urlconfs for target in _included(django, name)}
    return [n for n in urlconfs if n not in included]


def _included(django: _Django, module: str) -> set[str]:
    found: set[str] = set()
    for item, _line in django.patterns(module):
        view = item.arg(1, "view") if isinstance(item, v.CallV) else None
        if (
            isinstance(view, v.CallV)
            and isinstance(view.func, v.Ext)
            and view.func.last == "include"
        ):
            target = view.arg(0, "arg")
            if isinstance(target, v.ListV) and target.items:
                target = target.items[0]
            if isinstance(target, v.Const) and isinstance(target.value, str):
                name = django.program.find_module(target.value, module)
                if name:
                    found.add(name)
            elif isinstance(target, v.ModRef):
                found.add(target.module)
    return found


def endpoints(program: Program, uses: list[Use]) -> tuple[list[Endpoint], list[ScanWarning]]:
    routers = RouterRoutes(program, [u for u in uses if u.obj.kind == "drf.router"])
    django = _Django(program, routers)
    for root in roots(django):
        start = len(django.found)
        django.expand(root, "", (root,))
        for endpoint in django.found[start:]:
            endpoint.app = f"{root}:urlpatterns"
    django.found += routers.unreached()
    return django.found, django.warnings + routers.warnings
