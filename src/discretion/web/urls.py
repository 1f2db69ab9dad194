from django.urls import path

from discretion.staff import oidc, security
from discretion.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-in/two-factor/", views.two_factor, name="two-factor"),
    path("sign-in/two-factor/set-up/", views.two_factor_set_up, name="two-factor-set-up"),
    path("sign-out/", views.sign_out, name="sign-out"),
    # Optional single sign-on (docs/oidc.md): both answer 404 unless OIDC is configured.
    path("sign-in/council/", oidc.SignInWithCouncilAccount.as_view(), name="oidc-sign-in"),
    path("sign-in/council/callback/", oidc.CouncilAccountCallback.as_view(), name="oidc-callback"),
    path(
        "staff/<int:staff_id>/reset-authenticator/",
        security.reset_authenticator_page,
        name="reset-authenticator",
    ),
    path("policy/acknowledge/", views.acknowledge_policy, name="acknowledge-policy"),
    path("people/", views.search, name="search"),
    path("people/<str:ref>/", views.person, name="person"),
    path("cases/<str:ref>/", views.case, name="case"),
    path("cases/<str:ref>/break-glass/", views.break_glass, name="break-glass"),
    path("cases/<str:ref>/shares/", views.case_shares, name="case-shares"),
    path("entries/<int:entry_id>/", views.entry, name="entry"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("audit/people/<str:ref>/", views.who_has_viewed, name="who-has-viewed"),
    path("health/", views.health, name="health"),
]
