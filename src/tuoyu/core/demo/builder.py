"""Building the demo data set (演示数据) from :mod:`tuoyu.core.demo.catalogue`.

Deterministic: the same ``seed`` and ``as_of`` date give the same rows (credit codes,
counties, names, birth dates). Idempotent: every organisation and facility carries the
external key (``source_system="demo"``, ``external_id=<catalogue key>``) and users are
found by username, so a second run finds what the first made and adds nothing.

Facilities are written through the facilities services (``facility_create``,
``class_create``, ``staff_create``, ``enrolment_create``, ``filing_submit`` …) so the
demo passes the same rules as a person at the keyboard; see :mod:`.writer`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction

from tuoyu.accounts.models import Membership, Organization, User
from tuoyu.core.ages import DEFAULT_BANDS, age_in_months, month_anniversary
from tuoyu.core.dates import local_today
from tuoyu.core.demo import catalogue as cat
from tuoyu.core.demo.annual_reports import demo_annual_reports_build
from tuoyu.core.demo.designation import demo_designation_build
from tuoyu.core.demo.monitoring import demo_alerts_build
from tuoyu.core.demo.supervision import demo_supervision_build
from tuoyu.core.demo.surveys import demo_survey_build
from tuoyu.core.demo.writer import DemoWriter
from tuoyu.core.identifiers import CREDIT_CODE_ALPHABET, credit_code_check_character
from tuoyu.reference.models import Division, Industry

DEFAULT_SEED = 2026


@dataclass(frozen=True)
class DemoAccount:
    """One printed demo account: username, password, role (code and label), organisation, province."""

    username: str
    password: str
    role: str
    role_label: str
    organization: str
    province: str
    division_code: str


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`demo_build` left in the database (counts of demo rows) and whether it added any."""

    organizations: int
    facilities: int
    users: int
    created: bool


def credit_code_make(rng: random.Random, *, prefix: str, region: str) -> str:
    """Return a valid 18-character credit code with ``prefix`` (2 chars) and ``region`` (6 digits).

    The organisation code (positions 9–17) is drawn from ``rng``; the check character is
    python-stdnum's (GB 32100-2015 §5).
    """
    body = prefix + region + "".join(rng.choice(CREDIT_CODE_ALPHABET[:10]) for _ in range(8))
    body += rng.choice(CREDIT_CODE_ALPHABET)
    return body + credit_code_check_character(body)


def birth_date_for(rng: random.Random, months: int, *, as_of: date) -> date:
    """Return a birth date at which a child is exactly ``months`` completed months old on ``as_of``.

    The day within the month of age is drawn from ``rng``; ``age_in_months`` decides.
    """
    candidate = as_of - timedelta(days=int(months * 30.44) + rng.randint(2, 26))
    while age_in_months(candidate, as_of=as_of) > months:
        candidate += timedelta(days=1)
    while age_in_months(candidate, as_of=as_of) < months:
        candidate -= timedelta(days=1)
    return candidate


