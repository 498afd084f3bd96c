"""The Python scanner family: FastAPI, Starlette, Flask, Django and DRF routes, read with `ast`."""

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
    version = "2"

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
