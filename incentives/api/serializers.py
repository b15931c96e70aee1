"""Shapes of the loans API. Input serializers check types only; the services decide the rules."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from greenjobs.api_fields import LocalDecimalField, LocalIntegerField, PortalDateField
from greenjobs.links import absolute_url
from programs.models import Business, County, GreenOccupation

from ..models import (
    ApplicationDocument,
    ApplicationEvent,
    Disbursement,
    GraceInterest,
    GraceStart,
    Instalment,
    LoanApplication,
    LoanScheme,
    Payment,
    PlannedJob,
    Stage,
)
from ..validators import validate_portal_date
from ..workflow import MOVES, available_moves

# The largest amount a BigIntegerField holds: a larger number is a 400, never a database error.
MAX_RIAL = 2**63 - 1

# The moves a person makes, as one choice set the schema can name (ENUM_NAME_OVERRIDES). "disburse" is
# among them for available_actions; it is made through the disbursements endpoint, not transition.
ACTION_CHOICES = [(name, move.label) for name, move in MOVES.items() if move.who != "system"]


# --- schemes ---


class LoanSchemeSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    available = serializers.IntegerField(read_only=True, help_text="Budget not yet committed (Rial).")
    grace_starts_label = serializers.CharField(source="get_grace_starts_display", read_only=True)
    grace_interest_label = serializers.CharField(source="get_grace_interest_display", read_only=True)
    priority_counties = serializers.SerializerMethodField(help_text="Codes of the counties given priority.")
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = LoanScheme
        fields = [
            "code",
            "title",
            "title_fa",
            "title_en",
            "description",
            "description_fa",
            "description_en",
            "budget",
            "committed",
            "disbursed",
            "available",
            "max_amount",
            "min_amount",
            "interest_rate",
            "term_months",
            "grace_months",
            "grace_starts",
            "grace_starts_label",
            "grace_interest",
            "grace_interest_label",
            "opens_on",
            "closes_on",
            "is_open",
            "requires_verified_registration",
            "weight_knowledge_based",
            "weight_jobs_per_rial",
            "weight_environment",
            "weight_county",
            "priority_counties",
            "is_published",
        ]
        read_only_fields = fields

    def get_priority_counties(self, scheme) -> list[str]:
        return sorted(county.code for county in scheme.priority_counties.all())

    def get_is_open(self, scheme) -> bool:
        return scheme.is_open()


class LoanSchemeWriteSerializer(serializers.Serializer):
    """A scheme's fields; on PATCH every one is optional. The service validates the whole scheme."""

    code = serializers.CharField(max_length=20)
    title_fa = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200)
    description_fa = serializers.CharField(required=False, allow_blank=True)
    description_en = serializers.CharField(required=False, allow_blank=True)
    budget = LocalIntegerField(min_value=1, max_value=MAX_RIAL)
    max_amount = LocalIntegerField(min_value=1, max_value=MAX_RIAL)
    min_amount = LocalIntegerField(required=False, min_value=0, max_value=MAX_RIAL)
    interest_rate = LocalDecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=50)
    term_months = LocalIntegerField(min_value=1, max_value=120)
    grace_months = LocalIntegerField(required=False, min_value=0, max_value=36)
    grace_starts = serializers.ChoiceField(choices=GraceStart.choices, required=False)
    grace_interest = serializers.ChoiceField(choices=GraceInterest.choices, required=False)
    opens_on = PortalDateField(validators=[validate_portal_date])
    closes_on = PortalDateField(validators=[validate_portal_date])
    requires_verified_registration = serializers.BooleanField(required=False)
    weight_knowledge_based = LocalIntegerField(required=False, min_value=0, max_value=100)
    weight_jobs_per_rial = LocalIntegerField(required=False, min_value=0, max_value=100)
    weight_environment = LocalIntegerField(required=False, min_value=0, max_value=100)
    weight_county = LocalIntegerField(
        required=False, min_value=0, max_value=100, help_text="The four weights add up to 100."
    )
    is_published = serializers.BooleanField(required=False)
    priority_counties = serializers.SlugRelatedField(
        slug_field="code", queryset=County.objects.all(), many=True, required=False
    )


