from django.urls import URLPattern, URLResolver, path

from discretion.information_rights import foi_views, sar_views, views
from discretion.information_rights.documents import urls as documents

app_name = "information_rights"
urlpatterns: list[URLPattern | URLResolver] = [
    *documents.urlpatterns,  # before "sar/<pk>/<action>/"
    path("", views.dashboard, name="dashboard"),
    path("dashboard.csv", views.dashboard_csv, name="dashboard-csv"),
    path("disclosure-log/", foi_views.disclosure_log, name="disclosure-log"),
    path("requests/", foi_views.request_list, name="requests"),
    path("requests/new/", foi_views.request_new, name="request-new"),
    path("requests/<int:pk>/", foi_views.request_detail, name="request"),
    path("requests/<int:pk>/letters/<slug:kind>.txt", foi_views.request_letter, name="request-letter"),
    path("requests/<int:pk>/<slug:action>/", foi_views.request_action, name="request-action"),
    path("sar/", sar_views.sar_list, name="sars"),
    path("sar/new/", sar_views.sar_new, name="sar-new"),
    path("sar/<int:pk>/", sar_views.sar_detail, name="sar"),
    path("sar/<int:pk>/review/", sar_views.sar_review, name="sar-review"),
    path("sar/<int:pk>/bundle.pdf", sar_views.sar_bundle, name="sar-bundle"),
    path("sar/<int:pk>/redaction-log.csv", sar_views.sar_redaction_log, name="sar-redaction-log"),
    path("sar/<int:pk>/release/", sar_views.sar_release, name="sar-release"),
    path("sar/<int:pk>/<slug:action>/", sar_views.sar_action, name="sar-action"),
]
