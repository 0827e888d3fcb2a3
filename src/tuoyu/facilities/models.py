"""Facility registry models (托育机构登记) and filing (备案).

No names or ID numbers of children are ever stored: an enrolment carries a birth date
and an opaque reference chosen by the facility.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuoyu.core.identifiers import validate_child_ref
from tuoyu.core.models import ExternalKeyModel, TimeStampedModel
from tuoyu.facilities.choices import (
    ClassType,
    DocumentType,
    Education,
    PremisesTenure,
    ProvisionModel,
    ServiceType,
    StaffRole,
)
from tuoyu.facilities.workflow import FilingStatus

#: Largest building or outdoor area accepted, m² (a sanity bound, not a rule of the standard).
AREA_MAX = Decimal("1000000")
#: Storeys of the children's rooms accepted (1 = ground floor; negative = basement).
FLOOR_MIN, FLOOR_MAX = -5, 100
#: Places (托位) per class type accepted, children.
PLACES_MAX = 10_000
#: Class capacity (额定人数) accepted, children. The standard's caps (设置标准 Art. 19) are
#: far lower and are checked as findings by the standards rules; this is a sanity bound.
CAPACITY_MIN, CAPACITY_MAX = 1, 100
#: Years of relevant experience accepted.
EXPERIENCE_MAX = 60
#: Oldest child accepted at enrolment, in years. Facilities serve children under 3
#: (设置标准 Art. 2); older children may stay until they start kindergarten, so the bound
#: is generous and only catches typing errors.
ENROLMENT_MAX_AGE_YEARS = 6


def _area_validators():
    return [MinValueValidator(Decimal("0")), MaxValueValidator(AREA_MAX)]


def _places_validators():
    return [MaxValueValidator(PLACES_MAX)]


def _years_before(day: date, years: int) -> date:
    """``day`` minus ``years`` calendar years (29 Feb → 28 Feb)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


