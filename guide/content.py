"""What the help pages say: each role's work in order, what each status means, the memorandum's FAQ.

Kept as data beside the templates so a page, a test and a contextual link name the same sections; the
statuses come from the models' own choices, so a status added there shows here (with "no explanation
yet" until one is written, which a test catches).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from incentives.models import Stage
from programs.models import RegistrationStatus
from training.models import Enrolment


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    intro: str
    steps: tuple[tuple[str, str], ...]  # (what to do, how) in the order it is done
    statuses: tuple[str, ...] = ()  # which status tables concern this role


GUIDES = (
    Guide(
        "applicant",
        _("Entrepreneurs and trainees"),
        _("You register your business as green, apply for a subsidised loan, and take green-skills courses."),
        (
            (
                _("Create your account"),
                _(
                    "Sign up with your e-mail, national ID and mobile number, then open the link we e-mail you."
                ),
            ),
            (
                _("Register your business"),
                _(
                    "Under My businesses, fill in the enterprise, its green jobs (one per employee, by national "
                    "ID) and its documents, then submit. DOE assesses it; you can follow every step on its page."
                ),
            ),
            (
                _("Answer requests for changes"),
                _(
                    "If DOE asks for changes, the registration comes back to you with the reviewer's note: "
                    "correct what is asked and submit again."
                ),
            ),
            (
                _("Apply for a loan"),
                _(
                    "Once your business is verified green, choose an open scheme under Loan schemes, fill in "
                    "the amount, the jobs you will create and the documents, and submit."
                ),
            ),
            (
                _("Sign the contract and repay"),
                _(
                    "After approval MCLS signs the contract with you and pays the loan out; the repayment "
                    "schedule is on the application's page, and each payment you make is recorded there."
                ),
            ),
            (
                _("Take a course"),
                _(
                    "Under Training courses, enrol in a session. If it is full you join the wait list and are "
                    "told when a seat frees up. Passing gives you a certificate anyone can verify."
                ),
            ),
        ),
        ("registration", "loan", "enrolment"),
    ),
    Guide(
        "doe",
        _("Department of Environment (DOE)"),
        _("DOE assesses registrations as green and reviews the environmental side of loan applications."),
        (
            (
                _("Work the assessment queue"),
                _(
                    "The queue lists submitted registrations, oldest first; a red figure means the case is past "
                    "its service level. Open one and take it for assessment."
                ),
            ),
            (
                _("Fill the checklist"),
                _("Score each criterion of the green checklist; the decision follows from the scores."),
            ),
            (
                _("Decide"),
                _(
                    "Verify the business as green (it then counts for the memorandum), request changes with a "
                    "note the applicant reads, or reject with the reason."
                ),
            ),
            (
                _("Review loans"),
                _(
                    "Applications in environmental review wait in the loan queue: confirm the environmental "
                    "benefit or return the application with a note."
                ),
            ),
        ),
        ("registration", "loan"),
    ),
    Guide(
        "mcls",
        _("Cooperatives, Labour and Social Welfare (MCLS)"),
        _("MCLS runs the loan schemes: credit review, decisions, contracts, payments and repayments."),
        (
            (
                _("Review credit and eligibility"),
                _("The loan queue shows the applications in your stage, highest priority score first."),
            ),
            (
                _("Decide"),
                _(
                    "Approve within the scheme's budget (it is committed at once), return for correction, or "
                    "reject with the reason."
                ),
            ),
            (
                _("Contract and disburse"),
                _(
                    "Record the contract and each tranche paid out; the repayment schedule follows from the "
                    "scheme's rate, term and grace period."
                ),
            ),
            (
                _("Record repayments"),
                _(
                    "Record each payment with the bank's reference; instalments overdue make the application "
                    "appear as in arrears on the queue."
                ),
            ),
        ),
        ("loan",),
    ),
    Guide(
        "tvto",
        _("Technical and Vocational Training (TVTO)"),
        _("TVTO runs the green-skills courses, from the catalogue to the certificates."),
        (
            (
                _("Keep the catalogue"),
                _(
                    "Training centres, courses (by training standard) and sessions with their seats and dates. "
                    "Set each centre's signatory and the emblem that certificates carry."
                ),
            ),
            (
                _("Run a session"),
                _("Take attendance at each meeting, then record the theory and practical results."),
            ),
            (
                _("Issue certificates"),
                _(
                    "Those who passed get a numbered certificate with a QR code; a certificate issued by mistake "
                    "is revoked with the reason, and its public check says so."
                ),
            ),
        ),
        ("enrolment",),
    ),
    Guide(
        "programme",
        _("Programme managers"),
        _("The steering committee follows the memorandum's goals and reports on them."),
        (
            (
                _("Follow the dashboard"),
                _("The programme dashboard shows every goal's figure against its target, by period."),
            ),
            (
                _("Set targets"),
                _("Under Indicators and targets, set each indicator's target for the year or quarter."),
            ),
            (
                _("Ask for a progress report"),
                _(
                    "Choose a period and a language; the report is prepared in the background and kept for "
                    "download, with its figures as spreadsheets too."
                ),
            ),
        ),
        ("registration", "loan"),
    ),
)

STATUS_MEANINGS = {
    "registration": (
        _("Registration of a green business"),
        RegistrationStatus,
        {
            RegistrationStatus.DRAFT: _("Being filled in by the applicant; nobody else sees it."),
            RegistrationStatus.SUBMITTED: _("Sent to DOE, waiting to be taken for assessment."),
            RegistrationStatus.UNDER_ASSESSMENT: _(
                "A DOE officer is assessing it against the green checklist."
            ),
            RegistrationStatus.CHANGES_REQUESTED: _(
                "Back with the applicant, with DOE's note of what to change."
            ),
            RegistrationStatus.VERIFIED: _("Verified green for a fixed period; its green jobs count."),
            RegistrationStatus.REJECTED: _("Not green by the checklist; the reason is on its page."),
            RegistrationStatus.EXPIRED: _(
                "The verification's period ended; the business must be assessed again."
            ),
        },
    ),
    "loan": (
        _("Loan application"),
        Stage,
        {
            Stage.DRAFT: _("Being filled in by the applicant."),
            Stage.SUBMITTED: _("Sent, waiting for the first review."),
            Stage.ENVIRONMENTAL_REVIEW: _("DOE checks the environmental benefit."),
            Stage.CREDIT_REVIEW: _("MCLS checks eligibility and credit."),
            Stage.DECISION: _("Waiting for MCLS's decision."),
            Stage.RETURNED: _("Back with the applicant to correct what the note asks."),
            Stage.WITHDRAWN: _("Withdrawn by the applicant."),
            Stage.APPROVED: _("Approved; the amount is reserved from the scheme's budget."),
            Stage.REJECTED: _("Not approved; the reason is on its page."),
            Stage.CONTRACTED: _("The loan contract is signed."),
            Stage.DISBURSED: _("Paid out, in one or more tranches."),
            Stage.REPAYING: _("Being repaid by the schedule."),
            Stage.IN_ARREARS: _("An instalment is overdue."),
            Stage.SETTLED: _("Repaid in full."),
        },
    ),
    "enrolment": (
        _("Course enrolment"),
        Enrolment.Status,
        {
            Enrolment.Status.ENROLLED: _("You have a seat in the session."),
            Enrolment.Status.WAITLISTED: _("The session is full; you get the next free seat, in order."),
            Enrolment.Status.CANCELLED: _("The enrolment was cancelled and the seat freed."),
        },
    ),
}

FAQ = (
    (
        _("What is the green-jobs memorandum of Qom?"),
        _(
            "An agreement of the province's Department of Environment, its office of Cooperatives, Labour and "
            "Social Welfare, and its Technical and Vocational Training organisation to create and support "
            "green jobs together: registering green businesses, financing them with subsidised loans, and "
            "training people for green occupations."
        ),
    ),
    (
        _("What makes a business green?"),
        _(
            "DOE assesses it against a checklist of environmental criteria (energy, water, waste, emissions "
            "and the like). A verified business is listed in the public green registry for a fixed period."
        ),
    ),
    (
        _("Who can apply for a loan?"),
        _(
            "The owner of a business verified green, under a scheme open at the time, within its amount limits; "
            "applications are ranked by a published priority score."
        ),
    ),
    (
        _("How is my personal data protected?"),
        _(
            "Documents are stored privately and shown only to you and the staff whose work needs them; "
            "certificates can be checked by anyone, but show only a masked name."
        ),
    ),
    (
        _("How do I check a certificate?"),
        _("Scan its QR code, or type its verification code on the certificate check page."),
    ),
    (
        _("How is the programme measured?"),
        _(
            "Each goal of the memorandum has indicators with targets; the public progress page shows the "
            "figures, and managers receive quarterly progress reports."
        ),
    ),
)


def guide_for(slug: str) -> Guide | None:
    return next((guide for guide in GUIDES if guide.slug == slug), None)


def status_tables(keys) -> list[dict]:
    tables = []
    for key in keys:
        title, choices, meanings = STATUS_MEANINGS[key]
        rows = [
            {"value": value, "label": label, "meaning": meanings.get(value, _("No explanation yet."))}
            for value, label in choices.choices
        ]
        tables.append({"key": key, "title": title, "rows": rows})
    return tables
