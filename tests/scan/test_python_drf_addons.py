"""Viewsets from add-on packages: known ones route their actions, unknown ones say so."""

from __future__ import annotations

from bot.scan.python.drf import UNKNOWN_VIEWSET
from tests.scan.conftest import routes, scan_sources

URLS = """
    from django.urls import include, path
    from rest_framework.routers import DefaultRouter
    from dynamic_preferences.api import viewsets as prefs
    from shopkit import api as shopkit

    class TenantPreferences(prefs.PerInstancePreferenceViewSet):
        queryset = None

    class Cart(shopkit.CartViewSet):
        pass

    router = DefaultRouter(trailing_slash=False)
    router.register("tenants/(?P<tenant>[^/.]+)/preferences", TenantPreferences, basename="tp")
    router.register("cart", Cart, basename="cart")

    urlpatterns = [path("api/", include(router.urls))]
"""


def test_dynamic_preferences_viewsets_serve_list_detail_and_bulk() -> None:
    inventory = scan_sources({"crm/urls.py": URLS})
    assert sorted(routes(inventory)) == [
        ("GET", "/api/"),  # DefaultRouter's API root
        ("GET", "/api/tenants/{tenant}/preferences"),
        ("GET", "/api/tenants/{tenant}/preferences/{pk}"),
        ("PATCH", "/api/tenants/{tenant}/preferences/{pk}"),
        ("POST", "/api/tenants/{tenant}/preferences/bulk"),
        ("PUT", "/api/tenants/{tenant}/preferences/{pk}"),
    ]


def test_a_viewset_of_an_unknown_package_is_named_in_a_warning_not_dropped_silently() -> None:
    inventory = scan_sources({"crm/urls.py": URLS})
    assert not any(path.startswith("/api/cart") for _, path in routes(inventory))
    messages = [w.message for w in inventory.warnings]
    assert UNKNOWN_VIEWSET.format(name="Cart", bases="`shopkit.api.CartViewSet`") in messages
