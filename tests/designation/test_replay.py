"""``tuoyu designation replay-2022``: the synthetic 2022 pool and the selection over it."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tuoyu.core.errors import DomainError
from tuoyu.designation.errors import DES_SOLVER_FAILED
from tuoyu.designation.selection import replay
from tuoyu.designation.selection.replay import (
    DES_REPLAY_REFERENCE_MISSING,
    PUBLISHED_CANDIDATES,
    PUBLISHED_NAMED,
    ReplayFrame,
    pool_build,
    province_counts,
    replay_frame,
)
from tuoyu.facilities.choices import ProvisionModel
from tuoyu.reference.models import Industry, Population

FRAME = ReplayFrame(
    provinces=(
        ("11", "北京市", 21_893_095),
        ("44", "广东省", 126_012_510),
        ("54", "西藏", 3_648_100),
    ),
    sections=("C", "Q", "S", "T"),
    models=("employer_built", "park", "third_party", "kindergarten", "medical"),
    ownership=("agency", "institution", "state", "private", "park"),
)
TOP_KEYS = {
    "seed",
    "size",
    "published",
    "pool",
    "rules",
    "coverage",
    "total_score",
    "top_k_score",
    "score_given_up",
    "solve_seconds",
    "proven_optimal",
    "chosen",
    "top_k",
    "binding",
    "messages",
    "error",
}


def _run(*args) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("designation_replay_2022", *map(str, args), stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _json(*args) -> dict:
    code, out, _ = _run("--json", "--time-limit", 10, *args)
    assert code == 0
    return json.loads(out)


def test_pool_has_189_candidates():
    assert len(pool_build(FRAME, seed=2022)) == PUBLISHED_CANDIDATES == 189


def test_pool_is_the_same_for_the_same_seed():
    assert pool_build(FRAME, seed=5) == pool_build(FRAME, seed=5)


def test_pool_differs_for_another_seed():
    assert pool_build(FRAME, seed=5) != pool_build(FRAME, seed=6)


def test_province_counts_give_each_province_the_base_and_sum_to_the_total():
    counts = province_counts(FRAME.provinces, 189, base=3)
    assert sum(counts.values()) == 189
    assert min(counts.values()) >= 3
    assert counts["44"] > counts["11"] > counts["54"]


def test_pool_never_draws_a_section_of_weight_zero():
    assert "T" not in {c.industry for c in pool_build(FRAME, seed=1)}


def test_frame_reads_31_provinces_and_the_reference_sections(db):
    frame = replay_frame()
    sections = set(Industry.objects.filter(level="section").values_list("code", flat=True))
    assert (len(frame.provinces), set(frame.sections)) == (31, sections)


def test_frame_models_are_the_five_named_provision_models(db):
    assert set(replay_frame().models) == set(ProvisionModel.values) - {ProvisionModel.JOINT}


def test_pool_spreads_over_more_than_27_provinces(db):
    pool = pool_build(replay_frame(), seed=2022)
    assert len({c.province for c in pool}) == 31


def test_command_selects_exactly_75(db):
    data = _json()
    assert len(set(data["chosen"])) == PUBLISHED_NAMED == 75


@pytest.mark.parametrize("dimension", ["province", "industry", "provision_model"])
def test_selection_covers_at_least_what_the_plain_top_75_covers(db, dimension):
    row = _json()["coverage"][dimension]
    assert row["selection"] >= row["top_k"]


def test_selection_covers_every_province_the_plain_top_75_misses(db):
    row = _json("--seed", 2022)["coverage"]["province"]
    assert (row["pool"], row["selection"]) == (31, 31)
    assert row["top_k"] < 31


def test_json_output_has_the_documented_keys(db):
    data = _json()
    assert set(data) == TOP_KEYS
    assert set(data["coverage"]) == {
        "province",
        "industry",
        "provision_model",
        "ownership",
        "size_band",
        "population_band",
    }
    assert set(data["coverage"]["province"]) == {"pool", "selection", "top_k", "published"}


def test_json_output_carries_the_published_figures(db):
    data = _json()
    published = {k: v for k, v in data["published"].items() if k != "source"}
    assert published == {
        "candidates": 189,
        "named": 75,
        "provinces": 27,
        "industries": 15,
        "provision_models": 5,
    }
    assert [
        data["coverage"][d]["published"] for d in ("province", "industry", "provision_model")
    ] == [
        27,
        15,
        5,
    ]


def test_json_output_reports_a_proven_optimum_and_the_score_given_up(db):
    data = _json()
    assert data["proven_optimal"] is True
    given_up = float(data["top_k_score"]) - float(data["total_score"])
    assert float(data["score_given_up"]) == pytest.approx(given_up)


def test_command_finishes_within_its_time_limit(db):
    assert _json()["solve_seconds"] < 10


def test_same_seed_gives_the_same_selection(db):
    assert _json("--seed", 11)["chosen"] == _json("--seed", 11)["chosen"]


def test_text_output_compares_with_the_published_round(db):
    code, out, err = _run("--time-limit", 10)
    assert code == 0
    assert "province" in out and "proven optimal: yes" in out
    assert "selecting 75" in err


def test_time_limit_without_an_optimum_exits_1_and_says_not_proven(db, monkeypatch):
    def stopped(*args, **kwargs):
        raise DomainError(DES_SOLVER_FAILED, {"detail": "Time limit reached."})

    monkeypatch.setattr(replay, "select_representatives", stopped)
    code, out, _ = _run("--json")
    data = json.loads(out)
    assert code == 1
    assert (data["proven_optimal"], data["chosen"], data["error"]["code"]) == (
        False,
        [],
        "DES-007",
    )


def test_missing_reference_data_exits_2_with_its_code(db):
    Population.objects.all().delete()
    code, _, err = _run()
    assert code == 2
    assert DES_REPLAY_REFERENCE_MISSING in err