# --- applications ---


class PlannedJobSerializer(serializers.ModelSerializer):
    occupation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    occupation_name = serializers.CharField(source="occupation.name", read_only=True)

    class Meta:
        model = PlannedJob
        fields = ["occupation", "occupation_name", "count"]
        read_only_fields = fields


class PlannedJobWriteSerializer(serializers.Serializer):
    occupation = serializers.SlugRelatedField(
        slug_field="code", queryset=GreenOccupation.objects.filter(is_active=True)
    )
    count = LocalIntegerField(min_value=0, max_value=32767, help_text="0 removes the line.")


class LoanApplicationSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    scheme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    scheme_title = serializers.CharField(source="scheme.title", read_only=True)
    business_name = serializers.CharField(source="business.legal_name", read_only=True)
    county = serializers.CharField(source="business.county.code", read_only=True, default=None)
    applicant_name = serializers.CharField(source="applicant.__str__", read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    days_in_stage = serializers.IntegerField(read_only=True)
    is_editable = serializers.BooleanField(source="can_be_edited", read_only=True)
    priority_score = serializers.SerializerMethodField()
    score_breakdown = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = LoanApplication
        fields = [
            "id",
            "reference",
            "scheme",
            "scheme_title",
            "business",
            "business_name",
            "county",
            "applicant_name",
            "amount",
            "purpose",
            "jobs_to_create",
            "energy_saving_kwh",
            "water_saving_m3",
            "materials_saving_t",
            "waste_reduction_t",
            "commitments",
            "stage",
            "stage_label",
            "stage_changed_at",
            "days_in_stage",
            "submitted_at",
            "priority_score",
            "score_breakdown",
            "approved_amount",
            "contract_number",
            "contracted_on",
            "operation_starts_on",
            "disbursed_amount",
            "first_disbursed_on",
            "overdue_amount",
            "days_late",
            "is_editable",
            "available_actions",
        ]
        read_only_fields = fields

    # The view says whether this reader may see how applications are ranked (staff and the committee).

    @extend_schema_field(
        serializers.DecimalField(
            max_digits=6, decimal_places=2, allow_null=True, help_text="Null unless the caller is staff."
        )
    )
    def get_priority_score(self, application):
        if not self.context.get("show_scores"):
            return None
        return serializers.DecimalField(max_digits=6, decimal_places=2).to_representation(
            application.priority_score
        )

    @extend_schema_field(
        serializers.DictField(
            child=serializers.DictField(), allow_null=True, help_text="Null unless the caller is staff."
        )
    )
    def get_score_breakdown(self, application):
        return application.score_breakdown if self.context.get("show_scores") else None

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ACTION_CHOICES)))
    def get_available_actions(self, application) -> list[str]:
        return [move.name for move in available_moves(application, self.context["request"].user)]


class LoanApplicationDetailSerializer(LoanApplicationSerializer):
    planned_jobs = PlannedJobSerializer(many=True, read_only=True)

    class Meta(LoanApplicationSerializer.Meta):
        fields = [*LoanApplicationSerializer.Meta.fields, "planned_jobs"]
        read_only_fields = fields


class LoanApplicationWriteSerializer(serializers.Serializer):
    """A draft's fields. The service says what a draft or a submission needs."""

    amount = LocalIntegerField(min_value=1)
    purpose = serializers.CharField(required=False, allow_blank=True)
    energy_saving_kwh = LocalDecimalField(max_digits=14, decimal_places=2, required=False, min_value=0)
    water_saving_m3 = LocalDecimalField(max_digits=14, decimal_places=2, required=False, min_value=0)
    materials_saving_t = LocalDecimalField(max_digits=14, decimal_places=2, required=False, min_value=0)
    waste_reduction_t = LocalDecimalField(max_digits=14, decimal_places=2, required=False, min_value=0)
    commitments = serializers.CharField(required=False, allow_blank=True)


