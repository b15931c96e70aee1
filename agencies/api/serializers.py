from rest_framework import serializers

from ..models import Agency, Goal, Obligation


class ObligationSerializer(serializers.ModelSerializer):
    goals = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Obligation
        fields = ["id", "text_fa", "text_en", "goals"]


class AgencySerializer(serializers.ModelSerializer):
    obligations = ObligationSerializer(many=True, read_only=True)

    class Meta:
        model = Agency
        fields = [
            "id",
            "code",
            "name_fa",
            "name_en",
            "short_name_fa",
            "short_name_en",
            "director_fa",
            "director_en",
            "obligations",
        ]


class GoalSerializer(serializers.ModelSerializer):
    signed_on = serializers.DateField(source="memorandum.signed_on", read_only=True)

    class Meta:
        model = Goal
        fields = ["id", "code", "title_fa", "title_en", "description_fa", "description_en", "signed_on"]
