"""Input and output serializers of the facilities API (托育机构、备案).

Output serializers only read model instances prepared by the selectors; input
serializers only check shapes and types — the rules are the services'.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from rest_framework import serializers

from tuoyu.facilities.choices import (
    ClassType,
    PremisesTenure,
    ProvisionModel,
)
from tuoyu.facilities.models import (
    Facility,
    FacilityClass,
    FacilityService,
    FilingEvent,
    StaffMember,
)

# ----------------------------------------------------------------------------- output


class FacilityListOutputSerializer(serializers.ModelSerializer):
    """A row of the facility list: identity, place, status, places, class and child counts."""

    operator = serializers.IntegerField(source="operator_id")
    operator_name = serializers.CharField(source="operator.name")
    division_code = serializers.CharField(source="division.code")
    division_name = serializers.CharField(source="division.name")
    total_places = serializers.IntegerField()
    class_count = serializers.IntegerField()
    child_count = serializers.IntegerField()

    class Meta:
        model = Facility
        fields = (
            "id", "name", "operator", "operator_name", "provision_model", "address",
            "division_code", "division_name", "filing_status", "receipt_number", "filed_on",
            "places_infant", "places_toddler", "places_older", "places_mixed", "total_places",
            "class_count", "child_count", "source_system", "external_id", "version",
        )


class FacilityServiceSerializer(serializers.ModelSerializer):
    """A service form and its monthly fee in ¥ (null = not stated)."""

    monthly_fee = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True,
                                           required=False, min_value=0)

    class Meta:
        model = FacilityService
        fields = ("service_type", "monthly_fee")


class FacilityClassOutputSerializer(serializers.ModelSerializer):
    """A class (班级) with its capacity and the number of children placed in it now."""

    enrolled = serializers.IntegerField()

    class Meta:
        model = FacilityClass
        fields = ("id", "name", "class_type", "capacity", "enrolled")


class StaffOutputSerializer(serializers.ModelSerializer):
    """A member of staff (personal data: only for users allowed to see it)."""

    assigned_class = serializers.IntegerField(source="assigned_class_id", allow_null=True)

    class Meta:
        model = StaffMember
        fields = (
            "id", "name", "role", "education", "qualification", "years_experience", "trained",
            "health_certificate_expiry", "no_criminal_record", "full_time", "start_date",
            "end_date", "assigned_class",
        )


class EnrolmentCountSerializer(serializers.Serializer):
    """Children currently placed in classes of one class type."""

    class_type = serializers.ChoiceField(choices=ClassType.choices)
    children = serializers.IntegerField()


class FacilityDetailOutputSerializer(serializers.ModelSerializer):
    """A facility with sponsors, services, classes, enrolment counts and (if allowed) staff.

    ``staff`` is null when the user may not see personal data; ``staff_count`` is always
    given. Built from the context keys ``classes``, ``enrolment_counts``, ``staff``,
    ``staff_count`` prepared by the view.
    """

    operator = serializers.IntegerField(source="operator_id")
    operator_name = serializers.CharField(source="operator.name")
    division_code = serializers.CharField(source="division.code")
    division_name = serializers.CharField(source="division.name")
    sponsors = serializers.SerializerMethodField()
    services = FacilityServiceSerializer(many=True, read_only=True)
    classes = serializers.SerializerMethodField()
    enrolment_counts = serializers.SerializerMethodField()
    staff = serializers.SerializerMethodField()
    staff_count = serializers.SerializerMethodField()
    total_places = serializers.IntegerField()

    class Meta:
        model = Facility
        fields = (
            "id", "name", "operator", "operator_name", "sponsors", "credit_code",
            "provision_model", "address", "division_code", "division_name", "building_area",
            "outdoor_area", "children_floor", "premises_tenure", "lease_start", "lease_end",
            "opening_date", "places_infant", "places_toddler", "places_older", "places_mixed",
            "total_places", "contact_phone", "filing_status", "receipt_number", "filed_on",
            "version", "source_system", "external_id", "services", "classes",
            "enrolment_counts", "staff_count", "staff",
        )

    def get_sponsors(self, obj) -> list[int]:
        """Ids of the sponsoring employers (举办用人单位)."""
        return sorted(s.pk for s in obj.sponsors.all())

    def get_classes(self, obj) -> FacilityClassOutputSerializer(many=True):  # type: ignore[valid-type]
        """The classes with their current enrolment."""
        return FacilityClassOutputSerializer(self.context["classes"], many=True).data

    def get_enrolment_counts(self, obj) -> EnrolmentCountSerializer(many=True):  # type: ignore[valid-type]
        """Children placed now, per class type (every class type, zeros included)."""
        return EnrolmentCountSerializer(self.context["enrolment_counts"], many=True).data

    def get_staff(self, obj) -> StaffOutputSerializer(many=True, allow_null=True):  # type: ignore[valid-type]
        """Staff records, or null without the right to see personal data."""
        staff = self.context.get("staff")
        return None if staff is None else StaffOutputSerializer(staff, many=True).data

    def get_staff_count(self, obj) -> int:
        """Number of staff members (not personal data)."""
        return self.context["staff_count"]


class FilingEventOutputSerializer(serializers.ModelSerializer):
    """One step of the filing history; ``actor`` is the display name of who acted."""

    actor = serializers.SerializerMethodField()

    class Meta:
        model = FilingEvent
        fields = (
            "id", "action", "from_status", "to_status", "actor", "at", "reason",
            "receipt_number", "deadline", "deadline_provisional",
        )

    def get_actor(self, obj) -> str | None:
        """The actor's display name (null for system actions)."""
        return str(obj.actor) if obj.actor_id else None


