"""`testgen config check` and the committed JSON Schema of `.testgen.yml`."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from bot.cli import main
from bot.config_cli import SCHEMA_FILE, json_schema, schema_text
from bot.repo_config import parse_repo_config
from bot.validate.config import ConfigError
from tests.conftest import REPO_ROOT


def readme_example() -> str:
    readme = (REPO_ROOT / "README.md").read_text()
    return (
        readme.split("### Per repository: `.testgen.yml`", 1)[1]
        .split("```yaml\n")[1]
        .split("```")[0]
    )


def test_the_committed_schema_is_the_one_the_model_generates() -> None:
    assert SCHEMA_FILE.read_text() == schema_text(), "run: testgen config schema > " + str(
        SCHEMA_FILE.relative_to(REPO_ROOT)
    )


@pytest.mark.parametrize(
    "text",
    [
        "tests_dir: tests/api\n",
        "generate: {llm: maybe}\n",
        "generate: {kinds: [happy, fuzz]}\n",
        "surprise: 1\n",
        "validate: {rules: {no-such-rule: false}}\n",
        "validate: {severities: {missing-step: huge}}\n",
        "generate: {base_url_env: 'not a name'}\n",
    ],
)
def test_the_schema_and_the_bot_agree_on_what_is_valid(text: str) -> None:
    document = yaml.safe_load(text)
    try:
        parse_repo_config(text)
        bot_accepts = True
    except ConfigError:
        bot_accepts = False
    errors = list(jsonschema.Draft202012Validator(json_schema()).iter_errors(document))
    assert (errors == []) == bot_accepts


def test_the_readme_example_is_valid_for_both() -> None:
    example = readme_example()
    parse_repo_config(example)
    jsonschema.validate(yaml.safe_load(example), json_schema())


def test_check_says_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / ".testgen.yml"
    path.write_text(readme_example())
    assert main(["config", "check", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: valid\n"


def test_check_lists_every_invalid_key_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.yml"
    path.write_text("tests_dir: /etc\ngenerate: {llm: maybe}\nextra: 1\n")
    assert main(["config", "check", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{path}: 3 invalid key(s):"
    keys = sorted(line.split(":", 1)[0].removeprefix("  - ") for line in lines[1:])
    assert keys == ["extra", "generate.llm", "tests_dir"]


def test_check_quotes_the_yaml_parser(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / ".testgen.yml"
    path.write_text("generate:\n  llm: [on\n")
    assert main(["config", "check", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{path}: not valid YAML:\n") and "line 3" in out


def test_check_of_a_missing_file_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config", "check", str(tmp_path / "nope.yml")]) == 2
    assert "cannot read" in capsys.readouterr().err


def _schema_keys(
    node: dict[str, object], defs: dict[str, dict[str, object]], at: str = ""
) -> set[str]:
    """Every key path the schema allows (`validate.rules`), through `$ref`s and `anyOf`s."""
    if isinstance(node.get("$ref"), str):
        node = defs[str(node["$ref"]).rsplit("/", 1)[-1]]
    keys: set[str] = set()
    for option in node.get("anyOf", []) or []:  # type: ignore[union-attr]
        keys |= _schema_keys(option, defs, at)
    for name, sub in (node.get("properties") or {}).items():  # type: ignore[union-attr]
        keys |= {at + name} | _schema_keys(sub, defs, f"{at}{name}.")
    return keys


def _example_keys(example: str) -> set[str]:
    keys, path = set(), []
    for line in example.splitlines():
        key = line.split(":", 1)[0]
        if ":" not in line or not key.strip().isidentifier() or key.lstrip().startswith("#"):
            continue
        depth = (len(key) - len(key.lstrip())) // 2
        path = [*path[:depth], key.strip()]
        keys.add(".".join(path))
    return keys


def test_the_readme_example_shows_every_key_the_schema_allows() -> None:
    schema = json_schema()
    assert _schema_keys(schema, schema.get("$defs", {})) == _example_keys(readme_example())
