"""/api/v1/: the NinjaAPI's routes, each wrapped by api.http.api_view (ETag, Cache-Control, call log),
and a JSON 404 for any other address under /api/v1/."""

from django.http import JsonResponse
from django.urls import URLPattern, re_path, reverse

from api.errors import error_response
from api.http import api_view
from api.main import api

_patterns, _app_name, _namespace = api.urls


def root(request, **kwargs):
    """/api/v1/: where the description and the interactive documentation are."""
    return JsonResponse(
        {
            "name": api.title,
            "version": api.version,
            "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
            "docs": request.build_absolute_uri(reverse("api:openapi-view")),
        }
    )


def _wrap(pattern: URLPattern) -> URLPattern:
    if pattern.name == "api-root":
        pattern.callback = root
    pattern.callback = api_view(pattern.callback)
    return pattern


def not_found(request, rest: str = ""):
    return error_response(404, "not_found")


app_name = "api"  # the NinjaAPI's urls_namespace: its docs page reverses "api:openapi-json"
urlpatterns = [_wrap(p) for p in _patterns] + [re_path(r"^(?P<rest>.*)$", api_view(not_found), name="not-found")]
