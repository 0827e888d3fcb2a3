"""Output serializers of the supervision API: annual reports (年报), inspections (检查) and
rectification orders (整改通知). Read-only: there are no input serializers.

They only read instances prepared by the supervision selectors and whitelist, field by
field, what the pages show the same user — never a name of a child or a member of staff,
never a user (inspectors, officers, who answered an item or took an action), never an
evidence file (ADR 0096). Money is a string in ¥ with two decimals; dates are local
(Asia/Shanghai) dates; a deadline is inclusive to 23:59:59 local time.
"""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from tuoyu.supervision.models import (
    AnnualReport,
    AnnualReportEnrolment,
    AnnualReportEvent,
    AnnualReportFee,
    AnnualReportStaff,
    Inspection,
    InspectionItem,
    RectificationEscalation,
    RectificationEvent,
    RectificationOrder,
)
from tuoyu.supervision.rectification import rectification_order_overdue
from tuoyu.supervision.workflow import RectificationStatus


class FacilityFields(serializers.Serializer):
    """The facility a record is about: ``facility`` (id), ``facility_name``,
    ``division_code`` and ``division_name`` (its county). Mixed into a ModelSerializer
    whose model has a ``facility`` foreign key; the queryset should join
    ``facility__division``. Shared with the alerts API."""

    facility = serializers.IntegerField(source="facility_id")
    facility_name = serializers.CharField(source="facility.name")
    division_code = serializers.CharField(source="facility.division.code")
    division_name = serializers.CharField(source="facility.division.name")


# ----------------------------------------------------------------------------- annual reports


class AnnualReportEnrolmentOutputSerializer(serializers.ModelSerializer):
    """Children enrolled in one class type on the last day of one month (月末在托人数);
    ``children`` null = not filled in."""

    class Meta:
        model = AnnualReportEnrolment
        fields = ("class_type", "month", "children")


class AnnualReportStaffOutputSerializer(serializers.ModelSerializer):
    """Staff of one role in post at the year's end: how many, how many trained, how many
    with a health certificate valid on 31 December (counts only; null = not filled in)."""

    class Meta:
        model = AnnualReportStaff
        fields = ("role", "count", "trained", "health_certificate_valid")


class AnnualReportFeeOutputSerializer(serializers.ModelSerializer):
    """The monthly fee of one service form in ¥ per child (null = not filled in)."""

    class Meta:
        model = AnnualReportFee
        fields = ("service_type", "monthly_fee")


class AnnualReportEventOutputSerializer(serializers.ModelSerializer):
    """One entry of a report's history (年报记录): action, statuses, note and time; the
    person who acted is not exposed."""

    class Meta:
        model = AnnualReportEvent
        fields = ("action", "from_status", "to_status", "note", "created_at")


class AnnualReportOutputSerializer(FacilityFields, serializers.ModelSerializer):
    """An annual report (年报) with its figures and status.

    ``deadline``: the report's deadline (inclusive); ``first_submitted_on``: local date of
    the first submission, ``late`` when after the deadline; ``officer_note``: the reason of
    the latest return or the note of acceptance. Figures: ``enrolment`` (class type ×
    month), ``staff`` (by role), ``fees`` (by service form, ¥ a month), ``incidents_count``
    and ``incidents_summary``, ``income`` and ``spending`` (¥ for the year),
    ``complaints_count``; null = not filled in.
    """

    enrolment = AnnualReportEnrolmentOutputSerializer(many=True)
    staff = AnnualReportStaffOutputSerializer(many=True)
    fees = AnnualReportFeeOutputSerializer(many=True)
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = AnnualReport
        fields = (
            "id", "facility", "facility_name", "division_code", "division_name", "year",
            "status", "deadline", "first_submitted_on", "submitted_at", "late",
            "reviewed_at", "officer_note", "incidents_count", "incidents_summary", "income",
            "spending", "complaints_count", "enrolment", "staff", "fees", "version", "page_url",
        )

    def get_page_url(self, obj) -> str:
        """Path of the report's page."""
        return reverse("supervision:annual_report_detail", args=[obj.pk])


class AnnualReportDetailOutputSerializer(AnnualReportOutputSerializer):
    """An annual report as in the list, plus its history, oldest first."""

    history = AnnualReportEventOutputSerializer(source="events", many=True)

    class Meta(AnnualReportOutputSerializer.Meta):
        fields = (*AnnualReportOutputSerializer.Meta.fields, "history")


# ----------------------------------------------------------------------------- rectification


class LadderStepOutputSerializer(serializers.ModelSerializer):
    """A compliance-ladder step taken on an overdue order (逾期处理): the step, the local
    date it was taken, the deadline that had passed, the reason, and whether the filing
    was changed."""

    class Meta:
        model = RectificationEscalation
        fields = ("step", "taken_on", "deadline_missed", "reason", "filing_action_taken")


class RectificationEventOutputSerializer(serializers.ModelSerializer):
    """One entry of an order's history (整改记录): action, statuses, note, the deadline set
    by it (issue, reopen) and the time; the person who acted is not exposed."""

    class Meta:
        model = RectificationEvent
        fields = ("action", "from_status", "to_status", "note", "deadline", "created_at")


