from django.urls import URLPattern, URLResolver

app_name = "information_rights"
urlpatterns: list[URLPattern | URLResolver] = []
