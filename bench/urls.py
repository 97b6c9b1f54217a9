from django.http import HttpResponse
from django.urls import path

from aifabriek.urls import urlpatterns as shipped


def reference(request):
    """The bare view every page is compared with."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/reference/", reference), *shipped]
