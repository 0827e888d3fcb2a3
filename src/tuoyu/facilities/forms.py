"""Forms of the facilities pages: parse and validate input only; services do the writing.

Plain forms built from the model fields (``fields_for_model``) rather than ModelForms, so
that validating a form never touches a model instance the service is about to change.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from tuoyu.core.errors import DomainError
from tuoyu.facilities.choices import ServiceType
from tuoyu.facilities.errors import FIL_FEE_WITHOUT_SERVICE
from tuoyu.facilities.models import (
    Enrolment,
    Facility,
    FacilityClass,
    FilingDocument,
    StaffMember,
)
from tuoyu.facilities.workflow import FilingStatus
from tuoyu.reference.selectors import division_get_active

FACILITY_FORM_FIELDS = [
    "name", "credit_code", "provision_model", "address", "building_area", "outdoor_area",
    "children_floor", "premises_tenure", "lease_start", "lease_end", "opening_date",
    "places_infant", "places_toddler", "places_older", "places_mixed", "contact_phone",
]
DATE_FIELDS = {"lease_start", "lease_end", "opening_date", "health_certificate_expiry",
               "start_date", "end_date", "birth_date", "enrolled_on", "valid_until"}
CLASS_FORM_FIELDS = ["name", "class_type", "capacity"]
STAFF_FORM_FIELDS = [
    "name", "role", "education", "qualification", "years_experience", "trained",
    "health_certificate_expiry", "no_criminal_record", "full_time", "start_date", "end_date",
    "assigned_class",
]


#: Longest credit code the form takes as typed (hyphens and spaces allowed; the service
#: normalises to the 18-character code).
CREDIT_CODE_INPUT_MAX = 30
#: Dates a compliance check may be run as of (the rule table covers this window).
CHECK_DATE_MIN, CHECK_DATE_MAX = date(2000, 1, 1), date(2100, 12, 31)
#: Form fields named differently from the model field a service error names.
SERVICE_FIELD_TO_FORM_FIELD = {"division": "division_code"}


class DateInput(forms.DateInput):
    """A native date picker (works without JavaScript); ISO format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _model_fields(model, names):
    """Form fields for ``names`` of ``model``, carrying the model's declared value limits.

    The model's own Min/MaxValueValidators (e.g. places 0 … 10,000) are added to the form
    field and to the input's ``min``/``max``, so a page refuses what the model refuses,
    on the field, before any service is called.
    """
    widgets = {n: DateInput() for n in names if n in DATE_FIELDS}
    fields = fields_for_model(model, fields=names, widgets=widgets)
    for name, form_field in fields.items():
        for validator in model._meta.get_field(name)._validators:
            if isinstance(validator, (MinValueValidator, MaxValueValidator)):
                form_field.validators.append(validator)
                attr = "min" if isinstance(validator, MinValueValidator) else "max"
                form_field.widget.attrs[attr] = str(validator.limit_value)
    return fields


def service_field_names() -> list[tuple[str, str, str]]:
    """(service type, checkbox field name, fee field name) for each service form."""
    return [(t.value, f"service_{t.value}", f"fee_{t.value}") for t in ServiceType]


class FacilityForm(forms.Form):
    """Facility fields, county code, and the service forms with monthly fees (¥)."""

    def __init__(self, *args, organizations=None, facility=None, **kwargs):
        if facility is not None and "initial" not in kwargs:
            initial = model_to_dict(facility, fields=FACILITY_FORM_FIELDS)
            initial["division_code"] = facility.division.code
            for service in facility.services.all():
                initial[f"service_{service.service_type}"] = True
                initial[f"fee_{service.service_type}"] = service.monthly_fee
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        if organizations is not None:
            from tuoyu.accounts.models import Organization

            qs = Organization.objects.filter(pk__in=[o.pk for o in organizations]).order_by("name")
            self.fields["operator"] = forms.ModelChoiceField(
                queryset=qs, label=_("举办/运营单位"), initial=qs.first()
            )
            self.fields["sponsors"] = forms.ModelMultipleChoiceField(
                queryset=qs, required=False, label=_("举办用人单位"),
                widget=forms.CheckboxSelectMultiple,
            )
        self.fields.update(_model_fields(Facility, FACILITY_FORM_FIELDS))
        # The import accepts credit codes typed with hyphens or spaces; the service
        # normalises them to 18 characters, so the form lets them be typed too.
        self.fields["credit_code"].max_length = CREDIT_CODE_INPUT_MAX
        self.fields["credit_code"].widget.attrs["maxlength"] = str(CREDIT_CODE_INPUT_MAX)
        self.fields["credit_code"].validators = [
            v for v in self.fields["credit_code"].validators
            if not isinstance(v, MaxLengthValidator)
        ] + [MaxLengthValidator(CREDIT_CODE_INPUT_MAX)]
        self.fields["division_code"] = forms.CharField(
            label=_("所在县（区）行政区划代码"), max_length=12,
            help_text=_("6位代码，例如 110108（北京市海淀区）"),
        )
        for service_type, check_name, fee_name in service_field_names():
            label = ServiceType(service_type).label
            self.fields[check_name] = forms.BooleanField(required=False, label=label)
            self.fields[fee_name] = forms.DecimalField(
                required=False, min_value=0, max_digits=10, decimal_places=2,
                label=_("%(service)s月收费（元）") % {"service": label},
            )

    def clean(self):
        """A fee for a service form that is not ticked is an error on that fee (FIL-014)."""
        cleaned = super().clean()
        for service_type, check_name, fee_name in service_field_names():
            if cleaned.get(fee_name) is not None and not cleaned.get(check_name):
                self.add_error(fee_name, DomainError(
                    FIL_FEE_WITHOUT_SERVICE, params={"service": str(ServiceType(service_type).label)}
                ).message)
        return cleaned

    def clean_division_code(self):
        code = self.cleaned_data["division_code"]
        try:
            self.cleaned_data["division"] = division_get_active(code)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None
        return code

    def facility_fields(self) -> dict:
        """The cleaned facility fields for ``facility_create``/``facility_update``."""
        data = {name: self.cleaned_data[name] for name in FACILITY_FORM_FIELDS}
        data["division"] = self.cleaned_data["division"]
        return data

    def services(self) -> dict:
        """{service type: monthly fee (Decimal ¥) or None} for the ticked service forms."""
        return {
            service_type: self.cleaned_data.get(fee_name)
            for service_type, check_name, fee_name in service_field_names()
            if self.cleaned_data.get(check_name)
        }

    def service_rows(self):
        """(checkbox bound field, fee bound field) pairs, for the template."""
        return [(self[c], self[f]) for _t, c, f in service_field_names()]

    def main_fields(self):
        """Bound fields other than the service forms, in display order."""
        skip = {n for _t, c, f in service_field_names() for n in (c, f)}
        order = ["operator", "sponsors", "name", "division_code"]
        names = [n for n in order if n in self.fields]
        names += [n for n in self.fields if n not in skip and n not in names]
        return [self[n] for n in names]