class DemoBuilder:
    """Builds the demo data set; use :func:`demo_build` rather than this class directly."""

    def __init__(self, *, seed: int, as_of: date):
        self.seed = seed
        self.as_of = as_of
        self.rng = random.Random(seed)
        self.orgs: dict[str, Organization] = {}
        self.users: dict[str, User] = {}
        self.password_hash = make_password(cat.DEMO_PASSWORD)
        self.writer = DemoWriter(as_of=as_of)
        self.created = False

    # -- reference lookups ------------------------------------------------------------
    def division(self, code: str) -> Division:
        """The row in use of the 6-digit division ``code`` (DoesNotExist if none)."""
        return Division.objects.get(code=code, status="active")

    def county_for(self, province: str) -> Division:
        """Draw an active county-level division of ``province`` (6-digit ``XX0000``)."""
        codes = list(
            Division.objects.filter(
                code__startswith=province[:2], level="county", status="active"
            ).order_by("code").values_list("code", flat=True)
        )
        return self.division(self.rng.choice(codes))

    # -- organisations and people -----------------------------------------------------
    def org(self, key: str, **fields) -> Organization:
        """Get or create the demo organisation ``key`` with ``fields`` (only used when creating)."""
        if key in self.orgs:
            return self.orgs[key]
        found = Organization.objects.filter(source_system=cat.DEMO_SOURCE, external_id=key).first()
        if found is None:
            found = self.writer.organization_create(
                actor=self.users.get("admin"), source_system=cat.DEMO_SOURCE, external_id=key, **fields
            )
            self.created = True
        self.orgs[key] = found
        return found

    def user(self, username: str, *, display_name: str, staff: bool = False) -> User:
        """Get or create the user ``username`` with the demo password."""
        if username in self.users:
            return self.users[username]
        user = User.objects.filter(username=username).first()
        if user is None:
            user = self.writer.user_create(
                actor=self.users.get("admin"), username=username, display_name=display_name,
                password_hash=self.password_hash, staff=staff,
            )
            self.created = True
        self.users[username] = user
        return user

    def member(self, user: User, org: Organization, role: str) -> None:
        """Give ``user`` ``role`` in ``org`` unless the membership exists."""
        if not Membership.objects.filter(user=user, organization=org, role=role).exists():
            self.writer.membership_add(
                actor=self.users.get("admin"), user=user, organization=org, role=role
            )

    def build_officials(self) -> None:
        """National, provincial and county unions, health commissions and two departments."""
        admin_spec = next(a for a in cat.ACCOUNTS if a.username == "admin")
        self.user(admin_spec.username, display_name=admin_spec.display_name, staff=True)
        beijing = self.division("110000")
        national = {"division": beijing, "level": "national"}
        self.org("platform", kind="platform", name="托育平台运营中心", **national)
        self.org("union-national", kind="union", name="中华全国总工会", **national)
        self.org("health-national", kind="health", name="国家卫生健康委员会", **national)
        self.org("expert-pool", kind="expert_pool", name="托育服务专家库", **national)
        # The 31 provincial-level divisions of the mainland (71 台湾, 81 香港, 82 澳门 are
        # outside the programme).
        provinces = (
            Division.objects.filter(level="province", status="active")
            .exclude(code__startswith="7").exclude(code__startswith="8").order_by("code")
        )
        for prov in provinces:
            where = {"division": prov, "level": "provincial"}
            self.org(f"union-{prov.code}", kind="union", name=f"{prov.name}总工会",
                     parent=self.orgs["union-national"], **where)
            self.org(f"health-{prov.code}", kind="health", name=f"{prov.name}卫生健康委员会",
                     parent=self.orgs["health-national"], **where)
        self.org("dept-110000-women", kind="department", name="北京市妇女联合会",
                 department_type="women", division=beijing, level="provincial")
        self.org("dept-310000-civil", kind="department", name="上海市民政局",
                 department_type="civil", division=self.division("310000"), level="provincial")

    def local_officials(self, county: Division) -> None:
        """The county health commission (files facilities) and the city or county union."""
        prov = county.province_code
        self.org(f"health-{county.code}", kind="health", name=f"{county.name}卫生健康委员会",
                 division=county, level="county", parent=self.orgs[f"health-{prov}"])
        if county.prefecture_name in ("直辖", "", county.province_name):
            self.org(f"union-{county.code}", kind="union", name=f"{county.name}总工会",
                     division=county, level="county", parent=self.orgs[f"union-{prov}"])
        else:
            pref = Division.objects.filter(code=county.prefecture_code, status="active").first()
            if pref is not None:
                self.org(f"union-{pref.code}", kind="union", name=f"{pref.name}总工会",
                         division=pref, level="prefecture", parent=self.orgs[f"union-{prov}"])
        officer = self.user(f"officer-{county.code}", display_name=f"{county.name}备案审核员")
        self.member(officer, self.orgs[f"health-{county.code}"], "health_officer")

    def build_employers(self) -> None:
        """Employers in all 31 provinces, providers, and their county officials."""
        for spec in cat.EMPLOYERS:
            county = self.division(spec.county) if spec.county else self.county_for(spec.province)
            code = credit_code_make(
                self.rng, prefix=cat.CREDIT_PREFIX_FOR_OWNERSHIP[spec.ownership], region=county.code
            )
            self.org(
                spec.key, kind="employer", name=spec.name, credit_code=code, division=county,
                industry=Industry.objects.get(code=spec.industry), ownership_type=spec.ownership,
                headcount=spec.headcount, address=f"{county.province_name}{county.name}",
            )
            self.local_officials(self.orgs[spec.key].division)
            admin = self.user(f"admin-{spec.key}", display_name=f"{spec.name}管理员")
            self.member(admin, self.orgs[spec.key], "employer_admin")
        for key, province, county_code, name in cat.PROVIDERS:
            county = self.division(county_code) if county_code else self.county_for(province)
            code = credit_code_make(self.rng, prefix="91", region=county.code)
            self.org(key, kind="provider", name=name, credit_code=code, division=county,
                     industry=Industry.objects.get(code="80"), ownership_type="private",
                     headcount=60, address=f"{county.province_name}{county.name}")
            self.local_officials(self.orgs[key].division)
            op = self.user(f"admin-{key}", display_name=f"{name}经办人")
            self.member(op, self.orgs[key], "facility_operator")

    def build_accounts(self) -> None:
        """The printed demo accounts, one per role."""
        for spec in cat.ACCOUNTS:
            user = self.user(spec.username, display_name=spec.display_name, staff=spec.staff)
            self.member(user, self.orgs[spec.org], spec.role)

    # -- facilities -------------------------------------------------------------------
    def person_name(self) -> str:
        """An invented two- or three-character Chinese name (seeded)."""
        return self.rng.choice(cat.SURNAMES) + "".join(
            self.rng.choice(cat.GIVEN) for _ in range(self.rng.randint(1, 2))
        )

    def build_facilities(self, only: frozenset[str] | None = None) -> None:
        """Build the catalogue facilities (only the keys in ``only`` when given)."""
        for spec in cat.FACILITIES:
            if only is None or spec.key in only:
                self.build_facility(spec)

    def build_facility(self, spec: cat.FacilitySpec) -> None:
        """Create one catalogue facility with classes, staff, children and its filing history."""
        from tuoyu.facilities.models import Facility

        # One generator per facility: its rows do not depend on which others were built.
        rng = random.Random(f"{self.seed}-{spec.key}")
        if Facility.objects.filter(source_system=cat.DEMO_SOURCE, external_id=spec.key).exists():
            return
        self.created = True
        employer = self.orgs[spec.employer]
        operator = self.orgs[spec.operator] if spec.operator else employer
        actor = self.users[f"admin-{spec.operator}" if spec.operator else f"admin-{spec.employer}"]
        county = employer.division
        opened = self.as_of - timedelta(days=rng.randint(200, 1400))
        places = {"infant": 0, "toddler": 0, "older": 0, "mixed": 0}
        for class_type, capacity, _children, _carers in spec.classes:
            places[class_type] += capacity
        lease = {}
        if spec.tenure == "leased":
            lease = {"lease_start": opened - timedelta(days=60),
                     "lease_end": opened - timedelta(days=60) + timedelta(days=365 * 5 + 1)}
        facility = self.writer.facility_create(
            actor=actor, operator=operator,
            sponsors=[employer, *(self.orgs[k] for k in spec.co_sponsors)],
            source_system=cat.DEMO_SOURCE, external_id=spec.key,
            name=spec.name, provision_model=spec.model,
            credit_code=credit_code_make(rng, prefix="52", region=county.code),
            address=f"{county.province_name}{county.name}{rng.choice(['建设路', '人民路', '科技路', '园区大道', '解放路'])}{rng.randint(1, 300)}号",
            division=county,
            building_area=80 * len(spec.classes) + rng.randint(100, 400),
            outdoor_area=40 * len(spec.classes) + rng.randint(60, 200),
            children_floor=spec.floor, premises_tenure=spec.tenure, opening_date=opened,
            places_infant=places["infant"], places_toddler=places["toddler"],
            places_older=places["older"], places_mixed=places["mixed"],
            contact_phone=f"1{rng.randint(30, 99)}{rng.randint(10000000, 99999999)}",
            fees=spec.fees, **lease,
        )
        self.writer.documents_add(actor=actor, facility=facility, rng=rng)
        self.build_staff_and_children(rng, spec, facility, actor, opened)
        self.writer.filing_walk(facility=facility, status=spec.status, actor=actor,
                                reviewer=self.users[f"officer-{county.code}"], breaks=spec.breaks)

    def build_staff_and_children(self, rng, spec, facility, actor, opened) -> None:
        """Staff for the posts of 设置标准 Art. 18 and children whose ages fit their class band."""
        cert_ok = self.as_of + timedelta(days=rng.randint(120, 330))
        staff_common = {"trained": True, "no_criminal_record": True, "start_date": opened}
        w = self.writer
        w.staff_create(actor=actor, facility=facility, name=self.person_name(), role="director",
                       education="bachelor", years_experience=rng.randint(4, 12),
                       qualification="托育机构负责人岗位培训合格证", health_certificate_expiry=cert_ok,
                       **staff_common)
        w.staff_create(actor=actor, facility=facility, name=self.person_name(),
                       role="health_worker", education="junior_college",
                       years_experience=rng.randint(2, 10), qualification="卫生保健人员培训合格证",
                       health_certificate_expiry=cert_ok, **staff_common)
        w.staff_create(actor=actor, facility=facility, name=self.person_name(), role="security_guard",
                       education="high_school", years_experience=rng.randint(1, 8),
                       qualification="保安员证", health_certificate_expiry=cert_ok, **staff_common)
        if "full_day" in spec.fees:
            w.staff_create(actor=actor, facility=facility, name=self.person_name(), role="cook",
                           education="high_school", years_experience=rng.randint(1, 8),
                           qualification="健康证", health_certificate_expiry=cert_ok, **staff_common)
        counters: dict[str, int] = {}
        child_no = 0
        names = {"infant": "乳儿", "toddler": "托小", "older": "托大", "mixed": "混合"}
        for class_type, capacity, children, carers in spec.classes:
            counters[class_type] = counters.get(class_type, 0) + 1
            cls = w.class_create(actor=actor, facility=facility,
                                 name=f"{names[class_type]}{counters[class_type]}班",
                                 class_type=class_type, capacity=capacity)
            for _ in range(carers):
                w.staff_create(actor=actor, facility=facility, name=self.person_name(), role="carer",
                               education=rng.choice(["high_school", "junior_college", "bachelor"]),
                               years_experience=rng.randint(1, 9), qualification="保育师（四级）",
                               health_certificate_expiry=cert_ok, assigned_class=cls, **staff_common)
            lower, upper = DEFAULT_BANDS[class_type]
            for _ in range(children):
                child_no += 1
                # Stay a month clear of the band's upper edge, so the demo stays valid a while.
                months = rng.randint(lower, upper - 2)
                birth = birth_date_for(rng, months, as_of=self.as_of)
                enrolled = max(opened, month_anniversary(birth, lower), self.as_of - timedelta(days=rng.randint(15, 120)))
                enrolled = min(enrolled, self.as_of)
                w.enrolment_create(actor=actor, facility=facility, facility_class=cls,
                                   child_ref=f"C{child_no:03d}", birth_date=birth,
                                   enrolled_on=enrolled, service_type="full_day" if "full_day" in spec.fees else next(iter(spec.fees)),
                                   employee_child=rng.random() < 0.85)

