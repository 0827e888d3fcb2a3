"""Forms of the survey pages: parse and validate input only; services do the writing."""

from __future__ import annotations

import csv
import io
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from tuoyu.core.dates import local_today
from tuoyu.core.errors import DomainError
from tuoyu.facilities.choices import ServiceType
from tuoyu.surveys.choices import CareArrangement, FeeBand, QuestionKind, WouldUse
from tuoyu.surveys.dates import DATE_MAX, DATE_MIN, date_in_bounds
from tuoyu.surveys.errors import SUR_QUESTION_NO_TEXT
from tuoyu.surveys.models import COMMUTE_MAX_MINUTES, DAYS_PER_WEEK_MAX, DAYS_PER_WEEK_MIN
from tuoyu.surveys.services import (
    MAX_CHILDREN,
    TEXT_ANSWER_MAX,
    AnswerData,
    ChildEntry,
    QuestionSpec,
    children_errors,
    max_days,
)

#: Empty rows offered without JavaScript: children under 3, expected births, extra questions.
CHILD_ROWS = 4
EXPECTED_ROWS = 2
QUESTION_ROWS = 5
#: Largest label file accepted, bytes (5,000 labels of 100 characters fit easily).
LABEL_FILE_MAX_BYTES = 1024 * 1024


class DateInput(forms.DateInput):
    """A native date picker (works without JavaScript); ISO format, limited to
    2000-01-01…2100-12-31 (``min``/``max``; the form checks it again)."""

    input_type = "date"

    def __init__(self, attrs=None):
        attrs = {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat(), **(attrs or {})}
        super().__init__(attrs, format="%Y-%m-%d")


class MonthField(forms.CharField):
    """A month typed as ``YYYY-MM`` (a native month picker where the browser has one).

    Cleans to the 1st of the month (``date``) or None when blank.
    """

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2025-06", "inputmode": "numeric"})

    def to_python(self, value):
        text = (super().to_python(value) or "").strip().replace("/", "-").replace(".", "-")
        if not text:
            return None
        try:
            year, month = (int(p) for p in text.split("-")[:2])
            return date(year, month, 1)
        except (TypeError, ValueError):
            raise forms.ValidationError(
                _("月份格式无效：%(value)s（应为YYYY-MM）。"), params={"value": text}, code="month"
            ) from None


