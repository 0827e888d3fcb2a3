"""Evidence files of inspections (检查取证材料): type check by magic bytes, size limit,
random stored names (:mod:`tuoyu.core.uploads`).

Accepted: JPEG, PNG, WebP and HEIC photos (phones) and PDF (:data:`EVIDENCE_TYPES`),
recognised from the first bytes of the file, never from its name or the browser's
declared type. The stored name is random with the extension of the detected type, so a
name chosen by the uploader never reaches the file system. Files are served only through
the permission-checked view (ADR 0074).
"""

from __future__ import annotations

from django.core.files.base import File
from django.db import transaction

from tuoyu.accounts.permissions import acting_as
from tuoyu.audit.services import audit_record
from tuoyu.core import uploads
from tuoyu.core.errors import GEN_FORBIDDEN, DomainError
from tuoyu.supervision import parameters
from tuoyu.supervision import permissions as perms
from tuoyu.supervision.errors import SUP_EVIDENCE_SIZE, SUP_EVIDENCE_TYPE, SUP_INSPECTION_CLOSED
from tuoyu.supervision.models import Inspection, InspectionEvidence, InspectionItem
from tuoyu.supervision.workflow import InspectionStatus

#: Accepted evidence types, judged by content.
EVIDENCE_TYPES = (uploads.JPEG, uploads.PNG, uploads.PDF, uploads.WEBP, uploads.HEIC)


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
    name = str(getattr(upload, "name", "") or "file")[-200:]
    limit = parameters.evidence_max_bytes()
    try:
        content_type, extension = uploads.upload_check(upload, max_bytes=limit, types=EVIDENCE_TYPES)
    except uploads.UploadSizeError:
        raise DomainError(SUP_EVIDENCE_SIZE, {"name": name, "limit_mb": limit // (1024 * 1024)}) from None
    except uploads.UploadTypeError:
        raise DomainError(SUP_EVIDENCE_TYPE, {"name": name}) from None
    size = upload.size
    evidence = InspectionEvidence(
        item=item, original_name=name, content_type=content_type, size=size, uploaded_by=actor
    )
    evidence.file.save(uploads.random_name(extension), File(upload), save=False)
    evidence.save()
    org, role = acting_as(actor)
    audit_record(
        actor=actor, action="supervision.evidence_add", obj=evidence, organization=org or inspection.organization,
        role=role, after={"item": item.code, "inspection": inspection.pk, "size": size, "type": content_type},
    )
    return evidence
