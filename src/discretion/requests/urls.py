from django.urls import path

from discretion.requests import intake_views, release_views, views

app_name = "requests"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", intake_views.start, name="start"),
    path("new/<str:name>/", intake_views.step, name="step"),
    path("<int:request_id>/", views.detail, name="detail"),
    path("<int:request_id>/documents/", views.documents, name="documents"),
    path("<int:request_id>/referral/", views.referral, name="referral"),
    path("<int:request_id>/documents/check/", views.check_document, name="check-document"),
    path("<int:request_id>/record-access/", views.ask_record_access, name="ask-record-access"),
    path("<int:request_id>/record-access/decision/", views.decide_record_access, name="decide-record-access"),
    path("<int:request_id>/tasks/", views.task, name="task"),
    path("<int:request_id>/close/", views.close, name="close"),
    path("<int:request_id>/entries/", release_views.entries, name="entries"),
    path("<int:request_id>/release/", release_views.release, name="release"),
    path("<int:request_id>/released/", release_views.released, name="released"),
]
