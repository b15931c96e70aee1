from django.urls import path

from .views import applicant, schemes, staff

app_name = "incentives"

urlpatterns = [
    # Public: the schemes and their rules.
    path("schemes/", schemes.scheme_list, name="scheme_list"),
    path("schemes/new/", schemes.scheme_create, name="scheme_create"),
    path("schemes/<str:code>/", schemes.scheme_detail, name="scheme_detail"),
    path("schemes/<str:code>/edit/", schemes.scheme_edit, name="scheme_edit"),
    # The applicant's side.
    path("applications/", applicant.my_applications, name="my_applications"),
    path("apply/", applicant.application_create, name="application_create"),
    path("apply/check/", applicant.eligibility_check, name="eligibility_check"),
    path("applications/<int:pk>/", applicant.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", applicant.application_edit, name="application_edit"),
    path("applications/<int:pk>/jobs/", applicant.planned_job_set, name="planned_job_set"),
    path("applications/<int:pk>/documents/", applicant.document_upload, name="document_upload"),
    path(
        "applications/<int:pk>/documents/<int:document_id>/",
        applicant.document_download,
        name="document_download",
    ),
    path(
        "applications/<int:pk>/documents/<int:document_id>/delete/",
        applicant.document_delete,
        name="document_delete",
    ),
    path("applications/<int:pk>/schedule/", applicant.schedule, name="schedule"),
    # Staff: queues and actions.
    path("queue/", staff.queue, name="queue"),
    path("applications/<int:pk>/transition/", staff.transition, name="transition"),
    path("applications/<int:pk>/disburse/", staff.disburse, name="disburse"),
    path("applications/<int:pk>/payments/", staff.payment, name="payment"),
]
