from django.urls import path

from discretion.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.read_all, name="read-all"),
    path("<int:notification_id>/", views.open_notification, name="open"),
]
