"""Spring Boot configuration: default-profile `application.properties|yml` and `${…}` lookup."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from typing import Any

import yaml

from bot.scan.treesitter import warning

CONFIG_NAMES = {"application.properties", "application.yml", "application.yaml"}


def is_config(path: str) -> bool:
    """Default-profile Spring config in a main resources folder (profile files are not read)."""
    parts = path.replace("\\", "/").split("/")
    return parts[-1] in CONFIG_NAMES and "test" not in parts[:-1]


def module_root(path: str) -> str:
    """`svc/src/main/resources/application.yml` → `svc`; the Maven/Gradle module a file is in."""
    path = path.replace("\\", "/")
    marker = path.find("src/main/")
    return path[:marker].rstrip("/") if marker >= 0 else posixpath.dirname(path)


def read_config(path: str, source: bytes) -> dict[str, Any]:
    """Facts of a config file: its flattened properties and warnings."""
    text = source.decode("utf-8", errors="replace")
    if path.endswith(".properties"):
        return {"properties": _properties(text), "warnings": []}
    props: dict[str, str] = {}
    try:
        documents = list(yaml.safe_load_all(text))
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", None)
        return {
            "properties": {},
            "warnings": [
                warning(
                    "invalid YAML; configuration not read", line + 1 if line is not None else None
                )
            ],
        }
    for document in documents:
        if not isinstance(document, dict):
            continue
        flat: dict[str, str] = {}
        _flatten(document, "", flat)
        if any(
            key.startswith(("spring.config.activate.on-profile", "spring.profiles")) for key in flat
        ):
            continue  # a profile-specific document: default profile only
        props.update(flat)
    return {"properties": props, "warnings": []}


def _flatten(value: Any, prefix: str, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(inner, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            _flatten(inner, f"{prefix}[{index}]", out)
    elif value is not None:
        out[prefix] = str(value).lower() if isinstance(value, bool) else str(value)


def _properties(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    pending = ""
    for raw in text.splitlines():
        line = pending + raw.strip()
        pending = ""
        if not line or line[0] in "#!":
            continue
        if line.endswith("\\"):
            pending = line[:-1]
            continue
        cut = min((i for i in (line.find("="), line.find(":")) if i >= 0), default=-1)
        key, value = (line[:cut], line[cut + 1 :]) if cut >= 0 else (line, "")
        out[key.strip()] = value.strip()
    return out


def canonical(key: str) -> str:
    """Spring Boot's relaxed binding: `contextPath`, `context_path` and `context-path` are one."""
    return re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", key.strip()).lower().replace("_", "-")


def placeholders(value: str, props: Mapping[str, str], depth: int = 0) -> tuple[str, list[str]]:
    """Replace `${name:default}`; unresolvable names become `{?name}` and are returned."""
    missing: list[str] = []
    out: list[str] = []
    i = 0
    while i < len(value):
        start = value.find("${", i)
        if start < 0:
            out.append(value[i:])
            break
        end = _closing(value, start + 2)
        if end < 0:
            out.append(value[i:])
            break
        out.append(value[i:start])
        body = value[start + 2 : end]
        name, has_default, default = body.partition(":")
        key = canonical(name)
        if key in props and depth < 8:
            resolved, inner = placeholders(props[key], props, depth + 1)
            out.append(resolved)
            missing += inner
        elif has_default:
            resolved, inner = placeholders(default, props, depth + 1)
            out.append(resolved)
            missing += inner
        else:
            out.append(f"{{?{name}}}")
            missing.append(name)
        i = end + 1
    return "".join(out), missing


def _closing(value: str, index: int) -> int:
    """The `}` closing a placeholder; plain `{…}` nest too, as in `${path:/{id}}` (as Spring)."""
    depth = 1
    while index < len(value):
        if value[index] == "{":
            depth += 1
        elif value[index] == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return -1
