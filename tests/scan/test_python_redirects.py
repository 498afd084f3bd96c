"""Handlers whose every `return` redirects declare that redirect: generated tests do not follow it.

Flask, FastAPI and Django sources declare no responses; a handler that only ever returns
`redirect(...)`, `RedirectResponse(...)` or `HttpResponseRedirect(...)` answers a 3xx, so the scan
records that status (the framework's default, or the `code=`/`status_code=` given) as the
endpoint's declared response. Read statically: nothing scanned is imported or run.
"""

from __future__ import annotations

from bot.generate import GenerateOptions, generate_suite
from bot.scan.model import Inventory
from tests.scan.conftest import scan_sources

FLASK = """
    from flask import Flask, jsonify, make_response, redirect, url_for

    app = Flask(__name__)

    @app.route("/go")
    def go():
        return redirect(url_for("home"))

    @app.route("/moved")
    def moved():
        return redirect("/home", code=301)

    @app.route("/hops/<int:n>")
    def hops(n):
        if n == 1:
            return redirect("/home")
        return _hop(n - 1)

    def _hop(n):
        return redirect(url_for("hops", n=n))

    @app.route("/login/set")
    def set_and_go():
        response = make_response(redirect("/home"))
        response.set_cookie("seen", "1")
        return response

    @app.route("/manual")
    def manual():
        response = make_response("")
        response.status_code = 303
        response.headers["Location"] = "/home"
        return response

    @app.route("/maybe")
    def maybe():
        if app.debug:
            return redirect("/home")
        return jsonify(ok=True)

    @app.route("/home")
    def home():
        return jsonify(ok=True)
"""


def _codes(inventory: Inventory) -> dict[str, list[int]]:
    return {e.path: e.status_codes for e in inventory.endpoints}


def test_flask_handlers_that_always_redirect_declare_their_redirect_status() -> None:
    assert _codes(scan_sources({"app.py": FLASK})) == {
        "/go": [302],
        "/moved": [301],
        "/hops/{n}": [302],  # the helper it returns is followed
        "/login/set": [302],  # a redirect wrapped in make_response, then returned
        "/manual": [303],  # a Location header and a constant 3xx status set by hand
        "/maybe": [],  # one exit answers JSON: nothing is declared
        "/home": [],
    }


def test_fastapi_redirect_response_status_is_the_given_one_or_307() -> None:
    inventory = scan_sources(
        {
            "main.py": """
                from fastapi import FastAPI, status
                from fastapi.responses import RedirectResponse

                app = FastAPI()

                @app.get("/docs-old")
                async def old_docs():
                    return RedirectResponse("/docs")

                @app.post("/submit", status_code=201)
                async def submit():
                    return RedirectResponse(url="/done", status_code=303)

                @app.post("/login")
                async def login():
                    return RedirectResponse("/", status_code=status.HTTP_303_SEE_OTHER)

                @app.get("/items")
                async def items():
                    return []
            """
        }
    )
    assert _codes(inventory) == {
        "/docs-old": [307],
        "/submit": [303],
        "/login": [303],
        "/items": [200],
    }


def test_django_function_views_that_redirect_declare_301_or_302() -> None:
    inventory = scan_sources(
        {
            "site/urls.py": """
                from django.urls import path
                from site import views

                urlpatterns = [
                    path("old/", views.old),
                    path("gone/", views.gone),
                    path("page/", views.page),
                ]
            """,
            "site/views.py": """
                from django.http import HttpResponse, HttpResponseRedirect
                from django.shortcuts import redirect

                def old(request):
                    return HttpResponseRedirect("/new/")

                def gone(request):
                    return redirect("/new/", permanent=True)

                def page(request):
                    return HttpResponse("hi")
            """,
        }
    )
    assert _codes(inventory) == {"/old/": [302], "/gone/": [301], "/page/": []}


def test_generated_test_of_a_redirecting_handler_checks_status_and_location() -> None:
    files = generate_suite(scan_sources({"app.py": FLASK}), GenerateOptions(send_credential=False))
    text = "\n".join(f.content for f in files)
    moved = text.split("def test_get_moved_succeeds")[1].split("\n\n\n")[0]
    assert "response.status_code == 301" in moved
    assert '"location"' in moved
    home = text.split("def test_get_home_succeeds")[1].split("\n\n\n")[0]
    assert '"location"' not in home