class LoanApplicationCreateSerializer(LoanApplicationWriteSerializer):
    scheme = serializers.SlugRelatedField(slug_field="code", queryset=LoanScheme.objects.none())
    business = serializers.PrimaryKeyRelatedField(
        queryset=Business.objects.none(), help_text="One of the caller's own business registrations."
    )

    def __init__(self, *args, schemes=None, businesses=None, **kwargs):
        # The view passes only what the caller may pick: another applicant's business "does not exist".
        super().__init__(*args, **kwargs)
        if schemes is not None:
            self.fields["scheme"].queryset = schemes
        if businesses is not None:
            self.fields["business"].queryset = businesses


class ApplicationEventSerializer(serializers.ModelSerializer):
    from_stage_label = serializers.CharField(source="get_from_stage_display", read_only=True)
    to_stage_label = serializers.CharField(source="get_to_stage_display", read_only=True)
    description = serializers.SerializerMethodField()
    actor_name = serializers.SerializerMethodField()
    # The note in the caller's language: a system note is stored as a code, not as a sentence.
    reason = serializers.CharField(source="note", read_only=True)

    class Meta:
        model = ApplicationEvent
        fields = [
            "id",
            "action",
            "description",
            "from_stage",
            "from_stage_label",
            "to_stage",
            "to_stage_label",
            "actor_name",
            "reason",
            "at",
        ]
        read_only_fields = fields

    def get_description(self, event) -> str:
        move = MOVES.get(event.action)
        if move is None:
            return event.get_to_stage_display()
        # The view says whether the reader is the applicant ("you") or staff ("the applicant").
        return str(move.history_label(for_owner=self.context.get("for_owner", True)))

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor_name(self, event) -> str | None:
        return str(event.actor) if event.actor_id else None


class LoanTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTION_CHOICES)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    expected_stage = serializers.ChoiceField(
        choices=Stage.choices,
        required=False,
        allow_null=True,
        default=None,
        help_text="The stage the actor saw; if the application has moved since, the answer is 409.",
    )
    contract_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    contracted_on = PortalDateField(
        required=False, allow_null=True, default=None, validators=[validate_portal_date]
    )
    operation_starts_on = PortalDateField(
        required=False, allow_null=True, default=None, validators=[validate_portal_date]
    )


class EligibilityProblemSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


# --- documents ---


class ApplicationDocumentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationDocument
        fields = [
            "id",
            "kind",
            "kind_label",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, document) -> str:
        path = reverse(
            "loan-application-document-download",
            kwargs={"pk": document.application_id, "document_id": document.pk},
        )
        return absolute_url(path)


class ApplicationDocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ApplicationDocument.Kind.choices)
    file = serializers.FileField()


# --- money ---


class InstalmentSerializer(serializers.ModelSerializer):
    outstanding = serializers.IntegerField(read_only=True)

    class Meta:
        model = Instalment
        fields = [
            "number",
            "due_on",
            "principal",
            "interest",
            "amount",
            "balance_after",
            "paid",
            "outstanding",
        ]
        read_only_fields = fields


class ScheduleTotalsSerializer(serializers.Serializer):
    principal = serializers.IntegerField()
    interest = serializers.IntegerField()
    amount = serializers.IntegerField()
    paid = serializers.IntegerField()
    outstanding = serializers.IntegerField()


class ScheduleSerializer(serializers.Serializer):
    """The repayment schedule, empty until the whole loan has been paid out."""

    instalments = InstalmentSerializer(many=True)
    totals = ScheduleTotalsSerializer()
    overdue_amount = serializers.IntegerField()
    days_late = serializers.IntegerField()


class DisbursementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Disbursement
        fields = ["id", "amount", "paid_on", "request_key", "recorded_at"]
        read_only_fields = fields


class DisbursementWriteSerializer(serializers.Serializer):
    amount = LocalIntegerField(min_value=1, max_value=MAX_RIAL)
    paid_on = PortalDateField(validators=[validate_portal_date])
    request_key = serializers.CharField(
        max_length=64,
        help_text="Chosen by the client, unique per tranche: repeating a request with it pays nothing twice.",
    )


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "amount", "paid_on", "reference", "request_key", "recorded_at"]
        read_only_fields = fields


class PaymentWriteSerializer(DisbursementWriteSerializer):
    reference = serializers.CharField(max_length=60, help_text="The bank's reference for the payment.")
