"""Reading a candidate list (候选名单) from a CSV or XLSX file.

The file is opened by the facility import's reader (:mod:`tuoyu.facilities.importing.reading`):
CSV in UTF-8 (with or without BOM), GB18030/GBK, delimiter guessed; XLSX with the zip-bomb
guard; the same size and row limits and file-level codes ``IMP-001`` … ``IMP-006``.
Headers may be in Chinese or English (see :data:`HEADERS` and docs/designation-select.md);
unknown columns are ignored.
"""

from __future__ import annotations

from pathlib import Path

from tuoyu.core.errors import DomainError
from tuoyu.designation.errors import DES_MISSING_COLUMNS
from tuoyu.designation.selection.candidates import COLUMNS, Candidate, RowError, candidates_parse
from tuoyu.facilities.importing.columns import header_key
from tuoyu.facilities.importing.parsing import cell_text
from tuoyu.facilities.importing.reading import open_import_file

#: Accepted header texts per column (compared NFKC, case-folded, without spaces).
HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("id", "编号", "候选编号", "序号"),
    "name": ("name", "单位名称", "名称", "用人单位名称"),
    "province": ("province", "省份", "省份代码", "行政区划代码", "省级行政区划代码"),
    "score": ("score", "得分", "评分", "评审得分"),
    "industry": ("industry", "行业门类", "行业", "所属行业门类"),
    "provision_model": ("provision_model", "model", "举办模式", "托育模式"),
    "ownership": ("ownership", "ownership_type", "单位性质"),
    "headcount": ("headcount", "staff", "职工人数", "职工总数"),
    "children_served": ("children_served", "children", "服务婴幼儿数", "在托婴幼儿数"),
}
_LOOKUP = {header_key(text): key for key, texts in HEADERS.items() for text in texts}


def candidates_read(path: str | Path) -> tuple[list[Candidate], list[RowError]]:
    """Read and check the candidate file at ``path``; return ``(candidates, row errors)``.

    Raises ImportFileError (a DomainError with codes IMP-001 … IMP-006) when the file as a
    whole cannot be read, DomainError DES-005 when required columns are missing.
    """
    opened = open_import_file(path)
    positions: dict[str, int] = {}
    for position, cell in enumerate(opened.headers):
        key = _LOOKUP.get(header_key(cell_text(cell)))
        if key is not None and key not in positions:
            positions[key] = position
    missing = [column for column in COLUMNS if column not in positions]
    if missing:
        raise DomainError(DES_MISSING_COLUMNS, {"columns": ", ".join(missing)})

    def rows():
        for number, cells in opened.rows:
            yield (
                number,
                {
                    key: cell_text(cells[position]) if position < len(cells) else ""
                    for key, position in positions.items()
                },
            )

    return candidates_parse(rows())
