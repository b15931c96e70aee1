"""The loans API. Thin: permissions and selectors decide what is seen, services every change.

Like the pages, an application the caller may not see answers 404, whether it exists or not.
"""

from django.db import transaction
from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response

from greenjobs import uploads
from greenjobs.api import ID_PATTERN, AnyAccept, run_service
from greenjobs.exceptions import DomainError
from greenjobs.permissions import HasRole
from programs.permissions import visible_businesses

from .. import permissions, selectors
from ..models import Disbursement, LoanApplication, LoanScheme, Payment
from ..services import applications, repayments, schemes
from ..services.applications import eligibility_problems
from ..workflow import MOVES, actor_may
from . import filters
from .serializers import (
    ApplicationDocumentSerializer,
    ApplicationDocumentUploadSerializer,
    ApplicationEventSerializer,
    DisbursementSerializer,
    DisbursementWriteSerializer,
    EligibilityProblemSerializer,
    InstalmentSerializer,
    LoanApplicationCreateSerializer,
    LoanApplicationDetailSerializer,
    LoanApplicationSerializer,
    LoanApplicationWriteSerializer,
    LoanSchemeSerializer,
    LoanSchemeWriteSerializer,
    LoanTransitionSerializer,
    PaymentSerializer,
    PaymentWriteSerializer,
    PlannedJobSerializer,
    PlannedJobWriteSerializer,
    ScheduleSerializer,
)

# Sub-resources and actions are neither filtered nor paginated.
PLAIN = {"filter_backends": [], "pagination_class": None}


class CanManageSchemes(BasePermission):
    def has_permission(self, request, view):
        return permissions.can_manage_schemes(request.user)


def _forbidden():
    return DomainError(_("You may not do this."), code="forbidden", status_code=403)


# --- schemes ---


