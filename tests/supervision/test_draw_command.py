"""``tuoyu inspections draw``: CSV in, JSON out, exit status 0 / 1 / 2."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.supervision import reference_draw

ENTITIES_CSV = (
    "id,organisation,county,credit_class,complaints,open_rectifications,annual_report_missing\n"
    "F01,O1,110108,A,0,0,否\n"
    "F02,O2,110108,D,2,1,\n"
    "F03,O1,110108,B,,,\n"
    "F04,,110105,C,0,0,是\n"
    "F05,O3,110105,,5,0,0\n"
    "托育06,O4,310115,A,0,0,no\n"
)
INSPECTORS_CSV = (
    "id,organisations,last_assigned\n"
    "I1,O1,F02\n"
    "I2,O2,\n"
    "I3,O3；卫健委,F01\n"
    "I4,,\n"
)


@pytest.fixture
def files(tmp_path):
    def write(entities=ENTITIES_CSV, inspectors=INSPECTORS_CSV, encoding="utf-8"):
        e, i = tmp_path / "entities.csv", tmp_path / "inspectors.csv"
        e.write_bytes(entities.encode(encoding))
        i.write_bytes(inspectors.encode(encoding))
        return str(e), str(i)

    return write


def run(entities, inspectors, *args):
    out, err = StringIO(), StringIO()
    call_command(
        "inspections_draw", "--entities", entities, "--inspectors", inspectors, *args,
        stdout=out, stderr=err,
    )
    return out.getvalue(), err.getvalue()


def test_json_output_holds_hashes_seed_version_and_targets_with_inspectors(files):
    out, _ = run(*files(), "--seed", "3D-2026338-478 plan-1", "--count", "3", "--strata", "county", "--json")
    data = json.loads(out)
    assert data["algorithm"] == "tuoyu-draw/1"
    assert data["seed"] == "3D-2026338-478 plan-1"
    assert data["entities"] == {
        "count": 6, "sha256": "b17fa34f26fd956b68d38b5af904ef0654ae81c1dfad33dc08c9bea87966d96b"
    }
    assert data["inspectors"]["sha256"] == "f09f72c7a60ecc5608f6219eb0d039c0425b18156a32fccaff48ed818f17a6e3"
    assert [(t["order"], t["entity"], t["inspectors"]) for t in data["targets"]] == [
        (1, "F05", ["I2", "I1"]), (2, "F03", ["I3", "I4"]), (3, "F01", ["I2", "I4"])
    ]


def test_output_is_byte_identical_on_a_second_run(files):
    args = ("--seed", "x", "--ratio", "50%", "--strata", "county", "--json")
    assert run(*files(), *args) == run(*files(), *args)


def test_gbk_and_bom_files_give_the_same_result_as_utf8(files):
    args = ("--seed", "x", "--ratio", "0.5", "--json")
    plain = run(*files(), *args)[0]
    assert run(*files(encoding="gbk"), *args)[0] == plain
    assert run(*files(encoding="utf-8-sig"), *args)[0] == plain


def test_chinese_column_names_are_accepted(files):
    chinese = ENTITIES_CSV.replace(
        "id,organisation,county,credit_class,complaints,open_rectifications,annual_report_missing",
        "编号,所属单位,county,信用风险分类,投诉数,未完成整改数,年报缺报",
    )
    args = ("--seed", "x", "--ratio", "0.5", "--json")
    assert run(*files(chinese), *args)[0] == run(*files(), *args)[0]


def test_result_agrees_with_the_reference_implementation(files):
    out, _ = run(*files(), "--seed", "s-9", "--ratio", "0.5", "--strata", "county", "--per-target", "1", "--json")
    entities = [
        dict(id="F01", organisation="O1", credit_class="A", strata={"county": "110108"}),
        dict(id="F02", organisation="O2", credit_class="D", complaints=2, open_rectifications=1,
             strata={"county": "110108"}),
        dict(id="F03", organisation="O1", credit_class="B", strata={"county": "110108"}),
        dict(id="F04", credit_class="C", annual_report_missing=True, strata={"county": "110105"}),
        dict(id="F05", organisation="O3", complaints=5, strata={"county": "110105"}),
        dict(id="托育06", organisation="O4", credit_class="A", strata={"county": "310115"}),
    ]
    inspectors = [
        dict(id="I1", organisations=["O1"], last_assigned=["F02"]),
        dict(id="I2", organisations=["O2"]),
        dict(id="I3", organisations=["O3", "卫健委"], last_assigned=["F01"]),
        dict(id="I4"),
    ]
    _, _, expected = reference_draw.run(
        entities, inspectors, "s-9", ratio="0.5", strata=["county"], per_target=1
    )
    assert [(t["entity"], t["inspectors"]) for t in json.loads(out)["targets"]] == expected


def test_bad_value_is_reported_on_stderr_with_row_and_column(files):
    bad = ENTITIES_CSV.replace("F02,O2,110108,D,2", "F02,O2,110108,X,2")
    err = StringIO()
    e, i = files(bad)
    with pytest.raises(CommandError) as raised:
        call_command("inspections_draw", "--entities", e, "--inspectors", i, "--seed", "x", stderr=err)
    assert raised.value.returncode == 2
    assert "row 3 [credit_class] SUP-001" in err.getvalue()


def test_duplicate_id_exits_2(files):
    with pytest.raises(CommandError) as raised:
        run(*files(ENTITIES_CSV + "F01,O9,110108,A,0,0,0\n"), "--seed", "x")
    assert raised.value.returncode == 2
    assert "SUP-003" in str(raised.value)


def test_missing_stratum_column_exits_2(files):
    with pytest.raises(CommandError) as raised:
        run(*files(), "--seed", "x", "--strata", "model")
    assert raised.value.returncode == 2
    assert "SUP-002" in str(raised.value)


def test_count_above_population_exits_2(files):
    with pytest.raises(CommandError) as raised:
        run(*files(), "--seed", "x", "--count", "7")
    assert raised.value.returncode == 2


def test_unreadable_file_exits_2(files, tmp_path):
    _, inspectors = files()
    with pytest.raises(CommandError) as raised:
        run(str(tmp_path / "missing.csv"), inspectors, "--seed", "x")
    assert raised.value.returncode == 2
    assert "SUP-007" in str(raised.value)


def test_impossible_draw_exits_1_naming_the_target(files):
    err = StringIO()
    e, i = files()
    with pytest.raises(CommandError) as raised:
        call_command(
            "inspections_draw", "--entities", e, "--inspectors", i, "--seed", "x",
            "--ratio", "1", "--per-target", "4", stderr=err,
        )
    assert raised.value.returncode == 1
    assert "target F01: 2 eligible inspector(s), 4 needed" in err.getvalue()


def test_console_script_joins_the_two_words_and_exits_with_the_status(files, tmp_path):
    e, i = files()
    env = {**os.environ, "TUOYU_DATA_DIR": str(tmp_path / "var")}
    ok = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tuoyu", "inspections", "draw", "--entities", e, "--inspectors", i,
         "--seed", "x", "--count", "2", "--json"],
        capture_output=True, env=env, check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert len(json.loads(ok.stdout)["targets"]) == 2
    impossible = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tuoyu", "inspections", "draw", "--entities", e, "--inspectors", i,
         "--seed", "x", "--ratio", "1", "--per-target", "4"],
        capture_output=True, env=env, check=False,
    )
    assert impossible.returncode == 1
