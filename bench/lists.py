"""The staff lists the benchmark times: every list page and API list a role works from, each requested as
the demo account that uses it. Public lists (the catalogue, the schemes, the sessions) are here too: they
grow with the data in the same way."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ListSpec:
    name: str
    role: str
    path: str

    @property
    def key(self) -> str:
        return f"{self.name} [{self.role}]"


LISTS = [
    # The registry and DOE's work (programs).
    ListSpec("registry page", "doe_officer", "/programs/registry/"),
    ListSpec("registry page", "programme_manager", "/programs/registry/"),
    ListSpec("registry page", "mcls_officer", "/programs/registry/"),
    ListSpec("DOE assessment queue", "doe_officer", "/programs/queue/"),
    ListSpec("DOE assessment queue", "doe_reviewer", "/programs/queue/"),
    ListSpec("imports page", "doe_officer", "/programs/imports/"),
    ListSpec("initiatives page", "programme_manager", "/programs/initiatives/"),
    ListSpec("projects page", "programme_manager", "/programs/projects/"),
    ListSpec("occupations page", "doe_officer", "/programs/occupations/"),
    ListSpec("API businesses", "doe_officer", "/api/v1/businesses/"),
    ListSpec("API businesses", "programme_manager", "/api/v1/businesses/"),
    ListSpec("API businesses", "mcls_officer", "/api/v1/businesses/"),
    ListSpec("API assessments", "doe_officer", "/api/v1/assessments/"),
    ListSpec("API occupations", "doe_officer", "/api/v1/occupations/"),
    # Loans (incentives): each MCLS role's queue, DOE's environmental review, the committee.
    ListSpec("loan queue page", "mcls_officer", "/loans/queue/"),
    ListSpec("loan queue page", "mcls_reviewer", "/loans/queue/"),
    ListSpec("loan queue page", "mcls_manager", "/loans/queue/"),
    ListSpec("loan queue page", "doe_reviewer", "/loans/queue/"),
    ListSpec("schemes page", "mcls_manager", "/loans/schemes/"),
    ListSpec("API loan applications", "mcls_officer", "/api/v1/loan-applications/"),
    ListSpec("API loan applications", "mcls_reviewer", "/api/v1/loan-applications/"),
    ListSpec("API loan applications", "mcls_manager", "/api/v1/loan-applications/"),
    ListSpec("API loan applications", "doe_reviewer", "/api/v1/loan-applications/"),
    ListSpec("API loan applications", "programme_manager", "/api/v1/loan-applications/"),
    ListSpec("API schemes", "mcls_manager", "/api/v1/schemes/"),
    # Training (TVTO) and awareness activities.
    ListSpec("sessions page", "tvto_officer", "/training/sessions/"),
    ListSpec("courses page", "tvto_officer", "/training/courses/"),
    ListSpec("centres page", "tvto_officer", "/training/centres/"),
    ListSpec("certificates page", "tvto_officer", "/training/certificates/"),
    ListSpec("activities page", "tvto_officer", "/training/activities/"),
    ListSpec("activities page", "programme_manager", "/training/activities/"),
    ListSpec("API training sessions", "tvto_officer", "/api/v1/training-sessions/"),
    ListSpec("API enrolments", "tvto_officer", "/api/v1/enrolments/"),
    ListSpec("API certificates", "tvto_officer", "/api/v1/certificates/"),
    ListSpec("API courses", "tvto_officer", "/api/v1/courses/"),
    ListSpec("API training centres", "tvto_officer", "/api/v1/training-centres/"),
    ListSpec("API awareness activities", "tvto_officer", "/api/v1/awareness-activities/"),
    # Measurement: the landing pages and the committee's lists.
    ListSpec("staff dashboard", "doe_officer", "/dashboard/agency/"),
    ListSpec("staff dashboard", "mcls_manager", "/dashboard/agency/"),
    ListSpec("staff dashboard", "tvto_officer", "/dashboard/agency/"),
    ListSpec("reports page", "programme_manager", "/programs/reports/"),
    ListSpec("indicators page", "programme_manager", "/programs/indicators/"),
    # The applicant's own lists (the demo applicant's few records among everyone's).
    ListSpec("my businesses", "applicant", "/programs/businesses/"),
    ListSpec("my applications", "applicant", "/loans/applications/"),
    ListSpec("my training", "applicant", "/training/my-training/"),
    ListSpec("applicant dashboard", "applicant", "/accounts/dashboard/applicant/"),
    # Last: the two pages that compute the programme's figures, the slowest where history is long, so
    # a run stopped at --timeout has timed every other list first.
    ListSpec("public progress", "anonymous", "/progress/"),
    ListSpec("programme dashboard", "programme_manager", "/dashboard/programme/"),
]

# The mixed traffic of the concurrency run: what each signed-in user keeps opening. A detail page of
# each role's own kind is added when the data has one (found by bench.measure's `targets`).
TRAFFIC = {
    "doe_officer": [
        "/progress/",
        "/dashboard/agency/",
        "/programs/registry/",
        "/programs/queue/",
        "/api/v1/businesses/",
        "/api/v1/assessments/",
    ],
    "doe_reviewer": [
        "/progress/",
        "/dashboard/agency/",
        "/programs/queue/",
        "/loans/queue/",
        "/api/v1/loan-applications/",
    ],
    "mcls_officer": [
        "/progress/",
        "/dashboard/agency/",
        "/loans/queue/",
        "/programs/registry/",
        "/api/v1/loan-applications/",
        "/api/v1/businesses/",
    ],
    "mcls_reviewer": ["/progress/", "/dashboard/agency/", "/loans/queue/", "/api/v1/loan-applications/"],
    "mcls_manager": [
        "/progress/",
        "/dashboard/agency/",
        "/loans/queue/",
        "/loans/schemes/",
        "/api/v1/loan-applications/",
    ],
    "tvto_officer": [
        "/progress/",
        "/dashboard/agency/",
        "/training/sessions/",
        "/training/certificates/",
        "/api/v1/enrolments/",
        "/api/v1/training-sessions/",
    ],
    "programme_manager": [
        "/progress/",
        "/dashboard/programme/",
        "/programs/registry/",
        "/api/v1/businesses/",
        "/api/v1/loan-applications/",
        "/programs/reports/",
    ],
}
