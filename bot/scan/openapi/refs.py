"""`$ref` resolution across a repository's YAML/JSON files: relative paths, JSON pointers, cycles.

Refs are inlined. A ref that leads back into itself is replaced by `{"$ref":
"#/components/<name>"}` and its target is put once into the inventory's `components`. A ref that
cannot be followed (missing file or pointer, remote URL) becomes `{"x-unresolved-ref": ref}`
with a warning naming the file: never dropped silently, never invented.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from bot.scan.model import ScanWarning

Key = tuple[str, str]  # (file, JSON pointer)


class Resolver:
    def __init__(self, docs: Mapping[str, Any]) -> None:
        self.docs = docs
        self.warnings: list[ScanWarning] = []
        self.components: dict[str, Any] = {}
        self._names: dict[Key, str] = {}
        self._memo: dict[Key, Any] = {}
        self._stack: list[Key] = []

    def target(self, ref: str, current: str) -> Key | None:
        file_part, _, pointer = ref.partition("#")
        if "://" in file_part:
            return None
        if file_part:
            folder = posixpath.dirname(current)
            file_part = posixpath.normpath(posixpath.join(folder, unquote(file_part)))
        return (file_part or current, pointer)

    def pointer(self, key: Key) -> tuple[bool, Any]:
        node = self.docs.get(key[0])
        if node is None:
            return False, None
        for raw in key[1].split("/")[1:] if key[1] else []:
            part = unquote(raw).replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return False, None
        return True, node

    def resolve(self, node: Any, current: str) -> Any:
        if isinstance(node, list):
            return [self.resolve(item, current) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if not isinstance(ref, str):
            return {k: self.resolve(v, current) for k, v in node.items()}
        key = self.target(ref, current)
        siblings = {k: self.resolve(v, current) for k, v in node.items() if k != "$ref"}
        if key is None:
            return self._unresolved(ref, current, "remote refs are not followed", siblings)
        if key in self._stack:
            return {"$ref": f"#/components/{self._component(key)}", **siblings}
        if key in self._memo:
            return _merged(self._memo[key], siblings)
        found, target = self.pointer(key)
        if not found:
            return self._unresolved(ref, current, "target not found", siblings)
        self._stack.append(key)
        try:
            resolved = self.resolve(target, key[0])
        finally:
            self._stack.pop()
        self._memo[key] = resolved
        if key in self._names:
            self.components[self._names[key]] = resolved
        return _merged(resolved, siblings)

    def _component(self, key: Key) -> str:
        if key not in self._names:
            base = key[1].rsplit("/", 1)[-1] if key[1] else posixpath.basename(key[0])
            base = base.rsplit(".", 1)[0] if not key[1] else base
            name, n = base or "schema", 2
            while name in self.components or name in self._names.values():
                name, n = f"{base}_{n}", n + 1
            self._names[key] = name
            self.components[name] = {}
        return self._names[key]

    def _unresolved(
        self, ref: str, current: str, why: str, siblings: dict[str, Any]
    ) -> dict[str, Any]:
        self.warnings.append(ScanWarning(file=current, message=f"$ref `{ref}` not resolved: {why}"))
        return {"x-unresolved-ref": ref, **siblings}


def _merged(resolved: Any, siblings: dict[str, Any]) -> Any:
    if siblings and isinstance(resolved, dict):
        return {**resolved, **siblings}
    return resolved
