from django.urls import URLPattern, URLResolver, path

from discretion.research import views

app_name = "research"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.request_list, name="list"),
    path("new/", views.submit, name="submit"),
    path("<int:request_id>/", views.detail, name="detail"),
    path("<int:request_id>/decision/", views.decide, name="decide"),
    path("<int:request_id>/extracts/", views.extract, name="extract"),
    path("commercial/", views.commercial_list, name="commercial"),
    path("commercial/<int:record_id>/", views.commercial_record, name="commercial-record"),
    path("commercial/questions/<int:query_id>/", views.commercial_answer, name="commercial-answer"),
]
