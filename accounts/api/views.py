from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from greenjobs.permissions import membership_of


class PortalAuthTokenSerializer(AuthTokenSerializer):
    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs["user"].needs_email_verification:
            raise serializers.ValidationError(
                _("Your e-mail address is not verified yet."), code="authorization"
            )
        return attrs


class TokenView(ObtainAuthToken):
    """Exchange a username (or e-mail) and password for an API token."""

    serializer_class = PortalAuthTokenSerializer

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=inline_serializer(
            "TokenRequest", {"username": serializers.CharField(), "password": serializers.CharField()}
        ),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class MeView(APIView):
    """Who the token or session belongs to, and their role."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "kind": serializers.CharField(),
                "agency": serializers.CharField(allow_null=True),
                "role": serializers.CharField(allow_null=True),
            },
        )
    )
    def get(self, request):
        user = request.user
        membership = membership_of(user)
        return Response(
            {
                "username": user.username,
                "full_name": user.get_full_name(),
                "kind": user.kind,
                "agency": membership.agency.code if membership else None,
                "role": membership.role if membership else None,
            }
        )
