from django.urls import path

from discretion.disclosures import views

app_name = "disclosures"
urlpatterns = [
    path("", views.register, name="register"),
    path("people/<str:ref>/", views.shared_with, name="shared-with"),
    path("download/<str:token>/", views.download, name="download"),
]
