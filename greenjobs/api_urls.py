from django.urls import include, path

urlpatterns = [
    path("auth/", include("accounts.api.urls")),
    path("", include("agencies.api.urls")),
    path("", include("programs.api.urls")),
    path("", include("incentives.api.urls")),
    path("", include("training.api.urls")),
]
