from django.urls import URLPattern, URLResolver

app_name = "outbound"
urlpatterns: list[URLPattern | URLResolver] = []
