"""Path templates: framework converter syntax → `{name}`, and the unresolved-part placeholder.

A prefix or path part that cannot be known statically (an environment variable without a
default, a setting without a default, a call) is written `{?<source expression>}`, for example
`/{?settings.PREFIX}/users`. It is never dropped and never guessed; a warning names the file and
line where it was used. `Endpoint` lifts every such part out of its path into `unresolved`, so
the inventory's paths stay clean templates (`/users`, unresolved `["settings.PREFIX"]`).
"""

from __future__ import annotations

import re
from typing import Any

from bot.scan.model import Param

_FLASK = re.compile(r"<(?:(?P<conv>[a-zA-Z_][\w]*)(?:\([^)]*\))?:)?(?P<name>[a-zA-Z_][\w]*)>")
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?:[^()]|\([^()]*\))*\)")
_UNNAMED = re.compile(r"\((?!\?)(?:[^()]|\([^()]*\))*\)")
_STARLETTE = re.compile(r"\{(?P<name>[A-Za-z_]\w*):(?P<conv>[A-Za-z_]\w*)\}")
_NAMES = re.compile(r"\{([A-Za-z_][\w-]*)\}")
_REGEX_META = re.compile(r"[\\^$.|?*+()\[\]]")

_CONVERTER_SCHEMAS: dict[str, dict[str, Any]] = {
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "uuid": {"type": "string", "format": "uuid"},
    "slug": {"type": "string"},
    "path": {"type": "string"},
    "string": {"type": "string"},
    "str": {"type": "string"},
}


# How a warning says where an unknown path part went (it never stays in the path itself).
UNRESOLVED_NOTE = "left out of the path and listed in the endpoint's `unresolved`"


def placeholder(text: str) -> str:
    """The visible stand-in for a path part that cannot be resolved statically."""
    return "{?" + text.replace("{", "(").replace("}", ")") + "}"


def is_unresolved(path: str) -> bool:
    return "{?" in path


def converters_to_template(rule: str) -> tuple[str, dict[str, dict[str, Any]]]:
    """Flask `<int:id>` and Django `<int:pk>` → `{id}`, with a schema per converter when known."""
    types: dict[str, dict[str, Any]] = {}

    def swap(match: re.Match[str]) -> str:
        name = match.group("name")
        types[name] = _CONVERTER_SCHEMAS.get(match.group("conv") or "string", {"type": "string"})
        return "{" + name + "}"

    return _FLASK.sub(swap, rule), types


def starlette_to_template(path: str) -> tuple[str, dict[str, dict[str, Any]]]:
    """FastAPI/Starlette `{file_path:path}`, `{id:int}` → `{file_path}`, with converter schemas."""
    types: dict[str, dict[str, Any]] = {}

    def swap(match: re.Match[str]) -> str:
        name = match.group("name")
        types[name] = _CONVERTER_SCHEMAS.get(match.group("conv"), {"type": "string"})
        return "{" + name + "}"

    return _STARLETTE.sub(swap, path), types


def regex_to_template(pattern: str) -> tuple[str, bool]:
    """Django `re_path` `^users/(?P<pk>[^/.]+)/$` → `users/{pk}/`; False when regex remains."""
    text = pattern.removeprefix("^").removesuffix("$")
    # `users/?`: an optional slash serves both spellings; the template keeps the slash
    text = text.replace("/?", "/")
    text = _GROUP.sub(lambda m: "{" + m.group("name") + "}", text)
    counter = iter(range(1, 100))
    text = _UNNAMED.sub(lambda _m: "{arg" + str(next(counter)) + "}", text)
    text = text.replace("\\/", "/").replace("\\.", ".").replace("\\-", "-")
    outside = re.sub(r"\{[^{}]*\}", "", text)
    clean = not _REGEX_META.search(outside.replace(".", ""))
    return text, clean


def join_url(prefix: str, rule: str) -> str:
    """Flask's join of a blueprint prefix and a rule: exactly one slash between them."""
    if not prefix:
        return rule
    if not rule:
        return prefix
    return prefix.rstrip("/") + "/" + rule.lstrip("/")


def ensure_root(path: str) -> str:
    return path if path.startswith("/") else "/" + path


def path_names(path: str) -> list[str]:
    return _NAMES.findall(path)


def path_params(
    path: str, params: list[Param], types: dict[str, dict[str, Any]] | None = None
) -> list[Param]:
    """Declared params with the path's `{name}`s as required path params (declared or not)."""
    names = path_names(path)
    out: list[Param] = []
    declared = {p.name: p for p in params}
    for name in names:
        known = declared.get(name)
        schema = known.schema_ if known is not None else None
        schema = schema or (types or {}).get(name)
        out.append(Param(name=name, location="path", required=True, schema=schema))
    for param in params:
        if param.name not in names and param.location != "path":
            out.append(param)
    return out
