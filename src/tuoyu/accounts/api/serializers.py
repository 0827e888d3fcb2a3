"""Output serializers of organisations (机构) for the API."""

from __future__ import annotations

from rest_framework import serializers

from tuoyu.accounts.models import Organization


class OrganizationOutputSerializer(serializers.ModelSerializer):
    """An organisation as seen by a user allowed to see it (no people, no memberships)."""

    division_code = serializers.CharField(source="division.code")
    division_name = serializers.CharField(source="division.name")
    industry = serializers.CharField(source="industry_id", allow_null=True)
    jurisdiction_prefix = serializers.CharField()

    class Meta:
        model = Organization
        fields = (
            "id", "kind", "name", "credit_code", "division_code", "division_name", "level",
            "jurisdiction_prefix", "department_type", "industry", "ownership_type",
            "headcount", "address", "is_active", "parent",
        )