class FilingStateOutputSerializer(serializers.ModelSerializer):
    """A facility's filing state after a transition (备案状态): status, the ``version`` to send
    as ``expected_version`` next, receipt number and filing date, the review deadline
    (办理时限, inclusive, in working days from the submission; null unless a review is
    pending) and links to the facility and its filing history. Nothing about staff."""

    has_unfiled_changes = serializers.BooleanField(read_only=True)
    deadline = serializers.SerializerMethodField()
    deadline_provisional = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    history_url = serializers.SerializerMethodField()

    class Meta:
        model = Facility
        fields = (
            "id", "filing_status", "version", "receipt_number", "filed_on",
            "has_unfiled_changes", "deadline", "deadline_provisional", "url", "history_url",
        )

    def _pending(self):
        return self.context.get("pending_event")

    def get_deadline(self, obj) -> dt.date | None:
        """The date by which the health commission must decide, or null."""
        event = self._pending()
        return event.deadline if event is not None else None

    def get_deadline_provisional(self, obj) -> bool | None:
        """True when the deadline ran through a year without a published holiday calendar."""
        event = self._pending()
        return event.deadline_provisional if event is not None else None

    def _link(self, name: str, obj) -> str:
        url = reverse(name, kwargs={"pk": obj.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    def get_url(self, obj) -> str:
        """The facility's API resource."""
        return self._link("api:facility-detail", obj)

    def get_history_url(self, obj) -> str:
        """The facility's filing history."""
        return self._link("api:facility-filing", obj)


class FindingOutputSerializer(serializers.Serializer):
    """A compliance finding (不符合项) with its rule and source."""

    rule_code = serializers.CharField()
    severity = serializers.ChoiceField(choices=[("block", "block"), ("warn", "warn")])
    message = serializers.CharField()
    title = serializers.CharField()
    source_document = serializers.CharField()
    source_article = serializers.CharField()
    certainty = serializers.CharField()
    subject = serializers.CharField()
    subject_type = serializers.CharField()
    subject_id = serializers.CharField(allow_null=True)
    local_source = serializers.CharField(allow_blank=True)


class CheckOutputSerializer(serializers.Serializer):
    """The compliance check of a facility as of a date."""

    facility = serializers.IntegerField()
    as_of = serializers.DateField()
    blocking = serializers.BooleanField()
    findings = FindingOutputSerializer(many=True)


# ----------------------------------------------------------------------------- input


class CheckQueryInputSerializer(serializers.Serializer):
    """``?as_of=YYYY-MM-DD`` (default: today, local time), 2000-01-01 … 2100-12-31 as on the page."""

    as_of = serializers.DateField(required=False, input_formats=["%Y-%m-%d"])

    def validate_as_of(self, value):
        from tuoyu.facilities.forms import CHECK_DATE_MAX, CHECK_DATE_MIN

        if value is not None and not CHECK_DATE_MIN <= value <= CHECK_DATE_MAX:
            raise serializers.ValidationError(
                f"{CHECK_DATE_MIN.isoformat()} … {CHECK_DATE_MAX.isoformat()}"
            )
        return value


class FilingActionInputSerializer(serializers.Serializer):
    """A filing transition: ``reason`` (required to return or cancel) and ``expected_version``,
    the facility's ``version`` as the caller last read it — required, so a decision is never
    taken on data the caller has not seen (a stale version is a 409 GEN-003)."""

    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    expected_version = serializers.IntegerField(min_value=0)


class FacilityUpsertInputSerializer(serializers.Serializer):
    """The fields an integration sends for one facility (upsert by source system + external id).

    ``operator``: id of the operating organisation (default: the caller's only own
    organisation); ``sponsors``: ids of sponsoring employers (default: the operator);
    ``division_code``: a county-level code in use; areas in m²; places in children;
    ``services``: service forms with monthly fee in ¥.
    """

    name = serializers.CharField(max_length=200)
    operator = serializers.IntegerField(required=False, min_value=1)
    sponsors = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False,
                                     max_length=20)
    credit_code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    provision_model = serializers.ChoiceField(choices=ProvisionModel.choices)
    address = serializers.CharField(max_length=300)
    division_code = serializers.RegexField(r"^\d{6}$")
    building_area = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0,
                                             required=False, allow_null=True)
    outdoor_area = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0,
                                            required=False, allow_null=True)
    children_floor = serializers.IntegerField(min_value=-5, max_value=100, required=False)
    premises_tenure = serializers.ChoiceField(choices=PremisesTenure.choices, required=False)
    lease_start = serializers.DateField(required=False, allow_null=True)
    lease_end = serializers.DateField(required=False, allow_null=True)
    opening_date = serializers.DateField(required=False, allow_null=True)
    places_infant = serializers.IntegerField(min_value=0, max_value=10000, required=False)
    places_toddler = serializers.IntegerField(min_value=0, max_value=10000, required=False)
    places_older = serializers.IntegerField(min_value=0, max_value=10000, required=False)
    places_mixed = serializers.IntegerField(min_value=0, max_value=10000, required=False)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    services = FacilityServiceSerializer(many=True, required=False)

    def validate_services(self, value):
        """No service form twice."""
        types = [s["service_type"] for s in value]
        if len(types) != len(set(types)):
            raise serializers.ValidationError("duplicate service_type")
        return value



