"""Writes of the facilities app (服务): facilities, classes, staff, enrolment, documents, filing.

Every service takes keyword-only arguments with a required ``actor`` (the signed-in
User; ``None`` only for system jobs), runs in one transaction, calls ``full_clean()``
before saving and records an audit event in the same transaction.

Errors: DomainError GEN-001/GEN-002 (permission), GEN-003 (someone else changed the
record first), GEN-004 (a field is invalid; ``field`` names it), GEN-005 (transition not
allowed from the current status), and the FIL codes of :mod:`tuoyu.facilities.errors`.
"""

from __future__ import annotations

from tuoyu.facilities.services import filing, registry
from tuoyu.facilities.services.base import (
    CLASS_FIELDS,
    DOCUMENT_EXTENSIONS,
    DOCUMENT_MAX_BYTES,
    FACILITY_FIELDS,
    STAFF_FIELDS,
)
from tuoyu.facilities.services.filing import (
    FILING_DEADLINE_WORKING_DAYS,
    facility_findings,
    filing_cancel,
    filing_file,
    filing_file_change,
    filing_lift_suspension,
    filing_return,
    filing_return_change,
    filing_revoke,
    filing_submit,
    filing_submit_change,
    filing_suspend,
    finding_as_dict,
    recompute_provisional_deadlines,
)
from tuoyu.facilities.services.registry import (
    class_create,
    class_delete,
    class_update,
    document_add,
    enrolment_create,
    enrolment_leave,
    enrolment_move,
    facility_create,
    facility_update,
    staff_create,
    staff_delete,
    staff_update,
)

__all__ = [
    "CLASS_FIELDS",
    "DOCUMENT_EXTENSIONS",
    "DOCUMENT_MAX_BYTES",
    "FACILITY_FIELDS",
    "FILING_DEADLINE_WORKING_DAYS",
    "STAFF_FIELDS",
    "class_create",
    "class_delete",
    "class_update",
    "document_add",
    "enrolment_create",
    "enrolment_leave",
    "enrolment_move",
    "facility_create",
    "facility_findings",
    "facility_update",
    "filing",
    "filing_cancel",
    "filing_file",
    "filing_file_change",
    "filing_lift_suspension",
    "filing_return",
    "filing_return_change",
    "filing_revoke",
    "filing_submit",
    "filing_submit_change",
    "filing_suspend",
    "finding_as_dict",
    "recompute_provisional_deadlines",
    "registry",
    "staff_create",
    "staff_delete",
    "staff_update",
]
