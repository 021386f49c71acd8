from django.urls import path

from . import views

app_name = "grants"

urlpatterns = [
    path("<year:year>/", views.assignment_list, name="assignments"),
]
