"""Output serializers of reference data: divisions (行政区划) and industries (行业)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tuoyu.reference.models import Division, Industry


class DivisionSuccessorSerializer(serializers.Serializer):
    """A code that took over a retired code's area, and the year it did."""

    code = serializers.CharField()
    year = serializers.IntegerField(
        allow_null=True,
        help_text="Year of the change: as the source file gives it, else the year the "
        "retired code's validity ended (valid_to); null when neither says.",
    )


class DivisionOutputSerializer(serializers.ModelSerializer):
    """A division code row. ``successors`` (retired codes only) lists the codes that took over."""

    successors = serializers.SerializerMethodField()

    class Meta:
        model = Division
        fields = (
            "id", "code", "name", "level", "status", "province_name", "prefecture_name",
            "valid_from", "valid_to", "successors",
        )

    @extend_schema_field(DivisionSuccessorSerializer(many=True))
    def get_successors(self, obj: Division) -> list[dict]:
        """The stored successors as ``[{"code", "year"}]`` (empty for codes in use).

        ``year``: the year of the change as the source (GB/T 2260 change list) gives it;
        when it gives none, the year the retired row stopped being valid (``valid_to``,
        the year it was changed or retired); ``null`` only when neither is known.
        """
        return [
            {"code": str(s.get("code", "")),
             "year": s.get("year") if s.get("year") is not None else obj.valid_to}
            for s in (obj.successors or [])
            if isinstance(s, dict)
        ]


class IndustryOutputSerializer(serializers.ModelSerializer):
    """An industry of GB/T 4754-2017 with its parent's code."""

    parent = serializers.CharField(source="parent_id", allow_null=True)

    class Meta:
        model = Industry
        fields = ("code", "name", "level", "parent")
