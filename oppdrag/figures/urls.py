from django.urls import path

from . import views

app_name = "figures"

urlpatterns = [
    path("<year:year>/", views.key_figures_page, name="key_figures"),
    path("<year:year>/velg/", views.choose_page, name="choose"),
]
