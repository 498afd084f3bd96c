"""The Python scanner family: FastAPI, Starlette, Flask, Django and DRF routes, read with `ast`.

Decisions it makes where code leaves room:
- Every endpoint names its app (`module:variable` of the FastAPI/Starlette/Flask app at the top
  of its mount chain, `<ROOT_URLCONF>:urlpatterns` for Django; a router or blueprint no app
  includes stands for itself). A lone router that only regroups routers an app already serves
  (one built to write the OpenAPI document) is not listed again.
- Calls inside `for` loops run once per item of a statically known list, tuple or dict view
  (`for r in ROUTERS: app.include_router(r, prefix=P)`); a name rebound to an expression that
  reads it (`app = wrap(app)`) keeps the object wired so far; `x = x + more` is `x += more`.
- A parameter's default is its value where no followed call passes it; a factory whose result
  is not pinned down (`return CLASSES[env]()`) falls back to its declared return type.
- `mypkg.a.b` resolves to the module `a.b` when the scan root is the package `mypkg` itself.
- The same child mounted at a known and at an unknown path (`if BASE: mount(BASE.value(), api)
  else: mount("/api", api)`) is listed at the known one.
- `include_in_schema=False` and DRF `schema = None` views stay listed, as `in_schema: false`.
- Syntax newer than the running Python is read by a second, tolerant parse (see `extract`).
- A viewset deriving from an add-on package's viewset routes the actions that package defines
  (`drf.DRF_ADDON_VIEWSETS`: django-dynamic-preferences); from an unknown package, none, and a
  warning names the base. A method name HTTP lacks (`as_view({"list": "list"})`) is a warning.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.scan.family import Facts, FamilyResult
from bot.scan.model import ScanWarning
from bot.scan.python import django, fastapi, flask, starlette
from bot.scan.python.extract import extract_module
from bot.scan.python.program import Program
from bot.scan.python.wiring import collect


class PythonFamily:
    """Every `.py`/`.pyi`-free Python file is read; only framework objects produce routes."""

    name = "python"
    version = "4"  # 3: handlers' redirect exits; 4: the inputs they read from `request`

    def wants(self, path: str) -> bool:
        return path.endswith(".py")

    def extract(self, path: str, source: bytes) -> Facts:
        return extract_module(path, source)

    def link(self, facts: Mapping[str, Facts]) -> FamilyResult:
        modules: dict[str, Facts] = {}
        files: dict[str, str] = {}
        warnings: list[ScanWarning] = []
        for path in sorted(facts):
            entry = facts[path]
            for message, line in entry.get("warnings", []):
                warnings.append(ScanWarning(file=path, line=line, message=message))
            module = entry.get("module")
            if module is None or "bind" not in entry:
                continue
            if module in modules:
                warnings.append(
                    ScanWarning(
                        file=path, message=f"module `{module}` also defined in {files[module]}"
                    )
                )
                continue
            modules[module] = entry
            files[module] = path
        program = Program(modules, files)
        uses = collect(program)
        declared, problems = starlette.data_uses(program, uses)
        uses += declared
        result = FamilyResult(warnings=warnings + problems)
        for framework in (fastapi, flask, django):
            found, problems = framework.endpoints(program, uses)
            result.endpoints += found
            result.warnings += problems
        return result


FAMILY = PythonFamily()