class RectificationItemOutputSerializer(serializers.ModelSerializer):
    """A checklist item the order asks to put right (整改事项), with the inspector's note."""

    class Meta:
        model = InspectionItem
        fields = ("id", "position", "code", "title_zh", "title_en", "reference", "notes")


class RectificationOrderOutputSerializer(FacilityFields, serializers.ModelSerializer):
    """A rectification order (整改通知): status, deadline and the compliance ladder.

    ``deadline`` is ``deadline_working_days`` working days after ``deadline_from``
    (inclusive; ``deadline_provisional`` when the count ran into a year whose holiday
    calendar is not published); ``overdue``: still ``issued`` after the deadline today;
    ``ladder_step``: the highest step taken ('' none) and ``ladder`` every step taken,
    oldest first.
    """

    inspection = serializers.IntegerField(source="inspection_id")
    overdue = serializers.SerializerMethodField()
    ladder = LadderStepOutputSerializer(source="escalations", many=True)
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = RectificationOrder
        fields = (
            "id", "inspection", "facility", "facility_name", "division_code", "division_name",
            "status", "issued_on", "deadline_from", "deadline_working_days", "deadline",
            "deadline_provisional", "overdue", "ladder_step", "ladder", "required_evidence",
            "responded_at", "version", "page_url",
        )

    def get_overdue(self, obj) -> bool:
        """Still issued after the deadline on the request's local date."""
        return rectification_order_overdue(obj, self.context["today"])

    def get_page_url(self, obj) -> str:
        """Path of the order's page."""
        return reverse("supervision:rectification_detail", args=[obj.pk])


class RectificationOrderDetailOutputSerializer(RectificationOrderOutputSerializer):
    """A rectification order as in the list, plus the items to put right, the facility's
    latest response, the inspector's latest note and the history, oldest first. Evidence
    files are not exposed (they stay on the order's page, ADR 0092)."""

    items = RectificationItemOutputSerializer(many=True)
    history = RectificationEventOutputSerializer(source="events", many=True)

    class Meta(RectificationOrderOutputSerializer.Meta):
        fields = (
            *RectificationOrderOutputSerializer.Meta.fields,
            "items", "response_text", "verification_note", "history",
        )


# ----------------------------------------------------------------------------- inspections


class InspectionRectificationOutputSerializer(serializers.Serializer):
    """The rectification order of an inspection in brief (its ``id`` leads to
    ``supervision/rectifications/{id}/``)."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=RectificationStatus.choices)
    deadline = serializers.DateField()
    overdue = serializers.SerializerMethodField()
    ladder_step = serializers.CharField()

    def get_overdue(self, obj) -> bool:
        """Still issued after the deadline on the request's local date."""
        return rectification_order_overdue(obj, self.context["today"])


class InspectionItemOutputSerializer(serializers.ModelSerializer):
    """A checklist item (检查项) and its result: ``result`` '' = not answered yet;
    ``certainty`` the rule's reliability grade; ``notes`` the inspector's note."""

    class Meta:
        model = InspectionItem
        fields = (
            "id", "position", "source", "code", "title_zh", "title_en", "reference",
            "certainty", "result", "notes",
        )


class InspectionOutputSerializer(FacilityFields, serializers.ModelSerializer):
    """An inspection (检查) and its result.

    ``origin``: double-random draw, ad hoc or complaint (``draw`` the draw's id, ``reason``
    why an ad hoc inspection takes place); ``organization``: the responsible health
    commission. Closed: ``closed_on``, ``findings_count`` (items not met),
    ``published_on`` (the day the result becomes public) and ``rectification`` (null when
    nothing was found). Inspectors are not exposed.
    """

    organization = serializers.IntegerField(source="organization_id")
    organization_name = serializers.CharField(source="organization.name")
    rectification = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = (
            "id", "facility", "facility_name", "division_code", "division_name",
            "organization", "organization_name", "origin", "draw", "reason", "visit_date",
            "status", "closed_on", "findings_count", "published_on",
            "publication_provisional", "rectification", "page_url",
        )

    def get_rectification(self, obj) -> InspectionRectificationOutputSerializer(allow_null=True):  # type: ignore[valid-type]
        """The order in brief, or null (read through the reverse one-to-one)."""
        order = getattr(obj, "rectification", None)
        if order is None:
            return None
        return InspectionRectificationOutputSerializer(order, context=self.context).data

    def get_page_url(self, obj) -> str:
        """Path of the inspection's page."""
        return reverse("supervision:inspection_detail", args=[obj.pk])


class InspectionDetailOutputSerializer(InspectionOutputSerializer):
    """An inspection as in the list, plus its checklist with the results, in order.
    Evidence files are not exposed."""

    items = InspectionItemOutputSerializer(many=True)

    class Meta(InspectionOutputSerializer.Meta):
        fields = (*InspectionOutputSerializer.Meta.fields, "items")
