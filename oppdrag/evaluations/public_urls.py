from django.urls import path

from . import public

app_name = "evaluations_public"

urlpatterns = [
    path("<str:token>/", public.answer, name="answer"),
    path("<str:token>/takk/", public.thanks, name="thanks"),
]
