"""Models of the public complaint channel (投诉举报渠道)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuoyu.complaints.choices import Category, NotificationKind, Office, RejectReason, Target
from tuoyu.complaints.workflow import Status
from tuoyu.core.models import TimeStampedModel


class Complaint(TimeStampedModel):
    """A complaint (投诉) by anyone, anonymous or signed in, about a facility or an employer.

    ``tracking_code`` (查询码, 12 characters) lets the complainant follow it without an
    account. ``substantiated`` (投诉属实) is recorded by the officer when answering or
    closing (None: not decided); ``inspection`` is the ad hoc inspection opened from it.
    ``division`` is the county the complaint is routed to and ``office`` the kind
    of office there (health commission or union). Contact details are private: they are
    shown only to officers who may handle the complaint. Deadlines are dates inclusive to
    23:59:59 local time, counted in working days from the day of receipt by the office.
    """

    tracking_code = models.CharField(_("查询码"), max_length=12, unique=True, editable=False)
    target = models.CharField(_("投诉对象"), max_length=10, choices=Target.choices)
    facility = models.ForeignKey(
        "facilities.Facility", null=True, blank=True, on_delete=models.PROTECT,
        related_name="complaints", verbose_name=_("托育机构"),
    )
    employer = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT,
        related_name="complaints", verbose_name=_("用人单位"),
    )
    division = models.ForeignKey(
        "reference.Division", on_delete=models.PROTECT, related_name="+", verbose_name=_("承办地区")
    )
    office = models.CharField(_("承办部门"), max_length=10, choices=Office.choices)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    urgent = models.BooleanField(_("紧急"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, db_index=True)
    description = models.TextField(_("反映的问题"), max_length=5000)
    occurred_on = models.DateField(_("发生日期"), null=True, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=11, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    consent = models.BooleanField(_("同意个人信息处理说明"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    spam_score = models.PositiveIntegerField(_("垃圾信息评分"), default=0)
    spam_reasons = models.JSONField(_("评分依据"), default=list, blank=True)
    text_key = models.CharField(max_length=64, db_index=True, editable=False)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates",
        verbose_name=_("疑似重复"),
    )
    received_on = models.DateField(_("收到日期"), null=True, blank=True)
    ack_due = models.DateField(_("受理期限"), null=True, blank=True)
    answer_due = models.DateField(_("答复期限"), null=True, blank=True)
    deadlines_provisional = models.BooleanField(_("期限待定"), default=False)
    acknowledged_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    reject_reason = models.CharField(_("不予受理理由"), max_length=16, choices=RejectReason.choices, blank=True)
    public_answer = models.TextField(_("答复（公开）"), blank=True)
    substantiated = models.BooleanField(_("投诉属实"), null=True, blank=True)
    inspection = models.ForeignKey(
        "supervision.Inspection", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="complaints", verbose_name=_("转为检查"),
    )
    internal_note = models.TextField(_("内部备注"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)
    escalation_level = models.PositiveSmallIntegerField(_("督办级别"), default=0)
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    solved = models.BooleanField(_("问题是否解决"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="complaint_satisfaction_1_5",
            ),
            models.CheckConstraint(condition=Q(reopen_count__lte=1), name="complaint_reopen_once"),
            models.CheckConstraint(
                condition=Q(facility__isnull=False) | Q(employer__isnull=False),
                name="complaint_has_target",
            ),
        ]
        indexes = [models.Index(fields=["office", "status"])]

    def __str__(self) -> str:
        return self.tracking_code


class ComplaintEvidence(TimeStampedModel):
    """A photo or document attached to a complaint (证据材料), metadata stripped (ADR 0083)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("文件"), upload_to="complaints/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class ComplaintStatusChange(models.Model):
    """One transition of a complaint (办理记录), appended, never edited."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.from_status} → {self.to_status}"


class Notification(models.Model):
    """A notice to an officer about a complaint (通知): new, urgent, overdue, reopened, reassigned."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="complaint_notifications"
    )
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("类型"), max_length=12, choices=NotificationKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.complaint_id} → {self.recipient_id}"
