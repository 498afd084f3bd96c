"""Name resolution across modules: framework packages always resolve to the installed ones."""

from __future__ import annotations

from tests.scan.conftest import routes, scan_sources


def test_a_folder_named_like_the_framework_does_not_hide_it() -> None:
    # The framework's own sdist (or a vendored copy, or an examples tree with a top-level
    # `flask/` folder) defines `flask/__init__.py`; `from flask import Flask` still means Flask.
    inventory = scan_sources(
        {
            "flask/__init__.py": "class Flask: ...\n",
            "app.py": """
                from flask import Flask

                app = Flask(__name__)

                @app.route("/ping")
                def ping():
                    return "pong"
            """,
        }
    )
    assert routes(inventory) == [("GET", "/ping")]


def test_django_urls_resolve_inside_the_django_source_tree() -> None:
    inventory = scan_sources(
        {
            "django/urls/__init__.py": "def path(route, view): ...\n",
            "site/urls.py": """
                from django.urls import path

                from site import views

                urlpatterns = [path("about/", views.about)]
            """,
            "site/views.py": "def about(request): ...\n",
        }
    )
    assert routes(inventory) == [("GET", "/about/")]
