"""Django scanning: ROOT_URLCONF include chains, CBVs, function views, DRF routers and actions."""

from __future__ import annotations

from pathlib import Path

from bot.scan.engine import scan_path
from bot.scan.python.django import ADMIN_SKIPPED, GUESSED
from tests.scan.conftest import routes, scan_sources


def test_exact_endpoint_list(fixtures: Path) -> None:
    assert routes(scan_path(fixtures / "django_app")) == [
        ("GET", "/api/"),
        ("GET", "/api/articles/"),
        ("GET", "/api/articles/{slug}/"),
        ("GET", "/api/ping/"),
        ("GET", "/api/status/"),
        ("POST", "/api/status/"),
        ("GET", "/api/tags/"),
        ("GET", "/api/tags/{pk}/"),
        ("GET", "/api/users/"),
        ("POST", "/api/users/"),
        ("GET", "/api/users/recent/"),
        ("DELETE", "/api/users/{pk}/"),
        ("GET", "/api/users/{pk}/"),
        ("PATCH", "/api/users/{pk}/"),
        ("PUT", "/api/users/{pk}/"),
        ("POST", "/api/users/{pk}/set-password/"),
        ("GET", "/blog/"),
        ("GET", "/blog/comments/"),
        ("POST", "/blog/comments/"),
        ("GET", "/blog/feed/"),
        ("GET", "/blog/{pk}/"),
        ("GET", "/blog/{slug}/edit/"),
        ("POST", "/blog/{slug}/edit/"),
        ("GET", "/legacy/{slug}/"),
    ]


def test_include_cycle_and_external_view_are_warned(fixtures: Path) -> None:
    warnings = {(w.file, w.message) for w in scan_path(fixtures / "django_app").warnings}
    assert ("mysite/loop_urls.py", "include cycle through `mysite.urls`; not followed") in warnings
    assert any(f == "mysite/urls.py" and "admin/" in m for f, m in warnings)


def test_viewset_handlers_and_permissions(fixtures: Path) -> None:
    inventory = scan_path(fixtures / "django_app")
    action = inventory.find("POST", "/api/users/{pk}/set-password/")
    assert action is not None
    assert (action.handler, action.framework, action.security) == (
        "UserViewSet.set_password",
        "drf",
        ["IsAuthenticated"],
    )
    article = inventory.find("GET", "/api/articles/{slug}/")
    assert article is not None
    assert [(p.name, p.location) for p in article.params] == [("slug", "path")]


def test_converter_types_on_django_paths(fixtures: Path) -> None:
    detail = scan_path(fixtures / "django_app").find("GET", "/blog/{pk}/")
    assert detail is not None
    assert detail.params[0].schema_ == {"type": "integer"}
    assert detail.handler == "PostDetailView"


def test_views_imported_from_packages_are_routes() -> None:
    inventory = scan_sources(
        {
            "site/settings.py": 'ROOT_URLCONF = "site.urls"\n',
            "site/urls.py": """
                from django.contrib import admin
                from django.contrib.auth import views as auth_views
                from django.urls import path
                from django.views.generic import TemplateView
                from rest_framework.authtoken.views import obtain_auth_token
                from rest_framework_simplejwt.views import TokenObtainPairView
                from somewhere.views import MysteryView

                urlpatterns = [
                    path("", TemplateView.as_view(template_name="home.html")),
                    path("admin/", admin.site.urls),
                    path("login/", auth_views.LoginView.as_view()),
                    path("api/token/", TokenObtainPairView.as_view()),
                    path("api/auth-token/", obtain_auth_token),
                    path("mystery/", MysteryView.as_view()),
                ]
            """,
        }
    )
    assert routes(inventory) == [
        ("GET", "/"),
        ("POST", "/api/auth-token/"),
        ("POST", "/api/token/"),
        ("GET", "/login/"),
        ("POST", "/login/"),
        ("GET", "/mystery/"),
    ]
    messages = [(w.file, w.line, w.message) for w in inventory.warnings]
    admin = f"view `django.contrib.admin.site.urls` {ADMIN_SKIPPED}; route `admin/` skipped"
    assert messages == [
        ("site/urls.py", 10, f"view `MysteryView` is outside the repository; {GUESSED}"),
        ("site/urls.py", 10, admin),
    ]


def test_action_url_paths_with_groups_and_extra_mapped_methods() -> None:
    # after tests/test_routers.py and tests/test_viewsets.py of Django REST framework (BSD)
    inventory = scan_sources(
        {
            "api/urls.py": """
                from rest_framework import viewsets
                from rest_framework.decorators import action
                from rest_framework.routers import SimpleRouter

                class NoteViewSet(viewsets.ViewSet):
                    @action(detail=False, url_path=r"list/(?P<kwarg>[0-9]{4})")
                    def by_year(self, request, kwarg): ...

                    @action(detail=True, url_path="detail/<int:kwarg>")
                    def detail_part(self, request, pk, kwarg): ...

                    @action(detail=False)
                    def custom(self, request): ...

                    @custom.mapping.post
                    def custom_post(self, request): ...

                router = SimpleRouter()
                router.register("notes", NoteViewSet, basename="note")
                urlpatterns = router.urls
            """,
        }
    )
    assert routes(inventory) == [
        ("GET", "/notes/custom/"),
        ("POST", "/notes/custom/"),
        ("GET", "/notes/list/{kwarg}/"),
        ("GET", "/notes/{pk}/detail/{kwarg}/"),
    ]


def test_translated_routes_use_the_untranslated_text() -> None:
    inventory = scan_sources(
        {
            "site/urls.py": """
                from django.urls import path
                from django.utils.translation import gettext_lazy as _

                from site import views

                urlpatterns = [path(_("about/"), views.about)]
            """,
            "site/views.py": "def about(request): ...\n",
        }
    )
    assert routes(inventory) == [("GET", "/about/")]
    assert inventory.warnings == []


def test_django_auth_urls_include_lists_the_documented_views() -> None:
    inventory = scan_sources(
        {
            "mysite/settings.py": 'ROOT_URLCONF = "mysite.urls"\n',
            "mysite/urls.py": """
                from django.urls import include, path

                urlpatterns = [
                    path("accounts/", include("django.contrib.auth.urls")),
                    path("api-auth/", include("rest_framework.urls")),
                    path("social/", include("social_django.urls")),
                ]
            """,
        }
    )
    assert routes(inventory) == [
        ("GET", "/accounts/login/"),
        ("POST", "/accounts/login/"),
        ("POST", "/accounts/logout/"),
        ("GET", "/accounts/password_change/"),
        ("POST", "/accounts/password_change/"),
        ("GET", "/accounts/password_change/done/"),
        ("GET", "/accounts/password_reset/"),
        ("POST", "/accounts/password_reset/"),
        ("GET", "/accounts/password_reset/done/"),
        ("GET", "/accounts/reset/done/"),
        ("GET", "/accounts/reset/{uidb64}/{token}/"),
        ("POST", "/accounts/reset/{uidb64}/{token}/"),
        ("GET", "/api-auth/login/"),
        ("POST", "/api-auth/login/"),
        ("POST", "/api-auth/logout/"),
    ]
    login = inventory.find("POST", "/accounts/login/")
    assert login is not None
    assert (login.framework, login.handler, login.file, login.line) == (
        "django",
        "LoginView",
        "mysite/urls.py",
        4,  # url patterns point at their `urlpatterns` assignment
    )
    assert [w.message for w in inventory.warnings] == [
        "included URLconf `social_django.urls` not found in the repository"
    ]
