"""Views that live outside the repository (Django, DRF and common add-ons) and what they answer."""

from __future__ import annotations

from bot.scan.python import values as v
from bot.scan.python.drf import DRF_ADDON_METHODS, GENERIC_METHODS, View, unwrapped

# Class or function name → the HTTP methods it answers, as its package documents them.
_KNOWN: dict[str, tuple[str, ...]] = {
    # django.contrib.auth.views (Django 5: LogoutView answers POST only)
    "LoginView": ("GET", "POST"),
    "LogoutView": ("POST",),
    "PasswordChangeView": ("GET", "POST"),
    "PasswordChangeDoneView": ("GET",),
    "PasswordResetView": ("GET", "POST"),
    "PasswordResetDoneView": ("GET",),
    "PasswordResetConfirmView": ("GET", "POST"),
    "PasswordResetCompleteView": ("GET",),
    # django.views.i18n, django.views.static, django.contrib.sitemaps, django.views.generic
    "JavaScriptCatalog": ("GET",),
    "JSONCatalog": ("GET",),
    "set_language": ("POST",),
    "serve": ("GET",),
    "sitemap": ("GET",),
    "index": ("GET",),
    "View": ("GET",),
    # rest_framework.authtoken, rest_framework_simplejwt, drf-spectacular, graphene-django
    "obtain_auth_token": ("POST",),
    "ObtainAuthToken": ("POST",),
    "TokenObtainPairView": ("POST",),
    "TokenObtainSlidingView": ("POST",),
    "TokenRefreshView": ("POST",),
    "TokenRefreshSlidingView": ("POST",),
    "TokenVerifyView": ("POST",),
    "TokenBlacklistView": ("POST",),
    "SpectacularAPIView": ("GET",),
    "SpectacularJSONAPIView": ("GET",),
    "SpectacularYAMLAPIView": ("GET",),
    "SpectacularSwaggerView": ("GET",),
    "SpectacularRedocView": ("GET",),
    "GraphQLView": ("GET", "POST"),
}
_AUTH_VIEWS = "django.contrib.auth.views"
# URLconfs of installed packages → their `(route, view)` patterns, as the packages declare them.
KNOWN_URLCONFS: dict[str, tuple[tuple[str, str], ...]] = {
    "django.contrib.auth.urls": (
        ("login/", f"{_AUTH_VIEWS}.LoginView"),
        ("logout/", f"{_AUTH_VIEWS}.LogoutView"),
        ("password_change/", f"{_AUTH_VIEWS}.PasswordChangeView"),
        ("password_change/done/", f"{_AUTH_VIEWS}.PasswordChangeDoneView"),
        ("password_reset/", f"{_AUTH_VIEWS}.PasswordResetView"),
        ("password_reset/done/", f"{_AUTH_VIEWS}.PasswordResetDoneView"),
        ("reset/<uidb64>/<token>/", f"{_AUTH_VIEWS}.PasswordResetConfirmView"),
        ("reset/done/", f"{_AUTH_VIEWS}.PasswordResetCompleteView"),
    ),
    # the browsable API's login; DRF routes both to Django's auth views
    "rest_framework.urls": (
        ("login/", f"{_AUTH_VIEWS}.LoginView"),
        ("logout/", f"{_AUTH_VIEWS}.LogoutView"),
    ),
}
_DRF_ROOTS = frozenset({"rest_framework", "rest_framework_simplejwt", "drf_spectacular"})


def known_urlconf(dotted: str) -> list[tuple[str, View]] | None:
    """The routes and views of a well-known URLconf outside the repository, else None."""
    patterns = KNOWN_URLCONFS.get(dotted)
    if patterns is None:
        return None
    found = []
    for route, view in patterns:
        call = v.CallV(v.Ext(f"{view}.as_view"), (), (), f"{view}.as_view()")
        known = external_view(call)
        assert known is not None
        found.append((route, known[0]))
    return found


def external_view(value: v.Value | None) -> tuple[View, bool] | None:
    """A view imported from a package (`TemplateView.as_view(...)`, `obtain_auth_token`).

    Returns the view and whether its methods are known; an unknown one is listed as GET, the
    same choice as for a plain function view.
    """
    value = unwrapped(value)
    if isinstance(value, v.CallV) and isinstance(value.func, v.Ext):
        if value.func.last != "as_view":
            return None
        dotted = value.func.name.rpartition(".")[0]
    elif isinstance(value, v.Ext) and value.last != "urls":  # `admin.site.urls` is no view
        dotted = value.name
    else:
        return None
    name = dotted.rpartition(".")[2]
    root = dotted.split(".")[0]
    addon = DRF_ADDON_METHODS.get((root, name))
    if addon is not None:
        framework = "django" if root == "oauth2_provider" else "drf"
        return View(name, [m.upper() for m in addon], framework, []), True
    generic = GENERIC_METHODS.get(name)
    methods = _KNOWN.get(name) or (
        tuple(m.upper() for m in generic if m not in ("head", "options")) if generic else None
    )
    framework = "drf" if dotted.split(".")[0] in _DRF_ROOTS else "django"
    return View(name, list(methods or ("GET",)), framework, []), methods is not None
