"""Evidence files of inspections (检查取证材料) and of responses to rectification orders
(整改材料附件): type check by magic bytes, size limit, random stored names
(:mod:`tuoyu.core.uploads`).

Accepted: JPEG, PNG, WebP and HEIC photos (phones) and PDF (:data:`EVIDENCE_TYPES`),
recognised from the first bytes of the file, never from its name or the browser's
declared type. The stored name is random with the extension of the detected type, so a
name chosen by the uploader never reaches the file system. Files are served only through
the permission-checked views (ADR 0074, ADR 0092). Both kinds share
:func:`evidence_check` and :func:`evidence_store`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.base import File
from django.db import transaction

from tuoyu.accounts.permissions import acting_as
from tuoyu.audit.services import audit_record
from tuoyu.core import uploads
from tuoyu.core.errors import GEN_FORBIDDEN, DomainError
from tuoyu.supervision import parameters
from tuoyu.supervision import permissions as perms
from tuoyu.supervision.errors import (
    SUP_EVIDENCE_COUNT,
    SUP_EVIDENCE_SIZE,
    SUP_EVIDENCE_TYPE,
    SUP_INSPECTION_CLOSED,
)
from tuoyu.supervision.models import (
    Inspection,
    InspectionEvidence,
    InspectionItem,
    RectificationEvent,
    RectificationEvidence,
)
from tuoyu.supervision.workflow import InspectionStatus

#: Accepted evidence types, judged by content.
EVIDENCE_TYPES = (uploads.JPEG, uploads.PNG, uploads.PDF, uploads.WEBP, uploads.HEIC)


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed :func:`evidence_check`: the file object, the name shown
    (the uploader's, at most 200 characters), the detected ``content_type`` and the
    stored file's ``extension``, and ``size`` in bytes."""

    upload: object
    name: str
    content_type: str
    extension: str
    size: int


def evidence_check(upload) -> CheckedUpload:
    """Check one evidence file (type by content, size limit) without storing it.

    ``upload``: a Django UploadedFile or any file object with ``name``, ``size`` and
    ``seek``/``read``. Raises SUP-031 (empty or larger than ``TUOYU_EVIDENCE_MAX_MB``),
    SUP-030 (not one of :data:`EVIDENCE_TYPES`). Returns a :class:`CheckedUpload`.
    """
    name = str(getattr(upload, "name", "") or "file")[-200:]
    limit = parameters.evidence_max_bytes()
    try:
        content_type, extension = uploads.upload_check(upload, max_bytes=limit, types=EVIDENCE_TYPES)
    except uploads.UploadSizeError:
        raise DomainError(SUP_EVIDENCE_SIZE, {"name": name, "limit_mb": limit // (1024 * 1024)}) from None
    except uploads.UploadTypeError:
        raise DomainError(SUP_EVIDENCE_TYPE, {"name": name}) from None
    return CheckedUpload(upload, name, content_type, extension, upload.size)


def evidence_store(record, checked: CheckedUpload):
    """Write ``checked`` to the evidence storage under a random name
    (:func:`tuoyu.core.uploads.random_name`) and save ``record`` (an unsaved
    :class:`InspectionEvidence` or :class:`RectificationEvidence` without file, name, type
    or size). Returns ``record``. If saving the row fails, the file written is removed."""
    record.original_name, record.content_type, record.size = checked.name, checked.content_type, checked.size
    record.file.save(uploads.random_name(checked.extension), File(checked.upload), save=False)
    try:
        record.save()
    except Exception:
        record.file.delete(save=False)
        raise
    return record


@transaction.atomic
def inspection_evidence_add(*, actor, item: InspectionItem, upload) -> InspectionEvidence:
    """Attach ``upload`` (a Django UploadedFile or any file object with ``name`` and
    ``size``) to checklist ``item`` of an open inspection.

    Raises GEN-002 (not an assigned inspector), SUP-020 (inspection closed), SUP-031
    (empty or larger than ``TUOYU_EVIDENCE_MAX_MB``), SUP-030 (type not allowed).
    Returns the stored :class:`InspectionEvidence`.
    """
    inspection = Inspection.objects.select_for_update().select_related("facility__division").get(
        pk=item.inspection_id
    )
    if not perms.can_record_inspection(actor, inspection):
        raise DomainError(GEN_FORBIDDEN)
    if inspection.status != InspectionStatus.OPEN:
        raise DomainError(SUP_INSPECTION_CLOSED)
    checked = evidence_check(upload)
    evidence = evidence_store(InspectionEvidence(item=item, uploaded_by=actor), checked)
    org, role = acting_as(actor)
    audit_record(
        actor=actor, action="supervision.evidence_add", obj=evidence, organization=org or inspection.organization,
        role=role, after={"item": item.code, "inspection": inspection.pk, "size": checked.size,
                          "type": checked.content_type},
    )
    return evidence


def rectification_evidence_check(files: Iterable) -> list[CheckedUpload]:
    """Check every file of a response to a rectification order before anything is written.

    ``files``: uploaded files (possibly none). Raises SUP-032 (more than
    ``TUOYU_RECTIFICATION_EVIDENCE_MAX_FILES``, default 10), then SUP-031 / SUP-030 for the
    first file refused (:func:`evidence_check`). Returns the checked files in order.
    """
    files = [f for f in files or () if f]
    limit = parameters.rectification_evidence_max_files()
    if len(files) > limit:
        raise DomainError(SUP_EVIDENCE_COUNT, {"limit": limit, "count": len(files)}, field="files")
    return [evidence_check(f) for f in files]


def rectification_evidence_store(
    *, actor, event: RectificationEvent, checked: list[CheckedUpload]
) -> list[RectificationEvidence]:
    """Store the ``checked`` files (from :func:`rectification_evidence_check`) with the
    response ``event`` of its order. Call inside the response's transaction; if one
    file fails, the files already written by this call are removed and the error is
    raised, so the transaction rolls back with nothing left behind. Returns the rows."""
    stored: list[RectificationEvidence] = []
    try:
        for item in checked:
            record = RectificationEvidence(order_id=event.order_id, event=event, uploaded_by=actor)
            stored.append(evidence_store(record, item))
    except Exception:
        for record in stored:
            record.file.delete(save=False)
        raise
    return stored
