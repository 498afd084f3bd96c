"""Qualified names of expressions, resolved from a module's imports (aliases included)."""

from __future__ import annotations

import libcst as cst

# modules whose public names are re-exported under `allure`
_CANONICAL_PREFIXES: dict[str, str] = {
    "allure_commons.types.Severity": "allure.severity_level",
    "allure_commons._allure": "allure",
}

# public names of the `allure` module, for `from allure import *`
ALLURE_PUBLIC: frozenset[str] = frozenset(
    {
        "title", "description", "description_html", "label", "severity", "epic", "feature",
        "story", "suite", "parent_suite", "sub_suite", "tag", "id", "manual", "link", "issue",
        "testcase", "step", "attach", "dynamic", "severity_level", "attachment_type",
        "parameter_mode",
    }
)  # fmt: skip


def dotted_name(node: cst.BaseExpression | cst.Attribute | cst.Name) -> str | None:
    """`a.b.c` for a chain of names and attributes, else None."""
    parts: list[str] = []
    current: cst.BaseExpression = node
    while isinstance(current, cst.Attribute):
        parts.append(current.attr.value)
        current = current.value
    if not isinstance(current, cst.Name):
        return None
    parts.append(current.value)
    return ".".join(reversed(parts))


def _canonical(name: str) -> str:
    for prefix, replacement in _CANONICAL_PREFIXES.items():
        if name == prefix or name.startswith(prefix + "."):
            return replacement + name[len(prefix) :]
    return name


class ImportNames:
    """Maps local names bound by imports to the qualified names they stand for."""

    def __init__(self) -> None:
        self._aliases: dict[str, str] = {}
        self._star_allure = False

    def add(self, node: cst.Import | cst.ImportFrom) -> None:
        if isinstance(node, cst.Import):
            for alias in node.names:
                full = dotted_name(alias.name)
                if full is None:
                    continue
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    self._aliases[alias.asname.name.value] = full
                else:
                    root = full.split(".", 1)[0]
                    self._aliases[root] = root
            return
        if node.relative or node.module is None:
            return
        module = dotted_name(node.module)
        if module is None:
            return
        if isinstance(node.names, cst.ImportStar):
            self._star_allure = self._star_allure or module == "allure"
            return
        for alias in node.names:
            if not isinstance(alias.name, cst.Name):
                continue
            local = alias.name.value
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self._aliases[local] = f"{module}.{alias.name.value}"

    def resolve(self, node: cst.BaseExpression) -> str | None:
        """The qualified name of a name or attribute chain; locals resolve to themselves."""
        name = dotted_name(node)
        if name is None:
            return None
        root, _, rest = name.partition(".")
        target = self._aliases.get(root)
        if target is None:
            target = f"allure.{root}" if self._star_allure and root in ALLURE_PUBLIC else root
        return _canonical(f"{target}.{rest}" if rest else target)

    def resolve_call(self, node: cst.BaseExpression) -> str | None:
        """The qualified name of the callee when `node` is a call."""
        if isinstance(node, cst.Call):
            return self.resolve(node.func)
        return None

    def local_name_for(self, qualified: str) -> str | None:
        """A local expression that refers to `qualified` (e.g. `a` for `allure`), if any."""
        for local, target in self._aliases.items():
            if target == qualified:
                return local
        if self._star_allure and qualified.startswith("allure."):
            return None
        return None
