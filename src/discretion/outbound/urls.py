from django.urls import URLPattern, URLResolver, path

from discretion.outbound import views

app_name = "outbound"
urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<str:ref>/compose/", views.compose, name="compose"),
    path("cases/<str:ref>/compose/check/", views.check, name="check"),
    path("cases/<str:ref>/compose/sent/", views.sent, name="sent"),
]
