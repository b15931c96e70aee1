from django.urls import path

from .views import imports, occupations, queue, registrations
from .views import initiatives as initiative_views

app_name = "programs"

urlpatterns = [
    # The public catalogue of green occupations; DOE and TVTO staff maintain it.
    path("occupations/", occupations.occupation_list, name="occupation_list"),
    path("occupations/new/", occupations.occupation_create, name="occupation_create"),
    path("occupations/<str:code>/", occupations.occupation_detail, name="occupation_detail"),
    path("occupations/<str:code>/edit/", occupations.occupation_edit, name="occupation_edit"),
    # An applicant's own registrations.
    path("businesses/", registrations.my_businesses, name="my_businesses"),
    path("businesses/new/", registrations.business_create, name="business_create"),
    path("businesses/<int:pk>/", registrations.business_detail, name="business_detail"),
    path("businesses/<int:pk>/edit/<str:step>/", registrations.business_edit, name="business_edit"),
    path(
        "businesses/<int:pk>/jobs/<int:job_id>/delete/",
        registrations.green_job_delete,
        name="green_job_delete",
    ),
    path(
        "businesses/<int:pk>/documents/<int:document_id>/",
        registrations.document_download,
        name="document_download",
    ),
    path(
        "businesses/<int:pk>/documents/<int:document_id>/delete/",
        registrations.document_delete,
        name="document_delete",
    ),
    path("businesses/<int:pk>/transition/", registrations.business_transition, name="business_transition"),
    # DOE's assessment work on one registration.
    path("businesses/<int:pk>/assessment/items/", queue.assessment_item_save, name="assessment_item_save"),
    path(
        "businesses/<int:pk>/assessment/items/<int:item_id>/delete/",
        queue.assessment_item_delete,
        name="assessment_item_delete",
    ),
    path("businesses/<int:pk>/assessment/ready/", queue.assessment_ready, name="assessment_ready"),
    path("businesses/<int:pk>/assessment/reopen/", queue.assessment_reopen, name="assessment_reopen"),
    # Staff lists: DOE's assessment queue, and the registry every agency and the committee can read.
    path("queue/", queue.assessment_queue, name="assessment_queue"),
    path("registry/", queue.registry, name="registry"),
    # Bulk import of the agencies' spreadsheets (DOE).
    path("imports/", imports.import_list, name="import_list"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", imports.import_progress, name="import_progress"),
    path("imports/template.csv", imports.import_template, name="import_template"),
    # Joint initiatives and their milestones; G6 projects with their bids, ranking and award.
    path("initiatives/", initiative_views.initiative_list, name="initiative_list"),
    path("initiatives/new/", initiative_views.initiative_create, name="initiative_create"),
    path("initiatives/<int:pk>/", initiative_views.initiative_detail, name="initiative_detail"),
    path("initiatives/<int:pk>/edit/", initiative_views.initiative_edit, name="initiative_edit"),
    path("initiatives/<int:pk>/milestones/", initiative_views.milestone_add, name="milestone_add"),
    path(
        "initiatives/<int:pk>/milestones/<int:milestone_id>/complete/",
        initiative_views.milestone_complete,
        name="milestone_complete",
    ),
    path("projects/", initiative_views.project_list, name="project_list"),
    path("projects/new/", initiative_views.project_create, name="project_create"),
    path("projects/<int:pk>/", initiative_views.project_detail, name="project_detail"),
    path("projects/<int:pk>/bids/new/", initiative_views.bid_add, name="bid_add"),
    path("projects/<int:pk>/award/", initiative_views.project_award, name="project_award"),
    path("projects/<int:pk>/cancel/", initiative_views.project_cancel, name="project_cancel"),
]
