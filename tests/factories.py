"""factory_boy factories shared by all tests (``<Model>Factory``).

Reference data (divisions, industries) is loaded by migration, so factories look real
rows up by code instead of inventing them.
"""

from __future__ import annotations

import datetime as dt

import factory
from stdnum.cn import uscc

from tuoyu.accounts.models import Membership, Organization, User
from tuoyu.facilities.models import Enrolment, Facility, FacilityClass, StaffMember
from tuoyu.reference.models import Division, Industry


def division(code: str) -> Division:
    """The row of ``code`` that is in use."""
    return Division.objects.get(code=code, status="active")


def make_credit_code(n: int, *, prefix: str = "91", region: str = "110108") -> str:
    """A valid 18-character credit code numbered ``n`` (check character from python-stdnum)."""
    body = f"{prefix}{region}{n:09d}"
    return body + uscc.calc_check_digit(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name", locale="zh_CN")
    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "pass-1234")
        if create:
            self.save(update_fields=["password"])


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = "employer"
    name = factory.Sequence(lambda n: f"测试单位{n}")
    credit_code = factory.Sequence(lambda n: make_credit_code(n + 1))
    division = factory.LazyFunction(lambda: division("110108"))
    industry = factory.LazyFunction(lambda: Industry.objects.get(code="65"))
    ownership_type = "private"
    headcount = 500


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "employer_admin"


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"爱心托育中心{n}")
    operator = factory.SubFactory(OrganizationFactory)
    provision_model = "employer_built"
    address = "北京市海淀区中关村大街1号"
    division = factory.LazyAttribute(lambda o: o.operator.division)
    building_area = 600
    outdoor_area = 200
    children_floor = 1
    opening_date = dt.date(2024, 9, 1)
    places_infant = 10
    places_toddler = 15
    places_older = 20

    @factory.post_generation
    def sponsors(self, create, extracted, **kwargs):
        if not create:
            return
        self.sponsors.add(*(extracted or [self.operator]))


class FacilityClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FacilityClass

    facility = factory.SubFactory(FacilityFactory)
    name = factory.Sequence(lambda n: f"班级{n}")
    class_type = "toddler"
    capacity = 15


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    facility = factory.SubFactory(FacilityFactory)
    name = factory.Faker("name", locale="zh_CN")
    role = "carer"
    education = "junior_college"
    trained = True
    years_experience = 3
    health_certificate_expiry = dt.date(2030, 1, 1)
    no_criminal_record = True


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    facility = factory.SubFactory(FacilityFactory)
    child_ref = factory.Sequence(lambda n: f"C{n:05d}")
    birth_date = dt.date(2025, 1, 15)
    enrolled_on = dt.date(2025, 9, 1)
