from django.urls import path

from .views import activities, catalogue, certificates, enrolment, records

app_name = "training"

urlpatterns = [
    # Public catalogue of upcoming sessions; TVTO manages centres, courses and sessions.
    path("sessions/", catalogue.session_list, name="session_list"),
    path("sessions/new/", catalogue.session_create, name="session_create"),
    path("sessions/<int:pk>/", catalogue.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", catalogue.session_edit, name="session_edit"),
    path("courses/", catalogue.course_list, name="course_list"),
    path("courses/new/", catalogue.course_create, name="course_create"),
    path("courses/<int:pk>/edit/", catalogue.course_edit, name="course_edit"),
    path("centres/", catalogue.centre_list, name="centre_list"),
    path("centres/new/", catalogue.centre_create, name="centre_create"),
    path("centres/<int:pk>/edit/", catalogue.centre_edit, name="centre_edit"),
    path("certificates/emblem/", catalogue.certificate_emblem, name="certificate_emblem"),
    # Enrolment.
    path("sessions/<int:pk>/enrol/", enrolment.enrol, name="enrol"),
    path("enrolments/<int:pk>/cancel/", enrolment.cancel, name="cancel"),
    path("my-training/", enrolment.my_training, name="my_training"),
    # TVTO's records: roster import, attendance and results in bulk.
    path("sessions/<int:pk>/roster/", records.roster_import, name="roster_import"),
    path("sessions/<int:pk>/attendance/", records.attendance, name="attendance"),
    path(
        "sessions/<int:pk>/meetings/<int:meeting_pk>/correct/",
        records.meeting_correct,
        name="meeting_correct",
    ),
    path(
        "sessions/<int:pk>/meetings/<int:meeting_pk>/remove/", records.meeting_remove, name="meeting_remove"
    ),
    path("sessions/<int:pk>/results/", records.results, name="results"),
    # Certificates and their public verification.
    path("certificates/<int:pk>/pdf/", certificates.certificate_pdf, name="certificate_pdf"),
    path("certificates/<int:pk>/revoke/", certificates.certificate_revoke, name="certificate_revoke"),
    path("certificates/", certificates.certificate_list, name="certificate_list"),
    path("verify/", certificates.verify_form, name="verify_form"),
    path("verify/<str:code>/", certificates.verify, name="verify"),
    # Awareness activities (G5), each agency its own.
    path("activities/", activities.activity_list, name="activity_list"),
    path("activities/new/", activities.activity_create, name="activity_create"),
    path("activities/<int:pk>/edit/", activities.activity_edit, name="activity_edit"),
]
