"""The root URLs plus the disclosures pages (until the root includes them at /disclosures/)."""

from django.urls import include, path

from discretion.urls import urlpatterns as root

urlpatterns = [path("disclosures/", include("discretion.disclosures.urls")), *root]
