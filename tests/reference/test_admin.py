"""Admin pages for reference data and the hand-entered working-day calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from tuoyu.reference.calendar import (
    LIBRARY_YEARS,
    add_working_days,
    is_year_known,
    register_deadline_recomputer,
    unregister_deadline_recomputer,
)
from tuoyu.reference.models import CalendarDay

UNKNOWN = max(LIBRARY_YEARS) + 1


@pytest.mark.parametrize(
    "model", ["division", "industry", "organizationcategory", "population", "calendaryear", "calendarday"]
)
def test_admin_changelist_opens(admin_client, model):
    assert admin_client.get(f"/admin/reference/{model}/").status_code == 200


def test_division_admin_searches_by_code(admin_client):
    body = admin_client.get("/admin/reference/division/", {"q": "370284"}).content.decode()
    assert "胶南市" in body


def test_division_admin_searches_by_name(admin_client):
    body = admin_client.get("/admin/reference/division/", {"q": "海淀区"}).content.decode()
    assert "110108" in body


def test_division_admin_filters_by_status(admin_client):
    response = admin_client.get("/admin/reference/division/", {"status__exact": "retired", "q": "1101"})
    assert all(d.status == "retired" for d in response.context["cl"].result_list)


def test_reference_rows_cannot_be_added_in_admin(admin_client):
    assert admin_client.get("/admin/reference/division/add/").status_code == 403


def test_admin_enters_a_calendar_year_through_the_service(admin_client, django_capture_on_commit_callbacks):
    calls: list[int] = []
    received = dt.date(UNKNOWN - 1, 12, 31)
    assert add_working_days(received, 5).provisional
    register_deadline_recomputer(calls.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                "/admin/reference/calendaryear/add/",
                {
                    "year": UNKNOWN, "notice": "测试通知",
                    "holidays": f"{UNKNOWN}-01-01\n{UNKNOWN}-02-10..{UNKNOWN}-02-11",
                    "workdays": "",
                },
            )
    finally:
        unregister_deadline_recomputer(calls.append)
    assert response.status_code == 302
    assert is_year_known(UNKNOWN)
    assert set(CalendarDay.objects.values_list("date", flat=True)) == {
        dt.date(UNKNOWN, 1, 1), dt.date(UNKNOWN, 2, 10), dt.date(UNKNOWN, 2, 11)
    }
    assert calls == [UNKNOWN]
    assert not add_working_days(received, 5).provisional


def test_admin_form_shows_the_service_error_for_a_library_year(admin_client):
    response = admin_client.post(
        "/admin/reference/calendaryear/add/",
        {"year": 2025, "notice": "", "holidays": "2025-01-01", "workdays": ""},
    )
    assert response.status_code == 200
    assert "chinese-calendar" in response.content.decode()
    assert not CalendarDay.objects.exists()


def test_admin_change_form_shows_the_entered_days(admin_client):
    from tuoyu.reference.calendar import calendar_year_load

    calendar_year_load(actor=None, year=UNKNOWN, holidays=[dt.date(UNKNOWN, 1, 1)], workdays=[])
    response = admin_client.get(f"/admin/reference/calendaryear/{UNKNOWN}/change/")
    assert response.status_code == 200
    assert f"{UNKNOWN}-01-01" in response.content.decode()


def test_admin_change_replaces_the_days_of_the_year(admin_client):
    from tuoyu.reference.calendar import calendar_year_load

    calendar_year_load(actor=None, year=UNKNOWN, holidays=[dt.date(UNKNOWN, 1, 1)], workdays=[])
    response = admin_client.post(
        f"/admin/reference/calendaryear/{UNKNOWN}/change/",
        {"notice": "更正", "holidays": f"{UNKNOWN}-05-03", "workdays": ""},
    )
    assert response.status_code == 302
    assert list(CalendarDay.objects.values_list("date", flat=True)) == [dt.date(UNKNOWN, 5, 3)]