def demo_accounts() -> list[DemoAccount]:
    """Return the printed demo accounts as they are in the database (empty before the demo is built)."""
    from tuoyu.accounts.choices import Role

    rows: list[DemoAccount] = []
    for spec in cat.ACCOUNTS:
        membership = (
            Membership.objects.filter(user__username=spec.username, role=spec.role)
            .select_related("organization__division").first()
        )
        if membership is None:
            continue
        org = membership.organization
        division = org.division
        province = division.province_name or division.name
        place = province if org.level in ("national", "provincial") and org.kind != "employer" else (
            f"{province} {division.name}" if division.level == "county" else province
        )
        if org.level == "national":
            place = "全国"
        rows.append(DemoAccount(
            username=spec.username, password=cat.DEMO_PASSWORD, role=spec.role,
            role_label=str(Role(spec.role).label), organization=org.name, province=place,
            division_code=division.code,
        ))
    return rows


def demo_build(*, seed: int = DEFAULT_SEED, as_of: date | None = None,
               facilities: Iterable[str] | None = None) -> DemoSummary:
    """Build (or complete) the demo data set and return a summary.

    ``seed`` fixes every random choice; ``as_of`` (default: today, local) is the date the
    children's ages and certificate expiry dates are counted from. ``facilities`` limits
    the facilities built to those catalogue keys (all organisations and accounts are
    always built); browser tests use it to save time. Running it again adds nothing. Raises whatever the services raise if a catalogue row breaks a blocking rule
    on the way to a state that forbids it (a bug in the catalogue).
    """
    as_of = as_of or local_today()
    builder = DemoBuilder(seed=seed, as_of=as_of)
    with transaction.atomic():
        builder.build_officials()
        builder.build_employers()
        builder.build_accounts()
        builder.build_facilities(None if facilities is None else frozenset(facilities))
        demo_survey_build(builder)
        demo_annual_reports_build(builder)
        demo_designation_build(builder)
        demo_supervision_build(builder)
        demo_alerts_build(builder)  # last: the alerts job reads everything above
    from tuoyu.facilities.models import Facility

    return DemoSummary(
        organizations=Organization.objects.filter(source_system=cat.DEMO_SOURCE).count(),
        facilities=Facility.objects.filter(source_system=cat.DEMO_SOURCE).count(),
        users=User.objects.filter(memberships__organization__source_system=cat.DEMO_SOURCE).distinct().count(),
        created=builder.created,
    )
