"""Many generated facilities for benchmarks (``tuoyu demo --facilities N``).

Rows are bulk-created (``bulk_create`` in chunks), not written through the services: the
point is volume for list pages, exports and queues. Every facility is valid against the
national caps and ratios; its filing state is drawn with weights close to a mature
register (most filed). Rows carry ``source_system="demo-bulk"`` and a running number, so
a second call adds N more instead of colliding.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from tqdm import tqdm

from tuoyu.accounts.models import Organization
from tuoyu.core.ages import DEFAULT_BANDS, month_anniversary
from tuoyu.core.dates import local_today
from tuoyu.core.demo import catalogue as cat
from tuoyu.core.demo.builder import DEFAULT_SEED, birth_date_for, credit_code_make
from tuoyu.core.demo.writer import _search_key
from tuoyu.core.identifiers import credit_code_check_character
from tuoyu.core.text import normalize_search
from tuoyu.reference.models import Division, Industry

CHUNK = 250
FACILITIES_PER_EMPLOYER = 4

_STATUS_WEIGHTS = {
    "filed": 60, "submitted": 15, "draft": 14, "returned": 5, "change_submitted": 4, "cancelled": 2,
}
_MODELS = ["employer_built", "park", "third_party", "kindergarten", "medical", "joint"]
_OWNERSHIP = ["state", "private", "private", "foreign", "hmt", "institution", "agency", "park",
              "collective", "social", "other"]
_SUFFIX = ["职工托育中心", "爱心托育园", "托育室", "宝贝托育中心", "园区托育点", "托育服务中心"]
_STEMS = "华兴泰安康宁瑞丰嘉和恒达远航盛新悦晨光明德润金鼎海"
# Posts besides carers (设置标准 Art. 18, 21): (role, education, qualification).
_POSTS = (
    ("director", "bachelor", "托育机构负责人岗位培训合格证"),
    ("health_worker", "junior_college", "卫生保健人员培训合格证"),
    ("security_guard", "high_school", "保安员证"),
    ("cook", "high_school", "健康证"),
)
# Filing documents (登记和备案办法 Art. 8), the food licence because every bulk facility is full-day.
_DOCUMENTS = ("licence", "premises", "staff_certs", "health_eval", "fire_safety", "commitment",
              "food_licence")
_LAYOUTS = (
    (("infant", 10, 7, 4), ("toddler", 15, 11, 3)),
    (("toddler", 15, 12, 3), ("older", 20, 15, 3)),
    (("mixed", 18, 12, 4),),
    (("infant", 10, 6, 4), ("toddler", 15, 10, 3), ("older", 20, 14, 3)),
)


def _bulk_credit_code(number: int, *, prefix: str, region: str) -> str:
    """A valid credit code unique to bulk row ``number`` (organisation code ``B`` + 8 digits)."""
    body = f"{prefix}{region}B{number:08d}"
    return body + credit_code_check_character(body)


def demo_extend(*, count: int, seed: int = DEFAULT_SEED, as_of: date | None = None,
                progress: bool = False) -> int:
    """Bulk-create ``count`` more generated facilities (with employers, classes, staff, children).

    ``seed`` fixes the random choices; ``as_of`` (default today, local) dates ages and
    certificates; ``progress`` shows a tqdm bar on stderr. Returns the number of facilities
    created (= ``count``). Each chunk of 250 facilities is one transaction. Every county
    used gets (or keeps) its county health commission and filing officer
    ``officer-<code>``, as in the fixed set, so its facilities can be filed. Counties of
    71/81/82 (outside the programme) are not used. Raises ValueError for ``count`` < 0.
    """
    from tuoyu.core.demo.builder import DemoBuilder
    from tuoyu.facilities.models import Facility

    if count < 0:
        raise ValueError("count must not be negative")

    as_of = as_of or local_today()
    start = Facility.objects.filter(source_system=cat.BULK_SOURCE).count()
    rng = random.Random(f"{seed}-bulk-{start}")
    counties = list(
        Division.objects.filter(level="county", status="active")
        .exclude(code__startswith="7").exclude(code__startswith="8").order_by("code")
    )
    builder = DemoBuilder(seed=seed, as_of=as_of)
    with transaction.atomic():
        builder.build_officials()
    staffed: set[int] = set()
    industries = list(
        Industry.objects.filter(level="division").order_by("code").values_list("code", flat=True)
    )
    made = 0
    with tqdm(total=count, disable=not progress, unit="facility", desc="demo facilities") as bar:
        while made < count:
            size = min(CHUNK, count - made)
            with transaction.atomic():
                used = _chunk(rng, start + made, size, counties, industries, as_of)
                for pk, county in sorted(used.items()):
                    if pk not in staffed:
                        builder.local_officials(county)
                        staffed.add(pk)
            made += size
            bar.update(size)
    return made


def _chunk(rng, first: int, size: int, counties, industries, as_of: date) -> dict[int, Division]:
    """Create facilities numbered ``first`` … ``first + size - 1`` and all that hangs off them.

    Returns the counties used (division id → Division).
    """
    from tuoyu.facilities.models import (
        ClassPlacement,
        Enrolment,
        Facility,
        FacilityClass,
        FacilityService,
        FilingDocument,
        FilingEvent,
        StaffMember,
    )

    employers = []
    for n in range(first, first + size, FACILITIES_PER_EMPLOYER):
        county = rng.choice(counties)
        ownership = rng.choice(_OWNERSHIP)
        name = f"{county.name}{rng.choice(_STEMS)}{rng.choice(_STEMS)}{'集团有限公司' if ownership != 'agency' else '机关事务中心'}"
        employers.append(Organization(
            kind="employer", name=name, name_search=normalize_search(name),
            credit_code=_bulk_credit_code(n, prefix=cat.CREDIT_PREFIX_FOR_OWNERSHIP[ownership],
                                          region=county.code),
            division=county, industry_id=rng.choice(industries), ownership_type=ownership,
            headcount=rng.randint(80, 20000), address=f"{county.province_name}{county.name}",
            source_system=cat.BULK_SOURCE, external_id=f"bulk-emp-{n:08d}",
        ))
    Organization.objects.bulk_create(employers)

    statuses = list(_STATUS_WEIGHTS)
    weights = list(_STATUS_WEIGHTS.values())
    facilities, layouts = [], []
    for i in range(size):
        n = first + i
        employer = employers[i // FACILITIES_PER_EMPLOYER]
        layout = rng.choice(_LAYOUTS)
        status = rng.choices(statuses, weights)[0]
        places = {"infant": 0, "toddler": 0, "older": 0, "mixed": 0}
        for class_type, capacity, _children, _carers in layout:
            places[class_type] += capacity
        opened = as_of - timedelta(days=rng.randint(200, 2000))
        name = f"{employer.name[:-6] if employer.name.endswith('集团有限公司') else employer.name}{rng.choice(_SUFFIX)}"
        filed = status in ("filed", "change_submitted", "cancelled")
        facilities.append(Facility(
            name=name, name_search=_search_key(name), operator=employer,
            credit_code=credit_code_make(rng, prefix="52", region=employer.division.code),
            provision_model=rng.choice(_MODELS), address=f"{employer.address}{rng.randint(1, 500)}号",
            division=employer.division, building_area=200 + 120 * len(layout),
            outdoor_area=80 + 50 * len(layout), children_floor=rng.choice([1, 1, 1, 2]),
            premises_tenure=rng.choice(["owned", "provided"]), opening_date=opened,
            places_infant=places["infant"], places_toddler=places["toddler"],
            places_older=places["older"], places_mixed=places["mixed"],
            filing_status=status, receipt_number=f"DEMO-B{n:08d}" if filed else "",
            filed_on=opened + timedelta(days=30) if filed else None,
            source_system=cat.BULK_SOURCE, external_id=f"bulk-{n:08d}",
        ))
        layouts.append(layout)
    Facility.objects.bulk_create(facilities)

    Facility.sponsors.through.objects.bulk_create([
        Facility.sponsors.through(facility_id=f.pk, organization_id=f.operator_id) for f in facilities
    ])
    FacilityService.objects.bulk_create([
        FacilityService(facility=f, service_type="full_day", monthly_fee=rng.randrange(800, 4000, 100))
        for f in facilities
    ])
    FilingEvent.objects.bulk_create([
        FilingEvent(facility=f, action="submit", from_status="draft", to_status="submitted",
                    deadline=as_of + timedelta(days=7))
        for f in facilities if f.filing_status != "draft"
    ])

    FilingDocument.objects.bulk_create([
        FilingDocument(facility=f, doc_type=doc_type, reference=f"{doc_type}-{f.external_id}",
                       valid_until=as_of + timedelta(days=400))
        for f in facilities for doc_type in _DOCUMENTS
    ], batch_size=1000)

    classes, class_specs = [], []
    for f, layout in zip(facilities, layouts, strict=True):
        for k, (class_type, capacity, children, carers) in enumerate(layout, start=1):
            classes.append(FacilityClass(facility=f, name=f"{k}班", class_type=class_type,
                                         capacity=capacity))
            class_specs.append((children, carers))
    FacilityClass.objects.bulk_create(classes)

    cert = as_of + timedelta(days=200)
    staff, enrolments, placements_for = [], [], []
    for f in facilities:
        for role, education, qualification in _POSTS:
            staff.append(StaffMember(
                facility=f, name=f"{rng.choice(cat.SURNAMES)}{rng.choice(cat.GIVEN)}", role=role,
                education=education, qualification=qualification, years_experience=5,
                trained=True, no_criminal_record=True, health_certificate_expiry=cert,
                start_date=f.opening_date,
            ))
    counters: dict[int, int] = {}
    for cls, (children, carers) in zip(classes, class_specs, strict=True):
        for _ in range(carers):
            staff.append(StaffMember(
                facility=cls.facility, name=f"{rng.choice(cat.SURNAMES)}{rng.choice(cat.GIVEN)}",
                role="carer", education="junior_college", years_experience=3, trained=True,
                no_criminal_record=True, health_certificate_expiry=cert,
                start_date=cls.facility.opening_date, assigned_class=cls,
            ))
        lower, upper = DEFAULT_BANDS[cls.class_type]
        for _ in range(children):
            counters[cls.facility.pk] = counters.get(cls.facility.pk, 0) + 1
            birth = birth_date_for(rng, rng.randint(lower, upper - 2), as_of=as_of)
            enrolled = max(as_of - timedelta(days=rng.randint(10, 150)),
                           month_anniversary(birth, lower))
            enrolments.append(Enrolment(
                facility=cls.facility, child_ref=f"C{counters[cls.facility.pk]:03d}",
                birth_date=birth, enrolled_on=enrolled,
            ))
            placements_for.append(cls)
    StaffMember.objects.bulk_create(staff, batch_size=1000)
    Enrolment.objects.bulk_create(enrolments, batch_size=1000)
    ClassPlacement.objects.bulk_create([
        ClassPlacement(enrolment=e, facility_class=cls, start=e.enrolled_on)
        for e, cls in zip(enrolments, placements_for, strict=True)
    ], batch_size=1000)
    return {e.division_id: e.division for e in employers}
