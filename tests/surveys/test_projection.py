"""Projection of respondents' children by class band (acceptance 2 of issue 4).

Window: as_of 2026-11-29 → month 0 is 2026-12-01. A child of birth month B, taken as born
on B's last day, is (months from B to M) − 1 completed months old on the 1st of month M.
"""

from datetime import date
from decimal import Decimal

import pytest

from tuoyu.core.errors import DomainError
from tuoyu.surveys.planning.projection import (
    ChildRecord,
    RespondentRecord,
    first_month,
    project,
    representative_birth_date,
)

AS_OF = date(2026, 11, 29)


def _one(birth_month, *, expected=False, would_use="on_site", **kwargs):
    child = ChildRecord(birth_month=birth_month, expected=expected)
    return project([RespondentRecord(would_use=would_use, children=(child,))], as_of=AS_OF, **kwargs)


def _band_at(projection, index):
    counts = projection.months[index].counts
    return [k for k, v in counts.items() if v > 0]


def test_month_zero_is_the_next_first_of_month():
    assert first_month(date(2026, 11, 29)) == date(2026, 12, 1)


def test_month_zero_is_as_of_when_as_of_is_a_first():
    assert first_month(date(2026, 12, 1)) == date(2026, 12, 1)


def test_window_has_36_months_from_month_zero():
    p = _one(date(2026, 1, 1))
    assert [m.month for m in (p.months[0], p.months[-1])] == [date(2026, 12, 1), date(2029, 11, 1)]


def test_representative_birth_date_is_last_day_of_leap_february():
    assert representative_birth_date(date(2024, 2, 1)) == date(2024, 2, 29)


def test_child_crosses_from_infant_to_toddler_at_12_months():
    # born Jan 2026 (31 Jan): 1 Jan 2027 → 13 − 1 = 11 months; 1 Feb 2027 → 13 − 1 + 1 = 12
    p = _one(date(2026, 1, 1))
    assert (_band_at(p, 1), _band_at(p, 2)) == (["infant"], ["toddler"])


def test_child_crosses_from_toddler_to_older_at_24_months():
    # 24 months on 1 Feb 2028 = month 14 of the window (Dec 2026 + 14)
    p = _one(date(2026, 1, 1))
    assert (_band_at(p, 13), _band_at(p, 14)) == (["toddler"], ["older"])


def test_child_leaves_the_window_at_36_months():
    # 36 months on 1 Feb 2029 = month 26; counted in month 25, in no band from month 26
    p = _one(date(2026, 1, 1))
    assert (_band_at(p, 25), p.months[26].total) == (["older"], Decimal("0.00"))


def test_29_february_birth_month_is_35_months_on_1_february_and_36_on_1_march():
    # birth month Feb 2024 → 29 Feb 2024; the 36-month anniversary 29 Feb 2027 does not
    # exist, so it is 1 Mar 2027 (month 3): counted as older in month 2, gone in month 3
    p = _one(date(2024, 2, 1))
    assert (p.months[2].month, _band_at(p, 2), p.months[3].total) == (
        date(2027, 2, 1), ["older"], Decimal("0.00"),
    )


def test_29_february_birth_month_reaches_12_months_on_1_march():
    p = project(
        [RespondentRecord("either", (ChildRecord(date(2024, 2, 1)),))], as_of=date(2025, 2, 1)
    )
    # 1 Feb 2025: 11 months (infant); 1 Mar 2025: 12 months (toddler)
    assert (_band_at(p, 0), _band_at(p, 1)) == (["infant"], ["toddler"])


def test_expected_birth_is_not_counted_before_its_due_month():
    p = _one(date(2027, 3, 1), expected=True)
    # months 0–3 (Dec 2026 – Mar 2027): not yet born on the 1st
    assert [p.months[i].under for i in range(4)] == [Decimal("0.00")] * 4


def test_expected_birth_waits_under_six_months_then_joins_infant_band():
    # due Mar 2027 → 31 Mar 2027: 0 months on 1 Apr 2027 (month 4), 6 months on 1 Oct 2027
    # (month 10): under in months 4–9, infant in months 10–15, toddler from month 16
    p = _one(date(2027, 3, 1), expected=True)
    assert (
        [p.months[i].under for i in (4, 9)],
        _band_at(p, 9),
        _band_at(p, 10),
        _band_at(p, 15),
        _band_at(p, 16),
    ) == ([Decimal("1.00")] * 2, [], ["infant"], ["infant"], ["toddler"])


def test_lower_youngest_age_places_children_from_three_months():
    p = _one(date(2027, 3, 1), expected=True, min_age_months=3)
    # 3 months on 1 Jul 2027 = month 7
    assert (_band_at(p, 6), _band_at(p, 7)) == ([], ["infant"])


def test_children_of_respondents_who_would_not_use_are_not_counted():
    p = project(
        [
            RespondentRecord("no", (ChildRecord(date(2026, 1, 1)),)),
            RespondentRecord("", (ChildRecord(date(2026, 1, 1)),)),
            RespondentRecord("nearby", (ChildRecord(date(2026, 1, 1)),)),
        ],
        as_of=AS_OF,
    )
    assert (p.respondents, p.respondents_counted, p.months[0].counts["infant"]) == (
        3, 1, Decimal("1.00"),
    )


def test_scale_multiplies_counts_to_two_places():
    # 2 infants × 1.333 = 2.666 → 2.67
    kids = (ChildRecord(date(2026, 1, 1)), ChildRecord(date(2026, 2, 1)))
    p = project([RespondentRecord("on_site", kids)], as_of=AS_OF, scale=Decimal("1.333"))
    assert (p.months[0].counts["infant"], p.months[0].raw["infant"]) == (Decimal("2.67"), 2)


def test_mixed_eligible_counts_children_from_18_months():
    # born Jan 2026: 18 months on 1 Aug 2027 = month 8
    p = _one(date(2026, 1, 1))
    assert (p.months[7].mixed_eligible, p.months[8].mixed_eligible) == (
        Decimal("0.00"), Decimal("1.00"),
    )


def test_rejects_birth_month_that_is_not_a_first():
    with pytest.raises(DomainError) as exc:
        _one(date(2026, 1, 15))
    assert exc.value.code == "SUR-060"


def test_rejects_scale_of_zero():
    with pytest.raises(DomainError) as exc:
        _one(date(2026, 1, 1), scale=Decimal(0))
    assert exc.value.code == "SUR-062"
