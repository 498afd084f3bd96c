"""Environment values a Node app reads at start-up, as the repository documents their defaults.

A path part `{"env": NAME}` (`process.env.NAME`, an `env-schema`/`@fastify/env` config object's
`NAME`) takes, in this order: the `default` of `NAME` in an env schema found in the code, else
`NAME` in the nearest `.env`, then `.env.example`, then `.env.sample`, then the `environment`
of a Docker Compose service (nearest folder first, from the file's folder up to the root). A
value from a file is said in a warning naming it: it is what the app serves when deployed with
that file, not a guarantee.
"""

from __future__ import annotations

import io
import posixpath
from collections.abc import Mapping
from typing import Any

import yaml
from dotenv import dotenv_values

from bot.scan.family import Facts

ENV_FILES = (".env", ".env.example", ".env.sample")
COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
# Packages whose schema object's `properties.<NAME>.default` is the value of `NAME` when unset.
SCHEMA_PACKAGES = frozenset({"env-schema", "@fastify/env", "fastify-env"})


def is_env_file(path: str) -> bool:
    return posixpath.basename(path) in ENV_FILES + COMPOSE_FILES


def read_env_file(path: str, source: bytes) -> Facts:
    """`KEY=value` lines (dotenv syntax: `export`, quotes, comments), or the `environment` of
    a Compose file's services (first service defining a name wins), as facts."""
    decoded = source.decode("utf-8", errors="replace")
    if posixpath.basename(path) in COMPOSE_FILES:
        return {"dotenv": _compose_environment(decoded)}
    parsed = dotenv_values(stream=io.StringIO(decoded))
    return {"dotenv": {key: value for key, value in parsed.items() if value is not None}}


def _compose_environment(text: str) -> dict[str, str]:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}
    services = document.get("services") if isinstance(document, dict) else None
    out: dict[str, str] = {}
    for service in services.values() if isinstance(services, dict) else []:
        environment = service.get("environment") if isinstance(service, dict) else None
        if isinstance(environment, list):  # ["KEY=value", …]
            pairs = [str(item).partition("=") for item in environment]
            environment = {key: value for key, sep, value in pairs if sep}
        if isinstance(environment, dict):
            for key, value in environment.items():
                if isinstance(value, str | int | float) and "${" not in str(value):
                    out.setdefault(str(key), str(value))
    return out


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
        for env_name in ENV_FILES + COMPOSE_FILES:
            folder = posixpath.dirname(file)
            while True:
                path = posixpath.join(folder, env_name) if folder else env_name
                if name in self.files.get(path, {}):
                    return self.files[path][name], path
                if not folder:
                    break
                folder = posixpath.dirname(folder)
        return None
