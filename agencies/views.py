from django.shortcuts import render

from . import selectors


def home(request):
    return render(request, "agencies/home.html", {"memorandum": selectors.current_memorandum()})


def memorandum_detail(request):
    return render(
        request,
        "agencies/memorandum.html",
        {"memorandum": selectors.current_memorandum(), "agencies": selectors.agencies_with_obligations()},
    )
