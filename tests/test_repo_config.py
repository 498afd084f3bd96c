"""`.testgen.yml`: defaults when absent, every problem named when broken."""

from __future__ import annotations

import pytest

from bot.repo_config import RepoConfig, parse_repo_config
from bot.validate.config import ConfigError


@pytest.mark.parametrize("text", [None, "", "# only a comment\n"])
def test_an_absent_or_empty_file_means_defaults(text: str | None) -> None:
    assert parse_repo_config(text) == RepoConfig()


def test_sections_are_read() -> None:
    config = parse_repo_config(
        "tests_dir: qa/api/\ngenerate:\n  on_push: true\n  llm: off\n"
        "validate:\n  required_labels: [feature]\n"
    )
    assert config.tests_dir == "qa/api"
    assert (config.generate.on_push, config.generate.llm) == (True, "off")
    assert config.validate_.required_labels == ["feature"]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("tests_dir: ../elsewhere\n", "tests_dir"),
        ("tests_dir: /abs\n", "tests_dir"),
        ("tests_dir: .git/hooks\n", "tests_dir"),
        ("generate:\n  llm: maybe\n", "generate.llm"),
        ("generate:\n  base_url_env: 'not a name'\n", "generate.base_url_env"),
        ("validate:\n  rules: {no-such-rule: false}\n", "validate.rules"),
        ("surprise: 1\n", "surprise"),
        ("tests_dir: [\n", "not valid YAML"),
        ("- a list\n", "mapping at the top level"),
    ],
)
def test_a_broken_file_says_what_is_wrong(text: str, named: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_repo_config(text)
    assert named in str(caught.value) and ".testgen.yml" in str(caught.value)


def test_the_app_to_test_is_named_by_module_and_variable() -> None:
    from bot.scan.model import Endpoint, Inventory

    config = parse_repo_config("app: cli.login:callback_app\n")
    inventory = Inventory(
        endpoints=[
            Endpoint(method="GET", path="/a", framework="fastapi", file="f", line=1, app="api:app"),
            Endpoint(method="GET", path="/b", framework="fastapi", file="f", line=2, app="api:app"),
            Endpoint(method="GET", path="/cb", framework="flask", file="g", line=1, app=config.app),
        ]
    )
    assert [e.path for e in inventory.for_app(config.app).endpoints] == ["/cb"]
    assert [e.path for e in inventory.for_app(RepoConfig().app).endpoints] == ["/a", "/b"]
