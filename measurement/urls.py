from django.urls import path

from .views import dashboards, reports, targets

app_name = "measurement"

# Mounted at the site's root: each page keeps the address it had when it lived in the app it reads.
urlpatterns = [
    # Each person's landing page.
    path("accounts/dashboard/applicant/", dashboards.applicant_dashboard, name="applicant_dashboard"),
    path("dashboard/agency/", dashboards.staff_dashboard, name="staff_dashboard"),
    path("dashboard/programme/", dashboards.programme_dashboard, name="programme_dashboard"),
    path("progress/", dashboards.public_dashboard, name="public_dashboard"),
    # The steering committee's indicators: yearly targets and hand-entered figures.
    path("programs/indicators/", targets.indicator_list, name="indicator_list"),
    path("programs/indicators/<int:pk>/target/", targets.target_set, name="target_set"),
    path("programs/indicators/<int:pk>/manual-value/", targets.manual_value_set, name="manual_value_set"),
    # Progress reports against the memorandum's goals (programme and agency managers).
    path("programs/reports/", reports.report_list, name="report_list"),
    path("programs/reports/recompute/", reports.recompute, name="recompute"),
    path("programs/reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("programs/reports/<int:pk>/progress/", reports.report_progress, name="report_progress"),
    path("programs/reports/<int:pk>/download/", reports.report_download, name="report_download"),
    path("programs/reports/<int:pk>/export/<str:fmt>/", reports.report_export, name="report_export"),
]