# ----------------------------------------------------------------------------- public


class PublicFacilityOutputSerializer(serializers.Serializer):
    """A filed facility in the public register: published fields only (公示字段).

    Whitelisted field by field; nothing about staff or children, no contact person, no
    credit code. ``lowest_fee`` in ¥ per month; places and free places in children.
    """

    id = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()
    operator_name = serializers.CharField(source="operator.name")
    provision_model = serializers.CharField()
    division_code = serializers.CharField(source="division.code")
    division_name = serializers.CharField(source="division.name")
    province_name = serializers.CharField(source="division.province_name")
    prefecture_name = serializers.CharField(source="division.prefecture_name")
    places_infant = serializers.IntegerField()
    places_toddler = serializers.IntegerField()
    places_older = serializers.IntegerField()
    places_mixed = serializers.IntegerField()
    places = serializers.IntegerField()
    free_places = serializers.IntegerField()
    lowest_fee = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    receipt_number = serializers.CharField()
    filed_on = serializers.DateField(allow_null=True)
    has_unfiled_changes = serializers.BooleanField(
        help_text="True when the data changed after the filing (or last change filing) was "
        "accepted and the change is not yet filed (ADR 0012)."
    )

    def to_representation(self, instance):
        """The declared fields, read directly (same output as the generic field walk, several
        times faster for a page of 50; ADR 0041). ``lowest_fee`` as a string with 2
        decimals (¥), ``filed_on`` as ISO 8601, None stays None."""
        def text(value):
            return None if value is None else str(value)

        division = instance.division
        fee = instance.lowest_fee
        filed_on = instance.filed_on
        fields = self.fields
        return {
            "id": instance.pk,
            "name": text(instance.name),
            "address": text(instance.address),
            "operator_name": text(instance.operator.name),
            "provision_model": text(instance.provision_model),
            "division_code": text(division.code),
            "division_name": text(division.name),
            "province_name": text(division.province_name),
            "prefecture_name": text(division.prefecture_name),
            "places_infant": instance.places_infant,
            "places_toddler": instance.places_toddler,
            "places_older": instance.places_older,
            "places_mixed": instance.places_mixed,
            "places": instance.places,
            "free_places": instance.free_places,
            "lowest_fee": None if fee is None else fields["lowest_fee"].to_representation(fee),
            "receipt_number": text(instance.receipt_number),
            "filed_on": None if filed_on is None else fields["filed_on"].to_representation(filed_on),
            "has_unfiled_changes": bool(instance.has_unfiled_changes),
        }


class PublicFacilityDetailOutputSerializer(PublicFacilityOutputSerializer):
    """A filed facility's public page: the list fields plus its services and monthly fees."""

    services = serializers.SerializerMethodField()

    def to_representation(self, instance):
        """The list fields, then ``services``."""
        data = super().to_representation(instance)
        data["services"] = self.get_services(instance)
        return data

    def get_services(self, obj) -> FacilityServiceSerializer(many=True):  # type: ignore[valid-type]
        """Service forms and monthly fees in ¥, by service type."""
        rows = obj.services.order_by("service_type")
        return FacilityServiceSerializer(rows, many=True).data
