from django.urls import URLPattern, URLResolver

app_name = "requests"
urlpatterns: list[URLPattern | URLResolver] = []
