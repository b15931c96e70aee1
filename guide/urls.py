from django.urls import path

from . import views

app_name = "guide"

urlpatterns = [
    path("", views.index, name="index"),
    path("schemes/", views.schemes, name="schemes"),
    path("faq/", views.faq, name="faq"),
    path("<slug:slug>/", views.role_guide, name="role"),
]
