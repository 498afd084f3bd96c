"""hardcoded-secret fires on credential literals and stays quiet on look-alikes."""

from bot.validate.rules.hardcoded_secret import FORMAT_MESSAGE, MESSAGE
from tests.validate.support import lines, run


def test_fires_on_passwords_tokens_keys_and_bearer_headers() -> None:
    source = """\
        password = "S3cure!pass"
        API_TOKEN = "a8f5f167f44f4964e6c998dee827110c"

        def test_login(api):
            api.post("/login", json={"user": "bob", "Password": "Tr0ub4dor&3"})
            api.get("/me", headers={"Authorization": "Bearer 9f8e7d6c5b4a39281706"})
            api.get("/me", headers={"X-Api-Key": "Zk3v9QpL2mX8rT4wY7bN"})
            connect(client_secret="q9W8e7R6t5Y4u3I2o1P0")
    """
    assert run("hardcoded-secret", source) == [
        ("hardcoded-secret", 1, 12, MESSAGE.format(name="password")),
        ("hardcoded-secret", 2, 13, MESSAGE.format(name="API_TOKEN")),
        ("hardcoded-secret", 5, 57, MESSAGE.format(name="Password")),
        ("hardcoded-secret", 6, 46, MESSAGE.format(name="Authorization")),
        ("hardcoded-secret", 7, 42, MESSAGE.format(name="X-Api-Key")),
        ("hardcoded-secret", 8, 27, MESSAGE.format(name="client_secret")),
    ]


def test_fires_on_well_known_token_formats_under_any_name() -> None:
    source = """\
        def test_a(api):
            api.get("/", params={"q": "glpat-abcdefghij0123456789"})
    """
    assert run("hardcoded-secret", source) == [
        ("hardcoded-secret", 2, 31, FORMAT_MESSAGE.format(kind="GitLab token"))
    ]


def test_silent_on_lookups_placeholders_and_names_about_secrets() -> None:
    source = """\
        import os

        password = os.environ["PASSWORD"]
        token_url = "https://auth.example.com/token"
        password_field = "password"
        primary_key = "id"
        sort_key = "created_at"
        token_type = "bearer"
        cache_key = "users-list-cache-2024-v1"

        def test_login(api, token):
            api.post("/login", json={"password": "wrong"})
            api.post("/login", json={"password": "<your password>"})
            api.post("/login", json={"password": ""})
            api.get("/me", headers={"Authorization": f"Bearer {token}"})
            api.get("/me", headers={"Authorization": "Bearer xxx"})
            session_token = "short"
    """
    assert lines("hardcoded-secret", source) == []


def test_basic_credentials_are_judged_decoded() -> None:
    # httpx's tests: `Basic dXNlcm5hbWU6cGFzc3dvcmQ=` is `username:password`
    source = """\
        def test_auth(api):
            api.get("/a", headers={"authorization": "Basic dXNlcm5hbWU6cGFzc3dvcmQ="})
            api.get("/b", headers={"Authorization": "Basic dGVzdDp0ZXN0"})
            api.get("/c", headers={"Authorization": "Basic YWxpY2U6WGszOXFQIXZMMm0="})
    """
    assert lines("hardcoded-secret", source) == [4]


def test_silent_on_redaction_markers() -> None:
    # schemathesis' tests compare against sanitised output
    source = """\
        def test_sanitised(api):
            assert api.get("/a").json() == {"password": "[Filtered]", "api_key": "masked"}
    """
    assert lines("hardcoded-secret", source) == []
