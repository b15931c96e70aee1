from django.urls import path

from . import views

app_name = "agencies"

urlpatterns = [
    path("", views.home, name="home"),
    path("memorandum/", views.memorandum_detail, name="memorandum"),
]
