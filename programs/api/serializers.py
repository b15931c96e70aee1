"""Shapes of the registry API. Input serializers check types only; the services decide the rules."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from greenjobs.api_fields import LocalDecimalField, LocalIntegerField, PortalDateField
from greenjobs.links import absolute_url

from .. import selectors
from ..models import (
    Assessment,
    AssessmentItem,
    Business,
    BusinessDocument,
    County,
    DocumentKind,
    GreenJob,
    GreenOccupation,
    LegalForm,
    OccupationKind,
    RegistrationEvent,
    RegistrationStatus,
    RequirementCategory,
    Sector,
    registration_rules,
)
from ..workflow import TRANSITIONS, available_actions

# The workflow's action names, as one choice set the schema can name (ENUM_NAME_OVERRIDES).
ACTION_CHOICES = [(name, transition.label) for name, transition in TRANSITIONS.items()]


# --- occupations ---


class OccupationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    sector_label = serializers.CharField(source="get_sector_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = GreenOccupation
        fields = [
            "code",
            "name",
            "name_fa",
            "name_en",
            "sector",
            "sector_label",
            "kind",
            "kind_label",
            "requirements_fa",
            "requirements_en",
            "training_standard_code",
            "introduced_on",
        ]
        read_only_fields = fields


# --- businesses ---


class BusinessSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    sector_label = serializers.CharField(source="get_sector_display", read_only=True)
    legal_form_label = serializers.CharField(source="get_legal_form_display", read_only=True)
    verified_kind_label = serializers.CharField(source="get_verified_kind_display", read_only=True)
    county = serializers.SlugRelatedField(slug_field="code", read_only=True)
    county_name = serializers.CharField(source="county.name", read_only=True, default=None)
    days_in_status = serializers.IntegerField(read_only=True)
    green_jobs_count = serializers.SerializerMethodField()
    is_editable = serializers.BooleanField(source="is_editable_by_owner", read_only=True)
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = Business
        fields = [
            "id",
            "legal_name",
            "national_business_id",
            "legal_form",
            "legal_form_label",
            "sector",
            "sector_label",
            "county",
            "county_name",
            "address",
            "postal_code",
            "employees_total",
            "green_jobs_count",
            "is_knowledge_based",
            "knowledge_based_number",
            "knowledge_based_as_of",
            "knowledge_based_expires_on",
            "status",
            "status_label",
            "status_changed_at",
            "days_in_status",
            "verified_kind",
            "verified_kind_label",
            "verified_at",
            "expires_on",
            "submitted_at",
            "is_editable",
            "available_actions",
        ]
        read_only_fields = fields

    def get_green_jobs_count(self, business) -> int:
        # Lists annotate the count; the detail has the jobs prefetched.
        count = getattr(business, "green_jobs_count", None)
        return len(business.green_jobs.all()) if count is None else count

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ACTION_CHOICES)))
    def get_available_actions(self, business) -> list[str]:
        return [transition.name for transition in available_actions(business, self.context["request"].user)]


class GreenJobSerializer(serializers.ModelSerializer):
    occupation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    occupation_name = serializers.CharField(source="occupation.name", read_only=True)
    holder_national_id = serializers.SerializerMethodField()

    class Meta:
        model = GreenJob
        fields = ["id", "occupation", "occupation_name", "holder_name", "holder_national_id"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_holder_national_id(self, job) -> str | None:
        # The view says whether this reader may see personal data (permissions.can_view_documents).
        return job.holder_national_id if self.context.get("show_personal_data") else None


class BusinessDetailSerializer(BusinessSerializer):
    green_jobs = GreenJobSerializer(many=True, read_only=True)
    open_assessment = serializers.SerializerMethodField()

    class Meta(BusinessSerializer.Meta):
        fields = [*BusinessSerializer.Meta.fields, "green_jobs", "open_assessment"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_open_assessment(self, business) -> int | None:
        assessment = selectors.open_assessment(business)
        return assessment.pk if assessment else None


class BusinessWriteSerializer(serializers.Serializer):
    """A draft's fields. Everything is optional here: the service says what a draft or a submission needs."""

    legal_name = serializers.CharField(required=False, allow_blank=True)
    national_business_id = serializers.CharField(required=False, allow_blank=True)
    legal_form = serializers.ChoiceField(choices=LegalForm.choices, required=False, allow_blank=True)
    sector = serializers.ChoiceField(choices=Sector.choices, required=False, allow_blank=True)
    county = serializers.SlugRelatedField(
        slug_field="code", queryset=County.objects.all(), required=False, allow_null=True
    )
    address = serializers.CharField(required=False, allow_blank=True)
    postal_code = serializers.CharField(required=False, allow_blank=True)
    employees_total = LocalIntegerField(
        required=False,
        min_value=0,
        validators=[registration_rules.validate_employees_total],
        help_text=f"At most {registration_rules.MAX_EMPLOYEES}.",
    )
    is_knowledge_based = serializers.BooleanField(required=False)
    knowledge_based_number = serializers.CharField(required=False, allow_blank=True)
    knowledge_based_as_of = PortalDateField(required=False, allow_null=True)
    knowledge_based_expires_on = PortalDateField(required=False, allow_null=True)

    def validate(self, attrs):
        # The dates sent together are checked here; one sent alone is checked against the stored other
        # by the model, with the same rule.
        problems = registration_rules.knowledge_based_date_problems(
            attrs.get("knowledge_based_as_of"), attrs.get("knowledge_based_expires_on")
        )
        if problems:
            raise serializers.ValidationError({field: [message] for field, message in problems.items()})
        return attrs


