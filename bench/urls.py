"""The portal's URLs plus the bare JSON view the benchmark compares DRF with (only under bench runs)."""

from django.urls import path

from greenjobs import urls as portal

from . import bare

urlpatterns = [path("bench/businesses/", bare.business_list), *portal.urlpatterns]

handler400 = portal.handler400
handler403 = portal.handler403
handler404 = portal.handler404
handler500 = portal.handler500
