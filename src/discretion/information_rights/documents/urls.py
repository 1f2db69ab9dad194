"""Document review routes, included by information_rights.urls (namespace information_rights)."""

from django.urls import path

from discretion.information_rights.documents import views

urlpatterns = [
    path("sar/<int:pk>/documents/", views.documents_page, name="sar-documents"),
    path("sar/<int:pk>/documents/read/", views.start_reading, name="sar-documents-read"),
    path("sar/pages/<int:page_id>/", views.page_detail, name="sar-page"),
    path("sar/pages/<int:page_id>/image", views.page_image, name="sar-page-image"),
    path("sar/pages/<int:page_id>/<slug:action>/", views.page_action, name="sar-page-action"),
    path("sar/boxes/<int:box_id>/<slug:action>/", views.box_action, name="sar-box-action"),
]
