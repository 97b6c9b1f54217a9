from django.urls import path

from funding.views import public

app_name = "funding"

urlpatterns = [
    path("", public.home, name="home"),
    path("programmes/<slug:slug>/", public.programme_detail, name="programme"),
]