class ClassForm(forms.Form):
    """A class (班级): name, class type, capacity (children)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_model_fields(FacilityClass, CLASS_FORM_FIELDS))


class StaffForm(forms.Form):
    """A staff member (工作人员); the class choice is limited to the facility's classes."""

    def __init__(self, *args, facility, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_model_fields(StaffMember, STAFF_FORM_FIELDS))
        self.fields["assigned_class"].queryset = facility.classes.all()


class EnrolmentForm(forms.Form):
    """An enrolment (入托登记): birth date and dates only — no name, no ID number."""

    def __init__(self, *args, facility, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_model_fields(
            Enrolment, ["child_ref", "birth_date", "enrolled_on", "service_type", "employee_child"]
        ))
        self.fields["child_ref"].required = False
        self.fields["child_ref"].help_text = _("机构内部编号，可留空自动生成；请勿填写姓名或证件号")
        self.fields["facility_class"] = forms.ModelChoiceField(
            queryset=facility.classes.all(), required=False, label=_("班级")
        )


class MoveForm(forms.Form):
    """Move a child to another class (转班) from a date."""

    def __init__(self, *args, facility, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_class"] = forms.ModelChoiceField(
            queryset=facility.classes.all(), label=_("转入班级")
        )
        self.fields["on"] = forms.DateField(label=_("转班日期"), widget=DateInput())


class LeaveForm(forms.Form):
    """A child leaves (离托) on a date."""

    on = forms.DateField(label=_("离托日期"), widget=DateInput())


class DocumentForm(forms.Form):
    """A filing document (备案材料): type, optional file (PDF/JPEG/PNG ≤ 10 MiB), reference."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_model_fields(FilingDocument, ["doc_type", "file", "reference",
                                                          "valid_until"]))
        self.fields["file"].required = False


class ReasonForm(forms.Form):
    """A reason (理由) for returning, cancelling or changing a filing."""

    reason = forms.CharField(
        label=_("理由"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        max_length=2000,
        error_messages={"max_length": _(
            "理由过长：最多 %(limit_value)d 个字符，当前 %(show_value)d 个。"
        )},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SanctionForm(ReasonForm):
    """A regulatory measure's reason (监管措施理由) and the ladder step that prompted it, if any.

    ``escalation``: the pk of a ``RectificationEscalation`` (逾期处理记录) from the
    supervision page's link; blank when the commission acts on its own motion.
    """

    escalation = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class CheckForm(forms.Form):
    """The date a compliance check is run as of (default: today)."""

    as_of = forms.DateField(
        label=_("检查日期"), required=False, widget=DateInput(),
        validators=[MinValueValidator(CHECK_DATE_MIN), MaxValueValidator(CHECK_DATE_MAX)],
        help_text=_("2000-01-01 至 2100-12-31 之间的日期"),
    )


class ProvinceField(forms.ChoiceField):
    """A province choice that takes the 2-digit prefix (``11``) or the 6-digit code (``110000``)."""

    def to_python(self, value):
        """The 2-digit prefix of a 6-digit province code; other input unchanged."""
        from tuoyu.facilities.selectors import province_prefix

        value = super().to_python(value)
        return province_prefix(value) or value


class FacilityFilterForm(forms.Form):
    """Filters of the facility list (and of its export): name, filing status, county prefix."""

    q = forms.CharField(label=_("机构名称"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("备案状态"), required=False)
    county = forms.RegexField(label=_("行政区划代码（前缀）"), required=False, regex=r"^\d{1,6}$",
                              max_length=6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("全部")), *FilingStatus.choices]
