"""/api/: the ninja API, with JSON answers for wrong methods and unknown paths too."""

from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, re_path

from newshub.api.views import api, error_response


def json_method_errors(view):
    """Ninja answers a wrong method with a plain-text 405: give it the API's error shape."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        is_json = response.get("Content-Type", "").startswith("application/json")
        if response.status_code == 405 and not is_json:
            allowed = response.get("Allow", "")
            response = error_response(request, 405, f"Method not allowed; use {allowed}")
            response["Allow"] = allowed
        return response

    return wrapper


def unknown_path(request: HttpRequest, rest: str) -> HttpResponse:
    return error_response(request, 404, "No such API endpoint; see /api/docs")


api_patterns, api_app_name, api_namespace = api.urls
for pattern in api_patterns:
    if isinstance(pattern, URLPattern):
        pattern.callback = json_method_errors(pattern.callback)

urlpatterns = [
    path("", (api_patterns, api_app_name, api_namespace)),
    re_path(r"^(?P<rest>.*)$", unknown_path),
]
