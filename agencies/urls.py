from django.urls import path

from . import views

app_name = "agencies"

urlpatterns = [
    path("", views.home, name="home"),
    path("memorandum/", views.memorandum_detail, name="memorandum"),
    path("dashboard/agency/", views.staff_dashboard, name="staff_dashboard"),
    path("dashboard/programme/", views.programme_dashboard, name="programme_dashboard"),
    path("progress/", views.public_dashboard, name="public_dashboard"),
]
