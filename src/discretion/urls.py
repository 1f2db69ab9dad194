from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import include, path

from discretion.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("requests/", include("discretion.requests.urls")),
    path("information-rights/", include("discretion.information_rights.urls")),
    path("outbound/", include("discretion.outbound.urls")),
    path("research/", include("discretion.research.urls")),
    path("disclosures/", include("discretion.disclosures.urls")),
    path("staff/", include("discretion.staff.urls")),
    path("notifications/", include("discretion.notifications.urls")),
    path("", include("discretion.web.urls")),
]


def handler400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A request Django refuses before any view (a body over the upload limit, a bad host): the API
    answers in JSON like its other errors; pages get a plain message."""
    from django.core.exceptions import RequestDataTooBig

    message = (
        "The request is too large."
        if isinstance(exception, RequestDataTooBig)
        else "The request is not valid."
    )
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    return HttpResponseBadRequest(message)