class GreenJobWriteSerializer(serializers.Serializer):
    occupation = serializers.SlugRelatedField(slug_field="code", queryset=GreenOccupation.objects.all())
    holder_name = serializers.CharField(max_length=200)
    holder_national_id = serializers.CharField(max_length=20)


class RegistrationEventSerializer(serializers.ModelSerializer):
    from_status_label = serializers.CharField(source="get_from_status_display", read_only=True)
    to_status_label = serializers.CharField(source="get_to_status_display", read_only=True)
    actor_name = serializers.SerializerMethodField()
    # The note in the caller's language: a system note is stored as a code, not as a sentence.
    reason = serializers.CharField(source="note", read_only=True)

    class Meta:
        model = RegistrationEvent
        fields = [
            "id",
            "from_status",
            "from_status_label",
            "to_status",
            "to_status_label",
            "actor_name",
            "reason",
            "at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor_name(self, event) -> str | None:
        return str(event.actor) if event.actor_id else None


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTION_CHOICES)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    verified_kind = serializers.ChoiceField(
        choices=OccupationKind.choices, required=False, allow_blank=True, default=""
    )
    expected_status = serializers.ChoiceField(
        choices=RegistrationStatus.choices,
        required=False,
        allow_null=True,
        default=None,
        help_text="The status the actor saw; if the case has moved since, the answer is 409.",
    )


class BusinessDocumentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = BusinessDocument
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
            "business-document-download", kwargs={"pk": document.business_id, "document_id": document.pk}
        )
        return absolute_url(path)


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField()


# --- assessments ---


class AssessmentItemSerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    reduction = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, allow_null=True)
    reduction_percent = serializers.DecimalField(
        max_digits=8, decimal_places=1, read_only=True, allow_null=True
    )

    class Meta:
        model = AssessmentItem
        fields = [
            "id",
            "category",
            "category_label",
            "description",
            "unit",
            "baseline",
            "current",
            "reduction",
            "reduction_percent",
            "compliant",
            "note",
        ]
        read_only_fields = fields


class AssessmentItemWriteSerializer(serializers.Serializer):
    item_id = LocalIntegerField(required=False, allow_null=True, help_text="Given to edit an existing line.")
    category = serializers.ChoiceField(choices=RequirementCategory.choices)
    description = serializers.CharField(allow_blank=True, default="")
    baseline = LocalDecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    current = LocalDecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    compliant = serializers.BooleanField(default=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AssessmentSerializer(serializers.ModelSerializer):
    business_name = serializers.CharField(source="business.legal_name", read_only=True)
    business_status = serializers.CharField(source="business.status", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    officer_name = serializers.CharField(source="officer.__str__", read_only=True)
    decided_by_name = serializers.SerializerMethodField()
    items = AssessmentItemSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "business",
            "business_name",
            "business_status",
            "status",
            "status_label",
            "officer_name",
            "summary",
            "started_at",
            "ready_at",
            "decided_by_name",
            "decided_at",
            "decision",
            "items",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_decided_by_name(self, assessment) -> str | None:
        return str(assessment.decided_by) if assessment.decided_by_id else None


class AssessmentReadySerializer(serializers.Serializer):
    summary = serializers.CharField(allow_blank=True)
