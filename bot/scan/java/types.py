"""Java name resolution across files: types by import/package, constants, DTO → JSON schema."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from bot.scan.family import Facts

Type = tuple[str, str]  # (file, simple name)
_MAX = 16
_STRING = {"String", "CharSequence", "char", "Character"}
_INTEGER = {"int", "Integer", "long", "Long", "short", "Short", "byte", "Byte", "BigInteger"}
_NUMBER = {"double", "Double", "float", "Float", "BigDecimal", "Number"}
_FORMATS = {
    "UUID": "uuid",
    "LocalDate": "date",
    "LocalDateTime": "date-time",
    "OffsetDateTime": "date-time",
    "ZonedDateTime": "date-time",
    "Instant": "date-time",
    "Date": "date-time",
    "URI": "uri",
    "URL": "uri",
}
_LISTS = {
    "List",
    "Set",
    "Collection",
    "Iterable",
    "[]",
    "Flux",
    "Stream",
    "SortedSet",
    "ArrayList",
    "LinkedList",
    "HashSet",
    "Page",
    "Slice",
}
_WRAPPERS = {
    "Optional",
    "ResponseEntity",
    "Mono",
    "CompletableFuture",
    "Callable",
    "DeferredResult",
    "HttpEntity",
    "CompletionStage",
    "EntityModel",
}
_REQUIRED = {"NotNull", "NotBlank", "NotEmpty"}
SIMPLE = _STRING | _INTEGER | _NUMBER | set(_FORMATS) | {"boolean", "Boolean"}


class Types:
    """Every Java type of the scan, looked up as Java does: imports, package, then uniqueness."""

    def __init__(self, facts: Mapping[str, Facts]) -> None:
        self.facts = facts
        self.by_fqn: dict[str, Type] = {}
        self.by_name: dict[str, list[Type]] = {}
        for file, file_facts in facts.items():
            package = file_facts.get("package", "")
            for name in file_facts.get("types", {}):
                self.by_fqn[f"{package}.{name}" if package else name] = (file, name)
                self.by_name.setdefault(name, []).append((file, name))

    def info(self, found: Type) -> dict[str, Any]:
        return dict(self.facts[found[0]]["types"][found[1]])

    def find(self, file: str, name: str) -> Type | None:
        name = name.split("<", 1)[0].rsplit(".", 1)[-1]
        facts = self.facts.get(file, {})
        if name in facts.get("types", {}):
            return file, name
        fqn = facts.get("imports", {}).get(name)
        if fqn in self.by_fqn:
            return self.by_fqn[fqn]
        for package in [facts.get("package", ""), *facts.get("wildcards", [])]:
            found = self.by_fqn.get(f"{package}.{name}" if package else name)
            if found is not None:
                return found
        candidates = self.by_name.get(name, [])
        return candidates[0] if len(candidates) == 1 else None

    def supertypes(self, found: Type) -> Iterator[Type]:
        """The type, then its superclasses and interfaces, breadth first, each once."""
        queue, seen = [found], {found}
        while queue:
            current = queue.pop(0)
            yield current
            info = self.info(current)
            for name in info.get("extends", []) + info.get("implements", []):
                parent = self.find(current[0], name)
                if parent is not None and parent not in seen:
                    seen.add(parent)
                    queue.append(parent)

    # --- constants ----------------------------------------------------------------------------
    def value(self, owner: Type, expression: Any, depth: int = 0) -> list[str] | None:
        """String values of an annotation expression (arrays give several), or None."""
        if expression is None or depth > _MAX:
            return None
        if "s" in expression:
            return [expression["s"]]
        if "arr" in expression:
            out: list[str] = []
            for item in expression["arr"]:
                out += self.value(owner, item, depth + 1) or []
            return out
        if "cat" in expression:
            left = self.value(owner, expression["cat"][0], depth + 1)
            right = self.value(owner, expression["cat"][1], depth + 1)
            if left is None or right is None:
                return None
            return [a + b for a in left for b in right]
        if "ref" in expression:
            return self._constant(owner, expression["ref"], depth + 1)
        return None

    def _constant(self, owner: Type, ref: str, depth: int) -> list[str] | None:
        *scope, name = ref.split(".")
        file = owner[0]
        if scope:
            target = self.find(file, scope[-1])
            places = list(self.supertypes(target)) if target is not None else []
        else:
            places = list(self.supertypes(owner))
            static = self.facts[file].get("static_imports", {}).get(name)
            if static is not None:
                target = self.find(file, static.rsplit(".", 2)[-2])
                places += [target] if target is not None else []
        for place in places:
            constants = self.info(place).get("constants", {})
            if name in constants:
                return self.value(place, constants[name], depth)
        return None

    # --- schemas --------------------------------------------------------------------------
    def schema(self, file: str, desc: Mapping[str, Any], seen: tuple[Type, ...] = ()) -> Any:
        """JSON schema of a Java type; DTO classes and records by their fields."""
        name, args = desc.get("name", ""), desc.get("args", [])
        if name in _WRAPPERS:
            return self.schema(file, args[0], seen) if args else {}
        if name in _LISTS:
            items = self.schema(file, args[0], seen) if args else {}
            return {"type": "array", "items": items or {}}
        if name in {"Map", "HashMap", "LinkedHashMap", "TreeMap"}:
            values = self.schema(file, args[1], seen) if len(args) > 1 else {}
            return {"type": "object", "additionalProperties": values or {}}
        if name in {"void", "Void"}:
            return None
        if name in _STRING:
            return {"type": "string"}
        if name in _INTEGER:
            return {"type": "integer", "format": "int64" if "ong" in name else "int32"}
        if name in _NUMBER:
            return {"type": "number"}
        if name in {"boolean", "Boolean"}:
            return {"type": "boolean"}
        if name in _FORMATS:
            return {"type": "string", "format": _FORMATS[name]}
        found = self.find(file, name) if name else None
        if found is None or found in seen or len(seen) > 5:
            return {}
        info = self.info(found)
        if info["kind"] == "enum":
            return {"type": "string", "enum": list(info["enum_values"])}
        return self._object(found, (*seen, found))

    def _object(self, found: Type, seen: tuple[Type, ...]) -> dict[str, Any]:
        properties: dict[str, Any] = {}
        required: list[str] = []
        for place in reversed(list(self.supertypes(found))):
            info = self.info(place)
            if info["kind"] not in {"class", "record"}:
                continue
            for member in info["fields"]:
                marks = {a["name"]: a for a in member["annotations"]}
                if "JsonIgnore" in marks:
                    continue
                renamed = self.value(
                    place, marks.get("JsonProperty", {}).get("args", {}).get("value")
                )
                key = renamed[0] if renamed else member["name"]
                properties[key] = self.schema(place[0], member["type"], seen) or {}
                if _REQUIRED & set(marks) and key not in required:
                    required.append(key)
        out: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            out["required"] = required
        return out
