"""hardcoded-url fires on absolute URL literals given to calls."""

from bot.validate.rules.hardcoded_url import MESSAGE
from tests.validate.support import run


def test_fires_on_urls_passed_to_calls() -> None:
    source = """\
        import httpx

        def test_get(api, uid):
            api.get("https://api.example.com/users")
            httpx.Client(base_url=f"http://localhost:8000/{uid}")
    """
    assert run("hardcoded-url", source) == [
        (
            "hardcoded-url",
            4,
            13,
            MESSAGE.format(url="https://api.example.com/users", fixture="base_url"),
        ),
        (
            "hardcoded-url",
            5,
            27,
            MESSAGE.format(url="http://localhost:8000/{uid}", fixture="base_url"),
        ),
    ]


def test_silent_on_paths_links_env_defaults_and_mocks() -> None:
    source = """\
        import os
        import allure
        import respx

        BASE = os.getenv("BASE_URL", "http://localhost:8000")
        DOCS = "https://example.com/docs"

        @allure.link("https://tracker.example.com/T-1")
        def test_get(api, base_url, httpx_mock):
            httpx_mock.add_response(url="https://api.example.com/users")
            respx.get("https://api.example.com/users")
            api.get("/users")
            api.get(f"{base_url}/users")
            assert DOCS.startswith("https://")
    """
    assert run("hardcoded-url", source) == []


def test_message_names_the_configured_fixture() -> None:
    source = 'requests.get("http://x.test/a")\n'
    found = run("hardcoded-url", source, base_url_fixtures=["service_url"])
    assert found == [
        ("hardcoded-url", 1, 14, MESSAGE.format(url="http://x.test/a", fixture="service_url"))
    ]
