from django.urls import path

from .views import imports, queue, rounds

app_name = "monitoring"

urlpatterns = [
    path("", queue.queue, name="queue"),
    path("mine/", rounds.my_rounds, name="my_rounds"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/workshops/", rounds.workshop_add, name="workshop_add"),
    path(
        "rounds/<int:pk>/workshops/<int:workshop_id>/remove/", rounds.workshop_remove, name="workshop_remove"
    ),
    path("rounds/<int:pk>/employees/", rounds.employee_add, name="employee_add"),
    path(
        "rounds/<int:pk>/employees/<int:employee_id>/remove/", rounds.employee_remove, name="employee_remove"
    ),
    path("rounds/<int:pk>/evidence/", rounds.document_upload, name="document_upload"),
    path("rounds/<int:pk>/evidence/<int:document_id>/", rounds.document_download, name="document_download"),
    path(
        "rounds/<int:pk>/evidence/<int:document_id>/remove/", rounds.document_delete, name="document_delete"
    ),
    path("rounds/<int:pk>/report/", rounds.report, name="report"),
    path("rounds/<int:pk>/verify/", rounds.verify, name="verify"),
    path("rounds/<int:pk>/decide/", rounds.decide, name="decide"),
    path("rounds/<int:pk>/visits/", rounds.visit_plan, name="visit_plan"),
    path("rounds/<int:pk>/visits/<int:visit_id>/", rounds.visit_record, name="visit_record"),
    path("rounds/<int:pk>/photos/<int:photo_id>/", rounds.photo_download, name="photo_download"),
    path("insurance-lists/", imports.import_list, name="import_list"),
    path("insurance-lists/<int:pk>/", imports.import_detail, name="import_detail"),
    path("insurance-lists/<int:pk>/progress/", imports.import_progress, name="import_progress"),
    path("insurance-lists/template.csv", imports.import_template, name="import_template"),
]
