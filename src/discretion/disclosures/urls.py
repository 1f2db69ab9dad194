from django.urls import path

from discretion.disclosures import views

app_name = "disclosures"
urlpatterns = [
    path("", views.register, name="register"),
    path("people/<str:ref>/", views.shared_with, name="shared-with"),
    path("download/<str:token>/", views.download, name="download"),
    path("print-queue/", views.print_queue, name="print-queue"),
    path("print-queue/<int:message_id>/letter/", views.print_letter, name="print-letter"),
    path("print-queue/<int:message_id>/posted/", views.letter_posted, name="letter-posted"),
    path("links/", views.links, name="links"),
    path("links/<int:link_id>/revoke/", views.revoke_link, name="revoke-link"),
]