@extend_schema_view(
    list=extend_schema(summary="Published loan schemes, with their budget, terms, window and priorities"),
    retrieve=extend_schema(summary="One loan scheme by its code"),
)
class LoanSchemeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Loan schemes: anyone reads the published ones; MCLS managers create and change them."""

    serializer_class = LoanSchemeSerializer
    filter_backends = []
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9\-_]+"

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [AllowAny()]
        return [IsAuthenticated(), CanManageSchemes()]

    def get_queryset(self):
        if permissions.can_manage_schemes(self.request.user):
            # Whoever manages the schemes also sees the ones not published yet.
            return LoanScheme.objects.prefetch_related("priority_counties").order_by("-opens_on", "code")
        return selectors.published_schemes().order_by("-opens_on", "code")

    def _detail(self, scheme_id, *, status_code=status.HTTP_200_OK):
        scheme = self.get_queryset().get(pk=scheme_id)
        return Response(
            LoanSchemeSerializer(scheme, context=self.get_serializer_context()).data, status=status_code
        )

    @extend_schema(
        request=LoanSchemeWriteSerializer,
        responses={201: LoanSchemeSerializer},
        summary="Create a loan scheme (MCLS managers)",
    )
    def create(self, request):
        serializer = LoanSchemeWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        counties = data.pop("priority_counties", ())
        scheme = run_service(schemes.scheme_create, actor=request.user, data=data, priority_counties=counties)
        return self._detail(scheme.pk, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        request=LoanSchemeWriteSerializer,
        responses=LoanSchemeSerializer,
        summary="Change a loan scheme (MCLS managers); the budget never goes below what is committed",
    )
    def partial_update(self, request, code=None):
        scheme = self.get_object()
        serializer = LoanSchemeWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        counties = data.pop("priority_counties", None)
        run_service(
            schemes.scheme_update,
            scheme_id=scheme.pk,
            actor=request.user,
            data=data,
            priority_counties=counties,
        )
        return self._detail(scheme.pk)


# --- applications ---


@extend_schema_view(
    list=extend_schema(summary="Loan applications the caller may see, with the staff queue's filters"),
)
class LoanApplicationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Loan applications, limited to what the caller may see (incentives.permissions)."""

    serializer_class = LoanApplicationSerializer
    filterset_class = filters.LoanApplicationFilter
    ordering_fields = ["priority_score", "stage_changed_at", "amount"]
    ordering = ["-priority_score", "stage_changed_at", "pk"]
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return selectors.application_list(user=self.request.user)

    def get_permissions(self):
        if self.action == "create":
            return [IsAuthenticated(), HasRole.for_roles("applicant")()]
        return super().get_permissions()

    def get_serializer_context(self):
        user = self.request.user
        # How applications are ranked is for the people who rank them and the steering committee.
        show_scores = user.is_authenticated and (
            permissions.agency_of(user) is not None or user.is_programme_manager
        )
        return {**super().get_serializer_context(), "show_scores": show_scores}

    # -- helpers --

    def _visible(self):
        application = (
            permissions.visible_applications(self.request.user)
            .select_related("scheme", "business", "applicant")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if application is None:
            raise Http404
        return application

    def _with_documents(self):
        application = self._visible()
        if not permissions.can_view_documents(self.request.user, application):
            raise Http404
        return application

    def _detail(self, application_id, *, status_code=status.HTTP_200_OK):
        application = selectors.application_detail(user=self.request.user, application_id=application_id)
        if application is None:
            raise Http404
        serializer = LoanApplicationDetailSerializer(application, context=self.get_serializer_context())
        return Response(serializer.data, status=status_code)

    # -- the application --

    @extend_schema(responses=LoanApplicationDetailSerializer, summary="One loan application")
    def retrieve(self, request, pk=None):
        return self._detail(pk)

    @extend_schema(
        request=LoanApplicationCreateSerializer,
        responses={201: LoanApplicationDetailSerializer},
        summary="Start a draft application for one of the caller's businesses (applicants)",
    )
    def create(self, request):
        serializer = LoanApplicationCreateSerializer(
            data=request.data,
            schemes=selectors.published_schemes(),
            businesses=visible_businesses(request.user),
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        application = run_service(
            applications.application_create,
            applicant=request.user,
            business=data.pop("business"),
            scheme=data.pop("scheme"),
            data=data,
        )
        return self._detail(application.pk, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        request=LoanApplicationWriteSerializer,
        responses=LoanApplicationDetailSerializer,
        summary="Change a draft or an application returned for correction (its applicant)",
    )
    def partial_update(self, request, pk=None):
        application = self._visible()
        serializer = LoanApplicationWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        run_service(
            applications.application_update,
            application_id=application.pk,
            actor=request.user,
            data=serializer.validated_data,
        )
        return self._detail(application.pk)

    @extend_schema(responses=ApplicationEventSerializer(many=True), summary="The application's history")
    @action(detail=True, methods=["get"], **PLAIN)
    def events(self, request, pk=None):
        application = self._visible()
        events = application.events.select_related("actor").order_by("at", "pk")
        for_owner = application.applicant_id == request.user.pk
        return Response(ApplicationEventSerializer(events, many=True, context={"for_owner": for_owner}).data)

    @extend_schema(
        request=LoanTransitionSerializer,
        responses=LoanApplicationDetailSerializer,
        summary="Move the application to its next stage",
    )
    @action(detail=True, methods=["post"], **PLAIN)
    def transition(self, request, pk=None):
        application = self._visible()
        serializer = LoanTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        run_service(
            applications.application_transition,
            application_id=application.pk,
            actor=request.user,
            name=data["action"],
            reason=data["reason"],
            expected_stage=data["expected_stage"],
            contract_number=data["contract_number"],
            contracted_on=data["contracted_on"],
            operation_starts_on=data["operation_starts_on"],
        )
        return self._detail(application.pk)

    @extend_schema(
        responses=EligibilityProblemSerializer(many=True),
        summary="The scheme rules the application breaks as it stands (empty when eligible)",
    )
    @action(detail=True, methods=["get"], **PLAIN)
    def eligibility(self, request, pk=None):
        application = self._visible()
        problems = eligibility_problems(
            applicant=application.applicant,
            business=application.business,
            scheme=application.scheme,
            amount=application.amount,
            exclude_application_id=application.pk,
        )
        rows = [{"code": code, "message": message} for code, message in problems]
        return Response(EligibilityProblemSerializer(rows, many=True).data)

    @extend_schema(
        methods=["GET"], responses=PlannedJobSerializer(many=True), summary="The green jobs planned"
    )
    @extend_schema(
        methods=["POST"],
        request=PlannedJobWriteSerializer,
        responses=PlannedJobSerializer(many=True),
        summary="Set how many jobs of one occupation the loan creates; 0 removes it (the applicant)",
    )
    @action(detail=True, methods=["get", "post"], url_path="planned-jobs", url_name="planned-jobs", **PLAIN)
    def planned_jobs(self, request, pk=None):
        application = self._visible()
        if request.method == "POST":
            serializer = PlannedJobWriteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            run_service(
                applications.planned_job_set,
                application_id=application.pk,
                actor=request.user,
                **serializer.validated_data,
            )
        jobs = application.planned_jobs.select_related("occupation").order_by("pk")
        return Response(PlannedJobSerializer(jobs, many=True).data)

    # -- documents --

    @extend_schema(
        methods=["GET"], responses=ApplicationDocumentSerializer(many=True), summary="Documents (metadata)"
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": ApplicationDocumentUploadSerializer},
        responses={201: ApplicationDocumentSerializer},
        summary="Upload a PDF, JPEG or PNG document (the applicant)",
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser], **PLAIN)
    def documents(self, request, pk=None):
        application = self._with_documents()
        context = self.get_serializer_context()
        if request.method == "POST":
            serializer = ApplicationDocumentUploadSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            document = run_service(
                applications.document_upload,
                error_field="file",
                application_id=application.pk,
                actor=request.user,
                kind=serializer.validated_data["kind"],
                uploaded=serializer.validated_data["file"],
            )
            return Response(
                ApplicationDocumentSerializer(document, context=context).data, status=status.HTTP_201_CREATED
            )
        documents = application.documents.order_by("uploaded_at", "pk")
        return Response(ApplicationDocumentSerializer(documents, many=True, context=context).data)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The stored file"
            ),
            404: OpenApiResponse(description="No such document, or not for this caller"),
        },
        summary="Download a document",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=rf"documents/(?P<document_id>{ID_PATTERN})/download",
        url_name="document-download",
        content_negotiation_class=AnyAccept,
        **PLAIN,
    )
    def document_download(self, request, pk=None, document_id=None):
        application = self._with_documents()
        document = application.documents.filter(pk=document_id).first()
        if document is None:
            raise Http404
        return uploads.document_response(document)

    # -- money --

    @extend_schema(responses=ScheduleSerializer, summary="The repayment schedule with its totals")
    @action(detail=True, methods=["get"], **PLAIN)
    def schedule(self, request, pk=None):
        application = self._visible()
        instalments = application.instalments.order_by("number")
        sums = instalments.aggregate(
            principal_sum=Coalesce(Sum("principal"), 0),
            interest_sum=Coalesce(Sum("interest"), 0),
            amount_sum=Coalesce(Sum("amount"), 0),
            paid_sum=Coalesce(Sum("paid"), 0),
            outstanding_sum=Coalesce(Sum(F("amount") - F("paid")), 0),
        )
        totals = {name.removesuffix("_sum"): value for name, value in sums.items()}
        body = {
            "instalments": InstalmentSerializer(instalments, many=True).data,
            "totals": totals,
            "overdue_amount": application.overdue_amount,
            "days_late": application.days_late,
        }
        return Response(ScheduleSerializer(body).data)

    def _record_once(self, service, model, *, application, write_serializer, read_serializer):
        """Calls an idempotent recording service: 201 for a new row, 200 when the request_key was seen before.

        Whether the key is new is read under the application's row lock, the lock the service takes first,
        so two identical requests racing each other also answer 201 once and 200 once.
        """
        serializer = write_serializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            LoanApplication.objects.select_for_update().filter(pk=application.pk).first()
            seen = model.objects.filter(request_key=data["request_key"]).exists()
            row = run_service(service, application_id=application.pk, actor=self.request.user, **data)
        return Response(
            read_serializer(row).data, status=status.HTTP_200_OK if seen else status.HTTP_201_CREATED
        )

    @extend_schema(methods=["GET"], responses=DisbursementSerializer(many=True), summary="Tranches paid out")
    @extend_schema(
        methods=["POST"],
        request=DisbursementWriteSerializer,
        responses={
            201: DisbursementSerializer,
            200: OpenApiResponse(
                DisbursementSerializer, description="Already recorded with this request_key"
            ),
        },
        summary="Record a tranche paid out on the signed contract (MCLS officers and managers)",
    )
    @action(detail=True, methods=["get", "post"], **PLAIN)
    def disbursements(self, request, pk=None):
        application = self._visible()
        if request.method == "POST":
            # Checked here too, since the service answers a repeated request before asking who repeats it.
            if not actor_may(MOVES["disburse"], application, request.user):
                raise _forbidden()
            return self._record_once(
                repayments.disbursement_record,
                Disbursement,
                application=application,
                write_serializer=DisbursementWriteSerializer,
                read_serializer=DisbursementSerializer,
            )
        rows = application.disbursements.order_by("paid_on", "pk")
        return Response(DisbursementSerializer(rows, many=True).data)

    @extend_schema(methods=["GET"], responses=PaymentSerializer(many=True), summary="Repayments received")
    @extend_schema(
        methods=["POST"],
        request=PaymentWriteSerializer,
        responses={
            201: PaymentSerializer,
            200: OpenApiResponse(PaymentSerializer, description="Already recorded with this request_key"),
        },
        summary="Record a repayment; it pays the oldest instalments first (MCLS officers and managers)",
    )
    @action(detail=True, methods=["get", "post"], **PLAIN)
    def payments(self, request, pk=None):
        application = self._visible()
        if request.method == "POST":
            if not permissions.can_record_payments(request.user):
                raise _forbidden()
            return self._record_once(
                repayments.payment_record,
                Payment,
                application=application,
                write_serializer=PaymentWriteSerializer,
                read_serializer=PaymentSerializer,
            )
        rows = application.payments.order_by("paid_on", "pk")
        return Response(PaymentSerializer(rows, many=True).data)
