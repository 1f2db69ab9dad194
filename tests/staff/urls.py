"""The root URLs plus the staff pages at /staff/ (the lead includes them in the root urls.py)."""

from django.urls import URLPattern, URLResolver, include, path

from discretion.urls import urlpatterns as root

urlpatterns: list[URLPattern | URLResolver] = [
    p for p in root if not (isinstance(p, URLResolver) and getattr(p, "namespace", None) == "staff")
]
urlpatterns.insert(0, path("staff/", include("discretion.staff.urls")))