class Facility(TimeStampedModel, ExternalKeyModel):
    """A childcare facility (托育机构) run or sponsored by one or more employers.

    Units: areas in m²; ``children_floor`` is the storey of the children's rooms (1 =
    ground; negative = basement); places (托位) per class type in children. The filing
    status is the current state of the filing workflow (see ``workflow.py``).
    """

    name = models.CharField(_("机构名称"), max_length=200)
    name_search = models.CharField(max_length=400, blank=True, editable=False, db_index=True)
    operator = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="operated_facilities",
        verbose_name=_("举办/运营单位"),
    )
    sponsors = models.ManyToManyField(
        "accounts.Organization", blank=True, related_name="sponsored_facilities",
        verbose_name=_("举办用人单位"),
    )
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    provision_model = models.CharField(
        _("举办模式"), max_length=20, choices=ProvisionModel.choices
    )
    address = models.CharField(_("地址"), max_length=300)
    division = models.ForeignKey(
        "reference.Division", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("所在县（区）"),
    )
    building_area = models.DecimalField(
        _("建筑面积（㎡）"), max_digits=10, decimal_places=2, null=True, blank=True,
        validators=_area_validators(),
    )
    outdoor_area = models.DecimalField(
        _("户外活动面积（㎡）"), max_digits=10, decimal_places=2, null=True, blank=True,
        validators=_area_validators(),
    )
    children_floor = models.SmallIntegerField(
        _("婴幼儿生活用房所在楼层"), default=1,
        validators=[MinValueValidator(FLOOR_MIN), MaxValueValidator(FLOOR_MAX)],
    )
    premises_tenure = models.CharField(
        _("场地性质"), max_length=10, choices=PremisesTenure.choices, default=PremisesTenure.OWNED
    )
    lease_start = models.DateField(_("租赁起始日"), null=True, blank=True)
    lease_end = models.DateField(_("租赁终止日"), null=True, blank=True)
    opening_date = models.DateField(_("开办日期"), null=True, blank=True)
    places_infant = models.PositiveIntegerField(_("乳儿班托位"), default=0, validators=_places_validators())
    places_toddler = models.PositiveIntegerField(_("托小班托位"), default=0, validators=_places_validators())
    places_older = models.PositiveIntegerField(_("托大班托位"), default=0, validators=_places_validators())
    places_mixed = models.PositiveIntegerField(_("混合编班托位"), default=0, validators=_places_validators())
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    filing_status = models.CharField(
        _("备案状态"), max_length=20, choices=FilingStatus.choices, default=FilingStatus.DRAFT,
        db_index=True,
    )
    receipt_number = models.CharField(_("备案回执编号"), max_length=40, blank=True)
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    filed_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("托育机构")
        verbose_name_plural = _("托育机构")
        constraints = [
            models.CheckConstraint(
                condition=Q(building_area__isnull=True) | Q(building_area__gte=0),
                name="facility_building_area_nonneg",
            ),
            models.CheckConstraint(
                condition=Q(outdoor_area__isnull=True) | Q(outdoor_area__gte=0),
                name="facility_outdoor_area_nonneg",
            ),
            models.CheckConstraint(
                condition=Q(children_floor__gte=FLOOR_MIN) & Q(children_floor__lte=FLOOR_MAX),
                name="facility_children_floor_range",
            ),
            models.CheckConstraint(
                condition=Q(places_infant__lte=PLACES_MAX) & Q(places_toddler__lte=PLACES_MAX)
                & Q(places_older__lte=PLACES_MAX) & Q(places_mixed__lte=PLACES_MAX),
                name="facility_places_range",
            ),
            models.UniqueConstraint(
                fields=["source_system", "external_id"],
                condition=~Q(external_id=""),
                name="facility_external_key_uniq",
            ),
            models.UniqueConstraint(
                fields=["receipt_number"], condition=~Q(receipt_number=""),
                name="facility_receipt_uniq",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Cross-field rule: a lease may not end before it starts (租赁终止日 ≥ 租赁起始日)."""
        super().clean()
        if self.lease_start and self.lease_end and self.lease_end < self.lease_start:
            raise ValidationError(
                {"lease_end": _("租赁终止日不能早于租赁起始日。")}, code="lease_order"
            )

    @property
    def is_filed(self) -> bool:
        """True while a filing is in force: filed, or filed with a change filing pending."""
        return self.filing_status in (FilingStatus.FILED, FilingStatus.CHANGE_SUBMITTED)

    @property
    def has_unfiled_changes(self) -> bool:
        """True when the registry data changed since the filing or last change filing was accepted.

        Every registry edit (facility fields, services and fees, classes, staff, documents;
        not enrolments) of a filed facility bumps ``version``; accepting a filing or a
        change filing sets ``filed_version`` to ``version`` (ADR 0012).
        """
        return self.is_filed and self.version > self.filed_version

    @property
    def total_places(self) -> int:
        """All places (托位) across class types."""
        return self.places_infant + self.places_toddler + self.places_older + self.places_mixed


class FacilityService(models.Model):
    """A service form a facility offers and its monthly fee in ¥ (收费标准, per child per month)."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="services")
    service_type = models.CharField(_("服务形式"), max_length=12, choices=ServiceType.choices)
    monthly_fee = models.DecimalField(
        _("月收费（元）"), max_digits=10, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["facility_id", "service_type"]
        verbose_name = _("服务形式")
        verbose_name_plural = _("服务形式")
        constraints = [
            models.UniqueConstraint(fields=["facility", "service_type"], name="facility_service_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_type_display()} {self.monthly_fee or ''}".strip()


class FacilityClass(TimeStampedModel, ExternalKeyModel):
    """A class (班级) of one class type with a capacity (children)."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="classes")
    name = models.CharField(_("班级名称"), max_length=100)
    class_type = models.CharField(_("班型"), max_length=10, choices=ClassType.choices)
    capacity = models.PositiveIntegerField(
        _("额定人数"),
        validators=[MinValueValidator(CAPACITY_MIN), MaxValueValidator(CAPACITY_MAX)],
    )

    class Meta:
        ordering = ["facility_id", "name", "id"]
        verbose_name = _("班级")
        verbose_name_plural = _("班级")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=CAPACITY_MIN),
                                   name="facility_class_capacity_min"),
            models.UniqueConstraint(fields=["facility", "name"], name="facility_class_name_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_class_type_display()})"


class StaffMember(TimeStampedModel, ExternalKeyModel):
    """A member of staff (工作人员) with post, qualification and certificate dates.

    Personal data: shown only to the facility's own users and officials with jurisdiction;
    reads by officials are logged. Never published.
    """

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="staff")
    name = models.CharField(_("姓名"), max_length=100)
    role = models.CharField(_("岗位"), max_length=20, choices=StaffRole.choices)
    education = models.CharField(_("学历"), max_length=20, choices=Education.choices, blank=True)
    qualification = models.CharField(_("资格证书"), max_length=200, blank=True)
    years_experience = models.PositiveSmallIntegerField(
        _("相关工作年限"), default=0, validators=[MaxValueValidator(EXPERIENCE_MAX)]
    )
    trained = models.BooleanField(_("已完成岗位培训"), default=False)
    health_certificate_expiry = models.DateField(_("健康证有效期至"), null=True, blank=True)
    no_criminal_record = models.BooleanField(_("无犯罪记录证明"), default=False)
    full_time = models.BooleanField(_("专职"), default=True)
    start_date = models.DateField(_("入职日期"), null=True, blank=True)
    end_date = models.DateField(_("离职日期"), null=True, blank=True)
    assigned_class = models.ForeignKey(
        FacilityClass, null=True, blank=True, on_delete=models.SET_NULL, related_name="carers",
        verbose_name=_("所在班级"),
    )

    class Meta:
        ordering = ["facility_id", "role", "name", "id"]
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    def clean(self) -> None:
        """Cross-field rule: the end date (离职日期) may not be before the start date."""
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("离职日期不能早于入职日期。")}, code="staff_dates"
            )


class Enrolment(TimeStampedModel, ExternalKeyModel):
    """A child's enrolment (在托婴幼儿): birth date and dates only, never a name or ID number.

    ``child_ref`` is an opaque reference chosen by the facility. Class moves are
    :class:`ClassPlacement` rows.
    """

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="enrolments")
    child_ref = models.CharField(_("婴幼儿编号"), max_length=40, validators=[validate_child_ref])
    birth_date = models.DateField(_("出生日期"))
    enrolled_on = models.DateField(_("入托日期"))
    left_on = models.DateField(_("离托日期"), null=True, blank=True)
    service_type = models.CharField(
        _("服务形式"), max_length=12, choices=ServiceType.choices, default=ServiceType.FULL_DAY
    )
    employee_child = models.BooleanField(_("本单位职工子女"), default=True)

    class Meta:
        ordering = ["facility_id", "enrolled_on", "id"]
        verbose_name = _("在托婴幼儿")
        verbose_name_plural = _("在托婴幼儿")
        constraints = [
            models.UniqueConstraint(fields=["facility", "child_ref"], name="enrolment_ref_uniq"),
        ]

    def clean(self) -> None:
        """Cross-field rules on the dates (出生日期, 入托日期, 离托日期).

        The child must be born on or before the enrolment date, and at most
        ``ENROLMENT_MAX_AGE_YEARS`` (6) years before it: facilities serve children under 3
        (设置标准 Art. 2), so an older birth date is a typing error. The leaving date may
        not be before the enrolment date.
        """
        super().clean()
        if self.birth_date and self.enrolled_on:
            if self.birth_date > self.enrolled_on:
                raise ValidationError(
                    {"birth_date": _("出生日期不能晚于入托日期。")}, code="born_after_enrolment"
                )
            if self.birth_date < _years_before(self.enrolled_on, ENROLMENT_MAX_AGE_YEARS):
                raise ValidationError(
                    {"birth_date": _(
                        "出生日期早于入托日期%(years)d年以上：托育机构服务3岁以下婴幼儿，请检查出生日期。"
                    ) % {"years": ENROLMENT_MAX_AGE_YEARS}},
                    code="too_old",
                )
        if self.left_on and self.enrolled_on and self.left_on < self.enrolled_on:
            raise ValidationError({"left_on": _("离托日期不能早于入托日期。")}, code="left_order")


class ClassPlacement(models.Model):
    """A child's time in one class, from ``start`` to ``end`` (exclusive; None = current)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="placements")
    facility_class = models.ForeignKey(
        FacilityClass, on_delete=models.CASCADE, related_name="placements"
    )
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        ordering = ["enrolment_id", "start"]

    def __str__(self) -> str:
        return f"{self.enrolment_id} → {self.facility_class_id} [{self.start}, {self.end or '…'})"


class FilingDocument(TimeStampedModel):
    """A document uploaded for filing (备案材料), checked by type and size on upload."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(_("材料类型"), max_length=20, choices=DocumentType.choices)
    file = models.FileField(_("文件"), upload_to="filing/%Y/%m/", blank=True)
    reference = models.CharField(_("证书编号/说明"), max_length=200, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["facility_id", "doc_type", "id"]


class FilingEvent(models.Model):
    """One step of the filing workflow (备案流程记录), append-only.

    ``deadline`` is the date (inclusive) by which the health commission must act, counted
    in working days; ``deadline_provisional`` is True when the count ran through a year whose
    holiday calendar was not yet known.
    """

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="filing_events")
    action = models.CharField(_("操作"), max_length=30)
    from_status = models.CharField(max_length=20, choices=FilingStatus.choices)
    to_status = models.CharField(max_length=20, choices=FilingStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("理由/说明"), blank=True)
    receipt_number = models.CharField(max_length=40, blank=True)
    deadline = models.DateField(_("办理时限"), null=True, blank=True)
    deadline_provisional = models.BooleanField(default=False)

    class Meta:
        ordering = ["facility_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"
