"""A facility that meets every rule on AS_OF, and handles to break one rule at a time.

AS_OF is Monday 2 June 2025. The facility (北京市海淀区 unless asked otherwise) has one
class of each type with children inside its band and one carer per class within the
ratio, every required post filled by qualified staff with valid certificates, owned
premises on floor 1, every filing document, full-day care with a cook and a food licence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from tests.factories import (
    EnrolmentFactory,
    FacilityClassFactory,
    FacilityFactory,
    OrganizationFactory,
    StaffMemberFactory,
    division,
)
from tuoyu.facilities.models import ClassPlacement, FacilityService, FilingDocument

AS_OF = dt.date(2025, 6, 2)

# (class type, capacity, children, birth date of each child, in band on AS_OF)
CLASSES = {
    "infant": ("乳儿班1", 10, 3, dt.date(2024, 10, 1)),  # 8 months
    "toddler": ("托小班1", 15, 5, dt.date(2024, 3, 1)),  # 15 months
    "older": ("托大班1", 20, 7, dt.date(2023, 3, 1)),  # 27 months
    "mixed": ("混合班1", 18, 5, dt.date(2023, 9, 1)),  # 21 months
}
DOCUMENTS = [
    "licence",
    "premises",
    "staff_certs",
    "health_eval",
    "fire_safety",
    "commitment",
    "food_licence",
]


@dataclass
class Site:
    """Handles to the parts of a built facility."""

    facility: object
    classes: dict = field(default_factory=dict)
    carers: dict = field(default_factory=dict)
    children: dict = field(default_factory=dict)
    staff: dict = field(default_factory=dict)
    documents: dict = field(default_factory=dict)


def build_site(division_code: str = "110108") -> Site:
    """Create a facility that meets every rule in force on AS_OF."""
    operator = OrganizationFactory(division=division(division_code))
    facility = FacilityFactory(
        operator=operator,
        places_infant=10,
        places_toddler=15,
        places_older=20,
        places_mixed=18,
        building_area=600,
        outdoor_area=200,
        children_floor=1,
        premises_tenure="owned",
    )
    site = Site(facility=facility)
    FacilityService.objects.create(facility=facility, service_type="full_day")
    cert = dt.date(2026, 1, 31)
    for class_type, (name, capacity, count, birth) in CLASSES.items():
        klass = FacilityClassFactory(
            facility=facility, name=name, class_type=class_type, capacity=capacity
        )
        site.classes[class_type] = klass
        site.carers[class_type] = StaffMemberFactory(
            facility=facility,
            role="carer",
            assigned_class=klass,
            health_certificate_expiry=cert,
            start_date=dt.date(2024, 9, 1),
        )
        site.children[class_type] = []
        for _ in range(count):
            child = EnrolmentFactory(
                facility=facility, birth_date=birth, enrolled_on=dt.date(2025, 3, 1)
            )
            ClassPlacement.objects.create(
                enrolment=child, facility_class=klass, start=dt.date(2025, 3, 1)
            )
            site.children[class_type].append(child)
    site.staff["director"] = StaffMemberFactory(
        facility=facility,
        role="director",
        education="junior_college",
        years_experience=3,
        trained=True,
        health_certificate_expiry=cert,
    )
    site.staff["health_worker"] = StaffMemberFactory(
        facility=facility,
        role="health_worker",
        trained=True,
        full_time=True,
        health_certificate_expiry=cert,
    )
    site.staff["security_guard"] = StaffMemberFactory(
        facility=facility,
        role="security_guard",
        qualification="保安员证 京A0001",
        health_certificate_expiry=cert,
    )
    site.staff["cook"] = StaffMemberFactory(
        facility=facility, role="cook", health_certificate_expiry=cert
    )
    for doc_type in DOCUMENTS:
        site.documents[doc_type] = FilingDocument.objects.create(
            facility=facility,
            doc_type=doc_type,
            reference=f"{doc_type}-1",
            valid_until=dt.date(2026, 12, 31)
            if doc_type in ("food_licence", "fire_safety")
            else None,
        )
    return site


@pytest.fixture
def site(db) -> Site:
    """A compliant facility in 北京市海淀区 (no provincial overrides)."""
    return build_site()
