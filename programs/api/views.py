"""The registry API. Thin: permissions and selectors decide what is seen, services every change.

Like the pages, a registration the caller may not see answers 404, whether it exists or not.
"""

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response

from greenjobs.api import ID_PATTERN, PLAIN, document_actions, run_service
from greenjobs.permissions import HasRole

from .. import permissions, selectors
from ..models import Assessment, AssessmentItem
from ..services import assessments, registrations
from . import filters
from .serializers import (
    AssessmentItemSerializer,
    AssessmentItemWriteSerializer,
    AssessmentReadySerializer,
    AssessmentSerializer,
    BusinessDetailSerializer,
    BusinessDocumentSerializer,
    BusinessSerializer,
    BusinessWriteSerializer,
    DocumentUploadSerializer,
    GreenJobSerializer,
    GreenJobWriteSerializer,
    OccupationSerializer,
    RegistrationEventSerializer,
    TransitionSerializer,
)


class CanWorkQueue(BasePermission):
    def has_permission(self, request, view):
        return permissions.can_work_queue(request.user)


# --- occupations ---


class OccupationViewSet(viewsets.ReadOnlyModelViewSet):
    """The public catalogue of green occupations."""

    serializer_class = OccupationSerializer
    permission_classes = [AllowAny]
    filterset_class = filters.OccupationFilter
    ordering_fields = ["code", "name_fa", "name_en", "introduced_on"]
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9\-]+"

    def get_queryset(self):
        return selectors.occupations()


# --- businesses ---


