"""Environment values a Node app reads at start-up, as the repository documents their defaults.

A path part `{"env": NAME}` (`process.env.NAME`, an `env-schema`/`@fastify/env` config object's
`NAME`) takes, in this order: the `default` of `NAME` in an env schema found in the code, else
`NAME` in the nearest `.env`, then `.env.example`, then `.env.sample` (nearest folder first,
from the file's folder up to the root). A value from a file is said in a warning naming it: it is
what the app serves when deployed with that file, not a guarantee.
"""

from __future__ import annotations

import io
import posixpath
from collections.abc import Mapping
from typing import Any

from dotenv import dotenv_values

from bot.scan.family import Facts

ENV_FILES = (".env", ".env.example", ".env.sample")
# Packages whose schema object's `properties.<NAME>.default` is the value of `NAME` when unset.
SCHEMA_PACKAGES = frozenset({"env-schema", "@fastify/env", "fastify-env"})


def is_env_file(path: str) -> bool:
    return posixpath.basename(path) in ENV_FILES


def read_env_file(source: bytes) -> Facts:
    """`KEY=value` lines (dotenv syntax: `export`, quotes, comments) as facts."""
    parsed = dotenv_values(stream=io.StringIO(source.decode("utf-8", errors="replace")))
    return {"dotenv": {key: value for key, value in parsed.items() if value is not None}}


def schema_defaults(schema: Any) -> dict[str, str]:
    """`{properties: {API_PREFIX: {type: 'string', default: '/api'}}}` → {"API_PREFIX": "/api"}."""
    props = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(props, dict):
        return {}
    return {
        name: str(spec["default"])
        for name, spec in props.items()
        if isinstance(spec, dict) and isinstance(spec.get("default"), str | int | float)
    }


class EnvLookup:
    """Defaults of environment variables across every scanned file."""

    def __init__(self, facts: Mapping[str, Facts]) -> None:
        self.schema: dict[str, tuple[str, str]] = {}
        self.files: dict[str, dict[str, str]] = {}
        for path in sorted(facts):
            entry = facts[path]
            for name, value in entry.get("env_defaults", {}).items():
                self.schema.setdefault(name, (value, path))
            if "dotenv" in entry:
                self.files[path] = entry["dotenv"]

    def value(self, file: str, name: str) -> tuple[str, str] | None:
        """(value, where it came from) for `name` as read from `file`, or None."""
        if name in self.schema:
            value, origin = self.schema[name]
            return value, f"the env schema default in {origin}"
        for env_name in ENV_FILES:
            folder = posixpath.dirname(file)
            while True:
                path = posixpath.join(folder, env_name) if folder else env_name
                if name in self.files.get(path, {}):
                    return self.files[path][name], path
                if not folder:
                    break
                folder = posixpath.dirname(folder)
        return None
