"""Cross-file resolution for the JavaScript family: references → containers, parts → strings."""

from __future__ import annotations

import itertools
import posixpath
from collections.abc import Mapping
from typing import Any

from bot.scan.family import Facts
from bot.scan.javascript.env import EnvLookup
from bot.scan.javascript.modules import resolve_module
from bot.scan.javascript.paths import convert
from bot.scan.model import ScanWarning
from bot.scan.paths import UNRESOLVED_NOTE

Node = tuple[str, str]  # (file, container id)
_MAX_DEPTH = 24


class Resolver:
    """Follows imports, exports, aliases and factory calls across every scanned file."""

    def __init__(self, facts: Mapping[str, Facts]) -> None:
        self.facts = facts
        self.files = {posixpath.normpath(path): path for path in facts}
        self.warnings: list[ScanWarning] = []
        self._warned: set[tuple[str, str]] = set()
        self.env = EnvLookup(facts)

    def warn(self, file: str, message: str, line: int | None) -> None:
        if (file, message) not in self._warned:
            self._warned.add((file, message))
            self.warnings.append(ScanWarning(file=file, message=message, line=line))

    def module(self, importer: str, source: str, line: int | None) -> str | None:
        found = resolve_module(posixpath.normpath(importer), source, self.files)
        if found is None and source.startswith("."):
            self.warn(importer, f"cannot resolve module '{source}'", line)
        return self.files.get(found) if found is not None else None

    def ref(
        self, file: str, ref: Mapping[str, Any], line: int | None, depth: int = 0
    ) -> Node | None:
        """The container a mount/register target refers to, or None (middleware, unknown)."""
        if depth > _MAX_DEPTH:
            self.warn(file, "import cycle or alias chain too long; mount skipped", line)
            return None
        facts = self.facts.get(file, {})
        if "new" in ref:
            built = self.ref(file, ref["new"], line, depth + 1)
            if built is None or "member" not in ref:
                return None
            return self.class_view(built, [], depth + 1)[1].get(ref["member"])
        if "call" in ref:
            found = self.ref(file, ref["call"], line, depth + 1)
            if found is None:
                return None
            returned = self.facts[found[0]].get("containers", {}).get(found[1], {}).get("returns")
            return (found[0], returned) if returned else None
        if "container" in ref and "member" not in ref:
            return self._follow(file, ref["container"], line, depth)
        if "local" in ref and "member" not in ref:
            name = ref["local"]
            if name in facts.get("top", {}):
                return self._follow(file, facts["top"][name], line, depth)
            if name in facts.get("imports", {}):
                return self.ref(file, {"import": facts["imports"][name]}, line, depth + 1)
            return None
        if "import" in ref:
            binding = ref["import"]
            target = self.module(file, binding["source"], line)
            if target is None:
                return None
            name = binding["name"]
            if "member" in ref:
                if name not in {"*", "default"}:
                    return None
                name = ref["member"]
            elif name == "*":
                name = "default"
            return self.export(target, name, line, depth + 1)
        return None

    def class_view(
        self, node: Node, args: list[list[Any]], depth: int = 0
    ) -> tuple[dict[str, list[Any]], dict[str, Node]]:
        """What an instance `new C(...args)` holds: string fields (static parts) and members
        (router members, method functions), base classes first, constructor arguments
        carried through `super(…)` to the base's `this.x = param`."""
        file, cid = node
        info = self.facts.get(file, {}).get("containers", {}).get(cid, {})
        fields: dict[str, list[Any]] = {}
        members: dict[str, Node] = {}
        if info.get("kind") != "class" or depth > _MAX_DEPTH:
            return fields, members
        base = (
            self.ref(file, info["extends"], info.get("line"), depth + 1)
            if "extends" in info
            else None
        )
        if base is not None:
            handed = [
                args[a["param"]] if "param" in a and a["param"] < len(args) else a.get("parts", [])
                for a in info.get("super_args", [])
            ]
            base_fields, base_members = self.class_view(base, handed, depth + 1)
            fields.update(base_fields)
            members.update(base_members)
        for name, index in info.get("param_fields", {}).items():
            if index < len(args):
                fields[name] = args[index]
        for name, parts in info.get("fields", {}).items():
            fields[name] = self.static(file, parts)
        for name, member in {**info.get("members", {}), **info.get("methods", {})}.items():
            members[name] = (file, member)
        return fields, members

    def static(self, file: str, parts: list[Any]) -> list[Any]:
        """Path parts with the constants `file` imports replaced by their values, so the parts
        mean the same when rendered from another file."""
        out: list[Any] = []
        for part in parts:
            value = self.const(file, part) if isinstance(part, dict) and "ref" in part else None
            out.append(part if value is None else value)
        return out

    def autoload(self, file: str, mount: Mapping[str, Any]) -> list[tuple[Node, str]]:
        """The plugins @fastify/autoload registers from a folder, each with its folder prefix.

        Every script is a plugin, except that a folder holding an `index.*` loads only that
        (and its sub-folders); sub-folder names prefix routes unless `dirNameRoutePrefix: false`;
        with `routeParams: true` a `_name` folder is the parameter `:name`.
        """
        spec, line = mount["target"], mount["line"]
        base = posixpath.normpath(posixpath.join(posixpath.dirname(file), spec["autoload"]))
        inside = sorted(path for path in self.files if path.startswith(base + "/"))
        indexed = {posixpath.dirname(p) for p in inside if _stem(p) == "index"}
        out: list[tuple[Node, str]] = []
        for path in inside:
            folder = posixpath.dirname(path)
            if folder in indexed and _stem(path) != "index":
                continue
            found = self.export(self.files[path], "default", line, 0)
            if found is None:
                continue
            relative = posixpath.relpath(folder, base)
            segments = relative.split("/") if relative != "." and spec["dir_prefix"] else []
            if spec["route_params"]:
                segments = [f":{s[1:]}" if s.startswith("_") else s for s in segments]
            out.append((found, "/" + "/".join(segments)))
        if not inside:
            self.warn(file, f"@fastify/autoload folder '{spec['autoload']}' has no scripts", line)
        return out

    def export(self, file: str, name: str, line: int | None, depth: int) -> Node | None:
        facts = self.facts.get(file, {})
        entry = facts.get("exports", {}).get(name)
        if entry is None:
            for source in facts.get("star_exports", []):
                found = self.ref(
                    file, {"import": {"source": source, "name": name}}, line, depth + 1
                )
                if found is not None:
                    return found
            return None
        if "source" in entry:
            return self.ref(file, {"import": entry}, line, depth + 1)
        return self.ref(file, entry, line, depth + 1)

    def _follow(self, file: str, cid: str, line: int | None, depth: int) -> Node | None:
        info = self.facts.get(file, {}).get("containers", {}).get(cid)
        if info is None:
            return None
        if info.get("kind") == "alias":
            return self.ref(file, info["target"], line, depth + 1)
        return file, cid

    # --- path parts ---------------------------------------------------------------------------
    def const(self, file: str, part: Mapping[str, Any], depth: int = 0) -> str | None:
        """An imported string constant (`{"ref": local, "member": m}`), if statically known."""
        binding = self.facts.get(file, {}).get("imports", {}).get(part["ref"])
        if binding is None or depth > _MAX_DEPTH:
            return None
        target = self.module(file, binding["source"], part.get("line"))
        if target is None:
            return None
        consts = self.facts[target].get("consts", {})
        name, member = binding["name"], part.get("member")
        value = consts.get(member) if member and name in {"*", "default"} else consts.get(name)
        if isinstance(value, dict) and member:
            value = value.get(member)
        if value is None and name in self.facts[target].get("imports", {}):
            return self.const(target, {"ref": name, "member": member}, depth + 1)
        return value if isinstance(value, str) else None

    def env_name(self, file: str, part: Mapping[str, Any]) -> str | None:
        """`config.NAME` where `config` is an imported env-schema object → NAME."""
        binding = self.facts.get(file, {}).get("imports", {}).get(part["ref"])
        member = part.get("member")
        if binding is None or not member:
            return None
        target = self.module(file, binding["source"], part.get("line"))
        name = "default" if binding["name"] == "*" else binding["name"]
        if target is not None and name in self.facts[target].get("env_exports", []):
            return str(member)
        return None

    def render(self, file: str, parts: list[Any]) -> list[tuple[str, list[str]]]:
        """Path variants of a parts list, with unresolved pieces as `{?NAME}` placeholders."""
        pieces: list[list[str]] = []
        problems: list[str] = []
        for part in parts:
            if isinstance(part, str):
                variants, issues = convert(part)
                pieces.append(variants)
                problems += issues
                continue
            value = self.const(file, part) if "ref" in part else None
            env = part.get("env") or (self.env_name(file, part) if "ref" in part else None)
            found = self.env.value(file, env) if value is None and env else None
            if found is not None:
                value = found[0]
                self.warn(
                    file,
                    f"environment variable {env} taken as '{value}' from {found[1]}",
                    part.get("line"),
                )
            if value is not None:
                variants, issues = convert(value)
                pieces.append(variants)
                problems += issues
                continue
            name = (
                part.get("env")
                or part.get("member")
                or part.get("ref")
                or part.get("unknown")
                or f"options.{part.get('opt')}"
            )
            if env:
                name = env
                why = f"environment variable {name} has no default in code or .env files"
            else:
                why = f"'{name}' cannot be resolved statically"
            self.warn(file, f"{why}; {UNRESOLVED_NOTE}", part.get("line"))
            pieces.append([f"{{?{name}}}"])
        return [("".join(combo), problems) for combo in itertools.product(*pieces)]


def _stem(path: str) -> str:
    return posixpath.basename(path).split(".", 1)[0]
