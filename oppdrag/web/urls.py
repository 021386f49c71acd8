from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import grant_views, lookups, people, shared_views, views, year_views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("logg-inn/", views.LoginView.as_view(), name="login"),
    path("logg-ut/", auth_views.LogoutView.as_view(next_page="web:login"), name="logout"),
    path("glemt-passord/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "glemt-passord/sendt/",
        auth_views.PasswordResetDoneView.as_view(template_name="web/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "nytt-passord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="web/password_reset_confirm.html",
            success_url=reverse_lazy("web:login"),
        ),
        name="password_reset_confirm",
    ),
    path("kalender/<str:token>.ics", grant_views.grant_calendar_feed, name="grant_calendar"),
    path("<slug:center>/", views.dashboard, name="dashboard"),
    path("<slug:center>/aar/", year_views.switch_year, name="switch_year"),
    path("<slug:center>/personer/", people.people, name="people"),
    path("<slug:center>/tilskudd/", grant_views.grant_list, name="grant_list"),
    path("<slug:center>/kommuner/", views.municipality_reach, name="reach"),
    path("<slug:center>/timer/<year:year>/", views.hours_overview, name="hours"),
    path(
        "<slug:center>/tilskudd/utkast/<str:token>/", grant_views.grant_review, name="grant_review"
    ),
    path("<slug:center>/tilskudd/<year:year>/", grant_views.grant_detail, name="grant_detail"),
    path(
        "<slug:center>/tilskudd/<year:year>/videreforing/",
        grant_views.grant_carry_forward,
        name="grant_carry_forward",
    ),
    path("<slug:center>/sok/kommuner/", lookups.municipalities, name="lookup_municipalities"),
    path("<slug:center>/sok/organisasjoner/", lookups.organizations, name="lookup_organizations"),
    path("<slug:center>/delt/", shared_views.shared_list, name="shared_list"),
    path(
        "<slug:center>/delt/malinger/<uuid:uid>/", shared_views.shared_review, name="shared_review"
    ),
    path("<slug:center>/delt/grupper/<uuid:uid>/", shared_views.shared_group, name="shared_group"),
    path("<slug:center>/innsendte/", shared_views.submitted_list, name="submitted_list"),
    path(
        "<slug:center>/innsendte/sammenligning/",
        shared_views.submitted_comparison,
        name="submitted_comparison",
    ),
    path(
        "<slug:center>/innsendte/<uuid:uid>/",
        shared_views.submitted_report,
        name="submitted_report",
    ),
    path("<slug:center>/<slug:kind>/last-opp/", views.kind_upload, name="kind_upload"),
]
