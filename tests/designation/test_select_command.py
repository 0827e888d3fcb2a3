"""``tuoyu designation select``: file reading, exit codes and the JSON shape."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

import tuoyu.designation

EXAMPLES = Path(tuoyu.designation.__file__).parent / "examples"
HEADER = "编号,单位名称,省份,得分,行业门类,举办模式,单位性质,职工人数,服务婴幼儿数\n"
ROWS = (
    "1,甲公司,110108,90,C,用人单位自建,民营企业,500,40\n"
    "2,乙医院,310115,85.5,Q,医育结合,事业单位,3000,60\n"
    "3,丙园区,310115,70,M,园区集中托育,产业园区,9000,120\n"
)


def _run(*args) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("designation_select", *map(str, args), stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _csv(tmp_path, text, encoding="utf-8") -> Path:
    path = tmp_path / "candidates.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_feasible_selection_exits_0_with_the_json_shape(tmp_path):
    code, out, _ = _run(_csv(tmp_path, HEADER + ROWS), "--size", 2, "--json")
    data = json.loads(out)
    assert code == 0
    assert set(data) == {
        "feasible",
        "size",
        "candidates",
        "chosen",
        "total_score",
        "top_k",
        "top_k_score",
        "score_given_up",
        "binding",
        "coverage",
        "relaxations",
        "messages",
    }
    assert (data["chosen"], data["total_score"], data["top_k"]) == (["1", "2"], "175.5", ["1", "2"])


def test_infeasible_rules_exit_1_with_relaxations(tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text("coverage:\n  industry:\n    distinct: 3\n", encoding="utf-8")
    code, out, _ = _run(_csv(tmp_path, HEADER + ROWS), "--size", 2, "--rules", rules, "--json")
    assert code == 1
    assert [r["group"] for r in json.loads(out)["relaxations"]] == ["coverage.industry"]


def test_row_errors_exit_2_with_row_column_and_code(tmp_path):
    bad = ROWS + "4,丁公司,999999,abc,Z,其他模式,民营企业,-1,10\n"
    code, out, _ = _run(_csv(tmp_path, HEADER + bad), "--size", 2, "--json")
    errors = {(e["row"], e["column"], e["code"]) for e in json.loads(out)["errors"]}
    assert code == 2
    assert errors == {
        (5, "province", "DES-012"),
        (5, "score", "DES-013"),
        (5, "industry", "DES-014"),
        (5, "provision_model", "DES-014"),
        (5, "headcount", "DES-015"),
    }


def test_duplicate_id_is_a_row_error_on_the_later_row(tmp_path):
    code, out, _ = _run(
        _csv(tmp_path, HEADER + ROWS + "2,重复,110108,60,C,park,private,10,1\n"),
        "--size",
        1,
        "--json",
    )
    assert code == 2
    assert json.loads(out)["errors"][0] == {
        "row": 5,
        "column": "id",
        "code": "DES-011",
        "message": "编号“2”重复（首次出现在第 3 行）。",
        "message_en": "The id “2” is repeated (first on row 3).",
    }


def test_missing_columns_exit_2(tmp_path):
    code, out, _ = _run(_csv(tmp_path, "编号,得分\n1,90\n"), "--size", 1, "--json")
    assert code == 2
    assert json.loads(out)["error"]["code"] == "DES-005"


def test_size_out_of_range_exits_2(tmp_path):
    code, out, _ = _run(_csv(tmp_path, HEADER + ROWS), "--size", 4, "--json")
    assert (code, json.loads(out)["error"]["code"]) == (2, "DES-001")


def test_invalid_rules_exit_2_naming_the_key(tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text("coverage:\n  colour: {distinct: 2}\n", encoding="utf-8")
    code, out, _ = _run(_csv(tmp_path, HEADER + ROWS), "--size", 2, "--rules", rules, "--json")
    error = json.loads(out)["error"]
    assert (code, error["code"], error["field"]) == (2, "DES-002", "coverage.colour")


def test_gbk_file_is_read(tmp_path):
    code, out, _ = _run(_csv(tmp_path, HEADER + ROWS, "gbk"), "--size", 2, "--json")
    assert (code, json.loads(out)["chosen"]) == (0, ["1", "2"])


def test_utf8_bom_file_is_read(tmp_path):
    code, out, _ = _run(_csv(tmp_path, HEADER + ROWS, "utf-8-sig"), "--size", 2, "--json")
    assert (code, json.loads(out)["chosen"]) == (0, ["1", "2"])


def test_english_headers_and_values_are_read(tmp_path):
    text = (
        "id,name,province,score,industry,provision_model,ownership,headcount,children_served\n"
        "a,A Co,11,90,c,employer_built,private,500,40\n"
        "b,B Co,31,80,Q,medical,institution,3000,60\n"
    )
    code, out, _ = _run(_csv(tmp_path, text), "--size", 2, "--json")
    assert (code, json.loads(out)["chosen"]) == (0, ["a", "b"])


def test_human_output_has_the_table_and_both_languages(tmp_path):
    code, out, _ = _run(_csv(tmp_path, HEADER + ROWS), "--size", 2)
    assert code == 0
    assert "甲公司" in out
    assert "已证明为满足全部规则的最高总分" in out
    assert "proven the highest that meets every rule" in out


def test_shipped_examples_select_without_error():
    code, out, _ = _run(
        EXAMPLES / "candidates.csv", "--size", 8, "--rules", EXAMPLES / "rules.yaml", "--json"
    )
    data = json.loads(out)
    assert code == 0
    assert len(data["chosen"]) == 8


@pytest.mark.parametrize("argv", [["designation", "select"], ["designation_select"]])
def test_two_word_command_resolves_to_the_management_command(argv):
    from tuoyu.cli import _resolve

    assert _resolve(["tuoyu", *argv, "x.csv"])[1] == "designation_select"


def test_xlsx_file_is_read(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in (HEADER + ROWS).splitlines():
        sheet.append(line.split(","))
    path = tmp_path / "candidates.xlsx"
    book.save(path)
    code, out, _ = _run(path, "--size", 2, "--json")
    assert (code, json.loads(out)["chosen"]) == (0, ["1", "2"])
