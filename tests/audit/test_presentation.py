"""Rows of an event's change table (audit.presentation.event_changes)."""

from __future__ import annotations

from types import SimpleNamespace

from tuoyu.audit.presentation import event_changes


def _event(object_type, after):
    return SimpleNamespace(object_type=object_type, before=None, after=after)


def test_reverse_relation_in_an_event_is_labelled_by_the_related_models_name(db):
    [row] = event_changes(_event("facilities.facility", {"services": [{"service_type": "full_day"}]}),
                          may_see_personal_data=True)
    assert row.label == "服务形式"


def test_field_is_labelled_by_its_verbose_name(db):
    [row] = event_changes(_event("facilities.facility", {"name": "海淀托育"}), may_see_personal_data=True)
    assert row.label == "机构名称"


def test_unknown_key_keeps_its_name(db):
    [row] = event_changes(_event("facilities.facility", {"note_x": 1}), may_see_personal_data=True)
    assert row.label == "note_x"
