"""The OpenAPI scanner family: OpenAPI 3.x and Swagger 2.0 files, recognised by content."""

from __future__ import annotations

from collections.abc import Mapping

from bot.scan.family import Facts, FamilyResult
from bot.scan.model import ScanWarning
from bot.scan.openapi.convert import endpoints
from bot.scan.openapi.load import load
from bot.scan.openapi.refs import Resolver

_SUFFIXES = (".yaml", ".yml", ".json")


class OpenApiFamily:
    """Reads every YAML/JSON file; specs become endpoints, other documents `$ref` targets."""

    name = "openapi"
    version = "1"

    def wants(self, path: str) -> bool:
        return path.lower().endswith(_SUFFIXES)

    def extract(self, path: str, source: bytes) -> Facts:
        return load(path, source)

    def link(self, facts: Mapping[str, Facts]) -> FamilyResult:
        result = FamilyResult()
        for path in sorted(facts):
            for message, line in facts[path].get("warnings", []):
                result.warnings.append(ScanWarning(file=path, line=line, message=message))
        docs = {path: f["doc"] for path, f in facts.items() if "doc" in f}
        resolver = Resolver(docs)
        for path in sorted(facts):
            if facts[path].get("kind") in ("openapi", "swagger"):
                result.endpoints += endpoints(path, facts[path], resolver)
        result.warnings += resolver.warnings
        result.components = resolver.components
        return result


FAMILY = OpenApiFamily()
