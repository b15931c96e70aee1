from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from accounts import views as accounts_views

from .observability import views as observability_views

urlpatterns = [
    path("", include("agencies.urls")),
    path("accounts/", include("accounts.urls")),
    path("programs/", include("programs.urls")),
    path("loans/", include("incentives.urls")),
    path("training/", include("training.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("search/", include("search.urls")),
    path("help/", include("guide.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("measurement.urls")),
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # /healthz is the readiness check under the name docker/healthcheck.py and older probes use.
    path("healthz", observability_views.ready, name="healthz"),
    path("healthz/live", observability_views.live, name="healthz_live"),
    path("healthz/ready", observability_views.ready, name="healthz_ready"),
    path("metrics", observability_views.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("greenjobs.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]

handler400 = "greenjobs.views.bad_request"
handler403 = "greenjobs.views.permission_denied"
handler404 = "greenjobs.views.page_not_found"
handler500 = "greenjobs.views.server_error"
