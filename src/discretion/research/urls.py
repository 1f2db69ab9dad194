from django.urls import URLPattern, URLResolver

app_name = "research"
urlpatterns: list[URLPattern | URLResolver] = []