@extend_schema_view(
    list=extend_schema(summary="Registrations the caller may see, with the staff queue's filters"),
    retrieve=extend_schema(responses=BusinessDetailSerializer),
)
class BusinessViewSet(
    document_actions(
        serializer=BusinessDocumentSerializer,
        upload_serializer=DocumentUploadSerializer,
        upload=registrations.document_upload,
        owner_argument="business_id",
        uploader="the owner",
    ),
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Business registrations, limited to what the caller may see (programs.permissions)."""

    serializer_class = BusinessSerializer
    filterset_class = filters.BusinessFilter
    ordering_fields = ["status_changed_at", "legal_name"]
    # Explicit, with the primary key last: pages must be stable.
    ordering = ["-updated_at", "-pk"]
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return selectors.business_list(user=self.request.user)

    def paginate_queryset(self, queryset):
        # The green-job counts are read for the page's rows only, never grouped over the whole list.
        page = super().paginate_queryset(queryset)
        return None if page is None else selectors.with_green_jobs_count(page)

    def get_permissions(self):
        if self.action == "create":
            return [IsAuthenticated(), HasRole.for_roles("applicant")()]
        return super().get_permissions()

    # -- helpers --

    def _visible_business(self):
        business = permissions.visible_businesses(self.request.user).filter(pk=self.kwargs["pk"]).first()
        if business is None:
            raise Http404
        return business

    def document_owner(self):
        business = self._visible_business()
        if not permissions.can_view_documents(self.request.user, business):
            raise Http404
        return business

    def _context(self, business):
        return {
            **self.get_serializer_context(),
            "show_personal_data": permissions.can_view_documents(self.request.user, business),
        }

    def _detail(self, business_id, *, status_code=status.HTTP_200_OK):
        business = selectors.business_detail(user=self.request.user, business_id=business_id)
        if business is None:
            raise Http404
        return Response(
            BusinessDetailSerializer(business, context=self._context(business)).data, status=status_code
        )

    # -- the registration --

    def retrieve(self, request, pk=None):
        return self._detail(pk)

    @extend_schema(
        request=BusinessWriteSerializer,
        responses={201: BusinessDetailSerializer},
        summary="Start a draft registration (applicants)",
    )
    def create(self, request):
        serializer = BusinessWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        business = run_service(
            registrations.business_create, owner=request.user, data=serializer.validated_data
        )
        return self._detail(business.pk, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        request=BusinessWriteSerializer,
        responses=BusinessDetailSerializer,
        summary="Change a draft or a registration returned for changes (its owner)",
    )
    def partial_update(self, request, pk=None):
        business = self._visible_business()
        serializer = BusinessWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        run_service(
            registrations.business_update,
            business_id=business.pk,
            actor=request.user,
            data=serializer.validated_data,
        )
        return self._detail(business.pk)

    @extend_schema(responses=RegistrationEventSerializer(many=True), summary="The registration's history")
    @action(detail=True, methods=["get"], **PLAIN)
    def events(self, request, pk=None):
        business = self._visible_business()
        events = business.events.select_related("actor").order_by("at", "pk")
        return Response(RegistrationEventSerializer(events, many=True).data)

    @extend_schema(
        request=TransitionSerializer, responses=BusinessDetailSerializer, summary="Move the registration"
    )
    @action(detail=True, methods=["post"], **PLAIN)
    def transition(self, request, pk=None):
        business = self._visible_business()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        run_service(
            registrations.business_transition,
            business_id=business.pk,
            actor=request.user,
            name=data["action"],
            reason=data["reason"],
            verified_kind=data["verified_kind"],
            expected_status=data["expected_status"],
        )
        return self._detail(business.pk)

    # -- green jobs --

    @extend_schema(methods=["GET"], responses=GreenJobSerializer(many=True), summary="The green jobs listed")
    @extend_schema(
        methods=["POST"],
        request=GreenJobWriteSerializer,
        responses={201: GreenJobSerializer},
        summary="List one more employee in a green job (the owner)",
    )
    @action(detail=True, methods=["get", "post"], url_path="green-jobs", url_name="green-jobs", **PLAIN)
    def green_jobs(self, request, pk=None):
        business = self._visible_business()
        context = self._context(business)
        if request.method == "POST":
            serializer = GreenJobWriteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            job = run_service(
                registrations.green_job_add,
                error_field="holder_national_id",
                business_id=business.pk,
                actor=request.user,
                **serializer.validated_data,
            )
            return Response(GreenJobSerializer(job, context=context).data, status=status.HTTP_201_CREATED)
        jobs = business.green_jobs.select_related("occupation").order_by("pk")
        return Response(GreenJobSerializer(jobs, many=True, context=context).data)


# --- assessments ---


class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """DOE's environmental assessments of the registrations in its queue."""

    serializer_class = AssessmentSerializer
    permission_classes = [IsAuthenticated, CanWorkQueue]
    filterset_class = filters.AssessmentFilter
    ordering_fields = ["started_at", "ready_at"]
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        user = self.request.user
        businesses = permissions.visible_businesses(user).filter(permissions.assessment_scope(user))
        return (
            Assessment.objects.filter(business__in=businesses)
            .select_related("business", "officer", "decided_by")
            .prefetch_related(Prefetch("items", queryset=AssessmentItem.objects.order_by("pk")))
        )

    @extend_schema(
        request=AssessmentItemWriteSerializer,
        responses={200: AssessmentItemSerializer, 201: AssessmentItemSerializer},
        summary="Add a checklist line, or change one given its item_id (the assigned officer)",
    )
    @action(detail=True, methods=["post"], **PLAIN)
    def items(self, request, pk=None):
        assessment = self.get_object()
        serializer = AssessmentItemWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        item = run_service(
            assessments.assessment_item_save, assessment_id=assessment.pk, actor=request.user, **data
        )
        created = data.get("item_id") is None
        return Response(
            AssessmentItemSerializer(item).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        request=None, responses={204: None}, summary="Remove a checklist line (the assigned officer)"
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=rf"items/(?P<item_id>{ID_PATTERN})",
        url_name="item",
        **PLAIN,
    )
    def item(self, request, pk=None, item_id=None):
        assessment = self.get_object()
        run_service(
            assessments.assessment_item_delete,
            assessment_id=assessment.pk,
            actor=request.user,
            item_id=int(item_id),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=AssessmentReadySerializer,
        responses=AssessmentSerializer,
        summary="Hand the finished checklist to a reviewer (the assigned officer)",
    )
    @action(detail=True, methods=["post"], **PLAIN)
    def ready(self, request, pk=None):
        assessment = self.get_object()
        serializer = AssessmentReadySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run_service(
            assessments.assessment_mark_ready,
            assessment_id=assessment.pk,
            actor=request.user,
            summary=serializer.validated_data["summary"],
        )
        return Response(AssessmentSerializer(self.get_object(), context=self.get_serializer_context()).data)
