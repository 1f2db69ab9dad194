from django.contrib import admin
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
    path("", include("discretion.web.urls")),
]
