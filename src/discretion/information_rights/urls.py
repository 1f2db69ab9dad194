from django.urls import URLPattern, URLResolver, path

from discretion.information_rights import views
from discretion.information_rights.documents import urls as documents

app_name = "information_rights"
urlpatterns: list[URLPattern | URLResolver] = [
    *documents.urlpatterns,  # before "sar/<pk>/<action>/"
    path("", views.dashboard, name="dashboard"),
    path("dashboard.csv", views.dashboard_csv, name="dashboard-csv"),
    path("disclosure-log/", views.disclosure_log, name="disclosure-log"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_new, name="request-new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/letters/<slug:kind>.txt", views.request_letter, name="request-letter"),
    path("requests/<int:pk>/<slug:action>/", views.request_action, name="request-action"),
    path("sar/", views.sar_list, name="sars"),
    path("sar/new/", views.sar_new, name="sar-new"),
    path("sar/<int:pk>/", views.sar_detail, name="sar"),
    path("sar/<int:pk>/review/", views.sar_review, name="sar-review"),
    path("sar/<int:pk>/bundle.pdf", views.sar_bundle, name="sar-bundle"),
    path("sar/<int:pk>/redaction-log.csv", views.sar_redaction_log, name="sar-redaction-log"),
    path("sar/<int:pk>/release/", views.sar_release, name="sar-release"),
    path("sar/<int:pk>/<slug:action>/", views.sar_action, name="sar-action"),
]
