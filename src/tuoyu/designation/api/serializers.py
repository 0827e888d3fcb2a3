"""Input and output serializers of the designation API: publicity (公示) and objections (异议).

Output serializers only read instances prepared by the selectors of
:mod:`tuoyu.designation.publicity`; the public ones whitelist published fields field by
field (what the publicity page shows). Input serializers check shapes and lengths only —
the rules (deadline, unit on the list) are :func:`~tuoyu.designation.publicity.objection_submit`'s.
"""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from tuoyu.designation.models import Objection, ObjectionStatus
from tuoyu.designation.publicity import OBJECTION_MAX_LENGTH
from tuoyu.facilities.choices import ProvisionModel

# ----------------------------------------------------------------------------- public


class PublicityEntryOutputSerializer(serializers.Serializer):
    """A unit on the published list (公示名单): list position and the fields the page shows.

    ``id`` is what an objection names as ``entry``.
    """

    id = serializers.IntegerField()
    position = serializers.IntegerField(
        help_text="Number on the list as the page shows it: 1, 2, … over the units still listed.")
    employer_name = serializers.CharField(source="application.employer.name")
    division_code = serializers.CharField(source="application.employer.division.code")
    division_name = serializers.CharField(source="application.employer.division.name")
    provision_model = serializers.ChoiceField(
        source="application.facility.provision_model", choices=ProvisionModel.choices,
        allow_null=True, allow_blank=True)

    def to_representation(self, instance):
        """The fields; ``position`` from the context's numbering of the listed units."""
        data = super().to_representation(instance)
        data["position"] = self.context["numbers"][instance.pk]
        return data


class PublicityOutputSerializer(serializers.Serializer):
    """A publicity period (公示) with its listed units.

    ``starts_on`` the day of publication; ``ends_on`` that day plus ``working_days``
    working days (Chinese holiday calendar with make-up workdays, the day of publication not
    counted), inclusive to 23:59:59 Beijing time — the same stored date the page shows.
    ``ends_provisional`` when the count ran into a year whose calendar is not published.
    ``is_open`` true until the end: objections are accepted while it is.
    """

    id = serializers.IntegerField()
    campaign = serializers.IntegerField(source="campaign_id")
    campaign_name = serializers.CharField(source="campaign.name")
    year = serializers.IntegerField(source="campaign.year")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    ends_provisional = serializers.BooleanField()
    working_days = serializers.IntegerField(source="campaign.publicity_working_days")
    is_open = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()
    entries = serializers.SerializerMethodField()

    def get_is_open(self, obj) -> bool:
        """True until 23:59:59 local time of ``ends_on``."""
        return not obj.has_ended

    def get_page_url(self, obj) -> str:
        """Path of the publicity page with the objection form."""
        return reverse("designation:publicity", args=[obj.campaign_id])

    def get_entries(self, obj) -> PublicityEntryOutputSerializer(many=True):  # type: ignore[valid-type]
        """The units still on the list (``listed_entries`` of
        :func:`~tuoyu.designation.publicity.publicities_public`), in list order."""
        rows = obj.listed_entries
        numbers = {entry.pk: i for i, entry in enumerate(rows, start=1)}
        return PublicityEntryOutputSerializer(rows, many=True, context={"numbers": numbers}).data


class ObjectionInputSerializer(serializers.Serializer):
    """An objection (提出异议): the listed unit (``entry``: an entry ``id``) and the text;
    ``name`` and ``contact`` optional — leave them out to object anonymously."""

    entry = serializers.IntegerField(min_value=1)
    text = serializers.CharField(max_length=OBJECTION_MAX_LENGTH)
    name = serializers.CharField(max_length=Objection._meta.get_field("name").max_length,
                                 required=False, allow_blank=True, default="")
    contact = serializers.CharField(max_length=Objection._meta.get_field("contact").max_length,
                                    required=False, allow_blank=True, default="")


class ObjectionReceiptOutputSerializer(serializers.Serializer):
    """The receipt of a lodged objection (status ``open`` until a national reviewer
    resolves it); nothing the sender typed is echoed."""

    id = serializers.IntegerField()
    entry = serializers.IntegerField(source="entry_id")
    anonymous = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_anonymous(self, obj) -> bool:
        """True when no name was given."""
        return not obj.name


# ----------------------------------------------------------------------------- reviewers


class ObjectionOutputSerializer(serializers.Serializer):
    """An objection as the national reviewers see it on a campaign's objections page,
    with the objector's name and contact (blank when anonymous) and the resolution."""

    id = serializers.IntegerField()
    campaign = serializers.IntegerField(source="entry.publicity.campaign_id")
    year = serializers.IntegerField(source="entry.publicity.campaign.year")
    publicity = serializers.IntegerField(source="entry.publicity_id")
    entry = serializers.IntegerField(source="entry_id")
    employer_name = serializers.CharField(source="entry.application.employer.name")
    name = serializers.CharField()
    contact = serializers.CharField()
    text = serializers.CharField()
    status = serializers.ChoiceField(choices=ObjectionStatus.choices)
    created_at = serializers.DateTimeField()
    resolution = serializers.CharField()
    resolved_at = serializers.DateTimeField(allow_null=True)