class NoSuffixForm(forms.Form):
    """A form whose labels end without Django's ASCII ":" (the label text stands alone,
    as in Chinese and English forms alike)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SurveyForm(NoSuffixForm):
    """A survey's title, period, staff count and up to five extra questions (rows q1…q5).

    Each question row: text, kind, options (one per line, for choice questions), required.
    A row with options or "required" but no text is an error (SUR-029), not dropped.
    Dates must lie within 2000-01-01…2100-12-31 and the period may not exceed
    ``TUOYU_SURVEY_MAX_DAYS`` days (default 366).
    """


    employer = forms.TypedChoiceField(label=_("用人单位"), coerce=int)
    title = forms.CharField(label=_("标题"), max_length=200,
                            initial=_("职工托育服务需求调查"))
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    opens_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    closes_on = forms.DateField(label=_("截止日期"), widget=DateInput())
    staff_count = forms.IntegerField(
        label=_("调查职工人数"), required=False, min_value=1, max_value=10_000_000,
        help_text=_("用于计算回收率；已生成个人链接时以链接数为准。"),
    )

    def __init__(self, *args, employers=(), with_questions=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].choices = [(e.pk, e.name) for e in employers]
        if len(employers) == 1:
            self.fields["employer"].initial = employers[0].pk
        self.with_questions = with_questions
        if with_questions:
            for i in range(1, QUESTION_ROWS + 1):
                self.fields[f"q{i}_text"] = forms.CharField(
                    label=_("附加问题%(n)s") % {"n": i}, max_length=300, required=False)
                self.fields[f"q{i}_kind"] = forms.ChoiceField(
                    label=_("题型"), choices=QuestionKind.choices, initial=QuestionKind.TEXT,
                    required=False)
                self.fields[f"q{i}_choices"] = forms.CharField(
                    label=_("选项（每行一个）"), required=False,
                    widget=forms.Textarea(attrs={"rows": 3}))
                self.fields[f"q{i}_required"] = forms.BooleanField(label=_("必答"), required=False)

    def question_rows(self):
        """The question fields grouped per row: list of (text, kind, choices, required) bound fields."""
        return [
            (self[f"q{i}_text"], self[f"q{i}_kind"], self[f"q{i}_choices"], self[f"q{i}_required"])
            for i in range(1, QUESTION_ROWS + 1)
        ] if self.with_questions else []

    def main_fields(self):
        """Bound fields of the survey itself (not the question rows)."""
        return [self[n] for n in ("employer", "title", "description", "opens_on", "closes_on", "staff_count")]

    def clean(self):
        data = super().clean()
        for name in ("opens_on", "closes_on"):
            day = data.get(name)
            if day and not date_in_bounds(day):
                self.add_error(name, _("日期须在%(first)s至%(last)s之间。") % {
                    "first": DATE_MIN.isoformat(), "last": DATE_MAX.isoformat()})
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("截止日期不能早于开始日期。"))
        elif opens and closes and (closes - opens).days > max_days():
            self.add_error("closes_on", _("调查期限不能超过%(days)s天。") % {"days": max_days()})
        for i in range(1, QUESTION_ROWS + 1) if self.with_questions else ():
            text = (data.get(f"q{i}_text") or "").strip()
            if not text and ((data.get(f"q{i}_choices") or "").strip() or data.get(f"q{i}_required")):
                self.add_error(f"q{i}_text", DomainError(SUR_QUESTION_NO_TEXT, params={"position": i}).message)
        return data

    def questions(self) -> list[QuestionSpec]:
        """The filled-in question rows as QuestionSpec (blank rows skipped)."""
        specs = []
        for i in range(1, QUESTION_ROWS + 1):
            text = (self.cleaned_data.get(f"q{i}_text") or "").strip()
            if not text:
                continue
            specs.append(QuestionSpec(
                text=text, kind=self.cleaned_data.get(f"q{i}_kind") or QuestionKind.TEXT,
                choices=tuple((self.cleaned_data.get(f"q{i}_choices") or "").splitlines()),
                required=bool(self.cleaned_data.get(f"q{i}_required")),
            ))
        return specs

    @staticmethod
    def initial_for(survey) -> dict:
        """Initial form values from a stored survey and its questions."""
        initial = {
            "employer": survey.employer_id, "title": survey.title, "description": survey.description,
            "opens_on": survey.opens_on, "closes_on": survey.closes_on, "staff_count": survey.staff_count,
        }
        for q in survey.questions.all():
            if q.position <= QUESTION_ROWS:
                initial.update({
                    f"q{q.position}_text": q.text, f"q{q.position}_kind": q.kind,
                    f"q{q.position}_choices": "\n".join(q.choices), f"q{q.position}_required": q.required,
                })
        return initial


class LinksForm(NoSuffixForm):
    """Labels for personal links: pasted (one per line) and/or a .txt/.csv/.xlsx file (first
    column; an XLSX is read with the facility import's reader and its zip-bomb guard)."""


    labels = forms.CharField(
        label=_("标识（每行一个工号或部门，请勿填写姓名）"), required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    file = forms.FileField(label=_("或上传文本、CSV或XLSX文件（第一列为标识）"), required=False)

    def clean(self):
        data = super().clean()
        text = data.get("labels") or ""
        upload = data.get("file")
        if upload:
            if upload.size > LABEL_FILE_MAX_BYTES:
                raise forms.ValidationError(_("文件过大（最大1 MB）。"))
            raw = upload.read()
            if raw.startswith(b"PK\x03\x04") or (upload.name or "").lower().endswith((".xlsx", ".xlsm")):
                data["text"] = "\n".join([text, *_xlsx_first_column(raw)])
                return data
            try:
                from tuoyu.facilities.importing.reading import detect_encoding

                decoded = raw.decode(detect_encoding(raw))
            except (DomainError, UnicodeDecodeError, LookupError):
                raise forms.ValidationError(_("无法识别文件编码，请保存为UTF-8或GB18030文本。")) from None
            rows = csv.reader(io.StringIO(decoded))
            text = "\n".join([text, *[(r[0] if r else "") for r in rows]])
        data["text"] = text
        return data


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_first_column(raw: bytes) -> list[str]:
    """The first column of the first sheet of an XLSX staff list (header row included; the
    label parser skips a header word). Raises ``forms.ValidationError`` with the reader's
    message when the workbook cannot be read (not a workbook, zip bomb, too many rows)."""
    import tempfile

    from tuoyu.facilities.importing.reading import open_import_file

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        tmp.write(raw)
        tmp.flush()
        try:
            opened = open_import_file(tmp.name)
            cells = [opened.headers[0] if opened.headers else None]
            cells += [row[0] if row else None for _number, row in opened.rows]
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None
    return [_cell_text(c) for c in cells]


class ConsentForm(NoSuffixForm):
    """The consent checkbox shown under the privacy notice."""

    consent = forms.BooleanField(
        label=_("我已阅读上述说明，同意提供以上信息用于本次调查"), required=True,
        error_messages={"required": _("请先阅读个人信息保护说明并同意后再答题。")},
    )


class AnswerForm(NoSuffixForm):
    """The standard questionnaire plus the survey's extra questions.

    Children: ``CHILD_ROWS`` birth-month rows and ``EXPECTED_ROWS`` due-month rows (enough
    without JavaScript; more rows appear when a submitted form had more). Every birth and
    due month is checked against ``answered_on`` (local date, default today) with the
    service rules, and each error is shown next to its own row, all at once. With
    ``honeypot`` (open link) a field people do not see is added; bots fill it in.
    """


    current_care = forms.ChoiceField(
        label=_("孩子目前主要由谁照料？"), choices=CareArrangement.choices, required=False,
        widget=forms.RadioSelect,
    )
    wanted_services = forms.MultipleChoiceField(
        label=_("您需要哪些托育服务？（可多选）"), choices=ServiceType.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    days_per_week = forms.IntegerField(
        label=_("每周需要几天？"), required=False, min_value=DAYS_PER_WEEK_MIN, max_value=DAYS_PER_WEEK_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    hours_from = forms.TimeField(label=_("每天从几点"), required=False,
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    hours_to = forms.TimeField(label=_("到几点"), required=False,
                               widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    fee_band = forms.ChoiceField(
        label=_("每月愿意支付的托育费用"), choices=FeeBand.choices, required=False, widget=forms.RadioSelect,
    )
    would_use = forms.ChoiceField(
        label=_("如单位提供托育服务，您是否会使用？"), choices=WouldUse.choices, widget=forms.RadioSelect,
    )
    commute_minutes = forms.IntegerField(
        label=_("单程通勤时间（分钟）"), required=False, min_value=0, max_value=COMMUTE_MAX_MINUTES,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, questions=(), honeypot=False, child_rows=CHILD_ROWS,
                 expected_rows=EXPECTED_ROWS, answered_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.answered_on = answered_on or local_today()
        child_rows = min(max(child_rows, CHILD_ROWS), MAX_CHILDREN)
        expected_rows = min(max(expected_rows, EXPECTED_ROWS), MAX_CHILDREN)
        self.child_names = [f"child_{i}" for i in range(1, child_rows + 1)]
        self.expected_names = [f"due_{i}" for i in range(1, expected_rows + 1)]
        for n, name in enumerate(self.child_names, start=1):
            self.fields[name] = MonthField(label=_("3岁以下子女%(n)s 出生年月") % {"n": n}, required=False)
        for n, name in enumerate(self.expected_names, start=1):
            self.fields[name] = MonthField(label=_("预产%(n)s 预产年月") % {"n": n}, required=False)
        self.questions = list(questions)
        for q in self.questions:
            name = f"q{q.position}"
            if q.kind == QuestionKind.SINGLE:
                field = forms.ChoiceField(choices=[(c, c) for c in q.choices], widget=forms.RadioSelect)
            elif q.kind == QuestionKind.MULTIPLE:
                field = forms.MultipleChoiceField(choices=[(c, c) for c in q.choices],
                                                  widget=forms.CheckboxSelectMultiple)
            elif q.kind == QuestionKind.NUMBER:
                field = forms.DecimalField(max_digits=14, decimal_places=4)
            else:
                field = forms.CharField(max_length=TEXT_ANSWER_MAX, widget=forms.Textarea(attrs={"rows": 3}))
            field.label = q.text
            field.required = q.required
            self.fields[name] = field
        if honeypot:
            self.fields["website"] = forms.CharField(
                label=_("请勿填写此项"), required=False,
                widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
            )

    def child_fields(self):
        """Bound birth-month fields."""
        return [self[n] for n in self.child_names]

    def expected_fields(self):
        """Bound due-month fields."""
        return [self[n] for n in self.expected_names]

    def question_fields(self):
        """Bound fields of the extra questions, in order."""
        return [self[f"q{q.position}"] for q in self.questions]

    def clean(self):
        data = super().clean()
        if data.get("hours_from") and data.get("hours_to") and data["hours_to"] <= data["hours_from"]:
            self.add_error("hours_to", _("结束时间必须晚于开始时间。"))
        rows = [(n, False) for n in self.child_names] + [(n, True) for n in self.expected_names]
        rows = [(n, expected) for n, expected in rows if data.get(n)]
        entries = [ChildEntry(data[n], expected=expected) for n, expected in rows]
        for (name, _expected), error in zip(rows, children_errors(entries, answered_on=self.answered_on),
                                            strict=True):
            if error is not None:
                self.add_error(name, error.message)
        return data

    def answer_data(self) -> AnswerData:
        """The cleaned answers as :class:`AnswerData` for ``response_submit``."""
        d = self.cleaned_data
        children = [ChildEntry(d[n]) for n in self.child_names if d.get(n)]
        children += [ChildEntry(d[n], expected=True) for n in self.expected_names if d.get(n)]
        extra = {}
        for q in self.questions:
            value = d.get(f"q{q.position}")
            if q.kind == QuestionKind.NUMBER and value is not None:
                value = str(value)
            extra[str(q.position)] = value
        return AnswerData(
            children=children, current_care=d.get("current_care") or "",
            wanted_services=list(d.get("wanted_services") or []),
            days_per_week=d.get("days_per_week"), hours_from=d.get("hours_from"),
            hours_to=d.get("hours_to"), fee_band=d.get("fee_band") or "",
            would_use=d.get("would_use") or "", commute_minutes=d.get("commute_minutes"),
            extra_answers=extra,
        )
