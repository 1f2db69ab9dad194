from django.urls import path

from discretion.staff import views

app_name = "staff"
urlpatterns = [
    path("compliance/", views.compliance, name="compliance"),
    path("inductions/new/", views.record_induction, name="record-induction"),
    path("supervised/", views.supervisees, name="supervisees"),
    path("supervised/<int:staff_id>/activate/", views.activate_supervised, name="activate"),
    path("policy/publish/", views.publish_policy, name="publish-policy"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:alert_id>/", views.alert, name="alert"),
    path("account-changes/", views.account_changes, name="account-changes"),
    path("account-changes/<int:change_id>/", views.account_change, name="account-change"),
]
